#!/bin/sh
# The Debian packages (debian/): build them from a copy of the tree (the
# checkout stays clean), lintian, their file lists, the extracted kcsadm
# run on examples/, the extracted module source built by DKMS
# (scripts/dkms-check.sh; KCS_DEB_DKMS=0 to skip that, it takes minutes),
# and both installed with apt into a Debian 12 chroot, then removed and
# purged (scripts/deb-install-check.sh; KCS_DEB_INSTALL=0 to skip).
# Prints TAP. Usage: deb-check.sh [KVER]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/userspace/tests/tap.sh"
tap_tmp deb

diag() { sed 's/^/# /'; }

# The working tree as it is (uncommitted changes too), without what git
# ignores (build products): what a source package would hold. A file
# deleted but not committed yet is skipped (--ignore-failed-read).
mkdir "$tmp/kcs"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z -co --exclude-standard |
		tar -cf - --null -T - --no-recursion --ignore-failed-read) \
		2>/dev/null | tar -C "$tmp/kcs" -xf -
else
	tar -C "$top" --exclude='*.o' --exclude='*.ko' --exclude='build' \
		-cf - . | tar -C "$tmp/kcs" -xf -
fi
(cd "$tmp/kcs" && dpkg-buildpackage -b -uc -us) >"$tmp/build.log" 2>&1
ok $? "dpkg-buildpackage -b -uc -us" || { tail -n 40 "$tmp/build.log" | diag; echo "1..$n"; exit 1; }

ver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
dkms=$tmp/kcs-dkms_${ver}_all.deb
adm=$tmp/kcsadm_${ver}_amd64.deb
[ -f "$dkms" ] && [ -f "$adm" ]
ok $? "kcs-dkms and kcsadm $ver built" || { ls "$tmp" | diag; echo "1..$n"; exit 1; }

# Errors fail; warnings are listed. (Root: lintian says so, harmlessly.)
lintian --tag-display-limit 0 "$tmp"/kcs_*.changes >"$tmp/lintian" 2>&1
grep -v 'running with root privileges' "$tmp/lintian" | diag
! grep -q '^E: ' "$tmp/lintian"
ok $? "lintian: no errors ($(grep -c '^W: ' "$tmp/lintian") warnings)"

# One version: changelog's upstream part, dkms.conf, MODULE_VERSION.
up=${ver%-*}
dv=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
mv=$(sed -n 's/^MODULE_VERSION("\(.*\)");$/\1/p' "$top/kmod/main.c")
[ "$up" = "$dv" ] && [ "$up" = "$mv" ]
ok $? "versions agree: changelog $up, dkms.conf $dv, MODULE_VERSION $mv"

# has DEB PATH...: every PATH in the package's file list.
has() {
	deb=$1
	shift
	dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\.||; s|/$||' >"$tmp/list"
	rc=0
	for p in "$@"; do
		grep -qxF "$p" "$tmp/list" || { echo "missing: $p" | diag; rc=1; }
	done
	return $rc
}
has "$adm" /usr/sbin/kcsadm /usr/share/man/man8/kcsadm.8.gz \
	/usr/share/man/man5/kcs-policy.5.gz /usr/share/man/man5/kcs-profile.5.gz \
	/usr/share/bash-completion/completions/kcsadm \
	/lib/systemd/system/kcs.service \
	/lib/systemd/system/kcs-monitor.service \
	/lib/systemd/system/kcs-netwatch@.service \
	/etc/kcs/README /etc/kcs/profiles /etc/kcs/policies
ok $? "kcsadm: binary, man pages, completion, units, /etc/kcs skeleton"

src=/usr/src/kcs-$dv
has "$dkms" "$src/dkms.conf" "$src/Kbuild" "$src/kmod/main.c" "$src/uapi"
ok $? "kcs-dkms: module source and dkms.conf in $src"
! grep -Eq '\.(o|ko|cmd)$' "$tmp/list"
ok $? "kcs-dkms: no build products"
dpkg-deb -f "$dkms" Depends | grep -q 'dkms'
ok $? "kcs-dkms depends on dkms ($(dpkg-deb -f "$dkms" Depends))"

root=$tmp/root
dpkg-deb -x "$adm" "$root" && dpkg-deb -x "$dkms" "$root"
ok $? "dpkg-deb -x both packages"
cmp -s "$top/dkms.conf" "$root$src/dkms.conf"
ok $? "the packaged dkms.conf is the tree's"
! grep -h '^ExecStart=' "$root"/lib/systemd/system/*.service |
	grep -v '^ExecStart=/usr/sbin/kcsadm '
ok $? "packaged units run /usr/sbin/kcsadm"

k=$root/usr/sbin/kcsadm
"$k" --help >"$tmp/out" 2>&1 && grep -q '^Usage: kcsadm' "$tmp/out"
ok $? "installed kcsadm --help" || diag <"$tmp/out"

# The examples, checked by the installed binary (no kernel needed).
rc=0 c=0
for f in "$top"/examples/*.json; do
	c=$((c + 1))
	"$k" profile check -f "$f" >"$tmp/out" 2>&1 ||
		{ rc=1; echo "$f:" | diag; diag <"$tmp/out"; }
done
ok $rc "installed kcsadm: profile check of $c examples/*.json"
rc=0 c=0
for f in "$top"/examples/policies/*.json; do
	c=$((c + 1))
	KCS_CONFDIR=$tmp/conf "$k" policy apply -f "$f" >"$tmp/out" 2>&1 ||
		{ rc=1; echo "$f:" | diag; diag <"$tmp/out"; }
done
ok $rc "installed kcsadm: policy apply (validation) of $c examples/policies"

# subtap PREFIX LOG RC NAME: a script's TAP LOG renumbered into this plan,
# in order, with PREFIX on each description and its comments passed on;
# then one check that it reported something and exited 0 (RC).
subtap() {
	m=0
	while IFS= read -r line; do
		case $line in
		"ok "*) m=$((m + 1)); ok 0 "$1${line#* - }" ;;
		"not ok "*) m=$((m + 1)); ok 1 "$1${line#* - }" ;;
		"#"*) printf '%s\n' "$line" ;;
		"Bail out!"*) echo "$line" | diag ;;
		esac
	done <"$2"
	[ "$m" -gt 0 ] && [ "$3" -eq 0 ]
	ok $? "$4 exited $3"
}

kver=${1:-$("$top/scripts/kver.sh")}
# The packaged module source through DKMS (on the host, as the dkms stage
# does for the tree: vermagic, warnings, the kernels admitted).
if [ "${KCS_DEB_DKMS:-1}" != 1 ]; then
	ok 0 "dkms build of the packaged source # SKIP KCS_DEB_DKMS=0"
elif [ "$(id -u)" != 0 ] || ! command -v dkms >/dev/null; then
	ok 0 "dkms build of the packaged source # SKIP needs root and dkms"
else
	"$top/scripts/dkms-check.sh" "$kver" "$root$src" >"$tmp/dkms" 2>&1
	subtap "packaged: " "$tmp/dkms" $? "dkms-check.sh on the packaged source"
fi

# The packages installed with apt into a Debian 12 chroot: maintainer
# scripts, the installed files, remove and purge
# (scripts/deb-install-check.sh; a cached base chroot, about a minute).
if [ "${KCS_DEB_INSTALL:-1}" != 1 ]; then
	ok 0 "apt-get install into a chroot # SKIP KCS_DEB_INSTALL=0"
elif [ "$(id -u)" != 0 ]; then
	ok 0 "apt-get install into a chroot # SKIP needs root"
else
	"$top/scripts/deb-install-check.sh" "$dkms" "$adm" "$kver" >"$tmp/install" 2>&1
	subtap "installed: " "$tmp/install" $? "deb-install-check.sh"
fi
echo "1..$n"
