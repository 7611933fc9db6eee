package config

import (
	"strings"
	"testing"
	"time"
)

type sample struct {
	Table  string        `env:"TABLE"`
	TTL    time.Duration `env:"TTL" default:"10m"`
	Limit  int           `env:"LIMIT" default:"5"`
	On     bool          `env:"ON" default:"false"`
	Secret string        `env:"SECRET" secret:"true" minlen:"8"`
	Hosts  []string      `env:"HOSTS" default:"a,b"`
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr []string
		check   func(t *testing.T, s sample)
	}{
		{name: "all set", env: map[string]string{"TABLE": "t", "TTL": "1m", "LIMIT": "3", "ON": "true", "SECRET": "12345678", "HOSTS": "x, y"},
			check: func(t *testing.T, s sample) {
				if s.Table != "t" || s.TTL != time.Minute || s.Limit != 3 || !s.On || len(s.Hosts) != 2 || s.Hosts[1] != "y" {
					t.Fatalf("got %+v", s)
				}
			}},
		{name: "defaults", env: map[string]string{"TABLE": "t", "SECRET": "12345678"},
			check: func(t *testing.T, s sample) {
				if s.TTL != 10*time.Minute || s.Limit != 5 || s.On || len(s.Hosts) != 2 {
					t.Fatalf("got %+v", s)
				}
			}},
		{name: "every missing named", env: map[string]string{}, wantErr: []string{"TABLE", "SECRET"}},
		{name: "malformed named, secret hidden", env: map[string]string{"TABLE": "t", "SECRET": "short", "LIMIT": "x"},
			wantErr: []string{"LIMIT", "SECRET: shorter than 8"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s sample
			err := LoadFrom(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }, &s)
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatal("want error")
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not name %q", err, w)
					}
				}
				if strings.Contains(err.Error(), "short\"") {
					t.Errorf("secret value leaked: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, s)
		})
	}
}
