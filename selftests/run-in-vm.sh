#!/bin/sh
# Run kcs selftests and aggregate their TAP. Runs inside the test VM (started
# by scripts/selftest.sh), but works on any Linux with a busybox-like sh.
#
# usage: run-in-vm.sh [TEST]...
#   TEST: a script name in this directory (00-boot, 00-boot.t.sh) or a path;
#         default: every *.t.sh here, in name order.
# Environment: KCS_TEST_TIMEOUT per-script timeout in seconds (default 300);
# KCS_TEST_BUDGET: seconds of uptime after which no script starts (each
# one left is a SKIP that says so: make check's guard against overrunning
# CI's time on a slow machine).
# Tests get KCS_DIR: the payload directory (default: the parent of this
# script's directory, /kcs in the VM).
#
# Output is TAP version 13 with one top-level test point per script; each
# script's own TAP is shown indented (a TAP subtest). The last line is
# "# N passed, N failed" over all test points of all scripts; a script that
# fails without a "not ok" line (crash, timeout, bad plan, kernel taint)
# counts as one failed test. Exit status: 0 if nothing failed, else 1.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# Tests find the payload (kcs.ko, kcsadm, ...) here: /kcs in the VM.
KCS_DIR=${KCS_DIR:-$(dirname "$here")}
export KCS_DIR
timeout=${KCS_TEST_TIMEOUT:-300}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kcs-selftests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ $# -eq 0 ]; then
	set -- "$here"/*.t.sh
	[ -e "$1" ] || { echo "Bail out! no *.t.sh in $here"; exit 1; }
fi

# Resolve the names first so that a typo fails before anything runs.
n=0
for t in "$@"; do
	case $t in
	*/*) p=$t ;;
	*.t.sh) p=$here/$t ;;
	*) p=$here/$t.t.sh ;;
	esac
	[ -f "$p" ] || { echo "Bail out! no such test: $t ($p)"; exit 1; }
	n=$((n + 1))
	echo "$p" >>"$tmp/list"
done

# Taint bits that mean a kernel problem: M(4) B(5) D(7) W(9) L(14).
bad_taint() {
	echo $(($(cat /proc/sys/kernel/tainted) & (1 << 4 | 1 << 5 | 1 << 7 | 1 << 9 | 1 << 14)))
}

echo "TAP version 13"
echo "1..$n"
i=0 pass=0 fail=0 skip=0 sfail=0
while IFS= read -r p; do
	i=$((i + 1))
	name=${p##*/}
	echo "# $name"
	if [ -n "${KCS_TEST_BUDGET:-}" ] &&
		[ "$(cut -d. -f1 /proc/uptime)" -ge "$KCS_TEST_BUDGET" ]; then
		skip=$((skip + 1))
		echo "ok $i - $name # SKIP the time budget is spent (KCS_TEST_BUDGET=$KCS_TEST_BUDGET s)"
		continue
	fi
	taint0=$(bad_taint)
	start=$(date +%s)
	# The subtest's output goes through awk, which indents it and counts.
	{
		st=0
		(cd "$(dirname "$p")" && exec timeout "$timeout" sh "$p") </dev/null 2>&1 || st=$?
		echo "KCS-RC $st"
	} | awk -v out="$tmp/count" '
		/^KCS-RC / { rc = $2; next }
		{ print "    " $0; fflush() }
		/^1\.\.[0-9]+/ { plan = $0; sub(/^1\.\./, "", plan); sub(/[^0-9].*/, "", plan)
		                 if ($0 ~ /# *[Ss][Kk][Ii][Pp]/) skipall = 1 }
		/^ok / { n++; if ($0 ~ /# *[Ss][Kk][Ii][Pp]/) s++; else p++ }
		/^not ok / { n++; if ($0 ~ /# *[Tt][Oo][Dd][Oo]/) p++; else f++ }
		/^Bail out!/ { bail = 1 }
		END { printf "%d %d %d %d %s %d %d\n", p, f, s, n, (plan == "" ? "-" : plan), bail, rc > out }'
	read -r p_ f_ s_ n_ plan_ bail_ rc_ <"$tmp/count"
	secs=$(($(date +%s) - start))
	why=
	[ "$f_" = 0 ] || why="$f_ failed"
	if [ "$rc_" = 124 ] || [ "$rc_" = 143 ]; then why="${why:+$why, }timeout after ${timeout}s"
	elif [ "$rc_" != 0 ] && ! { [ "$f_" != 0 ] && [ "$rc_" = 1 ]; }; then
		# (status 1 with "not ok" lines is the normal way to fail)
		why="${why:+$why, }exit status $rc_"
	fi
	[ "$bail_" = 0 ] || why="${why:+$why, }bailed out"
	[ "$plan_" != - ] || why="${why:+$why, }no plan"
	[ "$plan_" = - ] || [ "$plan_" = "$n_" ] || why="${why:+$why, }planned $plan_, ran $n_"
	if [ "$(bad_taint)" != "$taint0" ]; then
		why="${why:+$why, }kernel tainted (warning/Oops) during the test: $(cat /proc/sys/kernel/tainted)"
	fi
	pass=$((pass + p_)) skip=$((skip + s_)) fail=$((fail + f_))
	if [ -n "$why" ]; then
		# a script failure not visible as a "not ok" line counts once more
		[ "$f_" != 0 ] || fail=$((fail + 1))
		[ "$f_" = 0 ] || [ "$why" = "$f_ failed" ] || fail=$((fail + 1))
		sfail=$((sfail + 1))
		echo "not ok $i - $name # $why (${secs}s)"
	elif [ "$n_" = 0 ] && [ "$plan_" = 0 ]; then
		echo "ok $i - $name # SKIP (${secs}s)"
	else
		echo "ok $i - $name (${secs}s)"
	fi
done <"$tmp/list"

echo "# $n scripts, $sfail failed; $skip tests skipped"
echo "# $pass passed, $fail failed"
[ "$fail" = 0 ]
