package client_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"checkout/hq/client"
	"checkout/hq/hqtest"
	"checkout/hq/server"
	"checkout/store"
)

// The kill tests run the till's uploader, or the head office, in a child process (this test binary again,
// with CHECKOUT_TEST_ROLE set), so that SIGKILL stops it where it stands: no deferred cleanup, no
// graceful shutdown, a transaction cut wherever it was.
func TestMain(m *testing.M) {
	switch os.Getenv("CHECKOUT_TEST_ROLE") {
	case "":
		os.Exit(m.Run())
	case "till":
		os.Exit(runChildTill())
	case "hq":
		os.Exit(runChildHQ())
	}
	os.Exit(2)
}

// runChildTill uploads the till's outbox forever, as the till's worker does.
func runChildTill() int {
	ctx := context.Background()
	st, err := store.Open(ctx, os.Getenv("CHECKOUT_TEST_DB"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	c, err := client.New(client.Config{URL: os.Getenv("CHECKOUT_TEST_URL"), Shop: os.Getenv("CHECKOUT_TEST_SHOP"),
		Token: os.Getenv("CHECKOUT_TEST_TOKEN"), CAPEM: []byte(os.Getenv("CHECKOUT_TEST_CA")), Timeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	u := &client.Uploader{Outbox: st, Client: c, Batch: 10, MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
		Idle: 10 * time.Millisecond}
	u.Run(ctx)
	return 0
}

// runChildHQ serves the head office until killed.
func runChildHQ() int {
	srv, err := server.Open(context.Background(), os.Getenv("CHECKOUT_TEST_PGURL"), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	hs := &http.Server{Addr: os.Getenv("CHECKOUT_TEST_ADDR"), Handler: srv.Handler()}
	fmt.Fprintln(os.Stderr, hs.ListenAndServeTLS(os.Getenv("CHECKOUT_TEST_CERT"), os.Getenv("CHECKOUT_TEST_KEY")))
	return 1
}

// child starts this test binary in role with env; it is SIGKILLed when the test ends, if still running.
func child(t testing.TB, role string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append(env, "CHECKOUT_TEST_ROLE="+role)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { kill(cmd) })
	return cmd
}

func kill(cmd *exec.Cmd) {
	if cmd.ProcessState == nil {
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
}

// waitStored waits until the head office holds more than n of the till's sales.
func waitStored(t testing.TB, h *hqtest.HQ, n int64) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		if rows, _, _ := hqSales(t, h, "T01"); rows > n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the head office did not reach %d sales", n)
		}
		time.Sleep(time.Millisecond)
	}
}

// checkPartial fails the test if the head office already holds all of the backlog: the kill came too late
// to test anything.
func checkPartial(t testing.TB, h *hqtest.HQ, backlog int64) {
	t.Helper()
	if rows, _, _ := hqSales(t, h, "T01"); rows >= backlog {
		t.Fatalf("killed after the whole backlog (%d sales) was uploaded", rows)
	}
}

// The till's process is SIGKILLed mid-upload three times and started again on its database: the head
// office ends with every sale once, and the till's journal and database are intact.
func TestUploadSurvivesTillProcessKill(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	cfg := h.Enrol("north", "T01")
	for range 1000 {
		tl.sell(t)
	}
	env := []string{"CHECKOUT_TEST_DB=" + tl.path, "CHECKOUT_TEST_URL=" + cfg.URL, "CHECKOUT_TEST_SHOP=" + cfg.Shop,
		"CHECKOUT_TEST_TOKEN=" + cfg.Token, "CHECKOUT_TEST_CA=" + string(cfg.CAPEM)}
	for i := range 3 {
		cmd := child(t, "till", env...)
		waitStored(t, h, int64(200*(i+1)))
		kill(cmd)
		checkPartial(t, h, 1000)
		tl.sell(t) // the till sells between the runs
	}
	cmd := child(t, "till", env...)
	waitDrained(t, time.Minute, tl)
	kill(cmd)
	checkExactlyOnce(t, h, "T01", tl, 1003)
	if _, err := tl.store.VerifyJournal(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key into dir.
func selfSigned(t testing.TB, dir string) (certFile, keyFile string, certPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "checkout-hq test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, certPEM
}

// The head office's process is SIGKILLed mid-upload three times and started again: the till keeps
// retrying, and the head office ends with every sale once.
func TestUploadSurvivesServerProcessKill(t *testing.T) {
	h := hqtest.StartHQ(t) // for enrolment and the database; the uploads go to the child process
	tl := newTill(t, "T01")
	cfg := h.Enrol("north", "T01")
	for range 1000 {
		tl.sell(t)
	}
	certFile, keyFile, certPEM := selfSigned(t, t.TempDir())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := []string{"CHECKOUT_TEST_PGURL=" + h.DBURL, "CHECKOUT_TEST_ADDR=" + addr, "CHECKOUT_TEST_CERT=" + certFile,
		"CHECKOUT_TEST_KEY=" + keyFile}
	cfg.URL, cfg.CAPEM = "https://"+addr, certPEM
	u := uploader(t, cfg, tl.store, 20)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { u.Run(ctx); close(done) }()
	for i := range 3 {
		cmd := child(t, "hq", env...)
		waitStored(t, h, int64(200*(i+1)))
		kill(cmd)
		checkPartial(t, h, 1000)
	}
	child(t, "hq", env...)
	waitDrained(t, time.Minute, tl)
	cancel()
	<-done
	checkExactlyOnce(t, h, "T01", tl, 1000)
}
