package client_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/hq/api"
	"checkout/hq/hqtest"
)

// A member's top-up, a sale paid from the balance and a refund back to it reach the head office's member
// ledger once each, even when every document is sent twice: the ledger ends at the till's balance and
// points.
func TestMemberMovementsExactlyOnce(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	ctx := context.Background()
	m, err := tl.store.SaveMember(ctx, app.Member{Name: "Wang Fang"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	set, _ := tl.store.Settings(ctx)
	tu, err := app.NewTopUp(set, m, cny(10000), app.Tender{Kind: app.TenderCash}, "owner", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := tl.store.CommitTopUp(ctx, tu); err != nil {
		t.Fatal(err)
	}
	m, _ = tl.store.MemberByNumber(ctx, m.Number)
	for _, code := range []string{"5449000000996", "6924743915763", "6924743915763"} { // 3.00 + 2 × 6.50
		if _, err := tl.co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if err := tl.co.SetMember(m); err != nil {
		t.Fatal(err)
	}
	if _, err := tl.co.PayPrepaid(tl.co.Due()); err != nil {
		t.Fatal(err)
	}
	sale, err := tl.co.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tl.co.RefundSale(ctx, sale, nil, []app.RefundPick{{LineNo: 2, Qty: app.Pieces(1)}},
		app.RefundTo{Kind: app.TenderPrepaid}, "stale"); err != nil {
		t.Fatal(err)
	}

	u := uploader(t, h.Enrol("north", "T01"), tl.store, 0)
	docs, err := tl.store.PendingOutbox(ctx, 10)
	if err != nil || len(docs) != 3 {
		t.Fatalf("pending %d, %v", len(docs), err)
	}
	// The first upload's reply is lost: the till sends everything again.
	req := api.UploadRequest{Documents: make([]api.Document, len(docs))}
	for i, d := range docs {
		req.Documents[i] = api.Document{ID: d.ID, Kind: d.Kind, Seq: d.Seq, At: d.At, Body: d.Body}
	}
	if _, err := u.Client.Upload(ctx, req); err != nil {
		t.Fatal(err)
	}
	if n, err := u.UploadPending(ctx); err != nil || n != 3 {
		t.Fatalf("upload: %d, %v", n, err)
	}

	after, err := tl.store.MemberByNumber(ctx, m.Number)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows, balance, points int64
	if err := conn.QueryRow(ctx, `SELECT count(*), (sum(prepaid) * 100)::bigint, sum(points) FROM member_movements WHERE member = $1`,
		m.Number).Scan(&rows, &balance, &points); err != nil {
		t.Fatal(err)
	}
	if rows != 3 || balance != after.Balance.Minor() || points != after.Points {
		t.Fatalf("head office: %d movements, balance %d, points %d; till: balance %d, points %d", rows, balance, points,
			after.Balance.Minor(), after.Points)
	}
}

// A till whose database was edited behind its back (a top-up's bonus raised with sqlite3 after it
// committed): the head office rejects that document and stores the rest; the till marks it rejected,
// never sends it again, shows it, and takes the head office's balance for the member, which does not
// count it.
func TestRejectedDocumentIsNotResentAndNotCounted(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	ctx := context.Background()
	m, err := tl.store.SaveMember(ctx, app.Member{Name: "王芳"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	set, _ := tl.store.Settings(ctx)
	for _, amount := range []int64{10000, 5000} {
		tu, err := app.NewTopUp(set, m, cny(amount), app.Tender{Kind: app.TenderCash}, "owner", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := tl.store.CommitTopUp(ctx, tu); err != nil {
			t.Fatal(err)
		}
	}
	tl.sell(t)
	raw, err := sql.Open("sqlite", tl.path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE topups SET bonus = 2000 WHERE amount = 5000`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	u := syncedTill(t, h, tl, "north", "T01", 0)
	sent, _, err := u.Sync(ctx)
	if err != nil || sent != 3 {
		t.Fatalf("sync: %d, %v", sent, err)
	}
	st := u.Status()
	if st.Pending != 0 || st.Rejected != 1 || !st.Online {
		t.Fatalf("status %+v", st)
	}
	rejected, err := tl.store.RejectedOutbox(ctx)
	if err != nil || len(rejected) != 1 || rejected[0].Kind != "topup" || rejected[0].Receipt != "T01-P000002" ||
		!strings.Contains(rejected[0].Reason, "the shop's rule gives 0.00") {
		t.Fatalf("rejected %+v, %v", rejected, err)
	}
	// Nothing is sent again, however often the till syncs.
	if sent, _, err := u.Sync(ctx); err != nil || sent != 0 {
		t.Fatalf("second sync sent %d, %v", sent, err)
	}
	sts, err := h.Server.Status(ctx)
	if err != nil || sts[0].Documents != 3 || sts[0].Rejected != 1 {
		t.Fatalf("head office status %+v, %v", sts, err)
	}
	// The member's balance comes down as the head office counts it: the genuine 100.00 alone.
	if m, err = tl.store.MemberByNumber(ctx, m.Number); err != nil || m.Balance.Minor() != 10000 {
		t.Fatalf("member after down-sync: %v, %v", m.Balance, err)
	}
}
