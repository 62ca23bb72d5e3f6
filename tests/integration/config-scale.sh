#!/bin/sh
# config-scale.sh: a config of 100,000 feeds is checked in bounded time
# (finding duplicates walked every feed before, and the arrays were
# copied at each feed: 15-24 s), and a duplicate at the very end is
# still found, with the line of the first.
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
finish
