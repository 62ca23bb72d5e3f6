#!/bin/sh
# rules.sh: [rule] sections drop, keep only, or mark read the new items
# that match, per feed, per tag or for every feed, on the fields chosen;
# a pathological pattern costs a bounded time and counts as no match;
# feedctl explain shows which rule dropped what; metrics count it.
. "$(dirname "$0")/_lib.sh"

httpd_start
W=$T/www
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

# item TITLE AUTHOR CATEGORY
item() {
	printf '<item><title>%s</title><guid>%s</guid><author>%s</author>' \
	    "$1" "$(printf '%s' "$1" | tr ' ' -)" "$2"
	printf '<category>%s</category><description>About %s</description>' \
	    "$3" "$1"
	printf '<link>https://example.org/%s</link></item>' \
	    "$(printf '%s' "$1" | tr ' ' -)"
}
rss() {
	printf '<?xml version="1.0"?>\n<rss version="2.0"><channel>'
	printf '<title>%s</title><link>https://example.org/</link>' "$1"
	shift
	cat
	printf '</channel></rss>\n'
}
# one_items: the items of feed One.
one_items() {
	item "Alpha news" ann@x world
	item "Beta sports" bob@x sport
	item "Gamma SPORTS" bob@x sport
	item "Delta politics" ann@x world
	item "Epsilon gossip" spammer world
	item "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab" ann@x world
}
one_items | rss One >"$W/one.xml"
{
	item "Python 3.13 released" ann@x python
	item "Rust 2.0" ann@x rust
	item "A snake" ann@x reptiles-python
} | rss Two >"$W/two.xml"

cat >"$T/hook.sh" <<'SH'
#!/bin/sh
printf '%s\n' "$FEEDD_TITLE" >>"$(dirname "$0")/sent.log"
SH
chmod +x "$T/hook.sh"
: >"$T/sent.log"

feedd_config <<EOF2
allow_hosts = 127.0.0.1
[feed "$BASE/feed/one.xml"]
[feed "$BASE/feed/two.xml"]
tags = py
[rule "no-sports"]
action = drop
match = sports
feeds = $BASE/feed/one.xml
[rule "only-python"]
action = keep
match = ^python$
fields = categories
tags = py
[rule "mute-politics"]
action = mark_read
match = politics
[rule "no-spammer"]
action = drop
match = ^spammer$
fields = author
[rule "catastrophic"]
action = drop
match = (a+)+\$
fields = title
[notify "all"]
type = exec
command = "$T/hook.sh"
notify_first_poll = yes
EOF2
feedd_start

titles() { ctl --json items --feed "$1" | sed -n 's/.*"title":"\([^"]*\)".*/\1/p'; }
polled() { [ "$(ctl --json feeds | grep -c '"last_status":200')" -eq 2 ]; }
check "both feeds polled" wait_for 20 polled
t1=$(titles 1)
t2=$(titles 2)
case "$t1" in *ports*) fail "drop: sports items stored: $t1" ;; *) ok "drop: no sports item (case-insensitive)" ;; esac
case "$t1" in *"Alpha news"*) ok "drop: the rest stored" ;; *) fail "drop: Alpha missing: $t1" ;; esac
case "$t1" in *Epsilon*) fail "fields = author: spammer stored" ;; *) ok "fields = author: the spammer's item dropped" ;; esac
case "$t2" in *Python*) ok "keep: the python item stored" ;; *) fail "keep: python missing: $t2" ;; esac
case "$t2" in *Rust*|*snake*) fail "keep: others stored: $t2" ;; *) ok "keep: only what matches (anchored, on categories)" ;; esac
case "$t1" in *aaaaab*) ok "a pathological pattern: bounded, no match, item kept" ;; *) fail "pathological: $t1" ;; esac
pol_read() { ctl --json items --feed 1 | grep 'Delta politics' | grep -q '"read":true'; }
check "mark_read: stored read" pol_read
alpha_unread() { ctl --json items --feed 1 | grep 'Alpha news' | grep -q '"read":false'; }
check "others stay unread" alpha_unread
sent_alpha() { grep -q 'Alpha news' "$T/sent.log"; }
check "notifier: got the stored items" wait_for 10 sent_alpha
sleep 1
check "mark_read: never notified" sh -c "! grep -q politics '$T/sent.log'"
check "drop: never notified" sh -c "! grep -qi sports '$T/sent.log'"

ctl --json explain 1 >"$T/explain.out"
check "explain: the rules for the feed" grep -q '"rule":"no-sports"' "$T/explain.out"
check "explain: what it dropped" grep -q '"title":"Beta sports"' "$T/explain.out"
check "explain: what was marked read" grep -q '"action":"marked read"' "$T/explain.out"
ctl explain 1 >"$T/explain.txt"
check "explain in words: the rule, its action and count" \
    grep -Eq '^rule no-sports: drop, [1-9][0-9]* items?$' "$T/explain.txt"
check "explain in words: what it dropped" \
    grep -qx '  dropped by no-sports: Beta sports' "$T/explain.txt"
ctl --json explain 2 >"$T/explain2.out"
check "explain: a feed's rules only" sh -c "! grep -q 'no-sports' '$T/explain2.out'"
check "explain: keep's drops" grep -q '"title":"Rust 2.0"' "$T/explain2.out"
m=$(ctl metrics)
dropped=$(printf '%s\n' "$m" | sed -n 's/^feedd_rule_dropped_total \([0-9]*\)$/\1/p')
check "metrics: 5 dropped (2 sports, spammer, rust, snake)" [ "$dropped" = 5 ]
marked=$(printf '%s\n' "$m" | sed -n 's/^feedd_rule_marked_read_total \([0-9]*\)$/\1/p')
check "metrics: 1 marked read" [ "$marked" = 1 ]
limits=$(printf '%s\n' "$m" | sed -n 's/^feedd_rule_limit_total \([0-9]*\)$/\1/p')
check "metrics: the match limit was hit" [ "${limits:-0}" -ge 1 ]
check "the log says how many rules dropped" \
    grep -q "one.xml: 3 new, 0 updated, 3 dropped by rules" "$T/feedd.log"
# A new item, the dropped ones still listed: they are not news twice.
{ one_items; item "Zeta news" ann@x world; } | rss One >"$W/one.xml.tmp"
mv "$W/one.xml.tmp" "$W/one.xml"
ndrop_lines=$(grep -c 'dropped by rules' "$T/feedd.log")
ctl poll --force --wait >/dev/null 2>&1
repolled() { grep -q 'one.xml: 1 new, 0 updated' "$T/feedd.log"; }
check "polled again: the new item" wait_for 5 repolled
m=$(ctl metrics)
dropped=$(printf '%s\n' "$m" | sed -n 's/^feedd_rule_dropped_total \([0-9]*\)$/\1/p')
check "polled again: still 5 dropped" [ "$dropped" = 5 ]
check "polled again: the log tells of no new drop" \
    [ "$(grep -c 'dropped by rules' "$T/feedd.log")" -eq "$ndrop_lines" ]

# A bad pattern is refused at load, with where it is wrong.
printf '[rule "x"]\naction = drop\nmatch = (unclosed\n' >"$T/bad.conf"
"$FEEDD_BUILD/feedd" -n -c "$T/bad.conf" >"$T/bad.out" 2>&1
check "bad pattern: refused" grep -q 'bad match "(unclosed"' "$T/bad.out"
printf '[rule "x"]\nmatch = a\n' >"$T/bad.conf"
"$FEEDD_BUILD/feedd" -n -c "$T/bad.conf" >"$T/bad.out" 2>&1
check "no action: refused" grep -q 'needs an action' "$T/bad.out"

feedd_stop
check "feedd exits 0" [ "$FEEDD_RC" -eq 0 ]
finish
