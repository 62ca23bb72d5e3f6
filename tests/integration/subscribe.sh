#!/bin/sh
# subscribe.sh: feedctl add checks that there is a feed before it
# subscribes (errors exit 1 with the reason), finds the feed an HTML page
# names (one, several, none but a common path), knows a feed it already
# has, and spends one GET, not two, on a new feed.
. "$(dirname "$0")/_lib.sh"

httpd_start
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$T/www/a.rss"
cp "$FEEDD_FIXTURES/samples/devdiscourse.atom" "$T/www/b.atom"
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$T/www/rss.xml"
cp "$FEEDD_FIXTURES/jsonfeed11.json" "$T/www/c.json"
echo "just text" >"$T/www/plain.txt"
cat >"$T/www/one.html" <<HTML
<!DOCTYPE html>
<html><head><title>A blog</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/atom+xml" title="Atom" href="b.atom">
</head><body><p>hello</p></body></html>
HTML
cat >"$T/www/two.html" <<HTML
<!DOCTYPE html>
<html><head><base href="$BASE/feed/">
<link rel="alternate" type="application/rss+xml" href="a.rss" title="Posts
  &amp; more">
<link rel="alternate" type="application/feed+json" href="c.json">
</head><body></body></html>
HTML
printf '<html><body><p>no links here</p></body></html>\n' >"$T/www/none.html"
printf 'allow_hosts = 127.0.0.1\n' | feedd_config
feedd_start

ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

# A feed: subscribed, and the check's fetch is its first poll.
id=$(ctl add "$BASE/feed/a.rss" 2>"$T/err")
check "add feed: exit 0, the id" [ $? -eq 0 ]
check "add feed: exit 0, the id" [ "$id" = 1 ]
check "add feed: says what it subscribed" \
    grep -q "subscribed to $BASE/feed/a.rss" "$T/err"
got_items() { ctl --json items --feed 1 | grep -q '"id"'; }
check "add feed: its items are there" wait_for 10 got_items
sleep 0.5
check "add feed: one GET, the check's, was its first poll" \
    [ "$(count_requests '^/feed/a.rss$')" -eq 1 ]
polled() { ctl --json feeds | grep -q '"last_status":200'; }
check "add feed: the feed shows it was polled" polled

# The same feed again, by a differently written URL or by an old one
# that a 301 moves: already there, exit 0, its id.
again=$(ctl add "HTTP://127.0.0.1:$PORT/feed/a.rss" 2>"$T/err")
check "already subscribed (URL normalised): exit 0, same id" [ $? -eq 0 ]
check "already subscribed (URL normalised): exit 0, same id" [ "$again" = 1 ]
check "already subscribed: says so" grep -q 'already subscribed: feed 1' "$T/err"
again=$(ctl add "$BASE/redirect/301/feed/a.rss" 2>"$T/err")
check "already subscribed (moved by a 301): exit 0, same id" [ $? -eq 0 ]
check "already subscribed (moved by a 301): exit 0, same id" [ "$again" = 1 ]
# With settings, a title, tags or an interval: still exit 0 and its id,
# but they were not applied, and the message says so and names edit.
again=$(ctl add "$BASE/feed/a.rss" --title Mine --tag t1 --interval 2h \
    --user-agent Other/1 2>"$T/err")
check "already subscribed, with settings: exit 0, same id" [ $? -eq 0 ]
check "already subscribed, with settings: exit 0, same id" [ "$again" = 1 ]
check "already subscribed, with settings: says they were not applied" \
    grep -q "already subscribed: feed 1, $BASE/feed/a.rss; the title, tags, interval and settings given were not applied: 'feedctl edit 1' changes them" \
    "$T/err"
untouched() { ctl --json feeds | grep '"id":1,' | grep -v '"Mine"' |
    grep -v '"t1"' | grep -q '"options":{}'; }
check "already subscribed, with settings: nothing changed" untouched
ctl --json add "$BASE/feed/a.rss" --timeout 5s >"$T/out" 2>"$T/err"
check "--json add, already, with settings: the record on stdout" \
    grep -q '"already":true' "$T/out"
check "--json add, already, with settings: the note on stderr" \
    grep -q "not applied: 'feedctl edit 1'" "$T/err"
# Credentials inside the URL are settings too: not applied either.
again=$(ctl add "http://me:secret@127.0.0.1:$PORT/feed/a.rss" 2>"$T/err")
check "already subscribed, credentials in the URL: exit 0, same id" [ $? -eq 0 ]
check "already subscribed, credentials in the URL: exit 0, same id" \
    [ "$again" = 1 ]
check "already subscribed, credentials in the URL: says not applied" \
    grep -q "not applied: 'feedctl edit 1'" "$T/err"
check "and the note does not show the password" \
    sh -c '! grep -q secret "$1"' sh "$T/err"
check "already subscribed, credentials in the URL: nothing changed" \
    untouched
check "only one feed so far" [ "$(ctl --json feeds | wc -l)" -eq 1 ]

# A feed that moved for good while it was added: the URL given still
# names it, for explain, items and poll, and adding it again costs no GET.
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$T/www/moved.rss"
MOVED="$BASE/redirect/301/feed/moved.rss"
bid=$(ctl add "$MOVED" 2>"$T/err")
check "add through a 301: subscribed under the new URL" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' --json feeds |
    grep -q '\"url\":\"$BASE/feed/moved.rss\"'"
check "explain by the URL given" ctl explain "$MOVED"
check "items --feed by the URL given" ctl items --feed "$MOVED"
check "poll by the URL given" ctl poll --wait "$MOVED"
n=$(count_requests '^/redirect/301/feed/moved.rss$')
again=$(ctl add "$MOVED" 2>"$T/err")
check "add by the URL given again: already subscribed, same id" \
    [ "$again" = "$bid" ]
check "and no request for it" \
    [ "$(count_requests '^/redirect/301/feed/moved.rss$')" -eq "$n" ]
ctl remove "$bid" >/dev/null

# Errors: nothing subscribed, exit 1, the reason.
adderr() {
	ctl add "$1" >/dev/null 2>"$T/err"
	[ $? -eq 1 ] && grep -q "$2" "$T/err"
}
check "add: 404" adderr "$BASE/status/404/x.xml" 'HTTP 404'
check "add: not a feed" adderr "$BASE/feed/plain.txt" 'not a feed'
check "add: connection refused" adderr "http://127.0.0.1:1/feed.xml" \
    'no feed at http://127.0.0.1:1/feed.xml'
check "add: a private address not allowed (SSRF rules)" \
    adderr "http://127.0.0.2:$PORT/feed/a.rss" 'refused to connect to 127.0.0.2'
check "add: DNS failure" adderr "http://feedd-test.invalid/feed.xml" \
    'resolve'
check "add: not a URL" adderr "http://" 'not an absolute'
check "errors subscribed nothing" [ "$(ctl --json feeds | wc -l)" -eq 1 ]

# --no-check subscribes a feed that is down today.
down=$(ctl add --no-check "$BASE/status/503/down.xml" 2>/dev/null)
check "add --no-check: subscribed without a check" [ $? -eq 0 ]
check "add --no-check: subscribed without a check" [ -n "$down" ]
ctl remove "$down" >/dev/null

# A page that names one feed: that feed.
id=$(ctl add "$BASE/feed/one.html" 2>"$T/err")
check "page with one feed: subscribed" [ $? -eq 0 ]
check "page with one feed: subscribed" [ -n "$id" ]
check "page with one feed: the feed's URL, and the page, printed" \
    grep -q "subscribed to $BASE/feed/b.atom (named by $BASE/feed/one.html)" "$T/err"
b_url() { ctl --json feeds | grep -q "\"url\":\"$BASE/feed/b.atom\""; }
check "page with one feed: stored under the feed's URL" b_url

# Several: listed, exit 1; --pick chooses.
ctl add "$BASE/feed/two.html" >"$T/out" 2>"$T/err"
check "page with two feeds: exit 1" [ $? -eq 1 ]
check "page with two feeds: both listed, resolved against <base>" \
    grep -q "1. Posts & more (RSS): $BASE/feed/a.rss" "$T/err"
check "page with two feeds: the one subscribed says so" \
    grep -q "1. .*a.rss (subscribed: feed 1)\$" "$T/err"
check "page with two feeds: the second, by its format" \
    grep -q "2. JSON Feed: $BASE/feed/c.json\$" "$T/err"
check "page with two feeds: nothing printed on stdout" [ ! -s "$T/out" ]
id=$(ctl add --pick 2 "$BASE/feed/two.html" 2>"$T/err")
check "--pick 2: subscribed" [ $? -eq 0 ]
check "--pick 2: subscribed" [ -n "$id" ]
check "--pick 2: the JSON Feed" grep -q "subscribed to $BASE/feed/c.json" "$T/err"
ctl add --pick 9 "$BASE/feed/two.html" >/dev/null 2>"$T/err"
check "--pick 9: exit 1, the list" [ $? -eq 1 ]
check "--pick 9: exit 1, the list" grep -q '2 feeds' "$T/err"
ctl add --pick 0 "$BASE/feed/two.html" >/dev/null 2>&1
check "--pick 0: usage error" [ $? -eq 2 ]
# --pick chooses among what the check finds: with --no-check there is
# nothing to choose from, and the page itself must not be subscribed.
n=$(ctl --json feeds | wc -l)
ctl add --pick 2 --no-check "$BASE/feed/two.html" >"$T/out" 2>"$T/err"
check "--pick with --no-check: usage error (exit 2)" [ $? -eq 2 ]
check "--pick with --no-check: says --pick needs the check" \
    grep -q -- '--pick needs the check' "$T/err"
check "--pick with --no-check: nothing subscribed" \
    [ "$(ctl --json feeds | wc -l)" -eq "$n" ]
check "--pick with --no-check: nothing on stdout" [ ! -s "$T/out" ]
req 1 feeds.add "{\"url\":\"$BASE/feed/two.html\",\"pick\":2,\"no_check\":true}" |
    "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 5 >"$T/out"
check "feeds.add with pick and no_check: -32602" \
    grep -q '"code":-32602.*pick needs the check' "$T/out"
check "feeds.add with pick and no_check: nothing subscribed" \
    [ "$(ctl --json feeds | wc -l)" -eq "$n" ]
# --pick on a page whose one choice is subscribed: already.
again=$(ctl add --pick 1 "$BASE/feed/two.html" 2>"$T/err")
check "--pick 1: a.rss, already subscribed" [ "$again" = 1 ]

# None named: the common paths (/feed, then /rss.xml, ...).
id=$(ctl add "$BASE/feed/none.html" 2>"$T/err")
check "page with no feed: found at a common path" [ $? -eq 0 ]
check "page with no feed: found at a common path" [ -n "$id" ]
check "page with no feed: /rss.xml subscribed" \
    grep -q "subscribed to $BASE/rss.xml" "$T/err"
check "page with no feed: /feed was tried first" \
    [ "$(count_requests '^/feed$')" -eq 1 ]
rm "$T/www/rss.xml"
ctl remove "$id" >/dev/null
ctl add "$BASE/feed/none.html" >/dev/null 2>"$T/err"
check "page with no feed and no common path: exit 1" [ $? -eq 1 ]
check "page with no feed and no common path: says where it looked" \
    grep -q "names no feed.*$BASE/feed.json" "$T/err"

# --json gives the whole record.
ctl --json add "$BASE/feed/b.atom" >"$T/out" 2>/dev/null
check "--json add: the record, already true" grep -q '"already":true' "$T/out"
check "--json add: found_on is there, null for a feed found at its URL" \
    grep -q '"found_on":null' "$T/out"

# A site's page subscribed as it was given (an import does that): it
# never works; adding the page again finds its feed, and names the old.
cat >"$T/www/site.html" <<HTML
<html><head><link rel="alternate" type="application/rss+xml"
  href="$BASE/feed/a.rss?site"></head></html>
HTML
page=$(ctl add --no-check "$BASE/feed/site.html" 2>/dev/null)
ctl poll --wait "$page" >/dev/null 2>&1
html_err() { ctl --json feeds | grep "site.html" | grep -q 'an HTML page'; }
check "a page as a feed: fails, an HTML page" html_err
id=$(ctl add "$BASE/feed/site.html" 2>"$T/err")
check "add of that page again: its feed subscribed" \
    grep -q "subscribed to $BASE/feed/a.rss?site (named by $BASE/feed/site.html)" "$T/err"
check "add of that page again: a new feed" [ -n "$id" ]
check "add of that page again: a new feed" [ "$id" != "$page" ]
check "add of that page again: names the page feed to remove" \
    grep -q "feed $page is that page itself, which is not a feed: 'feedctl remove $page'" "$T/err"

alive() { ctl status >/dev/null; }
check "the daemon is still answering" alive
feedd_stop
check "feedd exits 0" [ "$FEEDD_RC" -eq 0 ]
finish
