#!/bin/sh
# Hook benchmark, run in the VM by scripts/bench.sh (not a test: it prints
# figures and only fails if it cannot measure). Every configuration of a
# kind runs the same loop in the same cgroup: exec (vfork + execve + wait
# of a static no-op), connect (loopback TCP socket + connect + close) and
# bind (TCP socket + bind + close). Each sample is preceded by an untimed
# warm-up run of a quarter of its length: loading the module and ftrace
# patch kernel text, and QEMU (TCG) then translates the code anew, which
# would otherwise land in whichever sample comes first. Repetitions are
# interleaved across configurations so drift hits them all alike.
# Output: "BENCH <config> <rep> <ns per operation>" lines, and
# "BENCHEV <config> <rep> <generated> <ns> <received> <gaps> <dropped>" for
# the event throughput runs.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
N=${KCS_BENCH_N:-400}
R=${KCS_BENCH_REPS:-5}
B=/sys/fs/cgroup/bench
O=/sys/fs/cgroup/other
mkdir -p "$B" "$O"

gen() {	# gen NAME COUNT MODE: COUNT patterns that never match /kcs/nop
	awk -v n="$1" -v c="$2" 'BEGIN {
		printf "{\"name\":\"%s\",\"exec\":{\"mode\":\"block\",\"rules\":[", n
		for (i = 0; i < c; i++) {
			if (i % 20 == 19) p = sprintf("{\"regex\":\"/opt/app%d/bin/[a-z]+[0-9]{1,3}\"}", i)
			else if (i % 10 == 9) p = sprintf("\"/srv/pkg%d/*\"", i)
			else p = sprintf("\"/usr/lib/app%d/bin/tool\"", i)
			printf "%s%s", i ? "," : "", p
		}
		printf "]}}\n" }' >"$KCS_TMP/$1.json"
}
gen p10 10
gen p1000 1000
gen p10000 10000
printf '{"name":"hit","exec":{"mode":"block","rules":["/kcs/*"]}}\n' >"$KCS_TMP/hit.json"

# Network: COUNT egress block rules (documentation addresses, each /32 with
# one port) that never match the loopback connect being timed.
gennet() {	# gennet NAME COUNT
	awk -v n="$1" -v c="$2" 'BEGIN {
		split("192.0.2 198.51.100 203.0.113", net, " ")
		printf "{\"name\":\"%s\",\"network\":{\"egress\":{\"mode\":\"block\",\"rules\":[", n
		for (i = 0; i < c; i++)
			printf "%s{\"cidr\":\"%s.%d/32\",\"ports\":\"%d\",\"protocol\":\"tcp\"}",
				i ? "," : "", net[i % 3 + 1], int(i / 3) % 256, 1000 + int(i / 768)
		printf "]}}}\n" }' >"$KCS_TMP/$1.json"
}
gennet n10 10
gennet n10000 10000
# Listener rules: COUNT blocked ports (every other one from 20000, so that
# each is its own interval), never the port the bind loop uses.
genlisten() {	# genlisten NAME COUNT
	awk -v n="$1" -v c="$2" 'BEGIN {
		printf "{\"name\":\"%s\",\"network\":{\"listen\":{\"mode\":\"block\",\"ports\":[", n
		for (i = 0; i < c; i++)
			printf "%s%d", i ? "," : "", 20000 + 2 * i
		printf "]}}}\n" }' >"$KCS_TMP/$1.json"
}
genlisten l10 10
genlisten l10000 10000
NB=${KCS_BENCH_BIND_N:-300}
NC=${KCS_BENCH_CONNECT_N:-300}
"$P/try_net" serve tcp 127.0.0.1 7777 >/dev/null &
SERVER=$!
at_exit "kill $SERVER"
sleep 0.2

in_b() {	# in_b CMD...: run CMD in cgroup $B, warm-up first; print its output
	sh -c "echo 0 >$B/cgroup.procs; $1 >/dev/null; exec $2"
}

measure_connect() {	# measure_connect CONFIG REP: loopback connect loop in $B
	_ns=$(in_b "$P/try_net loop $((NC / 4 + 1)) 127.0.0.1 7777" \
		"$P/try_net loop $NC 127.0.0.1 7777")
	echo "BENCH $1 $2 ${_ns%% *}"
}

measure_bind() {	# measure_bind CONFIG REP: bind loop in $B
	_ns=$(in_b "$P/bind_loop $((NB / 4 + 1)) 127.0.0.1 7788" \
		"$P/bind_loop $NB 127.0.0.1 7788")
	echo "BENCH $1 $2 $_ns"
}

measure() {	# measure CONFIG REP: one exec-loop sample, in cgroup $B
	_ns=$(in_b "$P/exec_loop $((N / 4 + 1)) $P/nop" "$P/exec_loop $N $P/nop")
	echo "BENCH $1 $2 $_ns"
}

bind() {	# bind PROFILE MODE [CGROUP]
	kcsadm bind "${3:-$B}" --profile "$1" --mode "$2" >/dev/null
}

rep=1
while [ "$rep" -le "$R" ]; do
	kcs_unload >/dev/null 2>&1 || :
	# Unloading leaves work behind (RCU, ftrace, TCG retranslation): the
	# exec sample comes first and lets it settle before the cheaper loops.
	measure unloaded "$rep"
	measure_connect connect-unloaded "$rep"
	measure_bind bind-unloaded "$rep"
	kcs_load >/dev/null
	for p in p10 p1000 p10000 hit; do
		kcsadm profile apply -f "$KCS_TMP/$p.json" >/dev/null
		[ "$rep" != 1 ] || echo "BENCHMEM $p $(kcsadm --json profile show "$p" |
			tr -d ' \n' | json_get memory_bytes)"
	done
	measure loaded-unbound "$rep"
	bind p1000 enforce "$O"
	measure other-cgroup-bound "$rep"
	bind p10 enforce
	measure bound-10-enforce "$rep"
	bind p1000 enforce
	measure bound-1000-enforce "$rep"
	bind p10000 enforce
	measure bound-10000-enforce "$rep"
	bind p1000 audit
	measure bound-1000-audit "$rep"
	ev_start
	measure bound-1000-enforce-listener "$rep"
	bind hit audit
	measure audit-every-exec-listener "$rep"
	ev_stop
	measure audit-every-exec-nolistener "$rep"
	kcsadm unbind "$B" >/dev/null
	kcsadm unbind "$O" >/dev/null
	measure_connect connect-loaded-unbound "$rep"
	kcsadm profile apply -f "$KCS_TMP/n10.json" >/dev/null
	kcsadm profile apply -f "$KCS_TMP/n10000.json" >/dev/null
	bind n10000 enforce "$O"
	measure_connect connect-other-cgroup-bound "$rep"
	bind n10 enforce
	measure_connect connect-bound-10-cidr "$rep"
	bind n10000 enforce
	measure_connect connect-bound-10000-cidr "$rep"
	bind n10 audit
	measure_connect connect-bound-10-cidr-audit "$rep"
	ev_start
	measure_connect connect-bound-10-cidr-audit-listener "$rep"
	ev_stop
	kcsadm unbind "$B" >/dev/null
	measure_bind bind-loaded-unbound "$rep"
	kcsadm profile apply -f "$KCS_TMP/l10000.json" >/dev/null
	bind l10000 enforce "$O"
	measure_bind bind-other-cgroup-bound "$rep"
	kcsadm unbind "$O" >/dev/null
	kcsadm profile apply -f "$KCS_TMP/l10.json" >/dev/null
	bind l10 enforce
	measure_bind bind-bound-10-ports "$rep"
	bind l10000 enforce
	measure_bind bind-bound-10000-ports "$rep"
	bind l10 audit
	measure_bind bind-bound-10-ports-audit "$rep"
	kcsadm unbind "$B" >/dev/null
	rep=$((rep + 1))
done
# Event throughput: in Audit, every UDP connect() to 127.0.0.1:9 (which
# sends nothing) is denied by the rule and reported: one event each, made
# by ev_flood as fast as one task can. Without a listener kcs builds
# nothing (the cost of the decision alone); with `kcsadm monitor --json`
# listening, each event is built, multicast, read, decoded and printed.
# The rate limits are off, so every loss is a full receive buffer, counted by
# the kernel (events_failed) and reported by monitor as a gap.
NE=${KCS_BENCH_EVENTS:-20000}
kcs_load >/dev/null
echo 0 >/sys/module/kcs/parameters/event_rate
echo 0 >/sys/module/kcs/parameters/event_rate_cgroup
printf '%s\n' '{"name":"ev","network":{"egress":{"mode":"block","rules":[{"cidr":"127.0.0.1/32","ports":"9","protocol":"udp"}]}}}' \
	>"$KCS_TMP/ev.json"
kcsadm profile apply -f "$KCS_TMP/ev.json" >/dev/null
bind ev audit
flood() {	# flood: NE audited connects in $B; prints "N NS"
	sh -c "echo 0 >$B/cgroup.procs; exec $P/ev_flood $NE 127.0.0.1 9"
}
rep=1
while [ "$rep" -le "$R" ]; do
	_o=$(flood)
	echo "BENCHEV events-nolistener $rep $_o 0 0 0"
	_f0=$(kcs_stat events_failed)
	ev_start
	_o=$(flood)
	# Let monitor drain its queue: wait until its output stops growing.
	_prev=-1
	_n=$(wc -l <"$KCS_EVENTS")
	while [ "$_n" != "$_prev" ]; do
		sleep 0.5
		_prev=$_n
		_n=$(wc -l <"$KCS_EVENTS")
	done
	ev_stop
	_got=$(grep -c '"type":"event"' "$KCS_EVENTS" || :)
	_gaps=$(grep -c '"type":"gap"' "$KCS_EVENTS" || :)
	echo "BENCHEV events-monitor-json $rep $_o $_got $_gaps $(($(kcs_stat events_failed) - _f0))"
	rep=$((rep + 1))
done
kcsadm unbind "$B" >/dev/null
kcs_unload
ok 0 "benchmark ran ($R repetitions of $N execs / $NC connects per configuration)"
done_testing
