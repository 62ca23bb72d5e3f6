#!/bin/sh
# store-full.sh: a store that cannot write (the disk is full, here a file
# size limit) makes each poll of a feed an error of that feed: it backs
# off instead of being fetched again every min_interval (a 55 MB feed was
# downloaded 10 times in 20 s), "feeds" shows it failing with the reason,
# "status" counts it and says the store cannot write; once the space is
# back the next poll stores everything.  A database removed while feedd
# runs is the same kind of fault.
. "$(dirname "$0")/_lib.sh"

httpd_start
W=$T/www
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

# 3,000 items with 600-byte summaries: some 2 MB to commit.
awk 'BEGIN {
	printf "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"
	printf "<title>Big</title><link>https://big.example/</link>"
	for (i = 1; i <= 3000; i++) {
		printf "<item><title>item %d</title><guid>g%d</guid>", i, i
		printf "<description>"
		for (k = 0; k < 20; k++)
			printf "%d words of text, %d ", i, k
		printf "</description></item>"
	}
	printf "</channel></rss>\n"
}' >"$W/big.xml"

# A first start makes the empty store, a second one finds no room left.
feedd_config </dev/null
feedd_start
feedd_stop
printf '[feed "%s/feed/big.xml"]\n' "$BASE" >>"$T/feedd.conf"
# Files may not grow past 512 KiB: SIGXFSZ ignored, write() says EFBIG.
trap '' XFSZ
ulimit -S -f 1024
feedd_start
ulimit -S -f unlimited
failing() { ctl --json feeds | grep -q '"status":"error"'; }
check "the feed whose poll could not be stored is failing" wait_for 10 \
    failing
sleep 4
check "it backs off: fetched once, not every min_interval" \
    test "$(count_requests '^/feed/big.xml')" -eq 1
check "feeds: the error says the poll could not be stored" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' --json feeds |
    grep -q '\"last_error\":\"cannot store the poll: '"
check "status: counted failing" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' status |
    grep -q '(1 failing)'"
check "status: the store cannot write" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' status |
    grep -q '^store: *cannot write: '"

# Room again: polled now, all stored, nothing failing.
prlimit --pid "$FEEDD_PID" --fsize=unlimited
ctl poll "$BASE/feed/big.xml" >/dev/null 2>&1
stored() { ctl --json feeds | grep -q '"status":"ok"'; }
check "with room again the next poll is stored" wait_for 20 stored
check "all 3,000 items" test "$(ctl --json items --limit 5000 | grep -c .)" \
    -eq 3000
wal_cut() { [ "$(stat -c %s "$T/feedd.db-wal")" -eq 0 ]; }
check "idle, the log is cut back to nothing" wait_for 30 wal_cut
writes() { ctl status >"$T/st" && ! grep -q '^store:' "$T/st"; }
check "status: the store writes again" writes
feedd_stop
check "feedd stopped cleanly" test "$FEEDD_RC" -eq 0
check "no rollback of a transaction sqlite had rolled back" \
    sh -c "! grep -q 'cannot rollback - no transaction is active' '$T/feedd.log'"

# The database removed while feedd runs: every commit would go to a file
# no one can open again, and be lost at the next start.  feedd writes
# nothing more and says so, as for a full disk.
feedd_start
rm -f "$T/feedd.db" "$T/feedd.db-wal" "$T/feedd.db-shm"
ctl poll --force "$BASE/feed/big.xml" >/dev/null 2>&1
gone() { ctl status | grep -q '^store: .*was removed or replaced'; }
check "database removed: status says so" wait_for 10 gone
check "database removed: the poll is an error of the feed" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' --json feeds |
    grep -q '\"last_error\":\"cannot store the poll: store: .*was removed'"
answers() { ctl feeds >/dev/null; }
check "database removed: feedd still answers" answers
feedd_stop
check "database removed: feedd stopped cleanly" test "$FEEDD_RC" -eq 0
finish
