#!/bin/sh
# check-config.sh: feedd --check-config says ok or names what is wrong
# (exit 0 or 1), and what it refuses a start refuses too, before the
# database is made: a config error, and a socket_group that no group
# database knows.
. "$(dirname "$0")/_lib.sh"

checkconf() { "$FEEDD_BUILD/feedd" --check-config -c "$T/feedd.conf"; }

printf '[feed "http://127.0.0.1:9/a.xml"]\n' | feedd_config
checkconf >"$T/out" 2>"$T/err"
check "a good config: exit 0" [ $? -eq 0 ]
check "a good config: ok and the counts" \
    grep -q "feedd.conf: ok (1 feed, 0 notifiers)" "$T/out"

printf 'defualt_interval = 1h\n' | feedd_config
checkconf >"$T/out" 2>"$T/err"
check "an unknown key: exit 1" [ $? -eq 1 ]
check "an unknown key: FILE:LINE: message, as feedd(8) shows it" \
    grep -qx "$T/feedd.conf:7: unknown key \"defualt_interval\" in \\[daemon\\]" \
    "$T/err"

# A feed's charset must be one iconv knows: a misspelt one is refused,
# not ignored at every poll.
printf '[feed "http://127.0.0.1:9/a.xml"]\ncharset = nosuch-charset\n' |
    feedd_config
checkconf >"$T/out" 2>"$T/err"
check "an unknown charset: exit 1" [ $? -eq 1 ]
check "an unknown charset: FILE:LINE, naming it" grep -qx \
    "$T/feedd.conf:8: charset: \"nosuch-charset\" is not a charset this system knows (iconv -l lists them)" \
    "$T/err"

# A notifier's program that is not there: a warning, not an error (it
# may be installed before the first delivery); one on PATH passes.
printf '[notify "gone"]\ntype = exec\ncommand = %s/no-such-script --flag\n[notify "sh"]\ntype = exec\ncommand = sh -c true\n' \
    "$T" | feedd_config
checkconf >"$T/out" 2>"$T/err"
check "a missing exec program: still exit 0" [ $? -eq 0 ]
check "a missing exec program: a warning by line" grep -qx \
    "$T/feedd.conf:7: warning: notifier gone: $T/no-such-script: No such file or directory (its deliveries would fail)" \
    "$T/err"
check "a program on PATH: no warning" sh -c "! grep -q 'notifier sh' '$T/err'"

# sendmail and msmtp read the recipients from the headers only with -t.
printf '#!/bin/sh\ncat >/dev/null\n' >"$T/msmtp"
cp "$T/msmtp" "$T/sendmail"
chmod +x "$T/msmtp" "$T/sendmail"
printf '[notify "m1"]\ntype = mail\nto = root\nsendmail = %s/msmtp\n[notify "m2"]\ntype = mail\nto = root\nsendmail = %s/msmtp -t\n[notify "m3"]\ntype = mail\nto = root\nsendmail = %s/sendmail -oi -t\n[notify "m4"]\ntype = mail\nto = root\nsendmail = %s/sendmail -oi\n' \
    "$T" "$T" "$T" "$T" | feedd_config
checkconf >"$T/out" 2>"$T/err"
check "msmtp without -t: still exit 0" [ $? -eq 0 ]
check "msmtp without -t: a warning by line" grep -qx \
    "$T/feedd.conf:7: warning: notifier m1: $T/msmtp without -t (the recipients are in the message's To header only)" \
    "$T/err"
check "sendmail -oi without -t: a warning" grep -q 'notifier m4: .*without -t' "$T/err"
check "with -t: no warning" sh -c "! grep -q 'notifier m[23]' '$T/err'"

printf 'socket_group = feedd-no-such-group\n' | feedd_config
checkconf >"$T/out" 2>"$T/err"
check "an unknown socket_group: exit 1" [ $? -eq 1 ]
check "an unknown socket_group: says so, at FILE:LINE as every config error" \
    grep -qx "$T/feedd.conf:7: socket_group: no group feedd-no-such-group" \
    "$T/err"
"$FEEDD_BUILD/feedd" -c "$T/feedd.conf" >"$T/out" 2>"$T/err"
check "an unknown socket_group: feedd does not start" [ $? -eq 1 ]
check "an unknown socket_group: a start says FILE:LINE too" \
    grep -q "$T/feedd.conf:7: socket_group: no group feedd-no-such-group" \
    "$T/err"
check "an unknown socket_group: no database made" [ ! -e "$T/feedd.db" ]

# A socket whose folder is not there: the start fails before the database
# is made.
printf '[daemon]\ndatabase = %s/d2/feedd.db\nsocket = %s/nodir/feedd.sock\n' \
    "$T" "$T" >"$T/nodir.conf"
"$FEEDD_BUILD/feedd" -c "$T/nodir.conf" >"$T/out" 2>"$T/err"
check "a socket folder that is not there: feedd does not start" [ $? -eq 1 ]
check "a socket folder that is not there: says so" \
    grep -q "nodir/feedd.sock: the socket's folder .*nodir: No such file or directory" "$T/err"
check "a socket folder that is not there: no database made" \
    [ ! -e "$T/d2/feedd.db" ]

finish
