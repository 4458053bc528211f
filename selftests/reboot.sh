# shellcheck shell=sh
# selftests/reboot.sh: what both boots of scripts/reboot-check.sh
# share (source after lib.sh, kcs.sh and oci.sh). kcs keeps its
# configuration where a node does: /etc/kcs (KCS_CONFDIR's default), on
# the disk the two boots share (/dev/vda, a tar archive of etc/kcs: the
# node's root filesystem); /run/kcs (KCS_RUNDIR and KCS_STATE_DIR's
# default) is a tmpfs, empty after the reboot as on a node.
OCI_CONF=/etc/kcs OCI_RUN=/run/kcs
KCS_CONFDIR=$OCI_CONF KCS_RUNDIR=$OCI_RUN
export KCS_CONFDIR KCS_RUNDIR

# reboot_begin: what both boots need, or skip_all: the shared disk as
# /dev/vda, and crun in the payload.
reboot_begin() {
	modprobe virtio_pci 2>/dev/null || :
	modprobe virtio_blk 2>/dev/null || :
	_i=0
	while [ ! -b /dev/vda ] && [ "$_i" -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -b /dev/vda ] ||
		skip_all "no /dev/vda: run by scripts/reboot-check.sh, which gives both boots one disk"
	[ -x "$KCS_DIR/tools/crun" ] || skip_all "crun is not in the payload (apt-get install crun)"
}
