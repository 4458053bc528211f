#!/bin/sh
# KUnit: load kcs_kunit.ko (present in the payload only when the kernel has
# CONFIG_KUNIT, i.e. the debug kernel) and report each KUnit case of each of
# its suites (kcs, kcs_binding, kcs_event) as a TAP test, from the suites'
# KTAP results in debugfs.
set -eu
. "${0%/*}/lib.sh"

ko=${KCS_DIR:-/kcs}/kcs_kunit.ko
[ -f "$ko" ] || skip_all "no kcs_kunit.ko (kernel without CONFIG_KUNIT)"
check "kcs_kunit.ko loads (runs the suites)" insmod "$ko"
for suite in kcs kcs_binding kcs_event; do
	res=/sys/kernel/debug/kunit/$suite/results
	check "$suite: KTAP results in debugfs" test -r "$res"
	[ -r "$res" ] || continue
	# Case lines are indented "ok N name" / "not ok N name" (KTAP v1);
	# the suite's own line is not indented.
	grep -E '^[[:space:]]+(not )?ok [0-9]+ ' "$res" >"/tmp/kunit.cases" || :
	check "$suite: the suite ran cases" test -s /tmp/kunit.cases
	while read -r l; do
		case $l in
		"not ok "*) ok 1 "kunit $suite: ${l#not ok * }" ;;
		"ok "*) ok 0 "kunit $suite: ${l#ok * }" ;;
		esac
	done </tmp/kunit.cases
	# A case's log is a fixed-size buffer: with many failed expectations
	# its own "not ok" line can be cut off. The suite's verdict is not.
	check "$suite: the suite passed" grep -Eq "^ok [0-9]+ (- )?$suite\$" "$res"
	! grep -q '^# ' "$res" || diag "$(grep -E '^[[:space:]]*# ' "$res")"
done
rmmod kcs_kunit 2>/dev/null || :
done_testing
