#!/bin/sh
# Self-check of the selftest harness: lib.sh must count failures as failures,
# and run-in-vm.sh must report failing and crashing scripts as "not ok" and
# exit nonzero. Prints TAP; runs on the host (sh selftests/lib-selftest.sh)
# and in the VM (00-boot.t.sh runs it). Deliberately does not use lib.sh to
# report its own results.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kcs-libselftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

res() { # status description [diagnostic]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/# /'
	fi
}

# t NAME BODY: write a test script using lib.sh, run it, keep output and status
t() {
	{
		echo 'set -eu'
		echo ". '$here/lib.sh'"
		printf '%s\n' "$2"
	} >"$tmp/$1.t.sh"
	st=0
	out=$(cd "$tmp" && sh "$tmp/$1.t.sh" 2>&1) || st=$?
}
# expect DESC STATUS PATTERN...: last run exited with STATUS and its output
# has a line matching each grep -E PATTERN
expect() {
	d=$1 want=$2; shift 2
	why=
	[ "$st" = "$want" ] || why="exit status $st, want $want"
	for p in "$@"; do
		printf '%s\n' "$out" | grep -Eq -- "$p" || why="${why:+$why; }no line matching /$p/"
	done
	if [ -n "$why" ]; then res 1 "$d" "$why
--- output:
$out"
	else res 0 "$d"
	fi
}

t pass 'plan 3
check "true passes" true
check_fails "false fails as expected" false
check_eq "equal strings" abc abc
done_testing'
expect "all passing: exit 0, three ok" 0 '^1\.\.3$' '^ok 1 - true passes$' \
	'^ok 2 - ' '^ok 3 - ' '^# 3 passed, 0 failed, 0 skipped$'

t fail 'plan 3
check "first passes" true
check "deliberate failure" false
ok 0 "still runs after a failure"
done_testing'
expect "a failing check is 'not ok' and fails the script" 1 \
	'^not ok 2 - deliberate failure$' '^# exit status: 1$' '^ok 3 - ' \
	'^# 2 passed, 1 failed, 0 skipped$'

t fails_ok 'check_fails "a command that succeeds" true
done_testing'
expect "check_fails on a succeeding command fails" 1 '^not ok 1 - ' '^1\.\.1$'

t eq 'check_eq "differ" "got" "want"
check_match "pattern" "permission denied" "*denied*"
check_match "pattern mismatch" "ok" "*denied*"
ok 1 "ok with nonzero status"
done_testing'
expect "check_eq/check_match/ok report mismatches" 1 '^not ok 1 - differ$' \
	"^# got:  'got'$" '^ok 2 - pattern$' '^not ok 3 - ' '^not ok 4 - ' \
	'^# 1 passed, 3 failed, 0 skipped$'

t plan 'plan 3
check "one" true
check "two" true
done_testing'
expect "running fewer tests than planned fails" 1 '^# planned 3 tests but ran 2$'

t crash 'check "one" true
false
check "never reached" true
done_testing'
expect "a script dying under set -e fails" 1 \
	'^# script exited \(status 1\) after 1 tests without done_testing$'

t early 'check "one" true
exit 0'
expect "exit 0 without done_testing fails" 1 'without done_testing'

t skip 'skip "not here" "no veth"
check "one" true
done_testing'
expect "skip is not a failure" 0 '^ok 1 - not here # SKIP no veth$' \
	'^# 1 passed, 0 failed, 1 skipped$'

t skipall 'skip_all "needs something"'
expect "skip_all: 1..0 # SKIP, exit 0" 0 '^1\.\.0 # SKIP needs something$'

t atexit 'at_exit "echo cleanup-ran"
check "fails" false
done_testing'
expect "at_exit commands run when the script ends" 1 '^cleanup-ran$'

t bail 'bail_out "cannot go on"
check "never" true'
expect "bail_out stops the script" 2 '^Bail out! cannot go on$'

# run-in-vm.sh aggregation over a directory of scripts
mkdir "$tmp/suite"
cp "$here/lib.sh" "$tmp/suite/"
cat >"$tmp/suite/a-pass.t.sh" <<'EOF'
set -eu
. "${0%/*}/lib.sh"
check "passes" true
check "passes too" true
done_testing
EOF
cat >"$tmp/suite/b-fail.t.sh" <<'EOF'
set -eu
. "${0%/*}/lib.sh"
check "passes" true
check "deliberate failure" false
done_testing
EOF
cat >"$tmp/suite/c-crash.t.sh" <<'EOF'
echo "ok 1 - looks fine"
exit 3
EOF
cat >"$tmp/suite/d-skip.t.sh" <<'EOF'
. "${0%/*}/lib.sh"
skip_all "not applicable"
EOF
cp "$here/run-in-vm.sh" "$tmp/suite/"
st=0
out=$(sh "$tmp/suite/run-in-vm.sh" 2>&1) || st=$?
expect "run-in-vm.sh: failing scripts are 'not ok', exit 1" 1 \
	'^1\.\.4$' '^ok 1 - a-pass\.t\.sh' \
	'^    not ok 2 - deliberate failure$' '^not ok 2 - b-fail\.t\.sh # 1 failed ' \
	'^not ok 3 - c-crash\.t\.sh # exit status 3, no plan ' \
	'^ok 4 - d-skip\.t\.sh # SKIP' '^# 4 passed, 2 failed$'
last=$(printf '%s\n' "$out" | tail -n 1)
if [ "$last" = "# 4 passed, 2 failed" ]; then res 0 "run-in-vm.sh: summary is the last line"
else res 1 "run-in-vm.sh: summary is the last line" "last line: $last"
fi
st=0
out=$(sh "$tmp/suite/run-in-vm.sh" a-pass d-skip.t.sh 2>&1) || st=$?
expect "run-in-vm.sh: a passing selection exits 0" 0 '^1\.\.2$' '^# 2 passed, 0 failed$'
st=0
out=$(sh "$tmp/suite/run-in-vm.sh" no-such-test 2>&1) || st=$?
expect "run-in-vm.sh: an unknown test name bails out" 1 '^Bail out! no such test'

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed, 0 skipped"
[ "$failed" = 0 ]
