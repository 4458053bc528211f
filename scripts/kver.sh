#!/bin/sh
# Print the kernel release kcs builds and tests against by default: the
# newest Debian kernel under /boot whose headers are installed. KCS_KVER
# overrides it.
set -eu
if [ -n "${KCS_KVER:-}" ]; then
	echo "$KCS_KVER"
	exit 0
fi
for img in $(ls /boot/vmlinuz-* 2>/dev/null | sort -rV); do
	kver=${img#/boot/vmlinuz-}
	if [ -e "/usr/src/linux-headers-$kver/Makefile" ] ||
	   [ -e "/lib/modules/$kver/build/Makefile" ]; then
		echo "$kver"
		exit 0
	fi
done
echo "kver.sh: no kernel under /boot has its headers installed" \
     "(run scripts/install-deps.sh)" >&2
exit 1
