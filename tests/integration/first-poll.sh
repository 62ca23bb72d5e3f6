#!/bin/sh
# first-poll.sh: a feed's first poll stores its items without notifying
# them (its archive is not news), unless notify_first_poll in the feed's
# or the notifier's section; later new items are notified; a feed
# subscribed again after it was removed does not send its archive again.
. "$(dirname "$0")/_lib.sh"

httpd_start
W=$T/www
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

# feed NAME FIRST LAST: an RSS feed of items FIRST..LAST.
feed() {
	{
		printf '<?xml version="1.0"?>\n<rss version="2.0"><channel>'
		printf '<title>Feed %s</title><link>https://%s.example/</link>' \
		    "$1" "$1"
		i=$2
		while [ "$i" -le "$3" ]; do
			printf '<item><title>%s item %d</title>' "$1" "$i"
			printf '<guid>%s-%d</guid>' "$1" "$i"
			printf '<link>https://%s.example/%d</link></item>' "$1" "$i"
			i=$((i + 1))
		done
		printf '</channel></rss>\n'
	} >"$W/$1.xml.tmp"
	mv "$W/$1.xml.tmp" "$W/$1.xml"
}

# An exec notifier: one line per item, "NOTIFIER TITLE".
cat >"$T/hook.sh" <<'SH'
#!/bin/sh
printf '%s %s\n' "$1" "$FEEDD_TITLE" >>"$(dirname "$0")/sent.log"
SH
chmod +x "$T/hook.sh"
: >"$T/sent.log"
sent() { grep -c "^$1 $2" "$T/sent.log"; }

feed cfg 1 3
feed loudfeed 1 2
feed rt 1 4
feedd_config <<EOF2
allow_hosts = 127.0.0.1
[feed "$BASE/feed/cfg.xml"]
[feed "$BASE/feed/loudfeed.xml"]
notify_first_poll = yes
[notify "quiet"]
type = exec
command = "$T/hook.sh" quiet
[notify "loud"]
type = exec
command = "$T/hook.sh" loud
notify_first_poll = yes
EOF2
feedd_start

stored() { [ "$(ctl --json items | wc -l)" -eq "$1" ]; }
check "config feeds: first polls stored" wait_for 10 stored 5
loud_cfg() { [ "$(sent loud cfg)" -eq 3 ]; }
check "notify_first_poll in the notifier: the archive sent" wait_for 10 loud_cfg
loud_feed() { [ "$(sent quiet loudfeed)" -eq 2 ]; }
check "notify_first_poll in the feed: sent by every notifier" wait_for 10 loud_feed
sleep 1
check "a new feed's archive is not sent by default" [ "$(sent quiet cfg)" -eq 0 ]

# A runtime feed: the same.
rt=$(ctl add "$BASE/feed/rt.xml" 2>/dev/null)
check "runtime feed: stored" wait_for 10 stored 9
loud_rt() { [ "$(sent loud rt)" -eq 4 ]; }
check "runtime feed: the loud notifier sent its archive" wait_for 10 loud_rt
sleep 1
check "runtime feed: the quiet one did not" [ "$(sent quiet rt)" -eq 0 ]

# New items after the first poll are news.
feed cfg 1 4
feed rt 1 5
ctl poll --wait >/dev/null 2>&1
quiet_new() { [ "$(sent quiet cfg)" -eq 1 ] && [ "$(sent quiet rt)" -eq 1 ]; }
check "later new items: notified" wait_for 10 quiet_new
check "later new items: the new one only" grep -q '^quiet cfg item 4$' "$T/sent.log"

# Removed, subscribed again: its archive is not sent again, by anyone.
ctl remove "$rt" >/dev/null
before=$(sent loud rt)
rt=$(ctl add "$BASE/feed/rt.xml" 2>/dev/null)
check "re-added: stored again" wait_for 10 stored 11
sleep 1
check "re-added: the loud notifier did not send the archive again" \
    [ "$(sent loud rt)" -eq "$before" ]
check "re-added: nor the quiet one" [ "$(sent quiet rt)" -eq 1 ]

feedd_stop
check "feedd exits 0" [ "$FEEDD_RC" -eq 0 ]
finish
