# shellcheck shell=sh disable=SC2034 # TAP_LAST is for the caller
# selftests/lib.sh: a tiny TAP (Test Anything Protocol) library for kcs
# selftest scripts. POSIX sh (busybox ash in the guest). Source it:
#
#	. "${0%/*}/lib.sh"
#	plan 3                          # optional; or call done_testing only
#	check "cgroup2 is mounted" grep -q cgroup2 /proc/mounts
#	check_fails "exec is denied" ctr_exec c1 /bin/denied
#	check_eq "exit status" "$st" 126
#	ok "$?" "a status computed by hand"    # 0 = pass
#	skip "needs veth" "module not available"
#	diag "anything, as a TAP comment"
#	done_testing                    # summary; exits 1 if anything failed
#
# Every reporting function returns 0, so scripts can use `set -eu`; the result
# of the last test is in $TAP_LAST (0 pass, 1 fail) for conditional follow-ups.
# Output goes to stdout: "ok N - desc", "not ok N - desc", "# diag".
# done_testing prints "# N passed, N failed, N skipped" and exits 0 only if
# nothing failed and the plan (if any) matched the number of tests run.

TAP_N=0 TAP_PASS=0 TAP_FAIL=0 TAP_SKIP=0 TAP_PLAN='' TAP_LAST=0 TAP_DONE=0

# plan N: announce the number of tests (optional).
plan() {
	TAP_PLAN=$1
	echo "1..$1"
}

# skip_all REASON: the whole script does not apply here; exits 0.
skip_all() {
	echo "1..0 # SKIP $*"
	TAP_DONE=1
	exit 0
}

# diag MSG...: a TAP comment line per input line.
diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

_tap_report() { # status description
	TAP_N=$((TAP_N + 1))
	if [ "$1" = 0 ]; then
		TAP_PASS=$((TAP_PASS + 1)) TAP_LAST=0
		echo "ok $TAP_N - $2"
	else
		TAP_FAIL=$((TAP_FAIL + 1)) TAP_LAST=1
		echo "not ok $TAP_N - $2"
	fi
}

# ok STATUS DESC: pass when STATUS is 0.
ok() {
	_tap_report "$1" "$2"
	return 0
}

# check DESC CMD [ARG]...: run CMD; pass when it exits 0. The command's
# output is shown (as TAP comments) only when it fails.
check() {
	_d=$1; shift
	_o=$("$@" 2>&1) && _s=0 || _s=$?
	_tap_report "$_s" "$_d"
	if [ "$_s" != 0 ]; then
		diag "command: $*"
		diag "exit status: $_s"
		[ -z "$_o" ] || diag "$_o"
	fi
	return 0
}

# check_fails DESC CMD [ARG]...: pass when CMD exits nonzero.
check_fails() {
	_d=$1; shift
	_o=$("$@" 2>&1) && _s=0 || _s=$?
	if [ "$_s" = 0 ]; then
		_tap_report 1 "$_d"
		diag "command: $*"
		diag "expected a failure, got exit status 0"
		[ -z "$_o" ] || diag "$_o"
	else
		_tap_report 0 "$_d"
	fi
	return 0
}

# check_eq DESC GOT WANT: pass when the two strings are equal.
check_eq() {
	if [ "$2" = "$3" ]; then
		_tap_report 0 "$1"
	else
		_tap_report 1 "$1"
		diag "got:  '$2'"
		diag "want: '$3'"
	fi
	return 0
}

# check_match DESC STRING PATTERN: pass when STRING matches the shell
# (case) PATTERN, e.g. check_match "error text" "$err" "*denied*".
check_match() {
	# shellcheck disable=SC2254 # $3 is a pattern on purpose
	case $2 in
	$3) _tap_report 0 "$1" ;;
	*)
		_tap_report 1 "$1"
		diag "got:  '$2'"
		diag "want: pattern '$3'"
		;;
	esac
	return 0
}

# skip DESC REASON: a test that does not apply; counts as a skip.
skip() {
	TAP_N=$((TAP_N + 1)) TAP_SKIP=$((TAP_SKIP + 1))
	echo "ok $TAP_N - $1 # SKIP ${2:-}"
	return 0
}

# bail_out REASON: stop everything (TAP "Bail out!"); exits 2.
bail_out() {
	echo "Bail out! $*"
	TAP_DONE=1
	exit 2
}

# done_testing: print the plan if none was given, the summary, and exit.
done_testing() {
	_rc=0
	if [ -z "$TAP_PLAN" ]; then
		echo "1..$TAP_N"
	elif [ "$TAP_PLAN" != "$TAP_N" ]; then
		diag "planned $TAP_PLAN tests but ran $TAP_N"
		_rc=1
	fi
	[ "$TAP_FAIL" = 0 ] || _rc=1
	echo "# $((TAP_PASS)) passed, $TAP_FAIL failed, $TAP_SKIP skipped"
	TAP_DONE=1
	exit "$_rc"
}

# at_exit CMD: run the shell command CMD when the script exits (any way),
# e.g. at_exit "ctr_destroy c1". lib.sh owns the EXIT trap: use this instead
# of trap ... EXIT. Commands run in the order registered.
TAP_AT_EXIT=
at_exit() {
	TAP_AT_EXIT="$TAP_AT_EXIT
$*"
}

# A script that exits without done_testing (set -e, a crash, a plain exit)
# is reported, and fails.
_tap_exit() {
	_s=$?
	trap - EXIT
	if [ -n "$TAP_AT_EXIT" ]; then
		_c=$TAP_AT_EXIT TAP_AT_EXIT=
		eval "$_c" || echo "# at_exit commands failed"
	fi
	if [ "$TAP_DONE" = 0 ]; then
		echo "# script exited (status $_s) after $TAP_N tests without done_testing"
		[ "$_s" != 0 ] || exit 1
	fi
}
trap _tap_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
