#!/bin/sh
# A node's reboot, for real: two boots of one kernel in QEMU that share one
# disk (KCS_VM_DISK, /dev/vda in the guest). The first sets kcs up and
# keeps /etc/kcs on the disk (selftests/reboot/1-before.t.sh); the second
# starts from a fresh kernel and an empty /run with /etc/kcs from the
# disk, runs what kcs.service runs at boot and checks that profiles,
# policies, registered images and bindings are back
# (selftests/reboot/2-after.t.sh). Prints both boots' TAP.
#
# usage: scripts/reboot-check.sh --kernel VMLINUZ --payload DIR
#   (the options of scripts/selftest.sh; the payload as vm-payload.sh makes it)
# Exit status: 0 when both boots passed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
disk=$(mktemp "${TMPDIR:-/tmp}/kcs-reboot-disk.XXXXXX")
trap 'rm -f "$disk"' EXIT
# An empty disk: the first boot writes /etc/kcs to it as a tar archive.
truncate -s 16M "$disk"
KCS_VM_DISK=$disk
export KCS_VM_DISK
st=0
echo "# boot 1 of 2"
"$top/scripts/selftest.sh" "$@" "$top/selftests/reboot/1-before.t.sh" || st=1
echo "# boot 2 of 2"
"$top/scripts/selftest.sh" "$@" "$top/selftests/reboot/2-after.t.sh" || st=1
exit "$st"
