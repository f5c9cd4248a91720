package app

import (
	"context"
	"time"

	"checkout/app/money"
	"checkout/app/signature"
)

// The services the till's screens call, grouped by what the screens do. The screens (ui/) declare none of
// their own: each takes the group it needs, the composition root hands it the use cases here over the
// store, and a screen's tests hand it a fake.

// MemberService is what the member dialog and paying from an account use; *MemberDesk implements it.
type MemberService interface {
	FindMembers(ctx context.Context, query string, limit int) ([]Member, error)
	MemberByNumber(ctx context.Context, number string) (Member, error)
	MemberByCard(ctx context.Context, token string) (Member, error)
	SaveMember(ctx context.Context, s *Session, m Member) (Member, error)
	AddCard(ctx context.Context, s *Session, m Member, card MemberCard) error
	BlockCards(ctx context.Context, s *Session, m Member) error
	TopUp(ctx context.Context, s *Session, m Member, amount money.Amount, paidBy Tender, sig signature.Signature) (*TopUp, error)
	SetPIN(ctx context.Context, s *Session, m Member, pin string) error
	UnlockPIN(ctx context.Context, s *Session, m Member) error
	EnterPIN(ctx context.Context, co *Checkout, pin string) error
	PayFromAccount(ctx context.Context, co *Checkout, kind TenderKind, amount *money.Amount) (Tender, error)
}

// ShiftService is what the shift dialogs (and the shift commands) use; *ShiftDesk implements it.
type ShiftService interface {
	CurrentShift(ctx context.Context) (*Shift, error)
	OpenShift(ctx context.Context, s *Session, float money.Amount) (*Shift, error)
	MoveCash(ctx context.Context, s *Session, kind CashMoveKind, amount money.Amount, reason string) (*CashMove, error)
	ReviewClose(ctx context.Context, counts []DenominationCount) (*Shift, error)
	CloseShift(ctx context.Context, s *Session, counts []DenominationCount) (*Shift, error)
}

// Selling is what the sale screen reads and keeps besides the sale in progress (the Checkout): stored
// sales for refunds and reprints, parked carts, and the journal of receipts printed again. The store
// implements it.
type Selling interface {
	SaleHistory
	ParkedCarts
	ReprintLog
}

// StockService is what the back office's product, receiving, adjusting, counting, low-stock and import
// pages use; *Stockroom implements it.
type StockService interface {
	FindProduct(ctx context.Context, code string) (Product, error)
	ProductPage(ctx context.Context, after string, limit int) ([]Product, error)
	SearchCatalog(ctx context.Context, query string, limit int) ([]Product, error)
	ProductDetail(ctx context.Context, id int64) (CatalogEntry, error)
	Categories(ctx context.Context) ([]string, error)
	CountProducts(ctx context.Context) (int64, error)
	StockHistory(ctx context.Context, productID int64, limit int) ([]LedgerEntry, error)
	LowStock(ctx context.Context, limit int) ([]StockLevel, error)
	SaveProduct(ctx context.Context, s *Session, form ProductForm) (Product, error)
	Receive(ctx context.Context, supplier string, by *Session, lines []ReceiveLine) error
	Adjust(ctx context.Context, p Product, delta Quantity, reason string, by *Session) error
	Transfer(ctx context.Context, p Product, delta Quantity, shop string, by *Session) error
	NewCount() *Count
	Variances(ctx context.Context, c *Count) ([]Variance, error)
	ApplyCount(ctx context.Context, c *Count, by *Session) ([]Variance, error)
	CheckCatalog(ctx context.Context, file CatalogFile, progress func(ImportProgress)) (*CatalogCheck, error)
}

// PromotionService is what the back office's promotions page uses; *PromotionDesk implements it.
type PromotionService interface {
	Promotions(ctx context.Context) ([]Promotion, error)
	Save(ctx context.Context, by *Session, f PromotionForm) (Promotion, []BelowCost, error)
	SetActive(ctx context.Context, by *Session, id int64, active bool) error
}

// ReportService is what the back office's day page uses: the day at a glance, the X report and the Z
// report that closes the day. GuardedReports implements it.
type ReportService interface {
	DayPage(ctx context.Context, from, to time.Time) (DayPage, error)
	XReport(ctx context.Context, at time.Time) (DaySummary, error)
	CloseDay(ctx context.Context, at time.Time, user string) (*ZReport, error)
	Anomalies(ctx context.Context, sum DaySummary) ([]Anomaly, error)
}

// StaffService is what signing in, the users page and two-factor sign-in use; *Auth implements it.
type StaffService interface {
	NeedsOwner(ctx context.Context) (bool, error)
	Users(ctx context.Context) ([]User, error)
	Staff(ctx context.Context) ([]User, error)
	CreateOwner(ctx context.Context, name, pin string) (*Session, error)
	SignIn(ctx context.Context, name, pin string) (*Session, error)
	AddUser(ctx context.Context, s *Session, name string, role Role, pin string) (User, error)
	ChangeUser(ctx context.Context, s *Session, name string, c UserChange) (User, error)
	StartTwoFactor(s *Session) (secret, uri string, err error)
	EnableTwoFactor(ctx context.Context, s *Session, secret, code string) error
	DisableTwoFactor(ctx context.Context, s *Session, name string) error
}

// SyncService is what the back office's sync page reads besides the link's status (SyncStatus, which
// the sync worker reports); the store implements it.
type SyncService interface {
	// OverdrawnMembers lists the members the head office last said were below zero: tills spent the
	// same prepaid value offline.
	OverdrawnMembers(ctx context.Context) ([]Member, error)
	// RejectedOutbox lists the documents the head office rejected, with its reasons.
	RejectedOutbox(ctx context.Context) ([]Rejection, error)
}

var (
	_ ReportService = GuardedReports{}
	_ StaffService  = (*Auth)(nil)
)
