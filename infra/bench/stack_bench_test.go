package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/infra/testenv"
	onboarding "github.com/kabinet/kabinet/shared/onboarding/wire"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// warmUp iterations run before timing: DynamoDB Local is a JVM, and whichever benchmark ran
// first would otherwise pay for its JIT.
const warmUp = 50

// seq numbers items, phones and addresses uniquely within the process (the tables are fresh:
// testenv provisions them under a prefix of its own).
var seq int

func next() int { seq++; return seq }

// BenchmarkRawPutItem is the baseline: one PutItem of a registration-sized item into the
// identity table, with the client the handlers use.
func BenchmarkRawPutItem(b *testing.B) {
	b.ReportAllocs()
	e := testenv.Get(b)
	table := os.Getenv("IDENTITY_TABLE")
	codeHash := strings.Repeat("5e", 32) // hex HMAC-SHA256, as otp stores it
	put := func() {
		id := fmt.Sprintf("BENCH%021d", next())
		now := time.Now()
		_, err := e.DynamoDB.PutItem(context.Background(), &dynamodb.PutItemInput{
			TableName: aws.String(table),
			Item: dynamo.Item{
				"pk": dynamo.S("REG#" + id), "sk": dynamo.S("REG"), "type": dynamo.S("registration"),
				"id": dynamo.S(id), "kind": dynamo.S("individual"), "phone": dynamo.S("+79161234567"),
				"fullName": dynamo.S("Иван Петров"), "email": dynamo.S("ivan@example.test"),
				"consentAt": dynamo.Unix(now), "ip": dynamo.S("203.0.113.7"), "status": dynamo.S("pending"),
				"codeHash": dynamo.S(codeHash), "codeUntil": dynamo.Unix(now.Add(10 * time.Minute)), "attempts": dynamo.N(0),
				"sentAt": dynamo.Unix(now), "sends": dynamo.N(1), "createdAt": dynamo.Unix(now),
				"expiresAt": dynamo.Unix(now.Add(24 * time.Hour)), "version": dynamo.N(1),
			},
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	for range warmUp {
		put()
	}
	for b.Loop() {
		put()
	}
}

// BenchmarkRegistrationStart is POST /v1/registrations through the Lambda handler against the
// local stack: two rate-limit UpdateItems, a GetItem, a PutItem and an SQS SendMessage. Each
// call has its own phone and source IP so that no rate limit trips.
func BenchmarkRegistrationStart(b *testing.B) {
	b.ReportAllocs()
	testenv.Get(b)
	h := apiHandler(b, onboarding.Routes(), "onboarding/registration-start")
	start := func() {
		n := next()
		phone := "+7916" + fmt.Sprintf("%07d", n%10_000_000)
		ip := "10." + strconv.Itoa(n>>16&255) + "." + strconv.Itoa(n>>8&255) + "." + strconv.Itoa(n&255)
		body := `{"type":"individual","phone":"` + phone + `","fullName":"Иван Петров","email":"ivan@example.test","consent":true}`
		invoke(b, h, apiEvent("POST", "/v1/registrations", body, ip), http.StatusAccepted)
	}
	for range warmUp {
		start()
	}
	for b.Loop() {
		start()
	}
}
