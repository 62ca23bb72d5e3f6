#!/bin/sh
# notify-queue.sh: a notifier's queue can be looked at and hurried (trial
# 14, item 9).  A webhook receiver (tests/tools hookd) refuses two items
# with a 404 (parked) and throttles a third with Retry-After: 600
# (waiting); status says when the next attempt is, "notify list" shows
# which items wait and why, and "notify retry" makes the parked and the
# waiting ones due now, saying how many of each.
. "$(dirname "$0")/_lib.sh"

httpd_start
W=$T/www
HOOKD_PID=
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

mkdir -p "$T/hook"
H=$T/hook
"$FEEDD_BUILD/tests/hookd" --dir "$H" --port-file "$H/port" &
HOOKD_PID=$!
BG_PIDS="$BG_PIDS $HOOKD_PID"
wait_for 10 test -s "$H/port" || { echo "hookd did not start"; exit 1; }
HOOK="http://127.0.0.1:$(cat "$H/port")"

# feed LAST: items 1..LAST of the feed "q".
feed() {
	{
		printf '<?xml version="1.0"?>\n<rss version="2.0"><channel>'
		printf '<title>Queue</title><link>https://q.example/</link>'
		# Newest first, as feeds list them.
		i=$1
		while [ "$i" -ge 1 ]; do
			printf '<item><title>q item %d</title><guid>q-%d</guid>' \
			    "$i" "$i"
			printf '<link>https://q.example/%d</link></item>' "$i"
			i=$((i - 1))
		done
		printf '</channel></rss>\n'
	} >"$W/q.xml.tmp"
	mv "$W/q.xml.tmp" "$W/q.xml"
}
# hits STATUS: requests the receiver answered with STATUS.
hits() { grep -c " /hook $1 " "$H/log" 2>/dev/null || true; }

echo 404 >"$H/mode"
feed 2
feedd_config <<EOF
[feed "$BASE/feed/q.xml"]
[notify "hook"]
type = webhook
url = $HOOK/hook
notify_first_poll = yes
retry_initial = 1s
EOF
feedd_start
two_parked() { ctl --json status | grep -q '"name":"hook".*"failed":2'; }
check "404: both items parked" wait_for 10 two_parked
check "status: nothing waits, no next attempt" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' --json status |
    grep -q '\"name\":\"hook\".*\"next_attempt\":null'"

# A third item is throttled for 10 minutes.
echo '429 600' >"$H/mode"
feed 3
ctl poll --wait >/dev/null
throttled() { [ "$(hits 429)" -ge 1 ]; }
check "429: the third item throttled" wait_for 10 throttled
# Once its outcome is recorded (until then it is in flight).
waiting() { ctl --json status | grep -q '"name":"hook".*"pending":1[^}]*'\
'"failed":2,"in_flight":0.*"next_attempt":"'; }
check "429: one waiting, two parked" wait_for 10 waiting
ctl metrics >"$T/metrics"
check "metrics: the notifier's queue by name" \
    grep -qx 'feedd_notifier_pending{notifier="hook"} 1' "$T/metrics"
check "metrics: the notifier's parked ones by name" \
    grep -qx 'feedd_notifier_failed{notifier="hook"} 2' "$T/metrics"

# status: when the waiting one goes (Retry-After + 1 s from the answer).
ctl --json status >"$T/status.json"
NEXT=$(sed -n 's/.*"name":"hook".*"next_attempt":"\([^"]*\)".*/\1/p' \
    "$T/status.json")
check "status --json: next_attempt is an RFC 3339 time" \
    sh -c "printf '%s\n' '$NEXT' |
    grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'"
WHEN=$(date -u -d "$NEXT" +%s 2>/dev/null || echo 0)
NOW=$(date -u +%s)
check "status --json: next_attempt about 10 minutes on ($((WHEN - NOW)) s)" \
    test $((WHEN - NOW)) -ge 590 -a $((WHEN - NOW)) -le 602
ctl status >"$T/status.txt"
cat "$T/status.txt"
check "status: the notifier's line says when" \
    grep -q '^  hook .*1 waiting, 2 failed, 0 delivered; next attempt in 10m' \
    "$T/status.txt"

# notify list: which items, oldest first, and why.
ctl notify list hook >"$T/list.txt"
cat "$T/list.txt"
check "notify list: a header and a line per delivery, errors under them" \
    test "$(wc -l <"$T/list.txt")" -eq 7
check "notify list: the parked ones first (oldest), with their error" \
    sh -c "sed -n 2,3p '$T/list.txt' |
    grep -qE '^ +1 +1  parked +q item 1\$' &&
    sed -n 3p '$T/list.txt' | grep -q 'HTTP 404' &&
    sed -n 4p '$T/list.txt' | grep -qE '^ +2 +1  parked +q item 2\$'"
check "notify list: the waiting one, when it goes and why" \
    sh -c "sed -n 6p '$T/list.txt' | grep -qE '^ +3 +1  in 10m +q item 3\$' &&
    sed -n 7p '$T/list.txt' | grep -q 'HTTP 429'"
ctl notify list hook --parked >"$T/list.txt"
check "notify list --parked: the two parked ones only" \
    sh -c "[ \$(grep -c parked '$T/list.txt') -eq 2 ] &&
    ! grep -q 'q item 3' '$T/list.txt'"
ctl notify list --limit 1 hook >"$T/list.txt"
cat "$T/list.txt"
check "notify list --limit 1: the oldest, and that there are more" \
    sh -c "grep -q 'q item 1\$' '$T/list.txt' &&
    ! grep -q 'q item 2' '$T/list.txt' &&
    grep -qx '(the oldest 1 of 3; --limit shows more)' '$T/list.txt'"
ctl --json notify list hook >"$T/list.json"
cat "$T/list.json"
check "notify list --json: one object a delivery" \
    test "$(grep -c '^{.*}$' "$T/list.json")" -eq 3
check "notify list --json: a parked one" \
    grep -q '^{"item_id":1,"feed_id":1,"title":"q item 1","attempts":1,"parked":true,"in_flight":false,"last_error":"HTTP 404: .*","next_attempt":null}$' \
    "$T/list.json"
check "notify list --json: the waiting one's next attempt is status's" \
    grep -q "\"item_id\":3,.*\"parked\":false,.*\"last_error\":\"HTTP 429: .*\"next_attempt\":\"$NEXT\"" \
    "$T/list.json"
ctl notify list nosuch >/dev/null 2>"$T/err"
check "notify list NAME unknown: exit 1" test $? -eq 1
check "notify list NAME unknown: says so" \
    grep -q 'no notifier "nosuch" in the configuration' "$T/err"
ctl notify list 2>/dev/null
check "notify list without NAME: usage, exit 2" test $? -eq 2
ctl notify list hook --limit 0 2>/dev/null
check "notify list --limit 0: usage, exit 2" test $? -eq 2

# notify retry: the parked and the waiting ones go now.
echo ok >"$H/mode"
ctl notify retry hook >"$T/retry.out"
cat "$T/retry.out"
check "notify retry: says how many of each" \
    grep -qx 'hook: 3 deliveries are due again (2 parked, 1 waiting)' \
    "$T/retry.out"
three() { [ "$(hits 200)" -eq 3 ]; }
check "notify retry: all three delivered now, not in 10 minutes" \
    wait_for 10 three
empty() { ctl --json status |
    grep -q '"name":"hook".*"pending":0[^}]*"failed":0'; }
check "notify retry: the queue is empty" wait_for 5 empty
ctl notify list hook >"$T/list.txt"
check "notify list, nothing queued: says so" \
    grep -qx 'hook: no deliveries queued' "$T/list.txt"
ctl --json notify retry hook >"$T/retry.json"
check "notify retry --json: the counts" \
    grep -qx '{"notifier":"hook","retried":0,"parked":0,"waiting":0}' \
    "$T/retry.json"
ctl notify retry hook >"$T/retry.out"
check "notify retry, nothing queued: says so" \
    grep -qx 'hook: no deliveries were parked or waiting' "$T/retry.out"

# One of each: the singular.
echo 404 >"$H/mode"
feed 4
ctl poll --wait >/dev/null
one_parked() { ctl --json status | grep -q '"name":"hook".*"failed":1'; }
check "404: the fourth item parked" wait_for 10 one_parked
echo '429 600' >"$H/mode"
feed 5
ctl poll --wait >/dev/null
one_waiting() { ctl --json status | grep -q '"name":"hook".*"pending":1[^}]*'\
'"failed":1,"in_flight":0.*"next_attempt":"'; }
check "429: the fifth item waiting" wait_for 10 one_waiting
echo ok >"$H/mode"
ctl notify retry hook >"$T/retry.out"
check "notify retry: the singular" \
    grep -qx 'hook: 2 deliveries are due again (1 parked, 1 waiting)' \
    "$T/retry.out"
five() { [ "$(hits 200)" -eq 5 ]; }
check "notify retry: both delivered" wait_for 10 five

ctl notify retry nosuch 2>"$T/err"
check "notify retry NAME unknown: exit 1" test $? -eq 1
check "notify retry NAME unknown: says so" \
    grep -q 'no notifier "nosuch"' "$T/err"

feedd_stop
check "clean stop" test "$FEEDD_RC" -eq 0
finish
