package alipay

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"checkout/devices/paygate/secretfile"
)

// minKeyBits is the smallest RSA key RSA2 is used with: Alipay's tools make 2048-bit keys.
const minKeyBits = 2048

// LoadKeys reads the merchant's private key and Alipay's public key from files: PEM (a PKCS #1 or
// PKCS #8 private key, a PKIX public key) or the bare one-line base64 that Alipay's key tool writes.
// It refuses a private key file that group or others can read (its mode must be 0600 or stricter;
// not checked on Windows, whose permissions are ACLs). Errors name the file, never the key.
func LoadKeys(privateKeyFile, alipayPublicKeyFile string) (*rsa.PrivateKey, *rsa.PublicKey, error) {
	data, err := readPrivate(privateKeyFile)
	if err != nil {
		return nil, nil, err
	}
	priv, err := parsePrivateKey(data)
	if err != nil {
		return nil, nil, fmt.Errorf("alipay: private key %s: %w", privateKeyFile, err)
	}
	data, err = os.ReadFile(alipayPublicKeyFile)
	if err != nil {
		return nil, nil, fmt.Errorf("alipay: Alipay public key: %w", err)
	}
	pub, err := parsePublicKey(data)
	if err != nil {
		return nil, nil, fmt.Errorf("alipay: Alipay public key %s: %w", alipayPublicKeyFile, err)
	}
	return priv, pub, nil
}

// readPrivate reads a private key file: only when only its owner can read it (secretfile.Read).
func readPrivate(name string) ([]byte, error) {
	data, err := secretfile.Read(name)
	if err != nil {
		return nil, fmt.Errorf("alipay: private key: %w", err)
	}
	return data, nil
}

// keyDER returns the DER bytes of a PEM file's first block, or of a bare base64 key, and the PEM type.
func keyDER(data []byte) (der []byte, pemType string, err error) {
	if block, _ := pem.Decode(data); block != nil {
		return block.Bytes, block.Type, nil
	}
	if strings.Contains(string(data), "-----BEGIN") {
		return nil, "", errors.New("unreadable PEM")
	}
	text := strings.Join(strings.Fields(string(data)), "")
	if text == "" {
		return nil, "", errors.New("the file is empty")
	}
	der, err = base64.StdEncoding.DecodeString(text)
	if err != nil {
		return nil, "", errors.New("neither PEM nor base64")
	}
	return der, "", nil
}

func parsePrivateKey(data []byte) (*rsa.PrivateKey, error) {
	der, typ, err := keyDER(data)
	if err != nil {
		return nil, err
	}
	var key *rsa.PrivateKey
	switch typ {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(der)
	case "PRIVATE KEY":
		key, err = pkcs8RSA(der)
	case "": // bare base64: Alipay's tool writes PKCS #8 for Java and PKCS #1 for other languages
		if key, err = pkcs8RSA(der); err != nil {
			key, err = x509.ParsePKCS1PrivateKey(der)
		}
	default:
		return nil, fmt.Errorf("a PEM %q block, not a private key", typ)
	}
	if err != nil {
		return nil, errors.New("not an RSA private key in PKCS #1 or PKCS #8 form")
	}
	if key.N.BitLen() < minKeyBits {
		return nil, fmt.Errorf("a %d-bit key: RSA2 needs %d bits or more", key.N.BitLen(), minKeyBits)
	}
	return key, nil
}

func pkcs8RSA(der []byte) (*rsa.PrivateKey, error) {
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, err
	}
	key, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("not an RSA key")
	}
	return key, nil
}

func parsePublicKey(data []byte) (*rsa.PublicKey, error) {
	der, typ, err := keyDER(data)
	if err != nil {
		return nil, err
	}
	var key *rsa.PublicKey
	switch typ {
	case "PUBLIC KEY", "":
		var k any
		if k, err = x509.ParsePKIXPublicKey(der); err == nil {
			var ok bool
			if key, ok = k.(*rsa.PublicKey); !ok {
				return nil, errors.New("not an RSA key")
			}
		} else if typ == "" {
			key, err = x509.ParsePKCS1PublicKey(der)
		}
	case "RSA PUBLIC KEY":
		key, err = x509.ParsePKCS1PublicKey(der)
	case "CERTIFICATE":
		return nil, errors.New("a certificate: use the Alipay public key (public key mode), certificate mode is not supported")
	default:
		return nil, fmt.Errorf("a PEM %q block, not a public key", typ)
	}
	if err != nil {
		return nil, errors.New("not an RSA public key in PKIX form")
	}
	if key.N.BitLen() < minKeyBits {
		return nil, fmt.Errorf("a %d-bit key: RSA2 needs %d bits or more", key.N.BitLen(), minKeyBits)
	}
	return key, nil
}
