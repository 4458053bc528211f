#!/bin/sh
# Enforce mode, block rules with exclusions: denied execs fail with EPERM
# whatever way the program is reached (path, symlink, relative name, fd,
# execveat, #! script or interpreter); allowed ones run; unbound and
# unaffected containers are untouched.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
check "kcs.ko loads" kcs_load
at_exit kcs_unload

ctr_create c1 "$P/try_exec" "$P/nop" "$P/nop:/opt/blocked/tool" \
	"$P/nop:/opt/blocked/ok" "$P/nop:/tmp/evil42" "$P/nop:/tmp/evil" >/dev/null
at_exit "ctr_destroy c1"
ctr_create c2 "$P/try_exec" "$P/nop:/opt/blocked/tool" >/dev/null
at_exit "ctr_destroy c2"
r1=$(ctr_root c1)
ln -s /opt/blocked/tool "$r1/tmp/link"
printf '#!/opt/blocked/tool\n' >"$r1/tmp/uses-blocked-interp"
printf '#!/bin/sh\nexit 0\n' >"$r1/opt/blocked/script"
chmod +x "$r1/tmp/uses-blocked-interp" "$r1/opt/blocked/script"

check "profile applies" kcs_apply '{"name":"enf","exec":{"mode":"block",
	"rules":["/opt/blocked/*",{"regex":"/tmp/evil[0-9]+"}],
	"exclusions":["/opt/blocked/ok"]}}'
check "bind c1 enforce" kcsadm bind "$(ctr_cgroup c1)" --profile enf --mode enforce

run_in c1 /bin/try_exec /bin/nop
check_eq "unlisted program runs" "$RUN_ST" 0
run_in c1 /bin/try_exec /opt/blocked/tool
check_eq "mask rule: exec fails with EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in c1 /bin/try_exec /opt/blocked/ok
check_eq "exclusion of a mask rule runs" "$RUN_ST" 0
run_in c1 /bin/try_exec /tmp/evil42
check_eq "regex rule: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in c1 /bin/try_exec /tmp/evil
check_eq "regex is a whole-path match: /tmp/evil runs" "$RUN_ST" 0
run_in c1 /bin/try_exec /tmp/link
check_eq "symlink to a blocked file: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in c1 /bin/sh -c 'cd /opt/blocked && exec /bin/try_exec ./tool'
check_eq "relative path: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in c1 /bin/sh -c 'cd /opt && exec /bin/try_exec blocked/../blocked/tool'
check_eq "path with ..: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in c1 /bin/try_exec --fd /opt/blocked/tool
check_eq "fexecve of a blocked file: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in c1 /bin/try_exec --at /opt/blocked tool
check_eq "execveat relative to a dir fd: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in c1 /bin/try_exec /opt/blocked/script
check_eq "#! script that is itself blocked: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in c1 /bin/try_exec /tmp/uses-blocked-interp
check_eq "#! script whose interpreter is blocked: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in c1 /bin/sh -c '/opt/blocked/tool'
check_match "the shell reports the denial" "$RUN_ST:$CTR_STDERR" "126:*Operation not permitted*"

# A task in a child cgroup of c1: the binding covers descendants.
c1cg=$(ctr_cgroup c1)
mkdir "$c1cg/child"
(
	echo 0 >"$c1cg/child/cgroup.procs"
	exec chroot "$r1" /bin/try_exec /opt/blocked/tool
) 2>"$KCS_TMP/child.err" && st=0 || st=$?
check_eq "descendant cgroup is covered: EPERM" "$st:$(cat "$KCS_TMP/child.err")" \
	"126:exec failed: EPERM"

run_in c2 /bin/try_exec /opt/blocked/tool
check_eq "unbound container: same path runs" "$RUN_ST" 0
check "host (root cgroup) is unaffected" chroot "$r1" /opt/blocked/tool

check "unbind c1" kcsadm unbind "$(ctr_cgroup c1)"
run_in c1 /bin/try_exec /opt/blocked/tool
check_eq "after unbind it runs" "$RUN_ST" 0
check_eq "status counted the denials" "$(kcs_stat exec_denied)" 11

# A cgroup found not covered is remembered so (per CPU) until a binding is
# added: a task that execs in a loop while its cgroup is unbound is judged
# from the first exec after its parent is bound.
c2cg=$(ctr_cgroup c2)
mkdir "$c2cg/child"
(
	echo 0 >"$c2cg/child/cgroup.procs"
	# shellcheck disable=SC2016 # expanded in the container
	exec chroot "$(ctr_root c2)" /bin/sh -c 'i=0
	while [ $i -lt 5000 ]; do
		/bin/try_exec /opt/blocked/tool 2>/dev/null || { echo "denied after $i"; exit 0; }
		i=$((i + 1))
	done
	echo never denied'
) >"$KCS_TMP/loop.out" 2>&1 &
lp=$!
sleep 2
check "bind c2, the parent of the looping task's cgroup" \
	kcsadm bind "$c2cg" --profile enf --mode enforce
wait "$lp" || :
check_match "its execs, seen unbound before, are denied now" \
	"$(cat "$KCS_TMP/loop.out")" "denied after [1-9]*"
check "unbind c2" kcsadm unbind "$c2cg"
rmdir "$c2cg/child"
done_testing
