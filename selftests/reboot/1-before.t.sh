#!/bin/sh
# Reboot, boot 1 of 2 (scripts/reboot-check.sh): a node set up as the
# README says. Profiles in /etc/kcs/profiles, two runtime policies giving
# web images two profiles (Enforce and Audit) and refusing unregistered
# images, one image registered; a container started through crun's hook
# gets both from its first program. Then /etc/kcs is written to the disk,
# as the node's root filesystem keeps it, and the VM powers off.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/kcs.sh"
. "${0%/*}/oci.sh"
. "${0%/*}/reboot.sh"

P=$KCS_DIR
reboot_begin
check "kcs.ko loads" kcs_load
at_exit kcs_unload
mkdir -p "$OCI_CONF/profiles" "$OCI_DIR"
printf '%s\n' '{"name":"web","exec":{"mode":"block","rules":["/opt/blocked/*"]}}' \
	>"$OCI_CONF/profiles/web.json"
printf '%s\n' '{"name":"watch","exec":{"mode":"block","rules":["/bin/nop"]}}' \
	>"$OCI_CONF/profiles/watch.json"
printf '%s\n' '{"name":"node-web","mode":"enforce",
 "mappings":[{"selector":{"images":["web:*"]},"profiles":["web"]}],
 "start_checks":{"unregistered_images":{}}}' >"$KCS_TMP/pe.json"
printf '%s\n' '{"name":"node-watch","mode":"audit",
 "mappings":[{"selector":{"images":["web:*"]},"profiles":["watch"]}]}' \
	>"$KCS_TMP/pa.json"
check "policy node-web (enforce) applies" kcsadm policy apply -f "$KCS_TMP/pe.json"
check "policy node-watch (audit) applies" kcsadm policy apply -f "$KCS_TMP/pa.json"
check "image web:1 registered" kcsadm image register web:1

oci_bundle b1 --image web:1 -- /opt/blocked/tool
oci_run crun b1
check_match "before the reboot: a web container's blocked entrypoint fails" \
	"$OCI_ST:$OCI_ERR" "[1-9]*:*peration not permitted*"

# The node's root filesystem: /etc/kcs, kept.
check "/etc/kcs written to the disk" tar -C / -cf /dev/vda etc/kcs
sync
check_eq "the disk holds the profiles, policies and images" \
	"$(tar -tf /dev/vda | grep -c -E '^etc/kcs/(profiles/(web|watch)|policies/node-(web|watch))\.json$|^etc/kcs/images$')" 5
done_testing
