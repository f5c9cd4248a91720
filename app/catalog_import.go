package app

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"checkout/app/barcode"
)

// ImportBatch is how many products one import transaction adds: a failed or cancelled import keeps the
// batches before it, and importing the file again skips the SKUs already in (resumable, never half a
// batch).
const ImportBatch = 10_000

// CatalogWriter is the catalog an import checks against and adds to; the store implements it.
type CatalogWriter interface {
	// BarcodesInUse returns which of codes are already on a product: code (GTIN-14) → that product's SKU.
	BarcodesInUse(ctx context.Context, codes []string) (map[string]string, error)
	// AddProducts adds the entries whose SKU is new in one transaction and returns how many it added. Their
	// search index may follow in the background, beside the next call.
	AddProducts(ctx context.Context, entries []CatalogEntry) (int, error)
	// AddProductsTrigramsLater is AddProducts leaving the substring index of the products to a pass over
	// many batches at once, the last by SearchIndexed: what an import of many batches uses, where a pass
	// per batch wrote and merged a segment per batch.
	AddProductsTrigramsLater(ctx context.Context, entries []CatalogEntry) (int, error)
	// SearchIndexed waits until the products added are found by search.
	SearchIndexed(ctx context.Context) error
}

// ImportProgress is how far an import has read its file.
type ImportProgress struct {
	Applying   bool  // false while checking, true while adding
	Read, Size int64 // bytes of the file read, of Size (0 when not known)
	Rows       int   // rows read so far in this pass
	Added      int   // products added so far
	// While adding: good rows the catalog has taken (added, or kept for their SKU is there), of Good.
	Done, Good int
}

// Fraction is how much of the current pass is done, 0 to 1: of the file read while checking, of the good
// rows taken while adding (the file is read ahead of them).
func (p ImportProgress) Fraction() float64 {
	if p.Applying && p.Good > 0 {
		return min(float64(p.Done)/float64(p.Good), 1)
	}
	if p.Size <= 0 {
		return 0
	}
	return min(float64(p.Read)/float64(p.Size), 1)
}

// CatalogFile is a catalog file to import: Open reads it from the start, each pass anew; Size is its
// length in bytes, for progress (0 if unknown).
type CatalogFile struct {
	Open func() (io.ReadCloser, error)
	Size int64
}

// encoding reads the file once to tell how its bytes are text (sniffEncoding).
func (f CatalogFile) encoding() (textEncoding, error) {
	r, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	return sniffEncoding(r)
}

// CatalogCheck is a checked catalog file: its bad rows with their line and reason, against the file itself
// and against the catalog already there, and how many rows are good.
type CatalogCheck struct {
	Good    int
	Bad     []RowError // the first MaxListedRows, in line order
	BadRows int        // all of them
	// Defaults are what the good rows get for the columns the file leaves out.
	Defaults CatalogDefaults

	bad      badRows
	file     CatalogFile
	encoding textEncoding
	settings Settings
	catalog  CatalogWriter
	skip     map[int]bool // lines whose rows are good on their own but clash with the catalog
}

// CheckCatalog reads the whole file once and changes nothing: the dry run an import starts with.
// progress, if not nil, is told how far it got every few thousand rows; cancelling ctx stops it.
func CheckCatalog(ctx context.Context, catalog CatalogWriter, s Settings, file CatalogFile, progress func(ImportProgress)) (*CatalogCheck, error) {
	enc, err := file.encoding()
	if err != nil {
		return nil, err
	}
	c := &CatalogCheck{file: file, encoding: enc, settings: s, catalog: catalog, skip: map[int]bool{}}
	// The file's barcodes are looked up in the catalog a few thousand at a time, not held all at once.
	var codes []string
	var lineOf []int
	lookUp := func() error {
		inUse, err := catalog.BarcodesInUse(ctx, codes)
		if err != nil {
			return err
		}
		for i, code := range codes {
			if sku, ok := inUse[barcode.NormalizeGTIN(code)]; ok {
				c.bad.add(RowError{Line: lineOf[i], Reason: fmt.Sprintf("barcode %s is already on product %s", code, sku)})
				if !c.skip[lineOf[i]] {
					c.skip[lineOf[i]] = true
					c.Good--
				}
			}
		}
		codes, lineOf = codes[:0], lineOf[:0]
		return nil
	}
	c.Defaults, err = c.scan(ctx, false, progress, func(e CatalogEntry, line int) error {
		c.Good++
		for _, code := range e.Barcodes {
			codes, lineOf = append(codes, code), append(lineOf, line)
		}
		if len(codes) >= 5000 {
			return lookUp()
		}
		return nil
	}, c.bad.add)
	if err == nil {
		err = lookUp()
	}
	if err != nil {
		return nil, err
	}
	// The clashes were found after the file's own faults: the list is sorted by line.
	c.Bad, c.BadRows = c.bad.sorted(), c.bad.total
	return c, nil
}

// Apply adds the good rows, ImportBatch to a transaction, and returns how many products it added;
// products whose SKU is already there are kept as they are. The file is read a batch ahead on another
// goroutine while the catalog adds the batch before. Cancelling ctx stops it after the batch in hand is
// committed or rolled back whole: what was added stays, and applying the file again resumes. It needs
// PermCatalogEdit.
func (c *CatalogCheck) Apply(ctx context.Context, by *Session, progress func(ImportProgress)) (int, error) {
	if _, err := by.Allow(PermCatalogEdit); err != nil {
		return 0, err
	}
	var added, done atomic.Int64
	// Progress is told by the reader as it reads and after each batch is added, one at a time.
	var told sync.Mutex
	var read ImportProgress
	report := func(p *ImportProgress) {
		if progress == nil {
			return
		}
		told.Lock()
		defer told.Unlock()
		if p != nil {
			read = *p
		}
		now := read
		now.Added, now.Done, now.Good = int(added.Load()), int(done.Load()), c.Good
		progress(now)
	}
	reading, stop := context.WithCancel(ctx)
	defer stop()
	batches := make(chan []CatalogEntry, 1)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		batch := make([]CatalogEntry, 0, ImportBatch)
		send := func() error {
			select {
			case batches <- batch:
				batch = make([]CatalogEntry, 0, ImportBatch)
				return nil
			case <-reading.Done():
				return reading.Err()
			}
		}
		_, err := c.scan(reading, true, func(p ImportProgress) { report(&p) }, func(e CatalogEntry, line int) error {
			if c.skip[line] {
				return nil
			}
			batch = append(batch, e)
			if len(batch) == ImportBatch {
				return send()
			}
			return nil
		}, func(RowError) {})
		if err == nil && len(batch) > 0 {
			err = send()
		}
		readErr <- err
	}()
	// One batch is indexed with itself (an update of a few rows into a large catalog must not wait on a
	// pass over it); more leave their trigrams to a pass over many batches at once.
	add := c.catalog.AddProducts
	if c.Good > ImportBatch {
		add = c.catalog.AddProductsTrigramsLater
	}
	var err error
	for batch := range batches {
		if err != nil {
			continue // the reader is stopping
		}
		n, addErr := add(ctx, batch)
		added.Add(int64(n))
		if addErr != nil {
			err = addErr
			stop()
		} else {
			done.Add(int64(len(batch)))
		}
		report(nil)
	}
	if e := <-readErr; err == nil {
		err = e
	}
	if err != nil {
		return int(added.Load()), fmt.Errorf("import stopped after %d products: %w (import the file again to continue)", added.Load(), err)
	}
	if err := c.catalog.SearchIndexed(ctx); err != nil {
		return int(added.Load()), fmt.Errorf("%d products added: %w", added.Load(), err)
	}
	return int(added.Load()), nil
}

// progressEvery is how many rows pass between progress reports.
const progressEvery = 5_000

// scan reads the file once, as scanCatalog does, telling progress how far it got.
func (c *CatalogCheck) scan(ctx context.Context, applying bool, progress func(ImportProgress), entry func(CatalogEntry, int) error, reject func(RowError)) (CatalogDefaults, error) {
	f, err := c.file.Open()
	if err != nil {
		return CatalogDefaults{}, err
	}
	defer f.Close()
	counted := &countingReader{r: f}
	rows := 0
	report := func() {
		if progress != nil {
			progress(ImportProgress{Applying: applying, Read: counted.n.Load(), Size: c.file.Size, Rows: rows})
		}
	}
	tick := func() error {
		rows++
		if rows%progressEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			report()
		}
		return nil
	}
	defaults, err := scanCatalog(bufio.NewReaderSize(counted, 1<<20), c.encoding, c.settings, func(e CatalogEntry, line int) error {
		if err := tick(); err != nil {
			return err
		}
		return entry(e, line)
	}, func(r RowError) {
		rows++
		reject(r)
	})
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		report()
	}
	return defaults, err
}

// countingReader counts the bytes read through it; the count may be read from another goroutine.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
