// Command agent-document-modification is the Lambda function applications/agent-document-modification: POST /api/voz/agentapi/document/modification creates (documentId null) or updates an application for an agent system with an app-id / shared-key pair (A12, seed 000).
package main

import (
	"github.com/kabinet/kabinet/shared/applications/wire"
	"github.com/kabinet/kabinet/shared/launch"
)

func main() { launch.API(wire.Routes(), "applications/agent-document-modification") }
