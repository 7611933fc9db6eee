package abs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Endpoint is one call's "dynamic fields" (seed 004: set by the bank's administrator in the
// back office, section "Интеграция с АБС"): where to send it and how to read the answer.
type Endpoint struct {
	// Enabled: a disabled call is not made (Call returns ErrDisabled); the step is then done by
	// hand in the back office, as the seed describes.
	Enabled bool   `json:"enabled"`
	URL     string `json:"url"`
	// The answer is a success when SuccessKey has SuccessValue (seed: answerPermit / PERMIT),
	// an error when ErrorKey has ErrorValue (answerError / ERROR) or "_rc" is "-1".
	SuccessKey   string `json:"successKey"`
	SuccessValue string `json:"successValue"`
	ErrorKey     string `json:"errorKey"`
	ErrorValue   string `json:"errorValue"`
	CommentKey   string `json:"commentKey"` // seed: comment
	// DateFromKey and DateToKey (OpenAccount; seed: answerDateFrom, answerDateto) name the keys
	// of the answer whose values Result.DateFrom / DateTo keep; empty keys are not read. The
	// seed's value column for them (DATEFROM, DATETO) is kept as the administrator sets it: the
	// seed does not say what it changes in reading the answer, so nothing uses it yet.
	DateFromKey   string `json:"dateFromKey,omitempty"`
	DateFromValue string `json:"dateFromValue,omitempty"`
	DateToKey     string `json:"dateToKey,omitempty"`
	DateToValue   string `json:"dateToValue,omitempty"`
}

// Settings are the dynamic fields of the four calls and the auto-reject switch. The bank's
// administrator edits them in the back office (shared/abs/abssettings); until first saved
// they are DefaultSettings under the template's AbsUrl.
type Settings struct {
	InitialCheck Endpoint `json:"initialCheck"`
	NewClient    Endpoint `json:"newClient"`
	OpenAccount  Endpoint `json:"openAccount"`
	DeleteClient Endpoint `json:"deleteClient"`
	// AutoReject: an InitialCheck that answers with an error annuls the application; without it
	// the error is recorded and the client goes on to the second step (seed 004, step 1).
	AutoReject bool `json:"autoReject"`
}

// The seed's keys and values, the defaults of every call.
const (
	RCKey         = "_rc"
	RCSuccess     = "1"
	RCError       = "-1"
	CommentKey    = "_comment"
	ClientIDKey   = "_client_id"
	AccountKey    = "_account_number"
	NotesKey      = "_notes4staff"
	altCommentKey = "comment" // the seed's DeleteClient error answer uses it
	SendPath      = "/send-request"
	ReservePath   = "/api/reservationInvoice"
)

// DefaultEndpoint is a call to url read with the seed's keys: "_rc" "1" success, "_rc" "-1"
// error, "_comment" the comment.
func DefaultEndpoint(url string) Endpoint {
	return Endpoint{Enabled: true, URL: url, SuccessKey: RCKey, SuccessValue: RCSuccess,
		ErrorKey: RCKey, ErrorValue: RCError, CommentKey: CommentKey}
}

// DefaultSettings are every call enabled on the seed's paths under baseURL (NewClient on
// /api/reservationInvoice, the others on /send-request), the seed's keys, no auto-reject. The
// local simulator (infra/abssim) answers them.
func DefaultSettings(baseURL string) Settings {
	base := strings.TrimRight(baseURL, "/")
	return Settings{
		InitialCheck: DefaultEndpoint(base + SendPath),
		NewClient:    DefaultEndpoint(base + ReservePath),
		OpenAccount:  DefaultEndpoint(base + SendPath),
		DeleteClient: DefaultEndpoint(base + SendPath),
	}
}

// For returns the endpoint of kind k (zero for an unknown kind).
func (s Settings) For(k Kind) Endpoint {
	switch k {
	case InitialCheck:
		return s.InitialCheck
	case NewClient:
		return s.NewClient
	case OpenAccount:
		return s.OpenAccount
	case DeleteClient:
		return s.DeleteClient
	}
	return Endpoint{}
}

// Validate checks what the back office stores: every enabled call needs an http(s) URL and a
// success key (the error and comment keys default to the seed's when empty: Interpret); keys,
// values and URLs are bounded. The error is an apperr validation error whose fields are the
// JSON paths ("newClient.url"); its text names the calls too.
func (s Settings) Validate() error {
	var errs []error
	f := apperr.Fields{}
	for _, k := range Kinds {
		e := s.For(k)
		p := fieldOf(k)
		bad := func(field, msg string) {
			f.Add(p+"."+field, msg)
			errs = append(errs, fmt.Errorf("%s: %s %s", k, field, msg))
		}
		if len(e.URL) > maxURL {
			bad("url", fmt.Sprintf("must be at most %d characters", maxURL))
		}
		for field, v := range map[string]string{"successKey": e.SuccessKey, "successValue": e.SuccessValue, "errorKey": e.ErrorKey,
			"errorValue": e.ErrorValue, "commentKey": e.CommentKey, "dateFromKey": e.DateFromKey, "dateFromValue": e.DateFromValue,
			"dateToKey": e.DateToKey, "dateToValue": e.DateToValue} {
			if len(v) > maxKey {
				bad(field, fmt.Sprintf("must be at most %d characters", maxKey))
			}
		}
		if !e.Enabled {
			continue
		}
		u, err := url.Parse(e.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("url", "must be an absolute http(s) URL")
		}
		if strings.TrimSpace(e.SuccessKey) == "" {
			bad("successKey", "is required (the success key)")
		}
	}
	if len(f) == 0 {
		return nil
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return &apperr.Error{Code: apperr.Validation, Message: "the ABS settings have invalid fields", Fields: f, Err: errors.Join(errs...)}
}

// Limits of the settings' texts.
const (
	maxURL = 2048
	maxKey = 200
)

// fieldOf is the JSON name of kind's endpoint in Settings.
func fieldOf(k Kind) string {
	switch k {
	case InitialCheck:
		return "initialCheck"
	case NewClient:
		return "newClient"
	case OpenAccount:
		return "openAccount"
	}
	return "deleteClient"
}

// SettingsSource gives the settings of a call (abssettings.Source reads the stored ones).
type SettingsSource interface {
	Settings(ctx context.Context) (Settings, error)
}

// Static is a fixed SettingsSource.
type Static Settings

// Settings returns s.
func (s Static) Settings(context.Context) (Settings, error) { return Settings(s), nil }

// ErrProtocol is the cause of answers that are not the protocol: not JSON, neither the
// success nor the error value, both at once, or a success without what the kind must return.
// Retrying does not help; a human must look (the answer is in the error's Result.Raw when it
// was JSON).
var ErrProtocol = errors.New("abs: the answer is not the agreed protocol")

// Interpret reads the body of an HTTP 200 answer to a call of kind k. A success or an error
// answer is a Result (OK true or false); anything else is an error wrapping ErrProtocol (with
// the partial Result, Raw included, when the body was a JSON object).
func (e Endpoint) Interpret(k Kind, body []byte) (Result, error) {
	res := Result{Kind: k}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // client ids are integers: keep them exact
	if err := dec.Decode(&res.Raw); err != nil || res.Raw == nil {
		res.Raw = nil
		return res, fmt.Errorf("%w: not a JSON object", ErrProtocol)
	}
	if dec.More() {
		return res, fmt.Errorf("%w: more than one JSON value", ErrProtocol)
	}
	successKey, errorKey, errorValue := or(e.SuccessKey, RCKey), or(e.ErrorKey, RCKey), or(e.ErrorValue, RCError)
	successValue := or(e.SuccessValue, RCSuccess)
	success := equal(res.Raw[successKey], successValue)
	failure := equal(res.Raw[errorKey], errorValue) || equal(res.Raw[RCKey], RCError)
	res.Comment = text(res.Raw[or(e.CommentKey, CommentKey)])
	if res.Comment == "" { // the seed itself varies: "_comment", and "comment" in DeleteClient
		res.Comment = or(text(res.Raw[CommentKey]), text(res.Raw[altCommentKey]))
	}
	notes, err := parseNotes(res.Raw[NotesKey])
	if err != nil {
		return res, fmt.Errorf("%w: %s: %w", ErrProtocol, NotesKey, err)
	}
	res.Notes = notes
	if id, ok, err := integer(res.Raw[ClientIDKey]); err != nil {
		return res, fmt.Errorf("%w: %s: %w", ErrProtocol, ClientIDKey, err)
	} else if ok {
		res.ClientID = id
	}
	res.AccountNumber = strings.Join(strings.Fields(text(res.Raw[AccountKey])), "") // the seed writes it with spaces once
	if e.DateFromKey != "" {
		res.DateFrom = text(res.Raw[e.DateFromKey])
	}
	if e.DateToKey != "" {
		res.DateTo = text(res.Raw[e.DateToKey])
	}
	switch {
	case success && failure:
		return res, fmt.Errorf("%w: both success (%s) and error (%s) values", ErrProtocol, successKey, errorKey)
	case failure:
		return res, nil
	case !success:
		return res, fmt.Errorf("%w: %s is neither %q nor the error value", ErrProtocol, successKey, successValue)
	}
	res.OK = true
	if k == NewClient { // a reservation without its number is no reservation
		if !validAccount(res.AccountNumber) {
			res.OK = false
			return res, fmt.Errorf("%w: %s must be 20 digits", ErrProtocol, AccountKey)
		}
		if res.ClientID == 0 {
			res.OK = false
			return res, fmt.Errorf("%w: %s is missing", ErrProtocol, ClientIDKey)
		}
	}
	return res, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// equal compares a JSON value with a configured value as text: "1" matches "1" and 1.
func equal(v any, want string) bool {
	s, ok := scalar(v)
	return ok && s == strings.TrimSpace(want)
}

// scalar is a string, number or boolean as trimmed text.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v), true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// text is a scalar as text, with the seed's "null" (a string) read as empty.
func text(v any) string {
	s, _ := scalar(v)
	if strings.EqualFold(s, "null") {
		return ""
	}
	return s
}

// integer reads an integer sent as a number or a string of digits; absent, null, "" and "null"
// are not there.
func integer(v any) (int64, bool, error) {
	s := text(v)
	if s == "" {
		if _, isObj := v.(map[string]any); isObj {
			return 0, false, errors.New("an object")
		}
		if _, isList := v.([]any); isList {
			return 0, false, errors.New("a list")
		}
		return 0, false, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false, fmt.Errorf("%q is not an integer", s)
	}
	return n, n != 0, nil
}

func validAccount(s string) bool {
	return len(s) == 20 && strings.Trim(s, "0123456789") == ""
}

// The seed's note keys.
const (
	noteCheck   = "Тип Проверки"
	notePassed  = "Прошла"
	noteMessage = "Сообщение"
)

// parseNotes reads "_notes4staff": absent, null or the string "null" is none; a list of the
// seed's objects; one such object; or, leniently, an object of check → message (passed
// unknown, so false: a human reads it), a bare string (one note) and strings inside the list
// (the seed's own example has "... etc").
func parseNotes(v any) ([]Note, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		if s := text(v); s != "" {
			return []Note{{Message: s}}, nil
		}
		return nil, nil
	case []any:
		var out []Note
		for i, item := range v {
			switch item := item.(type) {
			case map[string]any:
				out = append(out, noteOf(item)...)
			case nil:
			default:
				s, ok := scalar(item)
				if !ok {
					return nil, fmt.Errorf("item %d is neither an object nor text", i)
				}
				out = append(out, Note{Message: s})
			}
		}
		return out, nil
	case map[string]any:
		return noteOf(v), nil
	}
	return nil, errors.New("neither a list, an object nor a string")
}

// noteOf is one seed note, or each key of another object as a note.
func noteOf(m map[string]any) []Note {
	_, hasCheck := m[noteCheck]
	_, hasMsg := m[noteMessage]
	if hasCheck || hasMsg {
		return []Note{{Check: text(m[noteCheck]), Passed: passed(m[notePassed]), Message: text(m[noteMessage])}}
	}
	var out []Note
	for _, k := range sortedKeys(m) {
		msg, ok := scalar(m[k])
		if !ok {
			b, _ := json.Marshal(m[k])
			msg = string(b)
		}
		out = append(out, Note{Check: k, Message: msg})
	}
	return out
}

// passed reads "Прошла": 1 / 0, "1" / "0", true / false; anything else is not a pass.
func passed(v any) bool {
	s, _ := scalar(v)
	switch strings.ToLower(s) {
	case "1", "true", "да":
		return true
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
