// Package functions finds the Lambda function folders (functions/<domain>/<name>/main.go)
// and names them the way template.yaml does: the logical id of functions/onboarding/
// registration-start is OnboardingRegistrationStartFunction (checked by the route-truth test).
package functions

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Function is one function folder.
type Function struct {
	Name      string // "onboarding/registration-start"
	Dir       string // repo-relative: "functions/onboarding/registration-start"
	LogicalID string // "OnboardingRegistrationStartFunction"
}

// List returns every folder under root/functions that holds a main.go, sorted by name.
func List(root string) ([]Function, error) {
	paths, err := filepath.Glob(filepath.Join(root, "functions", "*", "*", "main.go"))
	if err != nil {
		return nil, err
	}
	var out []Function
	for _, p := range paths {
		dir, _ := filepath.Rel(root, filepath.Dir(p))
		dir = filepath.ToSlash(dir)
		name := strings.TrimPrefix(dir, "functions/")
		out = append(out, Function{Name: name, Dir: dir, LogicalID: LogicalID(name)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Dirs returns every folder directly under root/functions/<domain>/, main.go or not.
func Dirs(root string) ([]string, error) {
	entries, err := filepath.Glob(filepath.Join(root, "functions", "*", "*"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if st, err := os.Stat(e); err == nil && st.IsDir() {
			rel, _ := filepath.Rel(root, e)
			out = append(out, filepath.ToSlash(rel))
		}
	}
	sort.Strings(out)
	return out, nil
}

// LogicalID is the template's logical id for a function named domain/name.
func LogicalID(name string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String() + "Function"
}
