package ses_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"

	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/email/ses"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

type fakeSES struct {
	in  *sesv2.SendEmailInput
	err error
}

func (f *fakeSES) SendEmail(_ context.Context, in *sesv2.SendEmailInput, _ ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error) {
	f.in = in
	if f.err != nil {
		return nil, f.err
	}
	return &sesv2.SendEmailOutput{MessageId: aws.String("0102019a-ses-id")}, nil
}

var msg = email.Message{ID: "invitation-1", To: []string{"ivanov@example.ru", "Пётр Петров <petrov@example.ru>"},
	Subject: "Приглашение в кабинет", Text: "Здравствуйте!", Purpose: "invitation"}

func TestSendBuildsSimpleUTF8Message(t *testing.T) {
	f := &fakeSES{}
	id, err := ses.New(f, "Кабинет <no-reply@kabinet.example>", "kabinet-events").Send(context.Background(), msg)
	if err != nil || id != "0102019a-ses-id" {
		t.Fatalf("Send = %q, %v", id, err)
	}
	in := f.in
	if aws.ToString(in.FromEmailAddress) != "Кабинет <no-reply@kabinet.example>" || aws.ToString(in.ConfigurationSetName) != "kabinet-events" {
		t.Errorf("from %q, configuration set %q", aws.ToString(in.FromEmailAddress), aws.ToString(in.ConfigurationSetName))
	}
	to := in.Destination.ToAddresses
	if len(to) != 2 || to[0] != "ivanov@example.ru" || !strings.HasPrefix(to[1], "=?utf-8?") || !strings.HasSuffix(to[1], " <petrov@example.ru>") {
		t.Errorf("to = %q", to)
	}
	s := in.Content.Simple
	if aws.ToString(s.Subject.Data) != msg.Subject || aws.ToString(s.Subject.Charset) != "UTF-8" ||
		aws.ToString(s.Body.Text.Data) != msg.Text || aws.ToString(s.Body.Text.Charset) != "UTF-8" || s.Body.Html != nil {
		t.Errorf("content = %+v", s)
	}

	html := msg
	html.HTML = "<p>Здравствуйте!</p>"
	if _, err := ses.New(f, "no-reply@kabinet.example", "").Send(context.Background(), html); err != nil {
		t.Fatal(err)
	}
	if f.in.ConfigurationSetName != nil || aws.ToString(f.in.Content.Simple.Body.Html.Data) != html.HTML ||
		aws.ToString(f.in.Content.Simple.Body.Html.Charset) != "UTF-8" {
		t.Errorf("html message = %+v, configuration set %v", f.in.Content.Simple.Body, f.in.ConfigurationSetName)
	}
}

// sdkError wraps err as the SDK does: an operation error around the service's error.
func sdkError(err error) error {
	return &smithy.OperationError{ServiceID: "SESv2", OperationName: "SendEmail", Err: err}
}

func TestErrorClassification(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		permanent bool
	}{
		{"message rejected", sdkError(&types.MessageRejected{Message: aws.String("Email address is not verified: ivanov@example.ru")}), true},
		{"mail-from domain not verified", sdkError(&types.MailFromDomainNotVerifiedException{Message: aws.String("not verified")}), true},
		{"bad request", sdkError(&types.BadRequestException{Message: aws.String("invalid")}), true},
		{"validation", sdkError(&smithy.GenericAPIError{Code: "ValidationException", Message: "bad", Fault: smithy.FaultClient}), true},
		{"invalid parameters (client side)", sdkError(smithy.InvalidParamsError{Context: "SendEmailInput"}), true},
		{"throttled", sdkError(&types.TooManyRequestsException{Message: aws.String("slow down")}), false},
		{"daily quota", sdkError(&types.LimitExceededException{Message: aws.String("quota")}), false},
		{"sending paused", sdkError(&types.SendingPausedException{Message: aws.String("paused")}), false},
		{"service fault (5xx)", sdkError(&smithy.GenericAPIError{Code: "InternalFailure", Message: "oops", Fault: smithy.FaultServer}), false},
		{"network", sdkError(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}), false},
		{"deadline", sdkError(context.DeadlineExceeded), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ses.New(&fakeSES{err: tc.err}, "no-reply@kabinet.example", "").Send(context.Background(), msg)
			if err == nil || sqsworker.IsPermanent(err) != tc.permanent {
				t.Fatalf("err = %v, permanent %v, want %v", err, sqsworker.IsPermanent(err), tc.permanent)
			}
			if strings.Contains(err.Error(), "ivanov@example.ru") {
				t.Errorf("address in error text: %v", err)
			}
			if !errors.Is(err, tc.err) && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error chain lost: %v", err)
			}
		})
	}
}

func TestInvalidRecipientIsPermanentWithoutCall(t *testing.T) {
	f := &fakeSES{}
	bad := msg
	bad.To = []string{"not an address"}
	if _, err := ses.New(f, "no-reply@kabinet.example", "").Send(context.Background(), bad); !sqsworker.IsPermanent(err) || f.in != nil {
		t.Fatalf("err = %v, called %v", err, f.in != nil)
	}
}
