package alipay

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// SignContent is the text an RSA2 signature covers: every parameter except sign, empty values left
// out, sorted by key (byte order) and joined as k=v&k=v with the raw values, not URL-encoded.
func SignContent(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k, v := range params {
		if k == "sign" || v == "" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(params[k])
	}
	return b.String()
}

// Sign returns the base64 RSA2 (SHA256withRSA, PKCS #1 v1.5) signature of params with the merchant's key.
func Sign(params map[string]string, key *rsa.PrivateKey) (string, error) {
	sum := sha256.Sum256([]byte(SignContent(params)))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("alipay: signing: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// verify checks a base64 RSA2 signature of content with Alipay's public key.
func verify(content []byte, sign string, key *rsa.PublicKey) error {
	sig, err := base64.StdEncoding.DecodeString(sign)
	if err != nil {
		return errors.New("the signature is not base64")
	}
	sum := sha256.Sum256(content)
	return rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig)
}

// errUnsigned: a reply without a signature, which is never trusted.
var errUnsigned = errors.New("the reply is not signed")

// verifiedResponse finds the response object of a reply — {"alipay_trade_pay_response":{…},"sign":"…"} —
// and checks Alipay's signature over its raw text, exactly as the reply holds it. A reply that names
// the object twice, has no signature or a wrong one is refused. The gateway answers a request it cannot
// route with error_response in place of the method's object; that is checked the same way.
func verifiedResponse(body []byte, key string, pub *rsa.PublicKey) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("the reply is not a JSON object")
	}
	fields := map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("unreadable reply: %v", err)
		}
		name, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("unreadable reply: %v", err)
		}
		if _, dup := fields[name]; dup {
			return nil, fmt.Errorf("the reply has %q twice", name)
		}
		fields[name] = raw
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return nil, errors.New("unreadable reply: the object does not end")
	}
	content, ok := fields[key]
	if !ok {
		if content, ok = fields["error_response"]; !ok {
			return nil, fmt.Errorf("the reply has no %s", key)
		}
	}
	if len(content) == 0 || content[0] != '{' {
		return nil, fmt.Errorf("the reply's %s is not an object", key)
	}
	var sign string
	if raw, ok := fields["sign"]; !ok || json.Unmarshal(raw, &sign) != nil || sign == "" {
		return nil, errUnsigned
	}
	err := verify(content, sign, pub)
	if err != nil && bytes.Contains(content, []byte(`\/`)) {
		// Alipay's note on verifying replies: the signed text may have plain slashes where the reply
		// escapes them (\/), as in the https URLs of qr_code; try again with them unescaped. The two
		// texts are the same JSON, so this trusts nothing the signature does not cover.
		err = verify(bytes.ReplaceAll(content, []byte(`\/`), []byte(`/`)), sign, pub)
	}
	if err != nil {
		return nil, errors.New("the reply's signature does not verify with Alipay's public key")
	}
	return content, nil
}
