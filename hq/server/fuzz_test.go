package server

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"checkout/hq/api"
)

// FuzzUpload: any body a till (or anyone) posts is either refused with a clear 4xx error before anything
// is stored, or is a batch of distinct documents in a rising sequence (each then believed or rejected
// on its own).
func FuzzUpload(f *testing.F) {
	f.Add([]byte(`{"documents":[{"id":"6f1c2b1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","kind":"sale","seq":1,"at":"2026-11-30T09:00:00Z",` +
		`"body":{"id":"6f1c2b1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f","receipt_no":"T01-000001","completed_at":"2026-11-30T09:00:00.000000Z",` +
		`"currency":"CNY","total":"3.00","tenders":[{"kind":"cash","amount":"3.00"}]}}]}`))
	f.Add([]byte(`{"documents":[]}`))
	f.Add([]byte(`{"documents":[{"id":"x","kind":"zreport","seq":0}]} trailing`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/v1/upload", bytes.NewReader(body))
		var req api.UploadRequest
		if e := decode(w, r, &req, api.MaxBody); e != nil {
			if e.Status < 400 || e.Status > 499 || e.Message == "" {
				t.Fatalf("refusal %+v", e)
			}
			return
		}
		if e := validate(&req); e != nil {
			if e.Status < 400 || e.Status > 499 || e.Message == "" {
				t.Fatalf("refusal %+v", e)
			}
			return
		}
		seen := map[string]bool{}
		for i, d := range req.Documents {
			if seen[d.ID] || d.Seq <= 0 || (i > 0 && d.Seq <= req.Documents[i-1].Seq) {
				t.Fatalf("accepted document %d: %+v", i, d)
			}
			seen[d.ID] = true
		}
	})
}
