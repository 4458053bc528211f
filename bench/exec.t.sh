#!/bin/sh
# Exec-loop benchmark, run in the VM by scripts/bench.sh (not a test: it
# prints figures and only fails if it cannot measure). Every configuration
# runs the same loop (vfork + execve + wait of a static no-op) in the same
# cgroup; repetitions are interleaved across configurations so drift hits
# them all alike. Output: "BENCH <config> <rep> <ns per exec>" lines.
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
NC=${KCS_BENCH_CONNECT_N:-300}
"$P/try_net" serve tcp 127.0.0.1 7777 >/dev/null &
SERVER=$!
at_exit "kill $SERVER"
sleep 0.2

measure_connect() {	# measure_connect CONFIG REP: loopback connect loop in $B
	_ns=$(sh -c "echo 0 >$B/cgroup.procs; exec $P/try_net loop $NC 127.0.0.1 7777")
	echo "BENCH $1 $2 ${_ns%% *}"
}

measure() {	# measure CONFIG REP: one sample, in cgroup $B
	_ns=$(sh -c "echo 0 >$B/cgroup.procs; exec $P/exec_loop $N $P/nop")
	echo "BENCH $1 $2 $_ns"
}

bind() {	# bind PROFILE MODE [CGROUP]
	kcsadm bind "${3:-$B}" --profile "$1" --mode "$2" >/dev/null
}

rep=1
while [ "$rep" -le "$R" ]; do
	kcs_unload >/dev/null 2>&1 || :
	measure unloaded "$rep"
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
	bind n10 enforce
	measure_connect connect-bound-10-cidr "$rep"
	bind n10000 enforce
	measure_connect connect-bound-10000-cidr "$rep"
	kcs_unload >/dev/null 2>&1 || :
	measure_connect connect-unloaded "$rep"
	rep=$((rep + 1))
done
kcs_unload
ok 0 "benchmark ran ($R repetitions of $N execs / $NC connects per configuration)"
done_testing
