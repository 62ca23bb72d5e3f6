#!/bin/sh
# poll-held.sh: feedctl poll --wait over feeds of which some are held by
# a server's Retry-After: those are not polled and did not fail, so they
# are counted as held (with when the wait ends), not listed as failures,
# and the exit status is 0 when no poll failed.
. "$(dirname "$0")/_lib.sh"

httpd_start
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$T/www/a.rss"
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$T/www/h.rss"
# No poll of their own while the test runs: only the ones it asks for.
printf 'allow_hosts = 127.0.0.1\n[feed "%s/feed/a.rss"]\ninterval = 1d\n[feed "%s/retry-after/20000/h.rss"]\ninterval = 1d\n' \
    "$BASE" "$BASE" | feedd_config
feedd_start

ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
held_url="$BASE/retry-after/20000/h.rss"
h_held() { r=$(feed_field "$held_url" retry_after); [ -n "$r" ] && [ "$r" != null ]; }
check "a feed held by a 429 with Retry-After" wait_for 10 h_held
a_polled() { [ "$(count_requests '^/feed/a.rss$')" -ge 1 ]; }
check "the other feed polled at start" wait_for 10 a_polled

ctl poll --wait >"$T/out" 2>"$T/err"
check "poll --wait: exit 0, the held feed did not fail" [ $? -eq 0 ]
check "poll --wait: the held feed is not counted as an error" \
    grep -Eq '^polled 1/1, 0 errors; 1 held by Retry-After until [0-9]{2}:[0-9]{2} \(use --force\)$' "$T/err"
check "poll --wait: the held feed is not listed as a failure" \
    eval "! grep -q '^feedctl: feed' \"$T/err\""
check "poll --wait: the held feed was not asked" \
    [ "$(count_requests '^/retry-after/20000/h.rss$')" = 1 ]

ctl poll --wait "$held_url" >"$T/out" 2>"$T/err"
check "poll --wait of a held feed alone: exit 0" [ $? -eq 0 ]
check "poll --wait of a held feed alone: a summary all the same" \
    grep -Eq '^polled 0/0, 0 errors; 1 held by Retry-After until ' "$T/err"

ctl --json poll --wait >"$T/out" 2>"$T/err"
check "poll --wait --json: exit 0" [ $? -eq 0 ]
check "poll --wait --json: held counted, errors as before" \
    grep -q '"polled":1,"errors":1,"held":1,"held_until":"' "$T/out"
check "poll --wait --json: the held feed marked held" \
    grep -q '"held":true,"retry_after":"' "$T/out"

# A failure beside a held feed still fails the command.
bad=$(ctl add --no-check "$BASE/status/404/nothing.xml" 2>/dev/null)
ctl poll --wait >"$T/out" 2>"$T/err"
check "poll --wait with a failure too: exit 1" [ $? -eq 1 ]
check "poll --wait with a failure too: counts each apart" \
    grep -q '^polled 2/2, 1 error; 1 held by Retry-After until ' "$T/err"
check "poll --wait with a failure too: lists the failure only" \
    [ "$(grep -c '^feedctl: feed' "$T/err")" -eq 1 ]

ctl poll --wait --force "$held_url" >"$T/out" 2>"$T/err"
check "poll --wait --force: the held feed polled (and fails: 429)" [ $? -eq 1 ]
check "poll --wait --force: the held feed polled (and fails: 429)" \
    grep -q '^polled 1/1, 1 error$' "$T/err"

finish
