package server_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"checkout/app/document"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
)

// send uploads docs from till of shop and returns the head office's reply, whatever it stored.
func send(t testing.TB, c *client.Client, docs []api.Document) (api.UploadReply, error) {
	t.Helper()
	return c.Upload(context.Background(), api.UploadRequest{Pending: int64(len(docs)), Documents: docs})
}

// hostileUploads has north's till T09 send a sale claiming another till's name (a script and a
// right-to-left override in it, then 3,000 letters), -south's T08 a sale of a newer format, and T09 a
// batch out of its order, which is refused whole. It returns the tills' documents.
func hostileUploads(t testing.TB, h *hqtest.HQ) (n, s *tillDocs) {
	t.Helper()
	hostile := "<script>alert(1)</script>\u202e" + strings.Repeat("A", 3000)

	// A till of north sends a sale that says it is another till's: rejected, the reason quoting it.
	n = newTillDocs("T09")
	n.sale(dashDay.Add(10*time.Hour), "cash", soldLine{"DRK-001", "Cola", "", 1, "3.50"})
	var sale document.Sale
	if err := json.Unmarshal(n.docs[0].Body, &sale); err != nil {
		t.Fatal(err)
	}
	sale.Till = hostile
	n.docs[0].Body, _ = json.Marshal(sale)
	north, err := client.New(h.Enrol("north", "T09"))
	if err != nil {
		t.Fatal(err)
	}
	reply, err := send(t, north, n.docs)
	if err != nil || len(reply.Rejected) != 1 {
		t.Fatalf("the hostile sale: %+v, %v", reply, err)
	}
	// Then a till of -south sends a document of a format newer than the head office's.
	s = newTillDocs("T08")
	s.sale(dashDay.Add(11*time.Hour), "cash", soldLine{"TEA-100", "Green tea", "", 1, "4.20"})
	s.docs[0].Version = document.Version + 1
	south, err := client.New(h.Enrol("-south", "T08"))
	if err != nil {
		t.Fatal(err)
	}
	if reply, err := send(t, south, s.docs); err != nil || len(reply.Rejected) != 1 {
		t.Fatalf("the newer sale: %+v, %v", reply, err)
	}
	// And north's T09 sends a batch out of its order: refused whole, nothing stored.
	n2 := newTillDocs("T09")
	n2.sale(dashDay.Add(12*time.Hour), "cash", soldLine{"DRK-001", "Cola", "", 1, "3.50"})
	n2.sale(dashDay.Add(13*time.Hour), "cash", soldLine{"DRK-001", "Cola", "", 1, "3.50"})
	n2.docs[0].Seq, n2.docs[1].Seq = 5, 4
	if _, err := send(t, north, n2.docs); err == nil {
		t.Fatal("a batch out of order was taken")
	}

	return n, s
}

// The rejected documents' page lists what the head office refused to count, newest first, with the
// reason, for the shops the user sees; a reason quoting a hostile till's text is shown escaped, without
// its control characters and cut short; a till whose upload was refused whole is listed too.
func TestDashboardRejectedDocuments(t *testing.T) {
	h := hqtest.StartHQ(t)
	chainFixture(t, h)
	n, s := hostileUploads(t, h)
	boss := signedIn(t, h, "boss", addUser(t, h, "boss", "owner"))
	status, page, _ := boss.get("/dash/rejected")
	if status != 200 {
		t.Fatalf("rejected page: %d %s", status, page)
	}
	ids := regexp.MustCompile(`<tr data-id="([^"]+)">`).FindAllStringSubmatch(page, -1)
	if len(ids) != 2 || ids[0][1] != s.docs[0].ID || ids[1][1] != n.docs[0].ID {
		t.Fatalf("rejected documents %q, want -south's then north's (newest first)", ids)
	}
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "\u202e") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the hostile till's text is not escaped, or keeps its right-to-left override")
	}
	cell := regexp.MustCompile(`(?s)<td class="text reason">([^<]*)<details>`).FindStringSubmatch(page)
	if cell == nil || utf8.RuneCountInString(cell[1]) > 250 || !strings.HasSuffix(cell[1], "…") {
		t.Errorf("the long reason is not cut short: %q", cell)
	}
	if !strings.Contains(page, "format v") || !strings.Contains(page, "upgrade the head office") {
		t.Error("the newer document's reason is not shown")
	}
	refused := regexp.MustCompile(`(?s)<table [^>]*id="refused">.*?</table>`).FindString(page)
	if !strings.Contains(refused, "T09") || !strings.Contains(refused, "out of the till&#39;s order") {
		t.Errorf("the refused upload is not listed: %s", refused)
	}

	// A manager of north sees north's alone; in Chinese, the page is.
	lee := signedIn(t, h, "lee", addUser(t, h, "lee", "manager", "north"))
	_, page, _ = lee.get("/dash/rejected?lang=zh-Hans")
	if strings.Contains(page, s.docs[0].ID) || !strings.Contains(page, n.docs[0].ID) || !strings.Contains(page, "被拒单据") {
		t.Error("the manager's rejected page shows another shop's, or lacks north's, or is not in Chinese")
	}
	if status, _, _ := lee.get("/dash/rejected?days=0"); status != 404 {
		t.Errorf("days=0: %d", status)
	}
}
