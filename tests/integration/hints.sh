#!/bin/sh
# hints.sh: what a feed says of its own schedule (here RSS <ttl>) is kept
# with the feed in the database: after feedd restarts on the same
# database, and after edit --pause and --resume, the server answers 304
# (no document to read the ttl from) and the next poll is still the ttl
# away, for the ttl's reason, not the item rate's.  On sqlite, then on
# PostgreSQL (tests/tools/pg.sh, stopped at the end).
. "$(dirname "$0")/_lib.sh"
: "${FEEDD_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
PG="$FEEDD_TOP/tests/tools/pg.sh"

TTL_MIN=180	# above default_interval (1h), so the ttl decides
TTL=$((TTL_MIN * 60))

httpd_start
sed "s|<ttl>60</ttl>|<ttl>$TTL_MIN</ttl>|" "$FEEDD_FIXTURES/rss20-basic.xml" \
    >"$T/www/ttl.xml"
grep -q "<ttl>$TTL_MIN</ttl>" "$T/www/ttl.xml" ||
    { echo "no ttl in the fixture"; exit 1; }
# A skipped hour and day far from the next poll (the ttl away), so the
# ttl still decides it and explain has lists to show.
SKIP_HOUR=$((($(date -u +%-H) + 12) % 24))
SKIP_DAY=$(LC_ALL=C date -u -d '+3 days' +%A)
sed -i "s|</channel>|<skipHours><hour>$SKIP_HOUR</hour></skipHours><skipDays><day>$SKIP_DAY</day></skipDays></channel>|" \
    "$T/www/ttl.xml"
grep -q "<skipDays>" "$T/www/ttl.xml" ||
    { echo "no </channel> in the fixture"; exit 1; }
HINTS_LINE="hints:       ttl $((TTL_MIN / 60))h, update period -, skip hours $SKIP_HOUR (UTC), skip days $(echo "$SKIP_DAY" | cut -c1-3)"
cp "$T/www/ttl.xml" "$T/www/ttl-pg.xml"

ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
# feed_line: the feed's object in "feedctl --json feeds", on one line.
feed_line() {
	ctl --json feeds | tr -d '\n' | sed 's/},{/}\n{/g' | grep "\"id\":$id,"
}
reason() { field "$(feed_line)" next_poll_reason; }
# next_in: seconds from now to the feed's next poll.
next_in() {
	t=$(field "$(feed_line)" next_poll)
	echo $(( $(date -d "$t" +%s) - $(date +%s) ))
}
# last_status: the HTTP status of the server's latest answer.
last_status() { tail -n 1 "$T/requests.log" | awk -F '\t' '{ print $NF }'; }
# ttl_kept WHEN: the next poll is at least the ttl away (the jitter only
# adds to a hint; 5 s for the time since it was planned) and says why.
ttl_kept() {
	r=$(reason)
	if [ "$r" = "the feed's ttl" ]; then
		ok "$1: next_poll_reason is the feed's ttl"
	else
		fail "$1: next_poll_reason: \"$r\", not the feed's ttl"
	fi
	n=$(next_in)
	if [ "$n" -ge $((TTL - 5)) ]; then
		ok "$1: next poll in ${n}s, at least the ttl"
	else
		fail "$1: next poll in ${n}s, sooner than the ttl ($TTL s)"
	fi
}
is_ttl() { [ "$(reason)" = "the feed's ttl" ]; }

# scenario DB NAME: the feed /feed/NAME on the running feedd (database
# DB, for the messages), through a restart and a pause.
scenario() {
	db=$1
	name=$2
	id=$(ctl add "$BASE/feed/$name" 2>/dev/null)
	check "$db: add" [ -n "$id" ]
	check "$db: first poll: scheduled by the ttl" wait_for 10 is_ttl
	ttl_kept "$db: first poll"
	check "$db: first poll: a 200" [ "$(last_status)" = 200 ]

	# A restart on the same database, then a poll answered 304.
	feedd_stop
	check "$db: feedd stopped cleanly" [ "$FEEDD_RC" -eq 0 ]
	feedd_start
	ctl poll --force --wait "$id" >/dev/null 2>&1
	check "$db: after a restart: the poll is a 304" \
	    [ "$(last_status)" = 304 ]
	ttl_kept "$db: after a restart and a 304"
	explained() {
		ctl --json explain "$id" | grep -q "\"hints\":{\"ttl\":$TTL,"
	}
	check "$db: explain gives the stored ttl" explained
	explained_plain() { ctl explain "$id" | grep -qxF "$HINTS_LINE"; }
	check "$db: explain shows the stored hints in words" explained_plain

	# Paused and resumed: resuming polls at once, answered 304.
	ctl edit "$id" --pause >/dev/null
	ctl edit "$id" --resume >/dev/null
	resume_polled() {
		[ "$(count_requests "^/feed/$name")" -eq 3 ] &&
		    [ "$(field "$(feed_line)" next_poll)" != null ]
	}
	check "$db: after --pause and --resume: polled again" \
	    wait_for 10 resume_polled
	check "$db: after --pause and --resume: the poll is a 304" \
	    [ "$(last_status)" = 304 ]
	ttl_kept "$db: after --pause, --resume and a 304"
	feedd_stop
}

feedd_config <<EOF2
allow_hosts = 127.0.0.1
EOF2
feedd_start
scenario sqlite ttl.xml

trap 'sh "$PG" stop "$T/pg"; cleanup' EXIT
# The server runs as an unprivileged user: it has to reach its folder.
chmod 711 "$T"
CONN=$(sh "$PG" start "$T/pg") || { echo "PostgreSQL did not start"; exit 1; }
# (sed's replacement takes & as the match: escaped.)
sed -i "s|^database = .*|database = $(printf '%s' "$CONN" |
    sed 's/[&|\\]/\\&/g')|" "$T/feedd.conf"
feedd_start
scenario postgresql ttl-pg.xml

finish
