#!/bin/sh
# content.sh: what people read.  A feed whose titles carry ESC, BEL, an
# 8-bit CSI (U+009B) and a BiDi override (U+202E), and whose content
# holds script, event handlers, javascript: links and relative URLs:
# feedctl never writes those controls (the bytes it writes are checked),
# --json stays valid JSON, `show` renders the seed article, and the mail
# a fake sendmail records parses with Python's email package, its HTML
# part within the allow-list (parsed, not grepped), links absolute, the
# text part listing them, an enclosure-only item with a useful subject.
. "$(dirname "$0")/_lib.sh"

httpd_start
W=$T/www
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$W/seed.rss"
esc=$(printf '\033')
bel=$(printf '\007')
csi=$(printf '\302\233')
rlo=$(printf '\342\200\256')
# JSON, so the title can carry C0 controls too (XML 1.0 refuses them).
cat >"$W/hostile.json" <<'JSON'
{"version": "https://jsonfeed.org/version/1.1", "title": "Hostile",
 "home_page_url": "https://h.example/",
 "items": [
  {"id": "h-1", "url": "https://h.example/post/1",
   "title": "A\u001b[31mred\u0007 \u009b31m \u202eevil",
   "summary": "plain \u009b31m summary \u202e here",
   "content_html": "<p onclick=\"alert(1)\">Hi <a href=\"/notes43\">notes</a> <a href=\"javascript:alert(2)\">x</a><script>alert(3)</script><img src=\"img/disk.png\" alt=\"Disk\"><img src=\"/p.gif\" width=\"1\" height=\"1\"></p>"},
  {"id": "h-3", "url": "https://h.example/post/3",
   "title": "\u6771\u4eac\u90fd\u306e\u5929\u6c17\u306f\u6674\u308c\u3067\u3059\u6771\u4eac\u90fd\u306e\u5929\u6c17\u306f\u6674\u308c\u3067\u3059\u6771\u4eac\u90fd\u306e\u5929\u6c17\u306f\u6674\u308c\u3067\u3059\u6771\u4eac\u90fd\u306e\u5929\u6c17\u306f\u6674\u308c\u3067\u3059",
   "content_text": "wide"},
  {"id": "h-4", "url": "https://h.example/post/4", "title": "Plain text",
   "content_text": "Use <stdio.h> and write x &lt; y literally.\nSecond line\n\nNew para: for (i=0;i<n;i++) {}"},
  {"id": "h-5", "url": "https://h.example/post/5", "title": "Code",
   "content_html": "<pre>int\tx;\n\tx = 1;\n\u00e9\tend</pre>"},
  {"id": "h-6", "url": "https://h.example/post/6", "title": "Only a picture",
   "summary": "", "content_html": "<img src=\"https://h.example/a.png\">"},
  {"id": "h-7", "url": "https://h.example/post/7", "title": "Gumbo trap",
   "content_html": "<table><math><mtext><![CDATA[x]]>y"},
  {"id": "h-2",
   "attachments": [{"url": "https://cdn.h.example/pod/episode-12.mp3",
    "mime_type": "audio/mpeg", "size_in_bytes": 12345678}]}
 ]}
JSON
mail_sink
feedd_config <<EOF2
allow_hosts = 127.0.0.1
[feed "$BASE/feed/seed.rss"]
[feed "$BASE/feed/hostile.json"]
title = Conf${csi}igured ${rlo}title
tags = hostile
[notify "mail"]
type = mail
to = me@example.org
sendmail = $T/sendmail -t -oi
tags = hostile
notify_first_poll = yes
EOF2
feedd_start
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

three() { [ "$(ctl --json items | grep -c '"id"')" -ge 4 ]; }
check "the items are stored" wait_for 10 three

# The bytes feedctl writes, in every human form, hold no control.
clean() {
	! LC_ALL=C grep -q "[$esc$bel]" "$1" &&
	! grep -qF "$csi" "$1" && ! grep -qF "$rlo" "$1"
}
ctl items >"$T/items.out"
check "feedctl items: the title is there" grep -q 'red' "$T/items.out"
check "feedctl items: no control character reaches the output" \
    clean "$T/items.out"
# On a terminal (a pty, 80 columns): a header, unread marks, feed titles,
# titles cut by display width (a CJK character takes two columns).
script -qec "stty cols 80 rows 24; '$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' items" \
    /dev/null </dev/null | tr -d '\r' >"$T/tty.out"
check "feedctl items on a terminal: a header" grep -q '^ *ID  WHEN  *FEED  *TITLE' \
    "$T/tty.out"
check "feedctl items on a terminal: unread marks, feed titles" \
    grep -q '^\* .*Conf\\u009bigured' "$T/tty.out"
check "feedctl items on a terminal: rows fit 80 columns" python3 -c "
import unicodedata
for l in open('$T/tty.out', encoding='utf-8'):
    l = l.rstrip('\n')
    w = sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in l)
    assert w <= 80, (w, l)
"
check "feedctl items on a terminal: the wide title cut with an ellipsis" \
    grep -q "$(printf '\346\235\261\344\272\254').*$(printf '\342\200\246')\$" "$T/tty.out"
ctl feeds >"$T/feeds.out"
check "feedctl feeds: no control character" clean "$T/feeds.out"
check "feedctl feeds: a control character shows escaped" \
    grep -qF 'Conf\u009bigured \u202etitle' "$T/feeds.out"
ctl search red >"$T/search.out"
check "feedctl search: no control character" clean "$T/search.out"
# An item whose markup holds no text is indexed as none, and feedd lives.
check "feedctl search: an image-only item's title is found" \
    [ "$(ctl --json search picture | grep -c '"key":"h-6"')" -eq 1 ]
check "feedd is still running after indexing it" kill -0 "$FEEDD_PID"
# Markup gumbo fails its own assertions on: stored, shown as its text.
trapid=$(ctl --json items | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["key"] == "h-7": print(r["id"])')
check "an item gumbo cannot parse is stored" [ -n "$trapid" ]
PAGER= ctl show "$trapid" >"$T/trap.out"
check "show: its markup as text" grep -qF '<table><math>' "$T/trap.out"
check "feedd is still running after it" kill -0 "$FEEDD_PID"
# Japanese has no spaces: a word inside the run is found, in order only.
check "feedctl search: a Japanese word inside a longer run" \
    [ "$(ctl --json search "$(printf '\345\244\251\346\260\227')" | grep -c '"key":"h-3"')" -eq 1 ]
check "feedctl search: its characters the other way round are not" \
    [ "$(ctl --json search "$(printf '\344\272\254\346\235\261')" | grep -c '"id"')" -eq 0 ]
hid=$(ctl --json items | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["key"] == "h-1": print(r["id"])')
PAGER= ctl show "$hid" >"$T/show.out"
check "feedctl show: no control character" clean "$T/show.out"
# On a terminal, through $PAGER (here cat on a pty), filtered the same.
script -qec "stty cols 80 rows 24; PAGER='cat -v' '$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' show --keep-unread $hid" \
    /dev/null </dev/null | tr -d '\r' >"$T/pager.out"
check "feedctl show on a terminal: through \$PAGER" \
    grep -q '^\[1\] https://h.example/notes43' "$T/pager.out"
check "feedctl show on a terminal: no control character" \
    sh -c "! grep -qF -e '^[' -e '^G' -e 'M-BM-^[' -e 'M-bM-^@M-.' '$T/pager.out'"
# A pager that cannot run: the item is printed here, and said so.
script -qec "stty cols 80 rows 24; PAGER=/nonexistent/pager '$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' show --keep-unread $hid" \
    /dev/null </dev/null | tr -d '\r' >"$T/nopager.out"
check "feedctl show, a pager that cannot run: printed all the same" \
    grep -q '^\[1\] https://h.example/notes43' "$T/nopager.out"
check "feedctl show, a pager that cannot run: says so" \
    grep -q 'the pager "/nonexistent/pager" did not run; printing here' \
    "$T/nopager.out"
check "feedctl show: links numbered and absolute" \
    grep -q '^\[1\] https://h.example/notes43' "$T/show.out"
check "feedctl show: no script text" sh -c "! grep -q alert '$T/show.out'"
ctl --json items >"$T/items.json"
check "feedctl --json items: no raw control character" clean "$T/items.json"
check "feedctl --json items: still JSON, the summary intact" python3 -c "
import json, sys
rs = [json.loads(l) for l in open('$T/items.json')]
assert any(r['summary'] == 'plain \u009b31m summary \u202e here' for r in rs)
"
check "feedctl show --json: html and text" python3 -c "
import json, subprocess
r = json.loads(subprocess.check_output(['$FEEDD_BUILD/feedctl', '-c',
    '$T/feedd.conf', 'show', '--json', '--keep-unread', '$hid']))
assert 'script' not in r['html'] and 'onclick' not in r['html'], r['html']
assert 'https://h.example/notes43' in r['html'], r['html']
assert 'https://h.example/post/img/disk.png' in r['html'], r['html']
assert '[1] https://h.example/notes43' in r['text'], r['text']
assert '<script>' in r['content']
"
read_flag() {
	ctl --json items | python3 -c "
import json, sys
print([json.loads(l)['read'] for l in sys.stdin if json.loads(l)['id'] == $hid][0])"
}
check "feedctl show marks the item read" [ "$(read_flag)" = True ]


# content_text is plain text: shown as written, its lines kept.
pid=$(id_of h-4)
PAGER= ctl show --keep-unread "$pid" >"$T/plain.out"
check "feedctl show: plain text as written" \
    grep -qxF 'Use <stdio.h> and write x &lt; y literally.' "$T/plain.out"
check "feedctl show: plain text, a line end kept" \
    grep -qxF 'Second line' "$T/plain.out"
check "feedctl show: plain text, a paragraph kept" \
    grep -qxF 'New para: for (i=0;i<n;i++) {}' "$T/plain.out"

# TABs in a code block: spaces to the next stop of 8 columns (the other
# controls stay escaped: see the titles above).
cid=$(id_of h-5)
PAGER= ctl show --keep-unread "$cid" >"$T/code.out"
check "feedctl show: a TAB is spaces to the next stop" \
    grep -q '^ *int     x;$' "$T/code.out"
check "feedctl show: a TAB at the start of a line" \
    grep -q '^ *        x = 1;$' "$T/code.out"
check "feedctl show: a TAB after a two-byte character" \
    grep -q "$(printf '\303\251')       end" "$T/code.out"
check "feedctl show: no TAB, and no \\u0009" \
    sh -c "! grep -q -e '$(printf '\t')' -e 'u0009' '$T/code.out'"
check "feedctl show: code block, no control character" clean "$T/code.out"

# The seed article, as a reader sees it.
sid=$(ctl --json items | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["key"] == "devdiscourse-3005012": print(r["id"])')
PAGER= ctl show --keep-unread "$sid" >"$T/seed.out"
check "feedctl show: the seed's title" grep -q 'North Korea' "$T/seed.out"
check "feedctl show: its link" grep -q '^Link: *https://www.devdiscourse.com/' \
    "$T/seed.out"
check "feedctl show --keep-unread: still unread" sh -c \
    "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' --json items --unread | grep -q '\"id\":$sid,'"
ctl show 999999 2>"$T/err" >/dev/null
check "feedctl show: an unknown id fails" [ $? -ne 0 ]
check "feedctl show: says why" grep -q 'no such item' "$T/err"

check "items.get: a bad id or width is a -32602 error" python3 - \
    "$T/feedd.sock" "$hid" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
f = s.makefile("rw")
def call(params):
    f.write(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "items.get",
        "params": params}) + "\n")
    f.flush()
    return json.loads(f.readline())
assert call({"id": "x"})["error"]["code"] == -32602
assert call({"id": int(sys.argv[2]), "width": -1})["error"]["code"] == -32602
r = call({"id": int(sys.argv[2]), "width": 20})["result"]
assert max(len(l) for l in r["text"].split("\n")
    if not l.startswith("[")) <= 20, r["text"]
assert r["feed"]["title"] is not None
PY

two_mails() { [ "$(ls "$T/mail" | grep -c '\.eml$')" -ge 2 ]; }
check "mail: both hostile items are mailed" wait_for 15 two_mails
check "mail: the messages parse, the HTML within the allow-list" python3 - \
    "$T/mail" <<'PY'
import email, email.policy, glob, sys
from html.parser import HTMLParser
ALLOWED = {"html", "head", "meta", "base", "title", "body", "a", "abbr",
    "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big",
    "blockquote", "br", "caption", "center", "cite", "code", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
    "i", "img", "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "pre",
    "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span",
    "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr"}
ATTRS = {"href", "src", "alt", "title", "lang", "dir", "width", "height",
    "colspan", "rowspan", "scope", "start", "reversed", "value", "cite",
    "datetime", "rel", "charset"}
class Check(HTMLParser):
    links = []
    def handle_starttag(self, tag, attrs):
        assert tag in ALLOWED, tag
        for k, v in attrs:
            assert k in ATTRS, (tag, k)
            if k in ("href", "src", "cite"):
                assert v.startswith(("https://", "http://", "mailto:")), v
                if tag == "a":
                    self.links.append(v)
subjects = []
for path in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    m = email.message_from_binary_file(open(path, "rb"),
        policy=email.policy.default)
    assert m["From"].addresses[0].username == "feedd", m["From"]
    subjects.append(str(m["Subject"]))
    html = m.get_body(("html",)).get_content()
    text = m.get_body(("plain",)).get_content()
    c = Check()
    c.feed(html)
    assert "alert" not in html and "alert" not in text
    if "notes43" in html:
        assert "https://h.example/notes43" in c.links
        assert "[1] https://h.example/notes43" in text, text
    if "stdio" in text:
        assert "Use <stdio.h> and write x &lt; y literally.\nSecond line\n" \
            "\nNew para: for (i=0;i<n;i++) {}" in text, text
    if "episode-12" in text:
        assert "audio/mpeg" in text and "12.3 MB" in text, text
        assert "https://cdn.h.example/pod/episode-12.mp3" in c.links
assert "episode-12.mp3" in subjects, subjects
assert not any("untitled" in s for s in subjects), subjects
assert not any("\x1b" in s or "\x9b" in s for s in subjects), subjects
PY
finish
