#!/bin/sh
# run-demo.sh BUILD: what "make run" does: feedd in the foreground on
# config/demo.conf, its state under config/demo-state/ (never /var), the
# bundled sample feeds read through file: URLs, so no network is needed.
# Ctrl-C stops it cleanly.
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mkdir -p config/demo-state

cat <<MSG
feedd demo: polling the bundled sample feeds (config/demo.conf).
State: config/demo-state/ (delete it to start afresh).  Ctrl-C stops.

While it runs, in another terminal:
  $build/feedctl -s config/demo-state/feedd.sock items
  $build/feedctl -s config/demo-state/feedd.sock feeds
  $build/feedctl -s config/demo-state/feedd.sock watch
  $build/feedctl -c config/demo.conf search korea
MSG
echo
exec "$build/feedd" -c config/demo.conf -v
