package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"checkout/app/document"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
)

const (
	idTopUp   = "0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a10"
	idForged  = "0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a11"
	idRefund  = "0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a12"
	idRefund2 = "0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a13"
)

func body(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func topUpDoc(t *testing.T, id string, seq int64, amount, bonus string) api.Document {
	return api.Document{ID: id, Kind: document.KindTopUp, Version: document.Version, Seq: seq, At: time.Now(),
		Body: body(t, document.TopUp{ID: id, Till: "T01", ReceiptNo: "T01-P000001", Member: "M000001", At: "2026-01-02T03:04:05Z",
			Currency: "CNY", Amount: amount, Bonus: bonus, Tender: "cash", Tendered: amount, Change: "0.00"})}
}

func refundDoc(t *testing.T, id string, seq, number int64, sale string, line int, qty int64, total, back string) api.Document {
	rounding := "0.00"
	if total != back {
		rounding = "0.02"
	}
	return api.Document{ID: id, Kind: document.KindRefund, Version: document.Version, Seq: seq, At: time.Now(),
		Body: body(t, document.Refund{ID: id, Till: "T01", Number: number, ReceiptNo: "T01-R" + strings.Repeat("0", 5) + string(rune('0'+number)),
			SaleReceipt: sale, At: "2026-01-02T04:04:05Z", Currency: "CNY", Total: total, Tax: "0.00", Rounding: rounding,
			Tender: document.Tender{Kind: "cash", Amount: back, Tendered: back, Change: "0.00"},
			Lines:  []document.RefundLine{{LineNo: line, Qty: qty, Total: total, Tax: "0.00"}}})}
}

// raw is a document whose body is given as text, for what json.Marshal would never write.
func raw(id, kind string, seq int64, text string) api.Document {
	return api.Document{ID: id, Kind: kind, Seq: seq, At: time.Now(), Body: json.RawMessage(text)}
}

// The forged uploads that were stored and applied before the head office checked anything: each is
// kept apart as rejected with its reason, never counted, and the genuine documents around it are
// stored; a retry is answered the same; the shop's other tills are not poisoned.
func TestForgedDocumentsAreQuarantined(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	north := h.Enrol("north", "T01")
	if err := h.Server.ShopSetTopUpBonus(ctx, "north", "100:10"); err != nil {
		t.Fatal(err)
	}
	c, err := client.New(north)
	if err != nil {
		t.Fatal(err)
	}
	sale1 := saleDoc(id1, 1, "3.00")
	// A sale with a prepaid tender of −5,000 and −99,999 points redeemed.
	var prepaid document.Sale
	json.Unmarshal(saleDoc(idForged, 3, "3.00").Body, &prepaid)
	prepaid.Tenders = append(prepaid.Tenders, document.Tender{Kind: "prepaid", Amount: "-5000.00", Tendered: "-5000.00", Change: "0.00"})
	prepaid.Member = &document.Member{Number: "M000001", PointsRedeemed: -99999}
	// A sale claiming T05's receipts, uploaded by T01.
	var other document.Sale
	json.Unmarshal(saleDoc("0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a14", 4, "3.00").Body, &other)
	other.Till, other.ReceiptNo = "T05", "T05-000004"
	docs := []api.Document{
		sale1,
		topUpDoc(t, "0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a15", 2, "100000.00", "90000.00"), // a bonus of 90,000 where the rule gives 10
		{ID: idForged, Kind: "sale", Version: document.Version, Seq: 3, At: time.Now(), Body: body(t, prepaid)},
		{ID: other.ID, Kind: "sale", Version: document.Version, Seq: 4, At: time.Now(), Body: body(t, other)},
		raw("0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a16", "sale", 5, `{"id":"0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a16","till":"T01","number":5,`+
			`"receipt_no":"T01-000005","total":"5.00","paid":"99999.00","lines":[],"tenders":[{"kind":"cash","amount":"99999.00"}],`+
			`"member":{"number":"M000001","points_earned":9223372036854775000}}`), // no lines, 99,999 paid, points near the int64 maximum
		raw("0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a17", "sale", 6, `{"id":"a\u0000b"}`), // a NUL, which jsonb cannot hold
		raw("x", "sale", 7, `{}`),                                                                          // not a UUID
		raw("0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a18", "gift", 8, `{}`),                                       // an unknown kind
		raw("0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a19", "topup", 9, `[1]`),                                     // not an object
		refundDoc(t, "0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a1a", 10, 1, "T01-000099", 1, 1000, "3.00", "3.00"), // of a sale it does not hold
		refundDoc(t, idRefund, 11, 2, "T01-000001", 1, 1000, "3.00", "3.00"),
		refundDoc(t, idRefund2, 12, 3, "T01-000001", 1, 1000, "3.00", "3.00"), // the same line again
		saleDoc(id2, 13, "6.50"),
		topUpDoc(t, idTopUp, 14, "100.00", "10.00"),
	}
	reply, err := c.Upload(ctx, api.UploadRequest{Pending: int64(len(docs)), Documents: docs})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{id1, idRefund, id2, idTopUp}
	if strings.Join(reply.Stored, " ") != strings.Join(want, " ") || len(reply.Duplicates) != 0 || len(reply.Rejected) != len(docs)-len(want) {
		t.Fatalf("stored %v, rejected %+v", reply.Stored, reply.Rejected)
	}
	reasons := map[string]string{}
	for _, r := range reply.Rejected {
		reasons[r.ID] = r.Reason
	}
	for id, why := range map[string]string{
		"0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a15": "where the shop's rule gives 10.00",
		idForged:                               "below zero",
		other.ID:                               "till T05's",
		"0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a16": "invalid document",
		"0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a17": "invalid document",
		"x":                                    "not a document",
		"0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a18": "not a document",
		"0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a19": "malformed",
		"0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a1a": "does not hold",
		idRefund2:                              "more of line 1",
	} {
		if !strings.Contains(reasons[id], why) {
			t.Errorf("%s rejected for %q, want %q", id, reasons[id], why)
		}
	}

	// Nothing rejected counted: two sales, and the member's balance is the genuine top-up's alone.
	sts, err := h.Server.Status(ctx)
	if err != nil || len(sts) != 1 || sts[0].Sales != 2 || sts[0].Rejected != 8 {
		t.Fatalf("status %+v, %v", sts, err)
	}
	page, err := c.Changes(ctx, 0, 0, api.MaxChanges)
	if err != nil || len(page.Members) != 1 || page.Members[0].Prepaid != "110" || page.Members[0].Points != 0 {
		t.Fatalf("members sent down: %+v, %v", page.Members, err)
	}

	// The retry is answered as before, and stores nothing twice.
	again, err := c.Upload(ctx, api.UploadRequest{Pending: int64(len(docs)), Documents: docs})
	if err != nil || len(again.Stored) != 0 || len(again.Duplicates) != len(want) || len(again.Rejected) != len(reply.Rejected) {
		t.Fatalf("retry: %+v, %v", again, err)
	}
	// Another till of the shop uploads as ever.
	south, _ := client.New(h.Enrol("north", "T02"))
	var t2 document.Sale
	json.Unmarshal(saleDoc("0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a20", 1, "9.99").Body, &t2)
	t2.Till, t2.ReceiptNo = "T02", "T02-000001"
	if r, err := south.Upload(ctx, api.UploadRequest{Documents: []api.Document{{ID: t2.ID, Kind: "sale", Seq: 1, At: time.Now(), Body: body(t, t2)}}}); err != nil || len(r.Stored) != 1 {
		t.Fatalf("the other till: %+v, %v", r, err)
	}
	rejects, err := h.Server.Rejections(ctx)
	if err != nil || len(rejects) != 8 { // those without a UUID or a known kind were never stored
		t.Fatalf("rejections %+v, %v", rejects, err)
	}
}
