// Package partnersign signs licensee requests for the partner API's PartnerHMAC scheme, and
// computes the signature the server checks. It uses only the standard library, so licensee
// systems written in Go can use it as it is (the tests do).
//
// A signed request carries three headers:
//
//	X-Key-Id:    the key id shown when the key was created
//	X-Timestamp: the time of signing, in unix seconds (decimal); the server accepts ±5 minutes
//	X-Signature: hex(HMAC-SHA256(secret, string to sign))
//
// The string to sign is five lines joined by "\n" (no trailing newline):
//
//	METHOD                 upper case: GET, POST…
//	path                   as sent, without query: /v1/partner/whoami
//	canonical query        every pair as name=value, each side escaped as url.QueryEscape
//	                       does (space as "+"), the pairs sorted bytewise (LC_ALL=C sort),
//	                       joined by "&"; "" if there is no query
//	timestamp              the X-Timestamp value
//	hex(SHA-256(body))     of the exact body bytes; of "" for no body (e3b0c442…b855)
//
// The HMAC key is the secret string exactly as shown (its ASCII bytes). Each signature is
// accepted once: send a new timestamp (or anything else that changes the string) per request.
package partnersign

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Header names.
const (
	HeaderKeyID     = "X-Key-Id"
	HeaderTimestamp = "X-Timestamp"
	HeaderSignature = "X-Signature"
)

// MaxSkew is how far a request's timestamp may be from the server's clock.
const MaxSkew = 5 * time.Minute

// CanonicalQuery is the query part of the string to sign: every name=value pair of rawQuery,
// each side escaped with url.QueryEscape, the pairs sorted bytewise, joined by "&".
func CanonicalQuery(rawQuery string) string {
	values, _ := url.ParseQuery(rawQuery) // what parses is signed; the server parses the same way
	if len(values) == 0 {
		return ""
	}
	pairs := make([]string, 0, len(values))
	for name, vs := range values {
		for _, v := range vs {
			pairs = append(pairs, url.QueryEscape(name)+"="+url.QueryEscape(v))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

// StringToSign is what the HMAC covers.
func StringToSign(method, path, rawQuery, timestamp string, body []byte) string {
	sum := sha256.Sum256(body)
	return strings.ToUpper(method) + "\n" + path + "\n" + CanonicalQuery(rawQuery) + "\n" + timestamp + "\n" + hex.EncodeToString(sum[:])
}

// MAC returns HMAC-SHA256(secret, StringToSign(…)).
func MAC(secret, method, path, rawQuery, timestamp string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(StringToSign(method, path, rawQuery, timestamp, body)))
	return m.Sum(nil)
}

// Signature is the X-Signature value: hex of MAC.
func Signature(secret, method, path, rawQuery, timestamp string, body []byte) string {
	return hex.EncodeToString(MAC(secret, method, path, rawQuery, timestamp, body))
}

// Headers returns the three headers that sign a request made at now.
func Headers(keyID, secret, method, path, rawQuery string, body []byte, now time.Time) map[string]string {
	ts := strconv.FormatInt(now.Unix(), 10)
	return map[string]string{
		HeaderKeyID:     keyID,
		HeaderTimestamp: ts,
		HeaderSignature: Signature(secret, method, path, rawQuery, ts, body),
	}
}

// Sign adds the signature headers to req, reading its body and putting it back.
func Sign(req *http.Request, keyID, secret string, now time.Time) error {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	for k, v := range Headers(keyID, secret, req.Method, req.URL.Path, req.URL.RawQuery, body, now) {
		req.Header.Set(k, v)
	}
	return nil
}

// Transport signs every request it sends with one key:
//
//	client := &http.Client{Transport: &partnersign.Transport{KeyID: id, Secret: secret}}
type Transport struct {
	KeyID, Secret string
	Base          http.RoundTripper // http.DefaultTransport when nil
	Now           func() time.Time  // time.Now when nil
}

// RoundTrip signs a copy of req and sends it.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody != nil {
			b, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			out.Body = b
		}
		// Without GetBody the clone shares req.Body, which Sign reads and replaces on out only.
	}
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	if err := Sign(out, t.KeyID, t.Secret, now()); err != nil {
		return nil, err
	}
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(out)
}
