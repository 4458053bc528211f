#!/bin/sh
# KUnit: load kcs_kunit.ko (present in the payload only when the kernel has
# CONFIG_KUNIT, i.e. the debug kernel) and report each KUnit case as a TAP
# test, from the suite's KTAP results in debugfs.
set -eu
. "${0%/*}/lib.sh"

ko=${KCS_DIR:-/kcs}/kcs_kunit.ko
[ -f "$ko" ] || skip_all "no kcs_kunit.ko (kernel without CONFIG_KUNIT)"
check "kcs_kunit.ko loads (runs the suite)" insmod "$ko"
res=/sys/kernel/debug/kunit/kcs/results
check "KTAP results in debugfs" test -r "$res"
if [ -r "$res" ]; then
	# Case lines are indented "ok N name" / "not ok N name" (KTAP v1);
	# the suite's own line is not indented.
	grep -E '^[[:space:]]+(not )?ok [0-9]+ ' "$res" >"/tmp/kunit.cases" || :
	check "the suite ran cases" test -s /tmp/kunit.cases
	while read -r l; do
		case $l in
		"not ok "*) ok 1 "kunit: ${l#not ok * }" ;;
		"ok "*) ok 0 "kunit: ${l#ok * }" ;;
		esac
	done </tmp/kunit.cases
	grep -q '^# ' "$res" && diag "$(grep -E '^[[:space:]]*# ' "$res")"
fi
rmmod kcs_kunit 2>/dev/null || :
done_testing
