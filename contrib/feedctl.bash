# bash completion for feedctl (installed by "make install").
_feedctl()
{
	local cur prev words cword
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	}
	local commands="add consumers edit explain export feeds help import items
	    metrics notify parse poll read remove search show star status
	    unread unstar watch"
	local cmd="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-s|-c|--socket|--config) ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done
	case $prev in
	-s|--socket|-c|--config|--base)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	esac
	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-s --socket -c --config --json
			    --help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi
	local opts="--help"
	local settings="--user-agent --header --cookie --username --password
	    --password-file --proxy --charset --timeout --max-feed-size
	    --notify-first-poll"
	if [ "$cmd" = notify ] && [ "$prev" = notify ]; then
		COMPREPLY=($(compgen -W "test retry list" -- "$cur"))
		return
	fi
	case $cmd in
	add) opts="--title --tag --interval --no-check --pick $settings --help" ;;
	edit) opts="--title --tag --untag --interval --url --pause --resume
	    $settings --help" ;;
	feeds) opts="--tag --help" ;;
	consumers) opts="--remove --help" ;;
	items) opts="--feed --tag --since --unread --starred --limit --reverse
	    --consumer --from-start --ack --ack-to --help" ;;
	read|unread) opts="--all --feed --tag --before --help" ;;
	notify) opts="--parked --limit --help" ;;
	poll) opts="--force --wait --help" ;;
	search) opts="--limit --help" ;;
	show) opts="--keep-unread --json --help" ;;
	watch) opts="--feed --tag --since --help" ;;
	parse) opts="--base --charset --help" ;;
	import) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [ "$cmd" = parse ]; then
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _feedctl feedctl
