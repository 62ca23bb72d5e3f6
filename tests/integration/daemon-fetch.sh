#!/bin/sh
# daemon-fetch.sh: the real feedd against a loopback HTTP server: exact
# conditional GET, compression, redirects, errors and backoff, Retry-After,
# 410, a move onto a feed polled already, timeouts, size cap, a body cut
# half-way, new items between polls.
. "$(dirname "$0")/_lib.sh"

httpd_start
W=$T/www
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$W/seed.rss"
cp "$FEEDD_FIXTURES/samples/devdiscourse.atom" "$W/seed.atom"
for f in a b c d e g h i j k; do cp "$W/seed.rss" "$W/$f.xml"; done

# A feed with 3 items, then 5 (the first 3 unchanged).
mkfeed() {
	{
		printf '<?xml version="1.0"?>\n<rss version="2.0"><channel>'
		printf '<title>Growing</title>'
		i=1
		while [ "$i" -le "$1" ]; do
			printf '<item><title>Item %d</title><guid>g%d</guid>' "$i" "$i"
			printf '<link>https://grow.example/%d</link></item>' "$i"
			i=$((i + 1))
		done
		printf '</channel></rss>\n'
	} >"$W/grow.xml.tmp"
	mv "$W/grow.xml.tmp" "$W/grow.xml"
}
mkfeed 3
# 6 KB, cut after 3.5 KB: the first items complete, the rest missing.
{
	printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Cut</title>'
	i=1
	while [ "$i" -le 20 ]; do
		printf '<item><title>Cut item %02d</title><guid>cut-%02d</guid>' "$i" "$i"
		printf '<description>%0200d</description></item>\n' 0
		i=$((i + 1))
	done
	printf '</channel></rss>\n'
} >"$W/cut.xml"

feedd_config <<EOF
max_feed_size = 64K
max_per_host = 8
[feed "$BASE/feed/a.xml"]
interval = 1s
[feed "$BASE/gzip/b.xml"]
[feed "$BASE/redirect/301/feed/c.xml"]
[feed "$BASE/redirect/302/feed/d.xml"]
[feed "$BASE/loop/0"]
[feed "$BASE/tofile"]
[feed "$BASE/status/404/e.xml"]
[feed "$BASE/status/410/g.xml"]
[feed "$BASE/feed/k.xml"]
[feed "$BASE/redirect/308/feed/k.xml"]
[feed "$BASE/status/304/u.xml"]
[feed "$BASE/retry-after/20000/h.xml"]
[feed "$BASE/flaky/1/i.xml"]
interval = 1s
[feed "$BASE/slow/8000/j.xml"]
[feed "$BASE/big/1000000"]
[feed "$BASE/cut/3500/cut.xml"]
[feed "$BASE/feed/grow.xml"]
interval = 1s
[feed "$BASE/feed/seed.atom"]
EOF
feedd_start

status_is() { [ "$(feed_field "$1" status)" = "$2" ]; }
items_of() { feed_field "$1" items; }

# 200 with validators, then a re-poll carrying exactly them, answered 304.
a_items() { [ "$(items_of "$BASE/feed/a.xml")" = 1 ]; }
check "a.xml: first poll stored its item" wait_for 10 a_items
a_304() { grep -P '\t/feed/a.xml\t"' "$T/requests.log" | grep -q '	304$'; }
check "a.xml: a re-poll is answered 304" wait_for 10 a_304
# -v logs every poll's outcome, a 304 too (<6>: info, not debug).
logged_304() { grep -q '^<6>poll: .*/feed/a.xml: not modified; next in' "$T/feedd.log"; }
check "a.xml: the 304 logged at -v" wait_for 5 logged_304
line=$(grep -P '\t/feed/a.xml\t"' "$T/requests.log" | head -n 1)
sent_inm=$(printf '%s\n' "$line" | cut -f4)
sent_ims=$(printf '%s\n' "$line" | cut -f5)
first=$(grep -P '\t/feed/a.xml\t-\t' "$T/requests.log" | head -n 1)
lm=$(date -u -r "$W/a.xml" '+%a, %d %b %Y %H:%M:%S GMT')
check "a.xml: If-Modified-Since is the server's Last-Modified, byte for byte" \
    [ "$sent_ims" = "$lm" ]
inm_ok() { printf '%s\n' "$sent_inm" | grep -qE '^"[0-9a-f]+"$'; }
check "a.xml: If-None-Match is the quoted ETag" inm_ok
check "a.xml: the first request was unconditional" [ -n "$first" ]
check "a.xml: 304 leaves one item" a_items
ua_ok() { grep -F '/feed/a.xml' "$T/requests.log" | cut -f7 | grep -q '^feedd/'; }
check "a.xml: User-Agent names feedd" ua_ok

# A 304 to the first, unconditional request is no answer.
u_err() { feed_field "$BASE/status/304/u.xml" last_error | grep -q 'not conditional'; }
check "304 to an unconditional request: an error" wait_for 10 u_err

# gzip.
b_ok() { [ "$(items_of "$BASE/gzip/b.xml")" = 1 ]; }
check "gzip body parsed" wait_for 10 b_ok
gz_asked() { grep -F '/gzip/b.xml' "$T/requests.log" | cut -f6 | grep -q gzip; }
check "gzip was asked for" gz_asked

# 301 moves the stored URL (the old one is remembered); 302 does not.
moved() { dump feeds | grep -qF "\"url\":\"$BASE/feed/c.xml\""; }
check "301: stored URL updated" wait_for 10 moved
d_ok() { [ "$(items_of "$BASE/redirect/302/feed/d.xml")" = 1 ]; }
check "302: fetched, stored URL unchanged" wait_for 10 d_ok

# A redirect loop is an error.
loop_err() { status_is "$BASE/loop/0" error; }
check "redirect loop: error" wait_for 10 loop_err
loop_says() { feed_field "$BASE/loop/0" last_error | grep -qi redirect; }
check "redirect loop: says so" loop_says
# A redirect to a file: URL is not followed, and said in feedd's words.
tofile_says() { feed_field "$BASE/tofile" last_error |
    grep -q '^redirected to file:///etc/passwd: only http and https'; }
check "redirect to file: refused, and said so" wait_for 10 tofile_says

# 404: error, backoff.
e_err() { status_is "$BASE/status/404/e.xml" error; }
check "404: error recorded" wait_for 10 e_err
check "404: last_status 404" \
    [ "$(feed_field "$BASE/status/404/e.xml" last_status)" = 404 ]
e_kept() { feed_json "$BASE/status/404/e.xml" |
    grep -q '1 error: interval kept, backoff from the second'; }
check "404: one error keeps the interval, and says so" e_kept

# 410: disabled, visibly.
g_off() { status_is "$BASE/status/410/g.xml" disabled; }
check "410: feed disabled" wait_for 10 g_off
g_why() { feed_json "$BASE/status/410/g.xml" | grep -q '410 Gone'; }
check "410: the error says why" g_why
g_row() {
	"$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" feeds |
	    grep -Eq '^ *[0-9]+  gone +[0-9]+ +[0-9]+  410 .* -  .*410 Gone'
}
check "410: feeds reads gone, with no next poll" g_row
g_log() {
	grep '/status/410/g.xml' "$T/feedd.log" | grep -q \
	    '410 Gone: the feed was disabled; not polled again until feedctl edit [0-9]* --resume$' &&
	    ! grep '/status/410/g.xml' "$T/feedd.log" | grep -q 'next in'
}
check "410: the log names no next poll, and how to resume" g_log

# A 308 onto a feed polled already: the twin is disabled, stores nothing
# (its items are the other feed's), says which feed it is, and a reload
# does not revive it.
K=$BASE/feed/k.xml
KM=$BASE/redirect/308/feed/k.xml
k_off() { status_is "$KM" disabled; }
check "moved onto a feed polled already: disabled" wait_for 10 k_off
kid=$(feed_field "$K" id)
kmid=$(feed_field "$KM" id)
k_why() {
	feed_field "$KM" last_error | grep -q "^moved permanently to $K, which is feed $kid (polled there; feedctl remove $kmid ends this one)"
}
check "moved onto a feed polled already: the error names the feed" k_why
check "moved onto a feed polled already: last_status 308" \
    [ "$(feed_field "$KM" last_status)" = 308 ]
check "moved onto a feed polled already: none stored under it" \
    [ "$(items_of "$KM")" = 0 ]
check "moved onto a feed polled already: its items stored once, there" \
    [ "$(items_of "$K")" = 1 ]
k_row() {
	"$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" feeds |
	    grep -Eq "^ *$kmid  moved +0 +0  308 .* -  .*moved permanently"
}
check "moved onto a feed polled already: feeds reads moved" k_row
k_log() {
	grep -F "$KM" "$T/feedd.log" | grep -q \
	    "the feed was disabled; not polled again until feedctl edit $kmid --resume\$"
}
check "moved onto a feed polled already: logged with how to resume" k_log
kill -HUP "$FEEDD_PID"
k_reloaded() { grep -q 'reload: .* loaded' "$T/feedd.log"; }
wait_for 10 k_reloaded
sleep 1
check "moved onto a feed polled already: a reload leaves it disabled" k_off
check "moved onto a feed polled already: asked once" \
    [ "$(count_requests '^/redirect/308/feed/k.xml$')" -eq 1 ]

# 429 + Retry-After: 20000 -> nothing before then, stored on the feed.
h_ra() { [ -n "$(feed_field "$BASE/retry-after/20000/h.xml" retry_after)" ] &&
    [ "$(feed_field "$BASE/retry-after/20000/h.xml" retry_after)" != null ]; }
check "429: Retry-After stored" wait_for 10 h_ra
h_reason() { [ "$(feed_field "$BASE/retry-after/20000/h.xml" next_poll_reason)" = Retry-After ]; }
check "429: next poll reason is Retry-After" h_reason
check "429: asked once only" [ "$(count_requests '^/retry-after/20000/h.xml$')" = 1 ]

# 500 once, then fine: backoff, then recovery.
i_ok() { status_is "$BASE/flaky/1/i.xml" ok && [ "$(items_of "$BASE/flaky/1/i.xml")" = 1 ]; }
check "500 then recovery" wait_for 15 i_ok
check "500: the failing request happened" \
    [ "$(count_requests '^/flaky/1/i.xml$')" -ge 2 ]

# Too slow: timeout (5 s), and the others did not wait for it.
j_err() { status_is "$BASE/slow/8000/j.xml" error; }
check "slow server: timeout error" wait_for 12 j_err
j_says() { feed_field "$BASE/slow/8000/j.xml" last_error | grep -qi 'time'; }
check "slow server: says timeout" j_says

# Over max_feed_size (64K): aborted with an error.
big_err() { status_is "$BASE/big/1000000" error; }
check "body over max_feed_size: error" wait_for 10 big_err
big_says() { feed_json "$BASE/big/1000000" | grep -q max_feed_size; }
check "body over max_feed_size: says so" big_says
check "body over max_feed_size: nothing stored" \
    [ "$(items_of "$BASE/big/1000000")" = 0 ]

# Cut mid-body: items before the break stored, error recorded, no validators.
cut_some() { n=$(items_of "$BASE/cut/3500/cut.xml"); [ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt 20 ]; }
check "cut body: items before the break stored" wait_for 10 cut_some
check "cut body: error recorded" status_is "$BASE/cut/3500/cut.xml" error

# A feed that gains items: only the new ones, once each.
g3() { [ "$(items_of "$BASE/feed/grow.xml")" = 3 ]; }
check "growing feed: 3 items" wait_for 10 g3
sleep 1.1
mkfeed 5
g5() { [ "$(items_of "$BASE/feed/grow.xml")" = 5 ]; }
check "growing feed: 5 items after it grew" wait_for 10 g5
sleep 2.5
check "growing feed: still 5 after more polls" g5
check "growing feed: keys unique" \
    [ "$(dump items | grep -c '"key":"g[0-9]"')" = 5 ]
# Then every GUID changes (a CMS migration): nothing stored again, and
# the log says why, once.
sed 's/<guid>g/<guid>new-g/g' "$W/grow.xml" >"$W/grow.xml.tmp"
mv "$W/grow.xml.tmp" "$W/grow.xml"
stormed() { grep -q '^<5>poll: .*grow.xml: most items came back with new GUIDs' "$T/feedd.log"; }
check "GUID storm: said as a notice" wait_for 10 stormed
sleep 2.5
check "GUID storm: still 5 items" g5
check "GUID storm: said once" \
    [ "$(grep -c 'grow.xml: most items came back with new GUIDs' "$T/feedd.log")" -eq 1 ]
check "GUID storm: explain says the items are matched by link" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' explain '$BASE/feed/grow.xml' |
    grep -q '^items: *matched by link'"

# The Atom seed joins the RSS seed's story (same article, other feed).
story() { dump items | grep -F 'article-3005012' | grep -q '"story":'; }
check "seed atom stored" wait_for 10 story

feedd_stop
check "SIGTERM: exit status 0" [ "$FEEDD_RC" -eq 0 ]
finish
