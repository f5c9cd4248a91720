package document

// Refund is money given back against a sale: every stored column of it and its lines.
type Refund struct {
	ID          string       `json:"id"`
	Till        string       `json:"till"`
	Number      int64        `json:"number"`
	ReceiptNo   string       `json:"receipt_no"`
	SaleReceipt string       `json:"sale_receipt_no"`
	At          string       `json:"at"`
	Currency    string       `json:"currency"`
	Reason      string       `json:"reason"`
	Total       string       `json:"total"`
	Tax         string       `json:"tax"`
	Rounding    string       `json:"rounding"`
	Tender      Tender       `json:"tender"`
	Lines       []RefundLine `json:"lines"`
	Member      *Member      `json:"member,omitempty"`      // the points taken back; omitted for no member
	Cashier     string       `json:"cashier,omitempty"`     // omitted for refunds made before users
	ApprovedBy  string       `json:"approved_by,omitempty"` // the supervisor who approved a cashier's refund
	// SignatureSHA256 is the digest of the shopper's signature (signature.Signature.Digest: SHA-256 of
	// its strokes' JSON, lower-case hex); omitted for a refund not signed for.
	SignatureSHA256 string `json:"signature_sha256,omitempty"`
}

// RefundLine is part or all of one line of the sale refunded.
type RefundLine struct {
	LineNo int    `json:"line_no"`
	Qty    int64  `json:"qty"`
	Total  string `json:"total"`
	Tax    string `json:"tax"`
}

// RefundEntry is what the journal records of a refund.
type RefundEntry struct {
	ID          string `json:"id"`
	ReceiptNo   string `json:"receipt_no"`
	SaleReceipt string `json:"sale_receipt_no"`
	Total       string `json:"total"`
	Tender      string `json:"tender"`
	Currency    string `json:"currency"`
	DocSHA256   string `json:"doc_sha256"`
	// SignatureSHA256 is the shopper's signature's digest, as in the document; omitted when unsigned.
	SignatureSHA256 string `json:"signature_sha256,omitempty"`
}
