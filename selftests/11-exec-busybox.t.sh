#!/bin/sh
# busybox applet rules: "/bin/busybox/wget" matches wget run through the
# busybox binary however it is invoked (applet symlink, "busybox wget",
# the shell's /proc/self/exe re-exec, a login-shell "-name"), and nothing
# else; masks and exclusions compose with applet paths.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
check "kcs.ko loads" kcs_load
at_exit kcs_unload
ctr_create bb "$P/try_exec" "$P/nop" >/dev/null
at_exit "ctr_destroy bb"
cg=$(ctr_cgroup bb)

check "profile applies" kcs_apply '{"name":"bb","exec":{"mode":"block",
	"rules":["/bin/busybox/wget","/bin/busybox/nc"]}}'
check "bind enforce" kcsadm bind "$cg" --profile bb --mode enforce

run_in bb /bin/try_exec /bin/wget
check_eq "applet symlink /bin/wget: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in bb /bin/try_exec /bin/busybox busybox wget
check_eq "'busybox wget': EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in bb /bin/try_exec /bin/busybox /usr/bin/busybox /bin/wget
check_eq "'busybox /bin/wget' (argv[1] basename): EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in bb /bin/try_exec /bin/busybox -wget
check_eq "login-style argv[0] '-wget': EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in bb /bin/sh -c 'wget -q -O /dev/null http://192.0.2.1/'
check_match "shell runs wget via /proc/self/exe: denied" "$RUN_ST:$CTR_STDERR" "126:*wget*Operation not permitted*"
# Every argv busybox accepts (issue: an argv[0] of 512 bytes or more gave
# "no applet" and ran wget; nested calls; busybox --help X).
long=$(printf '%0600d' 0 | tr 0 /)
run_in bb /bin/try_exec /bin/busybox "${long}wget"
check_eq "argv[0] of 604 bytes ('////...wget'): EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in bb /bin/try_exec /bin/busybox busybox "/x${long}wget" -q
check_eq "argv[1] of 606 bytes: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
huge=$(printf '%070000d' 0 | tr 0 /)
run_in bb /bin/try_exec /bin/busybox "${huge}wget"
check_eq "argv[0] of 70,004 bytes (over a page): EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in bb /bin/try_exec /bin/busybox busybox busybox wget
check_eq "'busybox busybox wget' (nested): EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in bb /bin/try_exec /bin/busybox busybox.x /bin/busybox wget
check_eq "'busybox.x /bin/busybox wget': EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in bb /bin/try_exec /bin/busybox busybox --help wget
check_eq "'busybox --help wget' runs wget's code: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in bb /bin/try_exec /bin/busybox -/bin/nc
check_eq "argv[0] '-/bin/nc': EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
name256=$(printf '%0256d' 0 | tr 0 a)
run_in bb /bin/try_exec /bin/busybox "$name256"
check_eq "a 256-byte applet name cannot be told: EPERM (fail closed)" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in bb /bin/try_exec /bin/busybox busybox busybox true
check_eq "'busybox busybox true' runs" "$RUN_ST" 0
run_in bb /bin/try_exec /bin/busybox "${long}true"
check_eq "a long argv[0] of another applet runs" "$RUN_ST" 0
run_in bb /bin/try_exec /bin/busybox busybox --help
check_eq "'busybox --help' (help text) runs" "$RUN_ST" 0
run_in bb /bin/try_exec /bin/nc
check_eq "second applet rule (nc): EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in bb /bin/try_exec /bin/ls /bin/ls /
check_eq "other applets run (ls)" "$RUN_ST" 0
run_in bb /bin/try_exec /bin/busybox busybox true
check_eq "'busybox true' runs" "$RUN_ST" 0
run_in bb /bin/try_exec /bin/busybox busybox --list
check_eq "'busybox --list' (an option, no applet) runs" "$RUN_ST" 0
run_in bb /bin/try_exec /bin/busybox wgetx
check_match "applet names match whole: 'wgetx' is not wget" "$RUN_ST:$CTR_STDERR" "127:*applet not found*"

# Masks over applet paths, with an applet exclusion.
check "profile with /bin/* and an applet exclusion" kcs_apply '{"name":"bb",
	"exec":{"mode":"block","rules":["/bin/*"],"exclusions":["/bin/busybox/sh","/bin/busybox/cat","/bin/try_exec"]}}'
run_in bb /bin/sh -c 'exit 0'
check_eq "excluded applet sh runs" "$RUN_ST" 0
run_in bb /bin/try_exec /bin/cat cat /dev/null
check_eq "excluded applet cat runs" "$RUN_ST" 0
run_in bb /bin/try_exec /bin/ls ls /
check_eq "other applets under /bin/*: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in bb /bin/try_exec /bin/nop
check_eq "plain file under /bin/*: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
done_testing
