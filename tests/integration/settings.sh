#!/bin/sh
# settings.sh: a feed's own HTTP settings (user_agent, headers, cookie,
# username/password and password_file, proxy, charset, timeout,
# max_feed_size) reach the wire on the next request after feedctl add or
# edit, or from the config; [daemon] user_agent names webhooks too; a
# loopback proxy works for a runtime feed, a private one not allowed is
# refused naming the proxy; credentials show nowhere but on the wire.
. "$(dirname "$0")/_lib.sh"

httpd_start
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$T/www/a.rss"
cp "$FEEDD_FIXTURES/samples/devdiscourse.atom" "$T/www/b.atom"
cp "$FEEDD_FIXTURES/jsonfeed11.json" "$T/www/c.json"
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$T/www/cfg.rss"
# ISO-8859-1 bytes that call themselves windows-1251, served as such.
printf '<?xml version="1.0" encoding="windows-1251"?>\n<rss version="2.0"><channel><title>Caf\351 cr\350me</title><link>http://enc.example/</link><item><title>x</title><guid>enc-1</guid></item></channel></rss>\n' >"$T/www/liar.xml"

"$FEEDD_BUILD/tests/proxy" --port-file "$T/proxy.port" --log "$T/proxy.log" &
BG_PIDS="$BG_PIDS $!"
wait_for 10 test -s "$T/proxy.port" || { echo "proxy did not start"; exit 1; }
PROXY="http://127.0.0.1:$(cat "$T/proxy.port")"
mkdir -p "$T/hook"
"$FEEDD_BUILD/tests/hookd" --dir "$T/hook" --port-file "$T/hook/port" &
BG_PIDS="$BG_PIDS $!"
wait_for 10 test -s "$T/hook/port" || { echo "hookd did not start"; exit 1; }

PW=s3cr3tpw
FILEPW=f1lesecret
URLPW=hunter2pw
printf '%s\n' "$FILEPW" >"$T/pw.txt"
chmod 600 "$T/pw.txt"
feedd_config <<EOF2
allow_hosts = 127.0.0.1
user_agent = TestAgent/9
[feed "$BASE/feed/cfg.rss"]
user_agent = CfgAgent/1
headers = "X-Cfg: one", "X-Two: 2"
username = cfguser
password_file = pw.txt
[notify "hook"]
type = webhook
url = http://127.0.0.1:$(cat "$T/hook/port")/hook
notify_first_poll = yes
EOF2
feedd_start

ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
# last_headers PATH: the header line of the latest request for PATH.
last_headers() { grep "^$1	" "$T/headers.log" | tail -n 1; }
b64() { printf '%s' "$1" | base64; }

# The config feed: its own agent, headers and password from a file.
cfg_polled() { [ -n "$(last_headers /feed/cfg.rss)" ]; }
check "config feed polled" wait_for 10 cfg_polled
h=$(last_headers /feed/cfg.rss)
case "$h" in *"User-Agent: CfgAgent/1"*) ok "config: user_agent" ;; *) fail "config: user_agent: $h" ;; esac
case "$h" in *"X-Cfg: one"*"X-Two: 2"*|*"X-Two: 2"*"X-Cfg: one"*) ok "config: headers" ;; *) fail "config: headers: $h" ;; esac
case "$h" in *"Authorization: Basic $(b64 "cfguser:$FILEPW")"*) ok "config: password_file" ;; *) fail "config: password_file: $h" ;; esac
hook_ua() { grep -q '^User-Agent: TestAgent/9' "$T"/hook/req-* 2>/dev/null; }
check "webhooks: [daemon] user_agent" wait_for 10 hook_ua

# A runtime feed with every setting at once.
id=$(ctl add "$BASE/feed/a.rss" --user-agent "Agent/1" --header "X-Test: yes" \
    --cookie "session=abc" --username joe --password "$PW" 2>/dev/null)
check "add with settings" [ -n "$id" ]
h=$(last_headers /feed/a.rss)
case "$h" in *"User-Agent: Agent/1"*) ok "add: user_agent on the check" ;; *) fail "add: user_agent: $h" ;; esac
case "$h" in *"X-Test: yes"*) ok "add: header" ;; *) fail "add: header: $h" ;; esac
case "$h" in *"Cookie: session=abc"*) ok "add: cookie" ;; *) fail "add: cookie: $h" ;; esac
case "$h" in *"Authorization: Basic $(b64 "joe:$PW")"*) ok "add: basic auth" ;; *) fail "add: auth: $h" ;; esac

# edit: the next request carries the new values.
ctl edit "$id" --user-agent "Agent/2" --header "X-Other: 2" --cookie "" >/dev/null
ctl poll --wait "$id" >/dev/null 2>&1
h=$(last_headers /feed/a.rss)
case "$h" in *"User-Agent: Agent/2"*) ok "edit: new user_agent" ;; *) fail "edit: user_agent: $h" ;; esac
case "$h" in *"X-Other: 2"*) ok "edit: new header" ;; *) fail "edit: header: $h" ;; esac
case "$h" in *"X-Test"*) fail "edit: the old header is gone: $h" ;; *) ok "edit: --header replaces the list" ;; esac
case "$h" in *"Cookie:"*) fail "edit: cookie unset: $h" ;; *) ok "edit: --cookie '' unsets it" ;; esac
echo "n3wpass" | ctl edit "$id" --username ann --password - >/dev/null
ctl poll --wait "$id" >/dev/null 2>&1
h=$(last_headers /feed/a.rss)
case "$h" in *"Authorization: Basic $(b64 "ann:n3wpass")"*) ok "edit: --password - from stdin" ;; *) fail "edit: new auth: $h" ;; esac

# A proxy on loopback, for a runtime feed.
ctl edit "$id" --proxy "$PROXY" >/dev/null
ctl poll --wait --force "$id" >"$T/out" 2>&1
check "proxy: poll ok" [ $? -eq 0 ]
check "proxy: the request went through it" grep -q "^$BASE/feed/a.rss	" "$T/proxy.log"
ctl edit "$id" --proxy "http://127.0.0.2:$(cat "$T/proxy.port")" >/dev/null
ctl poll --wait --force "$id" >"$T/out" 2>&1
check "a private proxy not allowed: the poll fails" [ $? -eq 1 ]
check "a private proxy not allowed: says it is the proxy" \
    grep -q 'refused to connect to the proxy 127.0.0.2' "$T/out"
ctl edit "$id" --proxy "" >/dev/null
n=$(wc -l <"$T/proxy.log")
ctl poll --wait --force "$id" >/dev/null 2>&1
check "proxy unset: direct again" [ "$(wc -l <"$T/proxy.log")" -eq "$n" ]
ctl edit "$id" --proxy "ftp://x" >/dev/null 2>"$T/err"
check "proxy: a bad URL is refused" grep -q 'proxy: want' "$T/err"
ctl edit "$id" --header "Bad Header" >/dev/null 2>"$T/err"
check "header: a bad header is refused" grep -q 'not a "Name: value" header' "$T/err"

# charset overrides the server and the document.
liar=$(ctl add "$BASE/feed/liar.xml?charset=windows-1251" 2>/dev/null)
cyr() { ctl --json feeds | grep "\"id\":$liar," | grep -q 'Caf\\u0439\|Cafй'; }
check "charset: without it, the lie is believed" cyr
ctl edit "$liar" --charset iso-8859-1 >/dev/null
ctl poll --wait --force "$liar" >/dev/null 2>&1
fixed() { ctl --json feeds | grep "\"id\":$liar," | grep -q 'Caf\\u00e9\|Café'; }
check "charset: --charset iso-8859-1 wins" fixed
# A charset iconv does not know is refused, by name, not ignored: on
# edit (the one set before stays), on add (nothing subscribed), and over
# the socket as invalid params.
ctl edit "$liar" --charset nosuch-charset >/dev/null 2>"$T/err"
check "charset: edit refuses an unknown one: exit 1" [ $? -eq 1 ]
check "charset: edit names it" \
    grep -q 'options: charset: "nosuch-charset" is not a charset' "$T/err"
kept() { ctl --json feeds | grep "\"id\":$liar," | grep -q '"charset":"iso-8859-1"'; }
check "charset: the refused edit left the one before" kept
ctl add --no-check "$BASE/feed/c.json?cs" --charset nosuch-charset \
    >"$T/out" 2>"$T/err"
check "charset: add refuses an unknown one: exit 1" [ $? -eq 1 ]
check "charset: add names it" \
    grep -q 'options: charset: "nosuch-charset" is not a charset' "$T/err"
check "charset: the refused add subscribed nothing" \
    sh -c "! \"$FEEDD_BUILD/feedctl\" -c \"$T/feedd.conf\" feeds | grep -q 'c.json?cs'"
req 1 feeds.edit "{\"feed\":$liar,\"options\":{\"charset\":\"nosuch\"}}" |
    "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 5 >"$T/out"
check "charset: feeds.edit answers -32602" \
    grep -q '"code":-32602.*charset: \\"nosuch\\" is not a charset' "$T/out"

# timeout and max_feed_size, per feed.
slow=$(ctl add --no-check "$BASE/slow/4000/b.atom" --timeout 1s 2>/dev/null)
start=$(date +%s)
ctl poll --wait --force "$slow" >"$T/out" 2>&1
check "timeout 1s: the poll fails" [ $? -eq 1 ]
check "timeout 1s: well before the 4 s answer" [ $(( $(date +%s) - start )) -le 3 ]
small=$(ctl add --no-check "$BASE/feed/c.json" --max-feed-size 100 2>/dev/null)
ctl poll --wait --force "$small" >"$T/out" 2>&1
check "max_feed_size 100: too big" grep -q 'larger than max_feed_size (100 bytes)' "$T/out"

# Credentials in a URL become settings; the URL shows without them.
uid=$(ctl add "http://bob:$URLPW@127.0.0.1:$PORT/feed/b.atom" 2>"$T/err")
check "URL with userinfo: subscribed" [ -n "$uid" ]
h=$(last_headers /feed/b.atom)
case "$h" in *"Authorization: Basic $(b64 "bob:$URLPW")"*) ok "URL with userinfo: sent as auth" ;; *) fail "userinfo auth: $h" ;; esac
check "URL with userinfo: stored without it" grep -q "subscribed to $BASE/feed/b.atom" "$T/err"

# Nothing shows a password: every output, and the log.
{
	ctl feeds
	ctl --json feeds
	ctl --json feeds | grep -q '"password":"\*\*\*\*\*\*\*\*"' || echo "NO-MASK"
	ctl export
	for f in $(ctl --json feeds | sed 's/.*"id":\([0-9]*\),.*/\1/'); do
		ctl explain "$f"
		ctl --json explain "$f"
	done
	ctl metrics
	ctl status
	ctl --json status
	ctl --json add "$BASE/feed/a.rss"
	ctl --json edit "$id" --title t
} >"$T/all.out" 2>&1
check "outputs were made" [ -s "$T/all.out" ]
check "the password is masked in --json feeds" sh -c "! grep -q NO-MASK '$T/all.out'"
for secret in "$PW" "$FILEPW" "$URLPW" n3wpass session=abc; do
	check "no output shows $secret" sh -c "! grep -q '$secret' '$T/all.out'"
	check "the log does not show $secret" sh -c "! grep -q '$secret' '$T/feedd.log'"
done

# A database that may hold passwords is private, whatever the umask.
check "the database is 0600" [ "$(stat -c %a "$T/feedd.db")" = 600 ]
check "its index is 0600" [ "$(stat -c %a "$T/feedd.db-search")" = 600 ]
check "its WAL is 0600" [ "$(stat -c %a "$T/feedd.db-wal")" = 600 ]
check "the socket is 0660" [ "$(stat -c %a "$T/feedd.sock")" = 660 ]

feedd_stop
check "feedd exits 0" [ "$FEEDD_RC" -eq 0 ]
finish
