#!/bin/sh
# man.sh: the manual pages lint clean (mandoc -T lint at warning level,
# groff -ww), and they cover the code: every key of conf.c's tables is an
# item of feedd.conf(5), every command feedctl --help lists is one of
# feedctl(1), every option of feedd --help is in feedd(8), every socket
# method of rpc.c's table (and each parameter it takes) is in
# feedd-protocol(7).
. "$(dirname "$0")/_lib.sh"
top=${FEEDD_TOP:?run through tests/run.sh}
man="$top/man"
# clean RC FILE: the tool exited 0 and said nothing.
clean() { [ "$1" -eq 0 ] && [ ! -s "$2" ]; }

for p in feedctl.1 feedd.conf.5 feedd.8 feedd-protocol.7; do
	if command -v mandoc >/dev/null 2>&1; then
		mandoc -T lint -W warning "$man/$p" >"$T/lint" 2>&1
		rc=$?
		cat "$T/lint"
		check "mandoc -T lint $p: exit $rc, no warning" \
		    clean "$rc" "$T/lint"
	else
		echo "SKIP mandoc lint: mandoc is missing (tools/deps.sh)"
	fi
	groff -ww -z -mandoc "$man/$p" >"$T/groff" 2>&1
	rc=$?
	cat "$T/groff"
	check "groff -ww -mandoc $p: exit $rc, no warning" \
	    clean "$rc" "$T/groff"
	check "$p renders" [ "$(groff -mandoc -Tutf8 "$man/$p" 2>/dev/null |
	    wc -l)" -gt 40 ]
done

# Every configuration key (the .name of conf.c's key tables).
keys=$(sed -n 's/.*{ \.name = "\([a-z_]*\)".*/\1/p' "$top/common/conf.c" |
    sort -u)
check "conf.c has keys to check" [ "$(echo "$keys" | wc -w)" -ge 30 ]
for k in $keys; do
	grep -q "^\.It Cm $k " "$man/feedd.conf.5" ||
	    fail "feedd.conf.5 does not document key $k"
done
# ... and every key config/feedd.conf documents ("# key = default").
for k in $(sed -n 's/^# \([a-z_]*\) = .*/\1/p' "$top/config/feedd.conf"); do
	grep -q "^\.It Cm $k " "$man/feedd.conf.5" ||
	    fail "feedd.conf.5 does not document key $k (config/feedd.conf)"
done

# Every feedctl command, and the global options.
for c in $("$FEEDD_BUILD/feedctl" --help | sed -n 's/^  \([a-z]*\) .*/\1/p'); do
	grep -q "^\.It Ic $c\( \|$\)" "$man/feedctl.1" ||
	    grep -q "^\.It Ic [a-z]* .*, Ic $c " "$man/feedctl.1" ||
	    fail "feedctl.1 does not describe command $c"
done
for o in socket config json help version; do
	grep -q "Fl -$o" "$man/feedctl.1" || fail "feedctl.1 lacks --$o"
done

# feedd's options, signals, environment.
for o in $("$FEEDD_BUILD/feedd" --help | sed -n 's/.*, --\([a-z-]*\).*/\1/p'); do
	grep -q "Fl -$o" "$man/feedd.8" || fail "feedd.8 lacks --$o"
done
for w in SIGHUP SIGTERM FEEDD_CONFIG FEEDD_SOCKET 'Sh EXIT STATUS'; do
	grep -q "$w" "$man/feedd.8" || fail "feedd.8 lacks $w"
done
# Every socket method, with every parameter it takes (rpc_methods[]).
proto="$man/feedd-protocol.7"
sed -n '/^static const struct rpc_method rpc_methods/,/^};/p' \
    "$top/daemon/rpc.c" | tr -d '\n\t' | sed 's/},/}\n/g' |
    sed -n 's/.*{ *"\([a-z.]*\)", *[a-z_]*, *\(.*\) }.*/\1 \2/p' |
    tr -d '"' >"$T/methods"
check "rpc.c has methods to check" [ "$(wc -l <"$T/methods")" -ge 15 ]
while read -r m params; do
	grep -q "^\.It Li $m Li " "$proto" ||
	    fail "feedd-protocol.7 does not describe method $m"
	for p in $params; do
		grep "^\.It Li $m Li " "$proto" | grep -q "[{ ]$p[?,} ]" ||
		    fail "feedd-protocol.7: $m lacks parameter $p"
	done
done <"$T/methods"
for f in $(sed -n 's/.*"\([a-z_]*\)", .*/\1/p' "$top/daemon/store-json.c"); do
	grep -q "^\.It Li $f\( \|$\)" "$proto" ||
	    fail "feedd-protocol.7 does not describe record field $f"
done
grep -qi 'DESIGN' "$proto" && fail "feedd-protocol.7 names a file users lack"
[ "$FAILS" -eq 0 ] && ok "the pages cover every key, command, option and method"
finish
