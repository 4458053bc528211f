#!/bin/sh
# The newest Debian kernels, the way a node on Debian sid gets them: a
# minbase sid chroot (debootstrap from the Debian registry) with the cloud
# and generic kernels' images and headers, and the compiler they were built
# with. Cached outside the repo (one chroot per machine, refreshed by
# --update).
#
#   scripts/sid-kernel.sh                  make sure the chroot exists; print it
#   scripts/sid-kernel.sh --print-dir      print where it is (may not exist yet)
#   scripts/sid-kernel.sh --kvers          print its kernel releases
#   scripts/sid-kernel.sh --build KVER OUT build kcs.ko from this tree in the
#                                          chroot for KVER (kbuild, -Werror)
#   scripts/sid-kernel.sh --update         apt-get upgrade inside it
#
# Environment: KCS_CACHE (default ~/.cache/kcs), KCS_SID_MIRROR.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${KCS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kcs}
dir=$cache/sid-chroot
mirror=${KCS_SID_MIRROR:-http://deb.debian.org/debian}
pkgs="linux-image-cloud-amd64 linux-headers-cloud-amd64 linux-image-amd64 linux-headers-amd64 make"

die() { echo "sid-kernel.sh: $*" >&2; exit 1; }

# The sid Release file in the registry may be past its Valid-Until date.
apt_in() {
	DEBIAN_FRONTEND=noninteractive chroot "$dir" apt-get \
		-o Acquire::Check-Valid-Until=false -q "$@"
}

kvers() {
	ls "$dir/boot" 2>/dev/null | sed -n 's/^vmlinuz-//p' | sort -V
}

ensure() {
	# Made by an older list of packages: add what is missing.
	if [ -f "$dir/.kcs-ready" ]; then
		[ "$(cat "$dir/.kcs-ready")" = "$pkgs" ] && return 0
		apt_in update >>"$dir.log" 2>&1 &&
			apt_in install -y --no-install-recommends $pkgs >>"$dir.log" 2>&1 ||
			die "installing $pkgs failed (log: $dir.log)"
		echo "$pkgs" >"$dir/.kcs-ready"
		return 0
	fi
	command -v debootstrap >/dev/null || die "install debootstrap"
	echo "sid-kernel.sh: creating the sid chroot in $dir" >&2
	rm -rf "$dir"
	mkdir -p "$cache"
	debootstrap --variant=minbase sid "$dir" "$mirror" >"$dir.log" 2>&1 ||
		{ tail -n 20 "$dir.log" >&2; die "debootstrap failed (log: $dir.log)"; }
	apt_in update >>"$dir.log" 2>&1 &&
		apt_in install -y --no-install-recommends $pkgs >>"$dir.log" 2>&1 ||
		{ tail -n 20 "$dir.log" >&2; die "installing the sid kernel failed (log: $dir.log)"; }
	[ -n "$(kvers)" ] || die "no kernel image in $dir/boot"
	echo "$pkgs" >"$dir/.kcs-ready"
}

case ${1:-} in
--print-dir)
	echo "$dir"
	;;
--kvers)
	kvers
	;;
--update)
	ensure
	apt_in update && apt_in upgrade -y
	;;
--build)
	[ $# -eq 3 ] || die "usage: --build KVER OUT"
	ensure
	k=$2
	[ -d "$dir/lib/modules/$k/build" ] || die "no headers for $k in $dir"
	rm -rf "$dir/kcs-src"
	mkdir -p "$dir/kcs-src"
	(cd "$top" && git ls-files -z Kbuild kmod uapi | xargs -0 tar -cf -) |
		tar -C "$dir/kcs-src" -xf -
	# objtool reads /proc; unmounted again whatever happens.
	mount -t proc proc "$dir/proc"
	rc=0
	chroot "$dir" sh -c "make -C /lib/modules/$k/build M=/kcs-src clean >/dev/null &&
		make -C /lib/modules/$k/build M=/kcs-src KCS_WERROR=1 modules" || rc=$?
	umount "$dir/proc"
	[ "$rc" = 0 ] || exit "$rc"
	cp "$dir/kcs-src/kcs.ko" "$3"
	;;
'')
	ensure
	echo "$dir"
	;;
*)
	die "unknown argument $1 (see the header of this script)"
	;;
esac
