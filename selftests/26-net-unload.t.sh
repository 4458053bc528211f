#!/bin/sh
# Unloading and reloading the module while socket calls run in loops, in a
# bound container (connects that are allowed, datagrams that are denied)
# and in an unbound task: no oops (the harness fails the run on any kernel
# report), no task left inside a hook, the connect loop never sees an
# error (allowed with the module and without it), and the rules are in
# force again after each reload.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
net_begin nu "$P/try_net"
net_serve 192.0.2.1 80
net_serve 127.0.0.1 7777
cg=$(ctr_cgroup nu)

policy() {	# apply the profile and bind the container, Enforce
	kcs_apply '{"name":"nu","network":{"egress":{"mode":"block","rules":[
		{"cidr":"192.0.2.1/32","ports":"81","protocol":"tcp"},
		{"cidr":"192.0.2.1/32","ports":"9","protocol":"udp"}]}}}' &&
	kcsadm bind "$cg" --profile nu --mode enforce >/dev/null
}
check "profile applies and binds" policy
try nu sendto udp 192.0.2.1 9
check_eq "before the storm: the datagram is denied" "$TRY_OUT" EPERM

# A connect loop that must never fail, a sendto loop that is denied while
# the module is loaded, and an unbound connect loop in the guest.
ctr_spawn nu /bin/sh -c 'while /bin/try_net connect tcp 192.0.2.1 80 >/dev/null
	do :; done; echo stopped' >"$KCS_TMP/cloop.out"
ctr_spawn nu /bin/sh -c 'while :; do /bin/try_net sendto udp 192.0.2.1 9; done' \
	>/dev/null
( while "$P/try_net" connect tcp 127.0.0.1 7777 >/dev/null; do :; done
  echo stopped ) >"$KCS_TMP/hloop.out" &
hloop=$!
at_exit "kill $hloop 2>/dev/null || :"
sleep 0.5

ok_cycles=0
for c in 1 2 3 4 5; do
	sleep 0.3
	kcsadm unload >/dev/null 2>&1 || break
	sleep 0.2
	kcsadm load --module "$P/kcs.ko" >/dev/null 2>&1 || break
	policy || break
	ok_cycles=$c
done
check_eq "5 unload/load cycles under socket load" "$ok_cycles" 5
check_eq "no task left inside a hook" "$(kcs_stat hook_inflight)" 0
# The loops print only when they end: at their first error.
check_eq "the bound connect loop never saw an error" "$(cat "$KCS_TMP/cloop.out")" ""
check_eq "the unbound connect loop never saw an error" "$(cat "$KCS_TMP/hloop.out")" ""
try nu sendto udp 192.0.2.1 9
check_eq "rules in force again after reload (udp)" "$TRY_OUT" EPERM
try nu connect tcp 192.0.2.1 81
check_eq "rules in force again after reload (tcp)" "$TRY_OUT" EPERM
check "unload while looping" kcsadm unload
try nu sendto udp 192.0.2.1 9
check_eq "after unload the datagram goes out" "$TRY_OUT" ok
check_eq "the loops ran on without an error" \
	"$(cat "$KCS_TMP/cloop.out" "$KCS_TMP/hloop.out")" ""
done_testing
