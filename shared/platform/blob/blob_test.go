package blob_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/platform/blob"
)

func TestPresignedUploadsAndDownload(t *testing.T) {
	env := testenv.Get(t)
	store := blob.New(env.S3, env.Resources.Buckets["DocumentsBucket"])
	ctx := context.Background()
	rule := blob.UploadRule{ContentType: "application/pdf", MaxBytes: 1 << 20, Expiry: time.Minute}

	// POST form upload: the policy carries the size range and the content type.
	up, err := store.PresignPost(ctx, "docs/a.pdf", rule)
	if err != nil {
		t.Fatal(err)
	}
	policy, _ := base64.StdEncoding.DecodeString(up.Fields["policy"])
	for _, want := range []string{`"content-length-range",1,1048576`, `"Content-Type":"application/pdf"`} {
		if !strings.Contains(strings.ReplaceAll(string(policy), " ", ""), want) {
			t.Errorf("policy %s lacks %s", policy, want)
		}
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range up.Fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "a.pdf")
	_, _ = fw.Write([]byte("%PDF-1.7 post"))
	_ = mw.Close()
	resp, err := http.Post(up.URL, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("POST upload: %d", resp.StatusCode)
	}

	// PUT upload of an exact size.
	content := []byte("%PDF-1.7 put")
	put, err := store.PresignPut(ctx, "docs/b.pdf", int64(len(content)), rule)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPut, put.URL, bytes.NewReader(content))
	for k, v := range put.Headers {
		req.Header.Set(k, v)
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("PUT upload: %d", resp.StatusCode)
	}
	if _, err := store.PresignPut(ctx, "docs/c.pdf", 2<<20, rule); err == nil {
		t.Fatal("PUT over the limit presigned")
	}

	// Download through a short-lived link.
	for key, want := range map[string]string{"docs/a.pdf": "%PDF-1.7 post", "docs/b.pdf": "%PDF-1.7 put"} {
		url, err := store.PresignGet(ctx, key, "Договор №1.pdf")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(url, "X-Amz-Expires=120") {
			t.Errorf("download link does not expire in 2 minutes: %s", url)
		}
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(got) != want {
			t.Fatalf("%s: got %q", key, got)
		}
	}
}
