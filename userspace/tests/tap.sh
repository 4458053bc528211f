# shellcheck shell=sh
# TAP for the shell tests: source it, then `tap_tmp NAME` for a temporary
# directory $tmp removed on exit, and `ok STATUS DESCRIPTION` per check
# (returns STATUS, so `ok $? ... || diag`-style chains work). $failed
# counts the failures; a test may define tap_on_fail to add diagnostics.
n=0 failed=0

tap_tmp() {	# tap_tmp NAME
	tmp=$(mktemp -d "/tmp/kcs-$1.XXXXXX") || exit 1
	trap 'rm -rf "$tmp"' EXIT INT TERM
}

ok() {	# ok COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		! command -v tap_on_fail >/dev/null 2>&1 || tap_on_fail
	fi
	return "$1"
}
