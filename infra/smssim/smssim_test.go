package smssim_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/kabinet/kabinet/infra/smssim"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
	"github.com/kabinet/kabinet/shared/sms/smsru"
)

// The SMS.ru client against the simulator: success, refusals that are permanent, outages
// that are transient.
func TestClientAgainstSimulator(t *testing.T) {
	sim := smssim.New("key-1")
	srv := httptest.NewServer(sim)
	defer srv.Close()
	ctx := context.Background()
	tests := []struct {
		name      string
		apiID     string
		phone     string
		fault     *smssim.Fault
		wantErr   bool
		permanent bool
	}{
		{name: "sent", apiID: "key-1", phone: "+79161234567"},
		{name: "wrong api id is permanent", apiID: "bad", phone: "+79161234567", wantErr: true, permanent: true},
		{name: "bad number is permanent", apiID: "key-1", phone: "+7916", wantErr: true, permanent: true},
		{name: "gateway down is transient", apiID: "key-1", phone: "+79161234567", fault: &smssim.Fault{Mode: "down"}, wantErr: true},
		{name: "service unavailable status is transient", apiID: "key-1", phone: "+79161234567", fault: &smssim.Fault{Mode: "status", StatusCode: 220}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim.SetFault(tc.fault)
			defer sim.SetFault(nil)
			id, err := smsru.New(srv.URL, tc.apiID, "").Send(ctx, tc.phone, "Код 123456")
			if (err != nil) != tc.wantErr || sqsworker.IsPermanent(err) != tc.permanent {
				t.Fatalf("err = %v (permanent %v)", err, sqsworker.IsPermanent(err))
			}
			if !tc.wantErr && (id == "" || sim.Messages(tc.phone)[0].Text != "Код 123456") {
				t.Fatalf("not recorded: %v", sim.Messages(tc.phone))
			}
		})
	}
	if _, err := smsru.New("http://127.0.0.1:1", "k", "").Send(ctx, "+79161234567", "x"); err == nil || sqsworker.IsPermanent(err) {
		t.Fatalf("unreachable gateway must be transient: %v", err)
	}
}
