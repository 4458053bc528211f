#!/bin/sh
# Socket hooks on demand: kcs.ko keeps its exec hook from load to unload
# but registers the socket hooks (connect and sendmsg for egress, bind and
# listen for listener rules) only while a bound profile needs them. Each
# step checks the guest's ftrace enabled_functions (which functions have
# ftrace ops attached) and what a container's sockets see: EPERM where a
# rule applies, success once nothing needs the hook any more.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/net.sh"

P=$KCS_DIR
EF=/sys/kernel/tracing/enabled_functions
[ -x "$NET_IP" ] || skip_all "no iproute2 ip in the payload (tools/ip)"
[ -r "$EF" ] || skip_all "no tracefs at /sys/kernel/tracing"

# traced NAME: is the LSM entry point NAME (socket_sendmsg, ...) traced,
# through its BPF-LSM stub or the security_* function, whichever kcs uses?
traced() {
	grep -Eq "^(bpf_lsm|security)_$1 " "$EF"
}

# hooks: which of the four socket hooks are traced, e.g. "connect sendmsg".
hooks() {
	_h=
	for _n in connect sendmsg bind listen; do
		! traced "socket_$_n" || _h="$_h $_n"
	done
	echo "${_h# }"
}

exec_traced() {
	grep -Eq '^(bpf_lsm_bprm_check_security|security_bprm_check) ' "$EF"
}

check_eq "before load: no socket hook traced" "$(hooks)" ""
net_begin h1 "$P/try_net" "$P/nop"
cg=$(ctr_cgroup h1)
parent=${cg%/*}

check "loaded, nothing bound: the exec hook is traced" exec_traced
check_eq "loaded, nothing bound: no socket hook" "$(hooks)" ""

exec_only='{"name":"ex","exec":{"mode":"block","rules":["/bin/nop"]}}'
egress='{"name":"eg","network":{"egress":{"mode":"block",
	"rules":[{"cidr":"198.51.100.0/24","protocol":"udp"}]}}}'
check "exec-only profile applies" kcs_apply "$exec_only"
check "bind it (enforce)" kcsadm bind "$cg" --profile ex --mode enforce
check_eq "exec-only profile bound: no socket hook" "$(hooks)" ""
run_in h1 /bin/nop
check_match "its exec rule is in force" "$RUN_ST:$CTR_STDERR" "126:*not permitted*"
try h1 sendto udp 198.51.100.1 53
check_eq "UDP sendto 198.51.100.1: sent" "$TRY_OUT" ok

check "egress profile applies (not bound yet)" kcs_apply "$egress"
check_eq "an unbound egress profile hooks nothing" "$(hooks)" ""

check "rebind to the egress profile" kcsadm bind "$cg" --profile eg --mode enforce
check_eq "egress bound: connect and sendmsg hooked" "$(hooks)" "connect sendmsg"
try h1 sendto udp 198.51.100.1 53
check_eq "UDP sendto 198.51.100.1 (blocked): EPERM" "$TRY_OUT" EPERM
try h1 connect udp 198.51.100.1 53
check_eq "UDP connect 198.51.100.1 (blocked): EPERM" "$TRY_OUT" EPERM
try h1 sendto udp 192.0.2.1 53
check_eq "UDP sendto 192.0.2.1 (no rule): sent" "$TRY_OUT" ok

# Replacing the bound profile: the new one's hooks come, the old one's go.
check "replace it by a listen-only profile" kcs_apply '{"name":"eg","network":{
	"listen":{"mode":"block","ports":["8080"]}}}'
check_eq "listen rules bound: bind and listen hooked" "$(hooks)" "bind listen"
try h1 sendto udp 198.51.100.1 53
check_eq "UDP sendto 198.51.100.1: sent again" "$TRY_OUT" ok
try h1 listen tcp 0.0.0.0 8080
check_eq "TCP listen on 8080 (blocked): EPERM" "$TRY_OUT" EPERM
check "replace it by the egress profile again" kcs_apply "$egress"
check_eq "egress again: connect and sendmsg hooked" "$(hooks)" "connect sendmsg"
try h1 sendto udp 198.51.100.1 53
check_eq "UDP sendto 198.51.100.1: EPERM again" "$TRY_OUT" EPERM
try h1 listen tcp 0.0.0.0 8080
check_eq "TCP listen on 8080: ok again" "$TRY_OUT" ok

# Replaced again and again by egress profiles that differ in listen rules:
# bind and listen come and go each time, sendmsg must never be missing.
variant() {	# N: egress always, listen rules when N is even
	_l=
	[ $(($1 % 2)) = 1 ] || _l=',"listen":{"mode":"block","ports":["8080"]}'
	kcs_apply "{\"name\":\"eg\",\"network\":{\"egress\":{\"mode\":\"block\",
	\"rules\":[{\"cidr\":\"198.51.100.0/24\",\"protocol\":\"udp\"},
		 {\"cidr\":\"203.0.113.$1/32\"}]}$_l}}"
}
stop=$(ctr_root h1)/tmp/stop
# shellcheck disable=SC2016 # expanded by the container's shell
loop='i=0; while [ ! -e /tmp/stop ]; do
	/bin/try_net sendto udp 198.51.100.1 53 >/dev/null
	[ $? = 1 ] || { echo "not EPERM after $i"; exit 1; }
	i=$((i + 1)); done; echo "$i"'
ctr_spawn h1 /bin/sh -c "$loop" >"$KCS_TMP/loop.out"
lp=$CTR_PID
ctr_wait_in_cgroup h1 "$lp" || :
n=0
while [ "$n" -lt 10 ] && variant $((n + 1)); do
	n=$((n + 1))
done
: >"$stop"
st=0; wait "$lp" || st=$?
sent=$(cat "$KCS_TMP/loop.out")
check_eq "10 replaces while a container sends in a loop" "$n" 10
check_match "every send meanwhile: EPERM ($sent)" "$st:$sent" "0:[1-9]*"
check "back to the plain egress profile" kcs_apply "$egress"
check_eq "connect and sendmsg hooked, bind and listen not" "$(hooks)" "connect sendmsg"
check "replace it by one without egress" kcs_apply '{"name":"eg",
	"exec":{"mode":"block","rules":["/bin/nop"]}}'
check_eq "no egress bound: no socket hook" "$(hooks)" ""
try h1 sendto udp 198.51.100.1 53
check_eq "UDP sendto 198.51.100.1: sent" "$TRY_OUT" ok

# A hook serves every binding: it goes with the last one that needs it.
check "egress profile applies" kcs_apply "$egress"
check "bind the parent cgroup to it" kcsadm bind "$parent" --profile eg --mode enforce
check "bind the container to the exec-only profile" kcsadm bind "$cg" --profile ex --mode enforce
check_eq "hooked for the parent's binding" "$(hooks)" "connect sendmsg"
try h1 sendto udp 198.51.100.1 53
check_eq "the nearer (exec-only) binding decides: sent" "$TRY_OUT" ok
check "unbind the container" kcsadm unbind "$cg"
check_eq "still hooked" "$(hooks)" "connect sendmsg"
try h1 sendto udp 198.51.100.1 53
check_eq "covered by the parent's binding now: EPERM" "$TRY_OUT" EPERM
check "unbind the parent" kcsadm unbind "$parent"
check_eq "nothing bound: no socket hook" "$(hooks)" ""
try h1 sendto udp 198.51.100.1 53
check_eq "unbound: sent" "$TRY_OUT" ok

check "delete both profiles" sh -c 'kcsadm profile delete eg && kcsadm profile delete ex'
check_eq "no profile: no socket hook" "$(hooks)" ""
check "egress profile applies again" kcs_apply "$egress"
check "and binds" kcsadm bind "$cg" --profile eg --mode enforce
check_eq "hooked again" "$(hooks)" "connect sendmsg"
try h1 sendto udp 198.51.100.1 53
check_eq "UDP sendto 198.51.100.1: EPERM" "$TRY_OUT" EPERM

# Unload with the hooks registered, then load again.
check "unload while bound and hooked" kcsadm unload
check_eq "unloaded: no socket hook" "$(hooks)" ""
check_fails "unloaded: the exec hook is gone" exec_traced
try h1 sendto udp 198.51.100.1 53
check_eq "unloaded: sent" "$TRY_OUT" ok
check "kcs.ko loads again" kcs_load
check_eq "reloaded: no socket hook" "$(hooks)" ""
check "egress profile applies" kcs_apply "$egress"
check "and binds" kcsadm bind "$cg" --profile eg --mode audit
check_eq "hooked" "$(hooks)" "connect sendmsg"
audited=$(kcs_stat net_audited)
try h1 sendto udp 198.51.100.1 53
check_eq "audit: sent" "$TRY_OUT" ok
check_eq "and audited" "$(kcs_stat net_audited)" "$((audited + 1))"
check "unbind" kcsadm unbind "$cg"
check_eq "unbound: no socket hook" "$(hooks)" ""
check_eq "no task left inside a hook" "$(kcs_stat hook_inflight)" 0
done_testing
