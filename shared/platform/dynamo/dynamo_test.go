package dynamo

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

func TestPageTokens(t *testing.T) {
	p, err := NewPageTokens(strings.Repeat("s", 32))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewPageTokens(strings.Repeat("o", 32))
	key := Item{"pk": S("ORG#1"), "sk": S("APP#2"), "n": N(7)}
	tok, err := p.Encode("scope-a", key)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tok, "ORG") {
		t.Fatal("token is not opaque")
	}
	got, err := p.Decode("scope-a", tok)
	if err != nil || GetS(got, "sk") != "APP#2" || GetN(got, "n") != 7 {
		t.Fatalf("round trip: %v %v", got, err)
	}
	tampered := []byte(tok)
	tampered[len(tampered)/2] ^= 1
	cases := map[string]func() error{
		"other scope":  func() error { _, err := p.Decode("scope-b", tok); return err },
		"other secret": func() error { _, err := other.Decode("scope-a", tok); return err },
		"tampered":     func() error { _, err := p.Decode("scope-a", string(tampered)); return err },
		"garbage":      func() error { _, err := p.Decode("scope-a", "!!!"); return err },
	}
	for name, f := range cases {
		if err := f(); err != ErrBadPageToken {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if k, err := p.Decode("scope-a", ""); k != nil || err != nil {
		t.Error("empty token must mean first page")
	}
	if _, err := NewPageTokens("short"); err == nil {
		t.Error("short secret accepted")
	}
}

func TestVersioned(t *testing.T) {
	in := Versioned(&dynamodb.UpdateItemInput{
		UpdateExpression:    aws.String("SET #s = :s"),
		ConditionExpression: aws.String("attribute_exists(pk)"),
	}, 3)
	if got := aws.ToString(in.UpdateExpression); got != "SET #ver = :nextVer, #s = :s" {
		t.Errorf("update = %q", got)
	}
	if got := aws.ToString(in.ConditionExpression); got != "(attribute_exists(pk)) AND #ver = :expectVer" {
		t.Errorf("condition = %q", got)
	}
	if GetN(in.ExpressionAttributeValues, ":nextVer") != 4 {
		t.Error("next version")
	}
}
