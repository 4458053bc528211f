#!/bin/sh
# The man pages of man/: groff and man format them without a warning, and
# kcsadm.8 documents every command and option kcsadm has (the commands of
# `kcsadm --help` and of the command table, walked as for completion), so
# the page cannot fall behind. The example documents are valid. Run from
# userspace/.
set -u
K=${KCSADM:-./kcsadm}
. "$(dirname "$0")/tap.sh"
tap_tmp man
export LC_ALL=C.UTF-8

skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

pages=$(ls ../man/*.[1-8])
[ -n "$pages" ]
ok $? "man pages found: $(echo "$pages" | tr '\n' ' ')"

# A page with known faults: the checks below can fail.
printf '.TH X 1\n.SH NAME\nx \\- y\n.FOO\n' >"$tmp/bad.1"
for p in $pages "$tmp/bad.1"; do
	case $p in "$tmp"/*) want=warn ;; *) want=clean ;; esac
	if command -v groff >/dev/null 2>&1; then
		groff -ww -z -man "$p" >"$tmp/out" 2>&1
		rc=$?
		if [ "$want" = clean ]; then
			[ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ]
			ok $? "groff -ww -z -man ${p##*/}: no warning" ||
				sed 's/^/# /' "$tmp/out"
		else
			[ -s "$tmp/out" ]
			ok $? "groff -ww reports the faults of a bad page"
		fi
	else
		skip "groff ${p##*/}" "groff not installed (scripts/install-deps.sh installs groff-base)"
	fi
	if command -v man >/dev/null 2>&1; then
		man --warnings -l -Tutf8 "$p" >/dev/null 2>"$tmp/out"
		rc=$?
		if [ "$want" = clean ]; then
			[ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ]
			ok $? "man --warnings -l ${p##*/}: no warning" ||
				sed 's/^/# /' "$tmp/out"
		else
			[ -s "$tmp/out" ]
			ok $? "man --warnings reports the faults of a bad page"
		fi
	else
		skip "man ${p##*/}" "man not installed (scripts/install-deps.sh installs man-db)"
	fi
done

# kcsadm.8 as text, one paragraph a line.
if command -v man >/dev/null 2>&1; then
	MANWIDTH=1000 man -l ../man/kcsadm.8 2>/dev/null | col -b >"$tmp/kcsadm.txt"
else
	sed 's/\\-/-/g; s/\\f[BIRP]//g' ../man/kcsadm.8 >"$tmp/kcsadm.txt"
fi

# Every command of kcsadm --help starts an entry of COMMANDS.
for c in $("$K" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p' | sort -u); do
	grep -q "^       $c\( \|$\)" "$tmp/kcsadm.txt"
	ok $? "kcsadm.8 documents '$c' (kcsadm --help)"
done

# Every command of the table, subcommands included, and its options.
walk() {
	for w in $("$K" __complete "$@" | grep -v '^-'); do
		echo "$* $w" | sed 's/^ //'
		walk "$@" "$w"
	done
}
cmds=$(walk)
# Old names that --help lists as aliases ("Aliases: OLD = NEW"), if any:
# the page names them; their options are checked as any command's.
aliases=$("$K" --help | sed -n '/^Aliases/,/^$/p' | grep -o '[a-z][a-z-]* = ' |
	sed 's/ = //' | tr '\n' ' ')
while read -r cmd; do
	# shellcheck disable=SC2086
	if "$K" __complete $cmd | grep -qv '^-'; then
		continue	# a group: its subcommands are listed
	fi
	case " $aliases " in
	*" $cmd "*)
		grep -qw -- "$cmd" "$tmp/kcsadm.txt"
		ok $? "kcsadm.8 names the alias '$cmd'" ;;
	*)
		grep -q "^       $cmd\( \|$\)" "$tmp/kcsadm.txt"
		ok $? "kcsadm.8 documents '$cmd'" ;;
	esac
	# shellcheck disable=SC2086
	missing=$(for o in $("$K" __complete $cmd | grep '^--'); do
		grep -q -- "$o\([^a-z-]\|$\)" "$tmp/kcsadm.txt" || echo "$o"
	done | tr '\n' ' ')
	[ -z "$missing" ]
	ok $? "kcsadm.8 names the options of '$cmd'${missing:+ (missing: $missing)}"
done <<LIST
$cmds
LIST

# The examples: the first of kcs-profile.5 and of kcs-policy.5 are valid.
example() {	# example PAGE: the first .EX block of EXAMPLE(S), roff undone
	sed -n '/^\.SH EXAMPLE/,$p' "$1" |
		sed -n '/^\.EX/,/^\.EE/{/^\.E[XE]/!p}' |
		sed 's/\\-/-/g' | awk '{ print } /^}$/ { exit }'
}
example ../man/kcs-profile.5 >"$tmp/profile.json"
"$K" profile check -f "$tmp/profile.json" >/dev/null 2>"$tmp/out"
ok $? "kcs-profile.5's example passes profile check" || sed 's/^/# /' "$tmp/out"
example ../man/kcs-policy.5 >"$tmp/policy.json"
KCS_CONFDIR=$tmp/conf "$K" policy apply -f "$tmp/policy.json" >/dev/null 2>"$tmp/out"
ok $? "kcs-policy.5's example passes policy apply" || sed 's/^/# /' "$tmp/out"
echo "1..$n"
