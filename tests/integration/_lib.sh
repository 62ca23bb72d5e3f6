# lib.sh: shared helpers for the integration tests (sourced, not run).
# Each test gets a temporary folder, a loopback HTTP server (tests/tools
# httpd) serving fixture feeds, and the real feedd, all stopped by PID
# when the test ends.  Needs FEEDD_BUILD (set by tests/run.sh).

set -u
: "${FEEDD_BUILD:?run through tests/run.sh}"
: "${FEEDD_FIXTURES:=$(cd "$(dirname "$0")/../fixtures" && pwd)}"

T=$(mktemp -d /tmp/feedd-it-XXXXXX)
HTTPD_PID=
FEEDD_PID=
BG_PIDS=		# other background clients a test started
FAILS=0

cleanup() {
	# shellcheck disable=SC2086
	[ -n "$BG_PIDS" ] && kill $BG_PIDS 2>/dev/null
	[ -n "$FEEDD_PID" ] && kill -9 "$FEEDD_PID" 2>/dev/null
	[ -n "$HTTPD_PID" ] && kill "$HTTPD_PID" 2>/dev/null
	wait 2>/dev/null
	[ -n "${KEEP_T:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}

ok() {
	echo "ok: $*"
}

# check DESCRIPTION COMMAND...: runs COMMAND, fails the test if it fails.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else fail "$desc"; fi
}

# wait_for SECONDS COMMAND...: retries COMMAND every 0.1 s until it
# succeeds; fails when SECONDS pass.
wait_for() {
	limit=$(( $1 * 10 ))
	shift
	i=0
	while [ "$i" -lt "$limit" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# httpd_start: serves $T/www on 127.0.0.1; sets PORT and BASE.
httpd_start() {
	mkdir -p "$T/www"
	"$FEEDD_BUILD/tests/httpd" --root "$T/www" --port-file "$T/port" \
	    --log "$T/requests.log" --header-log "$T/headers.log" &
	HTTPD_PID=$!
	wait_for 10 test -s "$T/port" || { echo "httpd did not start"; exit 1; }
	PORT=$(cat "$T/port")
	BASE="http://127.0.0.1:$PORT"
}

# feedd_config: writes $T/feedd.conf from a [daemon] base plus stdin.
feedd_config() {
	{
		printf '[daemon]\n'
		printf 'database = %s/feedd.db\n' "$T"
		printf 'socket = %s/feedd.sock\n' "$T"
		printf 'min_interval = 1s\n'
		printf 'default_interval = 1h\n'
		printf 'timeout = 5s\n'
		cat
	} >"$T/feedd.conf"
}

# feedd_start [ARGS]: starts feedd on $T/feedd.conf, waits for READY=1
# (READY_TIMEOUT seconds, 20 unless set).
feedd_start() {
	rm -f "$T/notify.sock"
	"$FEEDD_BUILD/tests/notifywait" "$T/notify.sock" "${READY_TIMEOUT:-20}" \
	    "$T/notify.log" >/dev/null &
	nw=$!
	sleep 0.1
	NOTIFY_SOCKET="$T/notify.sock" "$FEEDD_BUILD/feedd" -c "$T/feedd.conf" \
	    -vv "$@" 2>>"$T/feedd.log" &
	FEEDD_PID=$!
	if ! wait "$nw"; then
		echo "feedd did not report READY=1; its log:"
		tail -n 30 "$T/feedd.log"
		exit 1
	fi
}

# feedd_stop: SIGTERM, then waits (at most 5 s, as feedd(8) promises) for the exit.
feedd_stop() {
	[ -n "$FEEDD_PID" ] || return 0
	kill -TERM "$FEEDD_PID"
	i=0
	while kill -0 "$FEEDD_PID" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
		if [ "$i" -gt 50 ]; then
			fail "feedd did not stop within 5 s of SIGTERM"
			kill -9 "$FEEDD_PID"
			break
		fi
	done
	wait "$FEEDD_PID" 2>/dev/null
	FEEDD_RC=$?
	FEEDD_PID=
}

# mail_sink: $T/sendmail, a sendmail that keeps each message it is given
# as $T/mail/PID.eml (one file per process: deliveries may run at once).
mail_sink() {
	mkdir -p "$T/mail"
	cat >"$T/sendmail" <<'SH'
#!/bin/sh
d=$(dirname "$0")/mail
cat >"$d/$$.eml.tmp" && mv "$d/$$.eml.tmp" "$d/$$.eml"
SH
	chmod +x "$T/sendmail"
}

# id_of KEY: the id of the stored item whose key is KEY.
id_of() {
	"$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" --json items | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["key"] == sys.argv[1]: print(r["id"])' "$1"
}

dump() {
	"$FEEDD_BUILD/tests/storedump" "$T/feedd.db" "$@"
}

# feed_json URL: the feed's line of the dump.
feed_json() {
	dump feeds | grep -F "\"url\":\"$1\"" | head -n 1
}

# field JSON NAME: a string or scalar member of a one-line JSON object.
field() {
	v=$(printf '%s\n' "$1" | sed -n "s/.*\"$2\":\"\([^\"]*\)\".*/\1/p")
	[ -n "$v" ] || v=$(printf '%s\n' "$1" |
	    sed -n "s/.*\"$2\":\([-0-9a-z.]*\).*/\1/p")
	printf '%s\n' "$v"
}

# feed_field URL NAME
feed_field() {
	field "$(feed_json "$1")" "$2"
}

# mkfeed NAME N [WORD]: $T/www/NAME.rss, an RSS feed with items 1..N
# (guid, title and link each; with WORD, a description "<p>the NAME WORD
# i</p>" too), written whole (renamed into place) so a poll never reads
# half of it.
mkfeed() {
	{
		printf '<?xml version="1.0"?>\n<rss version="2.0"><channel>'
		printf '<title>Feed %s</title><link>http://example.org/</link>\n' "$1"
		# Newest first, as feeds list them: item 1 is stored first.
		i=$2
		while [ "$i" -ge 1 ]; do
			printf '<item><guid>%s-%d</guid><title>%s item %d</title>' \
			    "$1" "$i" "$1" "$i"
			[ -n "${3:-}" ] &&
			    printf '<description>&lt;p&gt;the %s %s %d&lt;/p&gt;</description>' \
			    "$1" "$3" "$i"
			printf '<link>http://example.org/%s/%d</link></item>\n' \
			    "$1" "$i"
			i=$((i - 1))
		done
		printf '</channel></rss>\n'
	} >"$T/www/$1.tmp"
	mv "$T/www/$1.tmp" "$T/www/$1.rss"
}

# count_requests PATTERN: requests whose URI matches PATTERN (grep -E).
count_requests() {
	cut -f3 "$T/requests.log" 2>/dev/null | grep -cE "$1" || true
}

# req ID METHOD PARAMS: a request line for the socket (tests/tools/sockcat).
req() {
	printf '{"jsonrpc":"2.0","id":%s,"method":"%s","params":%s}\n' \
	    "$1" "$2" "$3"
}

# answer ID FILE: the answer to request ID in what sockcat printed.
answer() { grep "^{\"jsonrpc\":\"2.0\",\"id\":$1," "$2"; }

# order FILE: the ids of the answers, in the order they came.
order() {
	sed -n 's/^{"jsonrpc":"2.0","id":\([0-9]*\),.*/\1/p' "$1" | tr '\n' ' '
}

finish() {
	if [ "$FAILS" -ne 0 ]; then
		echo "--- feedd log (tail)"
		tail -n 40 "$T/feedd.log" 2>/dev/null
		exit 1
	fi
	exit 0
}
