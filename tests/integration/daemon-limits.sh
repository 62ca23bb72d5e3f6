#!/bin/sh
# daemon-limits.sh: politeness and safety of the real feedd: its open
# files limit raised to the hard one, at most
# max_per_host connections to one host, private addresses refused for
# feeds added at run time (unless allowed) but not for config feeds,
# SIGHUP with a broken config keeping the old one, SIGTERM during 100
# transfers stopping within 5 s with the store intact.
. "$(dirname "$0")/_lib.sh"

httpd_start
W=$T/www
cp "$FEEDD_FIXTURES/samples/devdiscourse.rss" "$W/seed.rss"

# 200 feeds on one host, each answer taking 300 ms, max_per_host = 4.
{
	printf 'max_per_host = 4\nmax_parallel = 64\n'
	i=0
	while [ "$i" -lt 200 ]; do
		printf '[feed "%s/slow/300/seed.rss?n=%d"]\n' "$BASE" "$i"
		i=$((i + 1))
	done
} | feedd_config
# Started with a soft limit of 256 open files: feedd raises it to the
# hard limit (at most 65536), as 64 webhooks a notifier may need.
nofile_soft=$(ulimit -Sn)
ulimit -Sn 256
feedd_start
ulimit -Sn "$nofile_soft"
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || [ "$hard" -gt 65536 ] && hard=65536
soft=$(awk '/^Max open files/ {print $4}' "/proc/$FEEDD_PID/limits")
check "open files: the soft limit raised from 256 to $hard" \
    [ "$soft" = "$hard" ]
all_polled() {
	[ "$(dump feeds | grep -c '"status":"ok"')" -eq 200 ]
}
check "200 feeds on one host: all polled" wait_for 60 all_polled
stats=$(curl -s "$BASE/stats")
max_open=$(printf '%s\n' "$stats" | sed -n 's/.*"max_open": *\([0-9]*\).*/\1/p')
echo "server saw at most $max_open connections at once"
check "max_per_host = 4: never more than 4 connections at once" \
    [ -n "$max_open" ]
check "max_per_host = 4: never more than 4 connections at once" \
    [ "$max_open" -le 4 ]
check "max_per_host = 4: never more than 4 connections at once" \
    [ "$max_open" -ge 1 ]
feedd_stop

# A feed added at run time (as the socket will add them) pointing at
# 127.0.0.1 is refused; the same host declared in the config is fetched.
rm -f "$T/feedd.db"*
feedd_config <<EOF
[feed "$BASE/feed/seed.rss?from=config"]
EOF
"$FEEDD_BUILD/tests/storedump" "$T/feedd.db" add \
    "$BASE/feed/seed.rss?from=runtime" >/dev/null
"$FEEDD_BUILD/tests/storedump" "$T/feedd.db" add \
    "http://[::127.0.0.1]:$PORT/feed/seed.rss?from=compat" >/dev/null
feedd_start
cfg_ok() { [ "$(feed_field "$BASE/feed/seed.rss?from=config" status)" = ok ]; }
rt_err() { [ "$(feed_field "$BASE/feed/seed.rss?from=runtime" status)" = error ]; }
check "config feed on 127.0.0.1: fetched" wait_for 10 cfg_ok
check "runtime feed on 127.0.0.1: refused" wait_for 10 rt_err
rt_says() { feed_field "$BASE/feed/seed.rss?from=runtime" last_error | grep -q 'private or local'; }
check "runtime feed on 127.0.0.1: the error says why" rt_says
check "runtime feed on 127.0.0.1: no request reached the server" \
    [ "$(count_requests 'from=runtime')" = 0 ]
compat_says() { feed_field "http://[::127.0.0.1]:$PORT/feed/seed.rss?from=compat" last_error | grep -q 'private or local'; }
check "runtime feed on [::127.0.0.1] (IPv4-compatible): refused as local" \
    wait_for 10 compat_says

# allow_hosts names a host, not what it redirects to.
feedd_stop
cp "$T/feedd.conf" "$T/feedd.conf.good"
printf 'allow_hosts = localhost\n' >"$T/extra"
sed -i "/^\[daemon\]/r $T/extra" "$T/feedd.conf"
rm -f "$T/feedd.db"*
"$FEEDD_BUILD/tests/storedump" "$T/feedd.db" add \
    "http://localhost:$PORT/feed/seed.rss?via=name" >/dev/null
"$FEEDD_BUILD/tests/storedump" "$T/feedd.db" add \
    "http://localhost:$PORT/redirect/302//127.0.0.1:$PORT/feed/seed.rss?via=redirect" \
    >/dev/null
feedd_start
byname() { [ "$(feed_field "http://localhost:$PORT/feed/seed.rss?via=name" status)" = ok ]; }
byredir() { [ "$(feed_field "http://localhost:$PORT/redirect/302//127.0.0.1:$PORT/feed/seed.rss?via=redirect" status)" = error ]; }
check "allow_hosts: the named host is fetched" wait_for 10 byname
check "allow_hosts: a redirect from it to another private host is refused" \
    wait_for 10 byredir
check "allow_hosts: the redirect target was never asked" \
    [ "$(count_requests '^/feed/seed.rss[?]via=redirect$')" = 0 ]
feedd_stop
cp "$T/feedd.conf.good" "$T/feedd.conf"
rm -f "$T/feedd.db"*
"$FEEDD_BUILD/tests/storedump" "$T/feedd.db" add \
    "$BASE/feed/seed.rss?from=runtime" >/dev/null
feedd_start

# SIGHUP with a broken config: logged, the old one stays in force.
printf '[daemon]\nbogus_key = 1\n' >"$T/feedd.conf.broken"
cp "$T/feedd.conf" "$T/feedd.conf.good"
cp "$T/feedd.conf.broken" "$T/feedd.conf"
kill -HUP "$FEEDD_PID"
hup_logged() { grep -q 'keeping the running configuration' "$T/feedd.log"; }
check "SIGHUP with a broken config: reported" wait_for 5 hup_logged
check "SIGHUP with a broken config: names file and line" \
    grep -q 'feedd.conf:2: unknown key' "$T/feedd.log"
check "SIGHUP with a broken config: still running" kill -0 "$FEEDD_PID"
check "SIGHUP with a broken config: config feed kept" cfg_ok
# ... and status and metrics say so, until a reload that works.
st() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf.good" "$@"; }
check "SIGHUP with a broken config: --json status has config_error" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf.good' --json status |
    grep -q '\"config_error\":{\"error\":\"[^\"]*feedd.conf:2: unknown key'"
check "SIGHUP with a broken config: status says it" \
    sh -c "'$FEEDD_BUILD/feedctl' -c '$T/feedd.conf.good' status |
    grep -q '^config:   a reload failed .* running on the configuration before it: .*unknown key'"
metric() { st metrics | sed -n "s/^$1 \([0-9]*\)$/\1/p"; }
check "SIGHUP with a broken config: metrics count it" \
    [ "$(metric feedd_config_reload_failures_total)" = 1 ]
check "SIGHUP with a broken config: metrics: last reload not ok" \
    [ "$(metric feedd_config_last_reload_ok)" = 0 ]
cp "$T/feedd.conf.good" "$T/feedd.conf"
kill -HUP "$FEEDD_PID"
healed() { st --json status | grep -q '"config_error":null'; }
check "a reload that works clears config_error" wait_for 5 healed
check "metrics: the last reload ok again" \
    [ "$(metric feedd_config_last_reload_ok)" = 1 ]
feedd_stop

# allow_private = yes lets the runtime feed through.
cp "$T/feedd.conf.good" "$T/feedd.conf"
printf 'allow_private = yes\n' >"$T/extra"
sed -i "/^\[daemon\]/r $T/extra" "$T/feedd.conf"
rm -f "$T/feedd.db"*
"$FEEDD_BUILD/tests/storedump" "$T/feedd.db" add \
    "$BASE/feed/seed.rss?from=runtime" >/dev/null
feedd_start
rt_ok() { [ "$(feed_field "$BASE/feed/seed.rss?from=runtime" status)" = ok ]; }
check "allow_private = yes: the runtime feed is fetched" wait_for 10 rt_ok
feedd_stop

# A valid SIGHUP adds and removes config feeds.
rm -f "$T/feedd.db"*
feedd_config <<EOF
[feed "$BASE/feed/seed.rss?n=1"]
EOF
feedd_start
n1() { [ "$(feed_field "$BASE/feed/seed.rss?n=1" status)" = ok ]; }
check "reload: first config polled" wait_for 10 n1
feedd_config <<EOF
[feed "$BASE/feed/seed.rss?n=2"]
EOF
kill -HUP "$FEEDD_PID"
n2() { [ "$(feed_field "$BASE/feed/seed.rss?n=2" status)" = ok ]; }
gone1() { ! dump feeds | grep -qF 'seed.rss?n=1"'; }
check "reload: new config feed added and polled" wait_for 10 n2
check "reload: feed no longer in the config removed" wait_for 5 gone1
# A changed database path is refused and the running one kept: a second
# reload then compares with the path in use, not the refused one.
sed -i "s|^database = .*|database = $T/other.db|" "$T/feedd.conf"
kill -HUP "$FEEDD_PID"
refused_db() { grep -q "database changes need a restart; still using $T/feedd.db" "$T/feedd.log"; }
check "reload: a new database path is refused, naming the one in use" \
    wait_for 5 refused_db
sed -i "s|^database = .*|database = $T/third.db|" "$T/feedd.conf"
kill -HUP "$FEEDD_PID"
twice() { [ "$(grep -c "database changes need a restart; still using $T/feedd.db" "$T/feedd.log")" -eq 2 ]; }
check "reload: and again the path in use, not the refused one" \
    wait_for 5 twice
check "reload: never claims the refused path is in use" \
    test "$(grep -c "still using $T/other.db" "$T/feedd.log")" -eq 0
feedd_stop

# SIGTERM while 100 transfers are under way: out within 5 s, store fine.
rm -f "$T/feedd.db"*
{
	printf 'max_per_host = 100\nmax_parallel = 100\n'
	i=0
	while [ "$i" -lt 100 ]; do
		printf '[feed "%s/trickle/500/seed.rss?t=%d"]\n' "$BASE" "$i"
		i=$((i + 1))
	done
	printf '[feed "%s/feed/seed.rss?quick"]\n' "$BASE"
} | feedd_config
feedd_start
quick() { [ "$(feed_field "$BASE/feed/seed.rss?quick" status)" = ok ]; }
check "quick feed stored while 100 transfers trickle" wait_for 10 quick
busy() { [ "$(count_requests 'trickle')" -ge 100 ]; }
check "100 transfers under way" wait_for 10 busy
start=$(date +%s%N)
feedd_stop
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
echo "stopped in $ms ms"
check "SIGTERM during 100 transfers: exit status 0" [ "$FEEDD_RC" -eq 0 ]
check "SIGTERM during 100 transfers: within 5 s" [ "$ms" -lt 5000 ]
check "store intact after the stop" quick
seed_kept() { dump items | grep -q devdiscourse-3005012; }
check "store readable, the quick feed's item kept" seed_kept

# Without -v, as the units run it: the start, a reload, what the sync
# changed and the stop are logged as notices; each poll is not.
printf '[feed "%s/feed/seed.rss?quiet"]\n' "$BASE" | feedd_config
"$FEEDD_BUILD/feedd" -c "$T/feedd.conf" 2>"$T/quiet.log" &
QPID=$!
BG_PIDS="$BG_PIDS $QPID"
polled() { [ "$(feed_field "$BASE/feed/seed.rss?quiet" status)" = ok ]; }
check "no -v: the feed polled" wait_for 10 polled
kill -HUP "$QPID"
reloaded() { grep -q '^<5>reload: .*feedd.conf loaded (1 feed)' "$T/quiet.log"; }
check "no -v: the reload logged" wait_for 5 reloaded
kill -TERM "$QPID"
wait "$QPID"
check "no -v: the start logged" \
    grep -q '^<5>feedd [^ ]*: running (config ' "$T/quiet.log"
check "no -v: the sync's changes counted" \
    grep -q '^<5>config: 1 feed added, 0 updated, 101 removed' "$T/quiet.log"
check "no -v: the stop logged" grep -q '^<5>feedd: stopped' "$T/quiet.log"
check "no -v: no line for each poll or feed" \
    sh -c "! grep -q '^<6>' \"$T/quiet.log\""

# A retention setting that a reload brings applies at once.
rm -f "$T/feedd.db"*
mkfeed keep5 5
printf '[feed "%s/feed/keep5.rss"]\n' "$BASE" | feedd_config
feedd_start
items_n() { [ "$(dump items | grep -c '"id"')" -eq "$1" ]; }
check "retention: 5 items stored" wait_for 10 items_n 5
# A consumer that has acknowledged only the first item: the four after it
# are its to handle, and retention keeps them.
ctl5() { "$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" "$@"; }
ctl5 items --consumer job --from-start --limit 1 --ack >/dev/null
{ printf 'retention = 2\n'; printf '[feed "%s/feed/keep5.rss"]\n' "$BASE"; } |
    feedd_config
kill -HUP "$FEEDD_PID"
check "retention: a reload that sets it removes what no consumer holds" \
    wait_for 5 items_n 4
check "retention: the consumer still has its 4 items" \
    [ "$(ctl5 --json items --consumer job | wc -l)" -eq 4 ]
ctl5 consumers --remove job >/dev/null
kill -HUP "$FEEDD_PID"
check "retention: with the consumer gone, 2 are kept" wait_for 5 items_n 2
check "retention: said without -v" \
    grep -q '^<5>retention: 2 items removed' "$T/feedd.log"
lag0() {
	"$FEEDD_BUILD/feedctl" -c "$T/feedd.conf" --json status |
	    grep -q '"search_lag":0'
}
check "retention: the search index takes the removals in" wait_for 5 lag0
feedd_stop

finish
