// Package paygate charges wallet pay codes through the shop's payment provider (or an aggregator in
// front of WeChat Pay, Alipay and UnionPay) over HTTPS. It implements app.PaymentGateway.
//
// # The contract a provider implements
//
// JSON over HTTP; amounts are integers in minor units; every request carries the headers
//
//	X-Merchant-ID: <merchant id>
//	X-Signature:   hex(HMAC-SHA256(secret, METHOD + "\n" + PATH + "\n" + BODY))
//	Content-Type:  application/json
//
// Charge a pay code. The reference is the idempotency key: a second POST with the same reference returns
// the order already made (200, or 409 with the same body) and never charges again.
//
//	POST /v1/charges
//	{"merchant_id":"M1","reference":"ceb674db54ed4af1-1","amount_minor":300,"currency":"CNY",
//	 "pay_code":"134567890123456789","wallet":"wechat"}
//	→ 200 {"reference":"ceb674db54ed4af1-1","status":"paid"|"pending"|"declined",
//	       "transaction_id":"4200001234","message":"…"}
//
// A 400 or 422 on a charge means the provider refused the request and no money moved: a decline.
//
// Query an order: GET /v1/charges/{reference} → 200 with the same body, or 404 if the provider has no
// order with that reference (the charge never reached it).
//
// Reverse an order (cancel it, refunding it if it was paid): POST /v1/charges/{reference}/reverse
// → 200 {"reference":"…","status":"reversed"}; reversing twice, or an order the provider does not have
// (404), is success: either way no money stays taken.
//
// Refund part or all of a paid order: POST /v1/charges/{reference}/refunds
// {"refund_reference":"<refund id>","amount_minor":200,"currency":"CNY"} → 200 {"reference":"…",
// "status":"refunded"}. The refund reference is the idempotency key: repeating it refunds nothing more.
// A 400 or 422 means the provider refused (more than is left, not paid).
//
// Any other status, a timeout, a lost connection or an unreadable reply is an unknown outcome, returned
// as an error: app.CollectPayment then queries, and reverses if it cannot find out. A reply naming another
// reference is never trusted.
package paygate

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"checkout/app"
)

// Client talks to one provider for one merchant.
type Client struct {
	base       string
	merchantID string
	secret     []byte
	http       *http.Client
}

// New returns a client for the provider at baseURL ("https://pay.example.com"). timeout bounds each
// request (10 s when 0).
func New(baseURL, merchantID string, secret []byte, timeout time.Duration) *Client {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), merchantID: merchantID, secret: secret,
		http: &http.Client{Timeout: timeout}}
}

// ErrUnknownOutcome wraps every failure that leaves the payment's outcome open.
var ErrUnknownOutcome = errors.New("payment provider: outcome unknown")

type chargeBody struct {
	MerchantID  string `json:"merchant_id"`
	Reference   string `json:"reference"`
	AmountMinor int64  `json:"amount_minor"`
	Currency    string `json:"currency"`
	PayCode     string `json:"pay_code"`
	Wallet      string `json:"wallet,omitempty"`
}

type orderBody struct {
	Reference     string `json:"reference"`
	Status        string `json:"status"`
	TransactionID string `json:"transaction_id"`
	Message       string `json:"message"`
}

// Charge asks the provider to charge req's pay code.
func (c *Client) Charge(ctx context.Context, req app.ChargeRequest) (app.PaymentResult, error) {
	body, err := json.Marshal(chargeBody{MerchantID: c.merchantID, Reference: req.Reference, AmountMinor: req.Amount.Minor(),
		Currency: req.Amount.Currency().Code, PayCode: req.Code, Wallet: req.Wallet})
	if err != nil {
		return app.PaymentResult{}, err
	}
	status, reply, err := c.do(ctx, http.MethodPost, "/v1/charges", body)
	if err != nil {
		return app.PaymentResult{}, err
	}
	switch status {
	case http.StatusOK, http.StatusConflict:
		return c.result(req.Reference, reply)
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return app.PaymentResult{Status: app.PaymentDeclined, Message: message(reply, status)}, nil
	}
	return app.PaymentResult{}, fmt.Errorf("%w: charge %s: %s", ErrUnknownOutcome, req.Reference, message(reply, status))
}

// Query asks the provider where the order with reference stands.
func (c *Client) Query(ctx context.Context, reference string) (app.PaymentResult, error) {
	status, reply, err := c.do(ctx, http.MethodGet, "/v1/charges/"+url.PathEscape(reference), nil)
	if err != nil {
		return app.PaymentResult{}, err
	}
	switch status {
	case http.StatusOK:
		return c.result(reference, reply)
	case http.StatusNotFound:
		return app.PaymentResult{Status: app.PaymentNotFound}, nil
	}
	return app.PaymentResult{}, fmt.Errorf("%w: query %s: %s", ErrUnknownOutcome, reference, message(reply, status))
}

// Reverse cancels the order with reference, refunding it if it was paid.
func (c *Client) Reverse(ctx context.Context, reference string) error {
	status, reply, err := c.do(ctx, http.MethodPost, "/v1/charges/"+url.PathEscape(reference)+"/reverse", []byte("{}"))
	if err != nil {
		return err
	}
	switch status {
	case http.StatusOK, http.StatusNotFound:
		return nil
	}
	return fmt.Errorf("%w: reverse %s: %s", ErrUnknownOutcome, reference, message(reply, status))
}

type refundBody struct {
	RefundReference string `json:"refund_reference"`
	AmountMinor     int64  `json:"amount_minor"`
	Currency        string `json:"currency"`
}

// Refund gives back req.Amount of a paid order, once per refund reference.
func (c *Client) Refund(ctx context.Context, req app.RefundRequest) error {
	body, err := json.Marshal(refundBody{RefundReference: req.RefundReference, AmountMinor: req.Amount.Minor(), Currency: req.Amount.Currency().Code})
	if err != nil {
		return err
	}
	status, reply, err := c.do(ctx, http.MethodPost, "/v1/charges/"+url.PathEscape(req.Reference)+"/refunds", body)
	if err != nil {
		return err
	}
	if status == http.StatusOK {
		var o orderBody
		if json.Unmarshal(reply, &o) != nil || o.Reference != req.Reference || o.Status != "refunded" {
			return fmt.Errorf("%w: refund %s: unexpected reply", ErrUnknownOutcome, req.RefundReference)
		}
		return nil
	}
	return fmt.Errorf("refund %s of %s refused: %s", req.RefundReference, req.Reference, message(reply, status))
}

// do sends a signed request and reads the reply. A transport failure is an unknown outcome.
func (c *Client) do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Merchant-ID", c.merchantID)
	req.Header.Set("X-Signature", Sign(c.secret, method, req.URL.EscapedPath(), body))
	resp, err := c.http.Do(req)
	if err != nil {
		// The URL holds only the reference; the pay code is in the body and never in an error.
		return 0, nil, fmt.Errorf("%w: %v", ErrUnknownOutcome, err)
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return 0, nil, fmt.Errorf("%w: reading the reply: %v", ErrUnknownOutcome, err)
	}
	return resp.StatusCode, reply, nil
}

// Sign is the request signature: hex HMAC-SHA256 over method, path and body, newline-separated.
func Sign(secret []byte, method, path string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	fmt.Fprintf(mac, "%s\n%s\n", method, path)
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// result reads an order reply, trusting it only for the reference asked about.
func (c *Client) result(reference string, reply []byte) (app.PaymentResult, error) {
	var o orderBody
	if err := json.Unmarshal(reply, &o); err != nil {
		return app.PaymentResult{}, fmt.Errorf("%w: unreadable reply for %s", ErrUnknownOutcome, reference)
	}
	if o.Reference != reference {
		return app.PaymentResult{}, fmt.Errorf("%w: reply for %q to a request for %q", ErrUnknownOutcome, o.Reference, reference)
	}
	switch o.Status {
	case "paid":
		if o.TransactionID == "" {
			return app.PaymentResult{}, fmt.Errorf("%w: %s paid without a transaction ID", ErrUnknownOutcome, reference)
		}
		return app.PaymentResult{Status: app.PaymentPaid, TransactionID: o.TransactionID}, nil
	case "pending":
		return app.PaymentResult{Status: app.PaymentPending}, nil
	case "declined", "reversed":
		return app.PaymentResult{Status: app.PaymentDeclined, Message: o.Message}, nil
	}
	return app.PaymentResult{}, fmt.Errorf("%w: %s has status %q", ErrUnknownOutcome, reference, o.Status)
}

// message is the provider's message in a reply, or the HTTP status.
func message(reply []byte, status int) string {
	var o orderBody
	if json.Unmarshal(reply, &o) == nil && o.Message != "" {
		return fmt.Sprintf("%d %s", status, o.Message)
	}
	return fmt.Sprintf("%d %s", status, http.StatusText(status))
}
