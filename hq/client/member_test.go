package client_test

import (
	"context"
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
