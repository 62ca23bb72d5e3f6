#!/bin/sh
# notify-match.sh: a notifier's match runs with bounded cost.  An item
# whose summary is 1 MB of "korea seoul news " against "korea.*vote" kept
# glibc's regexec() inside the write transaction for 95 s: nothing else
# was stored and SIGTERM took as long.  Now it hits the limits, counts as
# no match (logged once, counted in metrics), the matching item goes out,
# another feed is stored meanwhile and SIGTERM stops feedd promptly.
. "$(dirname "$0")/_lib.sh"

httpd_start
W=$T/www
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

# big N: an item whose summary is 1 MB of the words, and one about a vote.
big() {
	{
		printf '<?xml version="1.0"?>\n<rss version="2.0"><channel>'
		printf '<title>Big</title><link>https://big.example/</link>'
		i=1
		while [ "$i" -le "$1" ]; do
			printf '<item><title>korea seoul %d</title>' "$i"
			printf '<guid>big-%d</guid><description>' "$i"
			awk 'BEGIN { for (i = 0; i < 61681; i++)
			    printf "korea seoul news " }'
			printf '</description></item>'
			i=$((i + 1))
		done
		printf '<item><title>Korea: the vote</title><guid>vote</guid>'
		printf '<description>short</description></item>'
		printf '</channel></rss>\n'
	} >"$W/big.xml.tmp"
	mv "$W/big.xml.tmp" "$W/big.xml"
}
big 3
cp "$FEEDD_FIXTURES/rss20-basic.xml" "$W/good.xml"
mkdir -p "$T/exec"
cat >"$T/hook.sh" <<'SH'
#!/bin/sh
cat >"$(dirname "$0")/exec/$FEEDD_ID.json"
SH
chmod +x "$T/hook.sh"

feedd_config <<EOF2
allow_private = yes
[feed "$BASE/feed/big.xml"]
[notify "votes"]
type = exec
command = "$T/hook.sh"
match = korea.*vote
notify_first_poll = yes
EOF2
feedd_start
one_exec() { [ "$(ls "$T/exec" | grep -c '\.json$')" -ge 1 ]; }
check "the matching item is delivered" wait_for 20 one_exec
check "only it: the 1 MB summaries hit the limits, no match" \
    test "$(ls "$T/exec" | grep -c '\.json$')" -eq 1
check "the delivered item is the vote" grep -q 'the vote' "$T/exec"/*.json
limited() {
	ctl metrics | grep -q '^feedd_notify_match_limited_total [1-9]'
}
check "metrics count the limit hits" limited
add_good() { ctl add "$BASE/feed/good.xml" >/dev/null; }
check "the store is not held: a feed is added" add_good
stored() { [ "$(ctl --json items --feed "$BASE/feed/good.xml" |
    grep -c .)" -ge 1 ]; }
check "the added feed's items are stored" wait_for 20 stored
check "logged once for the notifier" \
    test "$(grep -c 'notify votes: match: .*limits' "$T/feedd.log")" -eq 1
feedd_stop
check "SIGTERM stopped feedd cleanly" test "$FEEDD_RC" -eq 0
finish
