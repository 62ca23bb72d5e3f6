#!/bin/sh
# systemd-units.sh: every unit as "make install" writes it passes
# "systemd-analyze verify" (pointed at the DESTDIR copy of feedd, which
# verify insists exists, and at the installed man pages for
# Documentation=), feedd.service's "systemd-analyze security" exposure
# stays at or under 2.0 ("OK"), and the sysusers.d and tmpfiles.d
# snippets apply to an empty root.  systemd need not run: these only
# read the files.
. "$(dirname "$0")/_lib.sh"
top=${FEEDD_TOP:?run through tests/run.sh}

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "SKIP: systemd-analyze is missing (package systemd;" \
	    "tools/deps.sh installs it)"
	exit 0
fi

root="$T/root"
make -s --no-print-directory -C "$top" install PREFIX=/usr/local \
    DESTDIR="$root" >"$T/make.log" 2>&1 || { cat "$T/make.log"; exit 1; }
mkdir -p "$T/system" "$T/user" "$T/xdg"
for u in feedd.service feedd.socket; do
	sed "s|/usr/local/sbin/feedd|$root/usr/local/sbin/feedd|" \
	    "$root/usr/local/lib/systemd/system/$u" >"$T/system/$u"
done
sed "s|/usr/local/sbin/feedd|$root/usr/local/sbin/feedd|" \
    "$root/usr/local/lib/systemd/user/feedd.service" >"$T/user/feedd.service"
check "the copies point at the DESTDIR feedd" \
    grep -q "^ExecStart=$root/usr/local/sbin/feedd " "$T/system/feedd.service"

# Documentation=man:... is checked through man(1) when there is one.
manopt=--man=no
command -v man >/dev/null 2>&1 && manopt=--man=yes
export MANPATH="$root/usr/local/share/man"

# verify exits 0 on many a problem it only warns about ("Unknown key",
# "ignoring"), so any output fails the test too.
systemd-analyze verify $manopt "$T/system/feedd.service" \
    "$T/system/feedd.socket" >"$T/verify.out" 2>&1
rc=$?
cat "$T/verify.out"
check "verify feedd.service feedd.socket: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "verify feedd.service feedd.socket: no complaint" [ ! -s "$T/verify.out" ]

XDG_RUNTIME_DIR="$T/xdg" systemd-analyze --user verify $manopt \
    "$T/user/feedd.service" >"$T/verify-user.out" 2>&1
rc=$?
cat "$T/verify-user.out"
check "verify --user feedd.service: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "verify --user feedd.service: no complaint" [ ! -s "$T/verify-user.out" ]

# The test can fail: a unit with a typo is caught.
sed 's/^Type=notify/Type=notfy/' "$T/system/feedd.service" \
    >"$T/system/broken.service"
systemd-analyze verify --man=no "$T/system/broken.service" >"$T/broken.out" 2>&1
check "verify reports a broken unit" [ -s "$T/broken.out" ]

systemd-analyze security --offline=yes "$T/system/feedd.service" \
    >"$T/security.out" 2>&1
line=$(grep 'Overall exposure level' "$T/security.out")
echo "$line"
exposure=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9.]*\) .*/\1/p')
check "security: an exposure figure ($exposure)" [ -n "$exposure" ]
le2() { awk -v e="$1" 'BEGIN { exit !(e + 0 <= 2.0) }'; }
check "security: exposure $exposure <= 2.0" le2 "${exposure:-99}"
check "security: rated OK" grep -q 'Overall exposure level.* OK' "$T/security.out"
[ "$FAILS" -eq 0 ] || grep '✗' "$T/security.out"

# The snippets, applied to an empty root: the user, then its folders.
sr="$T/sysroot"
mkdir -p "$sr/etc"
systemd-sysusers --root="$sr" "$root/usr/local/lib/sysusers.d/feedd.conf" \
    >"$T/sysusers.out" 2>&1
check "sysusers.d/feedd.conf: applies" [ $? -eq 0 ]
check "sysusers.d/feedd.conf: a system user feedd without a shell" \
    grep -q '^feedd:x:[0-9]*:[0-9]*:.*:/var/lib/feedd:.*nologin$' \
    "$sr/etc/passwd"
systemd-tmpfiles --root="$sr" --create \
    "$root/usr/local/lib/tmpfiles.d/feedd.conf" >"$T/tmpfiles.out" 2>&1
check "tmpfiles.d/feedd.conf: applies" [ $? -eq 0 ]
uid=$(sed -n 's/^feedd:x:\([0-9]*\):.*/\1/p' "$sr/etc/passwd")
for d in /run/feedd /var/lib/feedd; do
	check "tmpfiles.d/feedd.conf: $d 0750, owned by feedd" \
	    [ "$(stat -c '%a %u' "$sr$d" 2>/dev/null)" = "750 $uid" ]
done
finish
