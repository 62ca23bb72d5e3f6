#!/bin/sh
# watch.sh: feedctl watch gets items the moment a poll stores them,
# "--since" replays what was stored, and a daemon restart under a running
# watch loses nothing and repeats nothing.
. "$(dirname "$0")/_lib.sh"

httpd_start
W=$T/www
# grow N: a feed of N items (g1..gN).
grow() {
	{
		printf '<?xml version="1.0"?>\n<rss version="2.0"><channel>'
		printf '<title>Growing</title>'
		i=1
		while [ "$i" -le "$1" ]; do
			printf '<item><title>Item %d</title><guid>g%d</guid>' "$i" "$i"
			printf '<link>https://grow.example/%d</link></item>' "$i"
			i=$((i + 1))
		done
		printf '</channel></rss>\n'
	} >"$W/grow.xml.tmp"
	mv "$W/grow.xml.tmp" "$W/grow.xml"
}
grow 2
printf '[feed "%s/feed/grow.xml"]\ninterval = 1s\n' "$BASE" | feedd_config
feedd_start
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
two() { [ "$(ctl --json items | wc -l)" -eq 2 ]; }
check "two items stored" wait_for 10 two

# Replay: --since 0 sends the stored ones first.
# feedctl itself in the background (not through ctl(), a subshell), so
# the kill below reaches it: a stray watch would reconnect for ever.
"$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" --json watch --since 0 \
    >"$T/replay.out" 2>/dev/null &
REPLAY=$!
BG_PIDS="$REPLAY"
replayed() { [ "$(grep -c '"key":"g' "$T/replay.out")" -eq 2 ]; }
check "watch --since 0: replays the stored items" wait_for 10 replayed
kill "$REPLAY" 2>/dev/null
wait "$REPLAY" 2>/dev/null

# A cursor from another database (past every id here): refused, said.
"$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" watch --since 999999 \
    >/dev/null 2>"$T/err"
check "watch --since past the newest id: exit 1" [ $? -eq 1 ]
check "watch --since past the newest id: says why" \
    grep -q 'item 999999 was never stored here (the newest is [0-9]*); a new database?' \
    "$T/err"

# Live: a watch from now on sees the new items when they are stored.
"$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" --json watch \
    >"$T/watch.out" 2>"$T/watch.err" &
WATCH=$!
BG_PIDS="$BG_PIDS $WATCH"
sleep 1
check "watch without --since: nothing old" [ ! -s "$T/watch.out" ]
sleep 1.1
grow 4
live() { [ "$(grep -c '"key":"g' "$T/watch.out")" -eq 2 ]; }
check "watch: the two new items arrive" wait_for 10 live
check "watch: they are g3 and g4" sh -c \
    "grep -q '\"key\":\"g3\"' '$T/watch.out' && grep -q '\"key\":\"g4\"' '$T/watch.out'"

# Restart the daemon under the watch; items stored meanwhile arrive once.
feedd_stop
sleep 1.1
grow 6
feedd_start
after() { [ "$(grep -c '"key":"g' "$T/watch.out")" -eq 4 ]; }
check "watch: resumed after the restart, g5 and g6 arrive" wait_for 15 after
sleep 1.1
grow 7
seven() { [ "$(grep -c '"key":"g' "$T/watch.out")" -eq 5 ]; }
check "watch: and live again (g7)" wait_for 10 seven
check "watch: no item twice" \
    [ "$(grep -o '"key":"g[0-9]*"' "$T/watch.out" | sort | uniq -d | wc -l)" -eq 0 ]
check "watch: said it lost the connection" grep -q 'resuming' "$T/watch.err"
kill "$WATCH" 2>/dev/null
wait "$WATCH" 2>/dev/null

# A watch on another feed's items sees none of these.
"$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" --json watch --feed 999 \
    >"$T/none.out" 2>"$T/none.err" &
NONE=$!
BG_PIDS="$BG_PIDS $NONE"
sleep 1
kill "$NONE" 2>/dev/null
wait "$NONE" 2>/dev/null
check "watch --feed of no feed: refused" grep -q 'no such feed' "$T/none.err"
# A socket never reached is a mistake, not a restart to wait out.
timeout 10 "$FEEDD_BUILD/feedctl" -s "$T/no.sock" watch --since 1 \
    >/dev/null 2>"$T/nosock.err"
check "watch on a socket never reached: exit 3" [ $? -eq 3 ]
check "watch on a socket never reached: says so" \
    grep -q "cannot reach feedd at $T/no.sock" "$T/nosock.err"

# One poll of 45,000 items: a watcher that keeps reading gets every one,
# fed from the store as it drains (queued at once, some 13 MB of JSON,
# it was dropped as "too far behind" and said "connection lost").
"$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" --json watch \
    >"$T/big.out" 2>"$T/big.err" &
BIG=$!
BG_PIDS="$BG_PIDS $BIG"
sleep 1.1
awk 'BEGIN {
	printf "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"
	printf "<title>Growing</title>"
	for (i = 1; i <= 45000; i++)
		printf "<item><title>Item %d</title><guid>g%d</guid>" \
		    "<link>https://grow.example/%d</link></item>", i, i, i
	printf "</channel></rss>\n"
}' >"$W/grow.xml.tmp"
mv "$W/grow.xml.tmp" "$W/grow.xml"
all_big() { [ "$(grep -c '"key":"g' "$T/big.out")" -eq 44993 ]; }
check "a watcher that keeps up gets all of a 45,000-item poll" \
    wait_for 90 all_big
check "and it was never dropped" test ! -s "$T/big.err"
check "none twice" \
    [ "$(grep -o '"key":"g[0-9]*"' "$T/big.out" | sort | uniq -d | wc -l)" -eq 0 ]
kill "$BIG" 2>/dev/null
wait "$BIG" 2>/dev/null

feedd_stop
check "SIGTERM with watchers: exit status 0" [ "$FEEDD_RC" -eq 0 ]
finish
