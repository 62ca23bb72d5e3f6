#!/bin/sh
# xmlbase.sh: relative URLs inside content resolve against the xml:base
# in force there, not the item's link.  The real feedd polls an Atom
# feed (tests/fixtures/xmlbase-content.xml) whose entries carry xml:base
# on the feed, the entry and the content element, and links elsewhere;
# the record keeps "base", and `feedctl show`, `show --json`, an exec
# notifier's stdin and the HTML and text parts of a mail (parsed with
# Python's email package) carry the links resolved against it.
. "$(dirname "$0")/_lib.sh"

httpd_start
cp "$FEEDD_FIXTURES/xmlbase-content.xml" "$T/www/base.xml"
mail_sink
mkdir -p "$T/exec"
cat >"$T/hook.sh" <<'SH'
#!/bin/sh
cat >"$(dirname "$0")/exec/$FEEDD_ID.json"
SH
chmod +x "$T/hook.sh"
feedd_config <<EOF2
allow_hosts = 127.0.0.1
[feed "$BASE/feed/base.xml"]
[notify "mail"]
type = mail
to = me@example.org
sendmail = $T/sendmail -t -oi
notify_first_poll = yes
[notify "hook"]
type = exec
command = "$T/hook.sh"
notify_first_poll = yes
EOF2
feedd_start
ctl() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }

six() { [ "$(ctl --json items | grep -c '"id"')" -eq 6 ]; }
check "the six entries are stored" wait_for 10 six
id1=$(id_of tag:example.org,2003:1)
id3=$(id_of tag:example.org,2003:3)
id5=$(id_of tag:example.org,2003:5)

check "feedctl --json items: the entry's base is kept" python3 -c "
import json, sys
rs = {json.loads(l)['key']: json.loads(l) for l in open(sys.argv[1])}
assert rs['tag:example.org,2003:1']['base'] == 'http://example.org/2003/'
assert rs['tag:example.org,2003:1']['link'] == 'http://other.example/p'
assert rs['tag:example.org,2003:3']['base'] == 'http://example.org/c/'
assert 'base' not in rs['tag:example.org,2003:5'], rs['tag:example.org,2003:5']
" "$(ctl --json items >"$T/items.json"; echo "$T/items.json")"

PAGER= ctl show --keep-unread "$id1" >"$T/show1.out"
check "feedctl show: the link resolved against the entry's xml:base" \
    grep -q '^\[1\] http://example.org/2003/notes43$' "$T/show1.out"
check "feedctl show: not against the item's link" \
    sh -c "! grep -q 'other.example/notes43' '$T/show1.out'"
PAGER= ctl show --keep-unread "$id3" >"$T/show3.out"
check "feedctl show: xml:base on the content element itself" \
    grep -q '^\[1\] http://example.org/c/three$' "$T/show3.out"
PAGER= ctl show --keep-unread "$id5" >"$T/show5.out"
check "feedctl show: a base equal to the link changes nothing" \
    grep -q '^\[1\] http://example.org/feed/five#more$' "$T/show5.out"
check "feedctl show --json: html, text and base" python3 -c "
import json, subprocess
r = json.loads(subprocess.check_output(['$FEEDD_BUILD/feedctl', '-c',
    '$T/feedd.conf', 'show', '--json', '--keep-unread', '$id1']))
assert r['base'] == 'http://example.org/2003/', r
assert 'href=\"http://example.org/2003/notes43\"' in r['html'], r['html']
assert 'src=\"http://example.org/2003/img/disk.png\"' in r['html'], r['html']
assert '[1] http://example.org/2003/notes43' in r['text'], r['text']
assert 'notes43' in r['content'] and 'example.org' not in r['content']
"

all_exec() { [ "$(ls "$T/exec" | grep -c '\.json$')" -ge 6 ]; }
check "exec: every item is delivered" wait_for 15 all_exec
check "exec: stdin's html resolved against xml:base" python3 -c "
import glob, json
rs = {}
for p in glob.glob('$T/exec/*.json'):
    r = json.load(open(p))
    rs[r['key']] = r
r = rs['tag:example.org,2003:1']
assert 'href=\"http://example.org/2003/notes43\"' in r['html'], r['html']
assert r['base'] == 'http://example.org/2003/'
r = rs['tag:example.org,2003:4']
assert 'href=\"http://example.org/feed/archive/2003/four\"' in r['html'], r
"

all_mail() { [ "$(ls "$T/mail" | grep -c '\.eml$')" -ge 6 ]; }
check "mail: every item is mailed" wait_for 15 all_mail
check "mail: the HTML and text parts link against xml:base" python3 - \
    "$T/mail" <<'PY'
import email, email.policy, glob, sys
from html.parser import HTMLParser
class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src"):
                self.urls.append(v)
seen = 0
for path in glob.glob(sys.argv[1] + "/*.eml"):
    m = email.message_from_binary_file(open(path, "rb"),
        policy=email.policy.default)
    if str(m["Subject"]) != "Entry base, link elsewhere":
        continue
    seen += 1
    p = Links()
    p.feed(m.get_body(("html",)).get_content())
    text = m.get_body(("plain",)).get_content()
    assert "http://example.org/2003/notes43" in p.urls, p.urls
    assert "http://example.org/2003/img/disk.png" in p.urls, p.urls
    assert not any("other.example/notes43" in u for u in p.urls), p.urls
    assert "http://example.org/2003/notes43" in text, text
assert seen == 1, seen
PY
finish
