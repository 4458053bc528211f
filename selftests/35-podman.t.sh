#!/bin/sh
# Podman, as a node runs it: `kcsadm hook install --runtime podman` writes
# the oci-hooks 1.0.0 files into hooks.d, and podman (with crun) runs
# kcsadm as the createRuntime and poststop hook of every container: a
# container the policies map gets its profile before its first program,
# another is untouched, an Enforce start check refuses with its reason,
# and poststop removes the binding.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/oci.sh"

P=$KCS_DIR
if ! [ -x "$P/tools/podman" ] || ! [ -x "$P/tools/conmon" ] || ! [ -x "$P/tools/crun" ]; then
	skip_all "podman, conmon and crun are not in the payload (KCS_PAYLOAD_PODMAN=1 scripts/vm-payload.sh)"
fi
# The hooks.d files carry no environment: kcsadm's defaults, as on a node.
OCI_CONF=/etc/kcs OCI_RUN=/run/kcs
KCS_CONFDIR=$OCI_CONF KCS_RUNDIR=$OCI_RUN
export KCS_CONFDIR KCS_RUNDIR
HOOKS=/etc/containers/oci/hooks.d
check "kcs.ko loads" kcs_load
at_exit kcs_unload
at_exit "rm -rf /etc/kcs /etc/containers /run/kcs"
mkdir -p "$OCI_CONF/profiles" "$OCI_DIR"
check "kcsadm hook install --runtime podman" \
	kcsadm hook install --runtime podman --exe "$P/kcsadm"
check_eq "hooks.d: createRuntime and poststop" \
	"$(cd "$HOOKS" && echo kcs-*.json)" "kcs-createRuntime.json kcs-poststop.json"

printf '%s\n' '{"name":"web","exec":{"mode":"block","rules":["/opt/blocked/*"]}}' \
	>"$OCI_CONF/profiles/web.json"
printf '%s\n' '{"name":"pm-web","mode":"enforce",
 "mappings":[{"selector":{"images":["web:*"]},"profiles":["web"]}],
 "start_checks":{"capabilities_block":{"capabilities":["CAP_SYS_ADMIN"]}}}' \
	>"$KCS_TMP/pm.json"
check "policy: web images get web, CAP_SYS_ADMIN refused" \
	kcsadm policy apply -f "$KCS_TMP/pm.json"

# No image store: each container runs a busybox root (oci_bundle's) with
# --rootfs; its image is named by the io.kcs.image annotation, as for
# Docker (see docs/runtime-hooks.md).
oci_bundle pmroot --no-hooks -- /bin/true
ROOTFS=$OCI_DIR/pmroot/rootfs
# The VM's root is its initramfs, which pivot_root refuses: crun moves the
# root and chroots instead (no_pivot_root, as oci.sh's --no-pivot).
mkdir -p "$KCS_TMP/containers"
printf '[engine]\nno_pivot_root = true\n' >"$KCS_TMP/containers/containers.conf"
CONTAINERS_CONF=$KCS_TMP/containers/containers.conf
export CONTAINERS_CONF
# syslog: where the hook's reasons go (podman shows only its exit status).
SYSLOG=$KCS_TMP/syslog
syslogd -n -O "$SYSLOG" &
SYSLOGD=$!
at_exit "kill $SYSLOGD"
pm() {
	PM_ST=0
	PM_OUT=$(timeout 60 "$P/tools/podman" --root "$KCS_TMP/podman" \
		--runroot /run/kcs-podman --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend file \
		--runtime "$P/tools/crun" --conmon "$P/tools/conmon" \
		--hooks-dir "$HOOKS" "$@" </dev/null 2>&1) || PM_ST=$?
}

pm run --rm --network none --annotation io.kcs.image=web:1 \
	--rootfs "$ROOTFS" /opt/blocked/tool
check_match "podman: a mapped container's first program, blocked, fails with EPERM" \
	"$PM_ST:$PM_OUT" "[1-9]*:*peration not permitted*"
pm run --rm --network none --annotation io.kcs.image=web:1 \
	--rootfs "$ROOTFS" /bin/try_exec /bin/nop
check_eq "podman: what the profile does not block runs" "$PM_ST:$PM_OUT" "0:"
pm run --rm --network none --annotation io.kcs.image=other:1 \
	--rootfs "$ROOTFS" /opt/blocked/tool
check_eq "podman: a container no policy maps is untouched" "$PM_ST:$PM_OUT" "0:"
pm run --rm --network none --annotation io.kcs.image=web:1 \
	--cap-add SYS_ADMIN --rootfs "$ROOTFS" /bin/true
check_match "podman: CAP_SYS_ADMIN refused (Enforce): the hook's exit status 8" \
	"$PM_ST:$PM_OUT" "[1-9]*:*hook*exit code: 8*"
check_match "podman: the reason in syslog" "$(cat "$SYSLOG")" \
	"*start check capabilities_block: *CAP_SYS_ADMIN*enforce: not started*"
pm run -d --name pm-long --network none --annotation io.kcs.image=web:1 \
	--rootfs "$ROOTFS" /bin/sleep 60
check_eq "podman: a detached container starts" "$PM_ST" 0
check_eq "podman: it is bound to web" "$(kcsadm bindings | grep -c ' web ' || :)" 1
pm rm -f -t 0 pm-long
check_eq "podman: poststop removed the binding" \
	"$(kcsadm bindings | grep -c ' web ' || :)" 0
done_testing
