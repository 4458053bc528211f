#!/bin/sh
# Event flood with a slow reader: a profile in Audit mode makes every UDP
# connect() of the container one event (ev_flood: N connects, no packet
# sent). The flood completes whether nobody listens, a listener is stopped
# (SIGSTOP: its receive buffer fills up) or a rate limit bites; the kernel
# counts every event it built and did not deliver (events_sent +
# events_failed + events_ratelimited = events generated while someone
# listened, see kmod/event.c); the listener, resumed, reports the overrun
# and a gap that is exactly what it missed, and its sequence numbers add
# up. A container over its own budget (event_rate_cgroup) does not hold up
# another one's events. Timings are shown, not asserted.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
N=${KCS_FLOOD_N:-50000}
T=120	# seconds any flood may take: far beyond what it needs, even on TCG
RATE=/sys/module/kcs/parameters/event_rate
RATE_CG=/sys/module/kcs/parameters/event_rate_cgroup
kcs_unload >/dev/null 2>&1 || :
check "kcs.ko loads (event sequence numbers start at 1)" kcs_load
at_exit kcs_unload
ctr_create fl "$P/ev_flood" >/dev/null
at_exit "ctr_destroy fl"
at_exit ev_stop
cg=$(ctr_cgroup fl)
check "profile applies" kcs_apply '{"name":"flood","network":{"egress":{"mode":"block",
	"rules":[{"cidr":"127.0.0.1/32","ports":"9","protocol":"udp"}]}}}'
check "bind audit" kcsadm bind "$cg" --profile flood --mode audit
rate0=$(cat "$RATE")
ratecg0=$(cat "$RATE_CG")
# Parts 1-3 are about the listener and the host's limit: no per-cgroup
# limit there (its default would bite before the receive buffer fills).
at_exit "[ ! -e $RATE_CG ] || echo $ratecg0 >$RATE_CG"
echo 0 >"$RATE_CG"

snap() { # snap NAME: the module's counters, one "name=value" a line
	kcsadm --json status | tr -d ' \n' | sed 's/.*"stats":{//; s/}.*//' |
		tr ',' '\n' | tr -d '"' | tr ':' '=' >"$KCS_TMP/snap.$1"
}
d() { # d COUNTER A B: its growth from snapshot A to B
	echo $(($(sed -n "s/^$1=//p" "$KCS_TMP/snap.$3") - $(sed -n "s/^$1=//p" "$KCS_TMP/snap.$2")))
}
flood() { # flood N: N connects in the container, killed after $T s
	run_in fl /bin/timeout "$T" /bin/ev_flood "$1" 127.0.0.1 9 >"$KCS_TMP/flood.out"
	FLOOD=$(cat "$KCS_TMP/flood.out")
	diag "$1 connects: ${FLOOD#* } ns"
}
nevents() { grep -c '"type":"event"' "$KCS_EVENTS" || :; }
wait_events() { # COUNT: until the monitor printed COUNT events (120 s)
	_i=0
	while [ "$(nevents)" -lt "$1" ] && [ "$_i" -lt 1200 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}
# The monitor's JSON lines, checked: each event's seq follows the previous
# one, or a gap record just before it names exactly the missing ones.
# Prints "EVENTS FIRST_SEQ LAST_SEQ LOST KERNEL_DROPPED INCONSISTENCIES".
seqcheck() {
	awk 'function num(k,  m) {
		if (!match($0, "\"" k "\":[0-9]+")) return -1
		m = substr($0, RSTART, RLENGTH); sub(/.*:/, "", m); return m + 0 }
	/"type":"gap"/ {
		f = num("first_seq"); l = num("last_seq"); n = num("lost")
		if (f != prev + 1 || l != f + n - 1 || n < 1) bad++
		gap = 1; glast = l; lost += n; kd += num("kernel_dropped"); next }
	/"type":"event"/ {
		s = num("seq")
		if (!ev) first = s
		else if (gap ? s != glast + 1 : s != prev + 1) bad++
		gap = 0; prev = s; ev++; next }
	END { print ev + 0, first + 0, prev + 0, lost + 0, kd + 0, bad + 0 }' "$KCS_EVENTS"
}

# 1. Nobody listens: nothing is built.
snap a
flood "$N"
check_eq "no listener: the flood completes, every connect succeeds (audit)" \
	"$RUN_ST:${FLOOD%% *}" "0:$N"
snap b
check_eq "no listener: every connect judged" "$(d net_audited a b)" "$N"
check_eq "no listener: no event built, each counted as events_no_listener" \
	"$(d events_no_listener a b):$(d events_sent a b):$(d events_failed a b)" "$N:0:0"

# 2. A listener that does not read. Floods of N until its receive buffer
# has overflowed: how many events it holds depends on how densely the
# module packs them (several to a message under a flood, kmod/event.c).
ev_start
kill -STOP "$KCS_MON_PID"
snap c
M=0
flood_st=
while :; do
	flood "$N"
	flood_st="$flood_st$RUN_ST:${FLOOD%% *} "
	M=$((M + N))
	snap d
	[ "$(d events_failed c d)" -eq 0 ] && [ "$M" -lt "$((8 * N))" ] || break
done
check_eq "stopped listener: each flood completes, every connect succeeds" \
	"$(echo "$flood_st" | tr ' ' '\n' | sort -u | tr -d '\n')" "0:$N"
sent=$(d events_sent c d)
failed=$(d events_failed c d)
limited=$(d events_ratelimited c d)
diag "$M events: sent $sent, failed $failed, ratelimited $limited, no_listener $(d events_no_listener c d)"
check_eq "stopped listener: every connect judged" "$(d net_audited c d)" "$M"
check "its receive buffer filled up: fewer events sent than built" \
	test "$sent" -gt 0 -a "$sent" -lt "$M"
check_eq "a stopped listener still listens: events_no_listener did not grow" \
	"$(d events_no_listener c d)" 0
check_eq "every event not delivered is counted: sent + failed + ratelimited = $M" \
	"$((sent + failed + limited))" "$M"

kill -CONT "$KCS_MON_PID"
wait_events "$sent"
check_eq "resumed: the monitor prints the $sent events it was sent" "$(nevents)" "$sent"
check "and reports the overrun" grep -q '"type":"overrun"' "$KCS_EVENTS"
snap e
flood 10
wait_events "$((sent + 10))"
snap f
check_eq "10 more events, all delivered after the drain" \
	"$RUN_ST:$(d events_sent e f):$(nevents)" "0:10:$((sent + 10))"
set -- $(seqcheck)
check_eq "monitor: sequence numbers consistent, gaps exact" "$6" 0
check_eq "monitor: first event seq 1, last $((M + 10))" "$2:$3" "1:$((M + 10))"
check_eq "monitor: events seen + reported lost = $((M + 10))" "$(($1 + $4))" "$((M + 10))"
check_eq "monitor: the gap is what the kernel dropped (kernel_dropped = lost = $((M - sent)))" \
	"$5:$4" "$((M - sent)):$((M - sent))"
check_eq "status agrees: events_failed + events_ratelimited since load" \
	"$(($(sed -n 's/^events_failed=//p' "$KCS_TMP/snap.f") + \
	    $(sed -n 's/^events_ratelimited=//p' "$KCS_TMP/snap.f")))" "$4"
ev_stop

# 3. The rate limit, with a listener that keeps up.
ev_start
at_exit "[ ! -e $RATE ] || echo $rate0 >$RATE"
echo 1000 >"$RATE"
snap g
t0=$(date +%s)
flood 20000
secs=$(($(date +%s) - t0 + 1))
snap h
echo 0 >"$RATE"
sent=$(d events_sent g h)
limited=$(d events_ratelimited g h)
check_eq "event_rate 1000: the flood completes" "$RUN_ST:${FLOOD%% *}" "0:20000"
diag "sent $sent, ratelimited $limited in about $secs s"
check "events beyond the rate are dropped and counted as rate-limited" \
	test "$limited" -gt 0
check "at most 1000 a second were sent (and some)" \
	test "$sent" -gt 0 -a "$sent" -le "$((1000 * (secs + 1)))"
check_eq "sent + ratelimited = 20000, nothing else lost" \
	"$((sent + limited)):$(d events_failed g h):$(d events_no_listener g h)" "20000:0:0"
flood 1
wait_events "$((sent + 1))"
set -- $(seqcheck)
check_eq "monitor: sequence numbers consistent, gaps exact" "$6" 0
check_eq "monitor: events seen $((sent + 1)), lost $limited, all counted by the kernel" \
	"$1:$4:$5" "$((sent + 1)):$limited:$limited"
check_eq "monitor: last seq $((M + 10 + 20000 + 1))" "$3" "$((M + 10 + 20000 + 1))"
ev_stop
echo "$rate0" >"$RATE"

# 4. Each bound cgroup has its own budget (event_rate_cgroup): while one
# container floods past its budget, another one's events all go out.
ctr_create fq "$P/ev_flood" >/dev/null
at_exit "ctr_destroy fq"
cgq=$(ctr_cgroup fq)
check "bind a second container, audit" kcsadm bind "$cgq" --profile flood --mode audit
echo 0 >"$RATE"
# A budget that any flood exhausts within a tenth of each one-second
# window, even on the debug kernel; the other container's 10 events fit.
echo 100 >"$RATE_CG"
ev_start
snap i
# fl floods until killed; wait until it is over its budget.
run_in fl /bin/timeout "$T" /bin/ev_flood 2000000000 127.0.0.1 9 >/dev/null &
FLOOD_PID=$!
_i=0
while [ "$(kcs_stat events_ratelimited)" -le \
	"$(sed -n 's/^events_ratelimited=//p' "$KCS_TMP/snap.i")" ] && [ "$_i" -lt 600 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
snap j
check "the flooding container went over its budget" \
	test "$(d events_ratelimited i j)" -gt 0
run_in fq /bin/ev_flood 10 127.0.0.1 9 >/dev/null
# Over a whole window at least, so that its start is in it.
sleep 1
snap k
check "and is still flooding while the other one runs" \
	test "$(d events_ratelimited j k)" -gt 0
kill "$FLOOD_PID" 2>/dev/null || :
pkill -f "ev_flood 2000000000" 2>/dev/null || :
wait "$FLOOD_PID" 2>/dev/null || :
_i=0
while [ "$(ev_count "\"bound_cgroup_id\":$(ctr_cgid fq),")" -lt 10 ] && [ "$_i" -lt 100 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
check_eq "the other container's 10 events were all delivered" \
	"$RUN_ST:$(ev_count "\"bound_cgroup_id\":$(ctr_cgid fq),")" "0:10"
ev_stop
echo "$ratecg0" >"$RATE_CG"
echo "$rate0" >"$RATE"
done_testing
