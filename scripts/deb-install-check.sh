#!/bin/sh
# The Debian packages installed for real: apt-get installs kcs-dkms and
# kcsadm into a Debian 12 chroot, so their maintainer scripts run (dh-dkms:
# dkms add, build and install; prerm: dkms remove; the systemd unit
# handling), then the installed files are tried as a user would, and
# remove and purge must take away what Debian says they take away.
# Prints TAP. Usage: deb-install-check.sh KCS_DKMS_DEB KCSADM_DEB [KVER]
# (scripts/deb-check.sh passes the packages it built; KVER defaults to
# scripts/kver.sh). Needs root; installs mmdebstrap and zstd if missing.
#
# The base chroot (bookworm minbase, linux-headers-KVER, man-db, procps,
# systemd, and the packages' dependencies downloaded but not installed, so
# that apt must resolve them from the packages' Depends) is made once with
# mmdebstrap from the host's Debian apt sources and proxy settings, and
# kept as a tarball in ~/.cache/kcs (KCS_CACHE) named by a hash of all it
# was made from: another kernel, Depends line or source list makes a new
# one, and the old one is deleted; it is also made again when older than
# KCS_DEB_MAX_AGE days (30), or at once with KCS_DEB_REFRESH=1.
# Every run unpacks a fresh copy; the tests run without network
# (unshare --net), so a warm run downloads nothing.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/userspace/tests/tap.sh"

[ $# -ge 2 ] || { echo "usage: $0 KCS_DKMS_DEB KCSADM_DEB [KVER]" >&2; exit 2; }
dkms_deb=$(readlink -f "$1")
adm_deb=$(readlink -f "$2")
kver=${3:-$("$top/scripts/kver.sh")} || exit 1
suite=bookworm
cache=${KCS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kcs}
# What a node has before it installs kcs (headers for its kernel; procps,
# priority important, as on any node) and what the checks use
# (man, systemctl): installed in the base. The packages' own dependencies
# are not: apt must find them.
base_pkgs="linux-headers-$kver man-db procps systemd"

diag() { sed 's/^/# /'; }

tmp=$(mktemp -d /tmp/kcs-deb-install.XXXXXX) || exit 1
root=$tmp/root
# Mounts are made only inside the private mount namespace of each inroot
# call and vanish with it; still, never leave one behind, nor a chroot
# that has any, whatever ends this script.
part=
cleanup() {
	# A base tarball interrupted while being written.
	[ -z "$part" ] || rm -rf "$part"
	for m in $(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/self/mounts |
		sort -r); do
		umount -l "$m" 2>/dev/null
	done
	if awk -v r="$root/" 'index($2, r) == 1 { f = 1 } END { exit !f }' /proc/self/mounts; then
		echo "# deb-install-check: mounts left under $root, not removed" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

bail() {	# bail REASON: the rest of the plan cannot run
	echo "Bail out! $1"
	echo "1..$n"
	exit 1
}

# inroot CMD...: run CMD in the chroot, in its own mount namespace (with
# /proc, for dkms and systemctl, and /dev) and network namespace (no
# network: everything must come from the cached base), clean environment.
inroot() {
	unshare --mount --propagation private --net -- sh -c '
		r=$1
		shift
		mount -t proc proc "$r/proc" && mount --rbind /dev "$r/dev" &&
			exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
				LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
				chroot "$r" "$@"' sh "$root" "$@"
}

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (chroot, mounts)"
	exit 0
fi
# mmdebstrap and zstd come with scripts/install-deps.sh; a machine set up
# before they were added there gets them here (the registry is needed for
# a cold cache anyway).
if ! command -v mmdebstrap >/dev/null || ! command -v zstd >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -q -y --no-install-recommends \
		mmdebstrap zstd >"$tmp/apt-tools.log" 2>&1 ||
		{ tail -n 20 "$tmp/apt-tools.log" | diag; bail "cannot install mmdebstrap and zstd"; }
fi

# --- The base chroot -----------------------------------------------------
# The host's apt sources, only those of Debian archives (a third-party
# source would need its key in the chroot), and its proxy and validity
# settings: the chroot reaches the registry the way the host does.
srcdir=$tmp/sources
mkdir "$srcdir"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
	/etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	grep -Eq '^[[:space:]]*(deb|URIs:)[[:space:]].*/debian(-security)?/?([[:space:]]|$)' "$f" ||
		continue
	case $f in
	*.sources) cp "$f" "$srcdir/${f##*/}" ;;
	*) cp "$f" "$srcdir/$(echo "$f" | tr / _ | sed 's/^_//; s/\.list$//').list" ;;
	esac
done
ls "$srcdir" | grep -q . || bail "no Debian apt source on the host (/etc/apt/sources.list*)"
apt-config dump | grep -E '^Acquire::((https?|ftp)::Proxy|http::Proxy::|Check-Valid-Until|Check-Date|Retries)' \
	>"$tmp/apt-host.conf"

# The dependencies to download: the packages' Depends, hashed in the key.
deps=$(dpkg-deb -f "$dkms_deb" Depends; dpkg-deb -f "$adm_deb" Depends)
key=$( { echo "$suite $base_pkgs"; echo "$deps"; cat "$tmp/apt-host.conf";
	cat "$srcdir"/*; } | sha256sum | cut -c1-16)
tarball=$cache/deb-root-$suite-$key.tar.zst
# The registry moves on (point releases, security fixes): a base older
# than KCS_DEB_MAX_AGE days (30) is made again, so the packages are tried
# with the dkms and libraries a node installs today.
[ "${KCS_DEB_REFRESH:-0}" = 1 ] && rm -f "$tarball"
[ -n "$(find "$tarball" -mtime +"${KCS_DEB_MAX_AGE:-30}" 2>/dev/null)" ] &&
	rm -f "$tarball"
t0=$(date +%s)
made=reused
if [ ! -f "$tarball" ]; then
	made=made
	mkdir -p "$cache"
	cp "$dkms_deb" "$adm_deb" "$tmp/"
	# Written under a temporary name (mmdebstrap picks the format by
	# the extension): a run that dies leaves no half tarball that a
	# later run would take for the base.
	part=$cache/.deb-root-$suite-$key.$$.tar.zst
	# mmdebstrap's own cleanup would drop the package lists (apt needs
	# them to resolve the Depends offline) and the downloaded
	# dependencies: skipped, and apt-get clean run before the download so
	# that only the dependencies are kept.
	mmdebstrap --variant=minbase --include="$(echo "$base_pkgs" | tr ' ' ,)" \
		--aptopt="$tmp/apt-host.conf" --skip=cleanup/apt \
		--customize-hook="copy-in $tmp/${dkms_deb##*/} $tmp/${adm_deb##*/} /tmp" \
		--customize-hook='chroot "$1" apt-get clean' \
		--customize-hook="chroot \"\$1\" apt-get install -q -y --download-only --no-install-recommends /tmp/${dkms_deb##*/} /tmp/${adm_deb##*/}" \
		--customize-hook='rm -f "$1"/tmp/*.deb' \
		"$suite" "$part" "$srcdir"/* >"$tmp/mmdebstrap.log" 2>&1 &&
		mv "$part" "$tarball"
	rc=$?
	rm -rf "$part"
	part=
	if [ $rc -eq 0 ]; then
		# Only the current base is worth its disk space.
		for old in "$cache"/deb-root-*.tar.zst; do
			[ "$old" = "$tarball" ] || rm -f "$old"
		done
	else
		tail -n 30 "$tmp/mmdebstrap.log" | diag
	fi
fi
mkdir "$root" && [ -f "$tarball" ] &&
	zstd -dc "$tarball" | tar -C "$root" -xf - &&
	inroot test -d "/lib/modules/$kver/build/include"
rc=$?
# A damaged cache must not fail every later run: the next one makes it.
[ $rc -ne 0 ] && [ $made = reused ] && rm -f "$tarball"
ok $rc "base chroot: $suite, headers for $kver ($made in $(($(date +%s) - t0)) s: $tarball)" ||
	bail "no base chroot"

# --- Install ---------------------------------------------------------------
cp "$dkms_deb" "$adm_deb" "$root/tmp/"
# The admin's state before: which of the Depends are not installed yet.
groups_of() {	# a Depends line, one group of alternatives (a|b) a line
	echo "$1" | tr ',' '\n' | sed 's/([^)]*)//g; s/[[:space:]]//g' | grep .
}
installed() {	# installed a|b...: one of them is
	for a in $(echo "$1" | tr '|' ' '); do
		inroot dpkg-query -W -f '${db:Status-Abbrev}\n' "$a" 2>/dev/null |
			grep -qx 'ii ' && return 0
	done
	return 1
}
missing=
for g in $(groups_of "$deps"); do
	installed "$g" || missing="$missing $g"
done
# As the README says, but without Recommends: dkms recommends the
# default kernel's headers, which would make DKMS build a second kernel.
inroot apt-get install -q -y --no-install-recommends \
	"/tmp/${adm_deb##*/}" "/tmp/${dkms_deb##*/}" >"$tmp/install.log" 2>&1
rc=$?
ok $rc "apt-get install ./kcsadm_*.deb ./kcs-dkms_*.deb (offline: dependencies from the cache)" ||
	tail -n 40 "$tmp/install.log" | diag
[ $rc -eq 0 ] || bail "packages not installed"
rc=0
for g in $(groups_of "$deps"); do
	installed "$g" || { echo "not installed: $g" | diag; rc=1; }
done
[ -n "$missing" ] || { echo "the base had every dependency already" | diag; rc=1; }
ok $rc "apt installed the Depends (new:$missing)"
# What dh-dkms's postinst said it did.
grep -E 'Building for|Building initial|Done\.|Installing to|Skipped|rror' "$tmp/install.log" |
	head -n 20 | diag

# --- The module, as dh-dkms's postinst left it ----------------------------
ver=$(dpkg-deb -f "$dkms_deb" Version)
ver=${ver%-*}
# (Its stderr has readelf's complaints about the kernel's modules: noise.)
inroot dkms status >"$tmp/status" 2>/dev/null
diag <"$tmp/status"
grep -q "^kcs/$ver, $kver, x86_64: installed" "$tmp/status"
ok $? "dkms status: kcs/$ver installed for $kver"
ko=$(cd "$root" && ls "lib/modules/$kver/updates/dkms/"kcs.ko* 2>/dev/null | head -n 1)
magic=$( [ -n "$ko" ] && inroot modinfo -F vermagic "/$ko")
case $magic in
"$kver "*) rc=0 ;;
*) rc=1 ;;
esac
ok $rc "/${ko:-lib/modules/$kver/updates/dkms/kcs.ko: missing}: vermagic '$magic'"
# depmod ran: modprobe would find it by name, and it is kcs's version.
inroot modinfo -k "$kver" -F version kcs >"$tmp/out" 2>&1
[ "$(cat "$tmp/out")" = "$ver" ]
ok $? "modinfo -k $kver kcs: found by name (depmod), version $(cat "$tmp/out")"

# --- kcsadm, its documentation and units ----------------------------------
inroot kcsadm --help >"$tmp/out" 2>&1 && grep -q '^Usage: kcsadm' "$tmp/out"
ok $? "kcsadm --help (/usr/sbin/kcsadm, libraries from the Depends)" || diag <"$tmp/out"
mkdir "$root/tmp/examples"
cp "$top"/examples/*.json "$root/tmp/examples/"
rc=0 c=0
for f in "$root"/tmp/examples/*.json; do
	c=$((c + 1))
	inroot kcsadm profile check -f "/tmp/examples/${f##*/}" >"$tmp/out" 2>&1 ||
		{ rc=1; echo "${f##*/}:" | diag; diag <"$tmp/out"; }
done
# A broken profile must be refused, or the checks above prove nothing.
echo '{"name": "broken", "exec": {"mode": "nonsense"}}' >"$root/tmp/broken.json"
inroot kcsadm profile check -f /tmp/broken.json >/dev/null 2>&1 &&
	{ rc=1; echo "a broken profile passed the check" | diag; }
ok $rc "kcsadm profile check: $c examples/*.json pass, a broken one fails"
for m in 8:kcsadm 5:kcs-profile 5:kcs-policy; do
	inroot env MANWIDTH=80 man -P cat "${m%%:*}" "${m#*:}" >"$tmp/man" 2>"$tmp/man.err"
	rc=$?
	grep -q '^NAME' "$tmp/man" && grep -q "^ *${m#*:} " "$tmp/man" &&
		[ ! -s "$tmp/man.err" ] && [ $rc -eq 0 ]
	ok $? "man ${m%%:*} ${m#*:} renders ($(wc -l <"$tmp/man") lines, no warnings)" ||
		diag <"$tmp/man.err"
done
# What bash offers after "kcsadm pro<TAB>", from the installed script.
inroot bash -c '. /usr/share/bash-completion/completions/kcsadm &&
	COMP_WORDS=(kcsadm pro) COMP_CWORD=1 && _kcsadm && echo "${COMPREPLY[@]}"' \
	>"$tmp/out" 2>&1
grep -qw profile "$tmp/out"
ok $? "bash completion: kcsadm pro<TAB> offers '$(cat "$tmp/out")'"
units="kcs.service kcs-monitor.service kcs-netwatch@.service kcs-metrics.service kcs-metrics.timer"
rc=0
for u in $units; do
	[ -f "$root/lib/systemd/system/$u" ] || { echo "missing: $u" | diag; rc=1; }
done
# Installed, not enabled (debian/rules: --no-enable).
for u in kcs.service kcs-monitor.service kcs-metrics.timer; do
	s=$(inroot systemctl is-enabled "$u" 2>&1)
	[ "$s" = disabled ] || { echo "$u: $s" | diag; rc=1; }
done
ok $rc "units in /lib/systemd/system, kcs, kcs-monitor, kcs-metrics.timer disabled"
inroot systemd-analyze verify $(echo "$units" | sed 's/@/@x/') >"$tmp/out" 2>&1
ok $? "systemd-analyze verify of the installed units" || diag <"$tmp/out"
inroot dpkg --verify kcsadm kcs-dkms >"$tmp/out" 2>&1 && [ ! -s "$tmp/out" ]
ok $? "dpkg --verify: the installed files are the packaged ones" || diag <"$tmp/out"

# --- Remove, then purge ----------------------------------------------------
# The admin has enabled the units and written a profile; remove keeps the
# configuration (conffiles, enable links, the admin's files), purge takes
# what the package made and leaves the admin's own files (Debian policy
# 6.8 and 10.7.3: dpkg never deletes files it did not install).
inroot systemctl enable kcs.service kcs-monitor.service >"$tmp/out" 2>&1
cp "$top/examples/web-block.json" "$root/etc/kcs/profiles/web.json"
wants=etc/systemd/system/multi-user.target.wants
[ -L "$root/$wants/kcs.service" ] && [ -L "$root/$wants/kcs-monitor.service" ]
ok $? "systemctl enable kcs kcs-monitor (as an admin would)" || diag <"$tmp/out"

inroot apt-get remove -q -y kcs-dkms kcsadm >"$tmp/remove.log" 2>&1
ok $? "apt-get remove kcs-dkms kcsadm" || tail -n 30 "$tmp/remove.log" | diag
rc=0
inroot dkms status >"$tmp/status" 2>/dev/null
grep -q kcs "$tmp/status" && { diag <"$tmp/status"; rc=1; }
for f in "lib/modules/$kver/updates/dkms/kcs.ko" "lib/modules/$kver/updates/dkms/kcs.ko.xz" \
	"usr/src/kcs-$ver" var/lib/dkms/kcs; do
	[ ! -e "$root/$f" ] || { echo "left: /$f" | diag; rc=1; }
done
inroot modinfo -k "$kver" kcs >/dev/null 2>&1 && { echo "modinfo still finds kcs" | diag; rc=1; }
ok $rc "remove: dkms status has no kcs, kcs.ko, /usr/src/kcs-$ver, /var/lib/dkms/kcs gone, depmod forgot it"
rc=0
for f in usr/sbin/kcsadm lib/systemd/system/kcs.service usr/share/man/man8/kcsadm.8.gz \
	usr/share/bash-completion/completions/kcsadm; do
	[ ! -e "$root/$f" ] || { echo "left: /$f" | diag; rc=1; }
done
ok $rc "remove: kcsadm, units, man page, completion gone"
rc=0
for f in etc/kcs/README etc/kcs/profiles/web.json "$wants/kcs.service" "$wants/kcs-monitor.service"; do
	[ -e "$root/$f" ] || [ -L "$root/$f" ] || { echo "gone: /$f" | diag; rc=1; }
done
inroot dpkg-query -W -f '${db:Status-Abbrev}' kcsadm >"$tmp/out" 2>&1
[ "$(cat "$tmp/out")" = "rc " ] || { echo "kcsadm state: $(cat "$tmp/out")" | diag; rc=1; }
ok $rc "remove keeps the configuration: conffile /etc/kcs/README, the admin's profile, enable links (kcsadm: rc)"

inroot apt-get purge -q -y kcs-dkms kcsadm >"$tmp/purge.log" 2>&1
ok $? "apt-get purge kcs-dkms kcsadm" || tail -n 30 "$tmp/purge.log" | diag
rc=0
for f in etc/kcs/README "$wants/kcs.service" "$wants/kcs-monitor.service"; do
	[ ! -e "$root/$f" ] && [ ! -L "$root/$f" ] || { echo "left: /$f" | diag; rc=1; }
done
for p in kcsadm kcs-dkms; do
	inroot dpkg-query -W -f '${db:Status-Abbrev}' "$p" >"$tmp/out" 2>/dev/null
	case $(cat "$tmp/out") in
	"" | "un ") ;;
	*) echo "$p state: $(cat "$tmp/out")" | diag; rc=1 ;;
	esac
done
ok $rc "purge: conffile and enable links gone, dpkg forgot both packages"
# Nothing of kcs anywhere but /etc/kcs with the admin's profile (the logs
# and package database that record the installation, and man's cache of
# the pages the test formatted, aside).
(cd "$root" && { find . -xdev \( -path ./proc -o -path ./tmp -o -path ./var/log \
	-o -path ./var/cache/apt -o -path ./var/cache/man -o -path ./var/lib/dpkg \
	-o -path ./etc/kcs \) -prune -o \
	\( -name kcs -o -name 'kcs[-._@]*' -o -name 'kcsadm*' \) -print
	find ./etc/kcs; }) 2>&1 | sort >"$tmp/left"
printf '%s\n' ./etc/kcs ./etc/kcs/profiles ./etc/kcs/profiles/web.json >"$tmp/want"
diff "$tmp/want" "$tmp/left" | diag
cmp -s "$tmp/want" "$tmp/left"
ok $? "purge: the admin's /etc/kcs/profiles/web.json kept, nothing else of kcs left"

echo "1..$n"
[ "$failed" -eq 0 ]
