#!/bin/sh
# add-commit.sh: feedctl add answers once the feed's first poll (the
# check's fetch) is committed, so a script that adds a feed and at once
# lists its items gets all of them; a first poll that cannot be stored
# is an error of the add; a client that leaves while its add waits
# harms nothing; SIGTERM while an add waits still stops feedd promptly.
. "$(dirname "$0")/_lib.sh"

httpd_start
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
count() { ctl --json items --feed "$1" --limit 10000 | grep -c '"id"'; }

printf 'allow_hosts = 127.0.0.1\n' | feedd_config
feedd_start

# Large feeds, read right after their add: before the fix "items" came
# back empty (the answer went out before the poll's commit).
for k in 1 2 3; do
	mkfeed "big$k" 5000
	id=$(ctl add "$BASE/feed/big$k.rss" 2>"$T/err")
	check "add big$k: exit 0 with its id" [ $? -eq 0 ]
	check "add big$k: exit 0 with its id" [ -n "$id" ]
	n=$(count "$id")
	check "items right after add big$k: all 5000 (got $n)" [ "$n" -eq 5000 ]
done
ctl --json feeds | grep -F "/feed/big3.rss" >"$T/feed3"
check "feeds right after add: the feed counts its 5000 items" \
    grep -q '"items":5000' "$T/feed3"
mkfeed big4 5000
ctl --json add "$BASE/feed/big4.rss" >"$T/add4" 2>&1
check "the add's answer is the feed as polled: 5000 items, status 200" \
    sh -c 'grep -q "\"items\":5000" "$1" && grep -q "\"last_status\":200" "$1"' \
    sh "$T/add4"
check "still one GET per added feed" \
    [ "$(count_requests '^/feed/big[1-4].rss$')" -eq 4 ]

# A client that leaves while its add waits (another process holds the
# database's write lock for 2 s): nothing breaks, the feed is stored.
hold_lock() {
	python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[3], "w").close()
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")' "$T/feedd.db" "$1" "$T/locked" &
	LOCKER=$!
	wait_for 10 test -e "$T/locked" || fail "the lock was not taken"
	rm -f "$T/locked"
}
mkfeed gone 5000
hold_lock 2
req 1 feeds.add "{\"url\":\"$BASE/feed/gone.rss\"}" |
    "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 0 >"$T/gone.out"
check "the client left before the answer" [ ! -s "$T/gone.out" ]
wait "$LOCKER"
check "feedd still runs after the client left" kill -0 "$FEEDD_PID"
gone_stored() {
	id=$(ctl --json feeds | grep -F "/feed/gone.rss" |
	    sed -n 's/.*"id":\([0-9]*\).*/\1/p')
	[ -n "$id" ] && [ "$(count "$id")" -eq 5000 ]
}
check "its feed was subscribed and its first poll stored" \
    wait_for 10 gone_stored

# SIGTERM while an add waits: stopped within feedd(8)'s 5 s, cleanly,
# and the client hears how its add went, no hang.
mkfeed term 5000
hold_lock 2
ctl add "$BASE/feed/term.rss" >"$T/term.out" 2>&1 &
ADDER=$!
BG_PIDS=$ADDER
sleep 0.5
feedd_stop
check "feedd stopped cleanly with an add waiting" test "$FEEDD_RC" -eq 0
check "the waiting feedctl add ended" wait_for 5 \
    sh -c '! kill -0 "$1" 2>/dev/null' sh "$ADDER"
wait "$ADDER"
ADDER_RC=$?
BG_PIDS=
# Its first poll is committed as feedd stops (the lock is gone by then),
# or feedd says it stops: either way an answer, not a closed socket.
term_answered() {
	if [ "$ADDER_RC" -eq 0 ]; then
		grep -q '^feedctl: subscribed to' "$T/term.out"
	else
		grep -q 'shutting down' "$T/term.out"
	fi
}
check "the waiting add heard how it went" term_answered
wait "$LOCKER"

# A first poll that cannot be stored (files may not grow past 512 KiB,
# as on a full disk): the add fails with why, naming the feed it made.
mkfeed full 5000
trap '' XFSZ
ulimit -S -f 1024
feedd_start
ulimit -S -f unlimited
if ctl add "$BASE/feed/full.rss" >"$T/full.out" 2>"$T/full.err"; then
	fail "add whose first poll cannot be stored: exit 1"
else
	ok "add whose first poll cannot be stored: exit 1"
fi
check "it says the first poll was not stored, and why" \
    grep -q "subscribed to $BASE/feed/full.rss (feed [0-9]*), but its first poll was not stored: " \
    "$T/full.err"
check "no id on standard output" [ ! -s "$T/full.out" ]
prlimit --pid "$FEEDD_PID" --fsize=unlimited
ctl poll --wait "$BASE/feed/full.rss" >/dev/null 2>&1
full_stored() {
	id=$(ctl --json feeds | grep -F "/feed/full.rss" |
	    sed -n 's/.*"id":\([0-9]*\).*/\1/p')
	[ -n "$id" ] && [ "$(count "$id")" -eq 5000 ]
}
check "with room again its next poll stores it" wait_for 10 full_stored
feedd_stop
check "feedd stopped cleanly" test "$FEEDD_RC" -eq 0
finish
