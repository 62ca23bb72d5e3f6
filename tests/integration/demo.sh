#!/bin/sh
# demo.sh: what "make run" does, without touching config/demo-state:
# config/demo.conf's settings with the state moved to a temporary folder
# (its file: feeds still read the repository's config/samples), the seed
# item reached through feedctl, a clean exit 0 within 5 s of SIGINT; and
# run-demo.sh tells the user how to talk to the daemon.
. "$(dirname "$0")/_lib.sh"
top=${FEEDD_TOP:?run through tests/run.sh}
seed="North Korea and Russia Strengthen Military Ties Amid Global Concerns"

# demo.conf's relative paths are relative to itself: state to $T, and the
# samples made absolute (file:/ABS).
sed -e "s|^database = .*|database = $T/feedd.db|" \
    -e "s|^socket = .*|socket = $T/feedd.sock|" \
    -e "s|\"file:samples/|\"file:$top/config/samples/|" \
    "$top/config/demo.conf" >"$T/feedd.conf"
check "the copy keeps demo.conf's two feeds" \
    [ "$(grep -c '^\[feed "file:/' "$T/feedd.conf")" -eq 2 ]
check "the copy has no path left in config/" \
    [ "$(grep -v '^#' "$T/feedd.conf" | grep -c 'demo-state')" -eq 0 ]

feedd_start
ctl() { "$FEEDD_BUILD/feedctl" -s "$T/feedd.sock" "$@"; }
seen() { ctl items | grep -qF "$seed"; }
check "feedctl items: the seed item" wait_for 10 seen
two_feeds() { [ "$(ctl --json feeds | grep -c '"status":"ok"')" -eq 2 ]; }
check "both sample feeds polled ok" wait_for 10 two_feeds
# As demo.conf says: both polled again within a minute, ttl or not.
soon() { [ "$(ctl feeds | grep -cE ' in [0-9]+s ')" -eq 2 ]; }
check "both sample feeds are polled again within a minute" soon

kill -INT "$FEEDD_PID"
i=0
while kill -0 "$FEEDD_PID" 2>/dev/null && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$FEEDD_PID" 2>/dev/null; then
	fail "feedd still runs 5 s after SIGINT"
else
	wait "$FEEDD_PID"
	rc=$?
	check "SIGINT: exit status 0 (got $rc)" [ "$rc" -eq 0 ]
	FEEDD_PID=
	check "SIGINT: the socket is removed" [ ! -e "$T/feedd.sock" ]
	check "SIGINT: logged the stop" grep -q 'feedd: stopped' "$T/feedd.log"
fi

# run-demo.sh (make run) prints how to talk to feedd, then runs it on
# demo.conf; a stand-in feedd shows its arguments instead of running, and
# a copy of the script makes its demo-state folder under $T.
mkdir -p "$T/fakebuild" "$T/top/config"
printf '#!/bin/sh\necho "feedd-args: $*"\n' >"$T/fakebuild/feedd"
chmod +x "$T/fakebuild/feedd"
cp "$top/config/run-demo.sh" "$T/top/config/"
sh "$T/top/config/run-demo.sh" "$T/fakebuild" >"$T/run.out" 2>&1
check "make run: exit 0" [ $? -eq 0 ]
for want in "feedctl -s config/demo-state/feedd.sock items" \
    "feedctl -s config/demo-state/feedd.sock watch" "Ctrl-C" \
    "feedd-args: -c config/demo.conf -v"; do
	check "make run prints: $want" grep -qF -- "$want" "$T/run.out"
done
finish
