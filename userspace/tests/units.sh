#!/bin/sh
# The systemd units of contrib/systemd under systemd-analyze verify (no
# warning allowed), with ExecStart pointed at the kcsadm under test (verify
# wants an executable there), and the man pages they name exist in man/.
# Run from userspace/.
set -u
K=${KCSADM:-./kcsadm}
. "$(dirname "$0")/tap.sh"
tap_tmp units

case $K in /*) abs=$K ;; *) abs=$(pwd)/$K ;; esac
units=
for u in ../contrib/systemd/*.service ../contrib/systemd/*.timer; do
	b=${u##*/}
	sed "s|/usr/local/sbin/kcsadm|$abs|g" "$u" >"$tmp/$b"
	case $b in
	*@.service)	# a template: verify an instance of it
		ln -s "$b" "$tmp/${b%@.service}@web.service"
		units="$units $tmp/${b%@.service}@web.service" ;;
	*)	units="$units $tmp/$b" ;;
	esac
done

if ! command -v systemd-analyze >/dev/null 2>&1; then
	n=$((n + 1))
	echo "ok $n - systemd-analyze verify # SKIP systemd-analyze not installed (scripts/install-deps.sh installs systemd)"
else
	for u in $units; do
		# Requires=kcs.service is found next to the unit (":" keeps
		# the default search path). --man=no: the man pages are
		# checked below, against man/.
		SYSTEMD_UNIT_PATH=$tmp: systemd-analyze verify --man=no "$u" \
			>"$tmp/out" 2>&1
		rc=$?
		[ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ]
		ok $? "systemd-analyze verify ${u##*/} (exit $rc, no output)" ||
			sed 's/^/# /' "$tmp/out"
	done
fi

# Documentation=man:PAGE(S) names a page of man/.
for u in ../contrib/systemd/*.service ../contrib/systemd/*.timer; do
	# shellcheck disable=SC2013	# words: one line may name several
	for m in $(sed -n 's/^Documentation=//p' "$u"); do
		case $m in
		man:*)	p=${m#man:}; f=../man/${p%%(*}.$(echo "$p" | tr -d '()' | sed 's/.*[^0-9]//')
			[ -f "$f" ]
			ok $? "${u##*/}: $m is man/${f##*/}" ;;
		esac
	done
done

# A unit that verify must reject: the test can fail.
if command -v systemd-analyze >/dev/null 2>&1; then
	printf '[Service]\nExecStart=%s status\nBogus=1\n' "$abs" >"$tmp/bad.service"
	SYSTEMD_UNIT_PATH=$tmp: systemd-analyze verify --man=no "$tmp/bad.service" \
		>"$tmp/out" 2>&1
	grep -q "Unknown key" "$tmp/out"
	ok $? "verify reports an unknown key (the check above can fail)"
fi
echo "1..$n"
