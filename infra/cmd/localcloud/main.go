// Command localcloud runs commands against local AWS emulators (see infra/localcloud).
//
//	localcloud exec [-data DIR] [-fresh] -- CMD ARGS...
//	    start DynamoDB Local, fauxqs (SQS) and gofakes3 (S3), in memory unless -data,
//	    create the template's tables, queues and buckets (no name prefix), run CMD with
//	    AWS_ENDPOINT_URL_* and local credentials in its environment, stop everything and
//	    exit with CMD's exit code.
//	localcloud provision -endpoint URL [-prefix P] [-region R]
//	    create the template's resources on an already running endpoint that serves all
//	    three services (LocalStack style), with credentials test/test and path-style S3.
//	localcloud install
//	    install the emulators into <repo>/.local only.
//
// Every command takes -root DIR (default: the nearest parent directory holding
// template.yaml and go.mod).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/kabinet/kabinet/infra/localcloud"
	"github.com/kabinet/kabinet/infra/samtemplate"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	code := 0
	switch os.Args[1] {
	case "exec":
		code, err = cmdExec(os.Args[2:])
	case "provision":
		err = cmdProvision(os.Args[2:])
	case "install":
		err = cmdInstall(os.Args[2:])
	case "-h", "-help", "--help", "help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "localcloud: unknown command %q\n", os.Args[1])
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "localcloud:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func usage() {
	fmt.Fprint(os.Stderr, `usage:
  localcloud exec [-root DIR] [-data DIR] [-fresh] -- CMD ARGS...
  localcloud provision [-root DIR] -endpoint URL [-prefix P] [-region R]
  localcloud install [-root DIR]
`)
	os.Exit(2)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "localcloud: "+format+"\n", args...)
}

func rootFlag(fs *flag.FlagSet) *string {
	return fs.String("root", "", "repository root (default: nearest parent with template.yaml and go.mod)")
}

func resolveRoot(root string) (string, error) {
	if root != "" {
		return filepath.Abs(root)
	}
	return localcloud.FindRoot()
}

func cmdInstall(args []string) error {
	fs := flag.NewFlagSet("install", flag.ExitOnError)
	root := rootFlag(fs)
	fs.Parse(args)
	r, err := resolveRoot(*root)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := localcloud.EnsureInstalled(ctx, r, logf); err != nil {
		return err
	}
	logf("emulators installed under %s", filepath.Join(r, ".local"))
	return nil
}

func cmdProvision(args []string) error {
	fs := flag.NewFlagSet("provision", flag.ExitOnError)
	root := rootFlag(fs)
	endpoint := fs.String("endpoint", "", "URL serving DynamoDB, SQS and S3 (e.g. http://localhost:4566)")
	prefix := fs.String("prefix", "", "prefix of every physical resource name")
	region := fs.String("region", localcloud.Region, "AWS region")
	fs.Parse(args)
	if *endpoint == "" {
		return errors.New("provision: -endpoint is required")
	}
	r, err := resolveRoot(*root)
	if err != nil {
		return err
	}
	tpl, err := samtemplate.Load(filepath.Join(r, "template.yaml"))
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cfg := localcloud.StaticConfig(*region, "test", "test")
	ddb, sqsc, s3c := localcloud.NewClients(cfg, *endpoint, *endpoint, *endpoint)
	res, err := localcloud.ProvisionWith(ctx, ddb, sqsc, s3c, tpl, *prefix)
	if err != nil {
		return err
	}
	printResources(res)
	return nil
}

func printResources(res *localcloud.Resources) {
	for _, k := range slices.Sorted(maps.Keys(res.Tables)) {
		fmt.Printf("table  %-28s %s\n", k, res.Tables[k])
	}
	for _, k := range slices.Sorted(maps.Keys(res.Queues)) {
		fmt.Printf("queue  %-28s %s\n", k, res.Queues[k].URL)
	}
	for _, k := range slices.Sorted(maps.Keys(res.Buckets)) {
		fmt.Printf("bucket %-28s %s\n", k, res.Buckets[k])
	}
}

func cmdExec(args []string) (int, error) {
	fs := flag.NewFlagSet("exec", flag.ExitOnError)
	root := rootFlag(fs)
	data := fs.String("data", "", "persist emulator data in DIR (default: in memory)")
	fresh := fs.Bool("fresh", false, "delete the -data directory's contents first")
	fs.Parse(args)
	cmdArgs := fs.Args()
	if len(cmdArgs) == 0 {
		return 2, errors.New("exec: no command given (localcloud exec [flags] -- CMD ARGS...)")
	}
	r, err := resolveRoot(*root)
	if err != nil {
		return 1, err
	}
	tpl, err := samtemplate.Load(filepath.Join(r, "template.yaml"))
	if err != nil {
		return 1, err
	}

	// The first SIGINT/SIGTERM cancels start-up or is forwarded to CMD; the emulators
	// are stopped either way. Later signals are swallowed while shutting down.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	exitWithParent()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan os.Signal, 1)
	go func() {
		s := <-sigs
		got <- s
		cancel()
	}()
	sigCode := func() int {
		select {
		case s := <-got:
			got <- s
			if n, ok := s.(syscall.Signal); ok {
				return 128 + int(n)
			}
		default:
		}
		return 1
	}

	opts := localcloud.Options{Root: r, Fresh: *fresh, Logf: logf}
	if *data != "" {
		if opts.DataDir, err = filepath.Abs(*data); err != nil {
			return 1, err
		}
	}
	stack, err := localcloud.Start(ctx, opts)
	if err != nil {
		if ctx.Err() != nil {
			return sigCode(), nil
		}
		return 1, err
	}
	defer stack.Stop()
	res, err := localcloud.Provision(ctx, stack, tpl, "")
	if err != nil {
		if ctx.Err() != nil {
			return sigCode(), nil
		}
		return 1, err
	}
	logf("provisioned %d tables, %d queues, %d buckets", len(res.Tables), len(res.Queues), len(res.Buckets))

	cmd := exec.Command(cmdArgs[0], cmdArgs[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), stack.Env()...)
	if err := cmd.Start(); err != nil {
		return 127, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	var code int
	select {
	case err := <-done:
		code = exitCode(err)
	case <-ctx.Done():
		s := <-got
		got <- s
		// A terminal's Ctrl-C already reached CMD (same process group); a SIGTERM sent
		// to localcloud alone did not. Forwarding is harmless in both cases.
		_ = cmd.Process.Signal(s)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		code = sigCode()
	}
	if err := stack.Stop(); err != nil {
		logf("stopping emulators: %v", err)
	}
	return code, nil
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	return 1
}
