// Package client is the till's side of the head office link: enrolment, and an Uploader that sends the
// outbox in order, exactly once from the head office's point of view. Pure Go: no Fyne, no SQL.
package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"checkout/hq/api"
)

// Config is how a till reaches its head office.
type Config struct {
	URL   string // e.g. https://hq.example.com:8443
	Shop  string
	Token string
	// CAPEM, when set, is a CA certificate (PEM) trusted besides the system's roots: a head office with a
	// certificate of its own making is pinned at enrolment.
	CAPEM []byte
	// Timeout bounds each request, reply included; 30 s when zero.
	Timeout time.Duration
	// Version is the till's release, named in every request's User-Agent (api.UserAgent) for the head
	// office's list of tills; "" names none.
	Version string
}

// Client calls the head office's API.
type Client struct {
	cfg  Config
	http *http.Client
}

// New returns a client for cfg. The URL must be https: the token and the shop's sales never cross the
// network in the clear.
func New(cfg Config) (*Client, error) {
	if u, err := url.Parse(cfg.URL); err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("head office URL %q: want https://HOST[:PORT]", cfg.URL)
	}
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if len(cfg.CAPEM) > 0 && !roots.AppendCertsFromPEM(cfg.CAPEM) {
		return nil, errors.New("head office CA: no certificate in the PEM")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	return &Client{cfg: cfg, http: &http.Client{Transport: tr, Timeout: cfg.Timeout}}, nil
}

// Close drops idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Enrol trades the one-time code in req for the till's token, registering the till's journal key and
// head when req has them.
func Enrol(ctx context.Context, hqURL string, caPEM []byte, req api.EnrolRequest) (api.EnrolReply, error) {
	c, err := New(Config{URL: hqURL, CAPEM: caPEM})
	if err != nil {
		return api.EnrolReply{}, err
	}
	defer c.Close()
	var reply api.EnrolReply
	if err := c.post(ctx, api.EnrolPath, req, &reply); err != nil {
		return reply, fmt.Errorf("enrol: %w", err)
	}
	if reply.Token == "" {
		return reply, errors.New("enrol: the head office sent no token")
	}
	return reply, nil
}

// RegisterKey registers the till's journal key with the head office, anchoring its chain at head.
func (c *Client) RegisterKey(ctx context.Context, key []byte, head api.Head) error {
	var reply api.Head
	return c.post(ctx, api.JournalKeyPath(c.cfg.Shop), api.JournalKeyRequest{JournalKey: hex.EncodeToString(key), Head: head}, &reply)
}

// Chain returns what the head office holds of the till's journal chain.
func (c *Client) Chain(ctx context.Context) (api.Chain, error) {
	var ch api.Chain
	err := c.do(ctx, http.MethodGet, api.JournalPath(c.cfg.Shop), nil, &ch)
	return ch, err
}

// JournalLink returns the head office's copy of journal row seq of the till.
func (c *Client) JournalLink(ctx context.Context, seq int64) (api.Link, error) {
	var l api.Link
	err := c.do(ctx, http.MethodGet, api.JournalPath(c.cfg.Shop)+"?seq="+strconv.FormatInt(seq, 10), nil, &l)
	return l, err
}

// Upload posts one batch and returns the head office's acknowledgement.
func (c *Client) Upload(ctx context.Context, req api.UploadRequest) (api.UploadReply, error) {
	var reply api.UploadReply
	err := c.post(ctx, api.UploadPath(c.cfg.Shop), req, &reply)
	return reply, err
}

// post sends body as JSON and decodes a 200 reply into reply; any other status becomes an *api.Error.
func (c *Client) post(ctx context.Context, path string, body, reply any) error {
	return c.do(ctx, http.MethodPost, path, body, reply)
}

// do sends a request (with body as JSON unless nil) and decodes a 200 reply into reply; any other status
// becomes an *api.Error.
func (c *Client) do(ctx context.Context, method, path string, body, reply any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.cfg.URL, "/")+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	}
	if ua := api.UserAgent(c.cfg.Version); ua != "" {
		req.Header.Set("User-Agent", ua)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, api.MaxBody))
	if err != nil {
		return fmt.Errorf("reading the head office's reply: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		e := &api.Error{Status: resp.StatusCode}
		if json.Unmarshal(data, e) != nil || e.Message == "" {
			e.Code, e.Message = "http", strings.TrimSpace(string(data))
		}
		return e
	}
	if err := json.Unmarshal(data, reply); err != nil {
		return fmt.Errorf("head office reply: %w", err)
	}
	return nil
}
