// Command check-comment is the Lambda function checks/check-comment: POST /api/check/{applicationid}/{executetime}/{checktype}/comment on the back-office API adds a comment to one check (seed 004 addComment).
package main

import (
	"github.com/kabinet/kabinet/shared/checks/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "checks/check-comment") }
