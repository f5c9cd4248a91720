// Package document is the format of what a till sends its head office: one type per kind of document
// (sale, refund, top-up, stock movement, shift opening and close, cash movement, Z report), the journal
// entries that bind them to the till's hash chain, and the checks a document must pass before the head
// office believes it. The till's store writes these types and the head office reads them; nothing else
// declares them. It imports only the standard library and app/money.
//
// Money is decimal text in the document's currency, so a document is exact and readable. A document's
// JSON is what its journal entry's doc_sha256 is taken of: field order and names are part of the format,
// and a field added later is omitted when empty so that older documents keep their digest.
package document

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Version is the format of the documents in this package; an upload names it, and the head office reads
// what it knows. Version 1 is the format tills wrote before the version was sent.
const Version = 2

// Kinds of document.
const (
	KindSale       = "sale"
	KindRefund     = "refund"
	KindTopUp      = "topup"
	KindStock      = "stock"
	KindShiftOpen  = "shift_open"
	KindCashIn     = "cash_in"
	KindCashOut    = "cash_out"
	KindShiftClose = "shift_close"
	KindZReport    = "zreport"
	KindAlarm      = "alarm"
)

// Kinds returns the kinds of document a till uploads, in no particular order: a new slice each time, so
// no caller can change another's.
func Kinds() []string {
	return []string{KindSale, KindRefund, KindTopUp, KindStock, KindShiftOpen, KindCashIn, KindCashOut, KindShiftClose, KindZReport,
		KindAlarm}
}

// Digest returns the hex SHA-256 of a document's JSON: what a journal entry holds to bind the rows the
// document was built from to the hash chain. Documents are plain strings and numbers, so marshalling
// cannot fail.
func Digest(doc any) string {
	b, _ := json.Marshal(doc)
	return DigestJSON(b)
}

// DigestJSON returns the hex SHA-256 of a document already encoded.
func DigestJSON(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}
