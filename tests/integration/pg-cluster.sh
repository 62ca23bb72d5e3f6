#!/bin/sh
# pg-cluster.sh: three feedd nodes on one PostgreSQL (tests/tools/pg.sh,
# a Unix socket in the test's folder), 1,000 feeds on the loopback
# server, every node with the same config and an exec notifier whose
# receiver appends each delivered item's guid to one file.
#  1. Several poll rounds: each feed's requests are an interval apart
#     (no two nodes poll one due time), every feed is polled, each item
#     is stored once and delivered once.
#  2. A node is killed (-9) 20 times at random moments and restarted,
#     while feeds get new items: every item is stored exactly once and
#     delivered at least once, and every feed is polled again within a
#     few intervals of the last kill, those the dead nodes held too
#     (their leases die with their connections, not minutes later).
#     All the feeds are on one host, so max_per_host (4) bounds the
#     three nodes together, and the dead nodes' leases must not keep
#     the host's slots either.
#  3. PostgreSQL stops for 10 s while the nodes poll: they keep
#     answering feedctl, reconnect by themselves, and store what came
#     meanwhile once, losing nothing stored before.
. "$(dirname "$0")/_lib.sh"
: "${FEEDD_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
PG="$FEEDD_TOP/tests/tools/pg.sh"
NFEEDS=1000
IV=6		# default_interval: seconds between a feed's polls

trap 'sh "$PG" stop "$T/pg"; cleanup' EXIT
# The server runs as an unprivileged user: it has to reach its folder.
chmod 711 "$T"
CONN=$(sh "$PG" start "$T/pg") || { echo "PostgreSQL did not start"; exit 1; }
sql() { psql -qtAX "$CONN" -c "$1"; }
httpd_start

# feeds < "K N" lines: feed fK gets items fK-1 .. fK-N (written whole,
# then renamed, so the server never serves half a file); $T/counts
# keeps each feed's N.
feeds() {
	awk -v d="$T/www" '{
		f = d "/f" $1 ".rss.tmp"
		printf "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>" \
		    "<title>f%d</title><link>http://example.org/</link>\n", \
		    $1 >f
		for (i = 1; i <= $2; i++)
			printf "<item><guid>f%d-%d</guid><title>f%d item %d" \
			    "</title></item>\n", $1, i, $1, i >f
		print "</channel></rss>" >f
		close(f)
		print f
	}' | while read -r f; do mv "$f" "${f%.tmp}"; done
}
# more N: N feeds picked at random get one more item each.
more() {
	awk -v n="$1" -v seed="$(od -An -N4 -tu4 /dev/urandom)" '
	BEGIN { srand(seed) }
	{ c[NR] = $2 }
	END {
		for (j = 0; j < n; j++) {
			k = int(rand() * NR) + 1
			c[k]++
			picked[k] = 1
		}
		for (k = 1; k <= NR; k++) {
			print k, c[k] >"/dev/stderr"
			if (k in picked)
				print k, c[k]
		}
	}' "$T/counts" 2>"$T/counts.new" | feeds
	mv "$T/counts.new" "$T/counts"
}
# rsleep MAX: sleeps a random time between 0 and MAX seconds.
rsleep() {
	sleep "$(awk -v m="$1" -v seed="$(od -An -N4 -tu4 /dev/urandom)" \
	    'BEGIN { srand(seed); printf "%.2f\n", rand() * m }')"
}
# expected: the guid of every item the feeds hold, sorted.
expected() {
	awk '{ for (i = 1; i <= $2; i++) print "f" $1 "-" i }' "$T/counts" |
	    sort
}
# missing: what is not stored, and what the nodes said of those feeds.
missing() {
	expected | comm -23 - "$T/stored" | head -n 5 >"$T/missing"
	sed 's/^/missing: /' "$T/missing"
	for f in $(sed 's/-.*//' "$T/missing"); do
		grep -h "/feed/$f.rss" "$T"/node*.log | tail -n 5
		grep -P "/feed/$f.rss\t" "$T/requests.log" | tail -n 3
	done
}
stored() { sql "SELECT guid FROM items" | sort; }
all_stored() {
	stored >"$T/stored"
	[ "$(cksum <"$T/stored")" = "$(expected | cksum)" ]
}
# diag: why feeds were not polled: the leases, the nodes, the requests
# per second (the last three digits of the time: count).
diag() {
	echo "now $(date +%s); leases (owner|feeds|until|next poll):"
	sql "SELECT lease_owner, count(*), max(lease_until), max(next_poll)
	    FROM feeds GROUP BY 1"
	echo "nodes (owner|pid|heartbeat); live: $(cat "$T"/pid? | tr '\n' ' ')"
	sql "SELECT owner, pid, heartbeat FROM nodes"
	cut -f1 "$T/requests.log" | cut -d. -f1 | uniq -c |
	    awk '{ printf "%s:%s ", $2 % 1000, $1 } END { print "" }'
	return 1
}
# stored_within SECONDS: all_stored, else says what is missing.
stored_within() {
	wait_for "$1" all_stored || { missing; diag; }
}
# all_delivered: every guid expected reached the receiver.
all_delivered() {
	[ -z "$(sort -u "$T/delivered" | comm -13 - "$T/expected")" ]
}
no_dups() {
	[ -z "$(sql "SELECT feed_id, key, count(*) FROM items
	    GROUP BY feed_id, key HAVING count(*) > 1")" ] &&
	[ -z "$(sql "SELECT guid, count(*) FROM items
	    GROUP BY guid HAVING count(*) > 1")" ]
}

k=1
while [ "$k" -le "$NFEEDS" ]; do
	echo "$k 1"
	k=$((k + 1))
done >"$T/counts"
feeds <"$T/counts"
: >"$T/delivered"
cat >"$T/rec.sh" <<'SH'
#!/bin/sh
printf '%s\n' "$FEEDD_GUID" >>"$(dirname "$0")/delivered"
SH
chmod +x "$T/rec.sh"
for node in 1 2 3; do
	{
		printf '[daemon]\ndatabase = %s\n' "$CONN"
		printf 'socket = %s/node%s.sock\n' "$T" "$node"
		# Every poll an interval after the last: not sooner for a feed
		# whose items come fast, not later for one whose are slow.
		printf 'min_interval = %ss\ndefault_interval = %ss\n' "$IV" "$IV"
		printf 'max_interval = %ss\n' "$IV"
		printf 'timeout = 10s\nallow_hosts = 127.0.0.1\n'
		printf '[notify "rec"]\ntype = exec\ncommand = "%s/rec.sh"\n' "$T"
		printf 'notify_first_poll = yes\n'
		awk -v b="$BASE" '{ printf "[feed \"%s/feed/f%d.rss\"]\n", b, $1 }' \
		    "$T/counts"
	} >"$T/node$node.conf"
done
# node_start N: starts node N (its PID in $T/pidN), keeps BG_PIDS.
node_start() {
	"$FEEDD_BUILD/feedd" -c "$T/node$1.conf" -v 2>>"$T/node$1.log" &
	echo $! >"$T/pid$1"
	BG_PIDS="$(cat "$T/pid1" "$T/pid2" "$T/pid3" 2>/dev/null | tr '\n' ' ')"
}
nodectl() { n=$1; shift; "$FEEDD_BUILD/feedctl" -c "$T/node$n.conf" "$@"; }
# polled_since T: the feeds with a request after time T.
polled_since() {
	grep -F "/feed/f" "$T/requests.log" |
	    awk -F '\t' -v t="$1" '$1 > t { print $3 }' | sort -u
}
everyone_polled_since() {
	[ "$(polled_since "$1" | wc -l)" -eq "$NFEEDS" ]
}
# rounds N: every feed was requested at least N times.
rounds() {
	[ "$(grep -F "/feed/f" "$T/requests.log" | cut -f3 | sort | uniq -c |
	    awk -v n="$1" '$1 >= n' | wc -l)" -eq "$NFEEDS" ]
}

# --- 1. three nodes, several rounds ----------------------------------------
start=$(date +%s)
for node in 1 2 3; do
	node_start "$node"
done
check "the 1,000 first items are stored" wait_for 120 all_stored
expected >"$T/expected"
check "the receiver got every first item" wait_for 60 all_delivered
check "three rounds: every feed polled three times" wait_for 120 rounds 3
echo "part 1: $(($(date +%s) - start)) s"
check "no duplicate items (feed and key, or guid)" no_dups
check "the database holds the 1,000 items, no more" \
    [ "$(sql "SELECT count(*) FROM items")" -eq "$NFEEDS" ]
check "each item was delivered exactly once" \
    [ "$(sort "$T/delivered" | cksum)" = "$(cksum <"$T/expected")" ]
check "every node reads the same 1,000 items" \
    sh -c "for n in 1 2 3; do [ \"\$(\"$FEEDD_BUILD/feedctl\" \
    -c \"$T/node\$n.conf\" --json items --limit 2000 | wc -l)\" -eq \
    $NFEEDS ] || exit 1; done"

# gaps: "FEEDS REQUESTS SHORTEST-GAP" of the requests in requests.log.
gaps() {
	grep -F "/feed/f" "$T/requests.log" | sort -t '	' -k3,3 -k1,1n |
	    awk -F '\t' '$3 == last { g = $1 - t; if (min == "" || g < min) min = g }
	    { if ($3 != last) n++; last = $3; t = $1; c++ }
	    END { printf "%d %d %s\n", n, c, min }'
}
# A feed's next due time is whole seconds, its interval jittered by up
# to 10%: two polls of one due time are well under a second apart, two
# rounds at least the interval less 10% and a second.
MINGAP=$(awk -v iv="$IV" 'BEGIN { print iv * 0.9 - 1 }')
gaps >"$T/gaps"
read -r nf nreq mingap <"$T/gaps"
echo "three nodes: $nf feeds, $nreq requests, shortest gap ${mingap}s"
check "every feed was polled" [ "$nf" -eq "$NFEEDS" ]
check "no feed was polled twice for one due time (gaps >= ${MINGAP}s)" \
    awk "BEGIN { exit !($mingap >= $MINGAP) }"

# --- 2. kill -9, 20 times ----------------------------------------------------
start=$(date +%s)
i=1
while [ "$i" -le "${PGC_KILLS:-20}" ]; do
	more 20
	rsleep 2
	node=$(awk -v seed="$(od -An -N4 -tu4 /dev/urandom)" \
	    'BEGIN { srand(seed); print int(rand() * 3) + 1 }')
	victim=$(cat "$T/pid$node")
	before=$(date +%s.%N)
	kill -9 "$victim"
	wait "$victim" 2>/dev/null
	killed=$(date +%s.%N)
	# The node died between these two moments.
	echo "$before $killed" >>"$T/kills"
	echo "killed node $node (pid $victim) at $killed"
	node_start "$node"
	i=$((i + 1))
done
echo "part 2: $((i - 1)) kills in $(($(date +%s) - start)) s"
check "every feed is polled again after the kills" \
    wait_for $((IV * 10)) everyone_polled_since "$killed"
live=$(cat "$T/pid1" "$T/pid2" "$T/pid3" | paste -sd, -)
echo "feeds still leased by dead nodes: $(sql "SELECT count(*) FROM feeds
    WHERE lease_owner IS NOT NULL AND lease_owner NOT IN (SELECT owner FROM
    nodes WHERE pid IN ($live))")"
# A poll a node made and died before storing is made again at once by
# another node: a gap shorter than a round is right when a node died
# between its two requests (the first before the death, the second
# after it began), and wrong otherwise; those are listed.
unexcused() {
	grep -F "/feed/f" "$T/requests.log" | sort -t '	' -k3,3 -k1,1n |
	    awk -F '\t' -v min="$MINGAP" -v kf="$T/kills" '
	    BEGIN {
		while ((getline k <kf) > 0) {
			split(k, w, " ")
			from[++nk] = w[1]
			to[nk] = w[2]
		}
	    }
	    $3 == last && $1 - t < min {
		ok = 0
		for (i = 1; i <= nk; i++)
			if (t <= to[i] + 0 && $1 >= from[i] + 0)
				ok = 1
		if (ok)
			excused++
		else {
			bad++
			printf "unexcused: %s at %s and %s\n", $3, t, $1 \
			    >"/dev/stderr"
		}
	    }
	    { last = $3; t = $1 }
	    END { printf "%d %d\n", bad, excused }'
}
unexcused >"$T/gaps"
read -r bad excused <"$T/gaps"
echo "through the kills: $excused polls made again after a kill"
check "through the kills, no feed polled twice for one due time but after a kill" \
    [ "$bad" -eq 0 ]
check "every item is stored" stored_within 60
check "nothing is stored twice" no_dups
expected >"$T/expected"
check "the receiver got every item at least once" wait_for 60 all_delivered
echo "deliveries: $(wc -l <"$T/delivered") for $(wc -l <"$T/expected") items"

# --- 3. PostgreSQL away for 10 s -----------------------------------------------
sql "SELECT guid FROM items" | sort >"$T/before"
more 50
# During a poll: the next request after the new items.
n0=$(wc -l <"$T/requests.log")
check "polling goes on" wait_for 30 \
    sh -c "[ \$(wc -l <\"$T/requests.log\") -gt $n0 ]"
sh "$PG" stop "$T/pg"
down=$(date +%s)
more 50
# status answers (with or without the database's part) on every node.
answers() {
	timeout 10 "$FEEDD_BUILD/feedctl" -c "$T/node$1.conf" status \
	    >"$T/status$1" 2>&1
	[ $? -ne 124 ] && ! grep -q "cannot reach feedd" "$T/status$1"
}
for node in 1 2 3; do
	check "node $node answers status without its database" answers "$node"
done
left=$((10 - ($(date +%s) - down)))
[ "$left" -gt 0 ] && sleep "$left"
for node in 1 2 3; do
	check "node $node still runs after 10 s without its database" \
	    kill -0 "$(cat "$T/pid$node")"
done
sh "$PG" resume "$T/pg" || fail "PostgreSQL did not start again"
up=$(date +%s)
reads() { nodectl "$1" --json items --limit 1 | grep -q '"id"'; }
for node in 1 2 3; do
	check "node $node reconnects by itself" wait_for 120 reads "$node"
done
check "what came during the outage is stored" stored_within 120
echo "part 3: stored again $(($(date +%s) - up)) s after the restart"
check "nothing is stored twice after the outage" no_dups
check "nothing stored before the outage is lost" \
    [ -z "$(stored | comm -23 "$T/before" -)" ]
expected >"$T/expected"
check "the receiver got the new items" wait_for 60 all_delivered
check "polling goes on after the outage" \
    wait_for $((IV * 10)) everyone_polled_since "$up"
# The outage failed hundreds of claims a node: the first is logged, and
# that claims work again, not every one.
for node in 1 2 3; do
	check "node $node logged its failed claims once, not each" \
	    [ "$(grep -c '^<4>poll: claiming' "$T/node$node.log")" -le 3 ]
done

# shellcheck disable=SC2086
kill $BG_PIDS 2>/dev/null
# shellcheck disable=SC2086
wait $BG_PIDS 2>/dev/null
BG_PIDS=
if [ "$FAILS" -ne 0 ]; then
	for node in 1 2 3; do
		echo "--- node $node: its warnings, most frequent first"
		grep -v '^<6>' "$T/node$node.log" | sort | uniq -c |
		    sort -rn | head -n 10
	done
	# The server's side of a lost connection: a crash, a FATAL.
	echo "--- PostgreSQL: its warnings and errors, first 40"
	grep -E 'FATAL|PANIC|ERROR|WARNING|terminat|crash|exited' \
	    "$T/pg/server.log" | head -n 40
fi
finish
