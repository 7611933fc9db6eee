// Package smssim simulates the SMS.ru HTTP API for local runs and tests: POST /sms/send
// answers as SMS.ru does and keeps what was "sent", so a developer can read the codes.
//
// Developer endpoints:
//
//	GET    /_sim/messages[?phone=+79161234567]  sent messages, newest last
//	GET    /_sim/messages/last?phone=...         the newest message to phone (404 if none), with its "code"
//	PUT    /_sim/fault  {"mode":"down"}          answer HTTP 503 (gateway down)
//	PUT    /_sim/fault  {"mode":"status","statusCode":220}  answer an SMS.ru error status
//	DELETE /_sim/fault                           back to normal
package smssim

import (
	"fmt"
	"github.com/kabinet/kabinet/infra/simhttp"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

var codeRe = regexp.MustCompile(`\b\d{4,8}\b`)

// Sent is a message the simulator accepted.
type Sent struct {
	ID     string    `json:"id"`
	Phone  string    `json:"phone"` // E.164
	Text   string    `json:"text"`
	Code   string    `json:"code,omitempty"` // the first 4–8 digit number of the text, for convenience
	From   string    `json:"from,omitempty"`
	SentAt time.Time `json:"sentAt"`
}

// Fault makes the simulator fail.
type Fault struct {
	Mode       string `json:"mode"` // "down" or "status"
	StatusCode int    `json:"statusCode,omitempty"`
}

// Server is the simulator. APIID, when set, must match the api_id of requests.
type Server struct {
	APIID string
	mu    sync.Mutex
	sent  []Sent
	fault *Fault
	calls int
	mux   *http.ServeMux
}

// New returns a simulator accepting apiID ("" accepts any).
func New(apiID string) *Server {
	s := &Server{APIID: apiID, mux: http.NewServeMux()}
	s.mux.HandleFunc("/sms/send", s.send)
	s.mux.HandleFunc("GET /_sim/messages", simhttp.List("phone", s.Messages))
	s.mux.HandleFunc("GET /_sim/messages/last", simhttp.Last("phone", s.Messages))
	s.mux.HandleFunc("PUT /_sim/fault", simhttp.SetFault(func(f Fault) bool { return f.Mode == "down" || f.Mode == "status" }, `mode must be "down" or "status"`, s.SetFault))
	s.mux.HandleFunc("DELETE /_sim/fault", func(w http.ResponseWriter, r *http.Request) { s.SetFault(nil); w.WriteHeader(http.StatusNoContent) })
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// SetFault sets or (nil) clears a fault.
func (s *Server) SetFault(f *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// Messages returns what was sent to phone ("" for all).
func (s *Server) Messages(phone string) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Sent
	for _, m := range s.sent {
		if phone == "" || m.Phone == phone {
			out = append(out, m)
		}
	}
	return out
}

// Calls counts send attempts, failed ones included.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func (s *Server) send(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		simhttp.WriteJSON(w, 200, map[string]any{"status": "ERROR", "status_code": 211, "status_text": "bad request"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.fault != nil && s.fault.Mode == "down" {
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	if s.fault != nil && s.fault.Mode == "status" {
		simhttp.WriteJSON(w, 200, map[string]any{"status": "ERROR", "status_code": s.fault.StatusCode, "status_text": "simulated error"})
		return
	}
	if s.APIID != "" && r.Form.Get("api_id") != s.APIID {
		simhttp.WriteJSON(w, 200, map[string]any{"status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id"})
		return
	}
	msg := r.Form.Get("msg")
	if msg == "" {
		simhttp.WriteJSON(w, 200, map[string]any{"status": "ERROR", "status_code": 203, "status_text": "Нет текста сообщения"})
		return
	}
	result := map[string]any{}
	for _, to := range strings.Split(r.Form.Get("to"), ",") {
		to = strings.TrimSpace(to)
		if len(to) < 10 || strings.Trim(to, "0123456789") != "" {
			result[to] = map[string]any{"status": "ERROR", "status_code": 202, "status_text": "Неправильно указан номер телефона получателя"}
			continue
		}
		id := fmt.Sprintf("%06d-%08d", len(s.sent)/100000000, len(s.sent)+1)
		s.sent = append(s.sent, Sent{ID: id, Phone: "+" + to, Text: msg, Code: codeRe.FindString(msg), From: r.Form.Get("from"), SentAt: time.Now().UTC()})
		result[to] = map[string]any{"status": "OK", "status_code": 100, "sms_id": id}
	}
	simhttp.WriteJSON(w, 200, map[string]any{"status": "OK", "status_code": 100, "sms": result, "balance": 1000.0})
}
