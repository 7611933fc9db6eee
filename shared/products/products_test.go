package products

import (
	"testing"

	"github.com/kabinet/kabinet/shared/rewards"
)

// The integer ids are part of the API (clients and stored filters keep them): they must never
// change for a code. These values are pinned.
func TestNumberIsStable(t *testing.T) {
	pinned := map[string]int64{"rko-start": 1710354406, "rko-business": 1180210532, "rko-premium": 1363025839, "rko-ved": 1403577265}
	for code, want := range pinned {
		if got := Number(code); got != want {
			t.Fatalf("Number(%q) = %d, pinned %d: ids must never change", code, got, want)
		}
	}
	for _, p := range rewards.Default() {
		if _, ok := pinned[p.ID]; !ok {
			t.Fatalf("default product %s has no pinned id here", p.ID)
		}
	}
	if n := Number(""); n <= 0 || n > 1<<31-1 {
		t.Fatalf("Number(\"\") = %d", n)
	}
}

func TestFromCatalogue(t *testing.T) {
	ps := FromCatalogue([]rewards.Product{{ID: "a", Name: "A", Active: true}, {ID: "b", Name: "B"}})
	if len(ps) != 2 || ps[0].ID != Number("a") || ps[0].Name != "A" || !ps[0].Active || ps[1].Code != "b" || ps[1].Active {
		t.Fatalf("%+v", ps)
	}
	for _, p := range PRKO() {
		if name, ok := PRKOName(p.ID); !ok || name != p.Name {
			t.Fatalf("PRKOName(%d)", p.ID)
		}
	}
	if _, ok := PRKOName(99); ok {
		t.Fatal("PRKOName of an unknown id")
	}
}
