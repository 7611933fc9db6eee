// Command kabinet-local runs the whole Kabinet API on this machine (`make run`): it installs
// and starts the local AWS emulators, creates every table, queue and bucket template.yaml
// declares, starts the external-system simulators, serves each API of the template on its
// own port with the very handlers the Lambda functions use, and runs every SQS-triggered
// function as a poller with the template's batch size and partial-failure semantics.
// Ctrl-C stops everything; data persists in .local/data unless -fresh.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/infra/abssim"
	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/localcloud"
	"github.com/kabinet/kabinet/infra/samtemplate"
	"github.com/kabinet/kabinet/infra/smssim"
	"github.com/kabinet/kabinet/infra/smtpsink"
	abswire "github.com/kabinet/kabinet/shared/abs/wire"
	bowire "github.com/kabinet/kabinet/shared/backoffice/wire"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/logging"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// Local settings of the template's parameters. The secrets are fixed so that data kept in
// .local/data stays usable across restarts; they protect nothing outside this machine.
var localParams = map[string]string{
	"Stage":           "local",
	"SmsApiId":        "local-dev",
	"DadataApiKey":    "local-dev", // the DaData simulator's key
	"CodePepper":      "local-dev-code-pepper-not-a-secret-0000",
	"TokenSecret":     "local-dev-token-secret-not-a-secret-0000",
	"PageTokenSecret": "local-dev-page-token-not-a-secret-0000",

	"BackofficeApiKey": "local-dev-backoffice-api-key-not-a-secret", // X-Authorization (E1)

	"PartnerKeySecret": "local-dev-partner-key-secret-not-a-secret", // seals partner-key secrets (shared/apikeys)
}

// The back office's first administrator (E1), created at start when absent.
const devAdmin, devAdminPassword = "admin", "Local-Admin-2026"

// The e-mail sink (infra/smtpsink): the e-mail sender delivers to its SMTP port, developers
// read what arrived on its HTTP port.
var (
	smtpPort = flag.Int("smtp-port", 1025, "SMTP sink port (the e-mail sender delivers there)")
	mailPort = flag.Int("mail-port", 8025, "HTTP port of the SMTP sink (/_sim/messages)")
	absPort  = flag.Int("abs-port", 9092, "ABS simulator port (the bank's core-banking system, E13)")
)

func main() {
	fresh := flag.Bool("fresh", false, "delete the local data first")
	data := flag.String("data", ".local/data", "where the emulators keep data (relative to the repo root)")
	ports := map[httpapi.API]*int{
		httpapi.Client:     flag.Int("client-port", 3000, "client API port"),
		httpapi.Partner:    flag.Int("partner-port", 3001, "partner API port"),
		httpapi.Backoffice: flag.Int("backoffice-port", 3002, "back-office API port"),
	}
	smsPort := flag.Int("sms-port", 9090, "SMS.ru simulator port")
	dadataPort := flag.Int("dadata-port", 9091, "DaData simulator port (the company directory)")
	dynamoPort := flag.Int("dynamodb-port", 8000, "DynamoDB Local port")
	sqsPort := flag.Int("sqs-port", 9324, "SQS (fauxqs) port")
	s3Port := flag.Int("s3-port", 9000, "S3 (gofakes3) port")
	flag.Parse()
	logging.Setup()
	if err := run(*fresh, *data, ports, *smsPort, *dadataPort, *dynamoPort, *sqsPort, *s3Port); err != nil {
		fmt.Fprintln(os.Stderr, "kabinet-local:", err)
		os.Exit(1)
	}
}

func say(format string, args ...any) { fmt.Fprintf(os.Stderr, "kabinet-local: "+format+"\n", args...) }

func run(fresh bool, data string, ports map[httpapi.API]*int, smsPort, dadataPort, dynamoPort, sqsPort, s3Port int) error {
	began := time.Now()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root, err := localcloud.FindRoot()
	if err != nil {
		return err
	}
	if !filepath.IsAbs(data) {
		data = filepath.Join(root, data)
	}
	stack, err := localcloud.Start(ctx, localcloud.Options{Root: root, DataDir: data, Fresh: fresh,
		DynamoPort: dynamoPort, SQSPort: sqsPort, S3Port: s3Port, Logf: say})
	if err != nil {
		return err
	}
	defer func() {
		say("stopping emulators")
		if err := stack.Stop(); err != nil {
			say("stop: %v", err)
		}
	}()
	for _, kv := range stack.Env() {
		k, v, _ := strings.Cut(kv, "=")
		os.Setenv(k, v)
	}
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		return err
	}
	res, err := localcloud.Provision(ctx, stack, tpl, "")
	if err != nil {
		return err
	}

	// External systems.
	sms := smssim.New(localParams["SmsApiId"])
	smsURL := fmt.Sprintf("http://127.0.0.1:%d", smsPort)
	dadata := dadatasim.New(localParams["DadataApiKey"])
	dadataURL := fmt.Sprintf("http://127.0.0.1:%d", dadataPort)
	absSim := abssim.New()
	defer absSim.Close()
	absURL := fmt.Sprintf("http://127.0.0.1:%d", *absPort)
	mail := smtpsink.New()
	smtpAddr, mailURL := fmt.Sprintf("127.0.0.1:%d", *smtpPort), fmt.Sprintf("http://127.0.0.1:%d", *mailPort)
	if _, err := mail.Listen(smtpAddr); err != nil {
		return fmt.Errorf("listen %s (is another kabinet-local running?): %w", smtpAddr, err)
	}
	defer mail.Close()
	params := map[string]string{"SmsGatewayUrl": smsURL, "DadataUrl": dadataURL, "AbsUrl": absURL, "EmailTransport": "smtp", "SmtpAddr": smtpAddr}
	for k, v := range localParams {
		params[k] = v
	}
	if err := localcloud.SetFunctionEnv(tpl, res, params); err != nil {
		return err
	}
	if created, err := bowire.Bootstrap(ctx, devAdmin, devAdminPassword); err != nil {
		return fmt.Errorf("back-office bootstrap: %w", err)
	} else if created {
		say("back office: created the administrator %s / %s", devAdmin, devAdminPassword)
	} else {
		say("back office: administrator %s (password %s unless changed)", devAdmin, devAdminPassword)
	}

	// APIs: each on its own port, mounting the catalogue routes the template declares.
	auth, err := catalogue.Authenticators(ctx)
	if err != nil {
		return err
	}
	mounted, err := httpapi.BuildAll(ctx, catalogue.Routes())
	if err != nil {
		return err
	}
	byAPI := map[httpapi.API][]httpapi.Mounted{}
	for _, m := range mounted {
		byAPI[m.API] = append(byAPI[m.API], m)
	}
	servers := []*http.Server{{Addr: fmt.Sprintf("127.0.0.1:%d", smsPort), Handler: sms}, {Addr: fmt.Sprintf("127.0.0.1:%d", dadataPort), Handler: dadata}, {Addr: fmt.Sprintf("127.0.0.1:%d", *mailPort), Handler: mail}, {Addr: fmt.Sprintf("127.0.0.1:%d", *absPort), Handler: absSim}}
	for _, api := range httpapi.APIs {
		servers = append(servers, &http.Server{Addr: fmt.Sprintf("127.0.0.1:%d", *ports[api]), Handler: httpapi.NewServer(auth, byAPI[api]...)})
	}
	var wg sync.WaitGroup
	errc := make(chan error, len(servers))
	for _, srv := range servers {
		ln, err := net.Listen("tcp", srv.Addr)
		if err != nil {
			return fmt.Errorf("listen %s (is another kabinet-local running?): %w", srv.Addr, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			srv.ReadHeaderTimeout = 10 * time.Second
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}

	// Workers: one poller per SQS-triggered function, as its event source mapping.
	aws, err := awsclient.Config(ctx)
	if err != nil {
		return err
	}
	sqsClient := sqs.NewFromConfig(aws)
	var workerLines []string
	for _, w := range catalogue.Workers() {
		consumer, err := w.Build(ctx)
		if errors.Is(err, abswire.ErrNoOutcomes) { // until the review flow registers its side (E13)
			say("worker %s not started: %v", w.Function, err)
			continue
		}
		if err != nil {
			return fmt.Errorf("worker %s: %w", w.Function, err)
		}
		o, err := localcloud.WorkerQueue(tpl, res, w.Function)
		if err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sqsworker.Poll(ctx, sqsClient, o, consumer.HandleEvent); err != nil {
				slog.Error("poller stopped", "function", w.Function, "error", err.Error())
			}
		}()
		workerLines = append(workerLines, fmt.Sprintf("  %-28s <- %s (batch %d)", w.Function, o.QueueURL, o.BatchSize))
	}

	banner(mounted, ports, smsURL, dadataURL, absURL, mailURL, smtpAddr, workerLines, time.Since(began))
	select {
	case <-ctx.Done():
	case err := <-errc:
		say("server failed: %v", err)
	}
	say("shutting down")
	stop()
	absSim.Close() // ends answers it holds back (the "hang" fault), which Shutdown would wait for
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range servers {
		_ = srv.Shutdown(shutdown)
	}
	wg.Wait()
	return nil
}

func banner(mounted []httpapi.Mounted, ports map[httpapi.API]*int, smsURL, dadataURL, absURL, mailURL, smtpAddr string, workers []string, took time.Duration) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nKabinet is up in %.1fs.\n", took.Seconds())
	for _, api := range httpapi.APIs {
		fmt.Fprintf(&b, "\n%s API  http://127.0.0.1:%d\n", api, *ports[api])
		var lines []string
		for _, m := range mounted {
			if m.API == api {
				lines = append(lines, fmt.Sprintf("  %-6s %-40s %-32s auth=%s", m.Method, m.Path, m.Function, m.Auth))
			}
		}
		sort.Strings(lines)
		b.WriteString(strings.Join(lines, "\n") + "\n")
	}
	fmt.Fprintf(&b, "\nworkers\n%s\n", strings.Join(workers, "\n"))
	fmt.Fprintf(&b, "\nSMS.ru simulator  %s  (sent messages: %s/_sim/messages?phone=%%2B79161234567)\n", smsURL, smsURL)
	fmt.Fprintf(&b, "DaData simulator  %s  (companies: %s/_sim/companies; outage: PUT %s/_sim/fault {\"mode\":\"down\"})\n", dadataURL, dadataURL, dadataURL)
	fmt.Fprintf(&b, "ABS simulator     %s  (calls: %s/_sim/calls; clients: %s/_sim/clients; faults: PUT %s/_sim/fault {\"mode\":\"down\"})\n", absURL, absURL, absURL, absURL)
	fmt.Fprintf(&b, "SMTP sink         smtp://%s  (received e-mail: %s/_sim/messages?to=ivanov@example.ru)\n", smtpAddr, mailURL)
	b.WriteString("Ctrl-C stops everything; data is kept in .local/data (make run FRESH=1 starts clean).\n")
	fmt.Fprint(os.Stderr, b.String())
}
