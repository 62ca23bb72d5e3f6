#!/bin/sh
# feedctl-peer.sh: feedctl against a peer on the socket that is not a
# sane feedd (a fake daemon in Python): a reply that never ends is cut at
# feedctl's 256 MiB line limit with a message, instead of taking all the
# memory there is; a peer that hangs up, even before feedctl has written,
# is reported as such.  Both are
# exit status 3 (the daemon cannot be used).
. "$(dirname "$0")/_lib.sh"

command -v python3 >/dev/null || { echo "python3 missing"; exit 1; }

# fake MODE: a one-connection server on $T/MODE.sock, ready once
# $T/MODE.ready exists; MODE "endless" answers with 300 MiB and no
# newline, "hangup" closes at once, before the request is read (so
# feedctl's write may find the socket gone: an error, never SIGPIPE).
fake() {
	python3 - "$T/$1.sock" "$1" <<'PY' &
import socket, sys
path, mode = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
open(path[:-len(".sock")] + ".ready", "w").close()
c, _ = s.accept()
if mode == "endless":
    c.recv(65536)
    chunk = b"x" * (1 << 20)
    try:
        for _ in range(300):
            c.sendall(chunk)
    except OSError:
        pass
c.close()
PY
	FAKE_PID=$!
	BG_PIDS="$BG_PIDS $FAKE_PID"
	wait_for 20 test -f "$T/$1.ready" || fail "the fake daemon did not start"
}

fake endless
"$FEEDD_BUILD/feedctl" -s "$T/endless.sock" status >"$T/out" 2>"$T/err"
rc=$?
check "endless reply: exit 3" [ "$rc" -eq 3 ]
check "endless reply: names the limit" grep -q 'reply of over 256 MiB' "$T/err"
wait "$FAKE_PID" 2>/dev/null

fake hangup
"$FEEDD_BUILD/feedctl" -s "$T/hangup.sock" status >"$T/out" 2>"$T/err"
rc=$?
check "hang-up: exit 3" [ "$rc" -eq 3 ]
check "hang-up: says so" grep -q 'closed the connection' "$T/err"
[ "$rc" -eq 3 ] || sed "s/^/    feedctl said: /" "$T/err"
wait "$FAKE_PID" 2>/dev/null
finish
