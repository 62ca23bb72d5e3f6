#!/bin/sh
# pg-nodes.sh: two feedd nodes on one PostgreSQL 15 started for this
# test (tests/tools/pg.sh, a Unix socket in the test's folder), stopped
# by PID at the end.  "status" on either node lists both nodes, with
# fresh heartbeats and which one is asked; a node that stops cleanly
# leaves the list, one killed with -9 stays with its heartbeat ageing.
# "watch" on node A prints the items only node B polls and stores (the
# feed is due in an hour at the soonest: B polls it with "feedctl poll"),
# once each and in order, also after PostgreSQL went away and came back.
# Two nodes with max_per_host = 2 never poll one host more than twice at
# once between them.  A node whose feed claim waits for the database
# still answers on its socket, and a poll asked for while its timer's
# claim of that feed waits is made even when that claim loses.  A fetch
# that is over frees its host's slot before its poll is stored.  A feed
# added at run time on one node is polled by another once that one dies;
# one paused there is never leased by a node whose timer fires for it.
. "$(dirname "$0")/_lib.sh"
: "${FEEDD_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
PG="$FEEDD_TOP/tests/tools/pg.sh"

trap 'sh "$PG" stop "$T/pg"; cleanup' EXIT
# The server runs as an unprivileged user: it has to reach its folder.
chmod 711 "$T"
CONN=$(sh "$PG" start "$T/pg") || { echo "PostgreSQL did not start"; exit 1; }

httpd_start
mkfeed a 3
for node in A B; do
	{
		printf '[daemon]\ndatabase = %s\n' "$CONN"
		printf 'socket = %s/node%s.sock\n' "$T" "$node"
		printf 'min_interval = 1h\ndefault_interval = 1h\n'
		printf 'timeout = 5s\nallow_hosts = 127.0.0.1\n'
		printf '[feed "%s/feed/a.rss"]\n' "$BASE"
	} >"$T/node$node.conf"
done
nodectl() { n=$1; shift; "$FEEDD_BUILD/feedctl" -c "$T/node$n.conf" "$@"; }
# node_start N: feedd on node N's config, in the background.
node_start() {
	"$FEEDD_BUILD/feedd" -c "$T/node$1.conf" -vv 2>>"$T/node$1.log" &
	eval "PID_$1=\$!"
}
node_start A
node_start B
BG_PIDS="$PID_A $PID_B"

# nodes_json N: node N's status "nodes", one node object a line.
nodes_json() {
	nodectl "$1" --json status |
	    sed -n 's/.*"nodes":\[\([^]]*\)\].*/\1/p' | sed 's/},{/}\n{/g'
}
# nodes_count N COUNT: node N's status lists COUNT nodes.
nodes_count() { [ "$(nodes_json "$1" | grep -c '"owner"')" -eq "$2" ]; }
# node_of N PID: node N's status entry for the node of PID.
node_of() { nodes_json "$1" | grep "\"pid\":$2,"; }
# node_is N PID NAME VALUE: that entry's NAME is VALUE.
node_is() { [ "$(field "$(node_of "$1" "$2")" "$3")" = "$4" ]; }
# node_age_le N PID SECONDS: that entry's heartbeat is at most SECONDS old.
node_age_le() {
	[ "$(field "$(node_of "$1" "$2")" heartbeat_age)" -le "$3" ]
}

three() { [ "$(nodectl "$1" --json items | wc -l)" -eq 3 ]; }
check "node A reads the feed's 3 items" wait_for 20 three A
check "node A claims on a thread of its own, named for top -H" \
    sh -c 'cat /proc/$1/task/*/comm | grep -qx feedd-claimer' sh "$PID_A"
check "node A's status lists two nodes" wait_for 20 nodes_count A 2
check "node B's status lists two nodes" wait_for 20 nodes_count B 2
check "A's own entry says this=true" node_is A "$PID_A" this true
check "B's entry on A says this=false" node_is A "$PID_B" this false
check "B's status marks B as this node" node_is B "$PID_B" this true
check "A's entry: its owner id names its pid" \
    sh -c 'printf "%s\n" "$1" | grep -q "\"owner\":\"[^\"]*:$2:"' sh \
    "$(node_of A "$PID_A")" "$PID_A"
check "A's entry: its host and version" \
    sh -c 'printf "%s\n" "$1" | grep "\"host\":\"[^\"]" |
    grep -q "\"version\":\"[0-9]"' sh "$(node_of A "$PID_A")"
check "A's entry: started and heartbeat as dates" \
    sh -c 'printf "%s\n" "$1" | grep "\"started\":\"20[0-9-]*T" |
    grep -q "\"heartbeat\":\"20[0-9-]*T"' sh "$(node_of A "$PID_A")"
# Fresh: at most a beat period old, and a writer busy for a moment.
check "A's heartbeat is fresh" node_age_le A "$PID_A" 13
check "B's heartbeat is fresh too" node_age_le A "$PID_B" 13
check "neither is stale" \
    [ "$(nodes_json A | grep -c '"stale":false')" -eq 2 ]
nodectl A status >"$T/status.txt"
check "feedctl status prints the nodes" grep -qx 'nodes:    2' "$T/status.txt"
check "feedctl status: A's line, marked this node" grep -q \
    ":$PID_A:.*heartbeat [0-9]*s ago, [0-9]* feeds and [0-9]* deliveries leased (this node)\$" \
    "$T/status.txt"
check "feedctl status: B's line, not marked" \
    sh -c 'grep ":$1:" "$2" | grep -qv "this node"' sh "$PID_B" "$T/status.txt"
# Heartbeats go on: after a beat period B's row is newer.
b0=$(field "$(node_of A "$PID_B")" heartbeat)
sleep 12
check "the heartbeats move on" \
    [ "$(field "$(node_of A "$PID_B")" heartbeat)" != "$b0" ]

# A lease is counted for the node that holds it.
psql -q "$CONN" -c "UPDATE feeds SET lease_owner = \
    (SELECT owner FROM nodes WHERE pid = $PID_B), \
    lease_until = extract(epoch FROM now())::bigint + 60" ||
    fail "leasing the feed to B"
check "B's entry counts the feed it holds" node_is A "$PID_B" feeds_leased 1
check "and no outbox rows" node_is A "$PID_B" outbox_leased 0
check "A's entry counts none" node_is A "$PID_A" feeds_leased 0
psql -q "$CONN" -c "UPDATE feeds SET lease_owner = NULL, lease_until = NULL" ||
    fail "releasing the feed"

# --- watch on A, items stored by B ------------------------------------------
"$FEEDD_BUILD/feedctl" -c "$T/nodeA.conf" --json watch \
    >"$T/watch.out" 2>"$T/watch.err" &
WATCH=$!
BG_PIDS="$PID_A $PID_B $WATCH"
"$FEEDD_BUILD/feedctl" -c "$T/nodeA.conf" --json watch --since 0 \
    >"$T/replay.out" 2>"$T/replay.err" &
REPLAY=$!
BG_PIDS="$BG_PIDS $REPLAY"
sleep 1
apolls() { grep -c "poll: .*/feed/a.rss: start" "$T/nodeA.log"; }
apolls0=$(apolls)
# keys FILE: the item keys a watch printed, in order, on one line.
keys() { sed -n 's/.*"key":"\(a-[0-9]*\)".*/\1/p' "$1" | tr '\n' ' '; }
watched() { [ "$(keys "$T/watch.out")" = "$1" ]; }
mkfeed a 6
nodectl B poll --wait >/dev/null 2>&1
check "B stored the 3 new items" wait_for 10 sh -c \
    '[ "$("$1" -c "$2" --json items | wc -l)" -eq 6 ]' sh \
    "$FEEDD_BUILD/feedctl" "$T/nodeB.conf"
check "A's watcher prints B's 3 items, in order" \
    wait_for 10 watched "a-4 a-5 a-6 "
mkfeed a 8
nodectl B poll --wait >/dev/null 2>&1
mkfeed a 9
nodectl B poll --wait >/dev/null 2>&1
check "and the next ones, once each, in order" \
    wait_for 10 watched "a-4 a-5 a-6 a-7 a-8 a-9 "
check "watch --since 0 on A: the 3 first, then B's, once each" \
    wait_for 10 sh -c '[ "$(sed -n "s/.*\"key\":\"\(a-[0-9]*\)\".*/\1/p" "$1" |
    tr "\n" " ")" = "a-1 a-2 a-3 a-4 a-5 a-6 a-7 a-8 a-9 " ]' sh "$T/replay.out"
check "A polled none of them itself" [ "$(apolls)" -eq "$apolls0" ]
check "A's watcher got the ids in increasing order" sh -c \
    'sed -n "s/.*\"id\":\([0-9]*\),.*/\1/p" "$1" | sort -nc' sh "$T/watch.out"

# PostgreSQL goes away and comes back: A listens again by itself, and
# what B stores after is printed once, in order.
sh "$PG" stop "$T/pg"
sleep 2
sh "$PG" resume "$T/pg"
mkfeed a 11
k=0
until watched "a-4 a-5 a-6 a-7 a-8 a-9 a-10 a-11 " || [ "$k" -ge 30 ]; do
	nodectl B poll --wait >/dev/null 2>&1
	sleep 1
	k=$((k + 1))
done
check "after the database came back, A's watcher prints B's new items" \
    watched "a-4 a-5 a-6 a-7 a-8 a-9 a-10 a-11 "
check "A listens again (its log says so)" \
    grep -q "listening for other nodes' items again" "$T/nodeA.log"
check "A still polled none of them" [ "$(apolls)" -eq "$apolls0" ]
check "A's watcher had no error" [ ! -s "$T/watch.err" ]
kill "$WATCH" "$REPLAY" 2>/dev/null
wait "$WATCH" "$REPLAY" 2>/dev/null
BG_PIDS="$PID_A $PID_B"
check "both nodes still run" kill -0 "$PID_A" "$PID_B"

# A feed added on B is answered once its first poll is committed: right
# after "add", B and A (another connection to the database) read all of
# its items.
mkfeed big 5000
bigid=$(nodectl B add "$BASE/feed/big.rss" 2>"$T/add.err")
check "add on B: exit 0 with the id" [ $? -eq 0 ]
check "add on B: exit 0 with the id" [ -n "$bigid" ]
check "B reads its 5000 items right after the add" \
    [ "$(nodectl B --json items --feed "$bigid" --limit 10000 | wc -l)" -eq 5000 ]
check "and so does A" \
    [ "$(nodectl A --json items --feed "$bigid" --limit 10000 | wc -l)" -eq 5000 ]

# B stops cleanly: its row goes.
kill -TERM "$PID_B"
wait "$PID_B" 2>/dev/null
check "after B stops cleanly A lists one node" wait_for 10 nodes_count A 1
check "the one left is A itself" node_is A "$PID_A" this true

# B again, then killed with -9: its row stays, its heartbeat ageing
# past the beat period (it is shown stale after STORE_NODE_STALE).
node_start B
BG_PIDS="$PID_A $PID_B"
check "B back: two nodes" wait_for 20 nodes_count A 2
sleep 1
kill -9 "$PID_B"
wait "$PID_B" 2>/dev/null
sleep 16
check "after kill -9 B's row is still listed" nodes_count A 2
check "its heartbeat is older than a beat period" \
    sh -c '[ "$1" -ge 16 ]' sh "$(field "$(node_of A "$PID_B")" heartbeat_age)"
check "while A's own is fresh" node_age_le A "$PID_A" 13
check "and the database holds its row" \
    [ "$(psql -tA "$CONN" -c "SELECT count(*) FROM nodes WHERE pid = $PID_B")" -eq 1 ]
check "not yet stale (under a minute)" node_is A "$PID_B" stale false
check "but no longer connected" node_is A "$PID_B" connected false
check "so it holds no lease" node_is A "$PID_B" feeds_leased 0
check "A is connected" node_is A "$PID_A" connected true
check "feedctl status marks B disconnected" \
    sh -c '"$1" -c "$2" status | grep ":$3:" | grep -q "(disconnected)"' \
    sh "$FEEDD_BUILD/feedctl" "$T/nodeA.conf" "$PID_B"
# Its heartbeat set back past STORE_NODE_STALE: shown stale (the bound
# itself is a minute, too long to wait for here).
psql -q "$CONN" -c "UPDATE nodes SET heartbeat = heartbeat - 61 \
    WHERE pid = $PID_B" || fail "ageing B's row"
check "a row without a beat for a minute is shown stale" \
    node_is A "$PID_B" stale true
check "A's is not" node_is A "$PID_A" stale false
check "feedctl status marks it stale" \
    sh -c '"$1" -c "$2" status | grep ":$3:" | grep -q "(stale)"' sh \
    "$FEEDD_BUILD/feedctl" "$T/nodeA.conf" "$PID_B"

kill -TERM "$PID_A"
wait "$PID_A" 2>/dev/null
BG_PIDS=
check "A stopped cleanly: only B's dead row is left" \
    [ "$(psql -tA "$CONN" -c "SELECT count(*) FROM nodes")" -eq 1 ]

# max_per_host across the nodes: two nodes with max_per_host = 2 and six
# feeds of one host, each answered after 1.5 s.  After a first round, a
# poll of three of them is asked of each node at once: each node alone
# would start two, four together; across the nodes no more than two
# requests may start within any 1.4 s, and every poll asked for is made.
for k in 1 2 3 4 5 6; do
	mkfeed "h$k" 1
done
for node in H1 H2; do
	{
		printf '[daemon]\ndatabase = %s\n' "$CONN"
		printf 'socket = %s/node%s.sock\n' "$T" "$node"
		printf 'min_interval = 1h\ndefault_interval = 1h\n'
		printf 'max_parallel = 8\nmax_per_host = 2\n'
		printf 'timeout = 10s\nallow_hosts = 127.0.0.1\n'
		for k in 1 2 3 4 5 6; do
			printf '[feed "%s/slow/1500/h%d.rss"]\n' "$BASE" "$k"
		done
	} >"$T/node$node.conf"
done
node_start H1
node_start H2
BG_PIDS="$PID_H1 $PID_H2"
slow_polled() {
	[ "$(cut -f3 "$T/requests.log" | grep -c '^/slow/1500/h')" -ge "$1" ]
}
none_leased() {
	[ "$(psql -tA "$CONN" -c "SELECT count(*) FROM feeds WHERE \
	    url LIKE '%/slow/1500/h%' AND lease_owner IS NOT NULL")" -eq 0 ]
}
check "the two nodes poll the host's six feeds" wait_for 60 slow_polled 6
check "and store every poll" wait_for 30 none_leased
ids=$(psql -tA "$CONN" -c "SELECT id FROM feeds WHERE \
    url LIKE '%/slow/1500/h%' ORDER BY id" | tr '\n' ' ')
set -- $ids
nodectl H1 poll --wait "$1" "$2" "$3" >"$T/pollH1" 2>&1 &
P1=$!
nodectl H2 poll --wait "$4" "$5" "$6" >"$T/pollH2" 2>&1 &
P2=$!
check "node 1's poll of three feeds is made" wait "$P1"
check "node 2's poll of three feeds is made" wait "$P2"
check "the host got the six polls asked for" slow_polled 12
# The most request starts within 1.4 s of one another.
burst=$(grep -F '/slow/1500/h' "$T/requests.log" | cut -f1 | sort -n |
    awk '{ t[NR] = $1 } END { m = 0; for (i = 1; i <= NR; i++) {
	n = 0; for (j = i; j <= NR && t[j] - t[i] < 1.4; j++) n++
	if (n > m) m = n } print m }')
echo "max_per_host 2 on two nodes: at most $burst requests began within 1.4 s"
check "no more than max_per_host requests to the host at once" [ "$burst" -le 2 ]

# A poll asked of node 2 while node 1 polls that feed is not made twice,
# and is no failure: exit 0, counted as made by another node.
nodectl H1 poll --wait "$1" >"$T/pollH1b" 2>&1 &
P1=$!
leased() {
	[ "$(psql -tA "$CONN" -c "SELECT count(*) FROM feeds WHERE \
	    id = $1 AND lease_owner IS NOT NULL")" -eq 1 ]
}
check "node 1's poll of feed $1 is under way" wait_for 5 leased "$1"
nodectl H2 poll --wait "$1" >"$T/pollH2b" 2>&1
rc=$?
check "node 2's poll of it: exit 0 (got: $(cat "$T/pollH2b"))" [ "$rc" -eq 0 ]
check "and it says another node polled it" \
    grep -q "polled 1/1, 0 errors, 1 by another node" "$T/pollH2b"
check "node 1's poll is made" wait "$P1"
check "the host got that poll once" \
    [ "$(cut -f3 "$T/requests.log" | grep -c '^/slow/1500/h')" -eq 13 ]

# A claim is a write that can wait for the server: here for a lock on
# the feeds table another session holds for 8 s.  It is made on a
# connection and thread of the node's own, so the node's loop goes on
# meanwhile: "status" answers while the lock is still held, and the poll
# asked for is made once it goes.
psql -q "$CONN" -c "BEGIN; LOCK TABLE feeds IN EXCLUSIVE MODE; \
    SELECT pg_sleep(8); COMMIT" >/dev/null 2>&1 &
LOCKER=$!
table_locked() {
	[ "$(psql -tA "$CONN" -c "SELECT count(*) FROM pg_locks l JOIN \
	    pg_class c ON c.oid = l.relation WHERE c.relname = 'feeds' AND \
	    l.mode = 'ExclusiveLock' AND l.granted")" -eq 1 ]
}
claim_waits() {
	[ "$(psql -tA "$CONN" -c "SELECT count(*) FROM pg_stat_activity \
	    WHERE wait_event_type = 'Lock' AND query LIKE '%lease_owner%'")" \
	    -ge 1 ]
}
check "another session locks the feeds table" wait_for 5 table_locked
nodectl H1 poll "$1" >/dev/null 2>&1 || fail "feedctl poll on node 1"
check "node 1's claim waits for the lock" wait_for 5 claim_waits
nodectl H1 status >"$T/status-locked" 2>&1
check "node 1 answers status while its claim waits" kill -0 "$LOCKER"
check "and the answer is its status" grep -q '^nodes:' "$T/status-locked"
wait "$LOCKER"
check "the poll is made once the lock goes" wait_for 20 slow_polled 14
kill -TERM "$PID_H1" "$PID_H2"
wait "$PID_H1" "$PID_H2" 2>/dev/null
BG_PIDS=

# A poll asked for while the node's own timer-fired claim of that feed is
# under way.  The feed is due when node H1 starts, so its timer claims it,
# and that claim waits for a lock another session holds; that session
# also moves the feed's next poll an hour on, as another node's poll
# would, so the timer's claim loses (not due) once the lock goes.  The
# poll asked for meanwhile must still be made: a claim of its own, not
# the timer's answer, "polled by another node".
psql -q "$CONN" -c "UPDATE feeds SET next_poll = extract(epoch FROM now()) \
    - 10 WHERE id = $1" || fail "making feed $1 due"
polls_of() { grep -cF "/slow/1500/h1.rss" "$T/requests.log"; }
before=$(polls_of)
psql -q "$CONN" -c "BEGIN; UPDATE feeds SET next_poll = \
    extract(epoch FROM now()) + 3600 WHERE id = $1; \
    LOCK TABLE feeds IN EXCLUSIVE MODE; SELECT pg_sleep(6); COMMIT" \
    >/dev/null 2>&1 &
LOCKER=$!
check "another session locks the feeds table again" wait_for 5 table_locked
node_start H1
BG_PIDS="$PID_H1"
check "node H1's timer claims the due feed, and waits" wait_for 5 claim_waits
nodectl H1 poll --wait "$1" >"$T/poll-race" 2>&1
rc=$?
check "the poll asked for meanwhile: exit 0 (got: $(cat "$T/poll-race"))" \
    [ "$rc" -eq 0 ]
check "it was made after the lock went" \
    sh -c '! kill -0 "$1" 2>/dev/null' sh "$LOCKER"
check "the host got that poll" [ "$(polls_of)" -gt "$before" ]
wait "$LOCKER"
kill -TERM "$PID_H1"
wait "$PID_H1" 2>/dev/null
BG_PIDS=

# A fetch that is over frees its host's slot, though its feed stays
# leased until its poll is stored: with max_per_host = 1, a node whose
# first poll's commit waits (another session holds the row every commit
# locks first) still fetches the host's second feed meanwhile, and
# stores both once the lock goes.
mkfeed s1 1
mkfeed s2 1
{
	printf '[daemon]\ndatabase = %s\n' "$CONN"
	printf 'socket = %s/nodeS.sock\n' "$T"
	printf 'min_interval = 1h\ndefault_interval = 1h\n'
	printf 'max_parallel = 8\nmax_per_host = 1\n'
	printf 'timeout = 10s\nallow_hosts = 127.0.0.1\n'
	printf '[feed "%s/slow/300/s1.rss"]\n' "$BASE"
	printf '[feed "%s/slow/300/s2.rss"]\n' "$BASE"
} >"$T/nodeS.conf"
node_start S
BG_PIDS="$PID_S"
s_polled() {
	[ "$(cut -f3 "$T/requests.log" | grep -c '^/slow/300/s')" -ge "$1" ]
}
s_stored() {
	[ "$(psql -tA "$CONN" -c "SELECT count(*) FROM feeds WHERE \
	    url LIKE '%/slow/300/s%' AND last_poll IS NOT NULL AND \
	    lease_owner IS NULL")" -eq 2 ]
}
check "node S polls and stores its two feeds" wait_for 30 s_stored
psql -q "$CONN" -c "BEGIN; SELECT value FROM feedd_meta WHERE \
    name = 'max_id' FOR UPDATE; SELECT pg_sleep(8); COMMIT" \
    >/dev/null 2>&1 &
LOCKER=$!
row_locked() {
	[ "$(psql -tA "$CONN" -c "SELECT count(*) FROM pg_stat_activity \
	    WHERE query LIKE '%max_id%pg_sleep%' AND state = 'active'")" \
	    -ge 1 ]
}
check "another session holds the row commits lock" wait_for 5 row_locked
ids=$(psql -tA "$CONN" -c "SELECT id FROM feeds WHERE \
    url LIKE '%/slow/300/s%' ORDER BY id" | tr '\n' ' ')
nodectl S poll $ids >/dev/null 2>&1 || fail "feedctl poll on node S"
check "both feeds are fetched while the first commit waits" \
    wait_for 6 s_polled 4
check "the lock was still held then" kill -0 "$LOCKER"
wait "$LOCKER"
check "and both polls are stored once it goes" wait_for 20 s_stored
kill -TERM "$PID_S"
wait "$PID_S" 2>/dev/null
BG_PIDS=

# A feed added at run time on node R1 is every node's: node R2 arms it
# (R1 announces it at commit), and polls it once R1 is killed.  Paused on
# R2, it is never leased by node R3, whose timer still fires for it; so
# when R2 resumes it, R2 polls it at once, not after R3's lease ran out.
mkfeed r 1
for node in R1 R2 R3; do
	{
		printf '[daemon]\ndatabase = %s\n' "$CONN"
		printf 'socket = %s/node%s.sock\n' "$T" "$node"
		printf 'min_interval = 2s\ndefault_interval = 1h\n'
		printf 'timeout = 5s\nallow_hosts = 127.0.0.1\n'
	} >"$T/node$node.conf"
done
node_start R1
node_start R2
BG_PIDS="$PID_R1 $PID_R2"
answers() { nodectl "$1" status >/dev/null 2>&1; }
check "node R2 answers" wait_for 20 answers R2
rid=$(nodectl R1 add --interval 3s "$BASE/feed/r.rss" 2>/dev/null)
check "node R1 adds a feed (id $rid)" [ -n "$rid" ]
check "node R2 arms the feed R1 added" wait_for 10 \
    grep -q "1 feed added or changed by other nodes armed" "$T/nodeR2.log"
r_polls() { cut -f3 "$T/requests.log" | grep -c '^/feed/r.rss$'; }
check "node R1 polls it" wait_for 10 sh -c '[ "$(cut -f3 "$1" |
    grep -c "^/feed/r.rss$")" -ge 2 ]' sh "$T/requests.log"
kill -KILL "$PID_R1"
wait "$PID_R1" 2>/dev/null
BG_PIDS="$PID_R2"
before=$(r_polls)
r_polled_since() { [ "$(r_polls)" -gt "$1" ]; }
check "node R2 polls it once R1 is killed" wait_for 15 r_polled_since "$before"
node_start R3
BG_PIDS="$PID_R2 $PID_R3"
check "node R3 answers" wait_for 20 answers R3
nodectl R2 edit "$rid" --pause >/dev/null 2>&1 || fail "pausing on R2"
# R3's timer fires for the paused feed a few times meanwhile.
sleep 8
check "no node holds the paused feed" [ "$(psql -tA "$CONN" -c \
    "SELECT count(*) FROM feeds WHERE id = $rid AND \
    lease_owner IS NOT NULL")" -eq 0 ]
before=$(r_polls)
nodectl R2 edit "$rid" --resume >/dev/null 2>&1 || fail "resuming on R2"
check "resumed on R2, the feed is polled at once" \
    wait_for 5 r_polled_since "$before"

# The server restarts: each node's first command after it is answered,
# not failed on the connection the server closed.  The feed's interval
# is an hour now, so nothing else uses the nodes' connections meanwhile.
nodectl R2 edit "$rid" --interval 1h >/dev/null 2>&1 || fail "edit on R2"
sleep 1
sh "$PG" stop "$T/pg"
sleep 1
sh "$PG" resume "$T/pg" || fail "PostgreSQL did not start again"
nodectl R3 poll --wait "$rid" >"$T/poll-r3" 2>&1
rc=$?
check "R3's poll of the feed after the restart: exit 0 (got: $(cat \
    "$T/poll-r3"))" [ "$rc" -eq 0 ]
nodectl R2 poll --wait >"$T/poll-r2" 2>&1
rc=$?
check "R2's poll of every feed after the restart: exit 0" [ "$rc" -eq 0 ]
check "and it polled them (got: $(cat "$T/poll-r2"))" \
    grep -q "polled [1-9][0-9]*/" "$T/poll-r2"

# A watcher's cursor never passes another node's item it has not heard
# of: while every node's listener is cut off, R2 stores an item of feed
# x, then R3 one of feed y; R3's watcher prints both.
mkfeed x 1
mkfeed y 1
xid=$(nodectl R2 add --interval 1h "$BASE/feed/x.rss" 2>/dev/null)
yid=$(nodectl R2 add --interval 1h "$BASE/feed/y.rss" 2>/dev/null)
"$FEEDD_BUILD/feedctl" -c "$T/nodeR3.conf" --json watch >"$T/watch-r3" \
    2>&1 &
WR3=$!
BG_PIDS="$PID_R2 $PID_R3 $WR3"
sleep 1
(
	end=$(( $(date +%s) + 6 ))
	while [ "$(date +%s)" -lt "$end" ]; do
		psql -q "$CONN" -c "SELECT pg_terminate_backend(pid) FROM \
		    pg_stat_activity WHERE query = 'LISTEN feedd_items'" \
		    >/dev/null 2>&1
		sleep 0.2
	done
) &
CUTTER=$!
sleep 1
mkfeed x 2
mkfeed y 2
nodectl R2 poll --wait "$xid" >/dev/null 2>&1 || fail "poll of x on R2"
nodectl R3 poll --wait "$yid" >/dev/null 2>&1 || fail "poll of y on R3"
wait "$CUTTER"
both_watched() { grep -q '"x-2"' "$T/watch-r3" && grep -q '"y-2"' "$T/watch-r3"; }
check "R3's watcher prints R2's item and its own" wait_for 30 both_watched
check "in id order" sh -c 'sed -n "s/.*\"id\":\([0-9]*\),.*/\1/p" "$1" |
    sort -nc' sh "$T/watch-r3"
kill "$WR3" 2>/dev/null
kill -TERM "$PID_R2" "$PID_R3"
wait "$PID_R2" "$PID_R3" "$WR3" 2>/dev/null
BG_PIDS=
finish
