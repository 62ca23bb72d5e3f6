#!/bin/sh
# run-demo.sh BUILD: what "make run" shows.  The polling daemon arrives
# with its issue; until then the demo parses the bundled sample feeds
# offline, the way the daemon will read them.
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

echo "feedd $(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' Makefile): the daemon's event loop is not built yet."
echo "Parsing the bundled sample feeds with 'feedctl parse' instead:"
for f in config/samples/*.rss config/samples/*.atom; do
	[ -f "$f" ] || continue
	echo
	echo "== $build/feedctl parse $f"
	"$build/feedctl" parse "$f" --base "https://www.devdiscourse.com/"
done
