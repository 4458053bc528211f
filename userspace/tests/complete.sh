#!/bin/sh
# Shell completion (kcsadm __complete, contrib/completion/kcsadm) against
# --help: for every command and subcommand (walked through __complete),
# the long options of its --help "Options:" section must be those it
# accepts, and a group's usage lines must name the subcommands it has; the
# commands of `kcsadm --help` must be those of the table. A difference
# fails, so help and completion cannot drift apart. Run from userspace/.
set -u
K=${KCSADM:-./kcsadm}
. "$(dirname "$0")/tap.sh"

# Differences known when this test was written, reported as skips: an
# entry must match the difference exactly, so any other change fails.
# Remove an entry when its command's --help or options are fixed.
known() {	# known CMD DIFF
	case "$1: $2" in	# none known now
	esac
	return 1
}

words() { tr '\n' ' ' | sed 's/ $//'; }

# walk WORDS...: every command path below WORDS (one per line).
walk() {
	# shellcheck disable=SC2046
	for w in $($K __complete "$@" | grep -v '^-'); do
		echo "$* $w" | sed 's/^ //'
		walk "$@" "$w"
	done
}

# help_opts CMD...: the long options of the Options section of --help.
help_opts() {
	"$K" "$@" --help | sed -n '/^\(Global o\|O\)ptions:/,$p' |
		sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' |
		sort -u | words
}

cmds=$(walk)
[ -n "$cmds" ]
ok $? "__complete lists commands"

# The command list of kcsadm --help (and its aliases, "Aliases: OLD =
# NEW", if any) against the table.
h=$({ "$K" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p'
      "$K" --help | sed -n '/^Aliases/,/^$/p' | grep -o '[a-z][a-z-]* = ' |
	sed 's/ = //'; } | sort -u | words)
c=$("$K" __complete | grep -v '^-' | sort -u | words)
[ "$h" = "$c" ]
ok $? "kcsadm --help lists the commands of the table ($c)"

while read -r cmd; do
	# shellcheck disable=SC2086
	sub=$("$K" __complete $cmd | grep -v '^-' | sort -u | words)
	# shellcheck disable=SC2086
	opts=$("$K" __complete $cmd | grep '^-' | sort -u | words)
	if [ -n "$sub" ]; then
		# A group: its usage names each subcommand; --help, --json.
		# shellcheck disable=SC2086
		u=$("$K" $cmd --help |
			sed -n "s/^\(Usage:\)\{0,1\} *kcsadm $cmd \([a-z][a-zA-Z-]*\).*/\2/p" |
			sort -u | words)
		[ "$u" = "$sub" ]
		ok $? "$cmd: --help names the subcommands ($sub; help: $u)"
		[ "$opts" = "--help --json" ]
		ok $? "$cmd: group options --help --json ($opts)"
		continue
	fi
	# shellcheck disable=SC2086
	h=$(help_opts $cmd)
	extra=$(for o in $opts; do
		case " $h " in *" $o "*) ;; *) echo "$o" ;; esac
	done | words)
	missing=$(for o in $h; do
		case " $opts " in *" $o "*) ;; *) echo "$o" ;; esac
	done | words)
	if [ -z "$extra" ] && [ -z "$missing" ]; then
		ok 0 "$cmd: --help and completion agree ($opts)"
	elif [ -z "$missing" ] && known "$cmd" "accepted, not in --help: $extra"; then
		n=$((n + 1))
		echo "ok $n - $cmd: accepted, not in --help: $extra # SKIP known difference"
	else
		ok 1 "$cmd: --help and completion differ: accepted, not in --help: '$extra'; in --help, not accepted: '$missing'"
	fi
done <<EOF
$cmds
EOF

# After an option that takes a value: nothing (the shell completes files).
out=$("$K" __complete profile check --file)
[ -z "$out" ]
ok $? "no words after --file (a value follows)"
out=$("$K" __complete profile check -f)
[ -z "$out" ]
ok $? "no words after -f (a value follows)"
"$K" __complete profile check --file=x | grep -qx -- '--file'
ok $? "options after --file=VALUE"
"$K" __complete --json profile | grep -qx check
ok $? "global options before the command are skipped"
out=$("$K" __complete frobnicate)
[ -z "$out" ]
ok $? "nothing for an unknown command"

# The bash script, when bash is there: words through _kcsadm.
if command -v bash >/dev/null 2>&1; then
	out=$(K="$K" bash -c '. ../contrib/completion/kcsadm
		COMP_WORDS=("$K" profile ch); COMP_CWORD=2; _kcsadm
		echo "${COMPREPLY[*]}"
		COMP_WORDS=("$K" bind x --mo); COMP_CWORD=3; _kcsadm
		echo "${COMPREPLY[*]}"
		COMP_WORDS=("$K" bind x --mode ""); COMP_CWORD=4; _kcsadm
		echo "${COMPREPLY[*]}"' 2>&1)
	[ "$out" = "check
--mode
audit enforce" ]
	ok $? "contrib/completion/kcsadm completes (got: $(echo "$out" | words))"
else
	n=$((n + 1))
	echo "ok $n - contrib/completion/kcsadm # SKIP no bash"
fi
echo "1..$n"
