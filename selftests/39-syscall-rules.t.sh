#!/bin/sh
# Application rules ("syscalls"): a rule names a system call, optionally a
# program and argument conditions, and allows, denies or audits it; the
# first matching rule decides, else the default. Enforce fails a denied
# call with EPERM, Audit lets it go; every decision but an allow is an
# event, except for ignored calls. Only named calls are hooked, and only
# while bound. And the ways around a rule, tried: a 64-bit value whose low
# half is the refused one (the call narrows it), the same call through the
# 32-bit table (int 0x80) and through its socketcall() multiplexer, a copy
# of the allowed program, and io_uring (which makes calls without entering
# them).
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
EF=/sys/kernel/tracing/enabled_functions
check "kcs.ko loads" kcs_load
at_exit kcs_unload
at_exit ev_stop
if ! kcs_apply '{"name":"sx","syscalls":{"rules":[{"syscall":"getpid","action":"audit"}]}}' \
	2>"$KCS_TMP/err" && grep -q FTRACE_SYSCALLS "$KCS_TMP/err"; then
	skip_all "the kernel has no syscall metadata (CONFIG_FTRACE_SYSCALLS)"
fi
ctr_create sy "$P/try_sys" "$P/try_sys:/opt/app/runner" >/dev/null
at_exit "ctr_destroy sy"
cg=$(ctr_cgroup sy)

# hooked NAME: is NAME's 64-bit entry point traced? (A call without
# arguments has one body, __do_sys_NAME, under its entry names.)
hooked() {
	grep -Eq "^__(x64|do)_sys_$1 " "$EF"
}

check "a profile with application rules applies" kcs_apply '{"name":"sy",
 "syscalls":{"ignore":["personality"],"rules":[
  {"syscall":"unshare","action":"deny",
   "args":[{"index":0,"op":"mask_any","value":"0x10000000"}]},
  {"syscall":"personality","action":"deny",
   "args":[{"index":0,"op":"eq","value":"0x40000"}]},
  {"syscall":"getpid","action":"audit"},
  {"syscall":"socket","program":"/opt/app/runner","action":"allow"},
  {"syscall":"socket","action":"deny"}]}}'
check_match "profile check counts the rules and the calls" \
	"$(kcsadm profile check -f "$KCS_TMP/profile.json")" \
	"*syscalls: 5 rules over 6 system calls*1 program-scoped*"
if [ -r "$EF" ]; then
	check_fails "unbound: unshare is not hooked" hooked unshare
fi
check_match "profile show: the kernel holds the five rules" \
	"$(kcsadm profile show sy)" "*syscall_rules: 5*"
check "bind enforce" kcsadm bind "$cg" --profile sy --mode enforce
if [ -r "$EF" ]; then
	check "bound: unshare's entry is hooked" hooked unshare
	check "  and getpid's" hooked getpid
	check_fails "  but not an unnamed call (getppid)" hooked getppid
fi
ev_start

run_in sy /bin/try_sys unshare 0
check_eq "unshare(0): no condition matches, ok" "$RUN_ST" 0
run_in sy /bin/try_sys unshare 0x10000000
check_eq "unshare(CLONE_NEWUSER): EPERM" "$RUN_ST:$CTR_STDERR" "126:unshare: EPERM"
l=$(ev_wait '"syscall":"unshare"') || l=
check_match "  an event: deny, the call, the rule" "$l" \
	'*"hook":"syscall"*"verdict":"deny"*"syscall":"unshare","abi":"64","args":"0x10000000,*"rule_kind":"block","rule":"deny unshare if arg0 mask_any 0x10000000"*'
run_in sy /bin/try_sys personality 0x100040000
check_eq "personality(0x1_0004_0000), an unsigned int of 0x40000: EPERM" \
	"$RUN_ST:$CTR_STDERR" "126:personality: EPERM"
run_in sy /bin/try_sys personality 0xffffffff
check_eq "personality(0xffffffff), a query: ok" "$RUN_ST" 0
check_eq "  personality is ignored: no event" "$(ev_count '"syscall":"personality"')" 0
check "  but counted" test "$(kcs_stat syscall_events_ignored)" -ge 1

run_in sy /bin/try_sys getpid
check_eq "getpid (audit rule): ok" "$RUN_ST" 0
l=$(ev_wait '"syscall":"getpid"') || l=
check_match "  reported: allow, monitor" "$l" \
	'*"verdict":"allow"*"syscall":"getpid"*"rule_kind":"monitor","rule":"audit getpid"*'

run_in sy /bin/try_sys socket
check_eq "socket by try_sys: EPERM" "$RUN_ST:$CTR_STDERR" "126:socket: EPERM"
run_in sy /opt/app/runner socket
check_eq "socket by the runner (its allow rule): ok" "$RUN_ST" 0
run_in sy /bin/sh -c 'cp /opt/app/runner /tmp/runner && /tmp/runner socket'
check_eq "a copy of the runner: EPERM" "$RUN_ST:$CTR_STDERR" "126:socket: EPERM"

# ---- The same calls through the 32-bit table.
run_in sy /bin/try_sys int80-unshare 0x10000000
check_eq "int 0x80 unshare(CLONE_NEWUSER): EPERM" "$RUN_ST:$CTR_STDERR" \
	"126:int80-unshare: EPERM"
l=$(ev_wait '"abi":"32"') || l=
check_match "  undecidable: a 32-bit entry's arguments are not compared" "$l" \
	'*"syscall":"unshare","abi":"32"*"rule_kind":"undecidable"*'
run_in sy /bin/try_sys int80-unshare 0
check_eq "int 0x80 unshare(0): EPERM as well (the condition cannot be compared)" \
	"$RUN_ST:$CTR_STDERR" "126:int80-unshare: EPERM"
run_in sy /bin/try_sys socketcall
check_eq "socket through socketcall(): EPERM" "$RUN_ST:$CTR_STDERR" \
	"126:socketcall: EPERM"
run_in sy /opt/app/runner socketcall
check_eq "  for the runner (no condition to compare): ok" "$RUN_ST" 0

# ---- io_uring would make the calls without entering them.
run_in sy /bin/try_sys io_uring
check_eq "io_uring_setup: EPERM" "$RUN_ST:$CTR_STDERR" "126:io_uring: EPERM"
l=$(ev_wait '"syscall":"io_uring_setup"') || l=
check_match "  undecidable, and why" "$l" \
	'*"rule_kind":"undecidable","rule":"io_uring (would bypass the application rules)"*'
check "the denials are counted" test "$(kcs_stat syscall_denied)" -ge 6

# ---- Audit: the same calls go ahead, and are reported.
check "rebind audit" kcsadm bind "$cg" --profile sy --mode audit
run_in sy /bin/try_sys socket
check_eq "audit: socket by try_sys: ok" "$RUN_ST" 0
l=$(ev_wait '"syscall":"socket","abi":"64"') || l=
check_match "  reported as would-be denied" "$l" '*"verdict":"allow","mode":"audit"*"rule_kind":"block"*'

# ---- A default: deny what no rule allows.
check "a default-deny profile applies" kcs_apply '{"name":"sy",
 "syscalls":{"default":"deny","rules":[
  {"syscall":"getpid","program":"/opt/app/runner","action":"allow"}]}}'
check "bind enforce" kcsadm bind "$cg" --profile sy --mode enforce
run_in sy /opt/app/runner getpid
check_eq "getpid by the runner: ok" "$RUN_ST" 0
run_in sy /bin/try_sys getpid
check_eq "getpid by another program: EPERM (the default)" "$RUN_ST:$CTR_STDERR" \
	"126:getpid: EPERM"
l=$(ev_wait '"rule_kind":"not-allowed"') || l=
check_match "  reported as not allowed" "$l" '*"syscall":"getpid"*"rule_kind":"not-allowed"*'
if [ -r "$EF" ]; then
	check_fails "unshare no longer named: unhooked" hooked unshare
fi
n=$(ev_count '"syscall":"unshare"')
run_in sy /bin/try_sys unshare 0x10000000
check_eq "  and unshare(CLONE_NEWUSER) is no longer judged: no event" \
	"$(ev_count '"syscall":"unshare"')" "$n"

# ---- Refused profiles: nothing half-applied.
if kcs_apply '{"name":"sy","syscalls":{"rules":[{"syscall":"getpid","action":"deny","args":[{"index":0,"op":"eq","value":1}]}]}}' \
	2>"$KCS_TMP/err"; then r=applied; else r=refused; fi
check_eq "a condition on an argument getpid does not have: refused" "$r" refused
check_match "  saying why" "$(cat "$KCS_TMP/err")" "*argument the system call does not have*"
run_in sy /bin/try_sys getpid
check_eq "  the old profile still decides" "$RUN_ST:$CTR_STDERR" "126:getpid: EPERM"

check "unbind" kcsadm unbind "$cg"
if [ -r "$EF" ]; then
	check_fails "unbound: getpid unhooked" hooked getpid
fi
run_in sy /bin/try_sys getpid
check_eq "unbound: getpid ok" "$RUN_ST" 0
done_testing
