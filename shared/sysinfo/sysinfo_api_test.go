package sysinfo_test

import (
	"context"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/infra/testflows"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/branding"
	"github.com/kabinet/kabinet/shared/branding/brandingdb"
	brandingwire "github.com/kabinet/kabinet/shared/branding/wire"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/sysinfo/wire"
	"github.com/kabinet/kabinet/shared/system"
)

// Issue 5 (seed 004): the login page's information needs no login and follows the UI
// settings; the main page's needs a bank user (401 without) and carries the signing roles,
// the ABS flag, the version, the stage and the server time.
func TestSystemInfo(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	auth, err := catalogue.Authenticators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	api := testenv.NewAPI(t, auth, wire.Routes())
	if _, err := bowire.Bootstrap(ctx, "sysinfo-admin", "Sysinfo-Admin-2026"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.DynamoDB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(os.Getenv("IDENTITY_TABLE")), Key: brandingdb.SettingsKey()}); err != nil {
		t.Fatal(err)
	}
	version, _ := system.Current()

	r := api.Do(testenv.Request{Method: "GET", Path: "/api/info/systeminfologin"})
	testflows.Expect(t, r, 200, "login page information without credentials")
	i18n, _ := r.Body["i18n"].(map[string]any)
	v, _ := r.Body["version"].(map[string]any)
	if i18n["bankName"] != branding.DefaultSettings().BankName || i18n["systemName"] != "РАДАР" || v["version"] != version {
		t.Fatalf("login page: %v", r.Body)
	}

	// The bank's administrators edit the texts (shared/branding).
	svc, err := brandingwire.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := branding.DefaultSettings()
	s.BankName, s.SupportPhone, s.SupportEmail = "АО «Банк»", "8 800 100-00-00", "help@bank.example"
	if _, err := svc.SaveSettings(ctx, "someone", 0, s); err != nil {
		t.Fatal(err)
	}
	r = api.Do(testenv.Request{Method: "GET", Path: "/api/info/systeminfologin"})
	if i18n, _ = r.Body["i18n"].(map[string]any); i18n["bankName"] != "АО «Банк»" || i18n["supportPhone"] != "8 800 100-00-00" || i18n["supportEmail"] != "help@bank.example" {
		t.Fatalf("edited login page: %v", r.Body)
	}

	testflows.Expect(t, api.Do(testenv.Request{Method: "GET", Path: "/api/info/systeminfo"}), 401, "main page information without credentials")
	r = api.Do(testenv.Request{Method: "GET", Path: "/api/info/systeminfo", Header: map[string]string{"X-Authorization": env.Params["BackofficeApiKey"]}})
	testflows.Expect(t, r, 200, "main page information with the API key")
	roles, _ := r.Body["signingRoles"].([]any)
	if len(roles) != 1 || roles[0].(map[string]any)["id"] != float64(3) || roles[0].(map[string]any)["signer"] != true {
		t.Fatalf("signing roles: %v", r.Body["signingRoles"])
	}
	p, _ := r.Body["parameters"].(map[string]any)
	flags, _ := r.Body["flags"].(map[string]any)
	if p["version"] != version || p["stage"] != os.Getenv("STAGE") || p["serverTime"] == "" || p["timeZone"] != "Europe/Moscow" ||
		flags["absIntegration"] != (os.Getenv("ABS_URL") != "") {
		t.Fatalf("parameters and flags: %v", r.Body)
	}
	if i18n, _ = r.Body["i18n"].(map[string]any); i18n["bankName"] != "АО «Банк»" {
		t.Fatalf("main page texts: %v", r.Body)
	}
}
