# shellcheck shell=sh
# selftests/kcs.sh: kcs helpers for guest-side tests (source after lib.sh
# and container.sh). kcsadm, kcs.ko and the static programs try_exec, nop
# and exec_loop are in the payload ($KCS_DIR).

KCS_DIR=${KCS_DIR:-/kcs}
KCS_TMP=${KCS_TMP:-/tmp/kcs-test}
mkdir -p "$KCS_TMP"

# kcs_load: load the module under test (idempotent).
kcs_load() {
	grep -q '^kcs ' /proc/modules || kcsadm load --module "$KCS_DIR/kcs.ko"
}

# kcs_unload: unload it if loaded.
kcs_unload() {
	! grep -q '^kcs ' /proc/modules || kcsadm unload
}

# kcs_apply JSON: apply a profile given as a JSON string.
kcs_apply() {
	printf '%s\n' "$1" >"$KCS_TMP/profile.json"
	kcsadm profile apply -f "$KCS_TMP/profile.json" >/dev/null
}

# kcs_stat NAME: one counter from kcsadm status --json.
kcs_stat() {
	kcsadm --json status | json_get "$1"
}

# json_get KEY: from one JSON object per line on stdin, print the value of
# the first "KEY" (string unescaped for \" and \\ only, or a number).
json_get() {
	awk -v k="\"$1\":" '{
		i = index($0, k); if (!i) next
		s = substr($0, i + length(k)); sub(/^ */, "", s)
		if (substr(s, 1, 1) == "\"") {
			v = ""; s = substr(s, 2)
			while (length(s)) {
				c = substr(s, 1, 1)
				if (c == "\\") { v = v substr(s, 2, 1); s = substr(s, 3); continue }
				if (c == "\"") break
				v = v c; s = substr(s, 2)
			}
			print v
		} else { match(s, /^[-0-9.a-z]+/); print substr(s, 1, RLENGTH) }
		exit
	}'
}

# ev_start: start kcsadm monitor --json in the background; events go to
# $KCS_EVENTS. ev_stop ends it.
KCS_EVENTS=$KCS_TMP/events.json
ev_start() {
	: >"$KCS_EVENTS"
	_n=$(kcs_stat event_subscribers)
	kcsadm monitor --json "$@" >"$KCS_EVENTS" 2>"$KCS_TMP/monitor.err" &
	KCS_MON_PID=$!
	# Wait until it has subscribed: kcs counts events for nobody.
	_i=0
	while [ "$(kcs_stat event_subscribers)" -le "$_n" ] && [ "$_i" -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

ev_stop() {
	[ -n "${KCS_MON_PID:-}" ] || return 0
	kill "$KCS_MON_PID" 2>/dev/null || :
	wait "$KCS_MON_PID" 2>/dev/null || :
	KCS_MON_PID=
}

# ev_wait PATTERN [TENTHS]: wait for an event line containing PATTERN (a
# fixed string, e.g. '"path":"/bin/x"'), print it; 1 on timeout.
ev_wait() {
	_i=0
	while [ "$_i" -lt "${2:-50}" ]; do
		_l=$(grep -F -- "$1" "$KCS_EVENTS" | grep -F '"type":"event"' | tail -n 1)
		[ -z "$_l" ] || { printf '%s\n' "$_l"; return 0; }
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# ev_count PATTERN: number of event lines containing PATTERN.
ev_count() {
	grep -F -- "$1" "$KCS_EVENTS" | grep -cF '"type":"event"' || :
}

# run_in CTR CMD...: ctr_exec, returning "STATUS" and keeping stderr in
# $CTR_STDERR, for use as: st=$(...) is impossible (loses CTR_*), so:
#   run_in c1 /bin/try_exec /x; check_eq "..." "$RUN_ST" 126
run_in() {
	RUN_ST=0
	ctr_exec "$@" || RUN_ST=$?
}

# local_resolver: until the test exits, the guest resolves names through
# 127.0.0.1 (a dnsmasq the test starts), and dnsmasq's user and group
# (root) exist.
local_resolver() {
	[ ! -f /etc/resolv.conf ] || cp /etc/resolv.conf "$KCS_TMP/resolv.conf.orig"
	# shellcheck disable=SC2016 # expanded at exit
	at_exit 'if [ -f "$KCS_TMP/resolv.conf.orig" ]; then cp "$KCS_TMP/resolv.conf.orig" /etc/resolv.conf; else rm -f /etc/resolv.conf; fi'
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:2\n' >/etc/resolv.conf
	grep -q '^root:' /etc/passwd 2>/dev/null || echo 'root:x:0:0:root:/root:/bin/sh' >>/etc/passwd
	grep -q '^root:' /etc/group 2>/dev/null || echo 'root:x:0:' >>/etc/group
}
