#!/bin/sh
# Run the kernel's checkpatch.pl over kcs's kernel code. checkpatch comes
# from Debian's linux-source tarball, unpacked once into a cache outside
# the tree (KCS_CACHE, default ~/.cache/kcs).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${KCS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kcs}
cp_dir=$cache/checkpatch
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
	[ -n "$tarball" ] || {
		echo "checkpatch.sh: linux-source is not installed" >&2
		exit 1
	}
	mkdir -p "$cp_dir"
	top_dir=$(basename "$tarball" .tar.xz)
	tar -xJf "$tarball" -C "$cp_dir" --strip-components=1 \
		"$top_dir/scripts/checkpatch.pl" \
		"$top_dir/scripts/spelling.txt" \
		"$top_dir/scripts/const_structs.checkpatch"
fi
cd "$top"
# No git tree to compare against: check files, not patches.
exec perl "$cp_dir/scripts/checkpatch.pl" --no-tree --quiet --strict \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,CONST_STRUCT,BIT_MACRO \
	--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON \
	-f kmod/*.c kmod/*.h kmod/tests/*.c uapi/linux/kcs.h
