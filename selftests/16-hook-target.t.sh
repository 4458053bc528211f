#!/bin/sh
# Which LSM entry point kcs hooks: the BPF-LSM stub when the bpf LSM is
# active (safe with IBT), else security_bprm_check where calling it is
# safe; where neither works, loading fails and says how to fix it.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/kcs.sh"

lsm=/sys/kernel/security/lsm
[ -r "$lsm" ] || mount -t securityfs none /sys/kernel/security 2>/dev/null || :
# Kernels without securityfs cannot say which LSMs are active: then only
# the outcome's consistency is checked below.
active=$(cat "$lsm" 2>/dev/null || echo unknown)
diag "active LSMs: $active"
kcs_unload >/dev/null 2>&1 || :
dmesg -c >/dev/null
st=0; kcs_load >/dev/null 2>&1 || st=$?
log=$(dmesg | grep 'kcs:' || :)
diag "$log"
case ",$active," in
*,unknown,*)
	check_match "kcs.ko hooks one of the two entry points" "$st:$log" \
		"0:*hooked *_bprm_check*"
	;;
*,bpf,*)
	check_eq "bpf LSM active: kcs.ko loads" "$st" 0
	check_match "and hooks the BPF-LSM stub" "$log" "*hooked bpf_lsm_bprm_check_security*"
	;;
*)
	if [ "$st" = 0 ]; then
		check_match "bpf LSM inactive: hooks security_bprm_check" "$log" "*hooked security_bprm_check*"
	else
		check_match "bpf LSM inactive, entry sealed: refused with advice" "$log" '*add "bpf" to lsm=*'
		check "nothing left loaded" sh -c '! grep -q "^kcs " /proc/modules'
	fi
	;;
esac
done_testing
