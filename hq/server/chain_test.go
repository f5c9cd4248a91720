package server_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"checkout/app/document"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
)

var tillKey = bytes.Repeat([]byte{7}, 32)

// journal is a till's journal chain as a test writes it: HMAC-SHA256 over length-prefixed fields.
type journal struct {
	key   []byte
	links []api.Link
}

func (j *journal) add(kind, payload string) api.Link {
	prev, seq := strings.Repeat("0", 64), int64(len(j.links)+1)
	if len(j.links) > 0 {
		prev = j.links[len(j.links)-1].Hash
	}
	at := fmt.Sprintf("2026-12-06T10:%02d:00.000000Z", seq%60)
	mac := hmac.New(sha256.New, j.key)
	for _, f := range []string{prev, strconv.FormatInt(seq, 10), at, kind, payload} {
		fmt.Fprintf(mac, "%d:%s;", len(f), f)
	}
	l := api.Link{Seq: seq, At: at, Kind: kind, Payload: payload, PrevHash: prev, Hash: hex.EncodeToString(mac.Sum(nil))}
	j.links = append(j.links, l)
	return l
}

// sale journals a sale document as the till does (its row holds the document's digest) and returns it.
func (j *journal) sale(t *testing.T, id string, n int64) api.Document {
	d := hqtest.SaleDoc(id, n, "3.00")
	entry, _ := json.Marshal(document.SaleEntry{ID: id, ReceiptNo: fmt.Sprintf("T01-%06d", n), Total: "3.00", Currency: "CNY",
		Lines: 1, DocSHA256: document.DigestJSON(d.Body)})
	d.Seq = j.add("sale", string(entry)).Seq
	return d
}

func refusedAs(t *testing.T, err error, status int, want string) {
	t.Helper()
	var e *api.Error
	if !errors.As(err, &e) || e.Status != status || !strings.Contains(e.Message, want) {
		t.Fatalf("got %v, want %d %q", err, status, want)
	}
}

// A till registers its journal key and the head it has; from then on the head office takes only links
// that continue the chain it holds, each checked with the key, and a document only with the row that
// journaled it. A gap, a fork, a rewrite or a forged hash is refused whole and named; a retry of links
// it holds is answered as before, as is a registration whose reply was lost; the till can ask for any
// link to compare its own journal.
func TestHeadOfficeAnchorsTheJournalChain(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	c, err := client.New(h.Enrol("north", "T01"))
	if err != nil {
		t.Fatal(err)
	}
	j := &journal{key: tillKey}
	j.add("setting", `{"key":"till","old":"","new":"T01"}`)
	if err := c.RegisterKey(ctx, tillKey, api.Head{Seq: 1, Hash: j.links[0].Hash}); err != nil {
		t.Fatal(err)
	}
	refusedAs(t, c.RegisterKey(ctx, bytes.Repeat([]byte{9}, 32), api.Head{}), 409, "registered already")
	refusedAs(t, c.RegisterKey(ctx, tillKey, api.Head{}), 409, "registered already") // the key, anchored elsewhere
	if err := c.RegisterKey(ctx, tillKey, api.Head{Seq: 1, Hash: j.links[0].Hash}); err != nil {
		t.Fatalf("the registration again, its reply lost: %v", err) // the till retries it
	}

	s1 := j.sale(t, id1, 1)
	j.add("no_sale", `{"till":"T01","cashier":"Olivia"}`)
	s2 := j.sale(t, id2, 2)
	reply, err := c.Upload(ctx, api.UploadRequest{Links: j.links[1:], Documents: []api.Document{s1, s2}})
	if err != nil || len(reply.Stored) != 2 || reply.Head.Seq != 4 || reply.Head.Hash != j.links[3].Hash {
		t.Fatalf("upload: %+v, %v", reply, err)
	}
	// The same again (a lost reply): held links compared, documents duplicates.
	if reply, err = c.Upload(ctx, api.UploadRequest{Links: j.links[1:], Documents: []api.Document{s1, s2}}); err != nil || len(reply.Duplicates) != 2 {
		t.Fatalf("retry: %+v, %v", reply, err)
	}

	// A document without its row in the chain, or unlike what its row recorded, is rejected.
	s3 := j.sale(t, "0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a03", 3)
	forged := s3
	var body document.Sale
	json.Unmarshal(s3.Body, &body)
	body.Cashier = "nobody"
	forged.Body, _ = json.Marshal(body)
	s4 := hqtest.SaleDoc("0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a04", 4, "3.00")
	s4.Seq = 99
	reply, err = c.Upload(ctx, api.UploadRequest{Links: j.links[4:], Documents: []api.Document{forged, s4}})
	if err != nil || len(reply.Stored) != 0 || len(reply.Rejected) != 2 ||
		!strings.Contains(reply.Rejected[0].Reason, "not the document its journal row 5 recorded") ||
		!strings.Contains(reply.Rejected[1].Reason, "journal row 99 is not in the chain") {
		t.Fatalf("forged documents: %+v, %v", reply, err)
	}

	// Links that do not continue the head: a gap, a fork (row 6 chained to another row 5), a hash made
	// without the key, and a row the head office holds, rewritten.
	good := *j
	good.links = append([]api.Link(nil), j.links...)
	gap := good
	gap.links = append([]api.Link(nil), good.links...)
	gap.add("void", `{}`)
	gap.add("void", `{}`)
	_, err = c.Upload(ctx, api.UploadRequest{Links: gap.links[6:]})
	refusedAs(t, err, 409, "journal row 7 sent after row 5")

	fork := &journal{key: tillKey, links: append([]api.Link(nil), good.links[:4]...)}
	fork.add("void", `{"rewritten":true}`)
	fork.add("void", `{}`)
	_, err = c.Upload(ctx, api.UploadRequest{Links: fork.links[5:]})
	refusedAs(t, err, 409, "journal row 6 does not continue row 5")

	keyless := &journal{key: bytes.Repeat([]byte{1}, 32), links: append([]api.Link(nil), good.links...)}
	keyless.add("void", `{}`)
	_, err = c.Upload(ctx, api.UploadRequest{Links: keyless.links[5:]})
	refusedAs(t, err, 409, "does not match its hash with the till's key")

	_, err = c.Upload(ctx, api.UploadRequest{Links: fork.links[4:5]})
	refusedAs(t, err, 409, "journal row 5 differs from the one the head office holds")

	sts, err := h.Server.Status(ctx)
	if err != nil || !strings.Contains(sts[0].LastError, "journal row 5 differs") {
		t.Fatalf("status names the refusal: %+v, %v", sts, err)
	}
	// The till compares its journal with the head office's copy.
	ch, err := c.Chain(ctx)
	if err != nil || !ch.Registered || ch.Anchor.Seq != 1 || ch.Head.Seq != 5 || ch.Head.Hash != j.links[4].Hash {
		t.Fatalf("chain %+v, %v", ch, err)
	}
	if l, err := c.JournalLink(ctx, 3); err != nil || l.Hash != j.links[2].Hash || l.Kind != "no_sale" {
		t.Fatalf("link 3: %+v, %v", l, err)
	}
	_, err = c.JournalLink(ctx, 42)
	refusedAs(t, err, 404, "no journal row 42")
}
