#!/bin/sh
# Hook liveness: kcsadm load proves that every entry point kcs.ko hooks
# fires for a real task and has the type kcs.ko was built for (BTF); a
# load where one cannot be seen firing is refused and leaves nothing
# loaded; a module nobody proved takes no binding. And kcs beside a BPF-LSM
# program on the same stub (Tetragon, KubeArmor), attached before or after
# kcs: both decide, and each runs exactly once per exec.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
kcs_unload >/dev/null 2>&1 || :

# seccomp fails connect() before the kernel's socket code: its hook
# cannot fire, so nothing proves it.
out=$("$P/no_syscall" connect kcsadm load --module "$P/kcs.ko" 2>&1) && st=0 || st=$?
diag "$out"
check_eq "a hook not seen firing: load refused (exit 1)" "$st" 1
check_match "the message names the hook and its target" "$out" \
	"*the connect hook on *socket_connect did not fire for a real operation*"
check "nothing is left loaded" sh -c '! grep -q "^kcs " /proc/modules'

# Entry points: 11 (12 with SCTP loaded) on a kernel without the path hooks
# (CONFIG_SECURITY_PATH), 19 (20) with them, as Debian's kernels have; the
# two system call entries (64- and 32-bit) among them.
out=$(kcsadm load --module "$P/kcs.ko")
diag "$out"
if [ -r /sys/kernel/btf/vmlinux ]; then
	check_match "load proves every hook, types checked against BTF" "$out" \
		"*hooks proven: * entry points fired for real operations, their types match the kernel's BTF*"
else
	check_match "load proves every hook (no BTF: types checked at build time)" "$out" \
		"*hooks proven: * entry points fired for real operations (the kernel has no BTF*"
fi
n=$(printf '%s\n' "$out" | sed -n 's/.*hooks proven: \([0-9]*\) entry points.*/\1/p')
check "every entry point counted: 11 or 12 without path hooks, 19 or 20 with ($n)" \
	sh -c "case '$n' in 11|12|19|20) exit 0;; esac; exit 1"
check_match "status: exec, socket, mmap, capable, file and syscall hooks proven" \
	"$(kcsadm status)" \
	"*hooks_proven: exec connect sendmsg bind listen mmap capable file syscall*"
kcs_unload

# Under a seccomp filter that kills any 32-bit call (systemd's
# SystemCallArchitectures=native), kcsadm load does not try int 0x80: it
# loads, and the 64-bit entry proves that system calls can be hooked.
out=$("$P/no_syscall" native kcsadm load --module "$P/kcs.ko" 2>&1) && st=0 || st=$?
diag "$out"
check_eq "native-only seccomp: load succeeds" "$st" 0
check_match "  and the syscall hooks are proven" "$(kcsadm status)" \
	"*hooks_proven: exec connect sendmsg bind listen mmap capable file syscall*"
kcs_unload

# Loaded by other means (modprobe at boot): no binding until proven.
check "insmod without kcsadm" insmod "$P/kcs.ko"
at_exit kcs_unload
ctr_create c1 "$P/try_exec" "$P/exec_loop" "$P/nop" "$P/nop:/opt/blocked/tool" >/dev/null
at_exit "ctr_destroy c1"
ctr_create c2 "$P/try_exec" "$P/nop" >/dev/null
at_exit "ctr_destroy c2"
check "profile applies (unbound: no proof needed)" kcs_apply \
	'{"name":"blk","exec":{"mode":"block","rules":["/opt/blocked/*"]}}'
out=$(kcsadm bind "$(ctr_cgroup c1)" --profile blk --mode enforce 2>&1) && st=0 || st=$?
check_match "unproven module: bind refused, says how to fix it" "$st:$out" \
	'1:*not proven to fire yet: run "kcsadm load"*'
check "kcsadm load on the loaded module proves it" kcsadm load
check "then bind works" kcsadm bind "$(ctr_cgroup c1)" --profile blk --mode enforce
run_in c1 /bin/try_exec /opt/blocked/tool
check_eq "and enforces" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"

[ -r /sys/kernel/security/lsm ] || mount -t securityfs none /sys/kernel/security 2>/dev/null || :
lsm=$(cat /sys/kernel/security/lsm 2>/dev/null || :)
case ",$lsm," in
*,bpf,*) why= ;;
*) why="the bpf LSM is not active ($lsm)" ;;
esac
[ -r /sys/kernel/btf/vmlinux ] || why="the kernel has no BTF"
if [ -n "$why" ]; then
	skip "kcs beside a BPF-LSM program" "$why: none can attach"
	done_testing
	exit 0
fi

BPF_OUT=$KCS_TMP/bpf.out
BPF_PID=
bpf_start() { # [DENY COUNT]: containers (default c2 and c1)
	: >"$BPF_OUT"
	"$P/bpf_lsm" bpf_lsm_bprm_check_security "$(ctr_cgroup "${1:-c2}")" \
		"$(ctr_cgroup "${2:-c1}")" >"$BPF_OUT" 2>&1 &
	BPF_PID=$!
	i=0
	until grep -q attached "$BPF_OUT" 2>/dev/null; do
		kill -0 "$BPF_PID" 2>/dev/null && [ $i -lt 100 ] || return 1
		i=$((i + 1)); sleep 0.1
	done
}
bpf_count() {
	kill -USR1 "$BPF_PID"
	i=0 want=$(($(grep -c '^count' "$BPF_OUT") + 1))
	while [ "$(grep -c '^count' "$BPF_OUT")" -lt "$want" ] && [ $i -lt 50 ]; do
		i=$((i + 1)); sleep 0.1
	done
	grep '^count' "$BPF_OUT" | tail -n 1 | cut -d' ' -f2
}
bpf_stop() {
	[ -z "$BPF_PID" ] || { kill "$BPF_PID"; wait "$BPF_PID" || :; }
	BPF_PID=
}
at_exit bpf_stop

# Both decide, and each exec is seen once by each: 20 more execs in c1
# are 20 more calls for the BPF program and 20 more checks for kcs.
both_decide() { # WHEN
	run_in c1 /bin/try_exec /opt/blocked/tool
	check_eq "$1: kcs denies in its container" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
	run_in c2 /bin/try_exec /bin/nop
	check_match "$1: the BPF program denies in its own" "$RUN_ST:$CTR_STDERR" \
		"*Operation not permitted*"
	run_in c1 /bin/try_exec /bin/nop
	check_eq "$1: what neither denies runs" "$RUN_ST" 0
	b0=$(bpf_count) k0=$(kcs_stat exec_checked)
	run_in c1 /bin/exec_loop 1 /bin/nop >/dev/null
	b1=$(bpf_count) k1=$(kcs_stat exec_checked)
	run_in c1 /bin/exec_loop 21 /bin/nop >/dev/null
	b2=$(bpf_count) k2=$(kcs_stat exec_checked)
	diag "BPF calls $b0 $b1 $b2, kcs checks $k0 $k1 $k2"
	check_eq "$1: 20 more execs, 20 more BPF calls" "$((b2 - b1 - (b1 - b0)))" 20
	check_eq "$1: and 20 more kcs checks" "$((k2 - k1 - (k1 - k0)))" 20
}

bpf_start || diag "$(cat "$BPF_OUT")"
check_eq "a BPF-LSM program attaches to the stub kcs hooks" "$(head -n 1 "$BPF_OUT")" attached
both_decide "BPF attached after kcs"

# The other order: kcs loads onto a stub that already has a BPF program.
check "unbind" kcsadm unbind "$(ctr_cgroup c1)"
check "unload kcs (the BPF program stays)" kcsadm unload
check "load kcs again: proven with the BPF program there" kcsadm load --module "$P/kcs.ko"
check "profile applies again" kcs_apply \
	'{"name":"blk","exec":{"mode":"block","rules":["/opt/blocked/*"]}}'
check "bind again" kcsadm bind "$(ctr_cgroup c1)" --profile blk --mode enforce
both_decide "kcs loaded after BPF"

# A BPF program that denies first: its trampoline never calls kcs's
# replacement. Nothing of kcs may stay held (unload must still work).
bpf_stop
bpf_start c1 c2 || :
run_in c1 /bin/try_exec /bin/nop
check_match "BPF denies in the bound container before kcs is asked" \
	"$RUN_ST:$CTR_STDERR" "126:*Operation not permitted*"
bpf_stop
check "unbind" kcsadm unbind "$(ctr_cgroup c1)"
check "kcs unloads at once: no reference left behind" kcsadm unload --wait 0
done_testing
