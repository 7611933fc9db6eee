package applicationsdb

import (
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// bankIndexKeys are the index keys of the bank's lists over every organisation's
// applications (issue 5, seed 004 applicationList): none yet.
func bankIndexKeys(a applications.Application) dynamo.Item {
	return nil
}
