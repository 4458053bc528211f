#!/bin/sh
# Prove dkms.conf works: dkms add + build against the installed Debian
# headers for KVER (default: scripts/kver.sh), check the module's vermagic,
# then remove everything again. Prints TAP.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
kver=${1:-$("$top/scripts/kver.sh")}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
src=/usr/src/kcs-$ver

cleanup() {
	dkms remove "kcs/$ver" --all >/dev/null 2>&1 || true
	rm -rf "$src"
}
trap cleanup EXIT
cleanup

echo "1..2"
mkdir -p "$src"
# Only what the kernel build needs, without any build products.
tar -C "$top" --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	--exclude='*.mod*' -cf - Kbuild dkms.conf kmod uapi | tar -C "$src" -xf -

log=$(mktemp)
if dkms add "kcs/$ver" >"$log" 2>&1 && dkms build "kcs/$ver" -k "$kver" >>"$log" 2>&1; then
	echo "ok 1 - dkms build kcs/$ver for $kver"
else
	sed 's/^/# /' "$log"
	find /var/lib/dkms/kcs -name make.log -exec sed 's/^/# /' {} \; 2>/dev/null || true
	echo "not ok 1 - dkms build kcs/$ver for $kver"
	echo "not ok 2 - built module has the kernel's vermagic # SKIP no module"
	rm -f "$log"
	exit 1
fi
rm -f "$log"
ko=$(find "/var/lib/dkms/kcs/$ver/$kver" -name 'kcs.ko*' | head -n 1)
magic=$(modinfo -F vermagic "$ko" 2>/dev/null || true)
case "$magic" in
"$kver "*) echo "ok 2 - built module has the kernel's vermagic ($kver)" ;;
*) echo "not ok 2 - built module has the kernel's vermagic (got '$magic')"; exit 1 ;;
esac
