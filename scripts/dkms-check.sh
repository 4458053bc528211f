#!/bin/sh
# Prove dkms.conf works: dkms add + build against the installed Debian
# headers for KVER (default: scripts/kver.sh), check the module's vermagic,
# then remove everything again. Prints TAP.
# Usage: dkms-check.sh [KVER [SRCDIR]]: SRCDIR (default: the tree) holds
# dkms.conf, Kbuild, kmod and uapi, e.g. the /usr/src/kcs-VERSION of an
# extracted kcs-dkms package (scripts/deb-check.sh).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
kver=${1:-$("$top/scripts/kver.sh")}
from=${2:-$top}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$from/dkms.conf")
src=/usr/src/kcs-$ver

cleanup() {
	dkms remove "kcs/$ver" --all >/dev/null 2>&1 || true
	rm -rf "$src"
}
trap cleanup EXIT
cleanup

echo "1..4"
mkdir -p "$src"
# Only what the kernel build needs, without any build products.
tar -C "$from" --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	--exclude='*.mod*' -cf - Kbuild dkms.conf kmod uapi | tar -C "$src" -xf -

log=$(mktemp)
if dkms add "kcs/$ver" >"$log" 2>&1 && dkms build "kcs/$ver" -k "$kver" >>"$log" 2>&1; then
	echo "ok 1 - dkms build kcs/$ver for $kver"
else
	sed 's/^/# /' "$log"
	find /var/lib/dkms/kcs -name make.log -exec sed 's/^/# /' {} \; 2>/dev/null || true
	echo "not ok 1 - dkms build kcs/$ver for $kver"
	echo "not ok 2 - built module has the kernel's vermagic # SKIP no module"
	echo "not ok 3 - dkms builds despite a compiler warning # SKIP no module"
	echo "not ok 4 - dkms.conf admits $kver # SKIP no module"
	rm -f "$log"
	exit 1
fi
rm -f "$log"
ko=$(find "/var/lib/dkms/kcs/$ver/$kver" -name 'kcs.ko*' | head -n 1)
magic=$(modinfo -F vermagic "$ko" 2>/dev/null || true)
case "$magic" in
"$kver "*) echo "ok 2 - built module has the kernel's vermagic ($kver)" ;;
*) echo "not ok 2 - built module has the kernel's vermagic (got '$magic')" ;;
esac

# A compiler warning (as after a kernel or compiler upgrade) must not stop
# the node's build: no -Werror under DKMS.
printf '\nint kcs_dkms_warning_probe(void);\nint kcs_dkms_warning_probe(void)\n{\n\tint unused;\n\n\treturn 0;\n}\n' \
	>>"$src/kmod/stats.c"
log=$(mktemp)
if dkms build "kcs/$ver" -k "$kver" --force >"$log" 2>&1 &&
	find "/var/lib/dkms/kcs/$ver" -name make.log -exec grep -l 'unused variable' {} + |
	grep -q .; then
	echo "ok 3 - dkms builds despite a compiler warning (no -Werror)"
else
	sed 's/^/# /' "$log"
	echo "not ok 3 - dkms builds despite a compiler warning (no -Werror)"
fi
rm -f "$log"

# Only the kernels the code supports (BUILD_EXCLUSIVE_KERNEL).
re=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$/\1/p' "$from/dkms.conf")
if [ -n "$re" ] && echo "$kver" | grep -Eq "$re" &&
	echo 7.2.13+deb14-cloud-amd64 | grep -Eq "$re" &&
	! echo 7.3.0-1-amd64 | grep -Eq "$re" &&
	! echo 5.10.0-30-amd64 | grep -Eq "$re"; then
	echo "ok 4 - dkms.conf admits $kver and 7.2, refuses 7.3 and 5.10"
else
	echo "not ok 4 - dkms.conf admits $kver and 7.2, refuses 7.3 and 5.10 ('$re')"
fi
