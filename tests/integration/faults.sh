#!/bin/sh
# faults.sh: the fault matrix.  Hostile and broken servers (tests/tools
# badhttpd: slowloris, an endless chunked body, a lying Content-Length,
# gzip and deflate bombs, a redirect loop, 1 MB of headers, a status line
# that is not HTTP, a reset mid-body, a huge Retry-After, permanent
# redirects to URLs with a control character or a TAB) are polled every
# second beside two good feeds.  The good feeds keep being polled, memory
# and descriptors stay flat, and each bad feed's error names its cause.
. "$(dirname "$0")/_lib.sh"
# Under ASan freed memory waits in a quarantine, so VmRSS grows with any
# churn: without it, RSS measures what feedd holds, as in a plain build.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=0:thread_local_quarantine_size_kb=0"

httpd_start
cp "$FEEDD_FIXTURES/rss20-basic.xml" "$T/www/a.xml"
cp "$FEEDD_FIXTURES/rss20-basic.xml" "$T/www/b.xml"
rm -f "$T/badport"
"$FEEDD_BUILD/tests/badhttpd" --port-file "$T/badport" &
BG_PIDS="$!"
wait_for 10 test -s "$T/badport" || { echo "badhttpd did not start"; exit 1; }
BAD="http://127.0.0.1:$(cat "$T/badport")"
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

# name:cause (a fixed string of its last_error)
MATRIX="slowloris:timed out
endless:larger than max_feed_size
lying:transfer closed with
gzip-bomb:larger than max_feed_size
deflate-bomb:larger than max_feed_size
loop:redirect loop
big-headers:Too large response headers
bad-status:HTTP/0.9
reset:Connection reset
retry-huge:HTTP 429
moved-ctl:redirect target URL could not be parsed
moved-tab:redirect target URL could not be parsed"

{
	printf 'max_feed_size = 1M\n'
	printf '[feed "%s/feed/a.xml"]\ninterval = 1s\n' "$BASE"
	printf '[feed "%s/feed/b.xml"]\ninterval = 1s\n' "$BASE"
	printf '%s\n' "$MATRIX" | while IFS=: read -r name cause; do
		printf '[feed "%s/%s"]\ninterval = 1s\n' "$BAD" "$name"
	done
} | feedd_config
sed -i 's/^timeout = .*/timeout = 3s/' "$T/feedd.conf"
feedd_start

rss() { sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$FEEDD_PID/status"; }
fds() { ls "/proc/$FEEDD_PID/fd" | wc -l; }
good() { count_requests "^/feed/$1"; }

# Every bad feed has failed at least once, then the measurement starts.
all_failed() {
	printf '%s\n' "$MATRIX" | while IFS=: read -r name cause; do
		[ "$(feed_field "$BAD/$name" status)" = error ] || exit 1
	done
}
check "every bad feed fails" wait_for 30 all_failed
sleep 2
rss1=$(rss)
fds1=$(fds)
a1=$(good a.xml)
b1=$(good b.xml)
sleep 20
rss2=$(rss)
fds2=$(fds)
a2=$(good a.xml)
b2=$(good b.xml)
echo "VmRSS ${rss1} -> ${rss2} KiB, fds ${fds1} -> ${fds2}," \
    "good polls a ${a1} -> ${a2}, b ${b1} -> ${b2}"
check "the good feeds keep being polled (a)" [ $((a2 - a1)) -ge 10 ]
check "the good feeds keep being polled (b)" [ $((b2 - b1)) -ge 10 ]
check "the good feeds stay ok" [ "$(feed_field "$BASE/feed/a.xml" status)" = ok ]
check "memory stays flat (under 8 MiB more in 20 s)" \
    [ $((rss2 - rss1)) -lt 8192 ]
check "descriptors stay flat" [ "$fds2" -le $((fds1 + 8)) ]
printf '%s\n' "$MATRIX" | while IFS=: read -r name cause; do
	err=$(feed_field "$BAD/$name" last_error)
	echo "$name: $err"
done
printf '%s\n' "$MATRIX" >"$T/matrix"
while IFS=: read -r name cause; do
	says() { feed_field "$BAD/$1" last_error | grep -qiF "$2"; }
	check "$name: the error names the cause ($cause)" says "$name" "$cause"
done <"$T/matrix"
# A transfer that broke off got no answer, whatever its headers said: its
# last status is none ("failed" in the feeds table), not their 200.
for name in slowloris endless lying gzip-bomb deflate-bomb reset; do
	check "$name: no HTTP status recorded" \
	    [ "$(feed_field "$BAD/$name" last_status)" = null ]
done
check "retry-huge: its 429 is recorded" \
    [ "$(feed_field "$BAD/retry-huge" last_status)" = 429 ]
failed_rows() {
	[ "$(ctl feeds | grep -Ec '^ *[0-9]+  error +[0-9]+ +[0-9]+  failed ')" \
	    -ge 6 ]
}
check "feeds: the broken transfers read failed" failed_rows
# 10^20 s of Retry-After is held to 30 days, neither an overflow nor never.
next=$(feed_field "$BAD/retry-huge" next_poll)
in=$(( $(date -d "$next" +%s) - $(date +%s) ))
held() { [ "$in" -gt $((29 * 86400)) ] && [ "$in" -le $((30 * 86400 + 60)) ]; }
check "retry-huge: the next poll in at most 30 days ($in s)" held
check "still answering" ctl status
feedd_stop
check "stopped cleanly" [ "$FEEDD_RC" -eq 0 ]
finish
