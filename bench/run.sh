#!/bin/sh
# run.sh BENCH...: each bench in turn, as "make bench" runs them.
# bench/poll also runs on a throwaway PostgreSQL 15 (tests/tools/pg.sh,
# stopped at the end) when the server is installed, so PostgreSQL's rows,
# one node and two, sit beside sqlite's.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
base=

cleanup() {
	if [ -n "$base" ]; then
		sh "$top/tests/tools/pg.sh" stop "$base/pg"
		rm -rf "$base"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for b in "$@"; do
	echo "== $b"
	case $b in
	*/poll)
		if [ ! -x "$PGBIN/initdb" ]; then
			echo "(no PostgreSQL 15 server in $PGBIN: no --pg rows)"
			"$b" || exit 1
			continue
		fi
		base=$(mktemp -d /tmp/feedd-bench-pg.XXXXXX) || exit 1
		chmod 711 "$base"	# the server runs as nobody when we are root
		conn=$(sh "$top/tests/tools/pg.sh" start "$base/pg") || exit 1
		"$b" --pg "$conn" || exit 1
		;;
	*)
		"$b" || exit 1
		;;
	esac
done
