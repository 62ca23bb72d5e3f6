#!/bin/sh
# feedctl-parse.sh: "feedctl parse" from the outside: exit statuses
# (feedctl(1) EXIT STATUS: 0 ok, 1 failed, 2 usage), the JSON it prints,
# and the messages on stderr.  Run by tests/run.sh with FEEDD_BUILD,
# FEEDD_FIXTURES and FEEDD_SAMPLES set; also runs from the top of the
# tree without them.  Expected values are written by hand from the
# fixtures.  Only POSIX sh, grep and sed; jq is used when installed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${FEEDD_BUILD:-$top/build}
fixtures=${FEEDD_FIXTURES:-$top/tests/fixtures}
samples=${FEEDD_SAMPLES:-$top/../shared/samples}
[ -f "$samples/devdiscourse.rss" ] || samples=$fixtures/samples

feedctl=$build/feedctl
if [ ! -x "$feedctl" ]; then
	echo "FAIL: no feedctl binary at $feedctl (set FEEDD_BUILD)"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/feedctl-parse.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
out=$tmp/out
err=$tmp/err

failed=0
checks=0

fail() {
	failed=$((failed + 1))
	printf 'FAIL: %s\n' "$*"
}

# run CMD...: runs feedctl with its arguments; sets $rc.
run() {
	"$feedctl" "$@" >"$out" 2>"$err"
	rc=$?
}

# expect_rc WANT WHAT: the last run exited WANT.
expect_rc() {
	checks=$((checks + 1))
	if [ "$rc" -ne "$1" ]; then
		fail "$2: exit $rc, want $1"
		sed 's/^/    stderr: /' "$err" | head -n 5
	fi
}

# expect_out STRING WHAT: stdout has STRING on some line (fixed string).
expect_out() {
	checks=$((checks + 1))
	grep -F -e "$1" "$out" >/dev/null 2>&1 ||
	    fail "$2: stdout lacks: $1"
}

expect_no_out() {
	checks=$((checks + 1))
	if grep -F -e "$1" "$out" >/dev/null 2>&1; then
		fail "$2: stdout has: $1"
	fi
}

expect_err() {
	checks=$((checks + 1))
	grep -i -F -e "$1" "$err" >/dev/null 2>&1 || {
		fail "$2: stderr lacks: $1"
		sed 's/^/    stderr: /' "$err" | head -n 5
	}
}

expect_empty_out() {
	checks=$((checks + 1))
	[ -s "$out" ] && fail "$1: printed on stdout: $(head -c 200 "$out")"
	return 0
}

expect_quiet_err() {
	checks=$((checks + 1))
	[ -s "$err" ] && fail "$1: printed on stderr: $(head -c 200 "$err")"
	return 0
}

# --- the seed RSS, with its document URL
rss=$samples/devdiscourse.rss
run parse "$rss" --base https://www.devdiscourse.com/rss/world
expect_rc 0 "parse devdiscourse.rss"
expect_quiet_err "parse devdiscourse.rss"
expect_out '"format": "rss2.0"' "rss format"
expect_out '"title": "Devdiscourse - World News"' "rss feed title"
expect_out '"title": "North Korea and Russia Strengthen Military Ties Amid Global Concerns"' \
    "rss item title"
expect_out '"link": "https://www.devdiscourse.com/article/headlines/3005012-north-korea-and-russia-strengthen-military-ties-amid-global-concerns"' \
    "rss item link"
expect_out '"key": "devdiscourse-3005012"' "rss item key"
expect_out '"guid": "devdiscourse-3005012"' "rss item guid"
expect_out '"published": "2024-07-09T00:56:00Z"' "rss published (06:26 +0530)"
expect_out '"author": "Devdiscourse News Desk"' "rss dc:creator"
expect_out '"South Korea"' "rss category 1"
expect_out '"Headlines"' "rss category 2"
expect_out '"url": "https://www.devdiscourse.com/remote.axd?https://devdiscoursenews.blob.core.windows.net/devnews/09_07_2024_06_26_38_1234567.jpg"' \
    "rss enclosure url"
expect_out '"type": "image/jpeg"' "rss enclosure type"
expect_out '"length": 48213' "rss enclosure length"
expect_out '"ttl": 900' "rss ttl in seconds"
expect_out '"self": "https://www.devdiscourse.com/rss/world"' "rss self"
expect_out '"language": "en"' "rss language"
expect_out '"updated": "2024-07-09T01:00:00Z"' "rss lastBuildDate"
cp "$out" "$tmp/rss.json"

# Every record member is present (feedd-protocol(7) RECORDS).
for m in '"feed":' '"items":' '"subtitle":' '"id":' '"hints":' \
    '"update_period":' '"skip_hours":' '"skip_days":' '"summary":' \
    '"content":' '"categories":' '"enclosures":'; do
	expect_out "$m" "member $m"
done

if command -v jq >/dev/null 2>&1; then
	checks=$((checks + 1))
	jq -e '.feed.format == "rss2.0" and (.items | length) == 1 and
	    .items[0].key == "devdiscourse-3005012" and
	    .items[0].categories == ["South Korea", "Headlines"] and
	    .items[0].enclosures[0].length == 48213 and
	    .items[0].updated == null and .feed.hints.ttl == 900' \
	    "$tmp/rss.json" >/dev/null 2>&1 ||
	    fail "jq: the seed RSS document is not as expected"
fi

# --- the same bytes on stdin give the same JSON
"$feedctl" parse - --base https://www.devdiscourse.com/rss/world \
    <"$rss" >"$out" 2>"$err"
rc=$?
expect_rc 0 "parse - (stdin)"
checks=$((checks + 1))
cmp -s "$out" "$tmp/rss.json" ||
    fail "parse - (stdin): output differs from parsing the file"

# --- the seed Atom, xml:base
run parse "$samples/devdiscourse.atom"
expect_rc 0 "parse devdiscourse.atom"
expect_out '"format": "atom1.0"' "atom format"
expect_out '"key": "tag:devdiscourse.com,2024:article-3005012"' "atom key"
expect_out '"link": "https://www.devdiscourse.com/article/headlines/3005012-north-korea-and-russia-strengthen-military-ties-amid-global-concerns"' \
    "atom item link via xml:base"
expect_out '"link": "https://www.devdiscourse.com/news"' "atom feed link"
expect_out '"self": "https://www.devdiscourse.com/atom/world"' "atom self"
expect_out '"published": "2024-07-09T00:56:00Z"' "atom published"
expect_out '"content": "<p>A North Korean elite' "atom xhtml content"
expect_no_out '<div' "atom xhtml wrapper div"
expect_out '"length": 48213' "atom enclosure length"

# --- other formats
run parse "$fixtures/jsonfeed11.json" --base https://example.org/feed.json
expect_rc 0 "parse jsonfeed11.json"
expect_out '"format": "jsonfeed1.1"' "json feed format"
expect_out '"link": "https://example.org/first-item"' "json feed --base"
run parse "$fixtures/rss091.xml"
expect_rc 0 "parse rss091.xml (Netscape DOCTYPE)"
expect_out '"format": "rss0.91"' "rss 0.91 format"
run parse "$fixtures/rss10-rdf.xml"
expect_rc 0 "parse rss10-rdf.xml"
expect_out '"format": "rss1.0"' "rss 1.0 format"
run parse "$fixtures/atom03.xml"
expect_rc 0 "parse atom03.xml"
expect_out '"format": "atom0.3"' "atom 0.3 format"

# --- --charset: the HTTP charset beats the declaration
run parse --charset KOI8-R "$fixtures/http-charset-koi8r.xml"
expect_rc 0 "parse --charset KOI8-R"
expect_out '"title": "Новости"' "--charset KOI8-R title"
run parse "$fixtures/windows-1252.xml"
expect_rc 0 "parse windows-1252.xml"
expect_out '"title": "“Smart” – 5 € ‘ok’ …"' "windows-1252 item title"

# --- RSS titles that name tags are text; those that are HTML, HTML
run parse "$fixtures/rss20-title-tags.xml"
expect_rc 0 "parse rss20-title-tags.xml"
expect_out '"title": "Using the <div> element in HTML5"' "title naming <div>"
expect_out '"title": "Why <script> tags block rendering"' "title naming <script>"
expect_out '"title": "Vector<T> in C++ and Map<K, V>"' "title with C++ templates"
expect_out '"title": "if (a <b && c> d)"' "title with code"
expect_out '"title": "Bold news"' "title with escaped <b>"
expect_out '"title": "Tom & Jerry"' "title with &amp;amp;"

# --- broken mid-way after complete items: 0, the items, a warning
run parse "$fixtures/broken-midway.xml"
expect_rc 0 "parse broken-midway.xml"
expect_err "warning" "broken-midway.xml"
expect_err "document broken" "broken-midway.xml"
expect_out '"key": "b1"' "broken-midway.xml item 1"
expect_out '"key": "b2"' "broken-midway.xml item 2"
expect_no_out '"title": "Thr' "broken-midway.xml partial item"

# --- not feeds: 1 and a clear message, nothing on stdout
run parse "$fixtures/not-a-feed.html"
expect_rc 1 "parse not-a-feed.html"
expect_err "not a feed: an HTML page" "not-a-feed.html"
expect_err "not-a-feed.html" "not-a-feed.html names the file"
expect_empty_out "not-a-feed.html"

run parse "$fixtures/empty.xml"
expect_rc 1 "parse empty.xml"
expect_err "not a feed: the document is empty" "empty.xml"
expect_empty_out "empty.xml"

"$feedctl" parse - </dev/null >"$out" 2>"$err"
rc=$?
expect_rc 1 "parse - with nothing on stdin"
expect_err "empty" "parse - with nothing on stdin"

run parse "$fixtures/unknown-root.xml"
expect_rc 1 "parse unknown-root.xml"
expect_err "not a feed: the root element is <foo>" "unknown-root.xml"

run parse "$fixtures/not-jsonfeed.json"
expect_rc 1 "parse not-jsonfeed.json"
expect_err "not a feed" "not-jsonfeed.json"

# --- broken before the first item: the feed's title and link, a warning
run parse "$fixtures/broken-early.xml"
expect_rc 0 "parse broken-early.xml"
expect_err "XML error at line" "broken-early.xml"
expect_out '"title": "Broken before any item"' "broken-early.xml title"
expect_out '{"items": [],' "broken-early.xml no items"

# --- documents other readers accept
run parse "$fixtures/podcast-undeclared.xml"
expect_rc 0 "parse podcast-undeclared.xml"
expect_err "undeclared namespace prefix" "podcast-undeclared.xml warns"
expect_out '"author": "Bo Host"' "podcast-undeclared.xml dc:creator"
run parse "$fixtures/utf32le-nobom.xml"
expect_rc 0 "parse utf32le-nobom.xml"
expect_out '"title": "Café — 日本 😀"' "utf32le-nobom.xml title"
run parse "$fixtures/ebcdic-ibm1140.xml"
expect_rc 0 "parse ebcdic-ibm1140.xml"
expect_out '"title": "€ 5 café"' "ebcdic-ibm1140.xml title"
run parse "$fixtures/unknown-ns-empty.xml"
expect_rc 0 "parse unknown-ns-empty.xml"
expect_err "no items and no title" "unknown-ns-empty.xml warns"
run parse "$fixtures/podcast-itunes.xml"
expect_rc 0 "parse podcast-itunes.xml"
expect_out '"image": "http://cast.example.com/ep1.jpg", "episode": 12, "season": 3' \
    "podcast image, episode, season"
expect_out '"duration": 3723' "podcast enclosure duration"

run parse "$tmp/no-such-file.xml"
expect_rc 1 "parse a missing file"
expect_err "no-such-file.xml" "missing file names the file"
expect_err "No such file" "missing file says why"
expect_empty_out "missing file"

run parse "$tmp"
expect_rc 1 "parse a directory"

# --- usage errors: 2
run
expect_rc 2 "feedctl without a command"
run parse
expect_rc 2 "parse without a file"
expect_err "usage" "parse without a file"
run parse "$rss" "$rss"
expect_rc 2 "parse with two files"
run parse --bogus "$rss"
expect_rc 2 "parse --bogus"
expect_empty_out "parse --bogus"
run parse "$rss" --base
expect_rc 2 "parse --base without a value"
run --no-such-option
expect_rc 2 "feedctl --no-such-option"
run no-such-command
expect_rc 2 "feedctl no-such-command"

# --- help: 0
run --help
expect_rc 0 "feedctl --help"
expect_out "parse" "feedctl --help lists parse"
run parse --help
expect_rc 0 "feedctl parse --help"
expect_out "usage" "feedctl parse --help"
expect_out "--base" "feedctl parse --help mentions --base"
run help parse
expect_rc 0 "feedctl help parse"

# --- a large document streams: every item out, memory stays small
awk 'BEGIN {
	print "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
	print "<title>Large</title><link>http://large.example/</link>"
	for (i = 0; i < 120000; i++)
		printf "<item><title>Item %d</title><guid>g%d</guid>" \
		    "<description>&lt;p&gt;Text of item %d, long enough to " \
		    "look like a summary.&lt;/p&gt;</description></item>\n", \
		    i, i, i
	print "</channel></rss>"
}' >"$tmp/large.xml"
case $build in
*-san*)	rss_cmd= ;;	# ASan's shadow memory is not the program's
*)	[ -x /usr/bin/time ] && rss_cmd="/usr/bin/time -f %M -o $tmp/rss" ;;
esac
${rss_cmd:-} "$feedctl" parse "$tmp/large.xml" >"$out" 2>"$err"
rc=$?
expect_rc 0 "parse a 120,000-item document"
checks=$((checks + 1))
n=$(grep -c '"key": "g' "$out")
[ "$n" -eq 120000 ] || fail "large document: $n items, want 120000"
expect_out '"title": "Large"' "large document feed title"
if [ -n "${rss_cmd:-}" ] && [ -s "$tmp/rss" ]; then
	checks=$((checks + 1))
	[ "$(tail -n 1 "$tmp/rss")" -lt 32768 ] ||
	    fail "large document: peak RSS $(tail -n 1 "$tmp/rss") KB"
fi

# --- a large JSON Feed streams too: items before "version" wait for
# it, the rest go out as their objects end
awk 'BEGIN {
	printf "{\"version\": \"https://jsonfeed.org/version/1.1\", "
	printf "\"title\": \"Large JSON\", \"items\": [\n"
	for (i = 0; i < 120000; i++)
		printf "%s{\"id\": \"j%d\", \"title\": \"Item %d\", " \
		    "\"content_html\": \"<p>Text of item %d, long enough " \
		    "to look like a summary.</p>\", \"tags\": [\"a\", " \
		    "\"b\"]}\n", (i ? "," : ""), i, i, i
	print "], \"home_page_url\": \"http://large.example/\"}"
}' >"$tmp/large.json"
${rss_cmd:-} "$feedctl" parse "$tmp/large.json" >"$out" 2>"$err"
rc=$?
expect_rc 0 "parse a 120,000-item JSON Feed"
expect_quiet_err "parse a 120,000-item JSON Feed"
checks=$((checks + 1))
n=$(grep -c '"key": "j' "$out")
[ "$n" -eq 120000 ] || fail "large JSON Feed: $n items, want 120000"
expect_out '"title": "Item 119999"' "large JSON Feed last item"
expect_out '"link": "http://large.example/"' \
    "large JSON Feed member after the items"
if [ -n "${rss_cmd:-}" ] && [ -s "$tmp/rss" ]; then
	checks=$((checks + 1))
	[ "$(tail -n 1 "$tmp/rss")" -lt 32768 ] ||
	    fail "large JSON Feed: peak RSS $(tail -n 1 "$tmp/rss") KB"
fi

if [ "$failed" -ne 0 ]; then
	printf '%d of %d checks failed\n' "$failed" "$checks"
	exit 1
fi
printf 'all %d checks passed\n' "$checks"
exit 0
