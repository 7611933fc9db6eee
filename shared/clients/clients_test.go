package clients

import (
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

func ptr(n int) *int { return &n }

func TestReportRequest(t *testing.T) {
	msk := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, moscow.Zone) }
	for _, tc := range []struct {
		name       string
		q          ReportRequest
		f          ReportFilter
		offset     int
		size       int
		wrongField string
	}{
		{name: "defaults", q: ReportRequest{}, size: DefaultSize},
		{name: "iso date", q: ReportRequest{InputPhone: "2026-11-26"}, f: ReportFilter{Day: msk(2026, 11, 26)}, size: DefaultSize},
		{name: "russian date", q: ReportRequest{InputPhone: "26.11.2026"}, f: ReportFilter{Day: msk(2026, 11, 26)}, size: DefaultSize},
		{name: "pages of size", q: ReportRequest{Size: ptr(50), Page: ptr(3)}, offset: 150, size: 50},
		{name: "deepest page", q: ReportRequest{Size: ptr(100), Page: ptr(100)}, offset: 10_000, size: 100},
		{name: "inn and without app", q: ReportRequest{INN: " 500100732259 ", ClientWithoutApp: true}, f: ReportFilter{INN: "500100732259", WithoutApp: true}, size: DefaultSize},
		{name: "too deep", q: ReportRequest{Size: ptr(100), Page: ptr(101)}, wrongField: "page"},
		{name: "negative page", q: ReportRequest{Page: ptr(-1)}, wrongField: "page"},
		{name: "size 0", q: ReportRequest{Size: ptr(0)}, wrongField: "size"},
		{name: "size 101", q: ReportRequest{Size: ptr(101)}, wrongField: "size"},
		{name: "bad date", q: ReportRequest{InputPhone: "2026-02-30"}, wrongField: "inputPhone"},
		{name: "an instant is its Moscow day", q: ReportRequest{InputPhone: "2026-11-26T22:00:00Z"}, f: ReportFilter{Day: msk(2026, 11, 27)}, size: DefaultSize},
		{name: "short inn", q: ReportRequest{INN: "77070838"}, wrongField: "inn"},
		{name: "11-digit inn", q: ReportRequest{INN: "77070838931"}, wrongField: "inn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, offset, size, err := tc.q.parse()
			if tc.wrongField != "" {
				if e, ok := apperr.As(err); !ok || e.Fields[tc.wrongField] == "" {
					t.Fatalf("want an error on %s, got %v", tc.wrongField, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !f.Day.Equal(tc.f.Day) || f.INN != tc.f.INN || f.WithoutApp != tc.f.WithoutApp || offset != tc.offset || size != tc.size {
				t.Fatalf("got %+v offset %d size %d, want %+v offset %d size %d", f, offset, size, tc.f, tc.offset, tc.size)
			}
		})
	}
}

func TestReportFilterMatch(t *testing.T) {
	withApp := ReportRow{INNs: []string{"7707083893", "500100732259"}}
	none := ReportRow{INNs: []string{}}
	for _, tc := range []struct {
		name string
		f    ReportFilter
		r    ReportRow
		want bool
	}{
		{"no filter", ReportFilter{}, withApp, true},
		{"inn held", ReportFilter{INN: "500100732259"}, withApp, true},
		{"inn not held", ReportFilter{INN: "9715316168"}, withApp, false},
		{"inn, no applications", ReportFilter{INN: "7707083893"}, none, false},
		{"without app, has some", ReportFilter{WithoutApp: true}, withApp, false},
		{"without app, has none", ReportFilter{WithoutApp: true}, none, true},
		{"both can never hold", ReportFilter{INN: "7707083893", WithoutApp: true}, withApp, false},
	} {
		if got := tc.f.Match(tc.r); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestClientType(t *testing.T) {
	if (Client{INN: "7707083893"}).Individual() || !(Client{INN: "500100732259"}).Individual() {
		t.Fatal("a 12-digit INN is a sole proprietor's, a 10-digit one a legal entity's")
	}
}
