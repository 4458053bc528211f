#!/bin/bash
# The one test command (make check): builds everything, then runs every
# test stage and prints a final "N passed, N failed" line summed over all
# stages. A stage that dies without reporting counts as one failure.
#
# Stages: the demo (make demo), userspace unit tests (ASan/UBSan),
# valgrind, fuzz smoke runs, kernel style, then per Debian kernel under
# /boot with headers (KCS_TEST_KERNELS to choose): module build, dkms
# build, VM selftests, a reboot (cloud flavours), and the hook fallback
# without the bpf LSM; the Debian packages (once); Debian sid's newest
# kernel in a cached chroot (KCS_SID_KERNEL=0 to skip): module build, VM
# selftests. Beside all that, in a second lane, the debug kernel
# (KCS_DEBUG_KERNEL=0 to skip): KUnit and all selftests under KASAN,
# lockdep and kmemleak with panic_on_warn; each sid kernel is taken by
# whichever lane comes to it first. The second lane's stages are shown and
# counted at the end.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# From here: CI's 90 minutes include installing what the tests need.
start=$(date +%s)

# Like the demo, the test command installs what it needs (KCS_SKIP_DEPS=1
# to skip on a machine that has it all).
if [ "${KCS_SKIP_DEPS:-}" != 1 ]; then
	scripts/install-deps.sh >/tmp/kcs-install-deps.log 2>&1 ||
		{ tail -n 30 /tmp/kcs-install-deps.log; echo "0 passed, 1 failed"; exit 1; }
fi

passed=0
failed=0
skipped=0
logdir=${KCS_LOGDIR:-$(mktemp -d /tmp/kcs-check.XXXXXX)}
mkdir -p "$logdir"

# stage_run NAME CMD...: run a stage; its output goes to $logdir/NAME.log
# (and to stdout, unless stage_quiet=1: a stage of the second lane, which
# runs beside the first and is shown when it is counted), its exit
# status and seconds to NAME.rc.
stage_run() {
	local name=$1 log="$logdir/$1.log" rc t0=$(date +%s)
	shift
	if [ "${stage_quiet:-0}" = 1 ]; then
		echo "=== $name: $*" >"$log"
		"$@" >>"$log" 2>&1
		rc=$?
	else
		echo "=== $name: $*"
		"$@" 2>&1 | tee "$log"
		rc=${PIPESTATUS[0]}
	fi
	echo "$rc $(($(date +%s) - t0))" >"$logdir/$name.rc"
}
# stage_count NAME: count a finished stage's TAP results (skips apart).
stage_count() {
	local name=$1 log="$logdir/$1.log" p f k rc secs
	read -r rc secs <"$logdir/$name.rc"
	k=$(grep -E '^ *ok [0-9]+' "$log" | grep -c '# SKIP')
	p=$(($(grep -cE '^ *ok [0-9]+' "$log") - k))
	f=$(grep -cE '^ *not ok [0-9]+' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - stage $name exited $rc without a failing test" | tee -a "$log"
		f=1
	fi
	echo "=== $name: $p passed, $f failed, $k skipped ($secs s)"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + k))
}
# stage NAME CMD...: run, echo output, count.
stage() {
	stage_run "$@"
	stage_count "$1"
}

# The debug kernel takes long to build the first time on a machine: start
# it now, niced, so it overlaps the mostly single-threaded stages below.
debug_pid=
if [ "${KCS_DEBUG_KERNEL:-1}" = 1 ]; then
	{ nice -n 10 scripts/debug-kernel.sh >"$logdir/debug-kernel.out" 2>&1
	  echo $? >"$logdir/debug-kernel.rc"; } &
	debug_pid=$!
fi
# The newest Debian kernel comes in a sid chroot (debootstrap and apt from
# the registry: mostly waiting on the network), also started at once.
if [ "${KCS_SID_KERNEL:-1}" = 1 ]; then
	{ nice -n 10 scripts/sid-kernel.sh >"$logdir/sid-kernel.out" 2>&1
	  echo $? >"$logdir/sid-kernel.rc"; } &
fi

tap_cmd() {	# tap_cmd DESC CMD...: one TAP line for a whole command
	local desc=$1
	shift
	if "$@"; then echo "ok 1 - $desc"; else echo "not ok 1 - $desc"; fi
}

# run_vm KVER: the VM selftests on that kernel, with the module built for
# it, kcsadm and the static test programs as the payload.
# CI gives a run 90 minutes, and the work of all stages comes close to
# that on two cores. A guard: no VM starts a script after
# KCS_CHECK_BUDGET minutes (default 80; the script running then may take
# its time): the scripts left are SKIPs that say so, never a timeout of
# the whole run. budget_left: seconds left for a VM that starts now.
hard_end=$((start + ${KCS_CHECK_BUDGET:-80} * 60))
budget_left() {
	local left=$((hard_end - $(date +%s)))
	[ "$left" -gt 1 ] || left=1
	echo "$left"
}

# The whole suite takes about 9 minutes alone; the second lane's VM beside
# it takes some of its time: 15 minutes before it counts as hung.
run_vm() {
	local k=$1 pl="$logdir/payload-$1"
	shift
	scripts/vm-payload.sh "$pl" &&
	KCS_VM_TIMEOUT=${KCS_VM_TIMEOUT:-900} KCS_TEST_BUDGET=$(budget_left) \
	scripts/selftest.sh --kernel "/boot/vmlinuz-$k" --payload "$pl" "$@"
}

# run_vm_nobpf KVER [TEST...]: run_vm with the bpf LSM left out of lsm=
# (run_vm is a function: `env VAR=... run_vm` cannot run it).
run_vm_nobpf() {
	local KCS_VM_APPEND="lsm=lockdown,capability,yama,apparmor"
	export KCS_VM_APPEND
	run_vm "$@"
}

kernels=${KCS_TEST_KERNELS:-}
if [ -z "$kernels" ]; then
	for img in $(ls /boot/vmlinuz-* | sort -V); do
		k=${img#/boot/vmlinuz-}
		scripts/kdir.sh "$k" >/dev/null 2>&1 && kernels="$kernels $k"
	done
fi

# Debian sid's newest kernel (7.2 when written): kcs.ko built in the sid
# chroot by that kernel's own compiler, as DKMS on a sid node would (with
# -Werror here), then every selftest on that kernel's image and modules.
run_vm_sid() {
	local sd k=$1 pl="$logdir/payload-$1"
	shift
	sd=$(scripts/sid-kernel.sh --print-dir)
	scripts/vm-payload.sh "$pl" && cp "$logdir/kcs-$k.ko" "$pl/kcs.ko" &&
	rm -f "$pl/kcs_kunit.ko" &&
	KCS_MODULES_DIR="$sd/lib/modules/$k" KCS_VM_TIMEOUT=${KCS_VM_TIMEOUT:-900} \
	KCS_TEST_BUDGET=$(budget_left) \
		scripts/selftest.sh --kernel "$sd/boot/vmlinuz-$k" --payload "$pl" "$@"
}
run_vm_sid_nobpf() {
	local KCS_VM_APPEND="lsm=lockdown,capability,yama,apparmor"
	export KCS_VM_APPEND
	run_vm_sid "$@"
}
wait_sid() {	# wait for the sid chroot; false if it could not be made
	while [ ! -f "$logdir/sid-kernel.rc" ]; do sleep 5; done
	[ "$(cat "$logdir/sid-kernel.rc")" = 0 ]
}
# lane_stage NAME CMD...: stage in the first lane; in the second, run
# quietly and note NAME, to be shown and counted at the end.
lane_stage() {
	if [ "${stage_quiet:-0}" = 1 ]; then
		echo "$1" >>"$logdir/lane2.stages"
		stage_run "$@"
	else
		stage "$@"
	fi
}
# sid_units: each sid kernel's stages, taken by whichever lane comes to
# it first once done with its own (both lanes call this), so that the
# two lanes end together. The chroot builds one module at a time.
sid_units() {
	local sk
	for sk in $(scripts/sid-kernel.sh --kvers); do
		mkdir "$logdir/claim-$sk" 2>/dev/null || continue
		lane_stage "module-$sk" tap_cmd "kcs.ko builds for $sk in the sid chroot" \
			flock "$logdir/sid-build.lock" \
			scripts/sid-kernel.sh --build "$sk" "$logdir/kcs-$sk.ko"
		lane_stage "vm-$sk" run_vm_sid "$sk"
		# An IBT kernel: without the bpf LSM kcs must refuse to load.
		case $sk in *-cloud-amd64)
			lane_stage "vm-$sk-nobpf" run_vm_sid_nobpf "$sk" 16-hook-target ;;
		esac
	done
}

# The debug kernel (KASAN, lockdep, kmemleak, KUnit; built once per machine
# and cached): KUnit, then every selftest with panic_on_warn. Its stages
# are a second lane, beside the first: a VM under TCG keeps about one
# core busy (84 % of one over a whole 6.1 suite), so the two lanes share
# the machine's two cores, and the half hour of debug runs no longer comes
# after everything else.
# run_vm_debug DK NAME [TEST...]: NAME names the payload and console log.
run_vm_debug() {
	local dk=$1 pl="$logdir/payload-$2"
	local log="$logdir/vm-$2-console.log" try rc=0
	shift 2
	scripts/vm-payload.sh "$pl" || return 1
	for try in 1 2; do
		rc=0
		# la57 off: KASAN under TCG with 5-level paging faults in
		# early boot now and then (seen twice, before any kcs code).
		# Scripts run up to 3 times slower than on the stock kernel
		# (17, 18: 3 minutes): twice the usual per-script timeout.
		# Niced: a KASAN guest keeps both its vCPUs busy; beside the
		# first lane's VM it takes what that one leaves (the whole
		# suite then takes about 40 minutes, 25 alone).
		KCS_VM_CPU=max,la57=off \
		KCS_VM_STRICT=1 KCS_VM_MODULES="" KCS_VM_TIMEOUT=3600 \
		KCS_TEST_TIMEOUT=600 KCS_TEST_BUDGET=$(budget_left) \
			nice -n 10 scripts/selftest.sh --kernel "$dk/arch/x86/boot/bzImage" \
			--payload "$pl" --log "$log" "$@" || rc=$?
		# A kernel report before the guest even started the tests is
		# not kcs's doing (seen once: KASAN during CPU bring-up under
		# TCG); boot once more. Anything later counts.
		[ "$rc" != 0 ] && ! grep -q 'KCS-VM-START' "$log" || break
		echo "# debug kernel died before the tests started; booting again"
	done
	return "$rc"
}
# The debug kernel has the bpf LSM (hooks on the bpf_lsm_* stubs): the
# security_*() fallback gets its own boot without it.
run_vm_debug_nobpf() {
	local KCS_VM_APPEND="lsm=lockdown,capability,yama,apparmor"
	export KCS_VM_APPEND
	run_vm_debug "$@"
}
# The debug runs need 45 to 55 minutes once the kernel is built (beside
# the first lane); if a cold build has not finished by then, say so and
# skip them rather than overrun.
debug_deadline=$((hard_end - 45 * 60))
kill_tree() {	# kill_tree PID: PID and all its descendants
	local c
	for c in $(pgrep -P "$1"); do kill_tree "$c"; done
	kill "$1" 2>/dev/null
}
wait_debug_kernel() {
	while [ ! -f "$logdir/debug-kernel.rc" ]; do
		if [ "$(date +%s)" -ge "$debug_deadline" ]; then
			kill_tree "$debug_pid"
			return 2
		fi
		sleep 5
	done
	cat "$logdir/debug-kernel.out"
	test -f "$(scripts/debug-kernel.sh --print-dir)/.kcs-built"
}
# second_lane: wait for the debug kernel, then build kcs.ko for it and
# run the debug VMs, then take sid kernels the first lane has not taken,
# in a copy of the tree (the first lane builds kcs.ko for the stock
# kernels in place meanwhile). Stages are quiet: their output is shown
# when they are counted, at the end.
second_lane() {
	local rc=0 dk dt="$logdir/lane2-tree"
	stage_quiet=1
	[ -n "$debug_pid" ] || [ "${KCS_SID_KERNEL:-1}" = 1 ] || return 0
	if [ -n "$debug_pid" ]; then
		wait_debug_kernel >"$logdir/debug-wait.log" 2>&1 || rc=$?
		[ "$rc" != 2 ] || touch "$logdir/debug-skipped"
	fi
	# Copy the tree once the first lane's early stages have built in it.
	while [ ! -f "$logdir/style.rc" ]; do sleep 5; done
	rm -rf "$dt" && cp -a "$top/." "$dt" && cd "$dt" || return 1
	if [ -n "$debug_pid" ] && [ "$rc" != 2 ]; then
		lane_stage debug-kernel tap_cmd "debug kernel builds (cached by config hash)" \
			sh -c "cat $logdir/debug-wait.log; test -f \"\$(scripts/debug-kernel.sh --print-dir)/.kcs-built\""
		dk=$(scripts/debug-kernel.sh --print-dir)
		lane_stage module-debug tap_cmd "kcs.ko and kcs_kunit.ko build for the debug kernel" \
			sh -c "make -C userspace >/dev/null && make -C selftests/progs >/dev/null &&
			       make clean-module KDIR=$dk >/dev/null && make module KDIR=$dk && test -f kcs_kunit.ko"
		lane_stage vm-debug run_vm_debug "$dk" debug
		lane_stage vm-debug-nobpf run_vm_debug_nobpf "$dk" debug-nobpf 16-hook-target \
			10-exec-enforce 14-exec-replace-unload 20-net-egress 26-net-unload \
			36-file-rules
	fi
	if [ "${KCS_SID_KERNEL:-1}" = 1 ] && wait_sid; then
		make -C userspace >/dev/null && make -C selftests/progs >/dev/null &&
			sid_units
	fi
}
second_lane &
lane2_pid=$!

stage build tap_cmd "build kcsadm and selftest programs" \
	sh -c 'make -C userspace && make -C selftests/progs'
# The README's first command, exactly as a new user runs it (its
# dependencies are installed above): it must never rot unnoticed.
stage demo env KCS_SKIP_DEPS=1 scripts/demo.sh
stage userspace make -C userspace test
stage valgrind make -C userspace valgrind
stage fuzz make -C userspace fuzz-smoke SMOKE_TIME=${KCS_FUZZ_TIME:-15}
stage style tap_cmd "checkpatch clean" sh -c \
	'out=$(scripts/checkpatch.sh 2>&1); [ -z "$out" ] || { echo "$out"; false; }'
for k in $kernels; do
	# Clean first: kbuild's command lines do not name the flavour, so
	# objects built for another kernel of the same version look current.
	stage "module-$k" tap_cmd "kcs.ko builds for $k" \
		sh -c "make clean-module KVER=$k >/dev/null && make module KVER=$k"
	stage "dkms-$k" scripts/dkms-check.sh "$k"
	stage "vm-$k" run_vm "$k"
	# A real reboot (two boots, one disk): once per version is enough.
	case $k in *-cloud-amd64)
		stage "reboot-$k" scripts/reboot-check.sh --kernel "/boot/vmlinuz-$k" \
			--payload "$logdir/payload-$k" ;;
	esac
	# The fallback hooks (security_bprm_check, security_file_open and the
	# path hooks; bpf LSM not active) where the
	# kernel allows it (no IBT sealing), and the refusal where it does not.
	# One flavour per version is enough for that.
	case $k in *-cloud-amd64) ;; *) continue ;; esac
	if grep -q '^CONFIG_X86_KERNEL_IBT=y' "/boot/config-$k" 2>/dev/null; then
		stage "vm-$k-nobpf" run_vm_nobpf "$k" 16-hook-target
	else
		stage "vm-$k-nobpf" run_vm_nobpf "$k" 16-hook-target \
			10-exec-enforce 11-exec-busybox 14-exec-replace-unload \
			36-file-rules
	fi
done
# Podman through its hooks.d, once, on the newest cloud kernel: the
# runtime's side (hook files, podman's options) is the same on every kernel.
run_podman() {
	local k=$1 pl="$logdir/payload-podman"
	# kcs.ko is the last kernel's of the loop above: rebuilt if not k's.
	case $(modinfo -F vermagic kcs.ko 2>/dev/null) in
	"$k "*) ;;
	*) { make clean-module KVER="$k" && make module KVER="$k"; } >/dev/null || return 1 ;;
	esac
	KCS_PAYLOAD_PODMAN=1 scripts/vm-payload.sh "$pl" &&
	KCS_TEST_BUDGET=$(budget_left) \
	scripts/selftest.sh --kernel "/boot/vmlinuz-$k" --payload "$pl" 35-podman
}
podman_k=
for k in $kernels; do
	case $k in *-cloud-amd64) podman_k=$k ;; esac
done
if [ -n "$podman_k" ]; then
	stage "vm-podman-$podman_k" run_podman "$podman_k"
fi
# The Debian packages, once: built from a copy of the tree, lintian, their
# contents, the packaged module source through DKMS (the dkms stage's
# script) for the default kernel, and both installed with apt into a
# cached Debian 12 chroot, then removed and purged (deb-install-check.sh).
stage deb scripts/deb-check.sh

# Debian sid's newest kernels: whichever lane comes to them first.
if [ "${KCS_SID_KERNEL:-1}" = 1 ]; then
	if wait_sid; then
		sid_units
	else
		# The registry did not deliver (sid moves daily): say so, visibly.
		tail -n 20 "$logdir/sid-kernel.out" | sed 's/^/# /'
		echo "ok 1 - sid kernel stage # SKIP the sid chroot could not be made (see above)"
		skipped=$((skipped + 1))
	fi
fi

# The second lane's stages, shown and counted now, after the others.
wait "$lane2_pid" || echo "not ok - the second lane failed (see $logdir)" | tee "$logdir/lane2.log"
if [ -f "$logdir/debug-skipped" ]; then
	echo "=== debug-kernel: not built within the time budget"
	echo "ok 1 - debug kernel stage # SKIP cold build did not finish within KCS_CHECK_BUDGET"
	skipped=$((skipped + 1))
fi
for name in $(cat "$logdir/lane2.stages" 2>/dev/null); do
	cat "$logdir/$name.log"
	stage_count "$name"
done
if [ -f "$logdir/lane2.log" ]; then
	failed=$((failed + 1))
fi

# CI shows only the end of the output: name every failure here, with its
# stage, so that a red run says what failed without its logs.
if [ "$failed" -ne 0 ]; then
	echo "=== failures:"
	grep -E '^ *not ok' "$logdir"/*.log | sed "s|^$logdir/||; s|\.log:| |" | head -n 60
fi
echo "logs: $logdir; $skipped skipped; $(($(date +%s) - start)) s in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
