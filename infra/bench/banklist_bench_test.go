package bench

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"
	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/applications/applicationsdb"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/banklist"
	blwire "github.com/kabinet/kabinet/shared/banklist/wire"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
)

// bankAppsFlag is how many applications the bank-wide list benchmarks load (issue 5:
// applicationList latency and read units with 100 000 applications); -bankapps N for a
// quicker run.
var bankAppsFlag = flag.Int("bankapps", 100_000, "applications the bank list benchmarks load")

// bankData is the bank-wide data set, loaded once per process.
var bankData struct {
	once    sync.Once
	key     string // BackofficeApiKey
	admin   string // the bank administrator (User-LKB)
	taker   string
	store   *applicationsdb.Store // counts the read units of Query and BatchGetItem
	rcu     *bankCapacity
	err     error
	elapsed time.Duration
}

// bankCapacity adds up the read units of Query and BatchGetItem calls.
type bankCapacity struct {
	mu    sync.Mutex
	units float64
}

func (c *bankCapacity) take() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	u := c.units
	c.units = 0
	return u
}

func (c *bankCapacity) middleware(st *middleware.Stack) error {
	return st.Initialize.Add(middleware.InitializeMiddlewareFunc("bankCapacity",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			switch q := in.Parameters.(type) {
			case *dynamodb.QueryInput:
				q.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
			case *dynamodb.BatchGetItemInput:
				q.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
			}
			out, md, err := next.HandleInitialize(ctx, in)
			if err == nil {
				var used []types.ConsumedCapacity
				switch r := out.Result.(type) {
				case *dynamodb.QueryOutput:
					if r.ConsumedCapacity != nil {
						used = append(used, *r.ConsumedCapacity)
					}
				case *dynamodb.BatchGetItemOutput:
					used = r.ConsumedCapacity
				}
				c.mu.Lock()
				for _, u := range used {
					if u.CapacityUnits != nil {
						c.units += *u.CapacityUnits
					}
				}
				c.mu.Unlock()
			}
			return out, md, err
		}), middleware.After)
}

// fillBank loads bankApps applications of 200 organisations created over the last two
// years, with statuses, takers, offices and INNs spread over them, by BatchWriteItem of the
// stored items (MarshalApplication) and then the bank counters (AddBankCounts): minutes
// instead of the hour 100 000 transactions would take on the emulator.
func fillBank(b *testing.B) {
	bankData.once.Do(func() {
		bankApps := *bankAppsFlag
		start := time.Now()
		ctx := context.Background()
		env := testenv.Get(b)
		bankData.key = env.Params["BackofficeApiKey"]
		if _, err := bowire.Bootstrap(ctx, "bench-admin", "Bench-Admin-2026"); err != nil {
			bankData.err = err
			return
		}
		staff, err := bowire.Store(ctx)
		if err != nil {
			bankData.err = err
			return
		}
		u, err := staff.UserByLogin(ctx, "bench-admin")
		if err != nil {
			bankData.err = err
			return
		}
		bankData.admin, bankData.taker = u.ID, ulid.Make().String()
		var cfg blwire.Config
		awsCfg, err := awsclient.Load(ctx, &cfg)
		if err != nil {
			bankData.err = err
			return
		}
		plain := &applicationsdb.Store{DB: dynamodb.NewFromConfig(awsCfg), Table: cfg.ApplicationsTable}
		bankData.rcu = &bankCapacity{}
		bankData.store = &applicationsdb.Store{Table: cfg.ApplicationsTable,
			DB: dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) { o.APIOptions = append(o.APIOptions, bankData.rcu.middleware) })}

		orgs := make([]string, 200)
		for i := range orgs {
			orgs[i] = ulid.Make().String()
		}
		statuses := []string{applications.StatusSubmitted, applications.StatusInReview, applications.StatusInReview, applications.StatusAccountOpened,
			applications.StatusAccountOpened, applications.StatusAccountOpened, applications.StatusRejected, applications.StatusDraft,
			applications.StatusAnnulled, applications.StatusAccountReserved}
		now := time.Now().UTC()
		type key struct{ month, status string }
		counts := map[key]int64{}
		var mu sync.Mutex
		batches := make(chan []int)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for batch := range batches {
					var writes []types.WriteRequest
					local := map[key]int64{}
					for _, i := range batch {
						at := now.Add(-time.Duration(bankApps-i) * 10 * time.Minute) // about two years
						a := applications.Application{ID: ulid.MustNew(ulid.Timestamp(at), ulid.DefaultEntropy()).String(), Number: int64(i/200 + 1),
							OrgID: orgs[i%200], CreatedBy: "bench-agent", Status: statuses[i%len(statuses)],
							Company: applications.Company{INN: legalINN(fmt.Sprintf("%09d", 770000000+i%5000)), KPP: "773601001", OGRN: "1027700132195",
								ShortName: fmt.Sprintf("ООО Компания %03d", i%500), FullName: fmt.Sprintf("Общество с ограниченной ответственностью «Компания %03d»", i%500),
								RegAddress: "г Москва, ул Тверская, д 7, кв 1", OKVED: []string{"62.01", "62.02"}},
							Contact:       applications.Contact{FullName: "Иванов Иван Иванович", Phone: "+79161234567", Email: "ivanov@example.ru"},
							Office:        applications.Office{City: "Москва", Office: "Офис", CityID: "77-001", OfficeID: fmt.Sprintf("77-001-%02d", i%20)},
							Questionnaire: map[string]string{"employees": "12", "turnoverPerMonth": "до 1 млн"},
							CreatedAt:     at, UpdatedAt: at, SubmittedAt: at, Version: 1}
						if i%3 == 0 {
							a.Bank.TakerID, a.Bank.TakenAt = bankData.taker, at
						}
						item, err := applicationsdb.MarshalApplication(a)
						if err != nil {
							panic(err)
						}
						writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
						local[key{at.Format("2006-01"), a.Status}]++
					}
					req := map[string][]types.WriteRequest{cfg.ApplicationsTable: writes}
					for len(req) > 0 {
						out, err := plain.DB.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: req})
						if err != nil {
							mu.Lock()
							bankData.err = err
							mu.Unlock()
							break
						}
						req = out.UnprocessedItems
					}
					mu.Lock()
					for k, n := range local {
						counts[k] += n
					}
					mu.Unlock()
				}
			}()
		}
		for i := 0; i < bankApps; i += 25 {
			batch := make([]int, 0, 25)
			for j := i; j < min(i+25, bankApps); j++ {
				batch = append(batch, j)
			}
			batches <- batch
		}
		close(batches)
		wg.Wait()
		for k, n := range counts {
			if err := plain.AddBankCounts(ctx, k.month, k.status, n); err != nil {
				bankData.err = err
				return
			}
		}
		bankData.elapsed = time.Since(start)
		fmt.Printf("bank: %d applications loaded in %s\n", bankApps, bankData.elapsed.Round(time.Second))
	})
	if bankData.err != nil {
		b.Fatal(bankData.err)
	}
}

// The bank's list queries (seed 004 filter objects).
func bankQueries() []struct{ name, body string } {
	month := time.Now().UTC().AddDate(0, -3, 0)
	return []struct{ name, body string }{
		{"Newest", `{"limit":20}`},                                          // first page over every organisation
		{"Offset1000", `{"limit":20,"offset":1000}`},                        // no filter: the month counters skip whole months
		{"Offset9980", `{"limit":20,"offset":9980}`},                        // the deepest offset allowed
		{"Statuses", `{"limit":20,"statusid":[2,3]}`},                       // gsi5, two partitions merged
		{"StatusOffset1000", `{"limit":20,"offset":1000,"statusid":[2,3]}`}, // walks 1 020 index keys
		{"Period", fmt.Sprintf(`{"limit":20,"datefrom":"%s","dateto":"%s"}`, month.Format(time.DateOnly), month.AddDate(0, 0, 14).Format(time.DateOnly))},
		{"SearchINN", `{"limit":20,"substring":"77000012"}`},         // gsi6 prefix
		{"SearchName", `{"limit":20,"substring":"ооо компания 12"}`}, // gsi7 prefix
		{"TakenInReview", `{"limit":20,"statusid":[3],"work":1}`},    // status key + filter
	}
}

// BenchmarkBankListHandler is POST /api/application/ (a page of 20) through the Lambda
// handler over 100 000 applications: API key + User-LKB, the index walk, BatchGetItem, the
// names of the page's organisations and people.
func BenchmarkBankListHandler(b *testing.B) {
	fillBank(b)
	h := apiHandler(b, blwire.Routes(), "banklist/application-list")
	for _, q := range bankQueries() {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			ev := apiEvent("POST", "/api/application/", q.body, "203.0.113.9")
			ev.Headers = map[string]string{"Content-Type": "application/json", "X-Authorization": bankData.key, "User-LKB": bankData.admin}
			ev.MultiValueHeaders = map[string][]string{}
			for k, v := range ev.Headers {
				ev.MultiValueHeaders[k] = []string{v}
			}
			for range 3 {
				invokeBank(b, h, ev)
			}
			for b.Loop() {
				invokeBank(b, h, ev)
			}
		})
	}
}

func invokeBank(b *testing.B, h lambdaHandler, ev events.APIGatewayProxyRequest) {
	resp, err := h(context.Background(), ev)
	if err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("bank list: %d %s", resp.StatusCode, resp.Body)
	}
}

// BenchmarkBankListPage is one page read from the store with the read units DynamoDB
// reports (index walk and BatchGetItem), and BenchmarkBankCount a count of the same filter.
func BenchmarkBankListPage(b *testing.B) {
	fillBank(b)
	ctx := context.Background()
	for _, q := range bankQueries() {
		b.Run(q.name, func(b *testing.B) {
			var req banklist.Request
			if err := json.Unmarshal([]byte(q.body), &req); err != nil {
				b.Fatal(err)
			}
			f, err := req.Filter(time.Now())
			if err != nil {
				b.Fatal(err)
			}
			off := 0
			if req.Offset != nil {
				off = *req.Offset
			}
			items := 0
			bankData.rcu.take()
			for b.Loop() {
				apps, err := bankData.store.BankList(ctx, f, off, *req.Limit)
				if err != nil {
					b.Fatal(err)
				}
				items += len(apps)
			}
			b.ReportMetric(bankData.rcu.take()/float64(b.N), "RCU/page")
			b.ReportMetric(float64(items)/float64(b.N), "items/page")
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
		})
	}
}

func BenchmarkBankCount(b *testing.B) {
	fillBank(b)
	ctx := context.Background()
	for _, q := range bankQueries() {
		if q.name != "Newest" && q.name != "Statuses" && q.name != "Period" && q.name != "SearchName" && q.name != "TakenInReview" {
			continue
		}
		b.Run(q.name, func(b *testing.B) {
			var req banklist.Request
			if err := json.Unmarshal([]byte(q.body), &req); err != nil {
				b.Fatal(err)
			}
			f, err := req.Filter(time.Now())
			if err != nil {
				b.Fatal(err)
			}
			var n int64
			bankData.rcu.take()
			for b.Loop() {
				if n, err = bankData.store.BankCount(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(bankData.rcu.take()/float64(b.N), "RCU/count")
			b.ReportMetric(float64(n), "matched")
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/count")
		})
	}
}
