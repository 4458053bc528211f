#!/bin/sh
# Malformed netlink requests against the live module (selftests/progs/nl_bad,
# raw sockets): every command refuses wrong, missing, unknown and
# out-of-range attributes, bad blobs and bad headers with the errno (and
# extack message) the ABI and the attribute policy give, and random
# mutations of a valid request are each answered as an oracle written from
# the ABI says. Then the module still works as before: status answers, the
# profiles and bindings are exactly those of before (nothing half-applied),
# enforcement is unchanged, a new profile applies, and the module unloads.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
N=${KCS_NLBAD_ITER:-20000}
SEED=${KCS_NLBAD_SEED:-1}
[ -x "$P/nl_bad" ] || skip_all "no nl_bad in the payload"
kcs_unload >/dev/null 2>&1 || :
check "kcs.ko loads" kcs_load
at_exit kcs_unload
ctr_create nb "$P/try_exec" "$P/nop" "$P/nop:/opt/blocked/tool" >/dev/null
at_exit "ctr_destroy nb"
cg=$(ctr_cgroup nb)
cgid=$(ctr_cgid nb)

check "profile applies" kcs_apply '{"name":"nb-good","exec":{"mode":"block","rules":["/opt/blocked/*"]}}'
check "a second, unbound profile applies" \
	kcs_apply '{"name":"nb-spare","exec":{"mode":"allow","allow":["/bin/*"]}}'
check "bind enforce" kcsadm bind "$cg" --profile nb-good --mode enforce
run_in nb /bin/try_exec /opt/blocked/tool
check_eq "before: the blocked program fails with EPERM" "$RUN_ST:$CTR_STDERR" \
	"126:exec failed: EPERM"
list_before=$(kcsadm --json profile list | tr -d ' \n')
binds_before=$(kcsadm --json bindings | tr -d ' \n')
mem_mb=$(cat /sys/module/kcs/parameters/max_profile_mem_mb)

# nl_bad's TAP lines ("ok - ..."), numbered as ours.
st=0
"$P/nl_bad" -n "$N" -s "$SEED" nb-good nb-spare "$cgid" >"$KCS_TMP/nl_bad.out" 2>&1 || st=$?
while IFS= read -r l; do
	case $l in
	"ok - "*) ok 0 "${l#ok - }" ;;
	"not ok - "*) ok 1 "${l#not ok - }" ;;
	"#"*) printf '%s\n' "$l" ;;
	*) diag "$l" ;;
	esac
done <"$KCS_TMP/nl_bad.out"
check_eq "nl_bad ran to its end and passed" \
	"$st:$(tail -n 1 "$KCS_TMP/nl_bad.out")" "0:# nl_bad: end"

# The module after all that.
check "kcsadm status answers" kcsadm status
check_eq "max_profile_mem_mb is back to $mem_mb" \
	"$(cat /sys/module/kcs/parameters/max_profile_mem_mb)" "$mem_mb"
check_eq "profile list unchanged (names, sizes, generations)" \
	"$(kcsadm --json profile list | tr -d ' \n')" "$list_before"
check_eq "bindings unchanged" "$(kcsadm --json bindings | tr -d ' \n')" "$binds_before"
run_in nb /bin/try_exec /opt/blocked/tool
check_eq "the blocked program still fails with EPERM" "$RUN_ST:$CTR_STDERR" \
	"126:exec failed: EPERM"
run_in nb /bin/try_exec /bin/nop
check_eq "another program still runs" "$RUN_ST" 0
check "a good profile still applies" kcs_apply \
	'{"name":"nb-good","exec":{"mode":"block","rules":["/opt/blocked/*","/bin/nop"]}}'
check_eq "as generation 2" "$(kcsadm --json profile show nb-good | json_get generation)" 2
run_in nb /bin/try_exec /bin/nop
check_eq "and is in force: its new rule denies" "$RUN_ST:$CTR_STDERR" \
	"126:exec failed: EPERM"
check "unbind" kcsadm unbind "$cg"
check "rmmod kcs" rmmod kcs
check_fails "module unloaded" grep -q '^kcs ' /proc/modules
done_testing
