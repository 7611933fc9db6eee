// Package smsru is a client of the SMS.ru HTTP API (https://sms.ru/api/send): POST /sms/send
// with api_id, to, msg and json=1. The local simulator (infra/smssim) speaks the same API.
package smsru

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// Client sends SMS through SMS.ru.
type Client struct {
	BaseURL string // https://sms.ru
	APIID   string
	From    string // approved sender name; "" = account default
	HTTP    *http.Client
}

// New returns a client with a 10-second timeout.
func New(baseURL, apiID, from string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), APIID: apiID, From: from, HTTP: &http.Client{Timeout: 10 * time.Second}}
}

// response is SMS.ru's JSON answer.
type response struct {
	Status     string `json:"status"`
	StatusCode int    `json:"status_code"`
	StatusText string `json:"status_text"`
	SMS        map[string]struct {
		Status     string `json:"status"`
		StatusCode int    `json:"status_code"`
		StatusText string `json:"status_text"`
		SMSID      string `json:"sms_id"`
	} `json:"sms"`
}

// permanentCodes are SMS.ru status codes that no retry can fix (bad credentials, bad number,
// bad text). Others (220 service unavailable, 201 no funds, daily limits) may pass later.
var permanentCodes = map[int]bool{200: true, 202: true, 203: true, 204: true, 205: true, 207: true,
	208: true, 209: true, 210: true, 211: true, 212: true, 213: true, 300: true, 301: true, 302: true}

// Error is a refusal by SMS.ru.
type Error struct {
	Code int
	Text string
}

func (e *Error) Error() string { return fmt.Sprintf("sms.ru status %d: %s", e.Code, e.Text) }

// Send sends text to phone (E.164) and returns SMS.ru's message id.
func (c *Client) Send(ctx context.Context, phone, text string) (string, error) {
	to := strings.TrimPrefix(phone, "+")
	form := url.Values{"api_id": {c.APIID}, "to": {to}, "msg": {text}, "json": {"1"}}
	if c.From != "" {
		form.Set("from", c.From)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/sms/send", strings.NewReader(form.Encode()))
	if err != nil {
		return "", sqsworker.Permanent(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return "", fmt.Errorf("sms.ru unreachable: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return "", fmt.Errorf("sms.ru read: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("sms.ru HTTP %d", resp.StatusCode)
	}
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", fmt.Errorf("sms.ru answer is not JSON: %w", err)
	}
	if r.Status != "OK" {
		return "", classify(&Error{Code: r.StatusCode, Text: r.StatusText})
	}
	one, ok := r.SMS[to]
	if !ok {
		return "", errors.New("sms.ru answer has no status for the number")
	}
	if one.Status != "OK" {
		return "", classify(&Error{Code: one.StatusCode, Text: one.StatusText})
	}
	return one.SMSID, nil
}

func classify(e *Error) error {
	if permanentCodes[e.Code] {
		return sqsworker.Permanent(e)
	}
	return e
}
