// Package localcloud installs, starts and provisions local AWS emulators for tests and
// local runs, without Docker:
//
//   - DynamoDB: DynamoDB Local (the official AWS emulator), run with the machine's java;
//   - SQS: fauxqs, run with a Node 22 binary installed from npm;
//   - S3: gofakes3, served in-process.
//
// Start launches all three on free ports; Provision creates the tables, queues and
// buckets declared in the SAM template (see infra/samtemplate); Stack.Env gives the
// environment variables that point the AWS SDK at them.
package localcloud

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	bolt "go.etcd.io/bbolt"
)

// Region and credentials every local client uses.
const (
	Region    = "us-east-1"
	AccessKey = "local"
	SecretKey = "local"
	AccountID = "000000000000" // account id in the emulators' ARNs
)

// Options configures Start.
type Options struct {
	Root    string // repository root: emulators are installed under <Root>/.local
	DataDir string // "" = everything in memory; else DynamoDB, SQS and S3 persist under it
	Fresh   bool   // delete DataDir's contents before starting
	// Ports; 0 picks a free port.
	DynamoPort, SQSPort, S3Port int
	Logf                        func(format string, args ...any) // progress lines; nil = silent
}

// Stack is a running set of emulators.
type Stack struct {
	DynamoDBURL, SQSURL, S3URL string
	Region                     string
	DataDir                    string

	procs    []*proc
	s3srv    *http.Server
	s3db     *bolt.DB
	stopOnce sync.Once
	stopErr  error
}

// readyTimeout is how long an emulator may take to answer: DynamoDB Local, a JVM, takes over
// 30 s to start on a loaded 2-core machine.
const readyTimeout = 120 * time.Second

var errProbeCanceled = errors.New("probe canceled")

// Start installs what is missing (EnsureInstalled), starts DynamoDB Local, fauxqs and
// gofakes3 and waits until each answers a list call (30 s at most). On error every
// started process is stopped again. Call Stop when done.
func Start(ctx context.Context, o Options) (*Stack, error) {
	logf := o.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if o.Root == "" {
		return nil, errors.New("localcloud: Options.Root is empty")
	}
	if err := EnsureInstalled(ctx, o.Root, logf); err != nil {
		return nil, err
	}
	in, err := layout(o.Root)
	if err != nil {
		return nil, err
	}
	if _, err := exec.LookPath("java"); err != nil {
		return nil, errors.New("localcloud: java not found on PATH (DynamoDB Local needs a JRE 17+)")
	}

	s := &Stack{Region: Region, DataDir: o.DataDir}
	if o.DataDir != "" {
		if o.Fresh {
			if err := clearDir(o.DataDir); err != nil {
				return nil, fmt.Errorf("localcloud: clearing %s: %w", o.DataDir, err)
			}
		}
		for _, d := range []string{"dynamodb", "sqs", "s3"} {
			if err := os.MkdirAll(filepath.Join(o.DataDir, d), 0o755); err != nil {
				return nil, err
			}
		}
	}
	start := time.Now()
	ok := false
	defer func() {
		if !ok {
			s.Stop()
		}
	}()

	// S3: in process.
	s3ln, err := listen(o.S3Port)
	if err != nil {
		return nil, fmt.Errorf("localcloud: S3 port: %w", err)
	}
	var backend gofakes3.Backend
	if o.DataDir != "" {
		db, err := bolt.Open(filepath.Join(o.DataDir, "s3", "s3.bolt"), 0o600, &bolt.Options{Timeout: 2 * time.Second})
		if err != nil {
			s3ln.Close()
			return nil, fmt.Errorf("localcloud: opening S3 store (is another stack using %s?): %w", o.DataDir, err)
		}
		s.s3db = db
		backend = s3bolt.New(db)
	} else {
		backend = s3mem.New()
	}
	faker := gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog()))
	s.s3srv = &http.Server{Handler: faker.Server(), ReadHeaderTimeout: 10 * time.Second}
	s.S3URL = "http://" + s3ln.Addr().String()
	go s.s3srv.Serve(s3ln)

	// DynamoDB Local.
	ddbPort, err := freePort(o.DynamoPort)
	if err != nil {
		return nil, fmt.Errorf("localcloud: DynamoDB port: %w", err)
	}
	ddbArgs := []string{
		"-Djava.library.path=" + filepath.Join(in.emulatorDir(), "DynamoDBLocal_lib"),
		"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", // faster start, smaller footprint (measured: no slower)
		"-jar", in.dynamoJar(), "-sharedDb", "-disableTelemetry", "-port", strconv.Itoa(ddbPort),
	}
	if o.DataDir != "" {
		ddbArgs = append(ddbArgs, "-dbPath", filepath.Join(o.DataDir, "dynamodb"))
	} else {
		ddbArgs = append(ddbArgs, "-inMemory")
	}
	p, err := startProc("dynamodb", in.emulatorDir(), nil, "java", ddbArgs...)
	if err != nil {
		return nil, err
	}
	s.procs = append(s.procs, p)
	s.DynamoDBURL = fmt.Sprintf("http://127.0.0.1:%d", ddbPort)

	// fauxqs.
	sqsPort, err := freePort(o.SQSPort)
	if err != nil {
		return nil, fmt.Errorf("localcloud: SQS port: %w", err)
	}
	env := []string{"FAUXQS_PORT=" + strconv.Itoa(sqsPort), "FAUXQS_LOGGER=false", "FAUXQS_DEFAULT_REGION=" + Region}
	if o.DataDir != "" {
		env = append(env, "FAUXQS_DATA_DIR="+filepath.Join(o.DataDir, "sqs"), "FAUXQS_PERSISTENCE=true")
	}
	p, err = startProc("sqs", in.fauxqsDir, env, in.nodeBin(), in.fauxqsServer())
	if err != nil {
		return nil, err
	}
	s.procs = append(s.procs, p)
	s.SQSURL = fmt.Sprintf("http://127.0.0.1:%d", sqsPort)

	if err := s.waitReady(ctx); err != nil {
		return nil, err
	}
	ok = true
	logf("local AWS ready in %.1fs: dynamodb %s, sqs %s, s3 %s", time.Since(start).Seconds(), s.DynamoDBURL, s.SQSURL, s.S3URL)
	return s, nil
}

func (s *Stack) waitReady(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, readyTimeout)
	defer cancel()
	cfg, _ := s.AWSConfig(ctx)
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	ddb, sqsc, s3c := NewClients(cfg, s.DynamoDBURL, s.SQSURL, s.S3URL)
	probes := map[string]func(context.Context) error{
		"dynamodb": func(c context.Context) error { _, err := ddb.ListTables(c, &dynamodb.ListTablesInput{}); return err },
		"sqs":      func(c context.Context) error { _, err := sqsc.ListQueues(c, &sqs.ListQueuesInput{}); return err },
		"s3":       func(c context.Context) error { _, err := s3c.ListBuckets(c, &s3.ListBucketsInput{}); return err },
	}
	errs := make(chan error, len(probes))
	for name, probe := range probes {
		var p *proc
		for _, pp := range s.procs {
			if pp.name == name {
				p = pp
			}
		}
		go func() {
			var last error
			for {
				c, cancel := context.WithTimeout(ctx, 2*time.Second)
				last = probe(c)
				cancel()
				if last == nil {
					errs <- nil
					return
				}
				var exited <-chan struct{}
				if p != nil {
					exited = p.done
				}
				select {
				case <-exited:
					errs <- fmt.Errorf("localcloud: %s exited during start-up (%v):\n%s", name, p.err, p.log.String())
					return
				case <-ctx.Done():
					if errors.Is(ctx.Err(), context.Canceled) {
						errs <- errProbeCanceled // another service failed first
						return
					}
					msg := fmt.Sprintf("localcloud: %s not ready after %s: %v", name, readyTimeout, last)
					if p != nil {
						msg += "\n" + p.log.String()
					}
					errs <- errors.New(msg)
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		}()
	}
	var all []error
	for range probes {
		if err := <-errs; err != nil && err != errProbeCanceled {
			all = append(all, err)
			cancel() // no point waiting for the others
		}
	}
	if len(all) == 0 && parent.Err() != nil {
		return parent.Err()
	}
	return errors.Join(all...)
}

// Stop terminates the emulator processes (SIGTERM to each process group, SIGKILL after
// 5 s) and the in-process S3 server. Safe to call more than once.
func (s *Stack) Stop() error {
	s.stopOnce.Do(func() {
		var wg sync.WaitGroup
		errs := make([]error, len(s.procs))
		for i, p := range s.procs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = p.stop(5 * time.Second)
			}()
		}
		if s.s3srv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			if err := s.s3srv.Shutdown(ctx); err != nil {
				s.s3srv.Close()
			}
			cancel()
		}
		wg.Wait()
		if s.s3db != nil {
			errs = append(errs, s.s3db.Close())
		}
		s.stopErr = errors.Join(errs...)
	})
	return s.stopErr
}

// Pids returns the process ids of the emulator processes (each leads its own process group).
func (s *Stack) Pids() map[string]int {
	m := map[string]int{}
	for _, p := range s.procs {
		m[p.name] = p.cmd.Process.Pid
	}
	return m
}

// RSS returns the resident set size in bytes of each emulator process (Linux only;
// empty elsewhere). S3 runs inside the calling process and is not listed.
func (s *Stack) RSS() map[string]int64 {
	m := map[string]int64{}
	for _, p := range s.procs {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				if f := strings.Fields(rest); len(f) > 0 {
					if n, err := strconv.ParseInt(f[0], 10, 64); err == nil {
						m[p.name] = n * 1024
					}
				}
			}
		}
	}
	return m
}

// Env returns the environment variables that point the AWS SDK (config.LoadDefaultConfig)
// at the emulators, with static local credentials. AWS_PROFILE and AWS_SESSION_TOKEN are
// blanked so a developer's real AWS settings cannot leak into tests.
func (s *Stack) Env() []string {
	return []string{
		"AWS_ENDPOINT_URL_DYNAMODB=" + s.DynamoDBURL,
		"AWS_ENDPOINT_URL_SQS=" + s.SQSURL,
		"AWS_ENDPOINT_URL_S3=" + s.S3URL,
		"AWS_REGION=" + s.Region,
		"AWS_DEFAULT_REGION=" + s.Region,
		"AWS_ACCESS_KEY_ID=" + AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + SecretKey,
		"AWS_SESSION_TOKEN=",
		"AWS_PROFILE=",
		"AWS_EC2_METADATA_DISABLED=true",
		"S3_FORCE_PATH_STYLE=true",
	}
}

// AWSConfig returns a config with the local region and static credentials. It does not
// carry endpoints: use DynamoDB(), SQS() and S3(), or NewClients.
func (s *Stack) AWSConfig(ctx context.Context) (aws.Config, error) {
	return StaticConfig(s.Region, AccessKey, SecretKey), nil
}

// StaticConfig builds an aws.Config with static credentials and nothing read from the
// environment or ~/.aws.
func StaticConfig(region, key, secret string) aws.Config {
	cfg := aws.NewConfig()
	cfg.Region = region
	cfg.Credentials = credentials.NewStaticCredentialsProvider(key, secret, "")
	return *cfg
}

// NewClients builds DynamoDB, SQS and S3 clients for the given endpoints (S3 path-style;
// DynamoDB without response checksum validation, which emulators get wrong on errors).
func NewClients(cfg aws.Config, dynamoURL, sqsURL, s3URL string) (*dynamodb.Client, *sqs.Client, *s3.Client) {
	ddb := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(dynamoURL)
		o.DisableValidateResponseChecksum = true
	})
	sqsc := sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(sqsURL) })
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(s3URL)
		o.UsePathStyle = true
	})
	return ddb, sqsc, s3c
}

// DynamoDB returns a client for the local DynamoDB.
func (s *Stack) DynamoDB(optFns ...func(*dynamodb.Options)) *dynamodb.Client {
	cfg, _ := s.AWSConfig(context.Background())
	return dynamodb.NewFromConfig(cfg, append([]func(*dynamodb.Options){func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(s.DynamoDBURL)
		o.DisableValidateResponseChecksum = true
	}}, optFns...)...)
}

// SQS returns a client for the local SQS.
func (s *Stack) SQS(optFns ...func(*sqs.Options)) *sqs.Client {
	cfg, _ := s.AWSConfig(context.Background())
	return sqs.NewFromConfig(cfg, append([]func(*sqs.Options){func(o *sqs.Options) {
		o.BaseEndpoint = aws.String(s.SQSURL)
	}}, optFns...)...)
}

// S3 returns a path-style client for the local S3.
func (s *Stack) S3(optFns ...func(*s3.Options)) *s3.Client {
	cfg, _ := s.AWSConfig(context.Background())
	return s3.NewFromConfig(cfg, append([]func(*s3.Options){func(o *s3.Options) {
		o.BaseEndpoint = aws.String(s.S3URL)
		o.UsePathStyle = true
	}}, optFns...)...)
}

// ---- processes -------------------------------------------------------------

type proc struct {
	name string
	cmd  *exec.Cmd
	log  *tail
	done chan struct{}
	err  error // set before done is closed
}

func startProc(name, dir string, env []string, bin string, args ...string) (*proc, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	t := &tail{max: 16 << 10}
	cmd.Stdout, cmd.Stderr = t, t
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("localcloud: starting %s (%s): %w", name, bin, err)
	}
	p := &proc{name: name, cmd: cmd, log: t, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

func (p *proc) stop(grace time.Duration) error {
	select {
	case <-p.done:
		return nil // already gone (a crash was reported by waitReady)
	default:
	}
	pid := p.cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-p.done
	}
	// Leftovers in the group (none expected) are killed too.
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	return nil
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if len(t.buf) > t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	return len(b), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return lastLines(string(t.buf), 30)
}

// ---- helpers ---------------------------------------------------------------

func listen(port int) (net.Listener, error) {
	return net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
}

// freePort returns port, or a port that was free a moment ago when port is 0.
func freePort(port int) (int, error) {
	if port != 0 {
		return port, nil
	}
	l, err := listen(0)
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func clearDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
