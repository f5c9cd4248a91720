package app

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"checkout/app/money"
	"checkout/app/signature"
)

// Member is a shop's loyalty member: who they are, their points and their prepaid balance.
type Member struct {
	ID       int64
	Number   string // printed on the member's barcode card: the shop's member prefix and digits, "M000123"
	Name     string
	Phone    string
	Tier     string // "" is the standard tier; others earn points at Loyalty.Tiers' rate
	Birthday string // YYYY-MM-DD or ""
	Notes    string
	Points   int64
	Balance  money.Amount // prepaid stored value
	Cards    []MemberCard
	// PINHash is the hash of the PIN that guards paying from the account (PINs.Hash); "" for none. Wrong
	// ones lock it as they lock a user (AccountPINs).
	PINHash string
	PINLock
	// HQKnown says the head office has told this till of the member (a down-sync); HQBalance is the
	// prepaid balance it said, negative when tills overdrew the card offline.
	HQKnown   bool
	HQBalance money.Amount
	// SpentSinceHQ is the prepaid value this till took from the member since that down-sync (or ever,
	// before the first): what the offline limit counts.
	SpentSinceHQ money.Amount
	// Consent is the member's signed consent to the shop keeping their details, given when they were
	// first stored (Settings.ConsentSigned); written with them, not read back with every lookup.
	Consent signature.Signature
}

// MemberCard is a card that identifies a member. Token is what the store keys it by: a contactless card's
// UID, or the keyed hash of a magnetic-stripe card's number (never the number). Label is what the owner
// sees: the UID, or the masked number.
type MemberCard struct {
	Token   string
	Label   string
	Blocked bool
}

// Members keeps members, their cards and their ledger; the store implements it.
type Members interface {
	// MemberByCard finds the member a card belongs to: ErrUnknownMember if none, ErrCardBlocked if the
	// card was blocked (lost or replaced).
	MemberByCard(ctx context.Context, token string) (Member, error)
	// MemberByNumber finds a member by the number on their barcode card.
	MemberByNumber(ctx context.Context, number string) (Member, error)
	// FindMembers finds members by phone (any part of it), name or number.
	FindMembers(ctx context.Context, query string, limit int) ([]Member, error)
	// SaveMember creates the member (ID 0, a number is assigned) or updates their details; points,
	// balance and cards are never set here. It returns the member as stored.
	SaveMember(ctx context.Context, m Member, at time.Time) (Member, error)
	// AddCard gives the member a card; a card another member has fails with ErrCardInUse.
	AddCard(ctx context.Context, memberID int64, card MemberCard, at time.Time) error
	// BlockCard blocks a lost card: it no longer finds the member.
	BlockCard(ctx context.Context, token string, at time.Time) error
	// SetPIN sets (or, with "", removes) the hash of the PIN that guards paying from the member's account
	// and clears its wrong PINs; it is journaled with by, who set it.
	SetPIN(ctx context.Context, memberID int64, pinHash, by string, at time.Time) error
	// RecordMemberPINs stores a member's count of wrong PINs and lock, and their PIN hash if the stored one
	// is still checked (a PIN changed meanwhile stays); a lock is journaled.
	RecordMemberPINs(ctx context.Context, m Member, checked string, at time.Time) error
	// UnlockPIN clears the member's wrong PINs and lock, journaled with who did it and who approved.
	UnlockPIN(ctx context.Context, memberID int64, by, approver string, at time.Time) error
	// CommitTopUp stores a top-up with its ledger rows, journal entry and outbox row in one transaction.
	CommitTopUp(ctx context.Context, t *TopUp) error
}

// CheckMember checks a member's details before they are saved, by the till's member dialog or the head
// office's member-set: every field is bounded text without control characters (checkText).
func CheckMember(m Member) (Member, error) {
	m.Name, m.Phone = strings.TrimSpace(m.Name), strings.TrimSpace(m.Phone)
	m.Tier, m.Birthday, m.Notes = strings.TrimSpace(m.Tier), strings.TrimSpace(m.Birthday), strings.TrimSpace(m.Notes)
	if m.Name == "" {
		return m, fmt.Errorf("%w: a member needs a name", ErrInvalidMember)
	}
	for _, f := range []struct {
		name, value string
		max         int
	}{{"name", m.Name, maxNameRunes}, {"phone", m.Phone, maxCodeRunes}, {"tier", m.Tier, maxCodeRunes},
		{"birthday", m.Birthday, maxCodeRunes}, {"notes", m.Notes, maxNoteRunes}} {
		if err := checkText(f.name, f.value, f.max); err != nil {
			return m, fmt.Errorf("%w: %w", ErrInvalidMember, err)
		}
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if r == ' ' || r == '-' || r == '+' {
			return -1
		}
		return 'x'
	}, m.Phone)
	if strings.Contains(digits, "x") || (m.Phone != "" && (len(digits) < 5 || len(digits) > 15)) {
		return m, fmt.Errorf("%w: phone %q: 5 to 15 digits", ErrInvalidMember, m.Phone)
	}
	m.Phone = digits
	if m.Birthday != "" {
		if _, err := time.Parse(time.DateOnly, m.Birthday); err != nil {
			return m, fmt.Errorf("%w: birthday %q: YYYY-MM-DD", ErrInvalidMember, m.Birthday)
		}
	}
	return m, nil
}

// NormalizeMemberNumber is number as members are kept and looked up, on the tills and at the head office:
// without surrounding space and in upper case, so " m000001" is M000001.
func NormalizeMemberNumber(number string) string { return strings.ToUpper(strings.TrimSpace(number)) }

// memberNumberPattern is a member number: the shop's prefix (up to 8 letters, '-' or '_') and 6 to 20
// digits, as the tills number members and read them from a card (barcode.Rules.MemberPrefix).
var memberNumberPattern = regexp.MustCompile(`^[A-Z_-]{0,8}[0-9]{6,20}$`)

// CheckMemberNumber returns number normalised (NormalizeMemberNumber), or an error wrapping
// ErrInvalidMember when it is not a member number.
func CheckMemberNumber(number string) (string, error) {
	n := NormalizeMemberNumber(number)
	if !memberNumberPattern.MatchString(n) {
		return "", fmt.Errorf("%w: number %q: a prefix of up to 8 letters and 6 to 20 digits, such as M000123", ErrInvalidMember, n)
	}
	return n, nil
}

// Loyalty is how members earn and spend points, and the bonus on prepaid top-ups.
type Loyalty struct {
	// PointsPerUnit is the points a member earns per major unit of the currency spent, in thousandths
	// (1000: a point per ¥1).
	PointsPerUnit int64
	// PointValue is what one point pays when redeemed, in minor units (1: ¥0.01).
	PointValue int64
	// Exclude lists the product categories that earn no points (tobacco, gift cards, …).
	Exclude []string
	// Tiers maps a member tier to its earning rate in percent (gold: 150).
	Tiers map[string]int64
	// BonusSteps give bonus stored value for a top-up of at least Min; the largest step reached applies.
	BonusSteps []BonusStep
	// OfflineLimit caps, in minor units, the prepaid value a card may spend at this till while the till
	// is offline from its head office, counted since its last down-sync; 0: no cap beyond the balance.
	OfflineLimit int64
}

// BonusStep is a top-up bonus: a top-up of at least Min (minor units) gets Bonus more.
type BonusStep struct{ Min, Bonus int64 }

// DefaultLoyalty earns a point per unit of currency; a point pays a hundredth of one.
func DefaultLoyalty() Loyalty { return Loyalty{PointsPerUnit: 1000, PointValue: 1} }

// MemberOnSale is the member a sale was made for, with the points it earned and spent.
type MemberOnSale struct {
	ID             int64
	Number         string
	PointsEarned   int64
	PointsRedeemed int64
}

// Tender kinds paid from a member's account.
const (
	// TenderPrepaid pays from the member's prepaid stored value.
	TenderPrepaid TenderKind = "prepaid"
	// TenderPoints pays with the member's points at Loyalty.PointValue.
	TenderPoints TenderKind = "points"
)

// SetMember attaches a member to the sale in progress: they earn its points and may pay from their
// account. Another member replaces them, unless their account already pays part of the sale.
func (c *Checkout) SetMember(m Member) error {
	if c.member != nil && c.member.ID != m.ID && c.paidFromAccount() {
		return fmt.Errorf("%w: %s's account already pays part of this sale", ErrInvalidMember, c.member.Number)
	}
	if c.member == nil || c.member.ID != m.ID {
		c.pinOK = false
	}
	c.member = &m
	if len(c.tenders) == 0 { // once payment has begun the total holds; member prices come before it
		c.cart.setMember(m.Tier)
	}
	c.kept()
	return nil
}

// guardAccount applies the guard's shared-account rule to the member's account paying this sale, once per
// sale and member: a second payment from it asks nobody again. Before the PIN is in, or offline, it waits.
func (c *Checkout) guardAccount(ctx context.Context) error {
	if c.member == nil || c.NeedsPIN() || c.accountGuarded == c.member.Number || c.offline != nil && c.offline() {
		return nil
	}
	if err := c.guard.CheckAccount(ctx, c.session, c.member.Number); err != nil {
		return err
	}
	c.accountGuarded = c.member.Number
	return nil
}

// NeedsPIN reports whether paying from the member's account still needs their PIN (AccountPINs.Enter).
func (c *Checkout) NeedsPIN() bool { return c.member != nil && c.member.PINHash != "" && !c.pinOK }

// Member returns the member on the sale in progress; ok is false when there is none.
func (c *Checkout) Member() (m Member, ok bool) {
	if c.member == nil {
		return Member{}, false
	}
	return *c.member, true
}

func (c *Checkout) paidFromAccount() bool {
	return slices.ContainsFunc(c.tenders, func(t Tender) bool { return t.Kind == TenderPrepaid || t.Kind == TenderPoints })
}

// usedFromAccount is what the sale's tenders already take of the member's balance and points.
func (c *Checkout) usedFromAccount() (balance money.Amount, points int64) {
	balance = money.Zero(c.settings.Currency)
	for _, t := range c.tenders {
		switch t.Kind {
		case TenderPrepaid:
			balance = balance.Add(t.Amount)
		case TenderPoints:
			points += t.Points
		}
	}
	return balance, points
}

// AccountLeft is what the member's balance and points have left for this sale, after its tenders so far.
func (c *Checkout) AccountLeft() (balance money.Amount, points int64) {
	if c.member == nil {
		return money.Zero(c.settings.Currency), 0
	}
	used, usedPoints := c.usedFromAccount()
	return c.member.Balance.Sub(used), c.member.Points - usedPoints
}

// PayPrepaid pays amount from the member's prepaid balance. The store checks the balance again when the
// sale commits, so two tills can never spend the same money.
func (c *Checkout) PayPrepaid(amount money.Amount) (Tender, error) {
	if c.member == nil {
		return Tender{}, ErrNoMember
	}
	if c.NeedsPIN() {
		return Tender{}, ErrPINRequired
	}
	if err := c.CheckNonCash(amount); err != nil {
		return Tender{}, err
	}
	used, _ := c.usedFromAccount()
	if left := c.member.Balance.Sub(used); amount.Cmp(left) > 0 {
		return Tender{}, fmt.Errorf("%w: %s left, %s asked", ErrInsufficientBalance, left, amount)
	}
	if c.offline != nil && c.offline() {
		if err := CheckOfflineSpend(*c.member, used.Add(amount), c.settings.Loyalty.OfflineLimit); err != nil {
			return Tender{}, err
		}
	}
	return c.take(Tender{Kind: TenderPrepaid, Amount: amount, Tendered: amount, Change: money.Zero(amount.Currency()),
		Reference: c.member.Number}), nil
}

// RedeemPoints pays with up to points of the member's points, never more than is due: it returns the
// tender with the points it used.
func (c *Checkout) RedeemPoints(points int64) (Tender, error) {
	if c.member == nil {
		return Tender{}, ErrNoMember
	}
	if c.NeedsPIN() {
		return Tender{}, ErrPINRequired
	}
	value := c.settings.Loyalty.PointValue
	_, used := c.usedFromAccount()
	if left := c.member.Points - used; points > left {
		return Tender{}, fmt.Errorf("%w: %d left, %d asked", ErrInsufficientPoints, left, points)
	}
	due := c.Due()
	if points <= 0 || value <= 0 {
		return Tender{}, fmt.Errorf("%w: %d points", ErrInvalidAmount, points)
	}
	// Only as many points as the amount due needs: a point is never split.
	if need := (due.Minor() + value - 1) / value; points > need {
		points = need
	}
	amount := money.New(min(points*value, due.Minor()), c.settings.Currency)
	if err := c.CheckNonCash(amount); err != nil {
		return Tender{}, err
	}
	return c.take(Tender{Kind: TenderPoints, Amount: amount, Tendered: amount, Change: money.Zero(amount.Currency()),
		Reference: c.member.Number, Points: points}), nil
}

// PointsEarned is what a sale earns its member: Loyalty.PointsPerUnit for each whole unit of currency
// paid for products in earning categories, less what points paid, times the member's tier rate, rounded
// down. Points paid with points earn nothing.
func PointsEarned(l Loyalty, tier string, lines []Line, tenders []Tender) int64 {
	var eligible int64
	for _, line := range lines {
		if !slices.Contains(l.Exclude, line.Product.Category) {
			eligible += line.Total.Minor()
		}
	}
	for _, t := range tenders {
		if t.Kind == TenderPoints {
			eligible -= t.Amount.Minor()
		}
	}
	if eligible <= 0 || len(lines) == 0 {
		return 0
	}
	rate := int64(100)
	if r, ok := l.Tiers[tier]; ok && tier != "" {
		rate = r
	}
	unit := lines[0].Total.Currency().MinorPerMajor()
	// eligible/unit units × PointsPerUnit/1000 points × rate/100, floored once at the end.
	points, ok := money.MulDivFloor(eligible, l.PointsPerUnit*rate, unit*1000*100)
	if !ok {
		return 0
	}
	return max(points, 0)
}

// TopUp is prepaid value added to a member's account, paid for in cash, by card or by QR.
type TopUp struct {
	ID     string // UUID, the sync idempotency key
	Till   string
	Member Member
	Amount money.Amount // what the customer paid
	Bonus  money.Amount // added on top by the shop's bonus rule
	PaidBy Tender
	At     time.Time
	User   string
	// Receipt ("T01-P000007") and Balance, the member's prepaid balance after it, are set by CommitTopUp.
	Receipt string
	Balance money.Amount
	// Signature is the shopper's, for a top-up the shop wants signed (Settings.TopUpSigned); empty when
	// none was asked.
	Signature signature.Signature
}

// TopUpNo formats a till's top-up number n as printed: "T01-P000007".
func TopUpNo(till string, n int64) string { return fmt.Sprintf("%s-P%06d", till, n) }

// TopUpBonus is the bonus a top-up of amount earns by the shop's rule.
func (l Loyalty) TopUpBonus(amount money.Amount) money.Amount {
	bonus := int64(0)
	for _, s := range l.BonusSteps {
		if amount.Minor() >= s.Min && s.Bonus > bonus {
			bonus = s.Bonus
		}
	}
	return money.New(bonus, amount.Currency())
}

// maxTopUp is the largest single top-up, in major units: more is almost certainly a slip.
const maxTopUp = 10_000

// NewTopUp prepares a top-up of amount for m, paid by paidBy (cash, card or QR; a cash tender may hand
// over more and get change). CommitTopUp stores it.
func NewTopUp(s Settings, m Member, amount money.Amount, paidBy Tender, user string, at time.Time) (*TopUp, error) {
	switch {
	case m.ID == 0:
		return nil, ErrNoMember
	case amount.Currency() != s.Currency || amount.Minor() <= 0 || amount.Minor() > maxTopUp*s.Currency.MinorPerMajor():
		return nil, fmt.Errorf("%w: top-up %s", ErrInvalidAmount, amount)
	case paidBy.Kind != TenderCash && paidBy.Kind != TenderCard && paidBy.Kind != TenderQR:
		return nil, fmt.Errorf("%w: a top-up is paid in cash, by card or by QR, not %s", ErrInvalidAmount, paidBy.Kind)
	}
	if paidBy.Kind == TenderCard {
		approval, err := checkCardDetails(paidBy.Approval, paidBy.CardLast4)
		if err != nil {
			return nil, err
		}
		paidBy.Approval = approval
	}
	paidBy.Amount = amount
	if paidBy.Tendered.IsZero() {
		paidBy.Tendered = amount
	}
	change, err := ChangeFor(amount, paidBy.Tendered)
	if err != nil {
		return nil, err
	}
	if paidBy.Kind != TenderCash && !change.IsZero() {
		return nil, fmt.Errorf("%w: only cash has change", ErrOverpaid)
	}
	if paidBy.Kind == TenderCash {
		if err := s.CashRounding.check(amount, paidBy.Tendered); err != nil {
			return nil, err
		}
	}
	paidBy.Change = change
	return &TopUp{ID: NewID(), Till: s.Till, Member: m, Amount: amount, Bonus: s.Loyalty.TopUpBonus(amount), PaidBy: paidBy, At: at, User: user}, nil
}
