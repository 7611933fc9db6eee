#!/usr/bin/env bash
# make bench: handler overhead through the API proxy, registration-start against a raw PutItem
# on the local stack (same emulator, same run), login, application list and search over 10 000
# applications with read units per page, the bank's list over 100 000 applications, and the
# size of every function binary.
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
echo "== 4b. the bank's applicationList over 100 000 applications of 200 organisations (issue 5, seed 004)"
echo "   BankListHandler: POST /api/application/ (a page of 20) through the Lambda handler (API key + User-LKB,"
echo "   index walk, BatchGetItem, names); BankListPage: the store's page with the read units DynamoDB reports"
echo "   (index Query + BatchGetItem); BankCount: applicationCount of the same filter. Loading takes a few minutes."
"$GO" run ./infra/cmd/localcloud exec -- \
	"$GO" test -run '^$' -bench 'BankList|BankCount' -benchmem -benchtime=20x -timeout 40m ./infra/bench/ | tee "$out"
awk 'function metric(unit,   i) { for (i = 4; i <= NF; i++) if ($i == unit) return $(i - 1); return "?" }
	$1 ~ /^Benchmark(BankListHandler|BankListPage|BankCount)\// {
		name = $1; sub(/-[0-9]+$/, "", name); split(name, p, "/"); kind = p[1]; sub(/^Benchmark/, "", kind)
		if (kind == "BankListHandler") printf "applicationList %-17s %.1f ms per page of 20 (handler)\n", p[2], $3 / 1e6
		if (kind == "BankListPage") printf "applicationList %-17s %s RCU/page, %s items/page, %s ms/page (store)\n", p[2], metric("RCU/page"), metric("items/page"), metric("ms/page")
		if (kind == "BankCount") printf "applicationCount %-16s %s RCU, %s matched, %s ms (store)\n", p[2], metric("RCU/count"), metric("matched"), metric("ms/count")
	}' "$out"

echo
echo "== 5. function binaries (linux/arm64)"
"$GO" run ./infra/cmd/fnbuild -out bin
