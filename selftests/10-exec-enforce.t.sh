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
done_testing
