#!/usr/bin/env bash
# make bench: handler overhead through the API proxy, registration-start against a raw PutItem
# on the local stack (same emulator, same run), login, application list and search over 10 000
# applications with read units per page, and the size of every function binary.
set -euo pipefail
cd "$(dirname "$0")/../.."

GO=${GO:-go}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "== 1. HTTP layer overhead (no emulators) and argon2id cost"
"$GO" test -run '^$' -bench 'Proxy|Direct' -benchmem ./infra/bench/
"$GO" test -run '^$' -bench Hash -benchmem ./shared/password/

echo
echo "== 2. registration-start vs raw PutItem on the local stack"
"$GO" run ./infra/cmd/localcloud exec -- \
	"$GO" test -run '^$' -bench 'RawPutItem|RegistrationStart' -benchmem -benchtime=300x ./infra/bench/ | tee "$out"
awk '
	$1 ~ /^BenchmarkRawPutItem(-[0-9]+)?$/        { put = $3 }
	$1 ~ /^BenchmarkRegistrationStart(-[0-9]+)?$/ { reg = $3 }
	END {
		if (!put || !reg) { print "bench: missing RawPutItem or RegistrationStart result" > "/dev/stderr"; exit 1 }
		printf "registration-start = %.1f × raw PutItem (%.2f ms vs %.2f ms)\n", reg / put, reg / 1e6, put / 1e6
	}' "$out"

echo
echo "== 3. login latency on the local stack (argon2id verification included)"
"$GO" run ./infra/cmd/localcloud exec -- \
	"$GO" test -run '^$' -bench 'Login' -benchmem -benchtime=100x ./infra/bench/ | tee "$out"
awk '$1 ~ /^BenchmarkLogin(-[0-9]+)?$/ { printf "login = %.1f ms per call\n", $3 / 1e6 }' "$out"

echo
echo "== 4. application list and search over 10 000 applications of one organisation (A8)"
echo "   ApplicationList: a page of 20 through the Lambda handler (session, scope, one Query);"
echo "   ApplicationListPage: pages read from the store, with the read units DynamoDB reports per page."
echo "   Status filters over the organisation's index, so its pages come back short (items/page)."
"$GO" run ./infra/cmd/localcloud exec -- \
	"$GO" test -run '^$' -bench 'ApplicationList' -benchmem -benchtime=30x ./infra/bench/ | tee "$out"
awk '$1 ~ /^BenchmarkApplicationList\// { sub(/-[0-9]+$/, "", $1); sub(/^BenchmarkApplicationList\//, "", $1); printf "list %-10s %.1f ms per page of 20 (handler)\n", $1, $3 / 1e6 }
	$1 ~ /^BenchmarkApplicationListPage\// { sub(/-[0-9]+$/, "", $1); sub(/^BenchmarkApplicationListPage\//, "", $1); printf "page %-10s %s RCU/page, %s items/page, %s ms/page (store)\n", $1, $5, $7, $9 }' "$out"

echo
echo "== 5. function binaries (linux/arm64)"
"$GO" run ./infra/cmd/fnbuild -out bin
