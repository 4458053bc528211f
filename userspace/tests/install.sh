#!/bin/sh
# make install and make uninstall (the top-level Makefile) into a
# DESTDIR with PREFIX=/usr: the files installed, their modes, the units'
# kcsadm path; uninstall removes them all. Run from userspace/.
set -u
. "$(dirname "$0")/tap.sh"
tap_tmp install

# A make of its own, not the jobserver of the make running the tests.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C .. "$@"; }

d=$tmp/root
mk install DESTDIR="$d" PREFIX=/usr >"$tmp/log" 2>&1
ok $? "make install DESTDIR PREFIX=/usr" || sed 's/^/# /' "$tmp/log"

(cd "$d" && find . ! -type d | sort) >"$tmp/got"
cat >"$tmp/want" <<'LIST'
./etc/kcs/README
./usr/lib/systemd/system/kcs-metrics.service
./usr/lib/systemd/system/kcs-metrics.timer
./usr/lib/systemd/system/kcs-monitor.service
./usr/lib/systemd/system/kcs-netwatch@.service
./usr/lib/systemd/system/kcs.service
./usr/sbin/kcsadm
./usr/share/bash-completion/completions/kcsadm
./usr/share/man/man5/kcs-policy.5
./usr/share/man/man5/kcs-profile.5
./usr/share/man/man8/kcsadm.8
LIST
diff "$tmp/want" "$tmp/got" >"$tmp/diff"
ok $? "installed files are the expected ones" || sed 's/^/# /' "$tmp/diff"

[ -d "$d/etc/kcs/profiles" ] && [ -d "$d/etc/kcs/policies" ]
ok $? "/etc/kcs/profiles and /etc/kcs/policies made"

[ -x "$d/usr/sbin/kcsadm" ] && "$d/usr/sbin/kcsadm" --version >/dev/null
ok $? "installed kcsadm runs"

m=$(stat -c %a "$d/usr/share/man/man8/kcsadm.8" \
	"$d/usr/lib/systemd/system/kcs.service" \
	"$d/usr/share/bash-completion/completions/kcsadm" | sort -u)
[ "$m" = 644 ]
ok $? "data files are mode 644 ($(echo "$m" | tr '\n' ' '))"

# Every ExecStart names the installed kcsadm, none the default path.
! grep -h '^ExecStart=' "$d"/usr/lib/systemd/system/*.service |
	grep -v '^ExecStart=/usr/sbin/kcsadm ' &&
	grep -q '^ExecStart=/usr/sbin/kcsadm ' "$d/usr/lib/systemd/system/kcs.service"
ok $? "units run /usr/sbin/kcsadm"

# A second install over the first succeeds (upgrade).
mk install DESTDIR="$d" PREFIX=/usr >"$tmp/log" 2>&1
ok $? "make install again"

# Configuration is kept by uninstall: a profile stays, with its directory.
echo '{}' >"$d/etc/kcs/profiles/x.json"
mk uninstall DESTDIR="$d" PREFIX=/usr >"$tmp/log" 2>&1
ok $? "make uninstall"
left=$(cd "$d" && find . ! -type d | sort | tr '\n' ' ')
[ "$left" = "./etc/kcs/profiles/x.json " ]
ok $? "uninstall leaves only configuration (left: $left)"
rm -f "$d/etc/kcs/profiles/x.json"
mk uninstall DESTDIR="$d" PREFIX=/usr >"$tmp/log" 2>&1
[ ! -e "$d/etc/kcs" ]
ok $? "uninstall removes an empty /etc/kcs skeleton"

# The default PREFIX is /usr/local.
d=$tmp/local
mk install DESTDIR="$d" >"$tmp/log" 2>&1 &&
	[ -x "$d/usr/local/sbin/kcsadm" ] &&
	[ -f "$d/usr/local/share/bash-completion/completions/kcsadm" ] &&
	[ -f "$d/usr/local/lib/systemd/system/kcs.service" ] &&
	grep -q '^ExecStart=/usr/local/sbin/kcsadm load' "$d/usr/local/lib/systemd/system/kcs.service"
ok $? "default PREFIX /usr/local"
echo "1..$n"
