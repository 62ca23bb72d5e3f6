#!/bin/sh
# run.sh BUILD: runs every unit test binary and every integration script,
# then prints one closing line "N passed, N failed".  Sanitizer reports
# abort the binary that made them, so they count as failures.
set -u
build=${1:?usage: run.sh BUILD}
top=$(cd "$(dirname "$0")/.." && pwd)

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export FEEDD_TOP="$top"
export FEEDD_BUILD="$top/$build"
export FEEDD_FIXTURES="$top/tests/fixtures"
export FEEDD_SAMPLES="$top/../shared/samples"
[ -d "$FEEDD_SAMPLES" ] || FEEDD_SAMPLES="$top/tests/fixtures/samples"

passed=0
failed=0
failures=
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() {
	name=$1
	shift
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf 'PASS %s\n' "$name"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		printf 'FAIL %s\n' "$name"
		# The failed checks first: a long log's tail may not hold them.
		grep -E '^(FAIL|not ok|\[  FAILED|.*ERROR)' "$log" | head -n 20 |
		    sed 's/^/    failed: /'
		sed 's/^/    /' "$log" | tail -n 60
	fi
}

for t in "$top/$build"/tests/test_*; do
	[ -x "$t" ] || continue
	run "unit/$(basename "$t")" "$t"
done
for t in "$top"/tests/integration/[!_]*.sh; do
	[ -f "$t" ] || continue
	run "integration/$(basename "$t" .sh)" sh "$t"
done

[ -n "$failures" ] && printf 'failed:%s\n' "$failures"
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
