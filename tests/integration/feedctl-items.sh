#!/bin/sh
# feedctl-items.sh: reading and marking (--limit takes the newest,
# --reverse, star/unstar/--starred, read --all/--feed/--tag/--before,
# unknown ids), consumers (filters remembered, a new one starts at the
# newest item, --from-start, --ack-to), unknown socket parameters, OPML
# folders both ways, newsboat's urls file, and import + poll --wait
# fetching each feed once: the real feedctl against the real feedd.
. "$(dirname "$0")/_lib.sh"

httpd_start
mkfeed a 5
mkfeed b 2
printf 'allow_hosts = 127.0.0.1\n[feed "%s/feed/a.rss"]\ntags = ta\n[feed "%s/feed/b.rss"]\ntags = tb\n' \
    "$BASE" "$BASE" | feedd_config
feedd_start

ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
lines() { "$@" | wc -l; }
ids() { sed -n 's/.*"id":\([0-9]*\).*/\1/p'; }
n_unread() { ctl --json items --unread --limit 1000 | wc -l; }
n_starred() { ctl --json items --starred | wc -l; }

seven() { [ "$(lines ctl --json items)" -eq 7 ]; }
check "both feeds stored: 7 items" wait_for 10 seven
# Items without dates are as old as their fetch, often this very second.
ctl items >"$T/out"
ages_ok() {
	[ "$(wc -l <"$T/out")" -eq 7 ] &&
	    ! grep -Evq '^ *[0-9]+  (now|[0-9]+[smhd] ago) +[0-9]+  [ab] item [0-9]$' 	    "$T/out"
}
check "items: each age is now or so long ago" ages_ok
ALL=$(ctl --json items | ids | tr '\n' ' ')
A=$(ctl --json items --feed 1 | ids | tr '\n' ' ')
set -- $ALL
FIRST=$1
shift 4
FIFTH=$1
shift
SIXTH=$1
LAST=$2

# --- --limit, --reverse, --since ---------------------------------------
check "items --limit 2: the two newest, oldest first" \
    [ "$(ctl --json items --limit 2 | ids | tr '\n' ' ')" = "$SIXTH $LAST " ]
check "items --limit 2 --reverse: newest first" \
    [ "$(ctl --json items --limit 2 --reverse | ids | tr '\n' ' ')" = \
    "$LAST $SIXTH " ]
check "items --reverse: every item, newest first" \
    [ "$(ctl --json items --reverse | ids | head -n 1)" = "$LAST" ]
check "items --since ID --limit 1: the first after the cursor" \
    [ "$(ctl --json items --since "$FIRST" --limit 1 | ids)" = \
    "$(echo $ALL | cut -d' ' -f2)" ]
ctl items --limit 20000 >"$T/out" 2>"$T/err"
check "items --limit over the maximum: a usage error (exit 2)" [ $? -eq 2 ]
check "items --limit over the maximum: says so, not a short list" \
    grep -q '"20000" is not a number from 1 to 10000' "$T/err"
check "items --limit over the maximum: prints nothing" [ ! -s "$T/out" ]

# --- star, unstar, --starred ---------------------------------------------
check "star two" ctl star "$FIRST" "$FIFTH"
check "items --starred: two" [ "$(n_starred)" -eq 2 ]
check "unstar one" ctl unstar "$FIRST"
check "items --starred: one, the other" \
    [ "$(ctl --json items --starred | ids)" = "$FIFTH" ]
starred_field() { ctl --json items --starred | grep -q '"starred":true'; }
check "the item says starred" starred_field
ctl star 999999 "$FIRST" 2>"$T/err"
check "star of an id that does not exist: exit 1" [ $? -eq 1 ]
check "star of an id that does not exist: names it" \
    grep -q 'no such item: 999999' "$T/err"
check "star of an id that does not exist: nothing starred" \
    [ "$(n_starred)" -eq 1 ]
ctl read 999998 2>"$T/err"
check "read of an id that does not exist: exit 1" [ $? -eq 1 ]
check "read of an id that does not exist: says so" \
    grep -q 'no such item: 999998' "$T/err"
ctl unread 999997 2>/dev/null
check "unread of an id that does not exist: exit 1" [ $? -eq 1 ]
ctl star --all 2>/dev/null
check "star --all: usage" [ $? -eq 2 ]
ctl read --all 3 2>/dev/null
check "read --all with ids: usage" [ $? -eq 2 ]
ctl read --before 3 2>/dev/null
check "read --before alone: usage" [ $? -eq 2 ]

# --- read --all | --feed | --tag [--before] -------------------------------
check "all unread to begin with" [ "$(n_unread)" -eq 7 ]
ctl read --tag tb >"$T/out"
check "read --tag: the tag's 2 items" [ "$(n_unread)" -eq 5 ]
check "read --tag: says how many" grep -q '^2 items changed' "$T/out"
ctl read --feed 1 --before "$FIFTH" >/dev/null
want=$(for i in $A; do [ "$i" -gt "$FIFTH" ] && echo "$i"; done | wc -l)
check "read --feed --before: that id and older only" \
    [ "$(n_unread)" -eq "$want" ]
ctl unread --all >/dev/null
check "unread --all: every item" [ "$(n_unread)" -eq 7 ]
ctl read --all --before "$FIFTH" >/dev/null
check "read --all --before: the newer stay unread" \
    [ "$(n_unread)" -eq 2 ]
ctl read --all >/dev/null
check "read --all: none unread" [ "$(n_unread)" -eq 0 ]
check "marking kept the star" [ "$(n_starred)" -eq 1 ]

# --- consumers --------------------------------------------------------------
check "a new consumer starts at the newest item" \
    [ "$(lines ctl --json items --consumer cron --tag ta)" -eq 0 ]
check "a new consumer with --from-start gets the archive of its feed" \
    [ "$(lines ctl --json items --consumer archive --feed 2 --from-start)" -eq 2 ]
mkfeed a 7
mkfeed b 3
ctl poll --wait >/dev/null 2>&1
new=$(ctl --json items --consumer cron | ids | tr '\n' ' ')
check "the consumer remembers its tag: the 2 new items of feed a" \
    [ "$(echo $new | wc -w)" -eq 2 ]
of_a() { ctl --json items --consumer cron | grep -v '"feed_id":1,' | grep -q .; }
check "the consumer's items are all of its tag's feed" eval '! of_a'
check "and the remembered feed: only feed b" \
    [ "$(ctl --json items --consumer archive | grep -c '"feed_id":2,')" -eq 3 ]
ctl items --consumer cron --tag tb >/dev/null 2>"$T/err"
check "another filter for a consumer: exit 1" [ $? -eq 1 ]
check "another filter for a consumer: says which it has" \
    grep -q 'takes tag "ta"' "$T/err"
first_new=$(echo $new | cut -d' ' -f1)
ctl items --consumer cron --ack-to "$first_new" >"$T/out"
check "--ack-to: exit 0, prints nothing" [ ! -s "$T/out" ]
check "--ack-to: the cursor moved up to that item" \
    [ "$(ctl --json items --consumer cron | ids)" = "$(echo $new | cut -d' ' -f2)" ]
ctl items --consumer cron --ack-to 999999 2>"$T/err"
check "--ack-to past what is stored: exit 1" [ $? -eq 1 ]
ctl items --ack-to 3 2>/dev/null
check "--ack-to without --consumer: usage" [ $? -eq 2 ]
ctl items --consumer cron --ack --ack-to 3 2>/dev/null
check "--ack with --ack-to: usage" [ $? -eq 2 ]
for bad in "items --limit 0" "items --limit x" "items --since -1" \
    "search item --limit 0" "search item --limit -1" "search a b" \
    "watch --since abc" "watch --since -5" "watch extra"; do
	# shellcheck disable=SC2086
	ctl $bad >/dev/null 2>&1
	check "$bad: usage" [ $? -eq 2 ]
done
# Words as typed: "item-1" is no FTS5 column filter.
check "search of a word with a hyphen: found" \
    [ "$(lines ctl --json search 'item-1')" -ge 2 ]
check "--ack still moves past what was printed" \
    [ "$(lines ctl --json items --consumer cron --ack)" -eq 1 ]
check "and then nothing" [ "$(lines ctl --json items --consumer cron)" -eq 0 ]

# --- consumers: what a cron job can get wrong -------------------------------
ctl items --consumer '' >/dev/null 2>&1
check "--consumer with an empty name: usage" [ $? -eq 2 ]
ctl items --consumer digset --ack-to "$FIRST" 2>"$T/err"
check "--ack-to of a consumer no run made: exit 1" [ $? -eq 1 ]
check "--ack-to of a consumer no run made: says so" \
    grep -q 'no consumer digset' "$T/err"
ctl items --tag nwes >"$T/out" 2>"$T/err"
check "items with a tag no feed has: exit 1" [ $? -eq 1 ]
check "items with a tag no feed has: says so" \
    grep -q 'no feed has tag "nwes"' "$T/err"
ctl items --consumer typo --tag nwes >/dev/null 2>&1
check "a consumer with a tag no feed has: exit 1" [ $? -eq 1 ]
no_typo() { ! ctl --json consumers | grep -q '"name":"typo"'; }
check "a consumer with a tag no feed has: not made" no_typo
mkfeed c 2
C="$BASE/feed/c.rss"
ctl add "$C" >/dev/null 2>&1
ctl items --consumer job --feed "$C" --from-start --ack >/dev/null
ctl remove "$C"
ctl items --consumer job >/dev/null 2>"$T/err"
check "a consumer whose feed is gone: exit 1" [ $? -eq 1 ]
check "a consumer whose feed is gone: names it" \
    grep -qF "takes feed $C, which is not subscribed now" "$T/err"
mkfeed c 4
ctl add "$C" >/dev/null 2>&1
check "the feed subscribed again: the consumer follows it" \
    [ "$(lines ctl --json items --consumer job)" -eq 4 ]
ctl --json consumers >"$T/out"
check "consumers: job, 4 items to acknowledge" \
    grep -q '"name":"job",.*"unacked":4' "$T/out"
check "consumers: its feed by URL" grep -qF "\"feed\":\"$C\"" "$T/out"
job_row() {
	ctl consumers |
	    grep -Eq "^job +4 +[0-9]+  (now|[0-9]+[smhd] ago) +feed $C\$"
}
check "consumers: the table's row" job_row
ctl consumers --remove job >"$T/out"
check "consumers --remove: says so" grep -q '^consumer job removed$' "$T/out"
no_job() { ! ctl --json consumers | grep -q '"name":"job"'; }
check "consumers --remove: gone" no_job
ctl consumers --remove job 2>"$T/err"
check "consumers --remove of none: exit 1" [ $? -eq 1 ]
check "consumers --remove of none: says so" grep -q 'no consumer job' "$T/err"
ctl remove "$C"

# --- unknown parameters: -32602 naming them, on any method ----------------
printf '%s\n' \
    '{"jsonrpc":"2.0","id":1,"method":"items.list","params":{"stared":true}}' \
    '{"jsonrpc":"2.0","id":2,"method":"feeds.list","params":{"tags":"x"}}' \
    '{"jsonrpc":"2.0","id":3,"method":"status","params":{"verbose":1}}' \
    '{"jsonrpc":"2.0","id":4,"method":"consumer.fetch","params":{"name":"x","since":1}}' \
    '{"jsonrpc":"2.0","id":5,"method":"items.mark","params":{"ids":[1],"unread":true}}' \
    '{"jsonrpc":"2.0","id":6,"method":"items.list","params":[1,2]}' \
    '{"jsonrpc":"2.0","id":7,"method":"items.list","params":{"starred":true}}' \
    '{"jsonrpc":"2.0","id":8,"method":"watch","params":{"feeds":[1]}}' |
    "$FEEDD_BUILD/tests/sockcat" "$T/feedd.sock" 3 >"$T/out"
for x in '1 stared' '2 tags' '3 verbose' '4 since' '5 unread' '8 feeds'; do
	id=${x% *}
	p=${x#* }
	check "unknown parameter $p: -32602" \
	    grep -q "\"id\":$id,\"error\":{\"code\":-32602" "$T/out"
	check "unknown parameter $p: named" \
	    grep -q "\"id\":$id,.*unknown parameter \\\\\"$p\\\\\"" "$T/out"
done
check "params not an object: -32602" \
    grep -q '"id":6,"error":{"code":-32602' "$T/out"
check "a known parameter still works" grep -q '"id":7,"result"' "$T/out"

# --- POLLED right after a poll -----------------------------------------------
ctl poll --wait 1 >/dev/null 2>&1
ctl feeds >"$T/out"
check "feeds right after a poll: not \"in 0s\"" eval '! grep -q "in 0s" "$T/out"'
check "feeds: what the last poll got, and when" \
    grep -Eq ' (200|304) (now|[0-9]+s ago) ' "$T/out"

# --- OPML: folders from tags with "/", and back ---------------------------
n1=$(ctl add "$BASE/feed/a.rss?x=1" --tag Linux/Tech --tag news)
n2=$(ctl add "$BASE/feed/b.rss?x=2" --tag Linux)
n3=$(ctl add --no-check "$BASE/status/404/untitled.rss")
ctl export >"$T/export.opml"
ctl --json export >"$T/export.json"
check "--json export: the method's object, the OPML in it" \
    grep -q '^{"opml":"<?xml' "$T/export.json"
nested() {
	awk '/<outline text="Linux" title="Linux">/ { l = NR }
	    l && NR == l + 1 && /b\.rss\?x=2/ { b = 1 }
	    /<outline text="Tech" title="Tech">/ && l && !t { t = NR }
	    t && NR == t + 1 && /a\.rss\?x=1/ { a = 1 }
	    END { exit !(a && b) }' "$T/export.opml"
}
check "export: a tag with / is nested folders, one per part" nested
check "export: the folder is closed after it" \
    [ "$(grep -c '</outline>' "$T/export.opml")" -eq \
    "$(grep -c '<outline text="[^"]*" title="[^"]*">$' "$T/export.opml")" ]
check "export: a tag without / is a folder too" \
    grep -q '<outline text="ta" title="ta">' "$T/export.opml"
check "export: an untitled feed has no made-up title" \
    grep -q '<outline type="rss" text="" xmlUrl="[^"]*untitled.rss"' \
    "$T/export.opml"
check "export: the document is well-formed" \
    sh -c "'$FEEDD_BUILD/feedctl' parse '$T/export.opml' 2>&1 |
    grep -vq 'XML error'"
ctl remove "$n1" && ctl remove "$n2" && ctl remove "$n3"
ctl import "$T/export.opml" >"$T/out"
check "re-import: the three come back" grep -q '^3 added, 2 already present' "$T/out"
tagged() { ctl --json feeds --tag "$1" | grep -q "$2"; }
check "re-import: Linux/Tech kept as one tag" tagged Linux/Tech 'a.rss?x=1'
check "re-import: its other tag too" tagged news 'a.rss?x=1'
check "re-import: Linux" tagged Linux 'b.rss?x=2'
check "re-import: the untitled feed stays untitled" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' --json feeds |
    grep 'untitled.rss' | grep -q '\"title\":null'"
# Another reader's nested folders, with no category.
cat >"$T/other.opml" <<EOF
<?xml version="1.0"?>
<opml version="2.0"><head><title>x</title></head><body>
  <outline text="Linux"><outline text="Kernel">
    <outline type="rss" text="$BASE/feed/b.rss?x=3" xmlUrl="$BASE/feed/b.rss?x=3"/>
  </outline></outline>
</body></opml>
EOF
ctl import "$T/other.opml" >/dev/null
check "import: nested folders keep their path" tagged Linux/Kernel 'b.rss?x=3'
# A feed in two folders, and an exporter's lower-case xmlurl.
cat >"$T/twins.opml" <<EOF
<?xml version="1.0"?>
<opml version="2.0"><body>
  <outline text="One"><outline type="rss" xmlUrl="$BASE/feed/b.rss?x=4"/></outline>
  <outline text="Two"><outline type="rss" xmlUrl="$BASE/feed/b.rss?x=4"/>
    <outline type="rss" title="Lower" xmlurl="$BASE/feed/b.rss?x=5"/></outline>
</body></opml>
EOF
ctl --json import "$T/twins.opml" >"$T/out"
check "import: a feed in two folders gets both" tagged Two 'b.rss?x=4'
check "import: ... and the first" tagged One 'b.rss?x=4'
check "import: the second outline says where it went" \
    grep -q '"reason":"listed at line 3 too' "$T/out"
check "import: xmlurl in lower case" tagged Two 'b.rss?x=5'
check "import: a URL as text is not a title" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' --json feeds |
    grep 'x=3' | grep -q '\"title\":\\(null\\|\"Feed b\"\\)'"

# --- newsboat's urls file, then poll --wait: one GET a feed ---------------
mkfeed n1 1
mkfeed n2 1
mkfeed n3 1
cat >"$T/urls" <<EOF
# newsboat urls
$BASE/feed/n1.rss news "~Newsboat One" tech
"$BASE/feed/n2.rss" "two words"

exec:~/bin/make-feed.sh
filter:~/bin/fix.sh:$BASE/feed/n9.rss
"query:Unread Articles:unread = \"yes\"" query-tag
$BASE/feed/n3.rss ! hidden
www.example.org/no-scheme.xml news
EOF
: >"$T/requests.log"
ctl import "$T/urls" >"$T/out"
ctl poll --wait >/dev/null 2>&1
check "urls: three added, one invalid, three not supported" \
    grep -q '^3 added, 0 already present, 1 invalid, 3 not supported' "$T/out"
check "urls: a line without a scheme reported, not skipped" \
    grep -q '^invalid  *www.example.org/no-scheme.xml' "$T/out"
check "urls: the report names the line" \
    grep -Eq '^invalid  *www.example.org/no-scheme.xml \(line [0-9]+\): ' \
    "$T/out"
for s in exec filter query; do
	check "urls: the $s: line reported as not supported" \
	    grep -q "^unsupported $s:.*newsboat's $s feeds are not supported" \
	    "$T/out"
done
check "urls: \"~Title\" is the title" tagged tech 'Newsboat One'
check "urls: tags" tagged news 'n1.rss'
check "urls: a quoted tag" tagged 'two words' 'n2.rss'
check "urls: ! is not a tag" eval '! ctl --json feeds --tag ! | grep -q .'
check "urls: the hidden feed is imported with its tag" tagged hidden 'n3.rss'
for f in n1 n2 n3; do
	check "import + poll --wait: one GET of $f" \
	    [ "$(count_requests "^/feed/$f\\.rss")" -eq 1 ]
done
check "import + poll --wait: the items are there" \
    [ "$(lines ctl --json items --feed "$BASE/feed/n1.rss")" -eq 1 ]
# Without a poll, an imported feed is polled within the minute, once.
mkfeed n5 1
printf '%s/feed/n5.rss\n' "$BASE" >"$T/urls5"
ctl import "$T/urls5" >/dev/null
check "an imported feed is not fetched at once" \
    [ "$(count_requests '^/feed/n5\.rss')" -eq 0 ]
n5_polled() { [ "$(count_requests '^/feed/n5\.rss')" -eq 1 ]; }
check "an imported feed is polled within the minute" wait_for 60 n5_polled
printf 'just some words\nand more\n' >"$T/junk"
ctl import "$T/junk" 2>"$T/err"
check "import of neither format: exit 1" [ $? -eq 1 ]
check "import of neither format: says so" grep -q 'nor a newsboat urls file' "$T/err"
ctl import "$T" >/dev/null 2>"$T/err"
check "import of a folder: exit 1" [ $? -eq 1 ]
check "import of a folder: says so" grep -q "$T: Is a directory" "$T/err"
"$FEEDD_BUILD/feedctl" -s '' status >/dev/null 2>"$T/err"
check "-s '': usage, exit 2" [ $? -eq 2 ]
check "-s '': says so" grep -q 'an empty socket path' "$T/err"

# Items without a title go by their first words, or their enclosure's
# file name, as mail and chat name them.
cat >"$T/www/untitled.rss" <<'EOF2'
<?xml version="1.0"?>
<rss version="2.0"><channel><title>Micro</title><link>http://example.org/</link>
<item><guid>m1</guid><description>&lt;p&gt;Just &lt;b&gt;posted&lt;/b&gt; this&lt;/p&gt;</description></item>
<item><guid>m2</guid><enclosure url="http://example.org/pod/episode%2012.mp3" type="audio/mpeg" length="1"/></item>
<item><guid>m3</guid><title>A title that goes on and on, word after word, well past the width of any terminal a person would read it in, and then some more words</title></item>
</channel></rss>
EOF2
ctl add "$BASE/feed/untitled.rss" >/dev/null 2>&1
micro() { ctl items --limit 1000 | grep -q '  Just posted this$'; }
check "items: an untitled item by its first words" wait_for 10 micro
check "items: an enclosure-only item by its file name" \
    sh -c "\"$FEEDD_BUILD/feedctl\" -c \"$T/feedd.conf\" items --limit 1000 | grep -q '  episode 12.mp3\$'"
MID=$(ctl --json items --limit 1000 | grep '"guid":"m1"' | ids)
ctl show "$MID" --keep-unread >"$T/out"
check "show: the untitled item's heading is its first words" \
    grep -qx 'Just posted this' "$T/out"
LID=$(ctl --json items --limit 1000 | grep '"guid":"m3"' | ids)
ctl show "$LID" --keep-unread >"$T/out"
sed '/^=/q' "$T/out" >"$T/head"
check "show: a long title wrapped at 72 columns, over lines" \
    sh -c "[ \$(wc -l <'$T/head') -ge 3 ] && ! awk 'length > 72' '$T/head' | grep -q ."
check "show: the rule under it as wide as its widest line" \
    sh -c "[ \$(tail -n 1 '$T/head' | wc -c) -eq \$(sed '\$d' '$T/head' | awk '{ if (length > m) m = length } END { print m + 1 }') ]"

feedd_stop
check "SIGTERM: exit status 0" [ "$FEEDD_RC" -eq 0 ]
finish
