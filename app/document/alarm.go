package document

// Alarm is an action a till's guard stopped for a supervisor (journal kind "alarm", app.Alarm): the
// journal entry is the document, uploaded so the head office sees the shop's alarms as they happen.
type Alarm struct {
	ID      string `json:"id"`
	Till    string `json:"till"`
	Rule    string `json:"rule"` // app.AlarmKind
	Cashier string `json:"cashier"`
	At      string `json:"at"`
	// The rate rules': events in the window with this one, the person's sales in it, their usual rate
	// per 100 sales in basis points.
	Count       int64 `json:"count,omitempty"`
	Sales       int64 `json:"sales,omitempty"`
	UsualRateBP int64 `json:"usual_rate_bp,omitempty"`
	// The line rules': the product, its price then and its cost or catalog price.
	SKU      string `json:"sku,omitempty"`
	Price    string `json:"price,omitempty"`
	Other    string `json:"other,omitempty"`
	Currency string `json:"currency,omitempty"`
	// The shared-account rule's: the member, the other till that used their account, and how long before.
	Member     string `json:"member,omitempty"`
	OtherTill  string `json:"other_till,omitempty"`
	SecondsAgo int64  `json:"seconds_ago,omitempty"`
	// Action is what the approval of a supervisor names (journal "override").
	Action string `json:"action"`
}

// AlarmRules are the rules an alarm may name.
var AlarmRules = []string{"refunds", "voids_after_payment", "no_sales", "discounts", "below_cost", "price_change", "shared_account"}
