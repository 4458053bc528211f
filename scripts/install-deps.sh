#!/bin/sh
# Install everything kcs needs to build, test and demo on a Debian 12 host.
# Idempotent; needs root. QEMU comes from bookworm-backports because
# bookworm's QEMU 7.2 crashes 6.12 guests under TCG now and then.
set -eu

[ "$(id -u)" = 0 ] || { echo "install-deps.sh: must run as root" >&2; exit 1; }

bp=/etc/apt/sources.list.d/kcs-bookworm-backports.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	cat >"$bp" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# debhelper, dh-dkms, lintian: the Debian packages (scripts/deb-check.sh);
# mmdebstrap, zstd: the chroot they are installed into
# (scripts/deb-install-check.sh);
# python3-yaml: the Kubernetes manifest's test; apparmor (its parser and
# aa-exec): make bench measures AppArmor beside kcs.
apt-get install -y -q --no-install-recommends \
	build-essential pkg-config clang libclang-rt-14-dev \
	libnl-3-dev libnl-genl-3-dev libjansson-dev libkmod-dev \
	libmnl-dev libnftnl-dev \
	linux-image-cloud-amd64 linux-headers-cloud-amd64 \
	linux-image-amd64 linux-headers-amd64 \
	busybox-static cpio kmod dkms valgrind python3 \
	flex bison bc libelf-dev libssl-dev nftables iproute2 dnsmasq-base \
	linux-source-6.1 gnuplot-nox debootstrap crun runc podman \
	groff-base man-db systemd \
	debhelper dh-dkms lintian mmdebstrap zstd python3-yaml apparmor
apt-get install -y -q --no-install-recommends -t bookworm-backports \
	qemu-system-x86

# A 6.12 kernel (cloud flavour) beside 6.1, to build and test against both.
# Installed by its versioned name so the 6.1 metapackages stay where they are.
if [ "${KCS_NO_612:-}" != 1 ]; then
	k612=$(apt-cache show -t bookworm-backports linux-image-cloud-amd64 |
		sed -n 's/^Depends: \(linux-image-6\.12[^ ]*-cloud-amd64\).*/\1/p' |
		sort -V | tail -n 1)
	if [ -n "$k612" ]; then
		apt-get install -y -q --no-install-recommends -t bookworm-backports \
			"$k612" "$(echo "$k612" | sed 's/linux-image-/linux-headers-/')"
	else
		echo "install-deps.sh: no 6.12 kernel in bookworm-backports" >&2
	fi
fi
