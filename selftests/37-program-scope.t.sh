#!/bin/sh
# Program scoping: an exec or file pattern with a "program" applies only
# when the task doing it runs that program (its executable, named from the
# container's root). "Only the runner may run fetch": a block rule for
# everyone and an exclusion scoped to the runner; the same in allow mode;
# a block rule and a file rule that apply to one program only. And the
# ways around it, tried: argv[0] naming the program, a hard link, a copy
# of the program under another name (none of them is the program), while
# a symlink to it still runs the program itself.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
check "kcs.ko loads" kcs_load
at_exit kcs_unload
at_exit ev_stop
ctr_create ps "$P/try_exec" "$P/try_exec:/opt/app/runner" "$P/nop" \
	"$P/nop:/opt/tools/fetch" >/dev/null
at_exit "ctr_destroy ps"
cg=$(ctr_cgroup ps)
r=$(ctr_root ps)
cp "$r/bin/busybox" "$r/opt/app/busybox"
echo s3cret >"$r/etc/secret"
mkdir -p "$r/data"

# ---- Block mode: fetch for the runner only; nop for everyone but it.
check "a block profile with scoped patterns applies" kcs_apply '{"name":"pe",
	"exec":{"mode":"block",
	 "rules":["/opt/tools/fetch",
		  {"mask":"/bin/nop","program":"/opt/app/runner"}],
	 "exclusions":[{"mask":"/opt/tools/fetch","program":{"regex":"/opt/app/run+er"}}]}}'
check_match "profile show: its rules, and the source naming the program" \
	"$(kcsadm profile show pe)" \
	"*rules: 2*exclusions: 1*\"program\": \"/opt/app/runner\"*"
check "bind enforce" kcsadm bind "$cg" --profile pe --mode enforce
ev_start

run_in ps /bin/try_exec /opt/tools/fetch
check_eq "try_exec runs fetch: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in ps /opt/app/runner /opt/tools/fetch
check_eq "the runner runs fetch (its exclusion): ok" "$RUN_ST" 0
run_in ps /bin/try_exec /bin/nop
check_eq "try_exec runs nop (the rule is the runner's): ok" "$RUN_ST" 0
run_in ps /opt/app/runner /bin/nop
check_eq "the runner runs nop: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in ps /bin/sh -c '/opt/tools/fetch'
check "the shell runs fetch: refused" test "$RUN_ST" -ne 0
check_match "  with EPERM" "$CTR_STDERR" "*not permitted*"

# Ways to pass for the runner.
run_in ps /bin/try_exec /bin/try_exec /opt/app/runner /opt/tools/fetch
check_eq "argv[0] /opt/app/runner (try_exec all the same): EPERM" \
	"$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in ps /bin/sh -c 'ln /opt/app/runner /tmp/r2 && exec /tmp/r2 /opt/tools/fetch'
check_eq "a hard link of the runner (another name): EPERM" \
	"$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in ps /bin/sh -c 'cp /opt/app/runner /tmp/runner && exec /tmp/runner /opt/tools/fetch'
check_eq "a copy of the runner: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in ps /bin/sh -c 'ln -s /opt/app/runner /tmp/rl && exec /tmp/rl /opt/tools/fetch'
check_eq "a symlink to the runner runs the runner itself: ok" "$RUN_ST" 0

f() { printf '%s\n' "$e" | json_get "$1"; }
e=$(ev_wait '"path":"/bin/nop"') || e=
check_eq "event: the runner's nop, its scoped rule" \
	"$(f verdict) $(f rule_kind) $(f rule)" \
	"deny block /bin/nop (program /opt/app/runner)"
ev_stop
check "unbind" kcsadm unbind "$cg"

# ---- Allow mode: fetch is allowed to the runner only.
check "an allow profile with a scoped entry applies" kcs_apply '{"name":"pa",
	"exec":{"mode":"allow","allow":["/bin/busybox/sh","/bin/busybox/ln",
	 "/bin/try_exec","/opt/app/runner",
	 {"mask":"/opt/tools/fetch","program":"/opt/app/runner"}]}}'
check "bind enforce" kcsadm bind "$cg" --profile pa --mode enforce
run_in ps /opt/app/runner /opt/tools/fetch
check_eq "allow: the runner runs fetch: ok" "$RUN_ST" 0
run_in ps /bin/try_exec /opt/tools/fetch
check_eq "allow: try_exec runs fetch: EPERM" "$RUN_ST:$CTR_STDERR" \
	"126:exec failed: EPERM"
check "unbind" kcsadm unbind "$cg"

# ---- File rules: /bin/busybox may not read /etc/secret, its copy
# /opt/app/busybox may not write /data; each does the other freely.
if kcs_apply '{"name":"pf","files":{
	"deny_read":[{"mask":"/etc/secret","program":"/bin/busybox"}],
	"deny_write":[{"mask":"/data/*","program":"/opt/app/busybox"}]}}' \
	2>"$KCS_TMP/err"; then
	check "bind enforce" kcsadm bind "$cg" --profile pf --mode enforce
	ev_start
	run_in ps /bin/cat /etc/secret
	check_eq "busybox cat /etc/secret: EACCES" "$RUN_ST" 1
	check_match "  Permission denied" "$CTR_STDERR" "*ermission denied*"
	run_in ps /opt/app/busybox cat /etc/secret
	check_eq "the copy cats /etc/secret: ok" "$RUN_ST" 0
	run_in ps /bin/sh -c 'echo x >/data/a'
	check_eq "sh writes /data/a: ok" "$RUN_ST" 0
	run_in ps /opt/app/busybox sh -c 'echo y >/data/b'
	check "the copy writes /data/b: refused" test "$RUN_ST" -ne 0
	check_match "  with EACCES" "$CTR_STDERR" "*ermission denied*"
	check "  and /data/b was not made" test ! -e "$r/data/b"
	e=$(ev_wait '"path":"/etc/secret"') || e=
	check_eq "event: the read, its scoped rule" \
		"$(f hook) $(f verdict) $(f rule)" \
		"file deny /etc/secret (program /bin/busybox)"
	ev_stop
	check "unbind" kcsadm unbind "$cg"
else
	grep -q CONFIG_SECURITY_PATH "$KCS_TMP/err" ||
		check "the file profile applies" false
	skip "file rules: the kernel has no path hooks (CONFIG_SECURITY_PATH)"
fi
done_testing
