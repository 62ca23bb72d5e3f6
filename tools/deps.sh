#!/bin/sh
# deps.sh [bench]: make sure the Debian 12 packages feedd's build, tests
# and fuzzing need (and, with "bench", the benchmarks' nginx) are
# installed.  As root, installs what is missing with apt-get; otherwise
# prints the exact command and fails.
set -eu

PKGS="make gcc pkg-config libcurl4-openssl-dev libexpat1-dev libevent-dev
libsqlite3-dev libjansson-dev libyajl-dev libinih-dev libsystemd-dev libssl-dev
libcmocka-dev libgumbo-dev libutf8proc-dev libunibreak-dev libpcre2-dev
zlib1g-dev clang libclang-rt-dev curl"
[ "${1:-}" = bench ] && PKGS="$PKGS nginx"
# The unit, install and manual tests: systemd-analyze and
# systemd-socket-activate, mandoc -T lint, groff.
PKGS="$PKGS systemd mandoc groff-base"
# The notifier test checks webhook signatures with openssl dgst.
PKGS="$PKGS openssl"
# content.sh checks the mail the notifiers write with Python's email and
# html.parser packages (parsed, not grepped).
PKGS="$PKGS python3"
# The PostgreSQL backend links libpq; its tests start a throwaway
# PostgreSQL server of their own (initdb, pg_ctl).
PKGS="$PKGS libpq-dev postgresql-15"

missing=
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "feedd: missing packages; run as root:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
echo "feedd: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
