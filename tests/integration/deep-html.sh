#!/bin/sh
# deep-html.sh: content built to make the HTML parser's work explode
# (markup nested a hundred thousand deep, lists nested thousands deep,
# thousands of unclosed <b>s re-opened by every block after them) is
# stored, indexed, mailed and shown like any other, with all of its text;
# the item after them arrives too, and feedd keeps answering.  Before the
# parser had a budget, showing the first item held feedd for minutes.
. "$(dirname "$0")/_lib.sh"

httpd_start
python3 - "$T/www/deep.json" <<'PY'
import json, sys

def deep(tag, n):
    parts = []
    for i in range(n):
        if i % 1000 == 0:
            parts.append("w%d " % i)
        parts.append(tag)
    parts.append("end of it")
    return "".join(parts)

bold = "<p>" + "".join('<b id="b%d">' % i for i in range(4000)) + "</p>" + \
    "<div>x</div>" * 20000 + "reopened end"
items = [
    {"id": "d-1", "url": "https://d.example/1", "title": "Nested deep",
     "content_html": deep("<div>", 100000)},
    {"id": "d-2", "url": "https://d.example/2", "title": "Lists deep",
     "content_html": deep("<ul><li>", 3000)},
    {"id": "d-3", "url": "https://d.example/3", "title": "Reopened",
     "content_html": bold},
    {"id": "d-4", "url": "https://d.example/4", "title": "After them",
     "content_html": "<p>An ordinary <b>item</b>.</p>"},
]
json.dump({"version": "https://jsonfeed.org/version/1.1", "title": "Deep",
           "items": items}, open(sys.argv[1], "w"))
PY
mail_sink
feedd_config <<EOF
allow_hosts = 127.0.0.1
[feed "$BASE/feed/deep.json"]
[notify "mail"]
type = mail
to = me@example.org
sendmail = $T/sendmail -t -oi
notify_first_poll = yes
EOF
feedd_start
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

four() { [ "$(ctl --json items | grep -c '"id"')" -eq 4 ]; }
check "the four items are stored" wait_for 30 four
# words FILE N: each of deep()'s words, and its last, are in FILE (its
# lines are wrapped, long runs of markup broken anywhere).
words() {
	python3 - "$1" "$2" <<'PY'
import sys
s = "".join(open(sys.argv[1], encoding="utf-8").read().split())
for i in range(0, int(sys.argv[2]), 1000):
    assert "w%d<" % i in s, "w%d lost" % i
assert s.endswith("endofit")
PY
}
PAGER= ctl show --keep-unread "$(id_of d-1)" >"$T/d1.out"
check "show: the deepest item, all of its text" words "$T/d1.out" 100000
check "show: read as its markup" grep -qF '<div><div><div>' "$T/d1.out"
ctl show --json --keep-unread "$(id_of d-2)" >"$T/d2.json"
check "show --json: lists nested no deeper than 256, all of the text" \
    python3 - "$T/d2.json" <<'PY'
import json, sys
from html.parser import HTMLParser
r = json.load(open(sys.argv[1]))
class Depth(HTMLParser):
    n = top = 0
    def handle_starttag(self, tag, a):
        if tag not in ("br", "hr", "img", "wbr"):
            self.n += 1
            self.top = max(self.top, self.n)
    def handle_endtag(self, tag):
        self.n -= 1
p = Depth()
p.feed(r["html"])
assert 200 < p.top <= 256, p.top
for i in range(0, 3000, 1000):
    assert "w%d" % i in r["html"] and "w%d" % i in r["text"], i
assert "end of it" in r["text"]
PY
PAGER= ctl show --keep-unread "$(id_of d-3)" >"$T/d3.out"
check "show: the re-opening item ends with its text" \
    sh -c "tr -d ' \\n' <'$T/d3.out' | grep -q 'reopenedend\$'"
check "search finds a word deep inside" \
    wait_for 20 sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf' --json search w90000 | grep -q '\"key\":\"d-1\"'"
mails() { [ "$(find "$T/mail" -name '*.eml' | wc -l)" -eq 4 ]; }
check "a mail for each of the four" wait_for 30 mails
check "the mail of the ordinary item" grep -rlq 'After them' "$T/mail"
check "status answers" ctl status
check "feedd is still running" kill -0 "$FEEDD_PID"
finish
