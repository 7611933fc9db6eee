#!/usr/bin/env bash
# make test-localstack: the whole test suite against LocalStack instead of the local
# emulators. Builds the provisioner for the Docker engine's architecture, starts
# localstack/docker-compose.yml (its ready.d hook creates the template's resources), waits
# until that hook has succeeded, runs `go test -count=1 ./...` with the AWS environment
# pointing at LocalStack, and removes the containers and volumes afterwards (KEEP=1 leaves
# LocalStack running). Exits with go test's status.
#
# Environment: KEEP=1, GO (default go), LOCALSTACK_PORT (default 4566),
# INIT_TIMEOUT seconds (default 120), LOCALSTACK_IMAGE / LOCALSTACK_AUTH_TOKEN (see the
# compose file).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

GO=${GO:-go}
PORT=${LOCALSTACK_PORT:-4566}
INIT_TIMEOUT=${INIT_TIMEOUT:-120}
ENDPOINT="http://127.0.0.1:${PORT}"
COMPOSE_FILE=localstack/docker-compose.yml
PROJECT=kabinet-localstack
SCRIPT=10-kabinet-resources.sh

say() { echo "test-localstack: $*" >&2; }

no_engine() {
  echo "make test-localstack needs a Docker engine; none is reachable here. Use make test for the emulator suite." >&2
  exit 1
}

if ! command -v docker >/dev/null 2>&1; then
  no_engine
fi
if ! docker info >/dev/null 2>&1; then
  no_engine
fi

if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
else
  say "neither the docker compose plugin nor docker-compose is installed"
  exit 1
fi
compose() { "${COMPOSE[@]}" -p "$PROJECT" -f "$COMPOSE_FILE" "$@"; }

if ! command -v curl >/dev/null 2>&1; then
  say "curl is needed to wait for LocalStack"
  exit 1
fi

# The provisioner runs inside the container: a static linux binary for the engine's arch.
engine_arch=$(docker info --format '{{.Architecture}}')
case "$engine_arch" in
  x86_64 | amd64) goarch=amd64 ;;
  aarch64 | arm64) goarch=arm64 ;;
  *)
    say "unsupported Docker engine architecture: $engine_arch"
    exit 1
    ;;
esac
say "building the provisioner for linux/$goarch"
mkdir -p localstack/.build
CGO_ENABLED=0 GOOS=linux GOARCH=$goarch "$GO" build -trimpath -ldflags='-s -w' \
  -o localstack/.build/localcloud ./infra/cmd/localcloud
chmod 0755 localstack/init/ready.d/*.sh

cleanup() {
  if [ "${KEEP:-}" = 1 ]; then
    say "KEEP=1: LocalStack stays up at $ENDPOINT (stop it with: ${COMPOSE[*]} -p $PROJECT -f $COMPOSE_FILE down -v)"
    return
  fi
  say "stopping LocalStack"
  compose down -v --remove-orphans >/dev/null 2>&1 || say "docker compose down failed"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_logs() {
  say "LocalStack's log:"
  compose logs --no-color --tail 200 localstack >&2 || true
}

say "starting LocalStack"
up=(up -d)
up_help=$(compose up --help 2>/dev/null || true)
if grep -q -- '--wait' <<<"$up_help"; then
  up+=(--wait)
fi
if ! compose "${up[@]}"; then
  show_logs
  say "LocalStack did not start"
  exit 1
fi

# Wait for the gateway, then for the READY stage's init scripts (our provisioner).
# GET /_localstack/init/ready -> {"completed": bool, "scripts": [{"stage", "name", "state"}]}
# with state UNKNOWN, RUNNING, SUCCESSFUL or ERROR.
deadline=$((SECONDS + INIT_TIMEOUT))
until curl -fsS "$ENDPOINT/_localstack/health" >/dev/null 2>&1; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    show_logs
    say "LocalStack is not healthy after ${INIT_TIMEOUT}s"
    exit 1
  fi
  sleep 2
done
say "waiting for $SCRIPT"
while :; do
  init=$(curl -fsS "$ENDPOINT/_localstack/init/ready" 2>/dev/null || true)
  compact=$(tr -d ' \n\r\t' <<<"$init")
  scripts=$(grep -o '{[^{}]*}' <<<"$compact" || true)
  if grep -q '"state":"ERROR"' <<<"$scripts"; then
    show_logs
    say "a LocalStack init script failed:"
    grep '"state":"ERROR"' <<<"$scripts" >&2 || true
    exit 1
  fi
  ours=$(grep -F "\"name\":\"$SCRIPT\"" <<<"$scripts" | grep -o '"state":"[A-Z]*"' || true)
  if [ "$ours" = '"state":"SUCCESSFUL"' ] && grep -q '"completed":true' <<<"$compact"; then
    break
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    show_logs
    say "$SCRIPT has not succeeded after ${INIT_TIMEOUT}s (last answer: ${init:-none})"
    exit 1
  fi
  sleep 2
done
say "LocalStack is ready at $ENDPOINT with the template's resources"

# Per-service endpoints and profiles from the caller's environment would win over
# AWS_ENDPOINT_URL or the test credentials: drop them.
set +e
env -u AWS_ENDPOINT_URL_DYNAMODB -u AWS_ENDPOINT_URL_SQS -u AWS_ENDPOINT_URL_S3 \
  -u AWS_PROFILE -u AWS_SESSION_TOKEN \
  AWS_ENDPOINT_URL="$ENDPOINT" \
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
  S3_FORCE_PATH_STYLE=true AWS_EC2_METADATA_DISABLED=true \
  "$GO" test -count=1 ./...
status=$?
set -e
if [ "$status" -eq 0 ]; then
  say "tests passed"
else
  say "tests failed (exit $status)"
fi
exit "$status"
