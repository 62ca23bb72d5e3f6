#!/bin/sh
# feedctl-daemon.sh: the real feedctl against the real feedd over its
# socket: commands, JSON output, exit codes, consumers, and a daemon that
# survives garbage on the socket.
. "$(dirname "$0")/_lib.sh"

httpd_start
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$T/www/seed.rss"
cp "$FEEDD_FIXTURES/samples/devdiscourse.atom" "$T/www/seed.atom"
printf 'allow_hosts = 127.0.0.1\n[feed "%s/feed/seed.rss"]\ntitle = Seed (RSS)\ntags = news, korea\n' \
    "$BASE" | feedd_config
# The usual umask: the database files are the owner's alone all the same.
umask 022
feedd_start

ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
lines() { "$@" | wc -l; }

got_item() { [ "$(ctl --json items | grep -c '"id"')" -ge 1 ]; }
check "feedctl items: the seed item" wait_for 10 got_item

# A config with a typo (which the daemon would refuse on a reload, and
# keep running): feedctl says so and still finds the socket it names.
{ cat "$T/feedd.conf"; printf 'defualt = 1\n'; } >"$T/typo.conf"
"$FEEDD_BUILD/feedctl" -c "$T/typo.conf" status >"$T/out" 2>"$T/err"
check "a config with an error: its socket all the same" [ $? -eq 0 ]
check "a config with an error: says which line" \
    grep -q "typo.conf:[0-9]*: unknown key \"defualt\"" "$T/err"
"$FEEDD_BUILD/feedctl" help --help >"$T/out" 2>&1
check "help --help: the usage, with the global options" \
    grep -q -- '-s, --socket SOCKET' "$T/out"
# A user service's socket, which a guess would find.
mkdir -p "$T/xdg/feedd"
ln -s "$T/feedd.sock" "$T/xdg/feedd/feedd.sock"
env -u FEEDD_SOCKET XDG_RUNTIME_DIR="$T/xdg" "$FEEDD_BUILD/feedctl" \
    -c "$T/none.conf" status >"$T/out" 2>"$T/err"
check "a config that is not there: exit 2" [ $? -eq 2 ]
check "a config that is not there: says so" \
    grep -q "none.conf: No such file or directory" "$T/err"
check "a config that is not there: no other daemon reached" \
    [ ! -s "$T/out" ]
# The user unit's config names no socket: the daemon's is in its runtime
# folder, where feedctl looks too.
printf '[daemon]\ndatabase = %s/other.db\n' "$T" >"$T/user.conf"
env -u FEEDD_SOCKET XDG_RUNTIME_DIR="$T/xdg" "$FEEDD_BUILD/feedctl" \
    -c "$T/user.conf" status >"$T/out" 2>"$T/err"
check "a config without a socket: the user service's socket" \
    grep -q '^feeds:' "$T/out"
for f in feedd.db feedd.db-wal feedd.db-shm feedd.db-search \
    feedd.db-search-wal feedd.db-search-shm; do
	check "$f is created 0600" test "$(stat -c %a "$T/$f")" = 600
done
check "the socket stays 0660" test "$(stat -c %a "$T/feedd.sock")" = 660
st_feeds() { ctl status | grep -q '^feeds: *1'; }
check "feedctl status: says the feeds" st_feeds
st_proto() { ctl --json status | grep -q '"protocol":1'; }
check "feedctl --json status: protocol 1" st_proto
# sqlite: one node has the database to itself, so no "nodes".
st_nonodes() { ! ctl --json status | grep -q '"nodes"' && ! ctl status | grep -q '^nodes:'; }
check "feedctl status on sqlite: no nodes listed" st_nonodes
env_sock() { FEEDD_SOCKET="$T/feedd.sock" "$FEEDD_BUILD/feedctl" status >/dev/null; }
check "FEEDD_SOCKET is used" env_sock
title_shown() { ctl feeds | grep -q 'Seed (RSS)'; }
check "feedctl feeds: the title" title_shown
check "feedctl feeds --tag korea: one feed" \
    [ "$(lines ctl --json feeds --tag korea)" -eq 1 ]
check "feedctl feeds --tag none: no feed" \
    [ "$(lines ctl --json feeds --tag none)" -eq 0 ]
seed_json() { ctl --json items | grep -q '"key":"devdiscourse-3005012"'; }
check "feedctl --json items: one object a line, the seed's key" seed_json
dates_utc() { ctl --json items | grep -q '"published":"2024-07-09T00:56:00Z"'; }
check "feedctl --json items: RFC 3339 UTC dates" dates_utc

# add: a runtime feed (the loopback host is allowed by allow_hosts).
id=$(ctl add "$BASE/feed/seed.atom" --tag atom --interval 1h)
check "feedctl add: prints the id" [ "$id" = 2 ]
two() { [ "$(lines ctl --json items)" -eq 2 ]; }
check "the added feed is polled right away" wait_for 10 two
story() { ctl --json items --feed 2 | grep -q '"story":1,'; }
check "the Atom copy joins the RSS item's story" story
again=$(ctl add "$BASE/feed/seed.atom" 2>"$T/err")
check "feedctl add twice: exit 0" [ $? -eq 0 ]
check "feedctl add twice: the same id" [ "$again" = 2 ]
check "feedctl add twice: says so" grep -q 'already subscribed: feed 2' "$T/err"
ctl add "file:///etc/passwd" >/dev/null 2>"$T/err"
check "feedctl add file://: refused" grep -q 'http://' "$T/err"

# Consumers take each item once, across a restart.
check "consumer: first fetch gets 2" \
    [ "$(lines ctl --json items --consumer cron --from-start --ack)" -eq 2 ]
check "consumer: then nothing" \
    [ "$(lines ctl --json items --consumer cron --ack)" -eq 0 ]
check "consumer without --ack leaves the cursor" \
    [ "$(lines ctl --json items --consumer other --from-start)" -eq 2 ]
check "consumer without --ack leaves the cursor (again)" \
    [ "$(lines ctl --json items --consumer other)" -eq 2 ]
feedd_stop
feedd_start
# The config's feed and the one added at run time.
check "STATUS= counts every feed scheduled" \
    grep -q '^STATUS=2 feeds scheduled; 0 polling; 0 polls, 0 errors' \
    "$T/notify.log"
check "consumer: still nothing after a restart" \
    [ "$(lines ctl --json items --consumer cron --ack)" -eq 0 ]

# A full disk: the output is an error, and --ack moves nothing.
ctl items --consumer full --from-start --ack >/dev/full 2>"$T/full.err"
check "output to a full disk: exit 1" test $? -eq 1
check "output to a full disk: says why" \
    grep -q 'cannot write the output: No space left on device' "$T/full.err"
check "output to a full disk: --ack left the cursor" \
    [ "$(lines ctl --json items --consumer full --from-start)" -eq 2 ]
for c in "--json items" "export" "feeds" "show 1 --keep-unread"; do
	# shellcheck disable=SC2086
	ctl $c >/dev/full 2>/dev/null
	check "$c to a full disk: exit 1" test $? -eq 1
done
ctl --json watch --since 0 >/dev/full 2>/dev/null &
W=$!
BG_PIDS="$BG_PIDS $W"
watch_ended() { ! kill -0 "$W" 2>/dev/null; }
check "watch to a full disk: ends" wait_for 5 watch_ended
wait "$W"
check "watch to a full disk: exit 1" test $? -eq 1

# Marks, search, explain, poll, remove.
ctl read 1
check "feedctl read: one unread left" \
    [ "$(lines ctl --json items --unread)" -eq 1 ]
ctl unread 1
check "feedctl unread: two unread" \
    [ "$(lines ctl --json items --unread)" -eq 2 ]
check "feedctl search: finds by content" \
    [ "$(lines ctl --json search 'Geum Chol')" -eq 2 ]
check "the search index lives next to the database" \
    [ -s "$T/feedd.db-search" ]
lag0() { ctl --json status | grep -q '"search_lag":0'; }
check "feedctl status: nothing left to index" lag0
ctl search 'AND OR (' >/dev/null 2>"$T/err"
check "feedctl search with a bad query: exit 1" [ $? -eq 1 ]
explained() { ctl explain 1 | grep -Eq '^because: +(default_interval|the feed)'; }
check "feedctl explain: a reason" explained
polled() { ctl poll | grep -q 'polls started'; }
check "feedctl poll: started" polled
ctl remove 1 2>"$T/err"
check "feedctl remove of a config feed: exit 1" [ $? -eq 1 ]
check "feedctl remove of a config feed: names the config" \
    grep -q 'feedd.conf' "$T/err"
ctl remove "$BASE/feed/seed.atom"
check "feedctl remove URL: its items go" [ "$(lines ctl --json items)" -eq 1 ]
# ... from the search index too, with no search to ask for it.
check "feedctl remove: the index takes the removal in" wait_for 5 lag0
# A poll that only changes an item: the index takes the change in, and a
# search finds the new words.
sed 's/Strengthen Military Ties/Sign Quince Accord/' \
    "$FEEDD_FIXTURES/samples/devdiscourse.rss" >"$T/www/seed.rss.new"
mv "$T/www/seed.rss.new" "$T/www/seed.rss"
ctl poll --wait 1 >/dev/null
check "an item changed by a poll: the index takes the change in" \
    wait_for 5 lag0
check "an item changed by a poll: found by its new words" \
    [ "$(lines ctl --json search 'Quince')" -eq 1 ]

metrics_ok() { ctl metrics | grep -q '^feedd_polls_total [1-9]'; }
check "feedctl metrics: Prometheus text with counters" metrics_ok
metrics_types() { ctl metrics | grep -q '^# TYPE feedd_items gauge$'; }
check "feedctl metrics: TYPE lines" metrics_types

# poll --wait: progress, then the outcome; exit 1 when a feed failed.
ctl poll --wait 1 >"$T/out" 2>"$T/err"
check "poll --wait: exit 0 when the feed is fine" [ $? -eq 0 ]
check "poll --wait: progress lines when not a terminal" \
    grep -q 'polled 1/1, 0 errors' "$T/err"
bad=$(ctl add --no-check "$BASE/status/404/nothing.xml" 2>/dev/null)
ctl poll --wait 1 "$bad" >"$T/out" 2>"$T/err"
check "poll --wait: exit 1 when a feed failed" [ $? -eq 1 ]
check "poll --wait: one summary line when not a terminal" \
    [ "$(grep -c '^polled ' "$T/err")" -eq 1 ]
check "poll --wait: the summary counts both" grep -q 'polled 2/2, 1 error$' "$T/err"
check "poll --wait: says which and why, on stderr" \
    grep -q "^feedctl: feed $bad ($BASE/status/404/nothing.xml): HTTP 404" "$T/err"
check "poll --wait: nothing on stdout" [ ! -s "$T/out" ]
check "metrics: the failing feed counted" \
    sh -c "\"$FEEDD_BUILD/feedctl\" -c \"$T/feedd.conf\" metrics | grep -qx 'feedd_feeds_failing 1'"
ctl remove "$bad"
# (It waited for three polls of one feed, and so for ever.)
timeout 20 "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" poll --wait 1 1 \
    "$BASE/feed/seed.rss" >"$T/out" 2>"$T/err"
check "poll --wait of one feed named three times: returns, exit 0" [ $? -eq 0 ]
check "poll --wait of one feed named three times: one poll" \
    grep -q 'polled 1/1, 0 errors' "$T/err"
ctl poll 999 >"$T/out" 2>"$T/err"
check "poll of an unknown id: exit 1" [ $? -eq 1 ]
check "poll of an unknown id: names it" grep -q 'no such feed: 999$' "$T/err"
req 1 feeds.poll '{"feeds":[{"id":1}]}' |
    "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 5 >"$T/out"
check "feeds.poll of an object: invalid params" \
    grep -q '"code":-32602.*want a list of ids or URLs' "$T/out"

# OPML: folders and categories become tags; an export imports back with
# every tag.
sed "s|PORTBASE|$BASE|g" "$FEEDD_FIXTURES/subscriptions.opml" >"$T/subs.opml"
ctl import "$T/subs.opml" >"$T/out"
check "import: reports per outline" grep -q '^invalid  ftp://example.org/feed.xml' "$T/out"
check "import: counts" grep -q '1 added, 2 already present, 1 invalid' "$T/out"
atom_tags() { ctl --json feeds --tag News/Asia | grep -q 'seed.atom'; }
check "import: nested folders become one tag, their path" atom_tags
cat_tags() { ctl --json feeds --tag korea | grep -q 'seed.atom'; }
check "import: category becomes tags" cat_tags
ctl export >"$T/export.opml"
check "export: OPML 2.0" grep -q '<opml version="2.0">' "$T/export.opml"
check "export: tags in category" \
    grep -q 'category="/News/Asia,/korea,/world"' "$T/export.opml"
ctl remove "$BASE/feed/seed.atom"
ctl import "$T/export.opml" >"$T/out"
check "export re-imports: the removed feed comes back" \
    grep -q '1 added, 1 already present, 0 invalid' "$T/out"
check "export re-imports: with its tags" cat_tags
ctl import /nonexistent.opml 2>/dev/null
check "import of a missing file: exit 1" [ $? -eq 1 ]
printf 'not xml' >"$T/bad.opml"
ctl import "$T/bad.opml" 2>"$T/err"
check "import of junk: exit 1, not OPML" grep -q 'not OPML' "$T/err"
ctl remove "$BASE/feed/seed.atom"

# Exit codes.
"$FEEDD_BUILD/feedctl" -s "$T/nothing.sock" status 2>"$T/err"
check "unreachable: exit 3" [ $? -eq 3 ]
check "unreachable: names the socket" grep -q nothing.sock "$T/err"
ctl nosuchcommand 2>/dev/null
check "unknown command: exit 2" [ $? -eq 2 ]
ctl items --bogus 2>/dev/null
check "bad option: exit 2" [ $? -eq 2 ]
# A usage error says what was wrong before the usage.
ctl items --limit 0 2>"$T/err"
check "--limit 0: exit 2" [ $? -eq 2 ]
check "--limit 0: says why" \
    grep -q '^feedctl: --limit: "0" is not a number from 1 to 10000' "$T/err"
ctl items --limit 10001 2>"$T/err"
check "--limit 10001: a usage error too (exit 2)" [ $? -eq 2 ]
ctl items --consumer k --reverse 2>"$T/err"
check "--consumer with --reverse: exit 2" [ $? -eq 2 ]
check "--consumer with --reverse: says why" \
    grep -q '^feedctl: items: .*--reverse do not go with --consumer' "$T/err"
ctl read abc 2>"$T/err"
check "read abc: says why" grep -q '"abc" is not an item id' "$T/err"
ctl read --all --feed 1 2>"$T/err"
check "read --all --feed: exit 2, one of them" \
    sh -c "[ $? -eq 2 ] && grep -q 'read: --all, --feed or --tag: one of them' '$T/err'"
ctl edit 1 --tag x --untag x 2>"$T/err"
check "edit --tag x --untag x: refused, says so" \
    sh -c "[ $? -eq 2 ] && grep -q -- '--tag and --untag both name \"x\"' '$T/err'"
ctl edit 1 --tag '' 2>"$T/err"
check "edit --tag '': refused, says so" \
    sh -c "[ $? -eq 2 ] && grep -q -- '--tag: an empty tag' '$T/err'"
# --json after the command is the global --json.
ctl status --json >"$T/out"
check "status --json: the JSON object" grep -q '"protocol":1' "$T/out"
version() { "$FEEDD_BUILD/feedctl" --version | grep -q '^feedctl '; }
check "feedctl --version" version
items_help() { ctl items --help | grep -q consumer; }
check "feedctl items --help" items_help

# Garbage on the socket: the right errors, the connection stays usable.
printf '%s\n' 'garbage' '{"jsonrpc":"2.0","id":7,"method":"nope"}' '[1]' \
    '{"jsonrpc":"2.0","id":8,"method":"items.list","params":{"limit":"x"}}' \
    '{"jsonrpc":"2.0","id":9,"method":"status"}' |
    "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 3 >"$T/out"
check "garbage: parse error -32700" grep -q '"code":-32700' "$T/out"
check "unknown method: -32601" grep -q '"id":7,"error":{"code":-32601' "$T/out"
check "not an object: -32600" grep -q '"code":-32600' "$T/out"
check "wrong param type: -32602" grep -q '"id":8,"error":{"code":-32602' "$T/out"
check "and the connection still answers" grep -q '"id":9,"result"' "$T/out"
# Pages of items are written as JSON text, not built as trees: each
# answer is one line of valid JSON-RPC with the id as it was sent (a
# string with a quote in it too), and a request without an id (a
# notification) gets no answer.
printf '%s\n' '{"jsonrpc":"2.0","method":"items.list","params":{"limit":1}}' \
    '{"jsonrpc":"2.0","id":"p\"q","method":"items.list","params":{"limit":3}}' \
    '{"jsonrpc":"2.0","id":11,"method":"items.search","params":{"query":"the"}}' \
    '{"jsonrpc":"2.0","id":12,"method":"status"}' |
    "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 3 >"$T/out"
pages() {
	python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 3, lines
page = json.loads(lines[0])
assert page["jsonrpc"] == "2.0" and page["id"] == "p\"q", page
items = page["result"]["items"]
assert 1 <= len(items) <= 3 and all(type(i["id"]) is int and
    type(i["read"]) is bool and "key" in i for i in items), items
found = json.loads(lines[1])
assert found["id"] == 11 and type(found["result"]["items"]) is list, found
assert json.loads(lines[2])["id"] == 12
' "$T/out"
}
check "items.list, items.search: valid answers, the id as sent, none to a notification" pages
# A 2 MB line: an error, then the connection closes.
head -c 2000000 /dev/zero | tr '\0' 'x' |
    "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 3 >"$T/out"
check "an over-long line: an error" grep -q 'too long' "$T/out"
alive() { ctl status >/dev/null; }
check "the daemon still answers others" alive
check "and still polls" polled

# 500 clients at once are all answered.
flood() { "$FEEDD_BUILD/tests/sockflood" "$T/feedd.sock" 500 | grep -q '^500 answered'; }
check "500 concurrent clients: all answered" flood
# 200 that connect at once while the daemon is busy (stopped here) wait
# in the listen backlog: past 128 they failed with EAGAIN.
kill -STOP "$FEEDD_PID"
"$FEEDD_BUILD/tests/sockflood" "$T/feedd.sock" 200 burst >"$T/burst" 2>&1 &
BURST=$!
sleep 0.5
kill -CONT "$FEEDD_PID"
wait "$BURST"
check "a burst of 200 connections: all queued and answered" \
    grep -q '^200 answered' "$T/burst"
# More than the most a page holds is said, not silently cut.
over() { ! ctl items --limit 10001 >"$T/over" 2>&1 && grep -q 'from 1 to 10000' "$T/over"; }
check "items --limit 10001: refused, saying the most" over
most() { ctl items --limit 10000 >/dev/null; }
check "items --limit 10000: fine" most
# A client that asks for a lot and hangs up at once.
printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"items.list","params":{"limit":10000}}' |
    "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 0 >/dev/null
# A watcher that never reads (replaying everything, then live).
printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"watch","params":{"since":0}}' |
    "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 30 noread &
SILENT=$!
BG_PIDS="$SILENT"
sleep 1
check "after a hang-up and a silent watcher: still answering" alive
check "after a hang-up and a silent watcher: still polling" polled
kill "$SILENT" 2>/dev/null

# A feed removed while a "poll --wait" waits for it: the wait ends at
# once with that outcome, not when the slow answer would have come.
SLOW=$(ctl add --no-check "$BASE/slow/4000/seed.atom" 2>/dev/null | head -n 1 |
    sed 's/[^0-9]*\([0-9]*\).*/\1/')
"$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" poll --wait "$SLOW" \
    >"$T/slowpoll.out" 2>&1 &
SLOWPOLL=$!
BG_PIDS="$BG_PIDS $SLOWPOLL"
sleep 0.5
ctl remove "$SLOW" >/dev/null
ended() { ! kill -0 "$SLOWPOLL" 2>/dev/null; }
check "poll --wait on a feed removed meanwhile: ends at once" wait_for 2 ended
wait "$SLOWPOLL"
check "poll --wait on a removed feed: exit 1" [ $? -eq 1 ]
check "poll --wait on a removed feed: says so" \
    grep -q 'removed' "$T/slowpoll.out"

# A second feedd on the same socket refuses to start.
"$FEEDD_BUILD/feedd" -c "$T/feedd.conf" 2>"$T/err2"
check "a second feedd: refuses to start" [ $? -ne 0 ]
check "a second feedd: says another is running" \
    grep -q 'another feedd' "$T/err2"
# ...before it makes a database of its own: a free one is left alone.
sed "s|^database = .*|database = $T/second.db|" "$T/feedd.conf" >"$T/second.conf"
"$FEEDD_BUILD/feedd" -c "$T/second.conf" 2>"$T/err2b"
check "a second feedd on the socket with a free database: refuses" [ $? -ne 0 ]
check "a second feedd on the socket: made no database" [ ! -e "$T/second.db" ]

# A second feedd on the same sqlite database, on a socket of its own,
# refuses too (it would poll every feed again and deliver from the same
# outbox), at error priority for the journal, and leaves the first be.
sed "s|^socket = .*|socket = $T/other.sock|" "$T/feedd.conf" >"$T/other.conf"
timeout 10 "$FEEDD_BUILD/feedd" -c "$T/other.conf" 2>"$T/err3"
check "a second feedd on the database: refuses to start" [ $? -eq 1 ]
check "a second feedd on the database: says it is in use" \
    grep -q "^<3>feedd: $T/feedd.db: the database is in use by another feedd" \
    "$T/err3"
check "a second feedd on the database: made no socket" [ ! -e "$T/other.sock" ]
check "the first feedd still answers" ctl status

feedd_stop
check "SIGTERM: exit status 0" [ "$FEEDD_RC" -eq 0 ]
check "the socket file is gone" [ ! -e "$T/feedd.sock" ]
finish
