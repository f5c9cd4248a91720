package wechatpay

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"os"

	"checkout/devices/paygate/secretfile"
)

// apiKeyLen is the length of an API v2 key.
const apiKeyLen = 32

// ErrKeyFileOpen: a secret's file can be read by other users of the machine. The API key and the
// client certificate's private key are the merchant's money; their files must be 0600 or stricter.
var ErrKeyFileOpen = errors.New("wechatpay: secret file is readable by group or others (want mode 0600)")

// LoadAPIKey reads the merchant's API v2 key (the 32 characters set in the merchant platform under API
// security) from file, refusing a file other users can read. Surrounding white space is ignored. The key
// never appears in an error.
func LoadAPIKey(file string) ([]byte, error) {
	data, err := readSecret(file)
	if err != nil {
		return nil, err
	}
	key := bytes.TrimSpace(data)
	if len(key) != apiKeyLen {
		return nil, fmt.Errorf("wechatpay: API key in %s has %d characters, want %d", file, len(key), apiKeyLen)
	}
	return key, nil
}

// LoadClientCert reads the merchant's API client certificate (apiclient_cert.pem) and its private key
// (apiclient_key.pem), which reversals and refunds present over mutual TLS, refusing a key file other
// users can read.
func LoadClientCert(certFile, keyFile string) (tls.Certificate, error) {
	keyPEM, err := readSecret(keyFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("wechatpay: client certificate: %w", err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil { // crypto/tls's errors name no key material
		return tls.Certificate{}, fmt.Errorf("wechatpay: client certificate %s with key %s: %v", certFile, keyFile, err)
	}
	return cert, nil
}

// readSecret reads a file that holds a secret, only when only its owner can read it (secretfile.Read);
// one others can read is ErrKeyFileOpen.
func readSecret(file string) ([]byte, error) {
	data, err := secretfile.Read(file)
	if errors.Is(err, secretfile.ErrReadable) {
		return nil, fmt.Errorf("%w: %v", ErrKeyFileOpen, err)
	}
	if err != nil {
		return nil, fmt.Errorf("wechatpay: %w", err)
	}
	return data, nil
}
