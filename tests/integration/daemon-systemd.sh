#!/bin/sh
# daemon-systemd.sh: what feedd and feedctl do under systemd, without
# systemd: the database and socket in $STATE_DIRECTORY/$RUNTIME_DIRECTORY
# when the config names none; feedctl finding the user service's socket
# with no -s, $FEEDD_SOCKET or config (and naming every path it tried when
# there is none); WATCHDOG=1 pings at half of $WATCHDOG_USEC; socket
# activation (systemd-socket-activate), whose socket outlives feedd.
. "$(dirname "$0")/_lib.sh"

# No flag, no env, a config that names no socket (as the user unit's
# and the installed one): feedctl looks for the user's and the system's
# socket, and says so.
rt="$T/rt"
mkdir -p "$rt"
: >"$T/nosocket.conf"
bare() {
	env -u FEEDD_SOCKET FEEDD_CONFIG="$T/nosocket.conf" XDG_RUNTIME_DIR="$rt" \
	    "$FEEDD_BUILD/feedctl" "$@"
}
bare status >/dev/null 2>"$T/err"
rc=$?
check "no daemon anywhere: exit 3 (got $rc)" [ "$rc" -eq 3 ]
check "the message names the user socket" \
    grep -qF "$rt/feedd/feedd.sock" "$T/err"
check "the message names the system socket" \
    grep -qF "/run/feedd/feedd.sock" "$T/err"
cat "$T/err"

# A config with no database or socket key, as the user unit runs it.
printf '[daemon]\nmin_interval = 1s\n' >"$T/feedd.conf"
mkdir -p "$rt/feedd"	# systemd makes RuntimeDirectory= before the start
rm -f "$T/notify.sock"
"$FEEDD_BUILD/tests/notifywait" "$T/notify.sock" 20 "$T/notify.log" \
    >/dev/null &
nw=$!
sleep 0.1
STATE_DIRECTORY="$T/state" RUNTIME_DIRECTORY="$rt/feedd" \
    WATCHDOG_USEC=400000 NOTIFY_SOCKET="$T/notify.sock" \
    "$FEEDD_BUILD/feedd" -c "$T/feedd.conf" -vv 2>>"$T/feedd.log" &
FEEDD_PID=$!
if ! wait "$nw"; then
	echo "feedd did not report READY=1"
	tail -n 30 "$T/feedd.log"
	exit 1
fi
check "the database is \$STATE_DIRECTORY/feedd.db" [ -f "$T/state/feedd.db" ]
check "the socket is \$RUNTIME_DIRECTORY/feedd.sock" [ -S "$rt/feedd/feedd.sock" ]
found() { bare status | grep -q '^feeds:'; }
check "feedctl without -s finds \$XDG_RUNTIME_DIR/feedd/feedd.sock" found
# The watchdog: READY=1 came; the next messages go to a new listener,
# which gives up after 2-3 s (it waits for a READY=1 that never comes).
"$FEEDD_BUILD/tests/notifywait" "$T/notify.sock" 3 "$T/watchdog.log" \
    >/dev/null 2>&1
pings=$(grep -c '^WATCHDOG=1' "$T/watchdog.log")
check "WATCHDOG=1 every 0.2 s with WATCHDOG_USEC=400000 ($pings in 2-3 s)" \
    [ "$pings" -ge 4 ]
feedd_stop
check "stopped with exit 0" [ "$FEEDD_RC" -eq 0 ]

# Without WATCHDOG_USEC no pings.
printf 'socket = %s/plain.sock\ndatabase = %s/plain.db\n' "$T" "$T" \
    >>"$T/feedd.conf"
feedd_start
"$FEEDD_BUILD/tests/notifywait" "$T/notify.sock" 2 "$T/nowd.log" \
    >/dev/null 2>&1
check "no WATCHDOG=1 without WATCHDOG_USEC" \
    [ "$(grep -c '^WATCHDOG=1' "$T/nowd.log")" -eq 0 ]
feedd_stop

# Socket activation: systemd-socket-activate listens, starts feedd (same
# pid) on the first connection and passes the socket.
if ! command -v systemd-socket-activate >/dev/null 2>&1; then
	echo "SKIP socket activation: systemd-socket-activate is missing" \
	    "(package systemd, tools/deps.sh installs it)"
	finish
fi
# As with feedd.socket, the config names the same path (feedd would
# refuse to start on a socket that answers, were it to bind its own).
printf '[daemon]\nsocket = %s/act.sock\ndatabase = %s/act.db\n' "$T" "$T" \
    >"$T/feedd.conf"
rm -f "$T/notify.sock"
"$FEEDD_BUILD/tests/notifywait" "$T/notify.sock" 20 "$T/notify.log" \
    >/dev/null &
nw=$!
sleep 0.1
systemd-socket-activate -l "$T/act.sock" \
    env NOTIFY_SOCKET="$T/notify.sock" \
    "$FEEDD_BUILD/feedd" -c "$T/feedd.conf" -vv 2>>"$T/feedd.log" &
FEEDD_PID=$!
wait_for 10 test -S "$T/act.sock" || fail "systemd-socket-activate did not listen"
"$FEEDD_BUILD/feedctl" -s "$T/act.sock" status >"$T/act.out" 2>&1
check "activated: the first connection is answered" grep -q '^feeds:' "$T/act.out"
check "activated: READY=1" wait "$nw"
act_again() { "$FEEDD_BUILD/feedctl" -s "$T/act.sock" status >/dev/null; }
check "activated: the same daemon answers again" act_again
feedd_stop
check "activated: stopped with exit 0" [ "$FEEDD_RC" -eq 0 ]
check "activated: systemd's socket is left in place" [ -S "$T/act.sock" ]
finish
