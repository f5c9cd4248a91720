// Package api holds the head office's HTTP/JSON wire types, shared by the server (hq/server) and the
// till's client (hq/client). It imports only the standard library.
package api

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Limits the server enforces; the client keeps its batches within them.
const (
	MaxBody      = 8 << 20 // bytes of one request body
	MaxEnrolBody = 4 << 10 // bytes of an enrolment request, which anyone may send
	MaxBatch     = 1000    // documents in one upload
)

// EnrolPath is where a till trades its one-time enrolment code for its token.
const EnrolPath = "/v1/enrol"

// UploadPath returns the path a till of shop posts its outbox documents to.
func UploadPath(shop string) string { return "/v1/shops/" + url.PathEscape(shop) + "/upload" }

// EnrolRequest carries the one-time code printed by `checkout-hq enrol-code`, and the till's journal key
// (hex): the head office checks every journal link the till uploads with it.
type EnrolRequest struct {
	Code       string `json:"code"`
	JournalKey string `json:"journal_key,omitempty"`
	Head       Head   `json:"head"` // the till's journal head now: the head office anchors its chain there
}

// JournalKeyPath returns where a till enrolled before journal keys registers its key, once.
func JournalKeyPath(shop string) string { return "/v1/shops/" + url.PathEscape(shop) + "/journal-key" }

// JournalKeyRequest registers a till's journal key (hex) with the head office.
type JournalKeyRequest struct {
	JournalKey string `json:"journal_key"`
	Head       Head   `json:"head"`
}

// Chain is what the head office holds of a till's journal: whether its key is registered, the row it
// anchored at, and the last row it holds.
type Chain struct {
	Registered   bool `json:"registered"`
	Anchor, Head Head
}

// JournalPath returns where a till asks for the head office's copy of its journal chain: GET
// JournalPath(shop) gives the head (the last link it holds), ?seq=N the link N.
func JournalPath(shop string) string { return "/v1/shops/" + url.PathEscape(shop) + "/journal" }

// Link is one row of a till's journal as the head office keeps it: enough to check the chain with the
// till's key (hash = HMAC(key, prev_hash, seq, at, kind, payload)) and the documents against their rows.
type Link struct {
	Seq      int64  `json:"seq"`
	At       string `json:"at"`
	Kind     string `json:"kind"`
	Payload  string `json:"payload"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// Head is the last link of a till's journal the head office holds; Seq 0 for none.
type Head struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// EnrolReply is the till's identity at the head office. Token is shown once: the server keeps only its
// SHA-256. It goes in the Authorization header as "Bearer TOKEN".
type EnrolReply struct {
	Token string `json:"token"`
	Shop  string `json:"shop"`
	Till  string `json:"till"`
}

// Document is one outbox row of a till: a sale, refund, top-up, stock movement, shift or cash movement, or
// Z report, its body in the format of app/document. ID is its UUID and the idempotency key: the head
// office stores each ID once per shop.
type Document struct {
	ID      string          `json:"id"`
	Kind    string          `json:"kind"`
	Version int             `json:"v,omitempty"` // the body's format (document.Version); 0 from tills before it was sent
	Seq     int64           `json:"seq"`         // the till's journal sequence: documents of a batch come in this order
	At      time.Time       `json:"at"`
	Body    json.RawMessage `json:"body"`
}

// UploadRequest is a batch of documents in the till's order. Pending is how many documents the till
// holds unsent, this batch included, Oldest when the oldest of them was made, and LastError the till's
// last failure to sync: the head office shows them per till, so a stuck till is seen from the office.
//
// Links continue the till's journal from the head office's head, in order, every row of it (not only
// those with a document): a document is believed only with its row in the chain.
type UploadRequest struct {
	Pending   int64      `json:"pending"`
	Oldest    time.Time  `json:"oldest,omitzero"`
	LastError string     `json:"last_error,omitempty"`
	Links     []Link     `json:"links,omitempty"`
	Documents []Document `json:"documents"`
}

// UploadReply acknowledges every document of the batch: Stored were new, Duplicates were there already
// (a retry after a lost reply); both are safe to mark sent. Rejected failed the head office's checks: it
// keeps them apart, with the reason, and never counts them; the till must not send them again.
//
// Head is the head office's head of the till's journal after the batch.
type UploadReply struct {
	Stored     []string    `json:"stored"`
	Duplicates []string    `json:"duplicates"`
	Rejected   []Rejection `json:"rejected"`
	Head       Head        `json:"head"`
}

// Rejection is a document the head office refused to believe, and why.
type Rejection struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Error is the body of every non-2xx reply.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"` // stable: "unauthorized", "forbidden", "bad_request", "too_large", "taken", …
	Message string `json:"error"`
	// ClaimedBy names the till that has a parked cart, when a claim of it is refused (code "taken").
	ClaimedBy string `json:"claimed_by,omitempty"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("head office: %s (%d %s)", e.Message, e.Status, e.Code)
}

// Permanent reports whether retrying the same request cannot succeed: the till must be fixed or
// re-enrolled. Server errors and timeouts are worth retrying.
func (e *Error) Permanent() bool {
	return e.Status >= 400 && e.Status < 500 && e.Status != 408 && e.Status != 429
}

// ChangesPath returns the path a till of shop gets the head office's changes from: GET
// ChangesPath(shop)?after=N[&limit=M] returns the shop's products and members changed after sequence N.
func ChangesPath(shop string) string { return "/v1/shops/" + url.PathEscape(shop) + "/changes" }

// PriceUnitsParam is the query parameter (=1) of a till that reads Product.PriceUnit. A till that does
// not send it (one from before price units, which would ignore the field and price per kilogram) gets a
// product priced per 斤 or per 100 g as its price per kilogram instead, ×2 or ×10: exact, and it charges
// every weight the same to the fen (p × g / 500 is 2p × g / 1000), only labelled /kg.
const PriceUnitsParam = "price_units"

// MaxChanges is the most rows one page of changes holds (and the default page size).
const MaxChanges = 1000

// MaxPage bounds the JSON of the rows of one page of changes: well within what a till reads (MaxBody).
const MaxPage = MaxBody / 2

// Product is a product of the head office's catalog for a shop, as the till's catalog file has it.
// Money is decimal text in the shop's currency; ReorderPoint is in thousandths of the unit.
type Product struct {
	SKU        string   `json:"sku"`
	Barcodes   []string `json:"barcodes"`
	Name       string   `json:"name"`
	NameZH     string   `json:"name_zh"`
	Category   string   `json:"category"`
	CategoryZH string   `json:"category_zh"` // the category's Chinese name, "" for none
	Unit       string   `json:"unit"`
	// PriceUnit is what Price is for when not the unit: "jin" (500 g) or "100g" for a product sold by
	// weight; omitted for per piece and per kg, so pages for older tills read as before. A till refuses a
	// page with a unit or price unit it does not know, rather than price a product per the wrong amount.
	PriceUnit    string `json:"price_unit,omitempty"`
	Price        string `json:"price"`
	Cost         string `json:"cost"`
	ReorderPoint int64  `json:"reorder_point"`
	TaxClass     string `json:"tax_class"`
	Active       bool   `json:"active"`
	Seq          int64  `json:"seq"`
}

// Member is a member of a shop as the head office knows them. Prepaid (decimal text) and Points are
// authoritative: what every till's documents sum to. Prepaid is negative when tills spent the same money
// offline (a conflict the head office reports).
type Member struct {
	Number  string `json:"number"`
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Tier    string `json:"tier"`
	Prepaid string `json:"prepaid"`
	Points  int64  `json:"points"`
	Seq     int64  `json:"seq"`
}

// Changes is one page of a shop's changes, in sequence order. Next is the highest sequence the page
// covers: the till asks for after=Next next time. More says the page was full, so more may wait.
type Changes struct {
	Products []Product `json:"products"`
	Members  []Member  `json:"members"`
	Next     int64     `json:"next"`
	More     bool      `json:"more"`
	// Promotions are the shop's promotions changed after the sequence in ?promotions_after= (at most
	// MaxPromotions, in sequence order), and PromotionsNext the highest sequence they cover. A till that
	// does not ask (one from before promotions) gets none, and keeps working on the rest; promotions have
	// a mark of their own so that such a till, upgraded, reads them all from 0. More covers them too.
	Promotions     []Promotion `json:"promotions,omitempty"`
	PromotionsNext int64       `json:"promotions_next,omitempty"`
}

// MaxPromotions is the most promotions one page of changes holds.
const MaxPromotions = 100

// Promotion is a promotion the owner set for a shop at the head office. Rule is the rule as the till's
// promotion files have it (app/promo.Rule's JSON; its ID is the head office's, ID here); the till keeps
// its own id for it. CouponLimit is the uses of its coupon every till together may make (0: no limit),
// CouponTillLimit each till's offline allowance (0: CouponLimit's).
type Promotion struct {
	ID              int64           `json:"id"`
	Active          bool            `json:"active"`
	Rule            json.RawMessage `json:"rule"`
	CouponLimit     int64           `json:"coupon_limit,omitempty"`
	CouponTillLimit int64           `json:"coupon_till_limit,omitempty"`
	Seq             int64           `json:"seq"`
}

// CartsPath returns where a till of shop offers a parked cart (POST, a document.Cart) and lists the
// shop's carts other tills parked and nobody has claimed yet (GET, Carts).
func CartsPath(shop string) string { return "/v1/shops/" + url.PathEscape(shop) + "/carts" }

// ClaimPath returns where a till claims the parked cart id of shop (POST, no body): 200 with the cart
// when it is now the till's (or was already), 409 "taken" naming the till that has it, 404 "not_found".
func ClaimPath(shop, id string) string { return CartsPath(shop) + "/" + url.PathEscape(id) + "/claim" }

// MaxCartBody bounds the JSON of one parked cart.
const MaxCartBody = 512 << 10

// MaxCarts is the most carts one list holds: the newest unclaimed ones.
const MaxCarts = 100

// CartsListed bounds the age of the carts a list holds, by when they were parked: a shopper comes back for
// a parked cart the same trading day or not at all, and the carts of shoppers long gone would otherwise
// crowd out the ones a cashier is looking for.
const CartsListed = 12 * time.Hour

// CartsKept is how long the head office keeps a cart after it was last offered or claimed: long after it
// is listed, so that a late retry of an offer or a claim (a till back after days offline) is still told
// "taken" rather than taken for a new cart.
const CartsKept = 7 * 24 * time.Hour

// Carts lists parked carts of the shop, newest first, each a document.Cart.
type Carts struct {
	Carts []json.RawMessage `json:"carts"`
}

// MemberUsePath returns where a till says it is using a member's account now (POST, a MemberUseRequest):
// the reply (MemberUses) lists the other tills of the shop that used it in the last MemberUseWindow.
func MemberUsePath(shop string) string { return "/v1/shops/" + url.PathEscape(shop) + "/member-uses" }

// MemberUseWindow is how far back a MemberUses reply looks: the guard's shared-account rule looks minutes back.
const MemberUseWindow = time.Hour

// MemberUseRequest names the member whose account the till is using.
type MemberUseRequest struct {
	Member string `json:"member"`
}

// MemberUses are the other tills' latest uses of a member's account, most recent first, each as long ago
// as the head office's clock says, so the tills' clocks do not matter.
type MemberUses struct {
	Uses []MemberUse `json:"uses"`
}

// MemberUse is one till's latest use of the account.
type MemberUse struct {
	Till       string `json:"till"`
	SecondsAgo int64  `json:"seconds_ago"`
}

// A till names its release in every request's User-Agent, "checkout/1.2.3": the head office keeps it
// per till, for the owner's list of tills. The product name is fixed; the version is at most
// MaxVersion characters of letters, digits and . + - _ ~.
const (
	AgentProduct = "checkout"
	MaxVersion   = 40
)

// UserAgent is the User-Agent a till of release version sends; "" for a version that TillVersion would
// not take (a build without one sends Go's own).
func UserAgent(version string) string {
	if !validVersion(version) {
		return ""
	}
	return AgentProduct + "/" + version
}

// TillVersion reads a till's release from its User-Agent: the version of the first product token when
// it is "checkout/VERSION" and VERSION is valid, else "". The header is the till's claim, never trusted
// beyond being shown.
func TillVersion(userAgent string) string {
	token, _, _ := strings.Cut(userAgent, " ")
	name, version, ok := strings.Cut(token, "/")
	if !ok || name != AgentProduct || !validVersion(version) {
		return ""
	}
	return version
}

func validVersion(v string) bool {
	if v == "" || len(v) > MaxVersion {
		return false
	}
	for _, r := range v {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || strings.ContainsRune(".+-_~", r)) {
			return false
		}
	}
	return true
}

// StockAlertsPath returns where a till of shop puts its low-stock list (PUT, a document.StockAlerts): it
// replaces the list the till put before. The reply is a StockAlertsReply.
func StockAlertsPath(shop string) string {
	return "/v1/shops/" + url.PathEscape(shop) + "/stock-alerts"
}

// MaxStockAlertsBody bounds the JSON of one low-stock list: document.MaxStockAlerts products with names
// of document.MaxText characters fit.
const MaxStockAlertsBody = 2 << 20

// StockAlertsReply is the head office's acknowledgement of a low-stock list: how many products it keeps.
type StockAlertsReply struct {
	Products int `json:"products"`
}
