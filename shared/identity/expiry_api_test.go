package identity_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// An expired code is refused even if right; a new one (after the wait) works. The clock is
// moved by ageing the stored challenge, as the handlers run on real time.
func TestExpiredCode(t *testing.T) {
	c := testflows.New(t, httpapi.Client)
	acc := c.Ready()
	r := c.Post("/v1/auth/otp", `{"phone":"`+acc.Phone+`"}`)
	testflows.Expect(t, r, 202, "start")
	id := r.S("challengeId")
	code := c.Code(acc.Phone)
	past := time.Now().Add(-time.Minute)
	_, err := c.Env.DynamoDB.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{
		TableName: aws.String(os.Getenv("IDENTITY_TABLE")), Key: dynamo.Item{"pk": dynamo.S("CHAL#" + id), "sk": dynamo.S("CHAL")},
		UpdateExpression:          aws.String("SET codeUntil = :p, sentAt = :s"),
		ExpressionAttributeValues: dynamo.Item{":p": dynamo.Unix(past), ":s": dynamo.Unix(past.Add(-10 * time.Minute))},
	})
	if err != nil {
		t.Fatal(err)
	}
	r = c.Post("/v1/auth/otp/"+id+"/confirm", `{"code":"`+code+`"}`)
	testflows.Expect(t, r, 400, "expired code")
	if !strings.Contains(r.Field("code"), "expired") {
		t.Fatalf("expired: %v", r.Body)
	}
	testflows.Expect(t, c.Post("/v1/auth/challenges/"+id+"/resend", ""), 202, "resend after the wait")
	fresh := c.Code(acc.Phone)
	testflows.Expect(t, c.Post("/v1/auth/otp/"+id+"/confirm", `{"code":"`+fresh+`"}`), 200, "new code")
}
