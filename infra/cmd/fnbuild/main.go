// Command fnbuild builds Lambda function binaries (linux/arm64, provided.al2023 "bootstrap",
// -tags lambda.norpc -trimpath -ldflags "-s -w").
//
//	fnbuild -out bin                 every function into bin/<domain>/<name>/bootstrap, with sizes
//	fnbuild -id LogicalId -out DIR   one function into DIR/bootstrap (sam build's makefile method)
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/kabinet/kabinet/infra/functions"
)

func main() {
	out := flag.String("out", "bin", "output folder")
	id := flag.String("id", "", "build only the function with this template logical id into OUT/bootstrap")
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	fns, err := functions.List(*root)
	if err != nil {
		fatal(err)
	}
	if *id != "" {
		for _, f := range fns {
			if f.LogicalID == *id {
				if err := build(*root, f, filepath.Join(*out, "bootstrap")); err != nil {
					fatal(err)
				}
				return
			}
		}
		fatal(fmt.Errorf("no function folder has logical id %s", *id))
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, runtime.NumCPU())
	)
	for _, f := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := build(*root, f, filepath.Join(*out, f.Name, "bootstrap")); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		fatal(fmt.Errorf("%d builds failed: %v", len(errs), errs))
	}
	var total int64
	fmt.Printf("%-45s %12s\n", "function (linux/arm64 bootstrap)", "bytes")
	for _, f := range fns {
		st, err := os.Stat(filepath.Join(*out, f.Name, "bootstrap"))
		if err != nil {
			fatal(err)
		}
		total += st.Size()
		fmt.Printf("%-45s %12d  (%.1f MiB)\n", f.Name, st.Size(), float64(st.Size())/(1<<20))
	}
	fmt.Printf("%-45s %12d  (%d functions)\n", "total", total, len(fns))
}

func build(root string, f functions.Function, dst string) error {
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w", "-o", dst, "./"+f.Dir)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build %s: %w", f.Name, err)
	}
	return nil
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "fnbuild:", err)
	os.Exit(1)
}
