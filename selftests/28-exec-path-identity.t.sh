#!/bin/sh
# Which path is "the path": a file runs under the name that leads to it from
# the container's root, or, under Enforce, not at all. A chroot into a
# directory of the container's own, a mount namespace of its own with a
# file mounted over an allowed name, memfd and unlinked files, names longer
# than PATH_MAX: none gives a file an allowed name or hides a blocked one.
# What the container can do without tricks (chroot /, a mount namespace of
# its own) still runs.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
check "kcs.ko loads" kcs_load
at_exit kcs_unload
at_exit ev_stop
ctr_create pi "$P/try_exec" "$P/nop:/bin/allowed" "$P/nop:/opt/evil" \
	"$P/nop:/tmp/evil" "$P/nop:/tmp/x/bin/allowed" "$P/mnt_exec" >/dev/null
at_exit "ctr_destroy pi"
cg=$(ctr_cgroup pi)
r=$(ctr_root pi)

# Allow mode: busybox (every applet), try_exec and /bin/allowed.
check "allow profile applies" kcs_apply '{"name":"pi","exec":{"mode":"allow",
	"allow":["/bin/busybox","/bin/try_exec","/bin/mnt_exec","/bin/allowed"]}}'
check "bind enforce" kcsadm bind "$cg" --profile pi --mode enforce

run_in pi /bin/allowed
check_eq "/bin/allowed runs" "$RUN_ST" 0
run_in pi /bin/try_exec /opt/evil
check_eq "/opt/evil: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"

# chroot (CAP_SYS_CHROOT is in Docker's default set): another file that
# the task itself would call /bin/allowed.
run_in pi /bin/chroot /tmp/x /bin/allowed
check_match "chroot /tmp/x /bin/allowed (another file): EPERM" \
	"$RUN_ST:$CTR_STDERR" "126:*not permitted*"
run_in pi /bin/chroot / /bin/allowed
check_eq "chroot / /bin/allowed (the same file) runs" "$RUN_ST" 0

# A mount namespace of the container's own (unprivileged containers get
# one with a user namespace): a file mounted over the allowed name.
run_in pi /bin/mnt_exec --bind /tmp/evil /bin/allowed /bin/allowed
check_match "mount --bind /tmp/evil /bin/allowed, exec it: EPERM" \
	"$RUN_ST:$CTR_STDERR" "126:*not permitted*"
run_in pi /bin/mnt_exec /bin/allowed
check_eq "a mount namespace of its own without tricks: /bin/allowed runs" "$RUN_ST" 0
run_in pi /bin/mnt_exec --tmpfs /run /bin/sh -c 'cp /bin/allowed /run/a && exec /run/a'
check_match "a file on a tmpfs the container mounted: EPERM" \
	"$RUN_ST:$CTR_STDERR" "126:*not permitted*"

# Block mode: what is blocked by name stays blocked under any other.
check "block profile applies" kcs_apply '{"name":"pi","exec":{"mode":"block",
	"rules":["/opt/evil",{"mask":"/tmp/*"}]}}'
run_in pi /bin/chroot /opt /evil
check_match "chroot /opt /evil (blocked /opt/evil): EPERM" \
	"$RUN_ST:$CTR_STDERR" "126:*not permitted*"
cp "$P/nop" "$r/opt/evil2"
run_in pi /bin/try_exec --unlinked /opt/evil
check_eq "/opt/evil opened, unlinked, fexecve'd: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
cp "$P/nop" "$r/opt/evil"
run_in pi /bin/try_exec --memfd /opt/evil
check_eq "a memfd copy of /opt/evil: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
# A name longer than PATH_MAX under /tmp: d_path cannot produce it.
run_in pi /bin/sh -c 'cd /tmp && exec /bin/try_exec --deep 22 /bin/allowed'
check_eq "a file whose name is longer than PATH_MAX: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in pi /bin/allowed
check_eq "/bin/allowed still runs" "$RUN_ST" 0
run_in pi /bin/try_exec /opt/evil2
check_eq "/opt/evil2 (no rule) runs" "$RUN_ST" 0

# Audit: the exec goes ahead, the event says why kcs could not decide.
check "bind audit" kcsadm bind "$cg" --profile pi --mode audit
ev_start
run_in pi /bin/try_exec --memfd /opt/evil2
check_eq "audit: the memfd exec runs" "$RUN_ST" 0
ev=$(ev_wait '"rule_kind":"undecidable"' || :)
check_match "its event: rule_kind undecidable, invoked by fd" "$ev" \
	'*"verdict":"allow"*"mode":"audit"*"rule_kind":"undecidable"*'

# The root comes from the cgroup's oldest task when one is there at bind.
ev_stop
check "unbind" kcsadm unbind "$cg"
ctr_spawn pi /bin/sleep 30
ctr_wait_in_cgroup pi "$CTR_PID" || :
check "bind enforce with a task inside" kcsadm bind "$cg" --profile pi --mode enforce
run_in pi /bin/chroot /opt /evil
check_match "chroot /opt /evil still EPERM" "$RUN_ST:$CTR_STDERR" "126:*not permitted*"
st=0; kcsadm bind "$cg" --profile pi --mode enforce --root-pid 999999 2>"$KCS_TMP/err" || st=$?
check_eq "--root-pid of no task: exit 6" "$st" 6
check_match "it says so" "$(cat "$KCS_TMP/err")" "*root pid*"

# A task at the container's very root, in its mount namespace (as every
# task of a runc or crun container is): its names are the container's
# without a second lookup (kmod/exec_root.c). A file from outside that
# root, whose name from the host's root is an allowed one, is still not
# that name: handed in as a descriptor, executed through /proc/self/fd.
check "allow profile again" kcs_apply '{"name":"pi","exec":{"mode":"allow",
	"allow":["/bin/busybox","/bin/try_exec","/bin/mnt_exec","/bin/allowed"]}}'
in_root() { # in_root CMD...: in the sleeping task's mount namespace and root, in the cgroup
	RUN_ST=0
	nsenter -t "$CTR_PID" -m -r /bin/sh -c 'echo 0 >/.kcs-cgroup.procs && exec "$@"' sh "$@" \
		2>"$KCS_TMP/in_root.err" || RUN_ST=$?
	RUN_ERR=$(cat "$KCS_TMP/in_root.err")
}
in_root /bin/allowed
check_eq "at the container's root: /bin/allowed runs" "$RUN_ST" 0
in_root /bin/try_exec /opt/evil
check_eq "at the container's root: /opt/evil EPERM" "$RUN_ST:$RUN_ERR" "126:exec failed: EPERM"
[ ! -e /bin/allowed ] || bail_out "the guest has a /bin/allowed of its own"
cp "$P/nop" /bin/allowed
at_exit "rm -f /bin/allowed"
in_root /bin/try_exec /proc/self/fd/3 3</bin/allowed
check_eq "the host's /bin/allowed, handed in as fd 3 and executed: EPERM" \
	"$RUN_ST:$RUN_ERR" "126:exec failed: EPERM"
done_testing
