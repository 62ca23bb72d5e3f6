#!/bin/sh
# notify.sh: the notifiers deliver new items through exec, mail (a fake
# sendmail) and webhooks (tests/tools hookd) in every format; filters pick
# the right items; a receiver that is down, throttles or hangs gets the
# items once it is back; kill -9 between store and delivery loses
# nothing; digests group items; a hanging command is killed and retried;
# 1,000 new items make exactly 1,000 deliveries; the feeds' connection
# limits do not hold deliveries back.
. "$(dirname "$0")/_lib.sh"

# These tests deliver every item, a feed's first poll's too, which a
# notifier skips unless notify_first_poll says so (first-poll.sh tests
# the default).
notify_config() {
	sed '/^\[notify /a\
notify_first_poll = yes' | feedd_config
}

httpd_start
W=$T/www
HOOKD_PID=
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

# hookd_start DIR: a webhook receiver recording into DIR; sets HOOK.
hookd_start() {
	mkdir -p "$1"
	rm -f "$1/port"
	"$FEEDD_BUILD/tests/hookd" --dir "$1" --port-file "$1/port" &
	HOOKD_PID=$!
	BG_PIDS="$BG_PIDS $HOOKD_PID"
	wait_for 10 test -s "$1/port" || { echo "hookd did not start"; exit 1; }
	HOOK="http://127.0.0.1:$(cat "$1/port")"
}

# feed NAME FIRST LAST [WORD [SITE]]: an RSS feed of items FIRST..LAST
# (linking to SITE's pages, NAME's by default).
feed() {
	{
		printf '<?xml version="1.0"?>\n<rss version="2.0"><channel>'
		printf '<title>Feed %s</title><link>https://%s.example/</link>' \
		    "$1" "$1"
		# Newest first, as feeds list them.
		i=$3
		while [ "$i" -ge "$2" ]; do
			printf '<item><title>%s item %d %s</title>' "$1" "$i" \
			    "${4:-}"
			printf '<guid>%s-%d</guid>' "$1" "$i"
			printf '<link>https://%s.example/%d</link>' "${5:-$1}" "$i"
			printf '<description>Text &amp; more %d</description>' \
			    "$i"
			printf '</item>'
			i=$((i - 1))
		done
		printf '</channel></rss>\n'
	} >"$W/$1.xml.tmp"
	mv "$W/$1.xml.tmp" "$W/$1.xml"
}

# A fake sendmail: each message to $T/mail/N.eml, its argv to N.args.
mkdir -p "$T/mail" "$T/exec"
cat >"$T/sendmail" <<'SH'
#!/bin/sh
d=$(dirname "$0")/mail
n=$(ls "$d" | grep -c '\.eml$')
n=$((n + 1))
printf '%s\n' "$*" >"$d/$n.args"
cat >"$d/$n.eml.tmp" && mv "$d/$n.eml.tmp" "$d/$n.eml"
SH
# An exec hook: the item JSON and the FEEDD_ variables, one file each.
cat >"$T/hook.sh" <<'SH'
#!/bin/sh
d=$(dirname "$0")/exec
cat >"$d/$FEEDD_ID.json"
env | grep '^FEEDD_' | sort >"$d/$FEEDD_ID.env"
SH
chmod +x "$T/sendmail" "$T/hook.sh"

# --- 1. every type and format, and the filters ---------------------------
cp "$(dirname "$0")/../../config/samples/devdiscourse.rss" "$W/seed.rss"
feed other 1 2
hookd_start "$T/hook1"
notify_config <<EOF2
[feed "$BASE/feed/seed.rss"]
tags = news, korea
[feed "$BASE/feed/other.xml"]
tags = misc
[notify "script"]
type = exec
command = "$T/hook.sh" --flag
[notify "mail"]
type = mail
to = me@example.org
from = feedd@example.org
sendmail = $T/sendmail -t -oi
tags = korea
[notify "signed"]
type = webhook
url = $HOOK/json
secret = s3cret
token = tok123
[notify "slack"]
type = webhook
format = slack
url = $HOOK/slack
feeds = $BASE/feed/seed.rss
[notify "discord"]
type = webhook
format = discord
url = $HOOK/discord
match = military
[notify "matrix"]
type = webhook
format = matrix
url = $HOOK/_matrix/client/v3/rooms/!r:example.org/send/m.room.message
token = mxtoken
feeds = $BASE/feed/seed.rss
[notify "ntfy"]
type = webhook
format = ntfy
url = $HOOK/ntfy
match = ^other item 2
timeout = 1s
EOF2
check "--check-config accepts the notifiers" \
    "$FEEDD_BUILD/feedd" --check-config -c "$T/feedd.conf"
feedd_start
SEED="North Korea and Russia Strengthen Military Ties Amid Global Concerns"
# READY=1 comes before the first poll has stored anything.
seed_stored() { ctl --json items --feed "$BASE/feed/seed.rss" | grep -q '"id"'; }
check "the seed feed's item is stored" wait_for 10 seed_stored
SEEDID=$(ctl --json items --feed "$BASE/feed/seed.rss" | head -n 1 |
    sed 's/.*"id":\([0-9]*\).*/\1/')
three_execs() { [ "$(ls "$T/exec" | grep -c '\.json$')" -eq 3 ]; }
check "exec: one run per item (3 items)" wait_for 10 three_execs
check "exec: the item JSON on stdin" \
    grep -q "\"title\":\"$SEED\"" "$T/exec/$SEEDID.json"
check "exec: the feed in the JSON" \
    grep -q "\"url\":\"$BASE/feed/seed.rss\"" "$T/exec/$SEEDID.json"
check "exec: FEEDD_TITLE" grep -qx "FEEDD_TITLE=$SEED" "$T/exec/$SEEDID.env"
check "exec: FEEDD_ID" grep -qx "FEEDD_ID=$SEEDID" "$T/exec/$SEEDID.env"
check "exec: FEEDD_FEED_URL" \
    grep -qx "FEEDD_FEED_URL=$BASE/feed/seed.rss" "$T/exec/$SEEDID.env"
check "exec: FEEDD_LINK" grep -q '^FEEDD_LINK=https://www.devdiscourse.com/' \
    "$T/exec/$SEEDID.env"

one_mail() { [ -s "$T/mail/1.eml" ]; }
check "mail: the tagged feed's item was sent" wait_for 10 one_mail
sleep 0.5
check "mail: only the korea-tagged feed's item" \
    test "$(ls "$T/mail" | grep -c '\.eml$')" -eq 1
M=$T/mail/1.eml
check "mail: sendmail got its arguments" grep -qx -- '-t -oi' "$T/mail/1.args"
check "mail: To" grep -qx 'To: me@example.org' "$M"
check "mail: From names the feed" \
    grep -qx 'From: Devdiscourse - World News <feedd@example.org>' "$M"
check "mail: Subject is the title" grep -qx "Subject: $SEED" "$M"
check "mail: a stable Message-ID" \
    grep -qE '^Message-ID: <[0-9a-f]{32}@feedd.invalid>$' "$M"
check "mail: Date of the item" \
    grep -qx 'Date: Tue, 09 Jul 2024 00:56:00 +0000' "$M"
check "mail: List-Id names the feed" grep -q '^List-Id: Devdiscourse' "$M"
check "mail: Content-Base is the link" \
    grep -q '^Content-Base: "https://www.devdiscourse.com/article/' "$M"
check "mail: multipart/alternative" \
    grep -q '^Content-Type: multipart/alternative; boundary=' "$M"
# The text part, decoded: the first base64 block after text/plain.
awk '/^Content-Type: text\/plain/{p=1;next} p&&/^--/{exit} p' "$M" |
    sed '1,2d' | base64 -d >"$T/mail.txt" 2>/dev/null
check "mail: the text part has title, link and content" \
    sh -c "grep -qx '$SEED' '$T/mail.txt' &&
    grep -q '^https://www.devdiscourse.com/article/' '$T/mail.txt' &&
    tr '\\n' ' ' <'$T/mail.txt' | grep -q 'elite military training'"
awk '/^Content-Type: text\/html/{p=1;next} p&&/^--/{exit} p' "$M" |
    sed '1,2d' | base64 -d >"$T/mail.html" 2>/dev/null
check "mail: the html part links the title" \
    grep -q '<a href="https://www.devdiscourse.com/article/' "$T/mail.html"

H=$T/hook1
req() { grep -l "^$1 $2" "$H"/req-* 2>/dev/null; }
n_reqs() { req "$1" "$2" | wc -l; }
json_three() { [ "$(n_reqs POST /json)" -eq 3 ]; }
check "webhook json: every item" wait_for 10 json_three
R=$(grep -l "^X-Feedd-Item: $SEEDID\$" $(req POST /json))
check "webhook json: the item record" grep -q "\"title\":\"$SEED\"" "$R"
check "webhook json: bearer token" grep -qx 'Authorization: Bearer tok123' "$R"
# The signature is HMAC-SHA256 of the body under the secret.
sed '1,/^$/d' "$R" >"$T/body.json"
SIG=$(openssl dgst -sha256 -hmac s3cret <"$T/body.json" | sed 's/.*= //')
check "webhook json: X-Feedd-Signature verifies" \
    grep -qx "X-Feedd-Signature: sha256=$SIG" "$R"
slack_one() { [ "$(n_reqs POST /slack)" -eq 1 ]; }
check "webhook slack: the seed feed's item only" wait_for 10 slack_one
check "webhook slack: a <link|title> text" \
    grep -q '"text":"<https://www.devdiscourse.com/article/[^|]*|North Korea' \
    $(req POST /slack)
disc_one() { [ "$(n_reqs POST /discord)" -eq 1 ]; }
check "webhook discord: match picks the military story" wait_for 10 disc_one
check "webhook discord: an embed, mentions off" \
    sh -c "grep -q '\"embeds\":\[{' $(req POST /discord) &&
    grep -q '\"allowed_mentions\":{\"parse\":\[\]}' $(req POST /discord)"
mx_one() { [ "$(n_reqs PUT /_matrix)" -eq 1 ]; }
check "webhook matrix: a PUT with a transaction id" wait_for 10 mx_one
MX=$(req PUT /_matrix)
# The transaction id is the item's, never an outbox row's (reused once
# the queue empties, when Matrix would drop the next item as done).
check "webhook matrix: .../send/m.room.message/feedd-NOTIFIER-ITEM-STORED" \
    grep -q "^PUT /_matrix/client/v3/rooms/!r:example.org/send/m.room.message/feedd-matrix-$SEEDID-[0-9][0-9]*$" "$MX"
check "webhook matrix: access token and m.notice" \
    sh -c "grep -qx 'Authorization: Bearer mxtoken' '$MX' &&
    grep -q '\"msgtype\":\"m.notice\"' '$MX'"
ntfy_one() { [ "$(n_reqs POST /ntfy)" -eq 1 ]; }
check "webhook ntfy: match on the title" wait_for 10 ntfy_one
check "webhook ntfy: Title and Click headers" \
    sh -c "grep -qx 'Title: other item 2' $(req POST /ntfy) &&
    grep -qx 'Click: https://other.example/2' $(req POST /ntfy)"
empty() { ctl status | grep -q 'notifier: 0 waiting, 0 failed'; }
check "status: every notifier's queue empty" empty
listed() { ctl status | grep -q '^  signed .*webhook .*3 delivered'; }
check "status lists the notifiers" listed

# notify test: the seed article through a notifier, outside the queue.
check "notify test: delivered" ctl notify test slack
check "notify test: the sample reached the receiver" \
    test "$(n_reqs POST /slack)" -eq 2
ctl notify test nosuch 2>"$T/err"
check "notify test NAME unknown: exit 1" test $? -eq 1
check "notify test NAME unknown: says so" grep -q 'no notifier "nosuch"' "$T/err"

check "metrics: deliveries counted" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' metrics |
    grep -qE '^feedd_notify_delivered_total [1-9]'"

# Nothing is delivered twice: a new item makes one more of each.
feed other 1 3
ctl poll --wait >/dev/null
json_four() { [ "$(n_reqs POST /json)" -eq 4 ]; }
check "a new item: delivered once more" wait_for 10 json_four
sleep 0.5
check "a new item: not twice" test "$(n_reqs POST /json)" -eq 4
# A reload that drops a notifier and adds one: the new one gets new
# items, the dropped one's queue goes, the others go on.
echo hang >"$H/mode"
feed other 1 4
ctl poll --wait >/dev/null
stuck() { ctl --json status | grep -q '"name":"signed"[^}]*"pending":[1-9]'; }
check "reload: a delivery under way" wait_for 10 stuck
# A hanging receiver: the notifier's own timeout, and a failed test says
# whose it was.
timeout 10 "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" notify test ntfy \
    2>"$T/err"
check "notify test against a hanging receiver: exit 1 (timeout = 1s)" \
    test $? -eq 1
check "notify test: the failure names the notifier" \
    grep -q '^feedctl: notifier ntfy: .*[Tt]imed out' "$T/err"
sed -i 's/^\[notify "signed"\]$/[notify "added"]/' "$T/feedd.conf"
kill -HUP "$FEEDD_PID"
reloaded() { grep -q 'dropped 1 queued deliveries of notifiers no longer' \
    "$T/feedd.log"; }
check "reload: the removed notifier's queue dropped, and said so" \
    wait_for 10 reloaded
check "reload: the new notifier is listed" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' --json status |
    grep -q '\"name\":\"added\"'"
echo ok >"$H/mode"
feed other 1 5
ctl poll --wait >/dev/null
added() { grep -l '^POST /json' "$H"/req-* | xargs grep -l 'other item 5' |
    grep -q .; }
check "reload: the new notifier delivers" wait_for 10 added
# A 200 KB title: Linux runs no command with an environment string over
# 128 KiB, so FEEDD_TITLE is cut; the record on stdin has it whole.
feed other 6 6 "$(head -c 200000 /dev/zero | tr '\0' x)"
ctl poll --wait >/dev/null
long_ran() { grep -l '^FEEDD_TITLE=other item 6 x' "$T/exec"/*.env \
    2>/dev/null | grep -q .; }
check "exec: an item with a 200 KB title is delivered" wait_for 10 long_ran
LONGENV=$(grep -l '^FEEDD_TITLE=other item 6 x' "$T/exec"/*.env)
check "exec: FEEDD_TITLE cut at 4096 bytes" \
    [ "$(grep '^FEEDD_TITLE=' "$LONGENV" | wc -c)" -eq $((12 + 4096 + 1)) ]
check "exec: the title whole on stdin" \
    [ "$(wc -c <"${LONGENV%.env}.json")" -gt 200000 ]
feedd_stop
check "reload: clean stop" test "$FEEDD_RC" -eq 0
kill "$HOOKD_PID"

# --- 2. outages: 500, 429, 404, a hanging receiver, kill -9 ---------------
rm -f "$T/feedd.db"*
rm -rf "$T/exec"/* "$T/mail"/*
hookd_start "$T/hook2"
H=$T/hook2
echo 500 >"$H/mode"
feed down 1 2
notify_config <<EOF2
[feed "$BASE/feed/down.xml"]
[notify "down"]
type = webhook
url = $HOOK/down
retry_initial = 1s
retry_max = 2s
[notify "gone"]
type = webhook
url = $HOOK/gone
max_attempts = 3
retry_initial = 1s
EOF2
feedd_start
tried() { [ "$(grep -c ' /down 500 ' "$H/log")" -ge 3 ]; }
check "receiver down (500): retried" wait_for 15 tried
queue_shows() { ctl status | grep -q '^  down .*2 waiting.*last error: HTTP 500'; }
# Between attempts: one under way shows as in flight, not waiting.
check "receiver down: the queue shows it" wait_for 5 queue_shows
echo 'ok' >"$H/mode"
both() { [ "$(grep -c ' /down 200 ' "$H/log")" -eq 2 ]; }
check "receiver back: both items delivered" wait_for 15 both
echo '404' >"$H/mode"
ctl notify retry gone >/dev/null
feed down 1 3
ctl poll --wait >/dev/null
parked() { ctl --json status | grep -q '"name":"gone"[^}]*"failed":[1-9]'; }
check "404: parked as failed at once" wait_for 10 parked
echo '429 2' >"$H/mode"
feed down 1 4
ctl poll --wait >/dev/null
throttled() { grep -q ' /down 429 ' "$H/log"; }
check "429: seen" wait_for 10 throttled
# The last error is the latest (the 404-parked item was tried as often).
last429() { ctl status | grep -q '^  down .*last error: HTTP 429'; }
check "status: the notifier's last error is its latest" wait_for 5 last429
T429=$(grep ' /down 429 ' "$H/log" | tail -n 1 | cut -d' ' -f5)
echo ok >"$H/mode"
# Items 1 and 2 went before; 3 was parked by the 404; now item 4.
after429() { [ "$(grep -c ' /down 200 ' "$H/log")" -ge 3 ]; }
check "429: delivered after Retry-After" wait_for 15 after429
T200=$(grep ' /down 200 ' "$H/log" | tail -n 1 | cut -d' ' -f5)
check "429: not before Retry-After (2 s)" \
    test $((T200 - T429)) -ge 2000000
revive() { ctl notify retry gone | grep -q '^gone: [1-9][0-9]* deliver.* due again ([1-9][0-9]* parked, '; }
check "notify retry: parked deliveries go out" revive
gone_ok() { grep -q ' /gone 200 ' "$H/log"; }
check "notify retry: delivered" wait_for 10 gone_ok

# kill -9 between store and delivery: the receiver hangs, so rows stay.
echo hang >"$H/mode"
feed down 1 5
ctl poll --wait >/dev/null
hung() { grep -q ' /down 0 ' "$H/log"; }
check "hang: the delivery is under way" wait_for 10 hung
kill -9 "$FEEDD_PID"
wait "$FEEDD_PID" 2>/dev/null
FEEDD_PID=
echo ok >"$H/mode"
feedd_start
item5() { grep -l '^POST /down' "$H"/req-* | xargs grep -l 'down item 5' |
    while read -r f; do n=${f##*req-}; grep -q "^$n POST /down 200 " "$H/log" &&
    echo "$n"; done | grep -q .; }
check "kill -9: delivered after the restart" wait_for 15 item5
feedd_stop
check "clean stop with deliveries" test "$FEEDD_RC" -eq 0
kill "$HOOKD_PID"

# --- 3. digest, a hanging command, filters on repeats ---------------------
rm -f "$T/feedd.db"*
rm -rf "$T/exec"/* "$T/mail"/*
cat >"$T/slow.sh" <<'SH'
#!/bin/sh
# Hangs the first time (killed at the timeout), works the second.
d=$(dirname "$0")/exec
if [ ! -e "$d/hung-once" ]; then : >"$d/hung-once"; sleep 30; fi
cat >"$d/slow-$FEEDD_ID.json"
SH
chmod +x "$T/slow.sh"
feed dig 1 4
feed copy 3 4 "" dig		# the same stories: repeats
notify_config <<EOF2
[feed "$BASE/feed/dig.xml"]
[feed "$BASE/feed/copy.xml"]
[notify "digest"]
type = mail
to = me@example.org
sendmail = $T/sendmail
mode = digest
digest_interval = 2s
skip_repeats = yes
[notify "slow"]
type = exec
command = $T/slow.sh
timeout = 1s
retry_initial = 1s
feeds = $BASE/feed/dig.xml
match = item 1
[notify "missing"]
type = exec
command = $T/no-such-command
max_attempts = 1
feeds = $BASE/feed/dig.xml
EOF2
feedd_start
digest() { [ -s "$T/mail/1.eml" ]; }
check "digest: one message" wait_for 10 digest
check "digest: its subject counts the items" \
    grep -qx 'Subject: 4 new items (digest)' "$T/mail/1.eml"
awk '/^Content-Type: text\/plain/{p=1;next} p&&/^--/{exit} p' \
    "$T/mail/1.eml" | sed '1,2d' | base64 -d >"$T/digest.txt" 2>/dev/null
check "digest: every item listed" \
    test "$(grep -c '^\* dig item [1-4]' "$T/digest.txt")" -eq 4
check "digest: skip_repeats left out the copies" \
    sh -c "! grep -q 'copy item' '$T/digest.txt'"
sleep 2.5
check "digest: nothing more to send, no more mail" \
    test "$(ls "$T/mail" | grep -c '\.eml$')" -eq 1
slow_done() { [ -s "$T/exec/slow-1.json" ]; }
check "hanging command: killed and retried, then delivered" wait_for 15 slow_done
check "hanging command: the kill was logged" \
    grep -q 'killed after the 1s timeout' "$T/feedd.log"
check "hanging command: only the matching item" \
    test "$(ls "$T/exec" | grep -c '^slow-')" -eq 1
# A command that cannot start fails at once: with max_attempts = 1 each
# item is parked in turn, and the daemon goes on.
parked4() { ctl --json status | grep -q '"name":"missing"[^}]*"failed":4'; }
check "a command that cannot start: every item parked" wait_for 10 parked4
check "a command that cannot start: the reason is logged" \
    grep -q 'notify missing: giving up on 1 item after 1 attempt: .*no-such-command: No such file' "$T/feedd.log"
feedd_stop

# --- 4. 1,000 new items, 1,000 deliveries ---------------------------------
rm -f "$T/feedd.db"*
hookd_start "$T/hook4"
H=$T/hook4
feed many 1 1000
notify_config <<EOF2
[feed "$BASE/feed/many.xml"]
[notify "bulk"]
type = webhook
url = $HOOK/bulk
EOF2
feedd_start
all1000() { [ "$(grep -c ' /bulk 200 ' "$H/log")" -ge 1000 ]; }
check "1,000 items: 1,000 deliveries" wait_for 60 all1000
sleep 1
check "1,000 items: none doubled" \
    test "$(grep -h '^X-Feedd-Item:' "$H"/req-* | sort -u | wc -l)" -eq 1000
check "1,000 items: exactly 1,000 requests" \
    test "$(grep -c ' /bulk ' "$H/log")" -eq 1000
empty() { ctl status | grep -q 'notifier: 0 waiting, 0 failed'; }
check "1,000 items: the queue is empty" empty
feedd_stop

# --- 5. children: at most 4 per notifier, 16 in all ---------------------
rm -f "$T/feedd.db"*
mkdir -p "$T/running" "$T/ran"
cat >"$T/busy.sh" <<'SH'
#!/bin/sh
# Notes how many run at once (per notifier and in all), then lingers.
d=$(dirname "$0")
: >"$d/running/$FEEDD_NOTIFIER.$$"
ls "$d/running" | wc -l >>"$d/ran/all"
ls "$d/running" | grep -c "^$FEEDD_NOTIFIER\." >>"$d/ran/$FEEDD_NOTIFIER"
sleep 0.3
rm -f "$d/running/$FEEDD_NOTIFIER.$$"
SH
chmod +x "$T/busy.sh"
feed crowd 1 10
{
	printf '[feed "%s/feed/crowd.xml"]\n' "$BASE"
	for k in 1 2 3 4 5 6; do
		printf '[notify "n%d"]\ntype = exec\ncommand = %s/busy.sh\n' \
		    "$k" "$T"
	done
} | notify_config
feedd_start
sixty() { [ "$(cat "$T/ran"/n* 2>/dev/null | wc -l)" -eq 60 ]; }
check "children: 6 notifiers x 10 items all ran" wait_for 30 sixty
check "children: never more than 16 at once" \
    test "$(sort -n "$T/ran/all" | tail -n 1)" -le 16
check "children: never more than 4 of one notifier" \
    test "$(cat "$T/ran"/n* | sort -n | tail -n 1)" -le 4
feedd_stop

# --- 6. deliveries are not held to the feeds' politeness limits ----------
# With max_parallel = max_per_host = 1 for feeds, a json notifier still has
# 64 requests under way at once (they hang here, so they pile up).
rm -f "$T/feedd.db"*
H=$T/hooks-limits
hookd_start "$H"
echo hang >"$H/mode"
feed wide 1 100
{
	printf 'max_parallel = 1\nmax_per_host = 1\n'
	printf '[feed "%s/feed/wide.xml"]\n' "$BASE"
	printf '[notify "wide"]\ntype = webhook\nurl = %s/wide\n' "$HOOK"
} | notify_config
feedd_start
sixty_four() { [ "$(grep -c ' /wide 0 ' "$H/log")" -eq 64 ]; }
check "limits: 64 webhooks under way with max_per_host = 1" \
    wait_for 10 sixty_four
sleep 0.5
check "limits: and no more than 64" \
    test "$(grep -c ' /wide 0 ' "$H/log")" -eq 64
# feedd's own stop is not a failed attempt: no warning for each, and no
# backoff (30 s by default) after the restart.
feedd_stop
check "stop: no retry for the deliveries under way" \
    sh -c "! grep -q 'notify wide: .*retrying' \"$T/feedd.log\""
check "stop: one line for the 64 abandoned deliveries" \
    grep -q 'notify: 64 deliveries under way abandoned' "$T/feedd.log"
echo ok >"$H/mode"
feedd_start
all_100() { [ "$(grep -c ' /wide 200 ' "$H/log")" -eq 100 ]; }
check "stop: after the restart, all 100 delivered without a backoff" \
    wait_for 10 all_100
feedd_stop
kill "$HOOKD_PID"

# Five such notifiers would have 320 under way: all of them together
# stop at 256.
rm -f "$T/feedd.db"*
H=$T/hooks-limits-all
hookd_start "$H"
echo hang >"$H/mode"
{
	printf 'max_parallel = 1\nmax_per_host = 1\n'
	printf '[feed "%s/feed/wide.xml"]\n' "$BASE"
	for i in 1 2 3 4 5; do
		printf '[notify "w%d"]\ntype = webhook\nurl = %s/w%d\n' \
		    "$i" "$HOOK" "$i"
	done
} | notify_config
feedd_start
all_256() { [ "$(grep -c ' /w[1-5] 0 ' "$H/log")" -eq 256 ]; }
check "limits: 256 webhooks under way for five notifiers" \
    wait_for 10 all_256
sleep 0.5
check "limits: and no more than 256" \
    test "$(grep -c ' /w[1-5] 0 ' "$H/log")" -eq 256
feedd_stop
kill "$HOOKD_PID"

# --- 7. --check-config on notifier commands ------------------------------
printf '[notify "x"]\ntype = exec\ncommand = "/bin/true\n' >"$T/bad.conf"
"$FEEDD_BUILD/feedd" --check-config -c "$T/bad.conf" 2>"$T/err"
check "--check-config: an unterminated quote in a command is an error" \
    grep -q 'bad.conf:3: bad command: unterminated quote' "$T/err"
finish
