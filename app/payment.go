package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"checkout/app/barcode"
	"checkout/app/money"
)

// PaymentStatus is where a provider says a payment stands.
type PaymentStatus int

const (
	// PaymentPending: the provider has the order and waits for the shopper (to confirm on the phone).
	PaymentPending PaymentStatus = iota
	PaymentPaid
	PaymentDeclined
	// PaymentNotFound: the provider has no order with the reference (a charge that never reached it).
	PaymentNotFound
)

func (s PaymentStatus) String() string {
	return [...]string{"pending", "paid", "declined", "not found"}[s]
}

// PaymentResult is a provider's answer about one reference.
type PaymentResult struct {
	Status        PaymentStatus
	TransactionID string // the provider's ID for a paid order
	Message       string // the provider's reason for a decline, for the cashier
}

// ChargeRequest asks a provider to charge a shopper's pay code.
type ChargeRequest struct {
	Reference string // unique per attempt; a provider charges one reference at most once
	Amount    money.Amount
	Code      string // the wallet pay code: a bearer token, never logged whole
	Wallet    string
}

// PaymentGateway is a wallet payment provider. An error from Charge or Query means the outcome is
// unknown (timeout, lost connection), not that the payment failed: CollectPayment resolves it.
type PaymentGateway interface {
	Charge(ctx context.Context, req ChargeRequest) (PaymentResult, error)
	Query(ctx context.Context, reference string) (PaymentResult, error)
	// Reverse cancels the order with the reference, refunding it if it was paid.
	Reverse(ctx context.Context, reference string) error
}

// PresentRequest asks a provider for a code the shopper scans with their wallet to pay an order: a
// merchant-presented payment.
type PresentRequest struct {
	Reference string // unique per attempt, as a charge's: the order the code pays
	Amount    money.Amount
	Subject   string // what the shopper's wallet names the order: the shop and the receipt
}

// PaymentPresenter is a provider that makes merchant-presented codes (Alipay's precreate, WeChat Pay's
// Native pay). The shopper scans the code Present returns (shown as a QR code on the customer display);
// the till follows the order with Query until it is paid, and cancels it with Reverse when the shopper
// gives up. An error from Present means no code can be shown; the order may exist all the same, and is
// reversed.
type PaymentPresenter interface {
	Present(ctx context.Context, req PresentRequest) (code string, err error)
}

// PaymentWait is how long CollectPayment waits for a payment to settle.
type PaymentWait struct {
	Poll    time.Duration // between queries; 2 s when 0
	Timeout time.Duration // from the charge to giving up and reversing; 60 s when 0
	// Call bounds each call to the provider; 10 s when 0.
	Call time.Duration
	// Waiting is told, on the caller's goroutine, each time the provider says the payment is still
	// pending or does not answer, so the cashier sees that the till is waiting for the shopper.
	Waiting func(PaymentStatus, error)
}

func (w PaymentWait) withDefaults() PaymentWait {
	if w.Poll <= 0 {
		w.Poll = 2 * time.Second
	}
	if w.Timeout <= 0 {
		w.Timeout = 60 * time.Second
	}
	if w.Call <= 0 {
		w.Call = 10 * time.Second
	}
	return w
}

// CollectPayment charges req and follows it to an outcome: paid, declined, or — when the provider stays
// silent or pending past the timeout — reversed, so the shopper is never charged for a sale the till
// did not complete. A paid result returns nil. Otherwise the error wraps ErrPaymentDeclined,
// ErrPaymentReversed, or ErrPaymentUnknown when even the reversal could not be confirmed.
func CollectPayment(ctx context.Context, gw PaymentGateway, req ChargeRequest, wait PaymentWait) (PaymentResult, error) {
	return follow(ctx, gw, req.Reference, wait.withDefaults(), false, func(cctx context.Context) (PaymentResult, error) {
		return gw.Charge(cctx, req)
	})
}

// CollectPresented asks presenter for a code that pays req, hands it to show (to put on the customer
// display) and follows the order to an outcome as CollectPayment does: paid, declined, or reversed when
// the shopper has not paid by the timeout or ctx is cancelled (the cashier pressed Esc). An order the
// provider does not know yet is a shopper who has not scanned (Alipay makes the trade at the scan), so
// it is waited for. With no code to show, the order, if it was made, is reversed at once.
func CollectPresented(ctx context.Context, gw PaymentGateway, presenter PaymentPresenter, req PresentRequest, wait PaymentWait,
	show func(code string) error) (PaymentResult, error) {
	wait = wait.withDefaults()
	cctx, cancel := context.WithTimeout(ctx, wait.Call)
	code, err := presenter.Present(cctx, req)
	cancel()
	if err == nil {
		err = show(code)
	}
	if err != nil {
		if rerr := reverse(gw, req.Reference, wait); rerr != nil {
			return PaymentResult{}, fmt.Errorf("%w (reference %s): no code to show (%v), and the order may stand: %v", ErrPaymentUnknown,
				req.Reference, err, rerr)
		}
		return PaymentResult{Status: PaymentDeclined}, fmt.Errorf("%w: no code to show: %v", ErrPaymentReversed, err)
	}
	return follow(ctx, gw, req.Reference, wait, true, func(context.Context) (PaymentResult, error) {
		return PaymentResult{Status: PaymentPending}, nil
	})
}

// follow makes the first call of a payment (a charge, or a code shown) and queries the order reference
// every Poll until it is paid or declined; out of time or cancelled, it reverses the order. notFoundWaits:
// an order the provider does not know yet is pending (a presented code not scanned yet), not a charge
// that never reached it.
func follow(ctx context.Context, gw PaymentGateway, reference string, wait PaymentWait, notFoundWaits bool,
	first func(context.Context) (PaymentResult, error)) (PaymentResult, error) {
	deadline := time.Now().Add(wait.Timeout)
	call := func(f func(context.Context) (PaymentResult, error)) (PaymentResult, error) {
		cctx, cancel := context.WithTimeout(ctx, wait.Call)
		defer cancel()
		return f(cctx)
	}
	res, err := call(first)
	for {
		if err == nil {
			switch res.Status {
			case PaymentPaid:
				return res, nil
			case PaymentDeclined:
				return res, fmt.Errorf("%w: %s", ErrPaymentDeclined, res.Message)
			}
		}
		if wait.Waiting != nil {
			wait.Waiting(res.Status, err)
		}
		if ctx.Err() != nil || !time.Now().Add(wait.Poll).Before(deadline) {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait.Poll):
		}
		res, err = call(func(cctx context.Context) (PaymentResult, error) { return gw.Query(cctx, reference) })
		if err == nil && res.Status == PaymentNotFound && !notFoundWaits {
			// The charge never reached the provider: nothing to reverse, nothing paid.
			return res, fmt.Errorf("%w: the provider never received the charge", ErrPaymentDeclined)
		}
	}
	// Out of time or cancelled: reverse, on a context of its own so a cancelled sale still reverses.
	if err := reverse(gw, reference, wait); err != nil {
		return PaymentResult{}, fmt.Errorf("%w (reference %s): %v", ErrPaymentUnknown, reference, err)
	}
	return PaymentResult{Status: PaymentDeclined}, fmt.Errorf("%w (reference %s)", ErrPaymentReversed, reference)
}

// reverse cancels the order reference, refunding it if it was paid, trying three times.
func reverse(gw PaymentGateway, reference string, wait PaymentWait) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		rctx, cancel := context.WithTimeout(context.Background(), wait.Call)
		err = gw.Reverse(rctx, reference)
		cancel()
		if err == nil {
			return nil
		}
	}
	return err
}

// PaymentReference returns the reference for the next QR or wallet payment attempt of the sale in
// progress: the sale's ID shortened, and the attempt number. It fits EMVCo's 25-character reference.
func (c *Checkout) PaymentReference() string {
	if c.saleID == "" {
		c.saleID, c.openedAt = NewID(), c.now()
	}
	c.attempts++
	return fmt.Sprintf("%s-%d", strings.ReplaceAll(c.saleID, "-", "")[:16], c.attempts)
}

// PayQR records a merchant-presented QR payment for amount: confirmed by the provider (transaction set)
// or, for the shop's static code, by the cashier looking at the shopper's phone.
func (c *Checkout) PayQR(amount money.Amount, reference, transaction string) (Tender, error) {
	if err := c.CheckNonCash(amount); err != nil {
		return Tender{}, err
	}
	if c.hasReference(reference) {
		return Tender{}, fmt.Errorf("%w: payment %s is already taken", ErrInvalidAmount, reference)
	}
	return c.take(Tender{Kind: TenderQR, Amount: amount, Tendered: amount, Change: money.Zero(amount.Currency()),
		Reference: reference, Approval: transaction}), nil
}

// PayWithCode charges a shopper's wallet pay code for amount through gw and, once paid, takes it as a
// tender: StartCodePayment, CollectPayment and TakeCodePayment in one call. It blocks until the payment
// settles; a UI runs CollectPayment on a goroutine of its own and the other two on its own goroutine.
func (c *Checkout) PayWithCode(ctx context.Context, gw PaymentGateway, code string, amount money.Amount, wait PaymentWait) (Tender, error) {
	req, err := c.StartCodePayment(code, amount)
	if err != nil {
		return Tender{}, err
	}
	res, err := CollectPayment(ctx, gw, req, wait)
	if err != nil {
		return Tender{}, err
	}
	return c.TakeCodePayment(req, res)
}

// StartCodePayment checks that code is a wallet pay code and amount can be paid with it, and returns the
// charge to send, under a new reference. A product barcode is never sent to a provider.
func (c *Checkout) StartCodePayment(code string, amount money.Amount) (ChargeRequest, error) {
	if err := c.CheckNonCash(amount); err != nil {
		return ChargeRequest{}, err
	}
	in := c.input.ClassifyPayment(code) // here a code that is also a scale label is a pay code
	if in.Kind != InputPayCode || strings.Contains(in.Text, "*") {
		return ChargeRequest{}, fmt.Errorf("%w: %s", ErrNotAPayCode, barcode.LogSafe(code))
	}
	return ChargeRequest{Reference: c.PaymentReference(), Amount: amount, Code: in.Code.Data, Wallet: in.Code.Wallet}, nil
}

// TakeCodePayment takes a paid charge as a tender, once: a second report of the same reference is refused.
func (c *Checkout) TakeCodePayment(req ChargeRequest, res PaymentResult) (Tender, error) {
	if res.Status != PaymentPaid {
		return Tender{}, fmt.Errorf("%w: %s", ErrPaymentDeclined, res.Status)
	}
	if c.hasReference(req.Reference) {
		return Tender{}, fmt.Errorf("%w: payment %s is already taken", ErrInvalidAmount, req.Reference)
	}
	if err := c.CheckNonCash(req.Amount); err != nil {
		return Tender{}, err
	}
	return c.take(Tender{Kind: TenderWallet, Amount: req.Amount, Tendered: req.Amount, Change: money.Zero(req.Amount.Currency()),
		Reference: req.Reference, Approval: res.TransactionID, Wallet: req.Wallet}), nil
}

func (c *Checkout) hasReference(ref string) bool {
	for _, t := range c.tenders {
		if ref != "" && t.Reference == ref {
			return true
		}
	}
	return false
}

// Payments are the shop's ways of being paid electronically besides its card terminal: the QR code
// customers scan to pay (QR, the EMVCo payload for an amount under a reference) and the provider that
// charges their wallets' pay codes and refunds them (Gateway, waited for as Wait says). The zero value
// has neither: each way then refuses with its error, which the screens show.
type Payments struct {
	Gateway PaymentGateway
	Wait    PaymentWait
	QR      func(amount money.Amount, reference string) (string, error)
	// Presenter makes the provider's own merchant-presented codes (Alipay's, WeChat Pay's): QR payments
	// then show its code rather than the shop's QR. QRFollowed: the shop's dynamic QR code pays through
	// the provider, which confirms its payments by query. With neither, the cashier confirms a QR payment
	// by looking at the shopper's phone (the shop's static code).
	Presenter  PaymentPresenter
	QRFollowed bool
	// Late watches the merchant-presented orders the till gave up on (Abandon, SweepLatePayments); nil:
	// none are watched.
	Late LatePayments
	// Simulated: Gateway is the simulated provider, which moves no money (a demo, or a shop that has not
	// set a provider up); the screens say so.
	Simulated bool
	// Unusable is why the provider the settings name cannot be used (a key file missing, or readable by
	// others): Gateway is nil then, and the screens say why.
	Unusable error
}

// Errors of a shop without a way to be paid.
var (
	ErrNoMerchantQR = &Error{"no_merchant_qr", "no payment QR code is set up"}
	ErrNoPayCodes   = &Error{"no_pay_codes", "no payment provider is set up for pay codes"}
	// ErrQRShopDetails: a payment QR code must name the shop and its city (EMVCo's mandatory 59 and 60),
	// and wallets may refuse one that does not.
	ErrQRShopDetails = &Error{"qr_shop_details", "the payment QR code needs the shop's name and city (shop_name, shop_city)"}
)

// CheckQR says whether the shop has a payment QR code: ErrNoMerchantQR when it has none.
func (p Payments) CheckQR() error {
	if p.QR == nil && p.QRPresenter() == nil {
		return ErrNoMerchantQR
	}
	return nil
}

// MerchantQR returns the payload of the shop's payment QR code for amount under reference.
func (p Payments) MerchantQR(amount money.Amount, reference string) (string, error) {
	if err := p.CheckQR(); err != nil {
		return "", err
	}
	return p.QR(amount, reference)
}

// QRPresenter is what makes the code of a QR payment that the provider confirms: the provider's own
// presenter, or the shop's dynamic QR code when the provider follows it; nil when the cashier confirms.
func (p Payments) QRPresenter() PaymentPresenter {
	switch {
	case p.Gateway == nil:
		return nil
	case p.Presenter != nil:
		return p.Presenter
	case p.QRFollowed && p.QR != nil:
		return presentFunc(func(_ context.Context, req PresentRequest) (string, error) { return p.QR(req.Amount, req.Reference) })
	}
	return nil
}

// presentFunc makes a function a PaymentPresenter.
type presentFunc func(context.Context, PresentRequest) (string, error)

func (f presentFunc) Present(ctx context.Context, req PresentRequest) (string, error) {
	return f(ctx, req)
}

// CollectQR shows a code for req (QRPresenter) and follows the payment to an outcome (CollectPresented);
// waiting is told each time it is still pending.
func (p Payments) CollectQR(ctx context.Context, req PresentRequest, show func(code string) error, waiting func(PaymentStatus, error)) (PaymentResult, error) {
	presenter := p.QRPresenter()
	if presenter == nil {
		return PaymentResult{}, ErrNoMerchantQR
	}
	wait := p.Wait
	wait.Waiting = waiting
	res, err := CollectPresented(ctx, p.Gateway, presenter, req, wait, show)
	if err != nil {
		// Given up on: should the shopper pay the code after all, the money goes back (SweepLatePayments).
		if werr := p.Abandon(context.Background(), req.Reference, req.Amount, time.Now()); werr != nil {
			err = errors.Join(err, werr)
		}
	}
	return res, err
}

// CheckPayCodes says whether the shop takes wallet pay codes: ErrNoPayCodes when it has no provider (with
// why, when the one set up cannot be used).
func (p Payments) CheckPayCodes() error {
	switch {
	case p.Unusable != nil:
		return fmt.Errorf("%w: %v", ErrNoPayCodes, p.Unusable)
	case p.Gateway == nil:
		return ErrNoPayCodes
	}
	return nil
}

// TestConnection asks the provider about an order that cannot exist: a definite "not found" proves the
// address, the keys, the signatures both ways and the clock are right. Nothing is charged.
func (p Payments) TestConnection(ctx context.Context) error {
	if err := p.CheckPayCodes(); err != nil {
		return err
	}
	res, err := p.Gateway.Query(ctx, "conntest"+strings.ReplaceAll(NewID(), "-", "")[:16])
	switch {
	case err != nil:
		return err
	case res.Status != PaymentNotFound:
		return fmt.Errorf("the provider says an order that cannot exist is %s", res.Status)
	}
	return nil
}

// Collect charges req with the provider and follows it to an outcome (CollectPayment); waiting is told
// each time the provider says the payment is still pending.
func (p Payments) Collect(ctx context.Context, req ChargeRequest, waiting func(PaymentStatus, error)) (PaymentResult, error) {
	if err := p.CheckPayCodes(); err != nil {
		return PaymentResult{}, err
	}
	wait := p.Wait
	wait.Waiting = waiting
	return CollectPayment(ctx, p.Gateway, req, wait)
}

// Refunder returns the provider that gives wallet payments back: ErrRefundTender when the shop has none
// that can.
func (p Payments) Refunder() (PaymentRefunder, error) {
	if r, ok := p.Gateway.(PaymentRefunder); ok {
		return r, nil
	}
	return nil, ErrRefundTender
}
