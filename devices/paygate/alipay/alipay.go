// Package alipay takes Alipay payments by speaking Alipay's OpenAPI gateway directly: it charges the
// shopper's pay code (alipay.trade.pay, scene bar_code), follows an order (alipay.trade.query), cancels
// one (alipay.trade.cancel), refunds part or all of one (alipay.trade.refund) and makes the QR code a
// shopper scans to pay (alipay.trade.precreate). It implements app.PaymentGateway, app.PaymentRefunder
// and app.PaymentPresenter.
//
// # The wire
//
// Each call is a form POST (application/x-www-form-urlencoded, UTF-8) to the gateway with the common
// parameters app_id, method, format=JSON, charset=utf-8, sign_type=RSA2, timestamp (Beijing time,
// "2006-01-02 15:04:05"), version=1.0 and biz_content (the method's parameters as JSON), signed with
// the merchant's RSA key: sign = base64(SHA256withRSA(SignContent(params))). The reply is
// {"<method with dots as _>_response":{…},"sign":"…"}; Alipay signs the raw text of the response
// object, which is checked with Alipay's public key before anything in it is believed.
//
// # Outcomes
//
// As for every app.PaymentGateway, an error from Charge or Query means the outcome is unknown — a
// timeout, a lost connection, an unreadable, unsigned or wrongly signed reply, a reply about another
// order, Alipay's 20000 (service unavailable) or ACQ.SYSTEM_ERROR — and app.CollectPayment queries, then
// cancels. A definite refusal (40004 with a business code such as ACQ.BUYER_BALANCE_NOT_ENOUGH, or the
// gateway refusing the request) is PaymentDeclined with Alipay's message. Code 10003 and WAIT_BUYER_PAY
// are PaymentPending (the shopper confirms on the phone); TRADE_SUCCESS and TRADE_FINISHED are
// PaymentPaid with Alipay's trade_no; TRADE_CLOSED is declined; ACQ.TRADE_NOT_EXIST on a query is
// PaymentNotFound.
//
// # Order numbers
//
// Alipay allows only letters, digits and underscores in out_trade_no and out_request_no, and the till's
// references have hyphens ("ceb674db54ed4af1-1"), so each reference is sent with its hyphens as
// underscores ("ceb674db54ed4af1_1"); references with an underscore or other characters are refused
// so that the mapping stays one-to-one.
//
// # Sources
//
// Alipay's open platform documentation, read as published and mirrored: signing without the SDK
// (https://opendocs.alipay.com/common/02kf5q, mirrored at https://juejin.cn/post/6844903816484110349);
// verifying a synchronous reply over the raw xxx_response text (https://developer.aliyun.com/article/707521);
// the gateway's public codes 10000/20000/4000x (https://opendocs.alipay.com/open/common/105806, quoted at
// https://cnblogs.com/rsapaper/p/9726452.html); alipay.trade.pay's parameters
// (https://w3cschool.cn/aliminiapp/aliminiapp-2wa52f4q.html, https://cnblogs.com/yly123/p/16019894.html);
// trade states (https://developer.aliyun.com/article/707619); ACQ.TRADE_NOT_EXIST on query
// (https://developer.aliyun.com/article/710933); alipay.trade.cancel
// (https://help.aliyun.com/document_detail/2978203.html, https://yq.aliyun.com/articles/710931);
// alipay.trade.refund and out_request_no (https://yq.aliyun.com/articles/707486); system errors are
// settled by query, then cancel (https://docs.antom.com/ac/barcode_cn/error_handling).
package alipay

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"checkout/app"
	"checkout/app/money"
)

// Alipay's gateways.
const (
	ProductionGateway = "https://openapi.alipay.com/gateway.do"
	SandboxGateway    = "https://openapi-sandbox.dl.alipaydev.com/gateway.do"
)

// Config is one merchant application on Alipay's open platform.
type Config struct {
	AppID           string          // the application's ID on Alipay's open platform
	Gateway         string          // ProductionGateway or SandboxGateway
	PrivateKey      *rsa.PrivateKey // the merchant application's key, which signs requests
	AlipayPublicKey *rsa.PublicKey  // Alipay's public key, which checks replies
	Timeout         time.Duration   // bounds each call; 10 s when 0
	HTTPClient      *http.Client    // http.DefaultClient's settings when nil
	// Subject names a charged order in the shopper's Alipay bill ("Purchase" when empty); a presented
	// order takes the PresentRequest's subject.
	Subject string
}

// Client calls Alipay for one merchant application.
type Client struct {
	cfg  Config
	http *http.Client
	now  func() time.Time
}

var (
	_ app.PaymentGateway   = (*Client)(nil)
	_ app.PaymentRefunder  = (*Client)(nil)
	_ app.PaymentPresenter = (*Client)(nil)
)

// Errors of the adapter.
var (
	// ErrUnknownOutcome wraps every failure that leaves the outcome of a call open.
	ErrUnknownOutcome = errors.New("alipay: outcome unknown")
	// ErrRefused wraps Alipay's definite refusal of a refund, a cancellation or a QR code.
	ErrRefused = errors.New("alipay: refused")
	// ErrCurrency: Alipay's domestic gateway takes amounts in yuan only.
	ErrCurrency = errors.New("alipay: only CNY amounts can be paid")
	// ErrReference: a reference that cannot be an Alipay order number.
	ErrReference = errors.New("alipay: unusable reference")
)

// beijing is Alipay's clock for the timestamp parameter (China keeps UTC+8 all year).
var beijing = time.FixedZone("CST", 8*60*60)

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	switch {
	case cfg.AppID == "":
		return nil, errors.New("alipay: no app ID")
	case cfg.PrivateKey == nil:
		return nil, errors.New("alipay: no merchant private key")
	case cfg.AlipayPublicKey == nil:
		return nil, errors.New("alipay: no Alipay public key")
	case cfg.PrivateKey.N.BitLen() < minKeyBits || cfg.AlipayPublicKey.N.BitLen() < minKeyBits:
		return nil, fmt.Errorf("alipay: RSA2 needs keys of %d bits or more", minKeyBits)
	}
	if u, err := url.Parse(cfg.Gateway); err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("alipay: the gateway must be an https URL, not %q", cfg.Gateway)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Subject == "" {
		cfg.Subject = "Purchase"
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{cfg: cfg, http: hc, now: time.Now}, nil
}

// response is the fields of Alipay's response objects that the adapter reads.
type response struct {
	Code        string `json:"code"`
	Msg         string `json:"msg"`
	SubCode     string `json:"sub_code"`
	SubMsg      string `json:"sub_msg"`
	OutTradeNo  string `json:"out_trade_no"`
	TradeNo     string `json:"trade_no"`
	TradeStatus string `json:"trade_status"`
	TotalAmount string `json:"total_amount"`
	QRCode      string `json:"qr_code"`
	RetryFlag   string `json:"retry_flag"`
}

// Alipay's gateway codes.
const (
	codeSuccess     = "10000"
	codeProcessing  = "10003" // the shopper is confirming the payment on the phone
	codeUnavailable = "20000"
	codeBusiness    = "40004"
)

// message is Alipay's reason, for the cashier and the log.
func (r response) message() string {
	switch {
	case r.SubMsg != "" && r.SubCode != "":
		return fmt.Sprintf("%s (%s)", r.SubMsg, r.SubCode)
	case r.SubCode != "":
		return fmt.Sprintf("%s %s: %s", r.Code, r.Msg, r.SubCode)
	}
	return fmt.Sprintf("%s %s", r.Code, r.Msg)
}

// refused says whether r is Alipay's definite refusal of the request: a business failure other than a
// system error, or the gateway refusing the request (missing or invalid arguments, no permission).
func (r response) refused() bool {
	switch r.Code {
	case codeBusiness:
		return r.SubCode != "ACQ.SYSTEM_ERROR" && !strings.HasPrefix(r.SubCode, "isp.") && !strings.HasPrefix(r.SubCode, "aop.")
	case "40001", "40002", "40006":
		return true
	}
	return false
}

// about checks that a reply is about the order asked for: out_trade_no, when the reply has it (or
// always, when required), must be the one sent.
func (r response) about(tradeNo string, required bool) error {
	if r.OutTradeNo == "" && !required {
		return nil
	}
	if r.OutTradeNo != tradeNo {
		return fmt.Errorf("%w: a reply about order %q to a request about %q", ErrUnknownOutcome, r.OutTradeNo, tradeNo)
	}
	return nil
}

// Charge charges the shopper's pay code: alipay.trade.pay with scene bar_code, the pay code as
// auth_code and the reference as out_trade_no. Alipay charges an out_trade_no once.
func (c *Client) Charge(ctx context.Context, req app.ChargeRequest) (app.PaymentResult, error) {
	total, err := yuan(req.Amount)
	if err != nil {
		return app.PaymentResult{}, err
	}
	no, err := tradeNo(req.Reference)
	if err != nil {
		return app.PaymentResult{}, err
	}
	if req.Code == "" {
		return app.PaymentResult{}, errors.New("alipay: no pay code")
	}
	r, err := c.call(ctx, "alipay.trade.pay", struct {
		OutTradeNo  string `json:"out_trade_no"`
		Scene       string `json:"scene"`
		AuthCode    string `json:"auth_code"`
		Subject     string `json:"subject"`
		TotalAmount string `json:"total_amount"`
	}{no, "bar_code", req.Code, subject(c.cfg.Subject), total})
	if err != nil {
		return app.PaymentResult{}, fmt.Errorf("charge %s: %w", req.Reference, err)
	}
	switch {
	case r.Code == codeSuccess:
		if err := r.about(no, true); err != nil {
			return app.PaymentResult{}, err
		}
		if r.TradeNo == "" || (r.TotalAmount != "" && r.TotalAmount != total) {
			return app.PaymentResult{}, fmt.Errorf("%w: charge %s: paid without a trade number or for another amount (%q)", ErrUnknownOutcome, req.Reference, r.TotalAmount)
		}
		return app.PaymentResult{Status: app.PaymentPaid, TransactionID: r.TradeNo}, nil
	case r.Code == codeProcessing:
		if err := r.about(no, false); err != nil {
			return app.PaymentResult{}, err
		}
		return app.PaymentResult{Status: app.PaymentPending}, nil
	case r.refused() && r.SubCode != "ACQ.TRADE_HAS_SUCCESS": // already paid: the query finds its trade number
		if err := r.about(no, false); err != nil {
			return app.PaymentResult{}, err
		}
		return app.PaymentResult{Status: app.PaymentDeclined, Message: r.message()}, nil
	}
	return app.PaymentResult{}, fmt.Errorf("%w: charge %s: %s", ErrUnknownOutcome, req.Reference, r.message())
}

// Query asks Alipay where the order with reference stands: alipay.trade.query by out_trade_no.
// Alipay knows a presented order only once the shopper has scanned its code; until then it is
// PaymentNotFound.
func (c *Client) Query(ctx context.Context, reference string) (app.PaymentResult, error) {
	no, err := tradeNo(reference)
	if err != nil {
		return app.PaymentResult{}, err
	}
	r, err := c.call(ctx, "alipay.trade.query", struct {
		OutTradeNo string `json:"out_trade_no"`
	}{no})
	if err != nil {
		return app.PaymentResult{}, fmt.Errorf("query %s: %w", reference, err)
	}
	switch {
	case r.Code == codeSuccess:
		if err := r.about(no, true); err != nil {
			return app.PaymentResult{}, err
		}
		switch r.TradeStatus {
		case "WAIT_BUYER_PAY":
			return app.PaymentResult{Status: app.PaymentPending}, nil
		case "TRADE_SUCCESS", "TRADE_FINISHED":
			if r.TradeNo == "" {
				return app.PaymentResult{}, fmt.Errorf("%w: query %s: paid without a trade number", ErrUnknownOutcome, reference)
			}
			return app.PaymentResult{Status: app.PaymentPaid, TransactionID: r.TradeNo}, nil
		case "TRADE_CLOSED":
			return app.PaymentResult{Status: app.PaymentDeclined, Message: "the Alipay order is closed (TRADE_CLOSED)"}, nil
		}
		return app.PaymentResult{}, fmt.Errorf("%w: query %s: trade status %q", ErrUnknownOutcome, reference, r.TradeStatus)
	case r.Code == codeBusiness && r.SubCode == "ACQ.TRADE_NOT_EXIST":
		if err := r.about(no, false); err != nil {
			return app.PaymentResult{}, err
		}
		return app.PaymentResult{Status: app.PaymentNotFound}, nil
	}
	return app.PaymentResult{}, fmt.Errorf("%w: query %s: %s", ErrUnknownOutcome, reference, r.message())
}

// Reverse cancels the order with reference — closing it if unpaid, refunding it if paid — with
// alipay.trade.cancel. An order Alipay never had (ACQ.TRADE_NOT_EXIST) needs no cancelling. Any other
// answer than done leaves the money where it may be, and is an error, so the caller tries again.
func (c *Client) Reverse(ctx context.Context, reference string) error {
	no, err := tradeNo(reference)
	if err != nil {
		return err
	}
	r, err := c.call(ctx, "alipay.trade.cancel", struct {
		OutTradeNo string `json:"out_trade_no"`
	}{no})
	if err != nil {
		return fmt.Errorf("cancel %s: %w", reference, err)
	}
	switch {
	case r.Code == codeSuccess:
		if err := r.about(no, false); err != nil {
			return err
		}
		if r.RetryFlag == "Y" {
			return fmt.Errorf("%w: cancel %s: Alipay asks to try again", ErrUnknownOutcome, reference)
		}
		return nil
	case r.Code == codeBusiness && r.SubCode == "ACQ.TRADE_NOT_EXIST":
		return r.about(no, false)
	case r.refused():
		return fmt.Errorf("%w: cancel %s: %s", ErrRefused, reference, r.message())
	}
	return fmt.Errorf("%w: cancel %s: %s", ErrUnknownOutcome, reference, r.message())
}

// Refund gives back req.Amount of the paid order req.Reference with alipay.trade.refund, under
// out_request_no = the refund reference: Alipay refunds a refund reference once, so a retry after a lost
// reply refunds nothing more, and several refund references refund the order in parts. An error wraps
// ErrRefused when Alipay refused (more than is left, an unpaid order) and ErrUnknownOutcome when the
// refund may or may not have happened (retry it with the same refund reference).
func (c *Client) Refund(ctx context.Context, req app.RefundRequest) error {
	amount, err := yuan(req.Amount)
	if err != nil {
		return err
	}
	no, err := tradeNo(req.Reference)
	if err != nil {
		return err
	}
	requestNo, err := tradeNo(req.RefundReference)
	if err != nil {
		return err
	}
	r, err := c.call(ctx, "alipay.trade.refund", struct {
		OutTradeNo   string `json:"out_trade_no"`
		RefundAmount string `json:"refund_amount"`
		OutRequestNo string `json:"out_request_no"`
	}{no, amount, requestNo})
	if err != nil {
		return fmt.Errorf("refund %s of %s: %w", req.RefundReference, req.Reference, err)
	}
	switch {
	case r.Code == codeSuccess:
		return r.about(no, false)
	case r.refused():
		return fmt.Errorf("%w: refund %s of %s: %s", ErrRefused, req.RefundReference, req.Reference, r.message())
	}
	return fmt.Errorf("%w: refund %s of %s: %s", ErrUnknownOutcome, req.RefundReference, req.Reference, r.message())
}

// Present makes an order the shopper pays by scanning a code, with alipay.trade.precreate, and returns
// the qr_code Alipay gives (a URL such as https://qr.alipay.com/…, to be shown as a QR code as it is).
// The till then follows the order with Query and cancels it with Reverse.
//
// Alipay makes the trade only when the shopper scans the code: until then Query answers
// PaymentNotFound, and Reverse finds nothing to cancel (ACQ.TRADE_NOT_EXIST) although the code can
// still be scanned and paid for as long as Alipay keeps it valid (two hours, as quoted at
// https://hexdocs.pm/alipay_sdk/Alipay.Trade.html). A till that gives up on a presented code must
// keep querying it for a while, or stop showing it and expect a late payment to turn up on a query.
func (c *Client) Present(ctx context.Context, req app.PresentRequest) (string, error) {
	total, err := yuan(req.Amount)
	if err != nil {
		return "", err
	}
	no, err := tradeNo(req.Reference)
	if err != nil {
		return "", err
	}
	title := req.Subject
	if title == "" {
		title = c.cfg.Subject
	}
	r, err := c.call(ctx, "alipay.trade.precreate", struct {
		OutTradeNo  string `json:"out_trade_no"`
		TotalAmount string `json:"total_amount"`
		Subject     string `json:"subject"`
	}{no, total, subject(title)})
	if err != nil {
		return "", fmt.Errorf("precreate %s: %w", req.Reference, err)
	}
	switch {
	case r.Code == codeSuccess:
		if err := r.about(no, true); err != nil {
			return "", err
		}
		if r.QRCode == "" {
			return "", fmt.Errorf("%w: precreate %s: no qr_code in the reply", ErrUnknownOutcome, req.Reference)
		}
		return r.QRCode, nil
	case r.refused():
		return "", fmt.Errorf("%w: precreate %s: %s", ErrRefused, req.Reference, r.message())
	}
	return "", fmt.Errorf("%w: precreate %s: %s", ErrUnknownOutcome, req.Reference, r.message())
}

// call sends one signed request and returns the verified response object. Every failure is an
// ErrUnknownOutcome; the pay code travels only in the form body, never in an error.
func (c *Client) call(ctx context.Context, method string, biz any) (response, error) {
	content, err := json.Marshal(biz)
	if err != nil {
		return response{}, err
	}
	params := map[string]string{
		"app_id":      c.cfg.AppID,
		"method":      method,
		"format":      "JSON",
		"charset":     "utf-8",
		"sign_type":   "RSA2",
		"timestamp":   c.now().In(beijing).Format(time.DateTime),
		"version":     "1.0",
		"biz_content": string(content),
	}
	sign, err := Sign(params, c.cfg.PrivateKey)
	if err != nil {
		return response{}, err
	}
	form := url.Values{"sign": {sign}}
	for k, v := range params {
		form.Set(k, v)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.Gateway, strings.NewReader(form.Encode()))
	if err != nil {
		return response{}, err
	}
	hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
	resp, err := c.http.Do(hreq)
	if err != nil {
		return response{}, fmt.Errorf("%w: %v", ErrUnknownOutcome, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return response{}, fmt.Errorf("%w: reading the reply: %v", ErrUnknownOutcome, err)
	}
	if resp.StatusCode != http.StatusOK {
		return response{}, fmt.Errorf("%w: HTTP %s", ErrUnknownOutcome, resp.Status)
	}
	raw, err := verifiedResponse(body, strings.ReplaceAll(method, ".", "_")+"_response", c.cfg.AlipayPublicKey)
	if err != nil {
		return response{}, fmt.Errorf("%w: %v", ErrUnknownOutcome, err)
	}
	var r response
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(&r); err != nil || r.Code == "" {
		return response{}, fmt.Errorf("%w: unreadable response object", ErrUnknownOutcome)
	}
	return r, nil
}

// yuan returns a CNY amount as Alipay's total_amount: yuan with two decimals ("12.50"), in
// Alipay's range of 0.01 to 100000000.
func yuan(a money.Amount) (string, error) {
	if a.Currency() != money.CNY {
		return "", fmt.Errorf("%w, not %s", ErrCurrency, a.Currency().Code)
	}
	if a.Minor() < 1 || a.Minor() > 100_000_000_00 {
		return "", fmt.Errorf("alipay: %s is out of Alipay's range (0.01 to 100000000.00)", a)
	}
	return a.Decimal(), nil
}

// tradeNo turns a till reference into an Alipay order (or refund request) number: letters, digits and
// underscores, at most 64; the reference's hyphens become underscores. A reference with an underscore
// is refused, so that two references never make one order number.
func tradeNo(ref string) (string, error) {
	if ref == "" || len(ref) > 64 {
		return "", fmt.Errorf("%w %q: 1 to 64 characters", ErrReference, ref)
	}
	b := []byte(ref)
	for i, ch := range b {
		switch {
		case ch >= '0' && ch <= '9', ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z':
		case ch == '-':
			b[i] = '_'
		default:
			return "", fmt.Errorf("%w %q: only letters, digits and hyphens", ErrReference, ref)
		}
	}
	return string(b), nil
}

// subject makes an order title Alipay accepts: without / = & (its documentation forbids them), at most
// 256 characters.
func subject(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '=' || r == '&' || r < ' ' {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > 256 {
		s = string([]rune(s)[:256])
	}
	if s == "" {
		s = "Purchase"
	}
	return s
}
