#!/bin/sh
# Print the kernel build directory (headers) for release $1.
set -eu
kver=$1
for d in "/lib/modules/$kver/build" "/usr/src/linux-headers-$kver"; do
	if [ -e "$d/Makefile" ]; then
		echo "$d"
		exit 0
	fi
done
echo "kdir.sh: no headers for $kver" >&2
exit 1
