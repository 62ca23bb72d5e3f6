#!/bin/sh
# moved-feed.sh: a config feed that moved for good (301) is still the
# feed its old URL names: a notifier's and a rule's "feeds" keep applying
# to it, explain lists the rule, and the log says (without -v) to update
# the config.
. "$(dirname "$0")/_lib.sh"

httpd_start
W=$T/www
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
# feed N [AD]: items 1..N newest first, with an item titled "an ad" too.
feed() {
	{
		printf '<?xml version="1.0"?>\n<rss version="2.0"><channel>'
		printf '<title>Moved</title><link>https://moved.example/</link>'
		[ -n "${2:-}" ] &&
		    printf '<item><title>an ad</title><guid>ad</guid></item>'
		i=$1
		while [ "$i" -ge 1 ]; do
			printf '<item><title>moved item %d</title>' "$i"
			printf '<guid>moved-%d</guid></item>' "$i"
			i=$((i - 1))
		done
		printf '</channel></rss>\n'
	} >"$W/new.xml.tmp"
	mv "$W/new.xml.tmp" "$W/new.xml"
}
feed 1
mkdir -p "$T/got"
cat >"$T/hook.sh" <<'SH'
#!/bin/sh
cat >/dev/null
printf '%s\n' "$FEEDD_TITLE" >"$(dirname "$0")/got/$FEEDD_ID"
SH
chmod +x "$T/hook.sh"
OLD=$BASE/redirect/301/feed/new.xml
NEW=$BASE/feed/new.xml
feedd_config <<EOF2
allow_private = yes
[feed "$OLD"]
[notify "chat"]
type = exec
command = "$T/hook.sh"
feeds = $OLD
[rule "ads"]
action = mark_read
match = ad
fields = title
feeds = $OLD
EOF2
feedd_start

moved() { ctl --json feeds | grep -qF "\"url\":\"$NEW\""; }
check "the first poll follows the 301: the feed's URL is the new one" \
    wait_for 10 moved
feed 2 ad
ctl poll --wait >/dev/null 2>&1
got_2() { grep -qx 'moved item 2' "$T/got/"* 2>/dev/null; }
check "a notifier naming the old URL still gets the feed's new items" \
    wait_for 10 got_2
ad_read() {
	ctl --json items | grep '"title":"an ad"' | grep -q '"read":true'
}
check "a rule naming the old URL still applies to the feed" ad_read
check "explain lists the rule" sh -c "'$FEEDD_BUILD/feedctl' -c \
    '$T/feedd.conf' --json explain 1 | grep -q '\"ads\"'"
kill -HUP "$FEEDD_PID"
hint() {
	grep -qF "<5>config: $OLD moved permanently to $NEW; consider updating" \
	    "$T/feedd.log"
}
check "the log says to update the config, without -v" wait_for 5 hint
feed 3 ad
ctl poll --wait >/dev/null 2>&1
got_3() { grep -qx 'moved item 3' "$T/got/"* 2>/dev/null; }
check "after a reload too" wait_for 10 got_3
feedd_stop

finish
