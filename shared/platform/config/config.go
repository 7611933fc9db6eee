// Package config loads a function's settings from environment variables into a struct,
// failing fast with every missing or malformed variable named at once.
//
//	type Config struct {
//		Table   string        `env:"IDENTITY_TABLE"`
//		TTL     time.Duration `env:"CODE_TTL" default:"10m"`
//		Verbose bool          `env:"VERBOSE" default:"false"`
//		Secret  string        `env:"CODE_PEPPER" secret:"true"`
//	}
//
// A field without a default is required. AWS endpoints are not configured here: the SDK
// reads AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> itself, so local runs need no code path
// of their own.
package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Load fills dst (a pointer to a struct) from the environment.
func Load(dst any) error { return LoadFrom(os.LookupEnv, dst) }

// LoadFrom is Load with another source of variables (tests).
func LoadFrom(lookup func(string) (string, bool), dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return errors.New("config: Load needs a pointer to a struct")
	}
	var missing, bad []string
	load(lookup, v.Elem(), &missing, &bad)
	if len(missing) == 0 && len(bad) == 0 {
		return nil
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "missing environment variables: "+strings.Join(missing, ", "))
	}
	if len(bad) > 0 {
		parts = append(parts, "malformed environment variables: "+strings.Join(bad, "; "))
	}
	return errors.New("config: " + strings.Join(parts, "; "))
}

func load(lookup func(string) (string, bool), v reflect.Value, missing, bad *[]string) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		fv := v.Field(i)
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Time{}) && f.Tag.Get("env") == "" {
			load(lookup, fv, missing, bad) // embedded or grouped settings
			continue
		}
		name := f.Tag.Get("env")
		if name == "" {
			continue
		}
		raw, ok := lookup(name)
		if !ok || raw == "" {
			def, hasDef := f.Tag.Lookup("default")
			if !hasDef {
				*missing = append(*missing, name)
				continue
			}
			raw = def
		}
		if err := set(fv, raw); err != nil {
			shown := raw
			if f.Tag.Get("secret") == "true" {
				shown = "(secret)"
			}
			*bad = append(*bad, fmt.Sprintf("%s=%q: %v", name, shown, err))
			continue
		}
		if min := f.Tag.Get("minlen"); min != "" {
			n, _ := strconv.Atoi(min)
			if len(raw) < n {
				*bad = append(*bad, fmt.Sprintf("%s: shorter than %d characters", name, n))
			}
		}
	}
}

func set(fv reflect.Value, raw string) error {
	switch fv.Interface().(type) {
	case time.Duration:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return err
		}
		fv.SetInt(int64(d))
		return nil
	}
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(raw)
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return errors.New("not an integer")
		}
		fv.SetInt(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return errors.New("not a boolean")
		}
		fv.SetBool(b)
	case reflect.Slice:
		if fv.Type().Elem().Kind() != reflect.String {
			return errors.New("unsupported list type")
		}
		var items []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		fv.Set(reflect.ValueOf(items))
	default:
		return fmt.Errorf("unsupported type %s", fv.Type())
	}
	return nil
}
