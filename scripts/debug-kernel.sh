#!/bin/sh
# Build (once per machine) the debug test kernel: Debian's linux-source-6.1
# with kconfig/debug.config merged over x86_64_defconfig + kvm_guest.config.
# The result is cached outside the repo, keyed by the fragment's and the
# source tarball's hashes; prints the build directory (bzImage is
# arch/x86/boot/bzImage in it, and kcs.ko builds against it).
#
#   scripts/debug-kernel.sh [--print-dir]
# Environment: KCS_CACHE (default ~/.cache/kcs), KCS_JOBS (default nproc).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${KCS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kcs}
tarball=$(ls /usr/src/linux-source-6.1*.tar.xz 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || { echo "debug-kernel.sh: install linux-source-6.1" >&2; exit 1; }
key=$( (sha256sum "$top/kconfig/debug.config" | cut -c1-16;
	stat -c '%s %Y' "$tarball") | sha256sum | cut -c1-16)
dir=$cache/debug-kernel-$key
if [ "${1:-}" = --print-dir ]; then
	echo "$dir"
	exit 0
fi
if [ -f "$dir/.kcs-built" ]; then
	echo "$dir"
	exit 0
fi
log=$cache/debug-kernel-$key.log
mkdir -p "$cache"
echo "debug-kernel.sh: building the debug kernel in $dir (log: $log)" >&2
rm -rf "$dir"
# A finished build of the same source with another fragment is a good
# start: kbuild then recompiles only what the config change touches
# (minutes, not the half hour of a cold build). It is built where it is
# (objtool's dependency files name absolute paths: a copy elsewhere would
# rebuild everything) and moved here afterwards.
source_id=$(stat -c '%n %s %Y' "$tarball")
build=$(grep -lxF "$source_id" "$cache"/debug-kernel-*/.kcs-source 2>/dev/null |
	while read -r f; do
		[ -f "${f%/.kcs-source}/.kcs-built" ] && echo "${f%/.kcs-source}"
	done | head -n 1)
if [ -n "$build" ]; then
	echo "debug-kernel.sh: starting from $build" >&2
	rm -f "$build/.kcs-built"
else
	build=$dir
	mkdir -p "$dir"
	tar -xJf "$tarball" -C "$dir" --strip-components=1
	echo "$source_id" >"$dir/.kcs-source"
fi
(
	cd "$build"
	make x86_64_defconfig
	scripts/kconfig/merge_config.sh -m .config \
		kernel/configs/kvm_guest.config "$top/kconfig/debug.config"
	make olddefconfig
	# Fail loudly if a check we rely on did not survive the merge.
	for opt in KUNIT KASAN PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK \
		   KPROBES DYNAMIC_FTRACE_WITH_REGS FTRACE_SYSCALLS BPF_LSM SECURITY_PATH OVERLAY_FS \
		   VETH NF_TABLES NFT_LIMIT; do
		grep -q "^CONFIG_$opt=y" .config ||
			{ echo "CONFIG_$opt missing from the debug config" >&2; exit 1; }
	done
	make -j"${KCS_JOBS:-$(nproc)}" bzImage modules
	make -j"${KCS_JOBS:-$(nproc)}" modules_prepare
) >"$log" 2>&1 || { tail -n 40 "$log" >&2; exit 1; }
[ "$build" = "$dir" ] || mv "$build" "$dir"
touch "$dir/.kcs-built"
echo "$dir"
