#!/bin/sh
# Assemble the payload the VM tests run with (copied to /kcs in the guest):
# kcs.ko (and kcs_kunit.ko when built), kcsadm, every selftest program,
# and the host tools the tests use (ip, nft, dnsmasq, the container
# runtimes) in tools/.
# Build first: make module, make -C userspace, make -C selftests/progs.
#
#   scripts/vm-payload.sh DIR
#   KCS_PAYLOAD_PODMAN=1 scripts/vm-payload.sh DIR   (and Podman)
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
pl=$1
rm -rf "$pl"
mkdir -p "$pl/tools"
cp "$top/kcs.ko" "$top/userspace/kcsadm" "$pl/"
[ ! -f "$top/kcs_kunit.ko" ] || cp "$top/kcs_kunit.ko" "$pl/"
for p in $(make -s -C "$top/selftests/progs" print-progs); do
	cp "$top/selftests/progs/$p" "$pl/"
done
cp "$(command -v ip)" "$pl/tools/"
for t in nft dnsmasq; do
	! command -v "$t" >/dev/null || cp "$(command -v "$t")" "$pl/tools/"
done
# The container runtimes the OCI hook tests start containers with.
for t in crun runc; do
	! command -v "$t" >/dev/null || cp "$(command -v "$t")" "$pl/tools/"
done
# AppArmor's parser and aa-exec (make bench measures AppArmor beside kcs),
# with KCS_PAYLOAD_APPARMOR=1 only.
if [ "${KCS_PAYLOAD_APPARMOR:-0}" = 1 ]; then
	for t in apparmor_parser aa-exec; do
		! command -v "$t" >/dev/null || cp "$(command -v "$t")" "$pl/tools/"
	done
fi
# Podman and its conmon (selftests/35-podman), with KCS_PAYLOAD_PODMAN=1
# only: 33 MB that every other boot would unpack for nothing.
if [ "${KCS_PAYLOAD_PODMAN:-0}" = 1 ]; then
	for t in podman conmon; do
		! command -v "$t" >/dev/null || cp "$(command -v "$t")" "$pl/tools/"
	done
fi
