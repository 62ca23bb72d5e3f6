#!/bin/sh
# edit-interval.sh: an interval lowered with feedctl edit applies at
# once: the poll planned from the old interval is planned again from the
# new one (from the feed's last poll), explain and feeds say so, and the
# feed is polled on it without a "poll"; a raised one keeps the plan.
. "$(dirname "$0")/_lib.sh"

httpd_start
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$T/www/a.rss"
printf 'allow_hosts = 127.0.0.1\n' | feedd_config
feedd_start

ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
polls() { count_requests '^/feed/a.rss$'; }
# next_in ID: seconds from now to the feed's next poll, as explain says.
next_in() {
	ctl --json explain "$1" | python3 -c '
import datetime, json, sys, time
t = json.load(sys.stdin)["next_poll"].replace("Z", "+00:00")
print(int(datetime.datetime.fromisoformat(t).timestamp() - time.time()))'
}
reason() { ctl --json explain "$1" | python3 -c '
import json, sys; print(json.load(sys.stdin)["next_poll_reason"])'; }

id=$(ctl add --interval 1h "$BASE/feed/a.rss" 2>/dev/null)
check "a feed polled once, every hour" [ -n "$id" ]
check "a feed polled once, every hour" [ "$(polls)" = 1 ]
in=$(next_in "$id")
check "its next poll in about an hour ($in s)" [ "$in" -gt 3000 ]

ctl edit "$id" --interval 30s >/dev/null
in=$(next_in "$id")
check "edit --interval 30s: explain plans the next poll within 33 s ($in s)" \
    [ "$in" -le 33 ]
check "edit --interval 30s: explain names the feed's interval" \
    [ "$(reason "$id")" = "the feed's interval" ]
listed() { ctl --json feeds | grep "\"id\":$id," |
    grep -q '"next_poll_reason":"the feed'"'"'s interval"'; }
check "edit --interval 30s: feeds agrees" listed

# Raised: the plan stands (one poll sooner than the new interval says).
ctl edit "$id" --interval 2h >/dev/null
in=$(next_in "$id")
check "edit --interval 2h: the next poll stays within 33 s ($in s)" \
    [ "$in" -le 33 ]

ctl edit "$id" --interval 2s >/dev/null
polled_again() { [ "$(polls)" -ge 2 ]; }
check "edit --interval 2s: polled again within 5 s, no poll asked" \
    wait_for 5 polled_again
polled_thrice() { [ "$(polls)" -ge 3 ]; }
check "edit --interval 2s: and on the new interval after that" \
    wait_for 5 polled_thrice
check "edit --interval 2s: explain names the feed's interval" \
    [ "$(reason "$id")" = "the feed's interval" ]
check "no poll was asked for" eval "! grep -q 'feeds.poll' \"$T/feedd.log\""

finish
