#!/bin/sh
# hostile-urls.sh: feed URLs with control characters, spaces or tabs are
# refused at every entry (config, socket, OPML) instead of being stored,
# polled in vain and written raw to the log on every poll (a CR/LF forged
# journald entries such as "<0>FORGED"); whatever reaches the log has its
# control characters escaped.  And one feed is one feed however its URL is
# spelled: "HTTP://HOST/a" and "http://host:80/a" are not a second feed.
. "$(dirname "$0")/_lib.sh"

httpd_start
cp "$FEEDD_FIXTURES/rss20-basic.xml" "$T/www/a.xml"
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
CR=$(printf '\r')
ESC=$(printf '\033')

# --- the config -----------------------------------------------------------
printf '[feed "%s/feed/a.xml\001x"]\n' "$BASE" | feedd_config
bad_conf() {
	"$FEEDD_BUILD/feedd" --check-config -c "$T/feedd.conf" 2>"$T/err" &&
	    return 1
	grep -q "control character" "$T/err"
}
check "config: a control character in a feed URL is an error" bad_conf
printf '[feed "%s/feed/a.xml\tx"]\n' "$BASE" | feedd_config
tab_conf() {
	"$FEEDD_BUILD/feedd" --check-config -c "$T/feedd.conf" 2>"$T/err" &&
	    return 1
	grep -q "space in URL" "$T/err"
}
check "config: a tab in a feed URL is an error" tab_conf

# A config URL in another spelling is the same feed.
printf 'allow_private = yes\n[feed "HTTP://127.0.0.1:%s/feed/a.xml"]\n' \
    "$PORT" | feedd_config
feedd_start
polled() { ctl --json feeds | grep -q '"status":"ok"'; }
check "the config feed is polled" wait_for 10 polled
check "and stored in the normal form" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' --json feeds |
    grep -q '\"url\":\"http://127.0.0.1:$PORT/feed/a.xml\"'"

# --- the socket -----------------------------------------------------------
refused() {
	! ctl add "$1" >"$T/out" 2>&1 && grep -q "$2" "$T/out"
}
check "add: CR/LF in the URL refused" \
    refused "$BASE/feed/a.xml${CR}
<0>FORGED" "control character"
check "add: a space refused" refused "$BASE/feed/a b.xml" "control character or space"
check "add: ESC refused" refused "$BASE/feed/${ESC}[2J.xml" "control character"
same() {
	ctl add "HTTP://127.0.0.1:$PORT/feed/a.xml" >"$T/out" 2>&1 &&
	    grep -q "already subscribed: feed 1," "$T/out"
}
check "add: another spelling of the same feed is that feed" same
frag() {
	ctl add "$BASE/feed/a.xml#frag" >"$T/out" 2>&1 &&
	    grep -q "already subscribed: feed 1," "$T/out"
}
check "add: a #fragment is the same feed" frag
check "add: a file: URL still refused" refused "file:///etc/passwd" "http"
printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"feeds.add","params":{"url":"http://127.0.0.1:1/x\r\n<0>FORGED"}}' |
    "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 3 >"$T/out"
check "feeds.add over the socket: an error, nothing added" \
    grep -q '"error".*control character' "$T/out"

# --- OPML -----------------------------------------------------------------
cat >"$T/subs.opml" <<EOF2
<?xml version="1.0"?>
<opml version="2.0"><head><title>t</title></head><body>
<outline type="rss" text="crlf" xmlUrl="$BASE/feed/b.xml&#13;&#10;&lt;0&gt;FORGED"/>
<outline type="rss" text="tab" xmlUrl="$BASE/feed/c.xml&#9;x"/>
<outline type="rss" text="same" xmlUrl="HTTP://127.0.0.1:$PORT/feed/a.xml"/>
</body></opml>
EOF2
ctl --json import "$T/subs.opml" >"$T/imp" 2>&1
check "import: the CR/LF and tab outlines are invalid" \
    test "$(grep -c '"result":"invalid","reason":"a control' "$T/imp")" -eq 2
check "import: the other spelling is present already" \
    test "$(grep -c '"result":"present"' "$T/imp")" -eq 1
check "still one feed" test "$(ctl --json feeds | grep -c .)" -eq 1

# --- the log --------------------------------------------------------------
check "no raw CR in the log" test "$(grep -c "$CR" "$T/feedd.log")" -eq 0
check "no forged line in the log" test "$(grep -c '^<0>' "$T/feedd.log")" -eq 0
feedd_stop
finish
