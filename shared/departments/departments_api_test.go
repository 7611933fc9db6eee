package departments_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/departments"
	"github.com/kabinet/kabinet/shared/departments/departmentsdb"
	"github.com/kabinet/kabinet/shared/departments/wire"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// A12: an agent system reads the default directory; a bank user reads it with its version,
// saves an edited one (the agent sees it), a stale version gets 409, an invalid body 400,
// and no credentials 401 on both APIs.
func TestDirectoryReadAndBankEdit(t *testing.T) {
	client := testflows.New(t, httpapi.Client)
	partner := testflows.New(t, httpapi.Partner)
	bo := testflows.New(t, httpapi.Backoffice)

	// The directory is one item of the table: start from the default one.
	svc, err := wire.Service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st := svc.Store.(*departmentsdb.Store)
	if _, err := st.DB.DeleteItem(context.Background(), &dynamodb.DeleteItemInput{TableName: aws.String(st.Table), Key: departmentsdb.Key()}); err != nil {
		t.Fatal(err)
	}

	// An agent credential (A12).
	acct := client.Ready()
	cred := client.Call("POST", "/v1/api-credentials", "", acct.Token())
	testflows.Expect(t, cred, 201, "make an API credential")
	basic := map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(cred.S("appId")+":"+cred.S("sharedKey")))}
	agentGet := func(h map[string]string) testenv.Reply {
		return partner.Do(testenv.Request{Method: "GET", Path: "/api/voz/departments/get", Header: h})
	}

	testflows.Expect(t, agentGet(nil), 401, "agent without credentials")
	r := agentGet(basic)
	testflows.Expect(t, r, 200, "agent reads the directory")
	if got := regions(t, r); !equal(got, departments.Default()) {
		t.Fatalf("default directory: %v", r.Body)
	}
	if _, ok := r.Body["version"]; ok {
		t.Fatalf("the agent answer carries no version: %v", r.Body)
	}

	// A bank user.
	if _, err := bowire.Bootstrap(context.Background(), "bank-admin", "Bank-Admin-2026"); err != nil {
		t.Fatal(err)
	}
	login := bo.Do(testenv.Request{Method: "POST", Path: "/api/login", Body: "username=bank-admin&password=Bank-Admin-2026",
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	testflows.Expect(t, login, 200, "bank login")
	cookie := map[string]string{"Cookie": strings.Split(login.Header.Get("Set-Cookie"), ";")[0]}
	bank := func(method, body string, h map[string]string) testenv.Reply {
		return bo.Do(testenv.Request{Method: method, Path: "/v1/departments", Body: body, Header: h})
	}

	testflows.Expect(t, bank("GET", "", nil), 401, "bank read without credentials")
	testflows.Expect(t, bank("PUT", `{"version":0,"regions":[]}`, nil), 401, "bank edit without credentials")
	r = bank("GET", "", cookie)
	testflows.Expect(t, r, 200, "bank reads the directory")
	if r.Body["version"] != float64(0) || !equal(regions(t, r), departments.Default()) {
		t.Fatalf("bank directory: %v", r.Body)
	}

	edited := departments.Default()
	edited[0].Name = "г. Москва"
	edited[0].Cities[0].Offices = append(edited[0].Cities[0].Offices, departments.Office{ID: "77-001-09", Name: "Офис «Арбат»", Address: "г. Москва, ул. Арбат, д. 1", WorkingHours: "пн–пт 10:00–18:00"})
	body := func(version int, rs []departments.Region) string {
		b, err := json.Marshal(map[string]any{"version": version, "regions": rs})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	r = bank("PUT", body(0, edited), cookie)
	testflows.Expect(t, r, 200, "bank saves the directory")
	if r.Body["version"] != float64(1) || r.S("updatedBy") == "" {
		t.Fatalf("saved: %v", r.Body)
	}
	r = agentGet(basic)
	testflows.Expect(t, r, 200, "agent reads the edited directory")
	if !equal(regions(t, r), edited) {
		t.Fatalf("agent sees: %v", r.Body)
	}
	if r = bank("GET", "", cookie); r.Body["version"] != float64(1) || !equal(regions(t, r), edited) {
		t.Fatalf("bank reads after save: %v", r.Body)
	}

	// Optimistic locking: the version read before the save is stale.
	r = bank("PUT", body(0, departments.Default()), cookie)
	testflows.Expect(t, r, 409, "stale version")
	testflows.Expect(t, bank("PUT", body(1, departments.Default()), cookie), 200, "current version")

	// Invalid bodies.
	dup := departments.Default()
	dup[1].Cities[0].ID = dup[0].Cities[0].ID
	noName := departments.Default()
	noName[2].Cities[0].Offices[0].Name = " "
	for what, b := range map[string]string{
		"duplicate city id":   body(2, dup),
		"empty office name":   body(2, noName),
		"no regions":          body(2, nil),
		"no version":          `{"regions":[{"idRegion":"1","name":"Регион","cities":[]}]}`,
		"unknown field":       `{"version":2,"regions":[],"extra":1}`,
		"not JSON":            `{"version":`,
		"negative version":    body(-1, departments.Default()),
		"empty region id":     `{"version":2,"regions":[{"idRegion":"","name":"Регион","cities":[]}]}`,
		"version of a string": `{"version":"2","regions":[]}`,
	} {
		testflows.Expect(t, bank("PUT", b, cookie), 400, what)
	}
	if r = bank("GET", "", cookie); r.Body["version"] != float64(2) {
		t.Fatalf("invalid bodies changed nothing: %v", r.Body)
	}
}

func regions(t *testing.T, r testenv.Reply) []departments.Region {
	t.Helper()
	b, err := json.Marshal(r.Body["regions"])
	if err != nil {
		t.Fatal(err)
	}
	var out []departments.Region
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func equal(a, b []departments.Region) bool { return fmt.Sprint(a) == fmt.Sprint(b) }
