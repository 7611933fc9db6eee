// Command version is the Lambda function system/version: the service version on every API (E12).
package main

import "github.com/kabinet/kabinet/shared/launch"

func main() { launch.Function("system/version") }
