#!/bin/sh
# Run libFuzzer targets one after the other for SECONDS each, from the
# committed seeds (corpus/TARGET) plus what earlier runs found
# (build/corpus/TARGET, where new inputs go, so the committed corpus
# stays as written). Prints TAP, "ok N - fuzz TARGET (EXECS execs)", for
# the CI aggregator and exits nonzero if any target crashed, leaked or
# timed out; the reproducer is then in crashes/ and the log in build/.
# Usage: run.sh SECONDS TARGET...   (from userspace/fuzz)
set -u
secs=$1
shift
n=0 fail=0
mkdir -p build crashes
echo "1..$#"
for t in "$@"; do
	n=$((n + 1))
	mkdir -p "build/corpus/$t"
	log=build/$t.log
	# Inputs past these lengths only slow the targets down.
	case $t in
	fuzz_compile) maxlen=512 ;;
	# Past KCS_TEXT_ENTRY_MAX, so that one text entry can be too long.
	fuzz_dfa_verify) maxlen=8192 ;;
	*) maxlen=4096 ;;
	esac
	extra=
	[ "$t" = fuzz_profile_json ] && extra=../../examples
	dict=
	[ -f "dict/$t.dict" ] && dict=-dict=dict/$t.dict
	# $dict and $extra may be empty: unquoted on purpose.
	# shellcheck disable=SC2086
	"build/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$maxlen" -print_final_stats=1 \
		-artifact_prefix="crashes/$t-" $dict \
		"build/corpus/$t" "corpus/$t" $extra >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "ok $n - fuzz $t (${execs:-0} execs)"
	else
		echo "not ok $n - fuzz $t (${execs:-0} execs, exit $rc, see $log)"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' "$log" |
			sed 's/^/# /'
		fail=$((fail + 1))
	fi
done
echo "# $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
