package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	identitywire "github.com/kabinet/kabinet/shared/identity/wire"
	"github.com/kabinet/kabinet/shared/password"
)

// loginUsers are spread over so that the per-login limit (20 per 15 minutes) never trips.
const loginUsers = 40

// BenchmarkLogin is POST /v1/auth/login through the Lambda handler on the local stack: two
// rate-limit updates, the login claim and user reads, an argon2id verification (19 MiB, t=2),
// the session write and an audit entry.
func BenchmarkLogin(b *testing.B) {
	b.ReportAllocs()
	e := testenv.Get(b)
	ctx := context.Background()
	const pw = "Bench-Parol-2026"
	hash, err := password.Hash(pw)
	if err != nil {
		b.Fatal(err)
	}
	table := os.Getenv("IDENTITY_TABLE")
	logins := make([]string, loginUsers)
	for i := range logins {
		n := next()
		id := fmt.Sprintf("BENCHUSER%017d", n)
		logins[i] = "+7917" + fmt.Sprintf("%07d", n%10_000_000)
		puts, err := identitydb.NewAccountPuts(table,
			identity.Org{ID: "BENCHORG" + id, Kind: identity.AgentOrg, Name: "Bench", Status: identity.StatusActive, CreatedAt: time.Now()},
			identity.User{ID: id, OrgID: "BENCHORG" + id, Role: identity.Superuser, Status: identity.StatusActive, FullName: "Bench User",
				Phone: logins[i], Login: logins[i], PasswordHash: hash, CreatedAt: time.Now()})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.DynamoDB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: puts}); err != nil {
			b.Fatal(err)
		}
	}
	h := apiHandler(b, identitywire.Routes(), "identity/login")
	login := func() {
		n := next()
		ip := "10.200." + strconv.Itoa(n>>8&255) + "." + strconv.Itoa(n&255)
		body := fmt.Sprintf(`{"login":%q,"password":%q}`, logins[n%loginUsers], pw)
		invoke(b, h, apiEvent("POST", "/v1/auth/login", body, ip), http.StatusOK)
	}
	for range 5 {
		login()
	}
	for b.Loop() {
		login()
	}
}
