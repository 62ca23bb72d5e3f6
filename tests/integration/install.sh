#!/bin/sh
# install.sh: "make install DESTDIR=..." installs exactly the expected
# files, with the unit paths substituted; an existing config is never
# overwritten; PREFIX=/usr puts units where systemd.pc says; "make
# uninstall" removes everything install added but the config.
. "$(dirname "$0")/_lib.sh"
top=${FEEDD_TOP:?run through tests/run.sh}

# The parent make's MAKEFLAGS (CC=, SANITIZE=) pick the build under test.
inst() { make -s --no-print-directory -C "$top" "$@" >>"$T/make.log" 2>&1; }
files() { (cd "$1" && find . ! -type d | sed 's|^\./|/|' | sort); }

root="$T/root"
check "make install PREFIX=/usr/local: exit 0" \
    inst install PREFIX=/usr/local DESTDIR="$root"
cat >"$T/want" <<'LIST'
/etc/feedd/feedd.conf
/usr/local/bin/feedctl
/usr/local/lib/systemd/system/feedd.service
/usr/local/lib/systemd/system/feedd.socket
/usr/local/lib/systemd/user/feedd.service
/usr/local/lib/sysusers.d/feedd.conf
/usr/local/lib/tmpfiles.d/feedd.conf
/usr/local/sbin/feedd
/usr/local/share/bash-completion/completions/feedctl
/usr/local/share/doc/feedd/feedd.conf.example
/usr/local/share/man/man1/feedctl.1
/usr/local/share/man/man5/feedd.conf.5
/usr/local/share/man/man7/feedd-protocol.7
/usr/local/share/man/man8/feedd.8
LIST
files "$root" >"$T/got"
if diff -u "$T/want" "$T/got"; then ok "the installed files"; else
	fail "the installed files (diff above)"; fi

u="$root/usr/local/lib/systemd/system/feedd.service"
check "feedd.service: ExecStart is the installed feedd" \
    grep -qx 'ExecStart=/usr/local/sbin/feedd -c /etc/feedd/feedd.conf' "$u"
check "user feedd.service: ExecStart is the installed feedd" \
    grep -q '^ExecStart=/usr/local/sbin/feedd ' \
    "$root/usr/local/lib/systemd/user/feedd.service"
check "no @PLACEHOLDER@ left in the units" \
    [ "$(cat "$root"/usr/local/lib/systemd/*/* | grep -c '@[A-Z]*@')" -eq 0 ]
check "the installed feedd runs" "$root/usr/local/sbin/feedd" --version
check "the installed feedctl runs" "$root/usr/local/bin/feedctl" --version
check "the example is config/feedd.conf" \
    cmp -s "$top/config/feedd.conf" \
    "$root/usr/local/share/doc/feedd/feedd.conf.example"
check "the installed config checks ok" "$root/usr/local/sbin/feedd" \
    -c "$root/etc/feedd/feedd.conf" --check-config
exe() { [ -x "$1" ] && [ ! -x "$2" ]; }
check "modes: binaries 755, pages 644" exe "$root/usr/local/sbin/feedd" \
    "$root/usr/local/share/man/man8/feedd.8"

# A site's config survives a reinstall.
echo '# edited by the site' >>"$root/etc/feedd/feedd.conf"
inst install PREFIX=/usr/local DESTDIR="$root"
check "a reinstall keeps an existing /etc/feedd/feedd.conf" \
    grep -q 'edited by the site' "$root/etc/feedd/feedd.conf"

check "make uninstall: exit 0" inst uninstall PREFIX=/usr/local DESTDIR="$root"
left=$(files "$root")
check "uninstall removes all but the config (left: $left)" \
    [ "$left" = /etc/feedd/feedd.conf ]

# PREFIX=/usr: systemd's own folders, from systemd.pc.
pcvar() { pkg-config --variable="$1" systemd 2>/dev/null || true; }
sys=$(pcvar systemdsystemunitdir); sys=${sys:-/usr/lib/systemd/system}
usr=$(pcvar systemduserunitdir); usr=${usr:-/usr/lib/systemd/user}
sysu=$(pcvar sysusersdir); sysu=${sysu:-/usr/lib/sysusers.d}
tmpf=$(pcvar tmpfilesdir); tmpf=${tmpf:-/usr/lib/tmpfiles.d}
root="$T/usr"
check "make install PREFIX=/usr: exit 0" inst install PREFIX=/usr DESTDIR="$root"
for f in "$sys/feedd.service" "$sys/feedd.socket" "$usr/feedd.service" \
    "$sysu/feedd.conf" "$tmpf/feedd.conf" /usr/sbin/feedd /usr/bin/feedctl \
    /usr/share/man/man8/feedd.8 /usr/share/man/man7/feedd-protocol.7; do
	check "PREFIX=/usr: $f" [ -f "$root$f" ]
done
check "PREFIX=/usr: ExecStart=/usr/sbin/feedd" \
    grep -q '^ExecStart=/usr/sbin/feedd ' "$root$sys/feedd.service"
inst uninstall PREFIX=/usr DESTDIR="$root"
left=$(files "$root")
check "PREFIX=/usr: uninstall leaves only the config" \
    [ "$left" = /etc/feedd/feedd.conf ]
[ "$FAILS" -eq 0 ] || cat "$T/make.log"
finish
