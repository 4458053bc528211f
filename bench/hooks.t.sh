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
# "BENCHEV <config> <rep> <generated> <ns> <received> <gaps> <dropped>
# <delivered ns>" for the event throughput runs (<ns>: the flooding task's
# time; <delivered ns>: until the monitor had written the last event).
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

gen() {	# gen NAME COUNT [FIRST]: COUNT patterns that never match /kcs/nop
	awk -v n="$1" -v c="$2" -v f="${3:-0}" 'BEGIN {
		printf "{\"name\":\"%s\",\"exec\":{\"mode\":\"block\",\"rules\":[", n
		for (i = f; i < f + c; i++) {
			if (i % 20 == 19) p = sprintf("{\"regex\":\"/opt/app%d/bin/[a-z]+[0-9]{1,3}\"}", i)
			else if (i % 10 == 9) p = sprintf("\"/srv/pkg%d/*\"", i)
			else p = sprintf("\"/usr/lib/app%d/bin/tool\"", i)
			printf "%s%s", (i > f ? "," : ""), p
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

# The loops run as "$AS$P/PROGRAM": AS is empty, or "aa-exec -p PROFILE
# -- " to run them confined by an AppArmor profile.
AS=
measure_connect() {	# measure_connect CONFIG REP: loopback connect loop in $B
	_ns=$(in_b "$AS$P/try_net loop $((NC / 4 + 1)) 127.0.0.1 7777" \
		"$AS$P/try_net loop $NC 127.0.0.1 7777")
	echo "BENCH $1 $2 ${_ns%% *}"
}

measure_bind() {	# measure_bind CONFIG REP: bind loop in $B
	_ns=$(in_b "$P/bind_loop $((NB / 4 + 1)) 127.0.0.1 7788" \
		"$P/bind_loop $NB 127.0.0.1 7788")
	echo "BENCH $1 $2 $_ns"
}

measure() {	# measure CONFIG REP: one exec-loop sample, in cgroup $B
	_ns=$(in_b "$AS$P/exec_loop $((N / 4 + 1)) $P/nop" \
		"$AS$P/exec_loop $N $P/nop")
	echo "BENCH $1 $2 $_ns"
}

bind() {	# bind PROFILE MODE [CGROUP]
	kcsadm bind "${3:-$B}" --profile "$1" --mode "$2" >/dev/null
}

# KCS_BENCH_PARTS: which parts run, comma-separated (default all):
# hooks, apparmor (AppArmor beside them, when its parser is there),
# events, scale.
PARTS=",${KCS_BENCH_PARTS:-hooks,apparmor,events,scale},"
part() {	# part NAME: is part NAME to run?
	case $PARTS in *",$1,"*) return 0 ;; esac
	return 1
}

# AppArmor, the peer: Debian's kernels run it (the first major LSM in
# CONFIG_LSM), and apparmor_parser compiles a profile's rules into a DFA
# as kcsadm does. The same exec patterns as p10 / p1000 / p10000, as deny
# rules in a profile that otherwise allows everything (AppArmor globs:
# a mask DIR/* as DIR/**, the regex as [a-z]*[0-9]), and the loops run
# confined by it, with kcs unloaded: "apparmor-N" beside "bound-N-enforce",
# "connect-apparmor-N" beside "connect-bound-*".
genaa() {	# genaa NAME COUNT: an AppArmor profile, COUNT exec denials
	awk -v n="$1" -v c="$2" 'BEGIN {
		printf "profile %s flags=(attach_disconnected) {\n", n
		printf "  file,\n  network,\n  capability,\n  signal,\n  ptrace,\n"
		printf "  unix,\n  mount,\n  umount,\n  pivot_root,\n"
		for (i = 0; i < c; i++) {
			if (i % 20 == 19) p = sprintf("/opt/app%d/bin/[a-z]*[0-9]", i)
			else if (i % 10 == 9) p = sprintf("/srv/pkg%d/**", i)
			else p = sprintf("/usr/lib/app%d/bin/tool", i)
			printf "  deny %s x,\n", p
		}
		printf "}\n" }' >"$KCS_TMP/$1.aa"
}
AA=
AAP=$KCS_DIR/tools/apparmor_parser
AAX=$KCS_DIR/tools/aa-exec
if part apparmor && part hooks && [ -x "$AAP" ] && [ -x "$AAX" ]; then
	mountpoint -q /sys/kernel/security ||
		mount -t securityfs securityfs /sys/kernel/security 2>/dev/null || :
	if [ -e /sys/kernel/security/apparmor/profiles ]; then
		AA=1
		for a in 10 1000 10000; do
			genaa "a$a" "$a"
			_t0=$(cut -d' ' -f1 /proc/uptime)
			"$AAP" -r "$KCS_TMP/a$a.aa" >/dev/null 2>"$KCS_TMP/aa.err" ||
				{ cat "$KCS_TMP/aa.err" >&2; AA=; break; }
			_t1=$(cut -d' ' -f1 /proc/uptime)
			echo "BENCHAA a$a load_s $(echo "$_t1 $_t0" | awk '{ print $1 - $2 }')"
		done
	else
		diag "AppArmor is not active in this kernel: no AppArmor figures"
	fi
	# Honest figures only: a task confined by the profile must be denied
	# what it names and run the rest. (Through a shell: aa-exec's own
	# exec is judged before the profile applies. Under /srv: /usr/lib
	# is a symbolic link to /lib in the guest, and AppArmor matches
	# resolved names.)
	if [ -n "$AA" ]; then
		mkdir -p /srv/pkg9
		cp "$P/nop" /srv/pkg9/tool
		if "$AAX" -p a10 -- /bin/sh -c /srv/pkg9/tool 2>/dev/null ||
			! "$AAX" -p a10 -- /bin/sh -c "$P/nop"; then
			diag "AppArmor profile a10 does not deny /srv/pkg9/tool: no AppArmor figures"
			AA=
		fi
		rm -rf /srv/pkg9
	fi
fi

rep=1
part hooks || rep=$((R + 1))
while [ "$rep" -le "$R" ]; do
	kcs_unload >/dev/null 2>&1 || :
	# Unloading leaves work behind (RCU, ftrace, TCG retranslation): the
	# exec sample comes first and lets it settle before the cheaper loops.
	measure unloaded "$rep"
	measure_connect connect-unloaded "$rep"
	measure_bind bind-unloaded "$rep"
	if [ -n "$AA" ]; then
		for a in 10 1000 10000; do
			AS="$AAX -p a$a -- "
			measure "apparmor-$a" "$rep"
		done
		for a in 10 10000; do
			AS="$AAX -p a$a -- "
			measure_connect "connect-apparmor-$a" "$rep"
		done
		AS=
	fi
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
# Scale of a node: NS containers bound (NS cgroups, 100 distinct profiles
# of 100 patterns each), bound one by one with kcsadm as the OCI hook
# does at each container start. Reported: the time to bind them all and
# to list them, the kernel memory the bindings take (unreclaimable slab
# and per-cpu, from /proc/meminfo), the exec cost of a task in one of
# them and of an unbound task, each against the same with one binding,
# and the time to unbind them all. Lines:
# "BENCHSCALE <bindings> <what> <value>". KCS_BENCH_SCALE: the binding
# counts, comma-separated (default 1,1000,10000). Times from
# /proc/uptime (10 ms).
meminfo_kb() {	# meminfo_kb: unreclaimable slab + per-cpu, kB
	awk '/^SUnreclaim:|^Percpu:/ { s += $2 } END { print s }' /proc/meminfo
}
scale() {	# scale NS: bind NS cgroups, measure, unbind
	_ns=$1
	_d=/sys/fs/cgroup/scale
	mkdir -p "$_d"
	_i=0
	while [ "$_i" -lt "$_ns" ]; do
		mkdir -p "$_d/c$_i"
		_i=$((_i + 1))
	done
	sync
	echo 3 >/proc/sys/vm/drop_caches
	_m0=$(meminfo_kb)
	_t0=$(cut -d' ' -f1 /proc/uptime)
	_i=0
	while [ "$_i" -lt "$_ns" ]; do
		kcsadm bind "$_d/c$_i" --profile "s$((_i % 100))" \
			--mode enforce >/dev/null
		_i=$((_i + 1))
	done
	_t1=$(cut -d' ' -f1 /proc/uptime)
	echo 3 >/proc/sys/vm/drop_caches
	_m1=$(meminfo_kb)
	echo "BENCHSCALE $_ns bind_all_s $(echo "$_t1 $_t0" | awk '{ print $1 - $2 }')"
	echo "BENCHSCALE $_ns kernel_kb $((_m1 - _m0))"
	_t0=$(cut -d' ' -f1 /proc/uptime)
	_n=$(kcsadm binding list | wc -l)
	_t1=$(cut -d' ' -f1 /proc/uptime)
	echo "BENCHSCALE $_ns list_s $(echo "$_t1 $_t0" | awk '{ print $1 - $2 }')"
	echo "BENCHSCALE $_ns listed $_n"
	_r=1
	while [ "$_r" -le "$R" ]; do
		_s=$(sh -c "echo 0 >$_d/c0/cgroup.procs; $P/exec_loop $((N / 4 + 1)) $P/nop >/dev/null; exec $P/exec_loop $N $P/nop")
		echo "BENCH scale-$_ns-bound $_r $_s"
		_s=$(in_b "$P/exec_loop $((N / 4 + 1)) $P/nop" "$P/exec_loop $N $P/nop")
		echo "BENCH scale-$_ns-unbound $_r $_s"
		_r=$((_r + 1))
	done
	_t0=$(cut -d' ' -f1 /proc/uptime)
	_i=0
	while [ "$_i" -lt "$_ns" ]; do
		kcsadm unbind "$_d/c$_i" >/dev/null
		_i=$((_i + 1))
	done
	_t1=$(cut -d' ' -f1 /proc/uptime)
	echo "BENCHSCALE $_ns unbind_all_s $(echo "$_t1 $_t0" | awk '{ print $1 - $2 }')"
	_i=0
	while [ "$_i" -lt "$_ns" ]; do
		rmdir "$_d/c$_i"
		_i=$((_i + 1))
	done
}
if part scale; then
	kcs_load >/dev/null
	_i=0
	while [ "$_i" -lt 100 ]; do
		gen "s$_i" 100 "$((_i * 100))"
		kcsadm profile apply -f "$KCS_TMP/s$_i.json" >/dev/null
		_i=$((_i + 1))
	done
	for _ns in $(echo "${KCS_BENCH_SCALE:-1,1000,10000}" | tr ',' ' '); do
		scale "$_ns"
	done
	kcs_unload
fi

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
flood() {	# flood [PID]: NE audited connects in $B; prints "N NS [UNTIL_NS]"
	sh -c "echo 0 >$B/cgroup.procs; exec $P/ev_flood $NE 127.0.0.1 9 ${1:-}"
}
rep=1
part events || rep=$((R + 1))
while [ "$rep" -le "$R" ]; do
	_o=$(flood)
	echo "BENCHEV events-nolistener $rep $_o 0 0 0 0"
	_f0=$(kcs_stat events_failed)
	# The monitor exits after NE events: the delivery time runs from
	# the flood's start until the last event is written out.
	# (--timeout: should events be lost, it would wait for ever.)
	ev_start --count "$NE" --timeout 120
	_o=$(flood "$KCS_MON_PID")
	ev_stop
	_got=$(grep -c '"type":"event"' "$KCS_EVENTS" || :)
	_gaps=$(grep -c '"type":"gap"' "$KCS_EVENTS" || :)
	# shellcheck disable=SC2086 # "N NS UNTIL_NS"
	set -- $_o
	echo "BENCHEV events-monitor-json $rep $1 $2 $_got $_gaps $(($(kcs_stat events_failed) - _f0)) $3"
	rep=$((rep + 1))
done
kcsadm unbind "$B" >/dev/null
kcs_unload
ok 0 "benchmark ran ($R repetitions of $N execs / $NC connects per configuration)"
done_testing
