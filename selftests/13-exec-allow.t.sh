#!/bin/sh
# Allow mode ("allow exclusions"): everything not listed is denied, which
# covers what block rules cannot see by nature: copies and hard links of
# binaries under new names, memfd-style and deleted files, other busybox
# applets.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
check "kcs.ko loads" kcs_load
at_exit kcs_unload
ctr_create al "$P/try_exec" "$P/nop" >/dev/null
at_exit "ctr_destroy al"
cg=$(ctr_cgroup al)

check "allow profile applies" kcs_apply '{"name":"al","exec":{"mode":"allow",
	"allow":["/bin/try_exec","/bin/nop","/bin/busybox/sh","/bin/busybox/cp",
	"/bin/busybox/ln","/bin/busybox/cat","/bin/busybox/rm",{"regex":"/usr/local/bin/[a-z]+"}]}}'
check "bind enforce" kcsadm bind "$cg" --profile al --mode enforce

run_in al /bin/try_exec /bin/nop
check_eq "listed program runs" "$RUN_ST" 0
run_in al /bin/try_exec /bin/cat cat /dev/null
check_eq "listed applet runs" "$RUN_ST" 0
run_in al /bin/try_exec /bin/ls ls /
check_eq "unlisted applet: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in al /bin/try_exec /bin/busybox busybox ls
check_eq "unlisted applet via 'busybox ls': EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in al /bin/sh -c '/bin/cp /bin/nop /tmp/copy && exec /bin/try_exec /tmp/copy'
check_eq "copy of an allowed binary under a new name: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in al /bin/sh -c '/bin/ln /bin/nop /tmp/hardlink && exec /bin/try_exec /tmp/hardlink'
check_eq "hard link under a new name: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in al /bin/sh -c '/bin/cp /bin/busybox /tmp/bb && exec /bin/try_exec /tmp/bb bb wget'
check_eq "renamed busybox copy: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in al /bin/sh -c '/bin/cp /bin/nop /tmp/gone && exec 3</tmp/gone && /bin/rm /tmp/gone && exec /bin/try_exec --fd /proc/self/fd/3'
check_eq "deleted file run through its fd: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
mkdir -p "$(ctr_root al)/usr/local/bin"
cp "$P/nop" "$(ctr_root al)/usr/local/bin/tool"
cp "$P/nop" "$(ctr_root al)/usr/local/bin/tool2"
run_in al /bin/try_exec /usr/local/bin/tool
check_eq "regex entry allows /usr/local/bin/tool" "$RUN_ST" 0
run_in al /bin/try_exec /usr/local/bin/tool2
check_eq "regex is whole-path: tool2 denied" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"

st=0
kcs_apply '{"name":"al","exec":{"mode":"allow","allow":[]}}' 2>"$KCS_TMP/err" || st=$?
check_eq "an empty allow list (would block everything) is refused: exit 3" "$st" 3
run_in al /bin/try_exec /bin/nop
check_eq "and the previous allow list stays in force" "$RUN_ST" 0
done_testing
