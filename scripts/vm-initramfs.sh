#!/bin/sh
# Build the busybox initramfs that the kcs test VM boots (see scripts/vm-run.sh).
#
# usage: scripts/vm-initramfs.sh -o OUT [-p PAYLOAD_DIR] [-k KVER] [-m MODULES]
#                                [-b HOST_BINARY]... [-z gzip|none]
#
#   -o OUT      output archive (cpio, gzip-compressed unless -z none)
#   -p DIR      copied to /kcs in the guest (kcs.ko, kcsadm, selftests, ...);
#               dynamically linked ELF executables in it get their shared
#               libraries and the dynamic loader copied too (found with ldd)
#   -k KVER     kernel release whose modules to copy (default: from
#               $KCS_KERNEL's file name, else the newest
#               /boot/vmlinuz-*-cloud-amd64)
#   -m MODS     space-separated module names copied with their dependencies
#               from $KCS_MODULES_DIR (default /lib/modules/KVER) and indexed
#               with depmod, so `modprobe NAME` works in the guest.
#               Default: "veth nf_tables crc32c_generic overlay nft_ct
#               nft_log nft_limit nfnetlink_log nft_queue nfnetlink_queue sctp
#               dccp_ipv4 dccp_ipv6 smc virtio_pci virtio_blk" (nft_*,
#               nfnetlink_log: kcs ingress; nft_queue, nfnetlink_queue:
#               netwatch --dns-netns; sctp to smc: the protocols the network
#               tests try; virtio_*: the reboot test's disk); "" for
#               none (crc32c_generic: nf_tables' soft dependency on the
#               generic flavour, where it is a module).
#   -b BIN      extra host binary copied to /usr/local/bin with its libraries
#               (repeatable, e.g. -b "$(command -v nft)")
#   -z C        compression: gzip (default) or none
#
# Environment: KCS_KERNEL, KCS_KVER, KCS_MODULES_DIR, KCS_VM_MODULES (same as
# -m), KCS_BUSYBOX (a static busybox; default: busybox on PATH).
#
# The guest's /init is generated here: it mounts proc, sys, devtmpfs, devpts,
# cgroup2 (/sys/fs/cgroup), tracefs, debugfs, runs /kcs-vm/cmd (added by
# vm-run.sh), and reports "KCS-VM-EXIT <status>" through /dev/kmsg.
set -eu

prog=${0##*/}
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
warn() { printf '%s: warning: %s\n' "$prog" "$*" >&2; }
usage() { sed -n '2,/^set -eu/{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit "${1:-2}"; }

out='' payload='' kver=${KCS_KVER:-} comp=gzip bins=''
mods_set=${KCS_VM_MODULES+x}
mods=${KCS_VM_MODULES-veth nf_tables crc32c_generic overlay nft_ct nft_log nft_limit nfnetlink_log nft_queue nfnetlink_queue sctp dccp_ipv4 dccp_ipv6 smc virtio_pci virtio_blk}
while getopts o:p:k:m:b:z:h opt; do
	case $opt in
	o) out=$OPTARG ;;
	p) payload=$OPTARG ;;
	k) kver=$OPTARG ;;
	m) mods=$OPTARG; mods_set=x ;;
	b) bins="$bins
$OPTARG" ;;
	z) comp=$OPTARG ;;
	h) usage 0 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || die "unexpected argument: $1 (see -h)"
[ -n "$out" ] || die "missing -o OUT (see -h)"
case $comp in gzip|none) ;; *) die "-z: expected gzip or none, got '$comp'" ;; esac
[ -z "$payload" ] || [ -d "$payload" ] || die "payload '$payload' is not a directory"
for t in cpio ldd; do
	command -v "$t" >/dev/null 2>&1 || die "'$t' not found"
done

busybox=${KCS_BUSYBOX:-$(command -v busybox || true)}
if [ -z "$busybox" ] || [ ! -x "$busybox" ]; then
	die "busybox not found (install busybox-static, or set KCS_BUSYBOX)"
fi
if ldd "$busybox" >/dev/null 2>&1; then
	die "$busybox is dynamically linked: install busybox-static or set KCS_BUSYBOX"
fi

if [ -z "$kver" ]; then
	kernel=${KCS_KERNEL:-}
	if [ -z "$kernel" ]; then
		# newest cloud kernel, like vm-run.sh
		# shellcheck disable=SC2012 # names are vmlinuz-<release>
		kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1)
	fi
	case ${kernel##*/} in
	vmlinuz-*) kver=${kernel##*/vmlinuz-} ;;
	esac
fi
moddir=${KCS_MODULES_DIR:-${kver:+/lib/modules/$kver}}

case $out in /*) ;; *) out=$(pwd)/$out ;; esac
[ -z "$payload" ] || payload=$(cd "$payload" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kcs-initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
root=$tmp/root
mkdir -p "$root"
cd "$root"
mkdir -p bin dev proc sys run tmp etc root kcs kcs-vm lib lib64 usr/local/bin \
	mnt var
chmod 1777 tmp
ln -s bin sbin
ln -s ../bin usr/bin
ln -s ../bin usr/sbin
ln -s ../lib usr/lib
cp "$busybox" bin/busybox
# Applet links are made by /init (busybox --install -s): one process instead
# of ~300 ln(1) runs here.

# --- shared libraries of dynamically linked executables ----------------------
is_elf() {
	[ -f "$1" ] && [ -x "$1" ] && [ "$(head -c 4 "$1" 2>/dev/null)" = "$(printf '\177ELF')" ]
}
libs=$tmp/libs
: >"$libs"
add_libs() { # ELF executable
	# not dynamic (static, or an ELF that ldd cannot run): nothing to copy
	ldd_out=$(ldd "$1" 2>/dev/null) || return 0
	if printf '%s\n' "$ldd_out" | grep -q 'not found'; then
		die "$1: missing shared libraries:
$(printf '%s\n' "$ldd_out" | grep 'not found')"
	fi
	printf '%s\n' "$ldd_out" | awk '
		$2 == "=>" && $3 ~ /^\// { print $3; next }
		$1 ~ /^\// { print $1 }' >>"$libs"
}

if [ -n "$payload" ]; then
	cp -R "$payload"/. kcs/
	find kcs -type f -perm -u+x >"$tmp/exe"
	while IFS= read -r f; do
		! is_elf "$f" || add_libs "$f"
	done <"$tmp/exe"
fi

printf '%s\n' "$bins" | while IFS= read -r b; do
	[ -n "$b" ] || continue
	[ -f "$b" ] || die "-b $b: no such file"
	cp "$b" usr/local/bin/
	! is_elf "$b" || add_libs "$b"
done

sort -u "$libs" | while IFS= read -r l; do
	mkdir -p ".${l%/*}"
	cp -L "$l" ".$l"
done

# --- kernel modules ---------------------------------------------------------
if [ -n "$mods" ]; then
	if [ -z "$moddir" ] || [ ! -f "$moddir/modules.dep" ]; then
		msg="no modules.dep in '${moddir:-?}' (kernel release '${kver:-?}'); set -k, KCS_KVER or KCS_MODULES_DIR"
		[ -z "$mods_set" ] || die "$msg"
		warn "$msg; no modules copied"
	else
		[ -n "$kver" ] || kver=${moddir##*/}
		for m in $mods; do
			# modules.dep names use '-' or '_' as the file has them
			line=$(awk -v m="$m" '
				{ f = $1; sub(/:$/, "", f); b = f; sub(/.*\//, "", b)
				  sub(/\.ko(\.[a-z]+)?$/, "", b); gsub(/-/, "_", b)
				  n = m; gsub(/-/, "_", n)
				  if (b == n) { print; exit } }' "$moddir/modules.dep")
			if [ -z "$line" ]; then
				if grep -Eq "/${m}\\.ko" "$moddir/modules.builtin" 2>/dev/null; then
					continue	# built in
				fi
				msg="module '$m' not found in $moddir"
				[ -z "$mods_set" ] || die "$msg"
				warn "$msg"
				continue
			fi
			for f in $(printf '%s\n' "$line" | sed 's/://'); do
				mkdir -p "lib/modules/$kver/${f%/*}"
				cp "$moddir/$f" "lib/modules/$kver/$f"
			done
		done
		for f in modules.builtin modules.builtin.modinfo modules.order; do
			[ ! -f "$moddir/$f" ] || cp "$moddir/$f" "lib/modules/$kver/"
		done
		if [ -d "lib/modules/$kver" ]; then
			command -v depmod >/dev/null 2>&1 || die "depmod not found (install kmod)"
			depmod -b "$root" "$kver" ||
				die "depmod failed for $root/lib/modules/$kver"
		fi
	fi
fi

# --- /init ------------------------------------------------------------------
cat >init <<'INIT'
#!/bin/busybox sh
# kcs test VM init, generated by scripts/vm-initramfs.sh.
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
export PATH=/kcs:/kcs/bin:/kcs/selftests:/usr/local/bin:/bin HOME=/root TERM=dumb
# The kernel loads modules it needs itself (crypto algorithms) through this.
echo /bin/modprobe >/proc/sys/kernel/modprobe 2>/dev/null || :
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup ||
	echo "kcs-vm: cannot mount cgroup2 on /sys/fs/cgroup"
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null ||
	echo "kcs-vm: no tracefs"
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null ||
	echo "kcs-vm: no debugfs"
hostname kcs-vm
ip link set lo up 2>/dev/null
cd /kcs

kmsg() { printf '<2>%s\n' "$*" >/dev/kmsg; }

kmsg "KCS-VM-START"
if [ -f /kcs-vm/cmd ]; then
	# The command's output goes to the console and, without kernel messages
	# mixed in, to the second serial port (vm-run.sh -o). Closing ttyS1 waits
	# until its output has drained.
	if [ -c /dev/ttyS1 ] && stty -F /dev/ttyS1 raw -echo 2>/dev/null; then
		{ sh /kcs-vm/cmd; echo $? >/run/kcs-vm-rc; } 2>&1 | tee /dev/ttyS1
		rc=$(cat /run/kcs-vm-rc 2>/dev/null || echo 255)
	else
		sh /kcs-vm/cmd
		rc=$?
	fi
else
	echo "kcs-vm: no /kcs-vm/cmd: interactive shell; 'exit' powers off"
	setsid cttyhack sh -l
	rc=$?
fi

# Ask kmemleak (debug kernels) for a report; vm-run.sh scans the console.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
fi
kmsg "KCS-VM-TAINT $(cat /proc/sys/kernel/tainted)"
kmsg "KCS-VM-EXIT $rc"
sync
poweroff -f
reboot -f	# vm-run.sh passes -no-reboot: a reboot also ends QEMU
INIT
chmod 755 init

# --- archive ----------------------------------------------------------------
mkdir -p "${out%/*}"
if [ "$comp" = gzip ]; then
	find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -1 >"$out.tmp"
else
	find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 >"$out.tmp"
fi
mv "$out.tmp" "$out"
