package document

// Sale is a completed sale: every stored column of it, its lines and tenders.
type Sale struct {
	ID          string   `json:"id"`
	Till        string   `json:"till"`
	Number      int64    `json:"number"`
	ReceiptNo   string   `json:"receipt_no"`
	OpenedAt    string   `json:"opened_at"`
	CompletedAt string   `json:"completed_at"`
	Currency    string   `json:"currency"`
	TaxMode     string   `json:"tax_mode"`
	Subtotal    string   `json:"subtotal"`
	Discount    string   `json:"discount"`
	Tax         string   `json:"tax"`
	Total       string   `json:"total"`
	Rounding    string   `json:"rounding"`
	ItemCount   int64    `json:"item_count"`
	Paid        string   `json:"paid"`
	Change      string   `json:"change"`
	Lines       []Line   `json:"lines"`
	Tenders     []Tender `json:"tenders"`
	Member      *Member  `json:"member,omitempty"`  // omitted for no member, so older sales keep their digest
	Cashier     string   `json:"cashier,omitempty"` // omitted for sales made before users, likewise
	// SignatureSHA256 is the digest of the shopper's signature on a card payment (signature.Signature.Digest);
	// omitted for unsigned sales, so their digest stays.
	SignatureSHA256 string `json:"signature_sha256,omitempty"`
	// Coupons are the coupon codes the sale used (presented at the till), in the order presented; omitted
	// for none, so older sales keep their digest. The head office counts them against the coupons' limits.
	Coupons []string `json:"coupons,omitempty"`
}

// Member is the member a sale or refund was for, with the points it earned (a refund: took back, as a
// negative number) and redeemed.
type Member struct {
	Number         string `json:"number"`
	PointsEarned   int64  `json:"points_earned"`
	PointsRedeemed int64  `json:"points_redeemed"`
}

// Line is one line of a sale. Qty is as the cashier reads it: whole pieces, or kilograms to the gram.
type Line struct {
	ProductID int64  `json:"product_id"`
	SKU       string `json:"sku"`
	Name      string `json:"name"`
	NameZH    string `json:"name_zh,omitempty"`
	Qty       string `json:"qty"`
	Unit      string `json:"unit"`
	UnitPrice string `json:"unit_price"`
	// PriceUnit is what UnitPrice is for when not the unit: "jin" (500 g) or "100g". Omitted otherwise,
	// so the lines of products priced per piece or kilogram keep their digest.
	PriceUnit string `json:"price_unit,omitempty"`
	Gross     string `json:"gross"`
	Discount  string `json:"discount"`
	Total     string `json:"total"`
	TaxClass  string `json:"tax_class"`
	TaxRateBP int64  `json:"tax_rate_bp"`
	Tax       string `json:"tax"`
	// Promotions are the savings the shop's promotions gave the line, included in Discount; omitted for
	// none, so sales before promotions keep their digest.
	Promotions []Promotion `json:"promotions,omitempty"`
}

// Promotion is what one promotion (the till's rule id, and its names as sold) took off a line.
type Promotion struct {
	Rule   int64  `json:"rule"`
	Name   string `json:"name"`
	NameZH string `json:"name_zh,omitempty"`
	Amount string `json:"amount"`
}

// Tender is one payment of a sale, or how a refund's money went back. Its payment details are omitted
// when empty, so a cash tender reads as it did before they existed and older sales keep their digest.
type Tender struct {
	Kind      string `json:"kind"`
	Amount    string `json:"amount"`
	Tendered  string `json:"tendered"`
	Change    string `json:"change"`
	Reference string `json:"reference,omitempty"`
	Approval  string `json:"approval,omitempty"`
	CardLast4 string `json:"card_last4,omitempty"`
	Wallet    string `json:"wallet,omitempty"`
}

// SaleEntry is what the journal records of a sale: enough to read at a glance, and the digest of the
// sale's document, which binds every stored row of it to the hash chain.
type SaleEntry struct {
	ID        string `json:"id"`
	ReceiptNo string `json:"receipt_no"`
	Total     string `json:"total"`
	Currency  string `json:"currency"`
	Lines     int    `json:"lines"`
	DocSHA256 string `json:"doc_sha256"`
}
