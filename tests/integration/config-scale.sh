#!/bin/sh
# config-scale.sh: a config of 100,000 feeds is checked in bounded time
# (finding duplicates walked every feed before, and the arrays were
# copied at each feed: 15-24 s), and a duplicate at the very end is
# still found, with the line of the first.  The daemon starts on it
# (the feeds go into the store in one transaction), answers while it
# polls them all, stops in time, and starts again on the same store.
. "$(dirname "$0")/_lib.sh"

gen() {
	awk -v dup="$1" 'BEGIN {
		for (i = 0; i < 100000; i++)
			printf "[feed \"https://h%d.example/feed.xml\"]\n", i
		if (dup)
			printf "[feed \"HTTPS://H7.EXAMPLE:443/feed.xml\"]\n"
	}' | feedd_config
}
gen 0
check "100,000 feeds: --check-config within 20 s" \
    timeout 20 "$FEEDD_BUILD/feedd" --check-config -c "$T/feedd.conf"
gen 1
timeout 20 "$FEEDD_BUILD/feedd" --check-config -c "$T/feedd.conf" \
    >"$T/out" 2>&1
check "a duplicate (in another spelling) after 100,000 feeds: refused" \
    grep -q 'duplicate feed "HTTPS://H7.EXAMPLE:443/feed.xml" (first at line 14)' \
    "$T/out"
# A closed loopback port: every poll fails at once, 100,000 of them.
awk 'BEGIN {
	printf "allow_private = yes\n"
	for (i = 0; i < 100000; i++)
		printf "[feed \"http://127.0.0.1:9/f%d.xml\"]\n", i
}' | feedd_config
# Under the sanitizers the start takes several times as long.
READY_TIMEOUT=120
for round in first second; do
	feedd_start
	"$FEEDD_BUILD/feedctl" -s "$T/feedd.sock" --json status >"$T/status" \
	    2>&1
	check "100,000 config feeds ($round start): status answers with all of them" \
	    grep -q '"feeds":100000' "$T/status"
	feedd_stop
	check "100,000 config feeds ($round start): stopped cleanly" \
	    test "$FEEDD_RC" = 0
done
finish
