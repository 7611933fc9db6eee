package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"
	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/testflows"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	appwire "github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// listApps is how many applications the list benchmarks put in one organisation (issue 4:
// list and search latency with 10 000 applications).
const listApps = 10_000

// listOrg is the organisation of the list benchmarks, filled once per process.
var listOrg struct {
	once    sync.Once
	token   string // the superuser's access token
	orgID   string
	userID  string
	store   *applicationsdb.Store // its DynamoDB client counts the read units of each Query
	rcu     *capacity
	innOf   func(i int) string
	err     error
	elapsed time.Duration
}

// capacity adds up the read units DynamoDB reports for Queries made through a client.
type capacity struct {
	mu    sync.Mutex
	units float64
	calls int
}

func (c *capacity) take() (units float64, calls int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	units, calls, c.units, c.calls = c.units, c.calls, 0, 0
	return
}

// middleware asks every Query for its consumed capacity (TOTAL) and records it.
func (c *capacity) middleware(st *middleware.Stack) error {
	return st.Initialize.Add(middleware.InitializeMiddlewareFunc("benchCapacity",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if q, ok := in.Parameters.(*dynamodb.QueryInput); ok {
				q.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
			}
			out, md, err := next.HandleInitialize(ctx, in)
			if q, ok := out.Result.(*dynamodb.QueryOutput); ok && err == nil {
				c.mu.Lock()
				c.calls++
				if q.ConsumedCapacity != nil && q.ConsumedCapacity.CapacityUnits != nil {
					c.units += *q.ConsumedCapacity.CapacityUnits
				}
				c.mu.Unlock()
			}
			return out, md, err
		}), middleware.After)
}

// fillListOrg makes an organisation with listApps applications of realistic size, created
// over the last year, spread over 50 company names and 100 INNs, a tenth of them submitted.
func fillListOrg(b *testing.B) {
	listOrg.once.Do(func() {
		start := time.Now()
		c := testflows.New(b, httpapi.Client)
		acct := c.Ready()
		listOrg.token, listOrg.orgID, listOrg.userID = acct.Token(), acct.OrgID, acct.UserID
		ctx := context.Background()
		var cfg appwire.Config
		aws, err := awsclient.Load(ctx, &cfg)
		if err != nil {
			listOrg.err = err
			return
		}
		svc, err := appwire.Service(ctx)
		if err != nil {
			listOrg.err = err
			return
		}
		plain := svc.Store.(*applicationsdb.Store)
		listOrg.rcu = &capacity{}
		counted := *plain
		counted.DB = dynamodb.NewFromConfig(aws, func(o *dynamodb.Options) { o.APIOptions = append(o.APIOptions, listOrg.rcu.middleware) })
		listOrg.store = &counted

		// INNs with valid check digits: 100 of them, 77000000NN + check digit.
		inns := make([]string, 100)
		for i := range inns {
			inns[i] = legalINN(fmt.Sprintf("770%06d", 100000+i))
		}
		listOrg.innOf = func(i int) string { return inns[i%len(inns)] }
		now := time.Now().UTC()
		jobs := make(chan int)
		var wg sync.WaitGroup
		var mu sync.Mutex
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range jobs {
					at := now.Add(-time.Duration(listApps-i) * 50 * time.Minute) // about a year
					a := applications.Application{ID: ulid.MustNew(ulid.Timestamp(at), ulid.DefaultEntropy()).String(), Number: int64(i + 1),
						OrgID: listOrg.orgID, CreatedBy: listOrg.userID, Status: applications.StatusDraft,
						Company: applications.Company{INN: listOrg.innOf(i), KPP: "773601001", OGRN: "1027700132195",
							ShortName: fmt.Sprintf("ООО Компания %02d", i%50), FullName: fmt.Sprintf("Общество с ограниченной ответственностью «Компания %02d»", i%50),
							RegAddress: "г Москва, ул Тверская, д 7, кв 1", OKVED: []string{"62.01", "62.02"}},
						Contact:       applications.Contact{FullName: "Иванов Иван Иванович", Phone: "+79161234567", Email: "ivanov@example.ru"},
						Office:        applications.Office{City: "Москва", Office: "Центральный офис", CityID: "77-001", OfficeID: "77-001-01"},
						Questionnaire: map[string]string{"employees": "12", "turnoverPerMonth": "до 1 млн"},
						CreatedAt:     at, UpdatedAt: at, Version: 1}
					if i%10 == 0 {
						a.Status, a.SubmittedAt = applications.StatusSubmitted, at
					}
					h := applications.HistoryEntry{At: at, By: listOrg.userID, To: applications.StatusDraft}
					if err := plain.Create(ctx, a, h, applications.Tally{Day: at.Format(time.DateOnly), Field: applications.StatCreated}); err != nil {
						mu.Lock()
						listOrg.err = err
						mu.Unlock()
					}
				}
			}()
		}
		for i := range listApps {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		listOrg.elapsed = time.Since(start)
	})
	if listOrg.err != nil {
		b.Fatal(listOrg.err)
	}
}

// legalINN appends the check digit to the 9 first digits of a legal entity's INN.
func legalINN(nine string) string {
	w := []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	sum := 0
	for i, r := range nine {
		sum += int(r-'0') * w[i]
	}
	return nine + fmt.Sprint(sum%11%10)
}

// The list queries the benchmarks run, as the client sends them.
var listQueries = []struct{ name, query string }{
	{"Newest", ""}, // the first page, newest first
	{"Period", "createdFrom=%s&createdTo=%s"},                // a month of creation dates: a key condition
	{"SearchINN", "q=%s"},                                    // an INN prefix (gsi2)
	{"SearchName", "q=" + url.QueryEscape("ооо компания 1")}, // a name prefix (gsi3)
	{"Status", "status=submitted"},                           // a status: a filter over the org index
}

func listQuery(i int) string {
	q := listQueries[i].query
	switch listQueries[i].name {
	case "Period":
		to := time.Now().UTC().AddDate(0, -1, 0)
		return fmt.Sprintf(q, to.AddDate(0, -1, 0).Format(time.DateOnly), to.Format(time.DateOnly))
	case "SearchINN":
		return fmt.Sprintf(q, listOrg.innOf(7)[:8])
	}
	return q
}

// BenchmarkApplicationList is GET /v1/applications (a page of 20) through the Lambda handler
// over an organisation with 10 000 applications: session check, role scope, one Query.
func BenchmarkApplicationList(b *testing.B) {
	fillListOrg(b)
	h := apiHandler(b, appwire.Routes(), "applications/application-list")
	for i, q := range listQueries {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			ev := apiEvent("GET", "/v1/applications", "", "203.0.113.7")
			ev.Headers = map[string]string{"Authorization": "Bearer " + listOrg.token}
			ev.MultiValueHeaders = map[string][]string{"Authorization": {"Bearer " + listOrg.token}}
			vals, _ := url.ParseQuery(listQuery(i) + "&limit=20")
			ev.QueryStringParameters, ev.MultiValueQueryStringParameters = map[string]string{}, map[string][]string{}
			for k, v := range vals {
				if k != "" {
					ev.QueryStringParameters[k], ev.MultiValueQueryStringParameters[k] = v[0], v
				}
			}
			for range 20 {
				invokeList(b, h, ev)
			}
			for b.Loop() {
				invokeList(b, h, ev)
			}
		})
	}
}

func invokeList(b *testing.B, h lambdaHandler, ev events.APIGatewayProxyRequest) {
	resp, err := h(context.Background(), ev)
	if err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("list: %d %s", resp.StatusCode, resp.Body)
	}
}

// BenchmarkApplicationListPage is one page of 20 read straight from the store, following the
// page tokens through the first 10 pages, with the read units DynamoDB reports per page.
func BenchmarkApplicationListPage(b *testing.B) {
	fillListOrg(b)
	ctx := context.Background()
	filters := map[string]applications.Filter{
		"Newest":     {},
		"SearchINN":  {INNPrefix: listOrg.innOf(7)[:8]},
		"SearchName": {NamePrefix: "ооо компания 1"},
		"Status":     {Status: applications.StatusSubmitted},
	}
	for _, name := range []string{"Newest", "SearchINN", "SearchName", "Status"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			pages, items := 0, 0
			listOrg.rcu.take()
			for b.Loop() {
				token := ""
				for range 10 {
					apps, next, err := listOrg.store.List(ctx, listOrg.orgID, filters[name], token, 20)
					if err != nil {
						b.Fatal(err)
					}
					pages++
					items += len(apps)
					if token = next; token == "" {
						break
					}
				}
			}
			units, calls := listOrg.rcu.take()
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(pages), "ms/page")
			b.ReportMetric(units/float64(calls), "RCU/page")
			b.ReportMetric(float64(items)/float64(pages), "items/page")
		})
	}
}
