#!/bin/sh
# run.sh FUZZ_BUILD SECONDS TARGET...: a bounded libFuzzer run of each
# target, seeded from fuzz/corpus/NAME and the test fixtures.  The corpus
# grows in a temporary folder, never in the tree.
set -eu
build=$1
secs=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

for t in "$@"; do
	name=$(basename "$t")
	corpus="$work/$name"
	mkdir -p "$corpus"
	[ -d "$top/fuzz/corpus/$name" ] && cp -r "$top/fuzz/corpus/$name/." "$corpus/"
	case $name in
	fuzz_parse)
		# Its first byte picks the chunk size: the fixtures get one
		# (chunks of 8), or they would lose their own first byte.
		for f in "$top"/tests/fixtures/*.*; do
			[ -f "$f" ] || continue
			{ printf '\007'; cat "$f"; } >"$corpus/$(basename "$f")"
		done ;;
	fuzz_jsonfeed) cp "$top"/tests/fixtures/*.json "$corpus/" 2>/dev/null || true ;;
	fuzz_html) cp "$top"/tests/fixtures/html/*.html "$corpus/" 2>/dev/null || true ;;
	esac
	dict=
	[ -f "$top/fuzz/$name.dict" ] && dict="-dict=$top/fuzz/$name.dict"
	echo "== $name: ${secs}s"
	# shellcheck disable=SC2086
	"$t" -max_total_time="$secs" -max_len=65536 -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 $dict "$corpus" \
	    2>"$work/$name.log" || { tail -n 80 "$work/$name.log"; exit 1; }
	grep -E '^(stat::number_of_executed_units|Done)' "$work/$name.log" || true
done
echo "fuzz: all targets ran clean"
