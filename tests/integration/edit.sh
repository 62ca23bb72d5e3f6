#!/bin/sh
# edit.sh: feedctl edit changes a runtime feed (title, tags, interval,
# URL, pause and resume, a 410-disabled feed revived), refuses a config
# feed naming the file; a config section that took over a runtime feed
# gives it back, items and tags, when it goes.
. "$(dirname "$0")/_lib.sh"

httpd_start
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$T/www/a.rss"
cp "$FEEDD_FIXTURES/samples/devdiscourse.atom" "$T/www/b.atom"
cp "$FEEDD_FIXTURES/jsonfeed11.json" "$T/www/c.json"
conf_base() {
	printf 'allow_hosts = 127.0.0.1\nsocket_mode = 0666\n[feed "%s/feed/c.json"]\ntitle = From config\n[feed "%s/feed/off.rss"]\nenabled = no\n' "$BASE" "$BASE"
}
conf_base | feedd_config
feedd_start

ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
fj() { ctl --json feeds | grep "\"id\":$1,"; }

# not_polled ID WORD BECAUSE: feeds.list gives a feed that is not polled
# no next poll, the reason explain gives, the word the table shows, and
# the status feedd-protocol(7) has always given.
not_polled() {
	j=$(fj "$1")
	printf '%s\n' "$j" | grep -q '"next_poll":null' &&
	    printf '%s\n' "$j" | grep -q "\"next_poll_reason\":\"not polled: $3" &&
	    printf '%s\n' "$j" | grep -q "\"not_polled\":\"$2\"" &&
	    printf '%s\n' "$j" | grep -q '"status":"disabled"' &&
	    ctl feeds | grep -Eq "^ *$1  $2 " &&
	    ctl explain "$1" | grep -q "^because: *not polled: $3"
}
id=$(ctl add "$BASE/feed/a.rss" --tag news 2>/dev/null)
check "a runtime feed" [ -n "$id" ]

ctl edit "$id" --title "My title" >"$T/out"
check "edit --title: exit 0, says the feed" grep -q "^feed $id: active, $BASE/feed/a.rss" "$T/out"
my_title() { fj "$id" | grep -q '"title":"My title"'; }
check "edit --title: set" my_title
ctl edit "$id" --title "" >/dev/null
own_title() { fj "$id" | grep -q '"title":"Devdiscourse'; }
check "edit --title '': the feed's own again" own_title

ctl edit "$id" --tag tech --tag later --untag news >/dev/null
tags_now() { fj "$id" | grep -q '"tags":\["later","tech"\]'; }
check "edit --tag/--untag" tags_now

ctl edit "$id" --interval 2h >/dev/null
iv2h() { fj "$id" | grep -q '"interval":7200'; }
check "edit --interval 2h" iv2h
# The poll already planned stands; explain says it came before the change.
stale_plan() {
	ctl explain "$id" | grep -q \
	    '^because: .* (planned before the feed.s interval changed, which applies from the next poll)$'
}
check "explain: a plan made before the interval changed says so" stale_plan
ctl edit "$id" --interval default >/dev/null
ivdef() { fj "$id" | grep -q '"interval":null'; }
check "edit --interval default" ivdef
ctl edit "$id" --interval soon >/dev/null 2>"$T/err"
check "edit --interval soon: exit 1" [ $? -eq 1 ]
# Out of the config's bounds: refused as in a [feed] section, not clamped.
ctl edit "$id" --interval 3d >/dev/null 2>"$T/err"
check "edit --interval over max_interval: exit 1" [ $? -eq 1 ]
check "edit --interval over max_interval: says so" \
    grep -q 'interval 3d is greater than max_interval 1d' "$T/err"
check "edit --interval refused: the interval stays" ivdef
ctl add --no-check --interval 3d "$BASE/feed/other.rss" >/dev/null 2>"$T/err"
check "add --interval over max_interval: exit 1" [ $? -eq 1 ]
check "add --interval over max_interval: says so" \
    grep -q 'interval 3d is greater than max_interval 1d' "$T/err"

ctl edit "$id" --pause >/dev/null
paused() { fj "$id" | grep -q '"enabled":false'; }
check "edit --pause: disabled" paused
paused_row() {
	ctl feeds | grep -Eq "^ *$id  paused +[0-9]+ +[0-9]+  .{14} -  "
}
check "feeds: a paused feed reads paused, with no next poll" paused_row
explain_paused() {
	ctl explain "$id" | grep -q '^because: *not polled: paused'
}
check "explain: a paused feed is not polled, and how to resume it" \
    explain_paused
check "feeds --json: a paused feed has no next poll, and says why" \
    not_polled "$id" paused paused
ctl poll "$id" --wait >/dev/null 2>"$T/err"
check "poll --wait of a paused feed: says paused, and how to resume" \
    grep -q 'the feed is paused ("feedctl edit FEED --resume")' "$T/err"
off=$(ctl --json feeds | grep '/feed/off.rss"' | sed 's/.*"id":\([0-9]*\),.*/\1/')
check "feeds --json: enabled = no: no next poll, and says why" \
    not_polled "$off" disabled "enabled = no"
active_json() {
	j=$(fj "$id")
	printf '%s\n' "$j" | grep -q '"not_polled":null' &&
	    ! printf '%s\n' "$j" | grep -q '"next_poll":null'
}
n=$(count_requests '^/feed/a.rss$')
ctl poll --wait "$id" >/dev/null 2>&1
check "a paused feed is not polled" [ "$(count_requests '^/feed/a.rss$')" -eq "$n" ]
ctl edit "$id" --resume >/dev/null
active() { fj "$id" | grep -q '"enabled":true'; }
check "edit --resume: enabled" active
check "feeds --json: resumed, a next poll again" wait_for 10 active_json
ctl edit "$id" --pause --resume >/dev/null 2>&1
check "edit --pause --resume: usage" [ $? -eq 2 ]

ctl edit "$id" --url "$BASE/feed/b.atom" >/dev/null
moved() { fj "$id" | grep -q "\"url\":\"$BASE/feed/b.atom\""; }
check "edit --url: the new URL" moved
got_b() { [ "$(count_requests '^/feed/b.atom$')" -ge 1 ]; }
check "edit --url: polled at the new URL" wait_for 10 got_b
ctl edit "$id" --url "$BASE/feed/c.json" >/dev/null 2>"$T/err"
check "edit --url of another feed's: exit 1" [ $? -eq 1 ]
check "edit --url of another feed's: says why" grep -q 'already subscribed' "$T/err"

# A 410 disables a feed; --resume tries it again.
gone=$(ctl add --no-check "$BASE/status/410/gone.xml" 2>/dev/null)
disabled() { fj "$gone" | grep -q '"enabled":false' && fj "$gone" | grep -q '"last_status":410'; }
check "410: disabled" wait_for 10 disabled
check "410: one request" [ "$(count_requests '^/status/410/gone.xml$')" -eq 1 ]
check "feeds --json: gone: no next poll, and says why" \
    not_polled "$gone" gone "the server said 410 Gone"
ctl edit "$gone" --resume >/dev/null
again() { [ "$(count_requests '^/status/410/gone.xml$')" -eq 2 ]; }
check "410 then --resume: polled again" wait_for 10 again
check "410 again: disabled again" wait_for 10 disabled
ctl edit "$gone" --resume --url "$BASE/feed/a.rss" >/dev/null
alive_again() { fj "$gone" | grep -q '"enabled":true' && fj "$gone" | grep -q '"last_status":200'; }
check "410, --resume --url: a working feed again" wait_for 10 alive_again

# A client names only a password file of its own: the daemon would read
# and send any file it can read.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$T"
	echo rootsecret >"$T/root-pw"
	chmod 644 "$T/root-pw"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$FEEDD_BUILD/feedctl" -s "$T/feedd.sock" edit "$id" \
	    --password-file "$T/root-pw" >/dev/null 2>"$T/err"
	check "another user's password_file: exit 1" [ $? -eq 1 ]
	check "another user's password_file: refused" \
	    grep -q 'not a file of yours' "$T/err"
	chmod 700 "$T"
fi

# A config feed is changed in the config.
cfg=$(ctl --json feeds | grep '/feed/c.json"' | sed 's/.*"id":\([0-9]*\),.*/\1/')
ctl edit "$cfg" --title x >/dev/null 2>"$T/err"
check "edit of a config feed: exit 1" [ $? -eq 1 ]
check "edit of a config feed: names the file" grep -q "comes from $T/feedd.conf" "$T/err"
ctl edit 999 --title x >/dev/null 2>"$T/err"
check "edit of no feed: exit 1" [ $? -eq 1 ]

# The config takes the runtime feed over, then lets it go: it is a
# runtime feed again, with its tags and items.
items_before=$(ctl --json items --feed "$id" | wc -l)
{ conf_base; printf '[feed "%s/feed/b.atom"]\ntags = cfgtag\n' "$BASE"; } | feedd_config
kill -HUP "$FEEDD_PID"
taken() { fj "$id" | grep -q '"origin":"config"' && fj "$id" | grep -q '"tags":\["cfgtag"\]'; }
check "config takes a runtime feed over" wait_for 10 taken
conf_base | feedd_config
kill -HUP "$FEEDD_PID"
back() { fj "$id" | grep -q '"origin":"runtime"' && fj "$id" | grep -q '"tags":\["later","tech"\]'; }
check "section removed: a runtime feed again, its tags back" wait_for 10 back
check "section removed: its items kept" [ "$(ctl --json items --feed "$id" | wc -l)" -eq "$items_before" ]
check "section removed: items were there" [ "$items_before" -ge 1 ]
check "the log says it was kept" grep -q "kept as a feed added at run time" "$T/feedd.log"

# A config feed whose section goes (a URL mended, say) but with a starred
# item: kept, paused, as a runtime feed, its items with it.
cid=$(ctl --json feeds | grep '/feed/c.json"' | sed 's/.*"id":\([0-9]*\),.*/\1/')
check "the config feed c.json" [ -n "$cid" ]
c_items() { [ "$(ctl --json items --feed "$cid" | wc -l)" -ge 1 ]; }
check "c.json polled" wait_for 10 c_items
star=$(ctl --json items --feed "$cid" | head -n 1 | sed 's/.*"id":\([0-9]*\),.*/\1/')
ctl star "$star"
nc=$(ctl --json items --feed "$cid" | wc -l)
printf 'allow_hosts = 127.0.0.1\nsocket_mode = 0666\n' | feedd_config
kill -HUP "$FEEDD_PID"
kept_paused() {
	fj "$cid" | grep -q '"origin":"runtime"' &&
	    fj "$cid" | grep -q '"enabled":false'
}
check "section gone, a starred item: kept, paused, at run time" \
    wait_for 10 kept_paused
check "section gone, a starred item: every item kept" \
    [ "$(ctl --json items --feed "$cid" | wc -l)" -eq "$nc" ]
check "section gone, a starred item: the starred one too" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' --json items --starred |
    grep -q '\"id\":$star,'"
check "the log says why and how to remove it" \
    grep -q "c.json is no longer in .*, but has starred items: kept, paused.*feedctl remove $cid" \
    "$T/feedd.log"

feedd_stop
check "feedd exits 0" [ "$FEEDD_RC" -eq 0 ]
finish
