#!/bin/sh
# rpc-wait.sh: requests answered later wait the same way whatever they
# wait for (a commit, a poll, the indexer).  A feeds.poll with "wait"
# sends a progress notification per feed and answers once every feed
# was polled, and the requests pipelined behind it are answered after
# it, in order, a search among them finding what the polls brought; a
# client that leaves while its poll or its search waits is forgotten:
# the polls end, the daemon answers the next client and stops cleanly
# (under the sanitizers: nothing read after it was freed, nothing
# leaked); a poll still awaited when it stops hears so.
. "$(dirname "$0")/_lib.sh"

httpd_start
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$T/www/a.rss"
cp "$FEEDD_FIXTURES/samples/devdiscourse.atom" "$T/www/s.atom"
cp "$FEEDD_FIXTURES/samples/devdiscourse.atom" "$T/www/t.atom"
# No poll of their own while the test runs: only the ones it asks for.
printf 'allow_hosts = 127.0.0.1\n[feed "%s/feed/a.rss"]\ninterval = 1d\n[feed "%s/slow/1500/s.atom"]\ninterval = 1d\n[feed "%s/slow/1500/t.atom"]\ninterval = 1d\n' \
    "$BASE" "$BASE" "$BASE" | feedd_config
feedd_start

ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
ctl poll --wait >/dev/null 2>&1

# One connection: a poll's wait, then a list, then a search for an item
# only that poll brings.
sed -e 's/article-3005012/article-4242/' -e 's/Geum Chol/Quux Zorpova/' \
    "$FEEDD_FIXTURES/samples/devdiscourse.atom" >"$T/www/s.atom"
{
	req 1 feeds.poll "{\"feeds\":[\"$BASE/slow/1500/s.atom\",\"$BASE/feed/a.rss\"],\"wait\":true,\"force\":true}"
	req 2 feeds.list '{}'
	req 3 items.search '{"query":"Zorpova"}'
} | "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 15 >"$T/piped"
check "pipelined: every answer, in order" \
    [ "$(order "$T/piped")" = "1 2 3 " ]
check "pipelined: no errors" eval "! grep -q '\"error\":{' \"$T/piped\""
check "feeds.poll wait: a progress notification per feed, before its answer" \
    [ "$(sed -n '/"id":1,/q;/"method":"progress"/p' "$T/piped" | wc -l)" -eq 2 ]
check "feeds.poll wait: both feeds polled, no errors" \
    eval "answer 1 \"$T/piped\" | grep -q '\"polled\":2,\"errors\":0'"
check "feeds.poll wait: each feed's outcome" \
    eval "[ \"\$(answer 1 \"$T/piped\" | grep -o '\"feed\":[0-9]*' | wc -l)\" -eq 2 ]"
check "search behind it: finds what the polls brought" \
    eval "answer 3 \"$T/piped\" | grep -q 'Quux Zorpova'"

# A client that leaves while its poll waits (the slow feed answers in
# 1.5 s; the client gives up after 0.5 s).
n=$(count_requests '^/slow/1500/t\.atom')
req 4 feeds.poll "{\"feeds\":[\"$BASE/slow/1500/t.atom\"],\"wait\":true,\"force\":true}" |
    timeout 0.5 "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 1 >"$T/left"
check "the client left before the answer" eval "! answer 4 \"$T/left\""
polled() { [ "$(count_requests '^/slow/1500/t\.atom')" -gt "$n" ]; }
check "its poll went on" wait_for 10 polled
sleep 1
check "the daemon answers the next client" ctl status
# A client that leaves while its search may wait for the indexer.
{
	req 5 feeds.poll "{\"feeds\":[\"$BASE/feed/a.rss\"],\"wait\":true,\"force\":true}"
	req 6 items.search '{"query":"Geum Chol"}'
} | timeout 0.3 "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 1 >/dev/null
sleep 1.5
check "and after a search left behind" ctl status
check "the log has no error of the requests left behind" \
    eval "! grep -qi 'assert\\|sanitizer\\|runtime error' \"$T/feedd.log\""

# SIGTERM while a poll is awaited: the wait hears that feedd stops
# (the poll's transfer is aborted), not a closed socket.
# (httpd logs a request when it answers: feedd's log says it began.)
began() { grep -c 'slow/1500/t.atom: start' "$T/feedd.log"; }
n=$(began)
ctl poll --wait --force "$BASE/slow/1500/t.atom" >"$T/term.out" 2>&1 &
WAITER=$!
BG_PIDS=$WAITER
check "the awaited poll began" wait_for 10 eval '[ "$(began)" -gt "$n" ]'
feedd_stop
check "SIGTERM: exit status 0" [ "$FEEDD_RC" -eq 0 ]
wait "$WAITER"
WAITER_RC=$?
BG_PIDS=
check "the awaited poll failed" [ "$WAITER_RC" -ne 0 ]
check "its wait heard that feedd stops" \
    grep -q 'shutting down; the polls still under way were stopped' \
    "$T/term.out"
finish
