#!/bin/sh
# pg.sh start DIR | stop DIR | resume DIR: a throwaway PostgreSQL 15
# server for the tests.  "start" makes DIR (owned by an unprivileged user when run as
# root, since PostgreSQL refuses to run as root), runs initdb and pg_ctl
# there, listening only on a Unix socket in DIR (no TCP port at all),
# creates the database "feedd" and prints its libpq connection string.
# "stop" stops that server by the PID in its postmaster.pid; "resume"
# starts it again on the same data (a database that went away and came
# back).
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:?usage: pg.sh start|stop|resume DIR}
dir=${2:?usage: pg.sh start|stop|resume DIR}

# as_owner COMMAND...: runs COMMAND as the data folder's owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}

# pg_start: pg_ctl start on $dir/data, listening on a socket in $dir only
# (no TCP at all); fsync off, since the data is thrown away.
pg_start() {
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
	    -t 60 -o "-c listen_addresses= -k $dir -c fsync=off \
	    -c synchronous_commit=off -c full_page_writes=off" start \
	    >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
}

case $cmd in
resume)
	pg_start
	;;
start)
	[ -x "$PGBIN/initdb" ] || { echo "pg.sh: no $PGBIN/initdb" >&2; exit 1; }
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$dir"
	chmod 700 "$dir"
	as_owner "$PGBIN/initdb" -D "$dir/data" -U feedd -A trust \
	    --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
	    { cat "$dir/initdb.log" >&2; exit 1; }
	pg_start
	# Clients (root) need to get through the folder to the socket.
	chmod 711 "$dir"
	as_owner "$PGBIN/createdb" -h "$dir" -U feedd feedd
	echo "postgresql:///feedd?host=$dir&user=feedd"
	;;
stop)
	[ -f "$dir/data/postmaster.pid" ] || exit 0
	pid=$(head -n 1 "$dir/data/postmaster.pid")
	# SIGINT is PostgreSQL's "fast" shutdown; then wait for the PID.
	kill -INT "$pid" 2>/dev/null || exit 0
	i=0
	while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
	exit 0
	;;
*)
	echo "usage: pg.sh start|stop|resume DIR" >&2
	exit 2
	;;
esac
