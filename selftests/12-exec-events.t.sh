#!/bin/sh
# Events and Audit mode: every field of a deny event is what the user saw;
# Audit lets the exec run and says so; allowed execs send nothing; without a
# listener nothing is built (counted); sequence numbers have no gaps.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
check "kcs.ko loads" kcs_load
at_exit kcs_unload
ctr_create ev "$P/try_exec" "$P/nop" "$P/nop:/opt/blocked/tool" >/dev/null
at_exit "ctr_destroy ev"
at_exit ev_stop
cg=$(ctr_cgroup ev)
cgid=$(ctr_cgid ev)
root=$(ctr_root ev)

check "profile applies" kcs_apply '{"name":"evp","exec":{"mode":"block",
	"rules":["/bin/busybox/wget","/opt/blocked/*"]}}'
check "bind enforce" kcsadm bind "$cg" --profile evp --mode enforce

# No listener: decisions are still made, events are not built.
before=$(kcs_stat events_no_listener)
run_in ev /bin/try_exec /opt/blocked/tool
check_eq "no listener: still EPERM" "$RUN_ST" 126
check_eq "no listener: counted, not built" \
	"$(kcs_stat events_no_listener)" "$((before + 1))"

ev_start
TRY_EXEC_PIDFILE=/tmp/pid
export TRY_EXEC_PIDFILE
run_in ev /bin/try_exec /opt/blocked/tool
unset TRY_EXEC_PIDFILE
check_eq "enforce: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
read -r pid ppid <"$root/tmp/pid"
e=$(ev_wait '"path":"/opt/blocked/tool"') || e=
check "an event arrived" test -n "$e"
f() { printf '%s\n' "$e" | json_get "$1"; }
check_eq "event hook" "$(f hook)" exec
check_eq "event verdict" "$(f verdict)" deny
check_eq "event mode" "$(f mode)" enforce
check_eq "event pid is the exec'ing task" "$(f pid)" "$pid"
check_eq "event tgid" "$(f tgid)" "$pid"
check_eq "event ppid" "$(f ppid)" "$ppid"
check_eq "event uid" "$(f uid)" 0
check_eq "event comm is the program that called execve" "$(f comm)" try_exec
check_eq "event cgroup id" "$(f cgroup_id)" "$cgid"
check_eq "event bound cgroup id" "$(f bound_cgroup_id)" "$cgid"
check_eq "event path (as the container sees it)" "$(f path)" /opt/blocked/tool
check_eq "event invoked name" "$(f invoked)" /opt/blocked/tool
check_eq "event profile" "$(f profile)" evp
check_eq "event rule kind" "$(f rule_kind)" block
check_eq "event rule that decided" "$(f rule)" "/opt/blocked/*"
now=$(date +%s)
t=$(f time_ns)
check "event time is now (+-60 s)" test "$((t / 1000000000 - now))" -ge -60 -a \
	"$((t / 1000000000 - now))" -le 60

run_in ev /bin/sh -c 'cd /bin && exec ./wget'
e=$(ev_wait '"applet":"wget"') || e=
check_eq "busybox event: path" "$(f path)" /bin/busybox
check_eq "busybox event: applet" "$(f applet)" wget
check_eq "busybox event: invoked" "$(f invoked)" ./wget
check_eq "busybox event: rule" "$(f rule)" /bin/busybox/wget

run_in ev /bin/try_exec /bin/nop
check_eq "allowed exec runs" "$RUN_ST" 0
sleep 0.5
check_eq "allowed exec sends no event" "$(ev_count '"path":"/bin/nop"')" 0

# Audit: the exec runs, the event says it would have been denied.
check "rebind audit" kcsadm bind "$cg" --profile evp --mode audit
audited=$(kcs_stat exec_audited)
run_in ev /bin/try_exec /opt/blocked/tool
check_eq "audit: blocked program runs" "$RUN_ST" 0
e=$(ev_wait '"mode":"audit"') || e=
check_eq "audit event verdict: allow" "$(f verdict)" allow
check_eq "audit event path" "$(f path)" /opt/blocked/tool
check_eq "audit counted" "$(kcs_stat exec_audited)" "$((audited + 1))"

# Sequence numbers: consecutive, nothing dropped.
seqs=$(grep -F '"type":"event"' "$KCS_EVENTS" | while read -r l; do
	printf '%s\n' "$l" | json_get seq; done | tr '\n' ' ')
check_match "three events, consecutive seq" "$seqs" "[0-9]* [0-9]* [0-9]* "
set -- $seqs
check_eq "seq has no gaps" "$(($3 - $1))" 2
check_eq "monitor saw no loss" "$(grep -c '"type":"gap"' "$KCS_EVENTS" || :)" 0
check_eq "kernel dropped nothing" "$(kcs_stat events_failed):$(kcs_stat events_ratelimited)" "0:0"
ev_stop

# The longest rule text the ABI allows (KCS_TEXT_ENTRY_MAX - 1: 4095
# bytes) is quoted whole in the event; one byte more is refused at apply,
# naming the rule, and the profile in force stays.
long="/opt/blocked/tool|/$(head -c 4076 /dev/zero | tr '\0' a)"
check_eq "a 4095-byte regex" "${#long}" 4095
check "profile with it applies" kcs_apply \
	"{\"name\":\"long\",\"exec\":{\"mode\":\"block\",\"rules\":[{\"regex\":\"$long\"}]}}"
check "bind it, enforce" kcsadm bind "$cg" --profile long --mode enforce
ev_start
run_in ev /bin/try_exec /opt/blocked/tool
check_eq "its exec: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
e=$(ev_wait '"profile":"long"') || e=
r=$(f rule)
check_eq "the event quotes all 4095 bytes of the rule" "${#r}" 4095
check "and exactly the rule" test "$r" = "$long"
ev_stop
st=0
kcs_apply "{\"name\":\"long\",\"exec\":{\"mode\":\"block\",\"rules\":[{\"regex\":\"${long}a\"}]}}" \
	2>"$KCS_TMP/long.err" || st=$?
check_eq "a 4096-byte pattern is refused: exit 3" "$st" 3
check_match "the error names the rule and the limit" "$(cat "$KCS_TMP/long.err")" \
	"*exec.rules\[0\]*4095*"
check_eq "the profile in force is unchanged (generation 1)" \
	"$(kcsadm --json profile show long | json_get generation)" 1

# Sinks: a rotated JSON file and the native journal protocol (a datagram
# socket of our own standing in for journald), from one monitor at once,
# while a second monitor listens too: each subscriber gets every event.
ev_start
n0=$(kcs_stat event_subscribers)
"$P/dgram_recv" "$KCS_TMP/journal.sock" "$KCS_TMP/journal.out" 3 &
jpid=$!
_i=0
while [ ! -e "$KCS_TMP/journal.sock.ready" ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
KCS_JOURNAL_SOCKET="$KCS_TMP/journal.sock" kcsadm monitor --count 3 --timeout 60 \
	--output "$KCS_TMP/ev.json" --rotate-size 1k --rotate-keep 2 --journal \
	>"$KCS_TMP/sink.out" 2>"$KCS_TMP/sink.err" &
spid=$!
_i=0
while [ "$(kcs_stat event_subscribers)" -le "$n0" ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
for i in 1 2 3; do run_in ev /bin/try_exec /opt/blocked/tool; done
st=0; wait "$spid" || st=$?
check_eq "monitor with sinks: exit 0 after 3 events" "$st" 0
check_eq "nothing on stdout" "$(cat "$KCS_TMP/sink.out")" ""
check_eq "3 events in the file and its rotation" \
	"$(cat "$KCS_TMP/ev.json" "$KCS_TMP/ev.json".[12] 2>/dev/null | grep -c '"path":"/opt/blocked/tool"')" 3
check "rotated at 1 KiB" test -s "$KCS_TMP/ev.json.1"
wait "$jpid" || :
check "the journal got the events' fields" \
	grep -qa "KCS_PATH=/opt/blocked/tool" "$KCS_TMP/journal.out"
check "... with PRIORITY 4 (a denial)" grep -qa "^PRIORITY=4" "$KCS_TMP/journal.out"
_i=0
while [ "$(ev_count '"path":"/opt/blocked/tool"')" -lt 3 ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
check_eq "the other monitor got the same 3 events" \
	"$(ev_count '"path":"/opt/blocked/tool"')" 3
ev_stop

# Prometheus metrics from the live module.
kcsadm metrics >"$KCS_TMP/metrics" 2>&1 || :
check_match "metrics count the denials" "$(cat "$KCS_TMP/metrics")" \
	"*kcs_exec_denied_total [1-9]*"
check_match "and name the binding" "$(cat "$KCS_TMP/metrics")" \
	"*kcs_binding_info{cgroup_id=\"$cgid\",profile=\"long\",mode=\"enforce\"} 1*"
mkdir -p "$KCS_TMP/prom"
check "--textfile writes kcs.prom" kcsadm metrics --textfile "$KCS_TMP/prom"
check "... a complete file" grep -q "^kcs_bindings 1" "$KCS_TMP/prom/kcs.prom"

# Unprivileged listeners are refused.
st=0
"$P/as_user" 65534 65534 kcsadm monitor --count 1 \
	--timeout 1 >/dev/null 2>"$KCS_TMP/unpriv.err" || st=$?
check_eq "non-root monitor: permission denied (exit 4)" "$st" 4
done_testing
