#!/bin/sh
# Run test programs (each printing TAP), show their output, and finish with
# "# N passed, N failed" summed over all of them. A program that crashes,
# exits non-zero without a failing test, or breaks its plan counts as one
# more failure, so a sanitizer abort cannot pass for success.
# Usage: tests/run.sh PROGRAM...   (a PROGRAM may be "sh tests/cli.sh")
set -u
pass=0 fail=0
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT INT TERM
for t in "$@"; do
	echo "# ---- $t"
	# Word splitting of $t is intended ("sh tests/cli.sh").
	# shellcheck disable=SC2086
	$t >"$out" 2>&1
	rc=$?
	cat "$out"
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$out" | tail -n 1)
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $t exited with status $rc"
		f=$((f + 1))
	elif [ -z "$plan" ] || [ "$plan" -ne $((p + f)) ]; then
		echo "not ok - $t: plan '${plan:-none}' does not match $((p + f)) tests"
		f=$((f + 1))
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
