#!/bin/sh
# The controller killed: kcsadm is no daemon, but `monitor` and `netwatch`
# run for long, and `profile apply` of a large profile takes a while. Each
# is killed with SIGKILL; the policy stays: a profile killed mid-apply is
# entirely the old one or entirely the new one (what `profile show` says,
# and what the kernel enforces), execs and connects stay denied with EPERM,
# bindings stay listed, and events flow to a new monitor.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
DNSMASQ=$KCS_DIR/tools/dnsmasq
K=${KCS_KILL_ROUNDS:-6}
check "kcs.ko loads" kcs_load
at_exit kcs_unload
ctr_create k1 "$P/try_exec" "$P/nop:/opt/blocked/tool" "$P/nop:/opt/common/tool" \
	"$P/nop:/opt/a9999/bin/tool" "$P/nop:/opt/b9999/bin/tool" >/dev/null
at_exit "ctr_destroy k1"
at_exit ev_stop
cg=$(ctr_cgroup k1)

# 1. kcsadm monitor, killed.
check "profile applies" kcs_apply '{"name":"kp","exec":{"mode":"block","rules":["/opt/blocked/*"]}}'
check "bind enforce" kcsadm bind "$cg" --profile kp --mode enforce
ev_start
run_in k1 /bin/try_exec /opt/blocked/tool
check "the monitor gets the deny event" ev_wait '"path":"/opt/blocked/tool"'
kill -9 "$KCS_MON_PID"
wait "$KCS_MON_PID" 2>/dev/null || :
KCS_MON_PID=
nl=$(kcs_stat events_no_listener)
run_in k1 /bin/try_exec /opt/blocked/tool
check_eq "monitor killed: the exec is still denied" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
check_eq "and, nobody listening, no event is built" "$(kcs_stat events_no_listener)" "$((nl + 1))"
check_match "the binding is still listed" "$(kcsadm bindings)" "*kp*${cg#/sys/fs/cgroup/}*"
ev_start
run_in k1 /bin/try_exec /opt/blocked/tool
check "a new monitor gets the next deny event" ev_wait '"path":"/opt/blocked/tool"'
ev_stop

# 2. kcsadm netwatch, killed: what it applied stays.
if [ -x "$DNSMASQ" ]; then
	ctr_create k2 "$P/try_exec" "$P/ev_flood" "$P/nop:/opt/blocked/tool" >/dev/null
	at_exit "ctr_destroy k2"
	local_resolver
	"$DNSMASQ" -k -C /dev/null --no-resolv --no-hosts --pid-file= \
		--listen-address=127.0.0.1 --bind-interfaces -u root -g root \
		--local=/kcs.test/ --local-ttl=1 --host-record=nw.kcs.test,127.0.0.2 \
		2>"$KCS_TMP/dnsmasq.err" &
	DNS=$!
	at_exit "kill $DNS 2>/dev/null || :"
	i=0
	while ! grep -q ' 0100007F:0035 ' /proc/net/udp && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	cat >"$KCS_TMP/nw.json" <<'J'
{"name":"nw","exec":{"mode":"block","rules":["/opt/blocked/*"]},
 "network":{"egress":{"mode":"block",
  "rules":[{"fqdn":"nw.kcs.test","ports":"9","protocol":"udp"}]}}}
J
	kcsadm netwatch -f "$KCS_TMP/nw.json" --min-interval 1 >"$KCS_TMP/nw.log" 2>&1 &
	NW=$!
	at_exit "kill $NW 2>/dev/null || :"
	i=0
	while ! grep -q "next resolution" "$KCS_TMP/nw.log" && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check "netwatch applied the profile" grep -q "nw.kcs.test -> 127.0.0.2" "$KCS_TMP/nw.log"
	check "bind it enforce" kcsadm bind "$(ctr_cgroup k2)" --profile nw --mode enforce
	run_in k2 /bin/ev_flood 1 127.0.0.2 9 >/dev/null
	check_eq "UDP connect to what nw.kcs.test resolved to: EPERM" "$RUN_ST" 1
	sleep 1.5	# netwatch re-resolves (TTL 1 s): it is busy now and then
	kill -9 "$NW"
	wait "$NW" 2>/dev/null || :
	gen=$(kcsadm --json profile show nw | json_get generation)
	sleep 2.5	# when it would have resolved and applied again
	check_eq "netwatch killed: the profile stays, unchanged" \
		"$(kcsadm --json profile show nw | json_get generation)" "$gen"
	run_in k2 /bin/ev_flood 1 127.0.0.2 9 >/dev/null
	check_eq "the resolved rule still denies: EPERM" "$RUN_ST" 1
	run_in k2 /bin/try_exec /opt/blocked/tool
	check_eq "the exec rule still denies: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
	check_match "the binding is still listed" "$(kcsadm bindings)" "*nw*$(ctr_cgroup k2 | sed 's|/sys/fs/cgroup/||')*"
else
	skip "netwatch killed" "no dnsmasq in the payload (tools/dnsmasq)"
fi

# 3. kcsadm profile apply of a 10,000-pattern profile, killed after a
# random delay, again and again, alternating between two versions.
gen() { # gen FILE PREFIX EXTRA: /opt/common/tool, /opt/PREFIX<i>/bin/tool, EXTRA
	awk -v p="$2" -v x="$3" 'BEGIN {
		printf "{\"name\":\"big\",\"exec\":{\"mode\":\"block\",\"rules\":[\"/opt/common/tool\""
		for (i = 0; i < 10000; i++) printf ",\"/opt/%s%d/bin/tool\"", p, i
		if (x != "") printf ",\"%s\"", x
		printf "]}}\n" }' >"$1"
}
gen "$KCS_TMP/A.json" a ""
gen "$KCS_TMP/B.json" b /opt/b-extra
show() { kcsadm --json profile show big | tr -d ' \n'; }
cs() { read -r _u _ </proc/uptime; echo "${_u%.*}${_u#*.}"; }	# centiseconds
check "version A (10,001 patterns) applies" kcsadm profile apply -f "$KCS_TMP/A.json"
t0=$(cs)
check "version B (10,002 patterns) applies" kcsadm profile apply -f "$KCS_TMP/B.json"
t=$(($(cs) - t0))
diag "one apply takes about $((t * 10)) ms"
memB=$(show | json_get memory_bytes)
check "version A applies again" kcsadm profile apply -f "$KCS_TMP/A.json"
memA=$(show | json_get memory_bytes)
check "bind the container to it" kcsadm bind "$cg" --profile big --mode enforce
# state: "A GEN" or "B GEN" when show and the kernel's decisions agree on a
# whole version; anything else is printed as it is.
state() {
	_s=$(show)
	_r=$(printf '%s' "$_s" | json_get rules)
	_m=$(printf '%s' "$_s" | json_get memory_bytes)
	_g=$(printf '%s' "$_s" | json_get generation)
	run_in k1 /bin/try_exec /opt/a9999/bin/tool
	_a=$RUN_ST
	run_in k1 /bin/try_exec /opt/b9999/bin/tool
	_b=$RUN_ST
	run_in k1 /bin/try_exec /opt/common/tool
	_c=$RUN_ST
	if [ "$_r:$_m:$_a:$_b:$_c" = "10001:$memA:126:0:126" ]; then echo "A $_g"
	elif [ "$_r:$_m:$_a:$_b:$_c" = "10002:$memB:0:126:126" ]; then echo "B $_g"
	else echo "partial: rules $_r memory $_m a:$_a b:$_b common:$_c generation $_g"
	fi
}
cur=$(state)
check_eq "version A in force, generation 3" "$cur" "A 3"
old=0 new=0 i=0
while [ "$i" -lt "$K" ]; do
	i=$((i + 1))
	case $cur in A*) tgt=B ;; *) tgt=A ;; esac
	g=${cur#* }
	# 40 to 150% of an apply's time: compiling, sending, or after.
	delay=$(((40 + $(od -An -N2 -tu2 /dev/urandom) % 111) * t / 100))
	kcsadm profile apply -f "$KCS_TMP/$tgt.json" >/dev/null 2>&1 &
	pid=$!
	sleep "$((delay / 100)).$(printf %02d $((delay % 100)))"
	kill -9 "$pid" 2>/dev/null || :
	wait "$pid" 2>/dev/null || :
	now=$(state)
	case $now in
	"${cur%% *} $g") old=$((old + 1)); ok 0 "kill $i after $((delay * 10)) ms: the old version, whole" ;;
	"$tgt $((g + 1))") new=$((new + 1)); ok 0 "kill $i after $((delay * 10)) ms: the new version, whole" ;;
	*) ok 1 "kill $i after $((delay * 10)) ms: old or new version, whole"; diag "$now" ;;
	esac
	cur=$now
done
diag "$old kills left the old version, $new the new one"
check_eq "the profile list has nothing half-made" \
	"$(kcsadm profile list | awk 'NR > 1 { print $1 }' | sort | tr '\n' ' ')" \
	"big kp ${NW:+nw }"
run_in k1 /bin/try_exec /opt/common/tool
check_eq "enforcement continues: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
check_match "the binding is still listed" "$(kcsadm bindings)" "*big*${cg#/sys/fs/cgroup/}*"
ev_start
run_in k1 /bin/try_exec /opt/common/tool
check "events flow to a new monitor" ev_wait '"path":"/opt/common/tool"'
ev_stop
check_eq "no task left inside a hook" "$(kcs_stat hook_inflight)" 0
done_testing
