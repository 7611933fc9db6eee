package onboarding_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/kabinet/kabinet/infra/smssim"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/onboarding/wire"
	"github.com/kabinet/kabinet/shared/password"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
	smswire "github.com/kabinet/kabinet/shared/sms/wire"
)

// api serves the onboarding routes exactly as the client API does. Tests choose the caller's
// address with X-Test-Ip, so rate limits per IP can be exercised.
type api struct {
	t   *testing.T
	env *testenv.Env
	srv *httptest.Server
}

func newAPI(t *testing.T) *api {
	t.Helper()
	env := testenv.Get(t)
	mounted, err := httpapi.BuildAll(context.Background(), wire.Routes())
	if err != nil {
		t.Fatal(err)
	}
	h := httpapi.NewServer(nil, mounted...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ip := r.Header.Get("X-Test-Ip"); ip != "" {
			r.RemoteAddr = ip + ":40000"
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &api{t: t, env: env, srv: srv}
}

type reply struct {
	status int
	header http.Header
	body   map[string]any
}

func (r reply) field(name string) string {
	e, _ := r.body["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	s, _ := f[name].(string)
	return s
}

func (r reply) code() string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func (a *api) post(path, body, ip string) reply {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Test-Ip", ip)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header}
	if err := json.Unmarshal(raw, &r.body); err != nil {
		a.t.Fatalf("%s: body is not JSON: %q", path, raw)
	}
	return r
}

var seq atomic.Int64

// uniquePhone returns a valid Russian mobile number not used by another test in this process.
func uniquePhone() string { return fmt.Sprintf("+7916%07d", 1000000+seq.Add(1)) }
func uniqueIP() string {
	n := seq.Add(1)
	return fmt.Sprintf("203.0.%d.%d", n/250%250, n%250+1)
}

func form(phone string) string {
	return fmt.Sprintf(`{"type":"individual","phone":%q,"fullName":"Иванов Иван Иванович","email":"ivanov@example.ru","consent":true}`, phone)
}

// deliverSMS runs the SMS sender over the SMS queue as Lambda would.
func (a *api) deliverSMS() {
	a.t.Helper()
	h, err := smswire.Sender(context.Background())
	if err != nil {
		a.t.Fatal(err)
	}
	a.env.Drain(a.t, "notifications/sms-sender", h.HandleEvent)
}

var codeRe = regexp.MustCompile(`\b(\d{6})\b`)

func (a *api) lastCode(phone string) string {
	a.t.Helper()
	msgs := a.env.SMS.Messages(phone)
	if len(msgs) == 0 {
		a.t.Fatalf("no SMS sent to %s", phone)
	}
	m := codeRe.FindStringSubmatch(msgs[len(msgs)-1].Text)
	if m == nil {
		a.t.Fatalf("no code in %q", msgs[len(msgs)-1].Text)
	}
	return m[1]
}

func TestRegistrationEndToEnd(t *testing.T) {
	a := newAPI(t)
	ph := uniquePhone()
	r := a.post("/v1/registrations", form(ph), uniqueIP())
	if r.status != http.StatusAccepted || r.body["registrationId"] == "" || r.body["resendAfterSeconds"] != 180.0 || r.body["phone"] != ph {
		t.Fatalf("start: %d %v", r.status, r.body)
	}
	id := r.body["registrationId"].(string)
	a.deliverSMS()
	code := a.lastCode(ph)

	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	r = a.post("/v1/registrations/"+id+"/confirm", `{"code":"`+wrong+`"}`, uniqueIP())
	if r.status != http.StatusBadRequest || !strings.Contains(r.field("code"), "4 attempts left") {
		t.Fatalf("wrong code: %d %v", r.status, r.body)
	}
	r = a.post("/v1/registrations/"+id+"/confirm", `{"code":"`+code+`"}`, uniqueIP())
	if r.status != http.StatusCreated || r.body["status"] != "awaiting_activation" || r.body["mustChangePassword"] != true || r.body["login"] != ph {
		t.Fatalf("confirm: %d %v", r.status, r.body)
	}
	userID := r.body["userId"].(string)

	// The code is now the temporary password, stored as argon2id; the code itself is gone.
	out, err := a.env.DynamoDB.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(os.Getenv("IDENTITY_TABLE")), Key: dynamo.Item{"pk": dynamo.S("USER#" + userID), "sk": dynamo.S("USER")}})
	if err != nil || out.Item == nil {
		t.Fatalf("user not stored: %v", err)
	}
	hash := dynamo.GetS(out.Item, "passwordHash")
	if ok, _ := password.Verify(code, hash); !ok || !strings.HasPrefix(hash, "$argon2id$") || !dynamo.GetBool(out.Item, "mustChangePassword") {
		t.Fatalf("temporary password: %q", hash)
	}
	reg, _ := a.env.DynamoDB.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(os.Getenv("IDENTITY_TABLE")), Key: dynamo.Item{"pk": dynamo.S("REG#" + id), "sk": dynamo.S("REG")}})
	if dynamo.GetS(reg.Item, "codeHash") != "" || dynamo.GetS(reg.Item, "status") != "confirmed" {
		t.Fatalf("registration after confirm: %v", reg.Item)
	}

	// Single use, and one account per phone.
	if r = a.post("/v1/registrations/"+id+"/confirm", `{"code":"`+code+`"}`, uniqueIP()); r.status != http.StatusConflict {
		t.Fatalf("reuse: %d %v", r.status, r.body)
	}
	if r = a.post("/v1/registrations", form(ph), uniqueIP()); r.status != http.StatusConflict || r.code() != "conflict" {
		t.Fatalf("phone with account: %d %v", r.status, r.body)
	}
	if r = a.post("/v1/registrations/"+id+"/resend", ``, uniqueIP()); r.status != http.StatusConflict {
		t.Fatalf("resend after confirm: %d %v", r.status, r.body)
	}
}

func TestStartRejectsBadInput(t *testing.T) {
	a := newAPI(t)
	tests := []struct {
		name, body string
		status     int
		field      string
	}{
		{"bad phone", `{"type":"individual","phone":"12345","fullName":"Иван Иванов","email":"i@example.ru","consent":true}`, 400, "phone"},
		{"missing consent", `{"type":"individual","phone":"+79161230000","fullName":"Иван Иванов","email":"i@example.ru"}`, 400, "consent"},
		{"consent false", `{"type":"individual","phone":"+79161230000","fullName":"Иван Иванов","email":"i@example.ru","consent":false}`, 400, "consent"},
		{"unknown type", `{"type":"company","phone":"+79161230000","fullName":"Иван Иванов","email":"i@example.ru","consent":true}`, 400, "type"},
		{"bad email", `{"type":"legal_entity","phone":"+79161230000","fullName":"ООО Ромашка","email":"nope","consent":true}`, 400, "email"},
		{"unknown field", `{"type":"individual","phone":"+79161230000","fullName":"Иван Иванов","email":"i@example.ru","consent":true,"admin":true}`, 400, "admin"},
		{"wrong type of field", `{"type":"individual","phone":79161230000,"fullName":"Иван Иванов","email":"i@example.ru","consent":true}`, 400, "phone"},
		{"not json", `type=individual`, 400, ""},
		{"empty", ``, 400, ""},
		{"too large", `{"fullName":"` + strings.Repeat("я", 40000) + `"}`, 413, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := a.post("/v1/registrations", tc.body, uniqueIP())
			if r.status != tc.status || r.body["requestId"] == "" {
				t.Fatalf("%d %v", r.status, r.body)
			}
			if tc.field != "" && r.field(tc.field) == "" {
				t.Fatalf("no message for %s: %v", tc.field, r.body)
			}
		})
	}
	if r := a.post("/v1/registrations/not-an-id/confirm", `{"code":"123456"}`, uniqueIP()); r.status != 404 {
		t.Fatalf("unknown id: %d", r.status)
	}
	if r := a.post("/v1/registrations/01KAXQ7ZJ3M1P2Q3R4S5T6V7W8/confirm", `{}`, uniqueIP()); r.status != 400 || r.field("code") == "" {
		t.Fatalf("missing code: %d %v", r.status, r.body)
	}
}

func TestResendWaitsThreeMinutes(t *testing.T) {
	a := newAPI(t)
	r := a.post("/v1/registrations", form(uniquePhone()), uniqueIP())
	if r.status != 202 {
		t.Fatalf("start: %d %v", r.status, r.body)
	}
	r = a.post("/v1/registrations/"+r.body["registrationId"].(string)+"/resend", ``, uniqueIP())
	wait, _ := strconv.Atoi(r.header.Get("Retry-After"))
	if r.status != http.StatusTooManyRequests || wait < 170 || wait > 180 {
		t.Fatalf("early resend: %d Retry-After=%q %v", r.status, r.header.Get("Retry-After"), r.body)
	}
}

func TestFiveWrongCodesVoidTheCode(t *testing.T) {
	a := newAPI(t)
	ph := uniquePhone()
	r := a.post("/v1/registrations", form(ph), uniqueIP())
	id := r.body["registrationId"].(string)
	a.deliverSMS()
	code := a.lastCode(ph)
	wrong := fmt.Sprintf("%06d", (mustAtoi(code)+1)%1000000)
	for i := range 5 {
		r = a.post("/v1/registrations/"+id+"/confirm", `{"code":"`+wrong+`"}`, uniqueIP())
		if r.status != 400 {
			t.Fatalf("attempt %d: %d", i+1, r.status)
		}
	}
	if !strings.Contains(r.field("code"), "no attempts left") {
		t.Fatalf("fifth attempt: %v", r.body)
	}
	if r = a.post("/v1/registrations/"+id+"/confirm", `{"code":"`+code+`"}`, uniqueIP()); r.status != 400 || !strings.Contains(r.field("code"), "no longer works") {
		t.Fatalf("right code after five wrong: %d %v", r.status, r.body)
	}
}

func mustAtoi(s string) int { n, _ := strconv.Atoi(s); return n }

func TestSendLimits(t *testing.T) {
	a := newAPI(t)
	ph := uniquePhone()
	for i := range 5 {
		if r := a.post("/v1/registrations", form(ph), uniqueIP()); r.status != 202 {
			t.Fatalf("send %d: %d %v", i+1, r.status, r.body)
		}
	}
	r := a.post("/v1/registrations", form(ph), uniqueIP())
	if r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Fatalf("6th code to one phone: %d %v", r.status, r.body)
	}
	ip := uniqueIP()
	for i := range 20 {
		if r := a.post("/v1/registrations", form(uniquePhone()), ip); r.status != 202 {
			t.Fatalf("send %d from one IP: %d %v", i+1, r.status, r.body)
		}
	}
	if r := a.post("/v1/registrations", form(uniquePhone()), ip); r.status != 429 {
		t.Fatalf("21st code from one IP: %d %v", r.status, r.body)
	}
}

// TestGatewayDown: with the SMS gateway down the API still answers 202; SQS retries the
// message and dead-letters it after maxReceiveCount; replayed once the gateway is back, it is
// delivered exactly once. Nothing is lost.
func TestGatewayDown(t *testing.T) {
	a := newAPI(t)
	ctx := context.Background()
	// Drain what other tests queued, then shorten this test queue's visibility timeout so
	// redelivery takes a second instead of a minute.
	a.deliverSMS()
	q := a.env.Resources.Queues["SmsQueue"]
	dlq := a.env.Resources.Queues["SmsDeadLetterQueue"]
	if _, err := a.env.SQS.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(q.URL),
		Attributes: map[string]string{string(sqstypes.QueueAttributeNameVisibilityTimeout): "1"}}); err != nil {
		t.Fatal(err)
	}
	defer a.env.SQS.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(q.URL),
		Attributes: map[string]string{string(sqstypes.QueueAttributeNameVisibilityTimeout): "60"}})

	a.env.SMS.SetFault(&smssim.Fault{Mode: "down"})
	ph := uniquePhone()
	if r := a.post("/v1/registrations", form(ph), uniqueIP()); r.status != http.StatusAccepted {
		t.Fatalf("start with gateway down: %d %v", r.status, r.body)
	}
	sender, err := smswire.Sender(ctx)
	if err != nil {
		t.Fatal(err)
	}
	calls := a.env.SMS.Calls()
	o, _ := a.env.Queue("notifications/sms-sender")
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && depth(t, a, dlq.URL) == 0 {
		if _, err := sqsworker.PollOnce(ctx, a.env.SQS, o, sender.HandleEvent); err != nil {
			t.Fatal(err)
		}
	}
	if depth(t, a, dlq.URL) != 1 {
		t.Fatal("message did not reach the dead-letter queue")
	}
	if tries := a.env.SMS.Calls() - calls; tries != 5 {
		t.Errorf("gateway tried %d times, want maxReceiveCount = 5", tries)
	}
	if len(a.env.SMS.Messages(ph)) != 0 {
		t.Fatal("sent while the gateway was down")
	}

	a.env.SMS.SetFault(nil)
	moved, err := sqsworker.Redrive(ctx, a.env.SQS, dlq.URL, q.URL)
	if err != nil || moved != 1 {
		t.Fatalf("redrive: %d %v", moved, err)
	}
	a.deliverSMS()
	if n := len(a.env.SMS.Messages(ph)); n != 1 {
		t.Fatalf("%d messages delivered after replay, want 1", n)
	}
	// Replaying the same message again has no second effect (idempotent by message id).
	msgs := a.env.SMS.Messages(ph)
	body, _ := json.Marshal(map[string]string{"id": "registration-replay-check", "phone": ph, "text": msgs[0].Text, "purpose": "test"})
	for range 2 {
		if _, err := a.env.SQS.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q.URL), MessageBody: aws.String(string(bytes.Clone(body)))}); err != nil {
			t.Fatal(err)
		}
	}
	a.deliverSMS()
	if n := len(a.env.SMS.Messages(ph)); n != 2 {
		t.Fatalf("duplicate message sent twice: %d messages", n)
	}
}

func depth(t *testing.T, a *api, url string) int {
	t.Helper()
	out, err := a.env.SQS.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages, sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible}})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessages)])
	m, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible)])
	return n + m
}
