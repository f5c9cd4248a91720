package wechatpay

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// signType is the only signature this package sends or accepts: HMAC-SHA256, never the MD5 default.
const signType = "HMAC-SHA256"

// Sign is the API v2 signature of params under key: the parameters with a value, except sign itself,
// sorted by name (byte order), joined as k=v&k=v, then &key=<key>; HMAC-SHA256 of that with key as the
// HMAC key, upper-case hex.
func Sign(params map[string]string, key []byte) string {
	mac := hmac.New(sha256.New, key)
	io.WriteString(mac, signingString(params, key))
	return strings.ToUpper(hex.EncodeToString(mac.Sum(nil)))
}

// signingString is stringSignTemp in WeChat's documentation.
func signingString(params map[string]string, key []byte) string {
	keys := make([]string, 0, len(params))
	for k, v := range params {
		if k != "sign" && v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(params[k])
		b.WriteByte('&')
	}
	b.WriteString("key=")
	b.Write(key)
	return b.String()
}

// verify reports whether a reply carries a signature, and it is params' own under key. Every field
// received is signed, including any WeChat has added since this was written.
func verify(params map[string]string, key []byte) bool {
	got := params["sign"]
	if got == "" {
		return false
	}
	return hmac.Equal([]byte(strings.ToUpper(got)), []byte(Sign(params, key)))
}

const nonceChars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// nonce is nonce_str: 32 random letters and digits.
func nonce() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	for i := range b {
		b[i] = nonceChars[int(b[i])%len(nonceChars)] // 256 % 62 bias is harmless in a nonce
	}
	return string(b)
}

// encodeXML writes params as the API's flat <xml><k>v</k>…</xml>, fields sorted by name.
func encodeXML(params map[string]string) []byte {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteString("<xml>")
	for _, k := range keys {
		fmt.Fprintf(&b, "<%s>", k)
		xml.EscapeText(&b, []byte(params[k]))
		fmt.Fprintf(&b, "</%s>", k)
	}
	b.WriteString("</xml>")
	return b.Bytes()
}

var errXML = errors.New("not a WeChat Pay XML document")

// decodeXML reads a reply: one <xml> element holding fields of text (CDATA or not). Anything else — a
// nested element, a field twice, a second document, a DOCTYPE — is refused rather than guessed at.
func decodeXML(data []byte) (map[string]string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	m := map[string]string{}
	depth, done := 0, false
	var field string
	var text []byte
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if !done {
				return nil, errXML
			}
			return m, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errXML, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case done || tok.Name.Space != "" || depth > 2:
				return nil, errXML
			case depth == 1 && tok.Name.Local != "xml":
				return nil, errXML
			case depth == 2:
				if _, dup := m[tok.Name.Local]; dup {
					return nil, fmt.Errorf("%w: %s twice", errXML, tok.Name.Local)
				}
				field, text = tok.Name.Local, text[:0]
			}
		case xml.EndElement:
			if depth == 2 {
				m[field] = string(text)
			}
			depth--
			done = depth == 0
		case xml.CharData:
			switch {
			case depth == 2:
				text = append(text, tok...)
			case len(bytes.TrimSpace(tok)) != 0:
				return nil, errXML
			}
		case xml.Directive:
			return nil, errXML
		}
	}
}
