package onboarding_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
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
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
	smswire "github.com/kabinet/kabinet/shared/sms/wire"
)

func newAPI(t *testing.T) *testenv.API { return testenv.NewAPI(t, nil, wire.Routes()) }

func post(a *testenv.API, path, body, ip string) testenv.Reply {
	return a.Do(testenv.Request{Method: http.MethodPost, Path: path, Body: body, IP: ip})
}

// deliverSMS runs the SMS sender over the SMS queue as Lambda would.
func deliverSMS(t *testing.T, a *testenv.API) {
	t.Helper()
	h, err := smswire.Sender(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a.DeliverSMS(h)
}

func form(phone string) string {
	return fmt.Sprintf(`{"type":"individual","phone":%q,"fullName":"Иванов Иван Иванович","email":"ivanov@example.ru","consent":true}`, phone)
}

func TestRegistrationEndToEnd(t *testing.T) {
	a := newAPI(t)
	ph := testenv.UniquePhone()
	r := post(a, "/v1/registrations", form(ph), testenv.UniqueIP())
	if r.Status != http.StatusAccepted || r.Body["registrationId"] == "" || r.Body["resendAfterSeconds"] != 180.0 || r.Body["phone"] != ph {
		t.Fatalf("start: %d %v", r.Status, r.Body)
	}
	id := r.Body["registrationId"].(string)
	deliverSMS(t, a)
	code := a.LastCode(ph)

	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	r = post(a, "/v1/registrations/"+id+"/confirm", `{"code":"`+wrong+`"}`, testenv.UniqueIP())
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Field("code"), "4 attempts left") {
		t.Fatalf("wrong code: %d %v", r.Status, r.Body)
	}
	r = post(a, "/v1/registrations/"+id+"/confirm", `{"code":"`+code+`"}`, testenv.UniqueIP())
	if r.Status != http.StatusCreated || r.Body["status"] != "awaiting_activation" || r.Body["mustChangePassword"] != true || r.Body["login"] != ph {
		t.Fatalf("confirm: %d %v", r.Status, r.Body)
	}
	userID := r.Body["userId"].(string)

	// The code is now the temporary password, stored as argon2id; the code itself is gone.
	out, err := a.Env.DynamoDB.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(os.Getenv("IDENTITY_TABLE")), Key: dynamo.Item{"pk": dynamo.S("USER#" + userID), "sk": dynamo.S("USER")}})
	if err != nil || out.Item == nil {
		t.Fatalf("user not stored: %v", err)
	}
	hash := dynamo.GetS(out.Item, "passwordHash")
	if ok, _ := password.Verify(code, hash); !ok || !strings.HasPrefix(hash, "$argon2id$") || !dynamo.GetBool(out.Item, "mustChangePassword") {
		t.Fatalf("temporary password: %q", hash)
	}
	reg, _ := a.Env.DynamoDB.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(os.Getenv("IDENTITY_TABLE")), Key: dynamo.Item{"pk": dynamo.S("REG#" + id), "sk": dynamo.S("REG")}})
	if dynamo.GetS(reg.Item, "codeHash") != "" || dynamo.GetS(reg.Item, "status") != "confirmed" {
		t.Fatalf("registration after confirm: %v", reg.Item)
	}

	// Single use, and one account per phone.
	if r = post(a, "/v1/registrations/"+id+"/confirm", `{"code":"`+code+`"}`, testenv.UniqueIP()); r.Status != http.StatusConflict {
		t.Fatalf("reuse: %d %v", r.Status, r.Body)
	}
	if r = post(a, "/v1/registrations", form(ph), testenv.UniqueIP()); r.Status != http.StatusConflict || r.Code() != "conflict" {
		t.Fatalf("phone with account: %d %v", r.Status, r.Body)
	}
	if r = post(a, "/v1/registrations/"+id+"/resend", ``, testenv.UniqueIP()); r.Status != http.StatusConflict {
		t.Fatalf("resend after confirm: %d %v", r.Status, r.Body)
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
			r := post(a, "/v1/registrations", tc.body, testenv.UniqueIP())
			if r.Status != tc.status || r.Body["requestId"] == "" {
				t.Fatalf("%d %v", r.Status, r.Body)
			}
			if tc.field != "" && r.Field(tc.field) == "" {
				t.Fatalf("no message for %s: %v", tc.field, r.Body)
			}
		})
	}
	if r := post(a, "/v1/registrations/not-an-id/confirm", `{"code":"123456"}`, testenv.UniqueIP()); r.Status != 404 {
		t.Fatalf("unknown id: %d", r.Status)
	}
	if r := post(a, "/v1/registrations/01KAXQ7ZJ3M1P2Q3R4S5T6V7W8/confirm", `{}`, testenv.UniqueIP()); r.Status != 400 || r.Field("code") == "" {
		t.Fatalf("missing code: %d %v", r.Status, r.Body)
	}
}

func TestResendWaitsThreeMinutes(t *testing.T) {
	a := newAPI(t)
	r := post(a, "/v1/registrations", form(testenv.UniquePhone()), testenv.UniqueIP())
	if r.Status != 202 {
		t.Fatalf("start: %d %v", r.Status, r.Body)
	}
	r = post(a, "/v1/registrations/"+r.Body["registrationId"].(string)+"/resend", ``, testenv.UniqueIP())
	wait, _ := strconv.Atoi(r.Header.Get("Retry-After"))
	if r.Status != http.StatusTooManyRequests || wait < 170 || wait > 180 {
		t.Fatalf("early resend: %d Retry-After=%q %v", r.Status, r.Header.Get("Retry-After"), r.Body)
	}
}

func TestFiveWrongCodesVoidTheCode(t *testing.T) {
	a := newAPI(t)
	ph := testenv.UniquePhone()
	r := post(a, "/v1/registrations", form(ph), testenv.UniqueIP())
	id := r.Body["registrationId"].(string)
	deliverSMS(t, a)
	code := a.LastCode(ph)
	wrong := fmt.Sprintf("%06d", (mustAtoi(code)+1)%1000000)
	for i := range 5 {
		r = post(a, "/v1/registrations/"+id+"/confirm", `{"code":"`+wrong+`"}`, testenv.UniqueIP())
		if r.Status != 400 {
			t.Fatalf("attempt %d: %d", i+1, r.Status)
		}
	}
	if !strings.Contains(r.Field("code"), "no attempts left") {
		t.Fatalf("fifth attempt: %v", r.Body)
	}
	if r = post(a, "/v1/registrations/"+id+"/confirm", `{"code":"`+code+`"}`, testenv.UniqueIP()); r.Status != 400 || !strings.Contains(r.Field("code"), "no longer works") {
		t.Fatalf("right code after five wrong: %d %v", r.Status, r.Body)
	}
}

func mustAtoi(s string) int { n, _ := strconv.Atoi(s); return n }

func TestSendLimits(t *testing.T) {
	a := newAPI(t)
	ph := testenv.UniquePhone()
	for i := range 5 {
		if r := post(a, "/v1/registrations", form(ph), testenv.UniqueIP()); r.Status != 202 {
			t.Fatalf("send %d: %d %v", i+1, r.Status, r.Body)
		}
	}
	r := post(a, "/v1/registrations", form(ph), testenv.UniqueIP())
	if r.Status != 429 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("6th code to one phone: %d %v", r.Status, r.Body)
	}
	ip := testenv.UniqueIP()
	for i := range 20 {
		if r := post(a, "/v1/registrations", form(testenv.UniquePhone()), ip); r.Status != 202 {
			t.Fatalf("send %d from one IP: %d %v", i+1, r.Status, r.Body)
		}
	}
	if r := post(a, "/v1/registrations", form(testenv.UniquePhone()), ip); r.Status != 429 {
		t.Fatalf("21st code from one IP: %d %v", r.Status, r.Body)
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
	deliverSMS(t, a)
	q := a.Env.Resources.Queues["SmsQueue"]
	dlq := a.Env.Resources.Queues["SmsDeadLetterQueue"]
	if _, err := a.Env.SQS.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(q.URL),
		Attributes: map[string]string{string(sqstypes.QueueAttributeNameVisibilityTimeout): "1"}}); err != nil {
		t.Fatal(err)
	}
	defer a.Env.SQS.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(q.URL),
		Attributes: map[string]string{string(sqstypes.QueueAttributeNameVisibilityTimeout): "60"}})

	a.Env.SMS.SetFault(&smssim.Fault{Mode: "down"})
	ph := testenv.UniquePhone()
	if r := post(a, "/v1/registrations", form(ph), testenv.UniqueIP()); r.Status != http.StatusAccepted {
		t.Fatalf("start with gateway down: %d %v", r.Status, r.Body)
	}
	sender, err := smswire.Sender(ctx)
	if err != nil {
		t.Fatal(err)
	}
	calls := a.Env.SMS.Calls()
	o, _ := a.Env.Queue("notifications/sms-sender")
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && depth(t, a, dlq.URL) == 0 {
		if _, err := sqsworker.PollOnce(ctx, a.Env.SQS, o, sender.HandleEvent); err != nil {
			t.Fatal(err)
		}
	}
	if depth(t, a, dlq.URL) != 1 {
		t.Fatal("message did not reach the dead-letter queue")
	}
	if tries := a.Env.SMS.Calls() - calls; tries != 5 {
		t.Errorf("gateway tried %d times, want maxReceiveCount = 5", tries)
	}
	if len(a.Env.SMS.Messages(ph)) != 0 {
		t.Fatal("sent while the gateway was down")
	}

	a.Env.SMS.SetFault(nil)
	moved, err := sqsworker.Redrive(ctx, a.Env.SQS, dlq.URL, q.URL)
	if err != nil || moved != 1 {
		t.Fatalf("redrive: %d %v", moved, err)
	}
	deliverSMS(t, a)
	if n := len(a.Env.SMS.Messages(ph)); n != 1 {
		t.Fatalf("%d messages delivered after replay, want 1", n)
	}
	// Replaying the same message again has no second effect (idempotent by message id).
	msgs := a.Env.SMS.Messages(ph)
	body, _ := json.Marshal(map[string]string{"id": "registration-replay-check", "phone": ph, "text": msgs[0].Text, "purpose": "test"})
	for range 2 {
		if _, err := a.Env.SQS.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q.URL), MessageBody: aws.String(string(bytes.Clone(body)))}); err != nil {
			t.Fatal(err)
		}
	}
	deliverSMS(t, a)
	if n := len(a.Env.SMS.Messages(ph)); n != 2 {
		t.Fatalf("duplicate message sent twice: %d messages", n)
	}
}

func depth(t *testing.T, a *testenv.API, url string) int {
	t.Helper()
	out, err := a.Env.SQS.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages, sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible}})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessages)])
	m, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible)])
	return n + m
}
