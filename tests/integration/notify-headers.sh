#!/bin/sh
# notify-headers.sh: what the notifiers put in headers survives hostile
# items and settings (user trial 14): a "from" with a display name, a
# non-ASCII "to", a '"' or '|' in a link, a long non-ASCII title, an
# enclosure's percent-encoded file name; a mail notifier's own timeout;
# feedctl status and notify retry in words people read.
. "$(dirname "$0")/_lib.sh"

httpd_start
W=$T/www
HOOKD_PID=
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

# --check-config: a "from" that is not an address is refused, by line.
notify_conf() {
	feedd_config <<EOF2
[notify "m"]
type = mail
to = me@example.org
from = $1
EOF2
}
notify_conf 'Feeds Bot bot@example.org'
"$FEEDD_BUILD/feedd" --check-config -c "$T/feedd.conf" 2>"$T/err"
check "--check-config: a from with a bare display name fails" test $? -ne 0
check "--check-config: ... and says how to write it" grep -qF \
    'feedd.conf:10: bad from "Feeds Bot bot@example.org": a space or a character an address cannot have (a display name goes before the address in <>) (one address such as feedd@example.org, or Name <feedd@example.org>)' \
    "$T/err"
notify_conf 'Feeds Bot <bot@example.org>'
check "--check-config: Name <addr> is a from" \
    "$FEEDD_BUILD/feedd" --check-config -c "$T/feedd.conf"

mkdir -p "$T/hook"
"$FEEDD_BUILD/tests/hookd" --dir "$T/hook" --port-file "$T/hook/port" &
HOOKD_PID=$!
BG_PIDS="$BG_PIDS $HOOKD_PID"
wait_for 10 test -s "$T/hook/port" || { echo "hookd did not start"; exit 1; }
HOOK="http://127.0.0.1:$(cat "$T/hook/port")"

mail_sink
mkdir -p "$T/slow"
# Hangs: the notifier's timeout kills it.
cat >"$T/hang" <<'SH'
#!/bin/sh
cat >/dev/null
: >"$(dirname "$0")/slow/started"
sleep 30
SH
chmod +x "$T/hang"

TITLE='Tom &amp; Jerry &lt;3 | pipes &gt; arrows — Ünï 日本 @channel'
cat >"$W/h.xml" <<EOF2
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Hostile, "quoted" feed</title>
<link>http://127.0.0.1:$PORT/</link>
<item><guid>h-1</guid><title>$TITLE</title>
<link>http://127.0.0.1:$PORT/a/q"uote x&gt;y?x=1&amp;y=|2</link>
<description>Some text.</description></item>
<item><guid>h-2</guid>
<enclosure url="http://127.0.0.1:$PORT/pod/episode%2042.mp3"
 type="audio/mpeg" length="1000"/></item>
</channel></rss>
EOF2
feedd_config <<EOF2
[feed "$BASE/feed/h.xml"]
notify_first_poll = yes
[notify "mail"]
type = mail
to = a@example.org, "Bob, Jr." <bob@example.org>, Me Ü <me@example.org>
from = Feeds Bot <bot@example.org>
sendmail = $T/sendmail
[notify "slack"]
type = webhook
format = slack
url = $HOOK/slack
match = Jerry
[notify "ntfy"]
type = webhook
format = ntfy
url = $HOOK/ntfy
match = Jerry
[notify "slowmail"]
type = mail
to = me@example.org
sendmail = $T/hang
timeout = 3s
max_attempts = 1
match = Jerry
EOF2
check "--check-config accepts the notifiers" \
    "$FEEDD_BUILD/feedd" --check-config -c "$T/feedd.conf"
feedd_start

# --- mail: From, To, Content-Base, Subject ------------------------------
two_mails() { [ "$(ls "$T/mail" | grep -c '\.eml$')" -eq 2 ]; }
check "mail: both items sent" wait_for 10 two_mails
A=$(grep -l '^Content-Base:' "$T/mail"/*.eml | head -n 1)
B=$(grep -L '^Content-Base:' "$T/mail"/*.eml | head -n 1)
check "mail: From is the configured name at the address" \
    grep -qx 'From: Feeds Bot <bot@example.org>' "$A"
check "mail: no address inside another's brackets" \
    sh -c "! grep -q '<Feeds Bot' '$A'"
check "mail: To names quoted and encoded, the header 7-bit" python3 - "$A" <<'PY'
import email, email.policy, sys
raw = open(sys.argv[1], 'rb').read()
head = raw.split(b'\n\n', 1)[0]
assert all(b < 0x80 for b in head), head
m = email.message_from_bytes(raw, policy=email.policy.default)
to = m['To']
assert not to.defects, to.defects
got = [(a.display_name, a.addr_spec) for a in to.addresses]
assert got == [('', 'a@example.org'), ('Bob, Jr.', 'bob@example.org'),
    ('Me Ü', 'me@example.org')], got
assert m['From'].addresses[0].display_name == 'Feeds Bot'
PY
check "mail: Content-Base is one quoted URL, percent-encoded" \
    grep -qx "Content-Base: \"http://127.0.0.1:$PORT/a/q%22uote%20x%3Ey?x=1&y=%7C2\"" "$A"
check "mail: an enclosure's file name as the Subject, decoded" \
    grep -qx 'Subject: episode 42.mp3' "$B"

# --- webhooks: Slack's <url|label>, ntfy's headers ------------------------
slack_one() { grep -l '^POST /slack' "$T/hook"/req-* >/dev/null 2>&1; }
check "slack: delivered" wait_for 10 slack_one
S=$(grep -l '^POST /slack' "$T/hook"/req-*)
check "slack: the | in the URL is %7C, the label's is a look-alike" \
    grep -qF "\"text\":\"<http://127.0.0.1:$PORT/a/q%22uote%20x%3Ey?x=1&amp;y=%7C2|Tom &amp; Jerry &lt;3 ∣ pipes" "$S"
ntfy_one() { grep -l '^POST /ntfy' "$T/hook"/req-* >/dev/null 2>&1; }
check "ntfy: delivered" wait_for 10 ntfy_one
N=$(grep -l '^POST /ntfy' "$T/hook"/req-*)
check "ntfy: Click has no raw quote or space" \
    grep -qx "Click: http://127.0.0.1:$PORT/a/q%22uote%20x%3Ey?x=1&y=%7C2" "$N"
check "ntfy: Title decodes to the title" python3 - "$N" <<'PY'
import email.header, sys
for l in open(sys.argv[1], encoding='utf-8'):
    if l.startswith('Title: '):
        v = l[7:].rstrip('\n')
        break
words = v.split(' ')
assert len(words) >= 2 and all(w.startswith('=?UTF-8?B?') for w in words), v
t = str(email.header.make_header(email.header.decode_header(v)))
assert t == 'Tom & Jerry <3 | pipes > arrows — Ünï 日本 @channel', t
PY

# --- a mail notifier's timeout; status and retry in words -----------------
started() { [ -e "$T/slow/started" ]; }
check "slowmail: sendmail started" wait_for 10 started
ctl status >"$T/status"
check "status: the hanging delivery shows in flight, not waiting" \
    grep -q '^  slowmail .* 0 waiting, 1 in flight, 0 failed' "$T/status"
check "status: ... in the whole queue's count too" \
    grep -q '^notifier: 0 waiting, 1 in flight, 0 failed' "$T/status"
killed() { grep -q 'notify slowmail: .*killed after the 3s timeout' \
    "$T/feedd.log"; }
check "slowmail: sendmail killed at its timeout (3s)" wait_for 10 killed
parked() { ctl status | grep -q '^  slowmail .* 0 waiting, 1 failed'; }
check "slowmail: the item parked" wait_for 10 parked
rm -f "$T/slow/started"
check "notify retry: one parked delivery, singular" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' notify retry slowmail |
    grep -qx 'slowmail: 1 delivery is due again (1 parked, 0 waiting)'"
check "notify retry: logged in the singular" wait_for 5 \
    grep -q 'notify slowmail: 1 delivery is due again (1 parked, 0 waiting)' "$T/feedd.log"
check "slowmail: started again" wait_for 10 started
feedd_stop
check "clean stop" test "$FEEDD_RC" -eq 0
finish
