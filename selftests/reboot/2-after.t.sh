#!/bin/sh
# Reboot, boot 2 of 2 (scripts/reboot-check.sh): a fresh kernel, an empty
# /run, and /etc/kcs from the disk. What kcs.service runs at boot (kcsadm
# load, kcsadm restore) brings the profiles back; policies and registered
# images are read from /etc/kcs as before. Containers the runtime starts
# again get both profiles from their first program; an unregistered image
# is refused; a container started without the hook is bound by sync.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/oci.sh"
. "${0%/*}/reboot.sh"

P=$KCS_DIR
reboot_begin
check_eq "a fresh boot: kcs.ko not loaded, /etc/kcs and /run/kcs empty" \
	"$(grep -c '^kcs ' /proc/modules || :):$(ls -A /etc/kcs 2>/dev/null | wc -l):$(ls -A /run/kcs 2>/dev/null | wc -l)" \
	"0:0:0"
check "the root filesystem: /etc/kcs from the disk" tar -C / -xf /dev/vda

# kcs.service: ExecStart=kcsadm load, ExecStart=kcsadm restore.
check "kcsadm load" kcsadm load --module "$P/kcs.ko"
at_exit kcs_unload
st=0
out=$(kcsadm restore 2>&1) || st=$?
check_eq "kcsadm restore succeeds" "$st" 0
check_match "it applied web and watch from /etc/kcs/profiles" "$out" \
	"*profile watch applied*profile web applied*"
check_eq "profile list: both in the kernel" \
	"$(kcsadm profile list | grep -c -E '^(web|watch) ' || :)" 2
check_eq "profile show: recorded again, current" \
	"$(kcsadm --json profile show web | json_get state)" current
check_eq "policy list: both policies" \
	"$(kcsadm policy list | grep -c -E '^node-(web|watch) ' || :)" 2
check_match "image list: web:1" "$(kcsadm image list)" "*docker.io/library/web:1*"

mkdir -p "$OCI_DIR"
oci_bundle a1 --image web:1 -- /opt/blocked/tool
oci_run crun a1
check_match "after: a web container's blocked entrypoint fails from its first program" \
	"$OCI_ST:$OCI_ERR" "[1-9]*:*peration not permitted*"
oci_bundle a2 --image web:1 -- /bin/sleep 30
oci_start crun a2
j=$(kcsadm --json bindings | tr -d ' \n')
check_match "its binding holds both profiles, Enforce first" "$j" \
	'*"profiles":\[{"name":"web","mode":"enforce"},{"name":"watch","mode":"audit"}\]*'
oci_kill crun a2
oci_bundle a3 --image other:1 --hook-stderr "$KCS_TMP/a3.err" -- /bin/true
oci_run crun a3
check_match "an unregistered image is refused, saying why" \
	"$OCI_ST:$(cat "$KCS_TMP/a3.err")" "[1-9]*:*refused by kcs*not registered*"

oci_bundle a4 --no-hooks --image web:1 -- /bin/sleep 60
oci_start crun a4
at_exit "oci_kill crun a4"
check "sync" kcsadm sync --root /run/crun
pid=$(oci_pid crun a4)
cgid=$(stat -c %i "/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$pid/cgroup")")
check_eq "sync bound the container started without the hook" \
	"$(kcsadm bindings | awk -v id="$cgid" '$1 == id { print $3 }')" web
oci_exec crun a4 /opt/blocked/tool
check_match "and its blocked program fails with EPERM" "$OCI_ST:$OCI_ERR" \
	"[1-9]*:*peration not permitted*"
done_testing
