package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/document"
)

// The outbox hands out every document in the till's order, each rebuilt from its rows exactly as the
// journal hashed it, and keeps the rows once they are marked sent.
func TestOutboxPendingAndMarkSent(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if _, err := s.OpenShift(ctx, time.Now(), "li", cny(50000)); err != nil {
		t.Fatal(err)
	}
	sale := sellCash(t, s, "5449000000996", "0.455*2000101000006")
	stored, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	r, err := newCheckout(t, s).RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}}, app.RefundTo{Kind: app.TenderCash}, "dented")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := s.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 || docs[0].Kind != "shift_open" || docs[1].Kind != "sale" || docs[1].ID != sale.ID ||
		docs[2].Kind != "refund" || docs[2].ID != r.ID || docs[0].Seq >= docs[1].Seq || docs[1].Seq >= docs[2].Seq {
		t.Fatalf("pending: %+v", docs)
	}
	// The sale's and refund's documents are the very ones whose hash the journal holds.
	for _, d := range docs[1:] {
		var entry struct {
			DocSHA256 string `json:"doc_sha256"`
		}
		var payload string
		if err := s.r.QueryRow(`SELECT payload FROM journal WHERE seq = ?`, d.Seq).Scan(&payload); err != nil {
			t.Fatal(err)
		}
		json.Unmarshal([]byte(payload), &entry)
		sum := sha256.Sum256(d.Body)
		if hex.EncodeToString(sum[:]) != entry.DocSHA256 {
			t.Errorf("%s document differs from the journaled one:\n%s", d.Kind, d.Body)
		}
	}
	var body struct {
		Total string `json:"total"`
		Lines []any  `json:"lines"`
	}
	if err := json.Unmarshal(docs[1].Body, &body); err != nil || body.Total != sale.Totals.Total.Decimal() || len(body.Lines) != 2 {
		t.Fatalf("sale document %s: %v", docs[1].Body, err)
	}

	if first, _ := s.PendingOutbox(ctx, 1); len(first) != 1 || first[0].ID != docs[0].ID {
		t.Fatalf("limit 1: %+v", first)
	}
	if err := s.MarkSent(ctx, []string{docs[0].ID, docs[1].ID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PendingCount(ctx); err != nil || n != 1 {
		t.Fatalf("pending count %d, %v; want 1", n, err)
	}
	if rest, _ := s.PendingOutbox(ctx, 10); len(rest) != 1 || rest[0].ID != r.ID {
		t.Fatalf("after marking: %+v", rest)
	}
	if n := count(t, s, "outbox"); n != 3 {
		t.Fatalf("%d outbox rows, want all 3 kept", n)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
}

// The enrolment is kept and replaced; a till never enrolled says so.
func TestSyncLink(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if _, err := s.SyncLink(ctx); err == nil {
		t.Fatal("a new till is enrolled")
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, shop := range []string{"north", "south"} {
		if err := s.SetSyncLink(ctx, SyncLink{URL: "https://hq", Shop: shop, Till: "T01", EnrolledAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	l, err := s.SyncLink(ctx)
	if err != nil || l.Shop != "south" || !l.EnrolledAt.Equal(at) || !l.LastSync.IsZero() {
		t.Fatalf("%+v, %v", l, err)
	}
	s.MarkSent(ctx, []string{"none"}, at)
	if l, _ := s.SyncLink(ctx); !l.LastSync.Equal(at) {
		t.Fatalf("last sync %v", l.LastSync)
	}
}

// A delivery goes to the head office as one document listing every movement by SKU.
func TestOutboxStockMoves(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	inv := app.NewInventory(s, time.Now)
	cola := productBySKU(t, s, "DRK-001")
	if err := inv.Receive(ctx, "Acme", app.SystemSession("owner"), []app.ReceiveLine{
		{Product: cola, Qty: app.Pieces(24), UnitCost: cny(150)}}); err != nil {
		t.Fatal(err)
	}
	if err := inv.Adjust(ctx, cola, app.Pieces(-2), "damage", app.SystemSession("owner")); err != nil {
		t.Fatal(err)
	}
	docs, err := s.PendingOutbox(ctx, 10)
	if err != nil || len(docs) != 2 {
		t.Fatalf("pending %+v, %v", docs, err)
	}
	var got []document.Stock
	for _, d := range docs {
		var e document.Stock
		if err := json.Unmarshal(d.Body, &e); err != nil || d.Kind != "stock" || e.ID != d.ID {
			t.Fatalf("%s %s: %v", d.Kind, d.Body, err)
		}
		got = append(got, e)
	}
	if l := got[0].Lines; got[0].Kind != "receiving" || len(l) != 1 || l[0].SKU != "DRK-001" || l[0].Qty != 24000 || l[0].UnitCost != "1.50" {
		t.Errorf("delivery %+v", got[0])
	}
	if l := got[1].Lines; got[1].Kind != "adjustment" || len(l) != 1 || l[0].Qty != -2000 || l[0].Reason != "damage" || l[0].UnitCost != "" {
		t.Errorf("adjustment %+v", got[1])
	}
	if err := s.VerifyStock(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
}

// Every kind of document the till uploads, made by the real use cases with unkind data (a 抹零 split
// sale with a member, a refund of it, a top-up with a bonus, a delivery, a shift with cash in and out
// and its close, a Z report), passes the checks the head office makes before it believes one.
func TestEveryOutboxDocumentPassesTheHeadOfficeChecks(t *testing.T) {
	s := storeWithEveryDocument(t)
	ctx := context.Background()
	docs, err := s.PendingOutbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, d := range docs {
		if _, err := document.Check(d.Kind, d.Body); err != nil {
			t.Errorf("%s %s: %v\n%s", d.Kind, d.ID, err, d.Body)
		}
		kinds[d.Kind] = true
	}
	for _, k := range document.Kinds() {
		if !kinds[k] {
			t.Errorf("no %s document was made", k)
		}
	}
}

// The batch read of the outbox makes each document byte for byte as reading it alone does (the head
// office checks their digests against the journal), in batches of every size.
func TestPendingOutboxBatchedAsOneByOne(t *testing.T) {
	s := storeWithEveryDocument(t)
	ctx := context.Background()
	// Every document rebuilt from the rows is the one journaled (its digest), refunds' lines included.
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := s.PendingOutbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, d := range all {
		kinds[d.Kind]++
	}
	if kinds["sale"] < 2 || kinds["refund"] < 2 || kinds["topup"] < 1 || kinds["zreport"] < 1 {
		t.Fatalf("the outbox holds %v", kinds)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT j.payload FROM outbox o JOIN journal j ON j.seq = o.journal_seq ORDER BY o.journal_seq`)
	if err != nil {
		t.Fatal(err)
	}
	var payloads []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		payloads = append(payloads, p)
	}
	rows.Close()
	for i, d := range all {
		alone, err := s.outboxDocument(ctx, d, payloads[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(d.Body, alone) {
			t.Errorf("%s %s read in a batch:\n%s\nread alone:\n%s", d.Kind, d.ID, d.Body, alone)
		}
	}
	for _, size := range []int{1, 2, 3, 7} {
		var got []app.OutboxDoc
		for {
			docs, err := s.PendingOutbox(ctx, size)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) == 0 {
				break
			}
			got = append(got, docs...)
			ids := make([]string, len(docs))
			for i, d := range docs {
				ids[i] = d.ID
			}
			if err := s.MarkSent(ctx, ids, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if len(got) != len(all) {
			t.Fatalf("batches of %d read %d documents, want %d", size, len(got), len(all))
		}
		for i := range got {
			if got[i].ID != all[i].ID || !bytes.Equal(got[i].Body, all[i].Body) {
				t.Errorf("batches of %d: document %d is %s %s, want %s %s", size, i, got[i].Kind, got[i].ID, all[i].Kind, all[i].ID)
			}
		}
		if _, err := s.w.ExecContext(ctx, `UPDATE outbox SET sent_at = NULL`); err != nil {
			t.Fatal(err)
		}
	}
}

// storeWithEveryDocument is a store whose outbox holds a document of every kind: a top-up, a sale with
// a member, prepaid, card and rounded cash, its refund, a cash sale refunded whole, stock received, a
// shift with cash in and out, alarms and a Z report.
func storeWithEveryDocument(t *testing.T) *Store {
	t.Helper()
	s, _ := openTestStore(t)
	ctx := context.Background()
	now := time.Now()
	for key, value := range map[string]string{"cash_rounding": "0.10", "cash_rounding_mode": "down", "topup_bonus": "100:10"} {
		if _, err := s.SetSetting(ctx, key, value, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.OpenShift(ctx, now, "李娜", cny(50000)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveCash(ctx, now, "李娜", app.CashIn, cny(2000), "change"); err != nil {
		t.Fatal(err)
	}
	m, err := s.SaveMember(ctx, app.Member{Name: "王芳", Phone: "13900000000"}, now)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := s.Settings(ctx)
	tu, err := app.NewTopUp(set, m, cny(10000), app.Tender{Kind: app.TenderCash, Tendered: cny(10000)}, "李娜", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CommitTopUp(ctx, tu); err != nil {
		t.Fatal(err)
	}
	if m, err = s.MemberByNumber(ctx, m.Number); err != nil {
		t.Fatal(err)
	}
	co := newCheckout(t, s)
	for _, code := range []string{"5449000000996", "0.455*2000101000006", "6924743915763"} {
		if _, err := co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if err := co.SetMember(m); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayPrepaid(cny(500)); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayCard(cny(123), "884211", "4242"); err != nil {
		t.Fatal(err)
	}
	sale, err := co.SettleCash(ctx, cny(1000))
	if err != nil {
		t.Fatal(err)
	}
	if sale.Rounding.IsZero() {
		t.Fatalf("the sale was not rounded: %+v", sale)
	}
	stored, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := co.RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 2, Qty: app.Grams(200)}}, app.RefundTo{Kind: app.TenderCash}, "烂了"); err != nil {
		t.Fatal(err)
	}
	p, err := s.ProductByBarcode(ctx, "5449000000996")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordStock(ctx, now, app.MoveReceiving, "PO-1", []app.StockMove{{ProductID: p.ID, Kind: app.MoveReceiving, Qty: app.Pieces(24),
		UnitCost: cny(180), User: "李娜"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveCash(ctx, now, "李娜", app.CashOut, cny(1000), "other: 买水"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseShift(ctx, now, "李娜", []app.DenominationCount{{Minor: 10000, Count: 5}, {Minor: 10, Count: 3}}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []app.Alarm{ // what the guard stopped: a rate rule's figures, and a line's prices
		{Kind: app.AlarmRefunds, Till: "T01", Cashier: "李娜", At: now, Count: 3, Sales: 12, UsualRate: 50},
		{Kind: app.AlarmBelowCost, Till: "T01", Cashier: "李娜", At: now, SKU: "SNK-001", Price: cny(325), Other: cny(433)},
	} {
		if err := s.RecordAlarm(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, code := range []string{"6924743915763", "0.455*2000101000006"} { // a second sale, cash only
		if _, err := co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	second, err := co.SettleCash(ctx, cny(5000))
	if err != nil {
		t.Fatal(err)
	}
	if stored, err = s.SaleByReceipt(ctx, second.ReceiptNo); err != nil {
		t.Fatal(err)
	}
	// A second refund, of both its lines, so the batch reads the lines of two refunds together.
	if _, err := co.RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}, {LineNo: 2, Qty: app.Grams(455)}},
		app.RefundTo{Kind: app.TenderCash}, "damaged"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseDay(ctx, now.Add(time.Second), "李娜"); err != nil {
		t.Fatal(err)
	}
	return s
}

// A head office that lost rows it had acknowledged (a database restored, an asynchronous failover) is
// stepped back to a row of the till's journal: the documents journaled after it, sent or rejected, are
// queued again; those before it stay sent. A head that is not a row of this journal, or not behind the
// one held, changes nothing.
func TestRewindHQHead(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if err := s.SetSyncLink(ctx, SyncLink{URL: "https://hq", Shop: "north", Till: "T01", EnrolledAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	var sales []*app.Sale
	for range 4 {
		sales = append(sales, sellCash(t, s, "5449000000996"))
	}
	docs, err := s.PendingOutbox(ctx, 10)
	if err != nil || len(docs) != 4 {
		t.Fatalf("pending %+v, %v", docs, err)
	}
	if err := s.MarkSent(ctx, []string{docs[0].ID, docs[1].ID, docs[2].ID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkRejected(ctx, []app.Rejection{{ID: docs[3].ID, Reason: "the head office says so"}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	links, err := s.JournalLinks(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	headOf := func(seq int64) app.ChainHead {
		for _, l := range links {
			if l.Seq == seq {
				return app.ChainHead{Seq: l.Seq, Hash: l.Hash}
			}
		}
		t.Fatalf("no journal row %d", seq)
		return app.ChainHead{}
	}
	last := links[len(links)-1]
	if err := s.SetHQHead(ctx, app.ChainHead{Seq: last.Seq, Hash: last.Hash}); err != nil {
		t.Fatal(err)
	}
	unchanged := func(what string) {
		t.Helper()
		if h, _, _ := s.HQHead(ctx); h.Seq != last.Seq {
			t.Errorf("%s moved the head to %d", what, h.Seq)
		}
		if n, _ := s.PendingCount(ctx); n != 0 {
			t.Errorf("%s queued %d documents", what, n)
		}
	}
	forged := headOf(docs[1].Seq)
	forged.Hash = strings.Repeat("0", 64)
	if _, err := s.RewindHQHead(ctx, forged); !errors.Is(err, ErrNotFound) {
		t.Errorf("a head that is not this journal's row: %v", err)
	}
	unchanged("a forged head")
	if _, err := s.RewindHQHead(ctx, app.ChainHead{Seq: last.Seq + 5, Hash: strings.Repeat("1", 64)}); err == nil {
		t.Error("a head past the journal was taken")
	}
	if _, err := s.RewindHQHead(ctx, app.ChainHead{Seq: last.Seq, Hash: last.Hash}); err == nil {
		t.Error("a head that is not behind was taken")
	}
	unchanged("a head not behind")

	n, err := s.RewindHQHead(ctx, headOf(docs[1].Seq))
	if err != nil || n != 2 {
		t.Fatalf("rewound to the second sale's row: %d queued again, %v", n, err)
	}
	if h, _, _ := s.HQHead(ctx); h != headOf(docs[1].Seq) {
		t.Errorf("head after the rewind %+v", h)
	}
	again, err := s.PendingOutbox(ctx, 10)
	if err != nil || len(again) != 2 || again[0].ID != sales[2].ID || again[1].ID != sales[3].ID {
		t.Fatalf("queued again: %+v, %v", again, err)
	}
	if st, err := s.Backlog(ctx); err != nil || st.Rejected != 0 {
		t.Errorf("the rejected document is still counted rejected: %+v", st)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkPendingOutbox measures reading a batch of 500 pending sales (three lines, cash) as the
// uploader does (issue 26: ≈ 122 µs per document read one by one); µs/doc is per document.
func BenchmarkPendingOutbox(b *testing.B) {
	s, _ := openTestStore(b)
	ctx := context.Background()
	co := newCheckout(b, s)
	const batch = 500
	for range batch {
		for _, code := range []string{"5449000000996", "6924743915763", "5449000000996"} {
			if _, err := co.Scan(ctx, code); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := co.SettleCash(ctx, cny(10000)); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		docs, err := s.PendingOutbox(ctx, batch)
		if err != nil || len(docs) != batch {
			b.Fatalf("%d documents, %v", len(docs), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*batch), "µs/doc")
}
