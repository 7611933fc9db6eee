package phone

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+7 916 123-45-67", "+79161234567"},
		{"8 (916) 123-45-67", "+79161234567"},
		{"79161234567", "+79161234567"},
		{"9161234567", "+79161234567"},
		{"+7 495 123 45 67", "+74951234567"},
		{"+375 29 123 45 67", "+375291234567"},
		{"", ""},
		{"12345", ""},
		{"+7 916 123", ""},
		{"not a phone", ""},
	}
	for _, tc := range tests {
		got, err := Normalize(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%q: want error, got %q", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
