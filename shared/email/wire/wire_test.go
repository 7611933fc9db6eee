package wire_test

import (
	"strings"
	"testing"

	"github.com/kabinet/kabinet/shared/email/wire"
	"github.com/kabinet/kabinet/shared/platform/config"
)

func TestConfig(t *testing.T) {
	base := map[string]string{"PROCESSED_MESSAGES_TABLE": "t", "EMAIL_DEAD_LETTER_QUEUE_URL": "http://q", "EMAIL_FROM": "no-reply@kabinet.example"}
	tests := []struct {
		name, transport, smtpAddr, from, wantErr string
	}{
		{name: "ses", transport: "ses"},
		{name: "smtp", transport: "smtp", smtpAddr: "127.0.0.1:1025"},
		{name: "smtp without address", transport: "smtp", wantErr: "SMTP_ADDR"},
		{name: "unknown transport", transport: "pigeon", wantErr: "EMAIL_TRANSPORT"},
		{name: "bad sender", transport: "ses", from: "nobody", wantErr: "EMAIL_FROM"},
		{name: "transport missing", wantErr: "EMAIL_TRANSPORT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"EMAIL_TRANSPORT": tc.transport, "SMTP_ADDR": tc.smtpAddr}
			for k, v := range base {
				env[k] = v
			}
			if tc.from != "" {
				env["EMAIL_FROM"] = tc.from
			}
			var cfg wire.Config
			err := config.LoadFrom(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, &cfg)
			if err == nil {
				err = cfg.Validate()
			}
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}
