#!/bin/sh
# Concurrency: replacing a profile while a container execs in a loop never
# lets a blocked exec through nor blocks an allowed one; unloading and
# reloading the module while bound and unbound tasks exec leaves no oops
# (the harness fails the run on any kernel report) and no stale rules.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
check "kcs.ko loads" kcs_load
at_exit kcs_unload
ctr_create rp "$P/nop" "$P/nop:/opt/blocked/tool" >/dev/null
at_exit "ctr_destroy rp"
ctr_create free "$P/nop" >/dev/null
at_exit "ctr_destroy free"
cg=$(ctr_cgroup rp)

variant() {	# N: same verdicts for nop and tool, different tables
	kcs_apply "{\"name\":\"rp\",\"exec\":{\"mode\":\"block\",
	\"rules\":[\"/opt/blocked/*\",\"/opt/v$1/*\",{\"regex\":\"/x{1,$(($1 % 7 + 1))}\"}]}}"
}
check "profile applies" variant 0
check "bind enforce" kcsadm bind "$cg" --profile rp --mode enforce
replaces=$(kcs_stat profile_replaces)

loop='i=0; while [ $i -lt 200 ]; do
	/bin/nop || { echo "allowed exec failed at $i"; exit 1; }
	if /opt/blocked/tool 2>/dev/null; then echo "blocked exec ran at $i"; exit 1; fi
	i=$((i + 1)); done; echo done'
ctr_spawn rp /bin/sh -c "$loop" >"$KCS_TMP/loop.out"
lp=$CTR_PID
n=0
while kill -0 "$lp" 2>/dev/null; do
	n=$((n + 1))
	variant "$n" || { echo "apply $n failed"; break; }
done
st=0; wait "$lp" || st=$?
check_eq "exec loop during $n replaces: verdicts never wrong" "$st:$(cat "$KCS_TMP/loop.out")" "0:done"
check "replaced at least 5 times meanwhile" test "$n" -ge 5
check_eq "replaces counted" "$(kcs_stat profile_replaces)" "$((replaces + n))"
gen=$(kcsadm --json profile show rp | json_get generation)
check_eq "generation counts every apply" "$gen" "$((n + 1))"

# Unload and reload while tasks exec, bound and unbound, in a loop.
forever='while :; do /bin/nop; /opt/blocked/tool 2>/dev/null; done'
ctr_spawn rp /bin/sh -c "$forever"
ctr_spawn free /bin/sh -c "$forever"
( while :; do "$P/nop"; done ) &
hostloop=$!
ok_cycles=0
for c in 1 2 3 4 5; do
	sleep 0.3
	kcsadm unload >/dev/null 2>&1 || break
	kcsadm load --module "$P/kcs.ko" >/dev/null 2>&1 || break
	variant 0 && kcsadm bind "$cg" --profile rp --mode enforce >/dev/null || break
	ok_cycles=$c
done
check_eq "5 unload/load cycles under exec load" "$ok_cycles" 5
run_in rp /opt/blocked/tool
check_match "rules in force again after reload" "$RUN_ST:$CTR_STDERR" "126:*Operation not permitted*"
# Once the bound loops are gone, no task may still be counted in a hook
# (while they run, one is often inside one: that is not a leak).
echo 1 >"$cg/cgroup.kill"
i=0
while [ -n "$(cat "$cg/cgroup.procs")" ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check_eq "no task left inside a hook once the bound loops stopped" "$(kcs_stat hook_inflight)" 0
ctr_spawn rp /bin/sh -c "$forever"
check "unload while looping" kcsadm unload
run_in rp /opt/blocked/tool
check_eq "after unload the blocked program runs" "$RUN_ST" 0
kill "$hostloop" 2>/dev/null || :
wait "$hostloop" 2>/dev/null || :
done_testing
