# Checkout: `make run` to start the till, `make test` to check it. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := run
GO ?= go

VERSION := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
BIN := bin/checkout
# The packaging tool, pinned. The version is read from FyneApp.toml (also embedded in the binary).
FYNE := $(GO) run fyne.io/tools/cmd/fyne@v1.7.4

# Build: cgo toolchain, OpenGL/X11/Wayland headers for Fyne (GLFW 3.4 compiles both back ends), libusb
# for card readers. Run: CJK fonts so the Chinese UI has glyphs; for PDF reports a CJK TrueType .ttf
# (fpdf cannot embed Noto's .ttc) and DejaVu for the digits and Latin letters Droid Sans Fallback lacks.
# Test: those fonts and poppler-utils to read the PDFs back. Checked on Debian 12 / Ubuntu 24.04.
BUILD_PACKAGES := ca-certificates gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev \
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev libusb-1.0-0-dev
RUN_PACKAGES := fonts-noto-cjk fonts-droid-fallback fonts-dejavu-core
TEST_PACKAGES := fonts-droid-fallback fonts-dejavu-core poppler-utils
# The head office's tests and benchmarks run against a real PostgreSQL: .ci/with-postgres starts a
# throwaway cluster from this package. `make test` alone skips them (CI=1 makes a skip a failure).
PG_PACKAGES := postgresql

.PHONY: deps deps-run build run test test-pg bench package-linux clean

# deps installs the missing build packages, and only those, with apt (sudo when not root).
deps:
	@./.ci/apt-install $(BUILD_PACKAGES)

deps-run:
	@./.ci/apt-install $(RUN_PACKAGES)

build: deps
	$(GO) build -o $(BIN) .

# run starts the till on the default database (created with the demo catalog on first run).
run: build deps-run
	./$(BIN) $(ARGS)

test: deps
	@./.ci/apt-install $(TEST_PACKAGES)
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(GO) test -race -count=1 ./...
	# Large-file tests at full size: under the race detector SQLite is too slow for them.
	$(GO) test -count=1 -run 'CatalogRoundTrip' .

# test-pg is make test with the head office's PostgreSQL tests run on a throwaway cluster, as CI runs it.
test-pg: deps
	@./.ci/apt-install $(PG_PACKAGES)
	./.ci/with-postgres $(MAKE) test

# bench prints the figures the issues name: durable sale commit vs a bare insert; barcode lookup, scan to
# cart and name search over a generated 1,000,000-product catalog; a 1,000,000-row CSV import (rows/s and
# peak memory; CHECKOUT_IMPORT_ROWS=100000 or -short for a quick run); the day summary and X/Z reports over
# a generated year of 500,000 sales (CHECKOUT_BENCH_SALES=50000 for a quick run); the upload of a
# 10,000-sale backlog to a throwaway local PostgreSQL (sales/s), and the sale commit latency while it runs.
bench: deps
	@./.ci/apt-install $(PG_PACKAGES)
	./.ci/with-postgres $(GO) test -run '^$$' -bench 'UploadBacklog|SaleCommitDuringUpload' -benchtime 1x ./hq/client/
	$(GO) test -run '^$$' -bench 'SaleCommit' -benchtime 3000x -count 3 ./store/
	$(GO) test -run '^$$' -bench 'BarcodeLookup|ScanToCart|NameSearch|ProductListPage' -benchtime 20000x ./store/
	$(GO) test -run '^$$' -bench CatalogImport -benchtime 1x ./store/
	$(GO) test -run '^$$' -bench 'DaySummary|ZReport' -benchtime 200x -timeout 30m ./store/

# package-linux builds dist/Checkout.tar.xz (binary, icon, .desktop file, Makefile installer).
# fyne package bumps Build in FyneApp.toml: it is put back afterwards.
package-linux: deps
	cp FyneApp.toml .FyneApp.toml.keep
	$(FYNE) package --os linux --release --app-version $(VERSION) || { mv .FyneApp.toml.keep FyneApp.toml; exit 1; }
	mv .FyneApp.toml.keep FyneApp.toml
	mkdir -p dist && mv Checkout.tar.xz dist/
	@echo "dist/Checkout.tar.xz: unpack and run 'sudo make install' inside"

clean:
	rm -rf bin dist
