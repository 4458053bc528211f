#!/bin/sh
# Executable mappings: native code that runs without an exec of its own
# file. Block mode: a blocked program loaded by the dynamic loader run
# directly, dlopen()ed, or mmap()ed executable is refused. Allow mode with
# "libraries": only the allowed programs and the libraries are mapped
# executable: LD_PRELOAD, dlopen, mmap(PROT_EXEC) and mprotect() of any
# other file are refused, while allowed dynamic programs keep running.
set -eu
. "${0%/*}/lib.sh"
. "${0%/*}/container.sh"
. "${0%/*}/kcs.sh"

P=$KCS_DIR
ld=/lib64/ld-linux-x86-64.so.2
[ -e "$ld" ] || skip_all "no dynamic loader in the guest"
check "kcs.ko loads" kcs_load
at_exit kcs_unload
at_exit ev_stop
ctr_create mx "$P/try_exec" "$P/mapx" "$P/mapx:/opt/blocked" \
	"$P/libkcs_preload.so:/tmp/libkcs_preload.so" \
	"$P/libkcs_preload.so:/opt/blocked.so" "$P/mnt_exec" >/dev/null
at_exit "ctr_destroy mx"
cg=$(ctr_cgroup mx)

run_in mx /bin/mapx --hello
check_eq "unbound: the dynamic test program runs" "$RUN_ST" 0
run_in mx "$ld" /opt/blocked --hello >"$KCS_TMP/out"
check_eq "unbound: the loader runs /opt/blocked" "$RUN_ST:$(cat "$KCS_TMP/out")" "0:hello"

# Block mode.
check "block profile applies" kcs_apply '{"name":"mx","exec":{"mode":"block",
	"rules":["/opt/blocked","/opt/blocked.so"]}}'
check "bind enforce" kcsadm bind "$cg" --profile mx --mode enforce
run_in mx /bin/try_exec /opt/blocked
check_eq "exec /opt/blocked: EPERM" "$RUN_ST:$CTR_STDERR" "126:exec failed: EPERM"
run_in mx "$ld" /opt/blocked --hello >"$KCS_TMP/out"
check_match "the loader run directly cannot map /opt/blocked" \
	"$RUN_ST:$(cat "$KCS_TMP/out"):$CTR_STDERR" "127::*failed to map*"
run_in mx /bin/mapx --dlopen /opt/blocked.so >"$KCS_TMP/out"
check_eq "dlopen(/opt/blocked.so) fails" "$RUN_ST:$(cat "$KCS_TMP/out")" "1:DLERR"
run_in mx /bin/mapx --mmap /opt/blocked >"$KCS_TMP/out"
check_eq "mmap(PROT_EXEC) of /opt/blocked: EPERM" "$(cat "$KCS_TMP/out")" EPERM
run_in mx /bin/mapx --mmap /tmp/libkcs_preload.so >"$KCS_TMP/out"
check_eq "mmap(PROT_EXEC) of a file no rule blocks: ok" "$(cat "$KCS_TMP/out")" ok
run_in mx /bin/mapx --hello >"$KCS_TMP/out"
check_eq "a dynamic program still runs" "$RUN_ST:$(cat "$KCS_TMP/out")" "0:hello"

# Allow mode without "libraries": mappings are not judged (older profiles).
check "allow profile without libraries applies" kcs_apply '{"name":"mx",
	"exec":{"mode":"allow","allow":["/bin/mapx","/bin/busybox"]}}'
run_in mx /bin/mapx --hello
check_eq "allow list: mapx runs" "$RUN_ST" 0

# Allow mode with libraries.
check "allow profile with libraries applies" kcs_apply '{"name":"mx",
	"exec":{"mode":"allow","allow":["/bin/mapx","/bin/busybox","/bin/try_exec","/bin/mnt_exec"],
	"libraries":[{"mask":"/lib/*"},{"mask":"/lib64/*"}]}}'
run_in mx /bin/mapx --hello >"$KCS_TMP/out"
check_eq "mapx runs (libc and the loader are libraries)" "$RUN_ST:$(cat "$KCS_TMP/out")" "0:hello"
run_in mx /bin/sh -c 'LD_PRELOAD=/tmp/libkcs_preload.so exec /bin/mapx --hello' >"$KCS_TMP/out"
check_eq "LD_PRELOAD of a file outside the lists: its code never runs" \
	"$(cat "$KCS_TMP/out")" hello
check_match "the loader says why" "$CTR_STDERR" "*libkcs_preload.so*cannot be preloaded*"
run_in mx /bin/mapx --dlopen /tmp/libkcs_preload.so >"$KCS_TMP/out"
check_eq "dlopen of a file outside the lists fails" "$RUN_ST:$(cat "$KCS_TMP/out")" "1:DLERR"
run_in mx /bin/mapx --mmap /tmp/libkcs_preload.so >"$KCS_TMP/out"
check_eq "mmap(PROT_EXEC) of it: EPERM" "$(cat "$KCS_TMP/out")" EPERM
run_in mx /bin/mapx --mprotect /tmp/libkcs_preload.so >"$KCS_TMP/out"
check_eq "mprotect(PROT_EXEC) of a mapping of it: EPERM" "$(cat "$KCS_TMP/out")" EPERM
libc=$(cd "$(ctr_root mx)" && ls lib/x86_64-linux-gnu/libc.so.6)
run_in mx /bin/mapx --mmap "/$libc" >"$KCS_TMP/out"
check_eq "mmap(PROT_EXEC) of a library: ok" "$(cat "$KCS_TMP/out")" ok
run_in mx /bin/mapx --mprotect "/$libc" >"$KCS_TMP/out"
check_eq "mprotect(PROT_EXEC) of a library mapping: ok" "$(cat "$KCS_TMP/out")" ok
run_in mx /bin/chroot / /bin/mapx --mprotect /tmp/libkcs_preload.so >"$KCS_TMP/out"
check_eq "... still EPERM after chroot /" "$(cat "$KCS_TMP/out")" EPERM
# The file mounted over a library's name, in a mount namespace of its own.
fake=/lib/x86_64-linux-gnu/libkcs-fake.so
: >"$(ctr_root mx)$fake"
run_in mx /bin/mnt_exec --bind /tmp/libkcs_preload.so "$fake" /bin/mapx --mmap "$fake" >"$KCS_TMP/out"
check_eq "mmap(PROT_EXEC) of a file bind-mounted over a library name: EPERM" "$(cat "$KCS_TMP/out")" EPERM
run_in mx /bin/mnt_exec --bind /tmp/libkcs_preload.so "$fake" /bin/mapx --mprotect "$fake" >"$KCS_TMP/out"
check_eq "... mprotect(PROT_EXEC) of it: EPERM" "$(cat "$KCS_TMP/out")" EPERM
run_in mx /bin/mnt_exec --bind /tmp/libkcs_preload.so "$fake" /bin/mapx --dlopen "$fake" >"$KCS_TMP/out"
check_eq "... dlopen of it fails" "$(cat "$KCS_TMP/out")" DLERR

# Audit: the mapping goes ahead, the event names it.
check "bind audit" kcsadm bind "$cg" --profile mx --mode audit
ev_start
run_in mx /bin/mapx --mmap /tmp/libkcs_preload.so >"$KCS_TMP/out"
check_eq "audit: mmap goes ahead" "$(cat "$KCS_TMP/out")" ok
ev=$(ev_wait '"hook":"mmap"' || :)
check_match "its event: hook mmap, the file, not allowed" "$ev" \
	'*"hook":"mmap"*"verdict":"allow"*"path":"/tmp/libkcs_preload.so"*"invoked":""*"rule_kind":"not-allowed"*'
done_testing
