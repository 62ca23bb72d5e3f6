#!/bin/sh
# completion.sh: the bash completion offers feedctl's commands and each
# command's options, and names every command feedctl --help lists.
set -u
top=${FEEDD_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
fails=0
comp() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
	    _feedctl; echo "${COMPREPLY[*]}"' _ "$top/contrib/feedctl.bash" "$@"
}
expect() {
	if [ "$1" = "$2" ]; then echo "ok: $3"; else
		echo "FAIL: $3: got '$1', want '$2'"; fails=$((fails + 1)); fi
}
expect "$(comp feedctl it)" "items" "a command from its start"
expect "$(comp feedctl items --con)" "--consumer" "an option of items"
expect "$(comp feedctl poll --w)" "--wait" "an option of poll"
expect "$(comp feedctl items --ack-)" "--ack-to" "items --ack-to"
expect "$(comp feedctl read --b)" "--before" "read --before"
expect "$(comp feedctl uns)" "unstar" "unstar"
expect "$(comp feedctl notify l)" "list" "notify list"
expect "$(comp feedctl notify list hook --p)" "--parked" "notify list --parked"
expect "$(comp feedctl -s /tmp/x wat)" "watch" "a command after -s PATH"
# Every command feedctl knows is completed.
for c in $("${FEEDD_BUILD:?}/feedctl" --help | sed -n 's/^  \([a-z]*\) .*/\1/p'); do
	case " $(comp feedctl '') " in
	*" $c "*) ;;
	*) echo "FAIL: command $c is not completed"; fails=$((fails + 1)) ;;
	esac
done
[ "$fails" -eq 0 ] && echo "ok: every command of feedctl --help is completed"
[ "$fails" -eq 0 ]
