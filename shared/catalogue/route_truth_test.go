package catalogue_test

import (
	"testing"

	"github.com/kabinet/kabinet/infra/routetruth"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/catalogue"
)

// TestRouteTruth: template.yaml and the catalogue agree (P1); see infra/routetruth for the rules.
func TestRouteTruth(t *testing.T) {
	root, err := testenv.Root()
	if err != nil {
		t.Fatal(err)
	}
	problems, err := routetruth.Check(root, catalogue.Routes(), catalogue.Workers())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}
