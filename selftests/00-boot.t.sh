#!/bin/sh
# Smoke test of the VM harness itself: guest mounts, container-like tasks
# (cgroup, mount namespace, chroot), exit status and stderr plumbing, kernel
# modules, and the TAP library's own self-check.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"

# shellcheck disable=SC2317 # called through check
mounted() { # FSTYPE MOUNTPOINT
	awk -v t="$1" -v m="$2" '$2 == m && $3 == t { f = 1 } END { exit !f }' /proc/mounts
}
check "proc on /proc" mounted proc /proc
check "sysfs on /sys" mounted sysfs /sys
check "devtmpfs on /dev" mounted devtmpfs /dev
check "cgroup2 on /sys/fs/cgroup" mounted cgroup2 /sys/fs/cgroup
check "tracefs on /sys/kernel/tracing" mounted tracefs /sys/kernel/tracing
check "debugfs on /sys/kernel/debug" mounted debugfs /sys/kernel/debug
check "ftrace can see security_bprm_check" \
	grep -qx 'security_bprm_check' /sys/kernel/tracing/available_filter_functions
check "the guest shell is in the root cgroup" grep -qx '0::/' /proc/self/cgroup
case ${KCS_DIR:-} in
'') skip "kcs payload directory" "KCS_DIR unset (not run by run-in-vm.sh?)" ;;
*) check "payload directory $KCS_DIR exists" test -d "$KCS_DIR" ;;
esac

# --- a container-like task -------------------------------------------------
out=$(ctr_create boot) && st=0 || st=$?
check_eq "ctr_create boot" "$st" 0
at_exit "ctr_destroy boot"
cg=$(ctr_cgroup boot) root=$(ctr_root boot)
check_eq "ctr_create prints the cgroup and root" "$out" "$cg $root"
check "its cgroup directory exists" test -f "$cg/cgroup.procs"
check "its root has busybox and /bin/sh" test -x "$root/bin/busybox" -a -x "$root/bin/sh"
check "its busybox is a copy, not the guest's file" \
	test "$(stat -c %i "$root/bin/busybox")" != "$(stat -c %i /bin/busybox)"
echo "inside" >"$root/marker"

st=0
ctr_exec boot /bin/cat /proc/self/cgroup >"$root/../cg.out" || st=$?
check_eq "an exec inside the container succeeds" "$st" 0
check_eq "its /proc/self/cgroup shows the container's cgroup" \
	"$(cat "$root/../cg.out")" "0::/${cg#/sys/fs/cgroup/}"

st=0
ctr_exec boot /bin/cat /marker >"$root/../marker.out" || st=$?
check_eq "it sees the container root as /" "$st:$(cat "$root/../marker.out")" "0:inside"

st=0
ctr_exec boot /bin/readlink /proc/self/ns/mnt >"$root/../ns.out" || st=$?
check "it runs in its own mount namespace" \
	test "$st" = 0 -a "$(cat "$root/../ns.out")" != "$(readlink /proc/self/ns/mnt)"
check "the container's /proc mount is not visible outside" \
	sh -c "! grep -q ' $root/proc ' /proc/mounts"

st=0
ctr_exec boot /bin/sh -c 'echo "to stderr" >&2; exit 7' || st=$?
check_eq "the exit status comes back" "$st" 7
check_eq "stderr is captured in CTR_STDERR" "$CTR_STDERR" "to stderr"

st=0
ctr_exec boot /bin/no-such-program || st=$?
check_eq "a missing program: status 127" "$st" 127
check_match "... with an error on stderr" "$CTR_STDERR" "*no-such-program*"

ctr_spawn boot /bin/sleep 30
if ctr_wait_in_cgroup boot "$CTR_PID"; then ok 0 "a spawned task joins the cgroup"
else ok 1 "a spawned task joins the cgroup"; diag "cgroup.procs: $(cat "$cg/cgroup.procs")"
fi
check_eq "... and exec'd the requested program" \
	"$(readlink "/proc/$CTR_PID/exe" 2>&1)" "$root/bin/busybox"

st=0
CTR_UNSHARE="-p -f -u" ctr_exec boot /bin/sh -c 'echo $$; hostname' >"$root/../pid.out" || st=$?
check_eq "with CTR_UNSHARE='-p -f -u' it is pid 1 of its own pid namespace" \
	"$st:$(head -n 1 "$root/../pid.out")" "0:1"

check "ctr_destroy boot" ctr_destroy boot
check "... removes the cgroup" test ! -e "$cg"
check "... and the root" test ! -e "$root"

# --- kernel modules from the initramfs ----------------------------------------
for m in veth nf_tables; do
	if [ -e /sys/module/$m ]; then
		ok 0 "$m is available (built in or loaded)"
	elif find /lib/modules -name "$m.ko*" 2>/dev/null | grep -q .; then
		check "modprobe $m" modprobe $m
	else
		skip "modprobe $m" "not in this initramfs"
	fi
done
if [ -e /sys/module/veth ]; then
	# (busybox ip ignores "peer name X": the peer gets the next vethN name)
	# shellcheck disable=SC2016 # for the inner shell
	check "a veth pair in a network namespace" unshare -n sh -c '
		ip link set lo up && ip link add kcs0 type veth &&
		ip addr add 192.0.2.1/24 dev kcs0 && ip link set kcs0 up &&
		[ "$(ip link show | grep -c "^[0-9]")" = 3 ] &&
		ping -c 1 -W 2 192.0.2.1 >/dev/null'
fi

# --- the harness's own self-check ----------------------------------------------
check "lib-selftest.sh: lib.sh and run-in-vm.sh count failures" sh "${0%/*}/lib-selftest.sh"

done_testing
