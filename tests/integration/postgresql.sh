#!/bin/sh
# postgresql.sh: the PostgreSQL backend against a real PostgreSQL 15
# started for this test (tests/tools/pg.sh, a Unix socket in the test's
# folder only), stopped by PID at the end.  The store's unit suite runs
# on it (every test_store test a second time, on PostgreSQL); then
# feedd --check-config tries the database (wrong ones fail, the password
# masked), and the real feedd with "database = postgresql://..." polls
# fixture feeds from the loopback server, read back with the real
# feedctl (items, status, search, read marks, a runtime feed added with
# its own settings and edited).
. "$(dirname "$0")/_lib.sh"
: "${FEEDD_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
PG="$FEEDD_TOP/tests/tools/pg.sh"

trap 'sh "$PG" stop "$T/pg"; cleanup' EXIT
# The server runs as an unprivileged user: it has to reach its folder.
chmod 711 "$T"
CONN=$(sh "$PG" start "$T/pg") || { echo "PostgreSQL did not start"; exit 1; }

if env FEEDD_TEST_PG="$CONN" "$FEEDD_BUILD/tests/test_store" \
    >"$T/unit.log" 2>&1; then
	ok "the store's unit suite passes on PostgreSQL too"
else
	fail "the store's unit suite on PostgreSQL"
	grep -E "FAILED|ERROR|LINE" "$T/unit.log"
fi
# The daemon starts on an empty database.
psql -q "$CONN" -c "SET client_min_messages = warning; \
    DROP SCHEMA public CASCADE; CREATE SCHEMA public" ||
    fail "emptying the database"

httpd_start
mkfeed a 5 walrus
mkfeed b 2 walrus
# A digest notifier: its due rows are read on the claimer's connection.
mkdir -p "$T/mail"
cat >"$T/sendmail" <<'SH'
#!/bin/sh
cat >"$(dirname "$0")/mail/$$.eml"
SH
chmod +x "$T/sendmail"
{
	printf 'allow_hosts = 127.0.0.1\n[feed "%s/feed/a.rss"]\ntags = ta\n' \
	    "$BASE"
	printf '[feed "%s/feed/b.rss"]\ntags = tb\n' "$BASE"
	printf '[notify "dig"]\ntype = mail\nto = me@example.org\n'
	printf 'sendmail = %s/sendmail\nmode = digest\n' "$T"
	printf 'digest_interval = 1s\nnotify_first_poll = yes\n'
} | feedd_config
# (sed's replacement takes & as the match: escaped.)
sed -i "s|^database = .*|database = $(printf '%s' "$CONN" |
    sed 's/[&|\\]/\\&/g')|" "$T/feedd.conf"
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

# --- --check-config tries the database -----------------------------------
check "--check-config: a reachable database is ok" \
    "$FEEDD_BUILD/feedd" -c "$T/feedd.conf" --check-config
sed "s|^database = .*|database = postgresql://feedd:s3cret@localhost/feedd?host=$T/nowhere|" \
    "$T/feedd.conf" >"$T/bad.conf"
if "$FEEDD_BUILD/feedd" -c "$T/bad.conf" --check-config 2>"$T/bad.err"; then
	fail "--check-config: an unreachable database passes"
else
	ok "--check-config: an unreachable database fails"
fi
check "--check-config: says it cannot connect" \
    grep -q "cannot connect" "$T/bad.err"
check "--check-config: the password is masked" \
    grep -q "feedd:\*\*\*@localhost" "$T/bad.err"
if grep -q s3cret "$T/bad.err"; then
	fail "--check-config: the password is in the message"
else
	ok "--check-config: the password is not in the message"
fi
sed "s|^database = .*|database = host=$T/pg user=feedd dbname=nosuchdb password=s3cret|" \
    "$T/feedd.conf" >"$T/bad2.conf"
if "$FEEDD_BUILD/feedd" -c "$T/bad2.conf" --check-config 2>"$T/bad2.err"
then
	fail "--check-config: a missing database passes"
else
	ok "--check-config: a missing database fails"
fi
check "--check-config: names the missing database" \
    grep -q 'database "nosuchdb" does not exist' "$T/bad2.err"
check "--check-config: key=value password masked" \
    grep -q 'password=\*\*\*' "$T/bad2.err"
# A role that may connect but not make feedd's tables: PostgreSQL 15's
# default in "public" for a role that does not own the database.
psql -q "$CONN" -c "CREATE ROLE nocreate LOGIN" \
    -c "CREATE DATABASE nocreatedb" || fail "making a role and a database"
sed "s|^database = .*|database = host=$T/pg user=nocreate dbname=nocreatedb|" \
    "$T/feedd.conf" >"$T/bad3.conf"
if "$FEEDD_BUILD/feedd" -c "$T/bad3.conf" --check-config 2>"$T/bad3.err"
then
	fail "--check-config: a role that cannot make the tables passes"
else
	ok "--check-config: a role that cannot make the tables fails"
fi
check "--check-config: says why and how to let it (got: $(cat "$T/bad3.err"))" \
    grep -q "role nocreate may not create tables in schema public of database nocreatedb.*createdb -O nocreate" \
    "$T/bad3.err"

# --- the daemon on PostgreSQL ------------------------------------------------
feedd_start
seven() { [ "$(ctl --json items | wc -l)" -eq 7 ]; }
check "both feeds stored on PostgreSQL: 7 items" wait_for 15 seven
check "no sqlite file was made" [ ! -e "$T/feedd.db" ]
digested() {
	[ "$(cat "$T/mail"/*.eml 2>/dev/null | sed -n \
	    's/^Subject: \([0-9]*\) new items* (dig)$/\1/p' |
	    awk '{ s += $1 } END { print s + 0 }')" -eq 7 ]
}
check "the digest notifier mailed the 7 items" wait_for 20 digested
check "feeds lists both, with their counts" \
    sh -c "\"$FEEDD_BUILD/feedctl\" -c \"$T/feedd.conf\" --json feeds |
    grep -c '\"items\":5' | grep -qx 1"
check "items --feed 2: feed b's two" \
    [ "$(ctl --json items --feed 2 | wc -l)" -eq 2 ]
check "items --tag ta: feed a's five" \
    [ "$(ctl --json items --tag ta | wc -l)" -eq 5 ]
check "search finds the summary's text" \
    [ "$(ctl --json search walrus | wc -l)" -eq 7 ]
check "search: a phrase and a column" \
    [ "$(ctl --json search 'title:"b item" AND walrus' | wc -l)" -eq 2 ]
check "search: markup is not text" \
    [ "$(ctl --json search p | wc -l)" -eq 0 ]
if ctl search 'AND OR (' 2>"$T/search.err"; then
	fail "a bad search query is refused"
else
	ok "a bad search query is refused"
fi
check "status reports 7 items" \
    sh -c "\"$FEEDD_BUILD/feedctl\" -c \"$T/feedd.conf\" --json status |
    grep -q '\"items\":7'"
FIRST=$(ctl --json items --limit 100 | head -n 1 |
    sed -n 's/.*"id":\([0-9]*\).*/\1/p')
check "read marks an item" ctl read "$FIRST"
check "items --unread: six left" \
    [ "$(ctl --json items --unread | wc -l)" -eq 6 ]
check "the running line masks nothing it need not (no password here)" \
    grep -q "database postgresql:///feedd" "$T/feedd.log"

# The database goes away: items is an error that says so, status
# answers from the node's own state and says since when the database
# cannot be reached, the daemon keeps running; it comes back: the next
# request reconnects, and status is whole again.
sh "$PG" stop "$T/pg"
if ctl --json items >/dev/null 2>"$T/gone.err"; then
	fail "items with the database gone is an error"
else
	ok "items with the database gone is an error"
fi
check "the error says the database is unreachable, and where" \
    grep -q "^feedctl: the database at $T/pg is unreachable: " "$T/gone.err"
check "items --feed 1: the same, not \"no such feed\"" \
    sh -c '"$1" -c "$2" items --feed 1 2>&1 >/dev/null |
    grep -q "the database at .* is unreachable: "' sh \
    "$FEEDD_BUILD/feedctl" "$T/feedd.conf"
ctl status >"$T/down.status" 2>&1
check "status with the database gone: exit 0" [ $? -eq 0 ]
check "status says the database cannot be reached, since when, and why" \
    grep -q "^database: cannot be reached since 20[0-9T:-]*Z ([0-9a-z ]*): the database at $T/pg is unreachable: " \
    "$T/down.status"
check "status: no counts it cannot know" \
    sh -c '! grep -q "^items:" "$1"' sh "$T/down.status"
ctl --json status >"$T/down.json" 2>&1
check "status --json: exit 0" [ $? -eq 0 ]
check "status --json: database_unreachable with the error and since" \
    grep -q '"database_unreachable":{"error":"the database at .* is unreachable: .*","since":"20' \
    "$T/down.json"
check "status --json: the database's counts are null" \
    grep -q '"items":null' "$T/down.json"
check "status --json: the node's own state is there" \
    grep -q '"uptime":[0-9]*,' "$T/down.json"
ctl metrics >"$T/down.metrics" 2>&1
check "metrics with the database gone: exit 0" [ $? -eq 0 ]
check "metrics: feedd_database_up 0, the node's counters, no item count" \
    sh -c 'grep -qx "feedd_database_up 0" "$1" &&
    grep -q "^feedd_polls_total [0-9]" "$1" && ! grep -q "^feedd_items " "$1"' \
    sh "$T/down.metrics"
check "feedd keeps running without its database" kill -0 "$FEEDD_PID"
sh "$PG" resume "$T/pg"
check "the database back: items reconnects and reads 7" wait_for 10 seven
status_clean() {
	ctl --json status >"$T/up.json" 2>&1 &&
	    grep -q '"database_unreachable":null' "$T/up.json" &&
	    grep -q '"items":7,' "$T/up.json"
}
check "the database back: status is whole again" wait_for 30 status_clean
check "the database back: feedd_database_up 1, items counted" \
    sh -c '"$1" -c "$2" metrics >"$3" && grep -qx "feedd_database_up 1" "$3" &&
    grep -qx "feedd_items 7" "$3"' sh "$FEEDD_BUILD/feedctl" "$T/feedd.conf" \
    "$T/up.metrics"
check "and says nothing of the database" \
    sh -c '"$1" -c "$2" status | grep -q "^database:"; [ $? -eq 1 ]' sh \
    "$FEEDD_BUILD/feedctl" "$T/feedd.conf"

# A restart finds everything where it was; a repoll stores nothing twice.
feedd_stop
feedd_start
check "after a restart: still 7 items" seven
ctl poll --wait >/dev/null 2>&1
check "a repoll stores nothing twice" seven
# A feed added at run time: its settings stored, edited, kept.
mkfeed c 1 walrus
NEWID=$(ctl add --no-check --user-agent "pg-agent/1" "$BASE/feed/c.rss")
check "add: a runtime feed with its own settings" [ -n "$NEWID" ]
eight() { [ "$(ctl --json items | wc -l)" -eq 8 ]; }
check "the runtime feed is polled" wait_for 15 eight
check "its request carried its user agent" \
    sh -c 'grep "^/feed/c.rss	" "$1" | tail -n 1 | grep -q "User-Agent: pg-agent/1"' \
    sh "$T/headers.log"
check "edit renames it and changes its settings" \
    ctl edit "$NEWID" --title "Sea feed" --user-agent "pg-agent/2"
ctl poll --wait "$NEWID" >/dev/null 2>&1
check "the next request carries the new user agent" \
    sh -c 'grep "^/feed/c.rss	" "$1" | tail -n 1 | grep -q "User-Agent: pg-agent/2"' \
    sh "$T/headers.log"
check "feeds shows the new title" \
    sh -c '"$1" -c "$2" --json feeds | grep -q "Sea feed"' \
    sh "$FEEDD_BUILD/feedctl" "$T/feedd.conf"
feedd_stop

# --- three nodes on one database ---------------------------------------------
# 30 feeds due every 3 s, three feedd nodes for about 10 s: each due
# feed is claimed by one node, so the server sees each feed's requests
# an interval apart, never two nodes polling one feed at once; every
# node's feedctl reads the same 90 items, stored once.
psql -q "$CONN" -c "SET client_min_messages = warning; \
    DROP SCHEMA public CASCADE; CREATE SCHEMA public" ||
    fail "emptying the database"
: >"$T/requests.log"
k=1
while [ "$k" -le 30 ]; do
	mkfeed "n$k" 3 walrus	# (mkfeed uses $i)
	k=$((k + 1))
done
for node in 1 2 3; do
	{
		printf '[daemon]\ndatabase = %s\n' "$CONN"
		printf 'socket = %s/node%s.sock\n' "$T" "$node"
		printf 'min_interval = 1s\ndefault_interval = 3s\n'
		printf 'timeout = 5s\nallow_hosts = 127.0.0.1\n'
		k=1
		while [ "$k" -le 30 ]; do
			printf '[feed "%s/feed/n%d.rss"]\n' "$BASE" "$k"
			k=$((k + 1))
		done
	} >"$T/node$node.conf"
done
NODES=
for node in 1 2 3; do
	"$FEEDD_BUILD/feedd" -c "$T/node$node.conf" -vv \
	    2>>"$T/node$node.log" &
	NODES="$NODES $!"
	sleep 0.5
done
BG_PIDS=$NODES
nodectl() { n=$1; shift; "$FEEDD_BUILD/feedctl" -c "$T/node$n.conf" "$@"; }
ninety() { [ "$(nodectl "$1" --json items --limit 1000 | wc -l)" -eq 90 ]; }
check "node 1 reads the 90 items" wait_for 20 ninety 1
sleep 8
check "node 2 reads the same 90 items" ninety 2
check "node 3 reads the same 90 items" ninety 3

# The node doing the polling dies (kill -9): the others take its feeds.
# A feed it held at that instant waits for its lease to run out.
poller=1
for node in 1 2 3; do
	[ "$(grep -c "poll: .*/feed/n.*: start" "$T/node$node.log")" -gt \
	    "$(grep -c "poll: .*/feed/n.*: start" "$T/node$poller.log")" ] &&
	    poller=$node
done
set -- $NODES
eval "victim=\${$poller}"
kill -9 "$victim"
killed=$(date +%s)
sleep 8
check "feedctl on a surviving node still reads 90 items" \
    ninety $((poller % 3 + 1))
# shellcheck disable=SC2086
kill $NODES 2>/dev/null
wait $NODES 2>/dev/null
BG_PIDS=
after=$(grep -F "/feed/n" "$T/requests.log" |
    awk -F '\t' -v t="$killed" '$1 > t + 0.5 { print $3 }' | sort -u | wc -l)
echo "after node $poller died: $after of 30 feeds polled again"
check "the other nodes polled the dead node's feeds" [ "$after" -ge 25 ]

# Per feed: its requests, and the shortest gap between two of them.
grep -F "/feed/n" "$T/requests.log" | sort -k3,3 -k1,1n |
    awk -F '\t' '$3 == last { g = $1 - t; if (min == "" || g < min) min = g }
    { if ($3 != last) n++; last = $3; t = $1; c++ }
    END { printf "%d %d %s\n", n, c, min }' >"$T/gaps"
read -r nfeeds nreq mingap <"$T/gaps"
echo "three nodes: $nfeeds feeds, $nreq requests, shortest gap ${mingap}s"
check "every feed was polled" [ "$nfeeds" -eq 30 ]
check "polling went on: more than one round" [ "$nreq" -gt 90 ]
check "no feed was polled by two nodes at once (gaps of 1.5 s or more)" \
    awk "BEGIN { exit !($mingap >= 1.5) }"
# --- two nodes, one config: the sync is an upsert ----------------------------
# Two nodes with the same 150 config feeds start at the same instant on
# an empty database: both add and update the same feeds at once, and
# neither may fail at it ("already subscribed") or make a feed twice.
# Then a node whose config differs: its settings win when it syncs, and
# a feed its config lacks is removed for every node.
psql -q "$CONN" -c "SET client_min_messages = warning; \
    DROP SCHEMA public CASCADE; CREATE SCHEMA public" ||
    fail "emptying the database"
for node in 1 2; do
	{
		printf '[daemon]\ndatabase = %s\n' "$CONN"
		printf 'socket = %s/sync%s.sock\n' "$T" "$node"
		printf 'default_interval = 1h\nallow_hosts = 127.0.0.1\n'
		k=1
		while [ "$k" -le 150 ]; do
			printf '[feed "%s/feed/s%d.rss"]\ntags = sync\n' \
			    "$BASE" "$k"
			k=$((k + 1))
		done
	} >"$T/sync$node.conf"
done
synctl() { n=$1; shift; "$FEEDD_BUILD/feedctl" -c "$T/sync$n.conf" "$@"; }
nfeeds() { [ "$(synctl "$1" --json feeds | grep -c '"url"')" -eq "$2" ]; }
"$FEEDD_BUILD/feedd" -c "$T/sync1.conf" -v 2>"$T/sync1.log" &
S1=$!
"$FEEDD_BUILD/feedd" -c "$T/sync2.conf" -v 2>"$T/sync2.log" &
S2=$!
BG_PIDS="$S1 $S2"
check "node 1 of two lists the 150 config feeds" wait_for 20 nfeeds 1 150
check "node 2 of two lists the same 150" wait_for 20 nfeeds 2 150
check "the database holds each config feed once" \
    [ "$(psql -tA "$CONN" -c "SELECT count(*) FROM feeds")" -eq 150 ]
check "no node failed to add a config feed another node added" \
    sh -c '! grep -E "already subscribed|config: .*:[0-9]+:" "$1" "$2"' \
    sh "$T/sync1.log" "$T/sync2.log"
kill "$S2"
wait "$S2" 2>/dev/null
# Node 2's config: feed 1 titled, feed 150 gone.
sed -i -e 's|^\(\[feed ".*/feed/s1.rss"\]\)$|\1\ntitle = Node two|' \
    -e '/\/feed\/s150.rss/,+1d' "$T/sync2.conf"
"$FEEDD_BUILD/feedd" -c "$T/sync2.conf" -v 2>>"$T/sync2.log" &
S2=$!
BG_PIDS="$S1 $S2"
check "the last node to sync sets a feed's settings, seen by every node" \
    wait_for 20 sh -c '"$1" -c "$2" --json feeds | grep -q "Node two"' \
    sh "$FEEDD_BUILD/feedctl" "$T/sync1.conf"
check "a feed one node's config lacks is removed for every node" \
    wait_for 20 nfeeds 1 149
# A config feed refuses feedctl's changes, naming the file it comes
# from: this node's, or another node's.
printf '[feed "%s/feed/s151.rss"]\n' "$BASE" >>"$T/sync1.conf"
kill -HUP "$S1"
has151() { synctl 2 --json feeds | grep -q '/feed/s151.rss"'; }
check "node 1 adds a feed of its config only" wait_for 20 has151
synctl 2 remove "$BASE/feed/s1.rss" >"$T/rm-own.out" 2>&1
check "a feed of this node's config: names its file" \
    grep -q "s1.rss comes from $T/sync2.conf; remove it there" \
    "$T/rm-own.out"
synctl 2 remove "$BASE/feed/s151.rss" >"$T/rm-other.out" 2>&1
check "a feed of another node's config: says so (got: $(cat \
    "$T/rm-other.out"))" grep -q "s151.rss comes from another node's \
configuration file (it is not in this node's, $T/sync2.conf)" \
    "$T/rm-other.out"
kill "$S1" "$S2"
wait "$S1" "$S2" 2>/dev/null
BG_PIDS=
finish
