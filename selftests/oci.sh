# shellcheck shell=sh
# OCI bundles for the real container runtimes in the payload (crun, runc),
# with kcsadm as their createRuntime and poststop hook.
#
#   oci_bundle NAME [OPTION]... -- ARG...
#       make $KCS_TMP/oci/NAME: a busybox root (from ctr_create's recipe,
#       plus $KCS_DIR's try_exec and nop, /opt/blocked/tool a copy of nop)
#       and config.json running ARG... Options:
#         --image REF        annotation io.kcs.image=REF
#         --annotation K=V   another annotation (repeatable)
#         --cap CAP          add CAP to the bounding/effective/permitted sets
#         --bind SRC:DST     a read-write bind mount of host path SRC
#         --hook-args "A B"  extra arguments for kcsadm oci-hook
#         --hook-env K=V     another variable in the hooks' environment
#                            (repeatable)
#         --hook-stderr FILE createRuntime's stderr appended to FILE (the
#                            runtimes may not show it when the hook succeeds)
#         --no-hooks         no kcsadm hooks (a container kcs did not see start)
#         --netns new|PATH   a network namespace of its own (new), or join
#                            the one at PATH; without: the host's
#   oci_run RUNTIME NAME   run it to completion as container RUNTIME-NAME-PID:
#                          sets OCI_ST and OCI_ERR
#                          (the runtime's status and stderr+stdout)
#   oci_start, oci_exec, oci_kill, oci_pid: a detached container (below)
OCI_DIR=$KCS_TMP/oci
OCI_CONF=$KCS_TMP/etc-kcs
OCI_RUN=$KCS_TMP/run-kcs
export KCS_CONFDIR=$OCI_CONF KCS_RUNDIR=$OCI_RUN

_oci_caps='"CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_KILL","CAP_SETGID","CAP_SETUID","CAP_NET_BIND_SERVICE"'

oci_bundle() {
	_b=$OCI_DIR/$1; shift
	_ann='' _caps=$_oci_caps _mounts='' _hargs='' _hooks=1 _henv='' _herr='' _netns=''
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case $1 in
		--image) _ann="$_ann,\"io.kcs.image\":\"$2\"" ;;
		--annotation) _ann="$_ann,\"${2%%=*}\":\"${2#*=}\"" ;;
		--cap) _caps="$_caps,\"$2\"" ;;
		--bind) _mounts="$_mounts,{\"destination\":\"${2#*:}\",\"type\":\"bind\",\"source\":\"${2%%:*}\",\"options\":[\"rbind\",\"rw\"]}" ;;
		--hook-args) _hargs=$2 ;;
		--hook-env) _henv="$_henv,\"$2\"" ;;
		--hook-stderr) _herr=$2 ;;
		--netns)
			if [ "$2" = new ]; then
				_netns=', {"type": "network"}'
			else
				_netns=", {\"type\": \"network\", \"path\": \"$2\"}"
			fi ;;
		--no-hooks) _hooks=; shift; continue ;;
		*) echo "oci_bundle: unknown option $1" >&2; return 2 ;;
		esac
		shift 2
	done
	shift
	_args=''
	for _a in "$@"; do _args="$_args${_args:+,}\"$_a\""; done
	_hook_args=''
	for _a in $_hargs; do _hook_args="$_hook_args,\"$_a\""; done
	rm -rf "$_b" && mkdir -p "$_b/rootfs" || return 1
	(
		set -e
		cd "$_b/rootfs"
		mkdir -p bin dev proc sys tmp etc root run lib mnt opt/blocked
		cp /bin/busybox bin/busybox
		/bin/busybox --install -s "$_b/rootfs/bin"
		cp "$KCS_DIR/try_exec" "$KCS_DIR/nop" bin/
		cp "$KCS_DIR/nop" opt/blocked/tool
	) || return 1
	_env="\"KCS_CONFDIR=$OCI_CONF\",\"KCS_RUNDIR=$OCI_RUN\",\"PATH=/bin:/usr/bin\"$_henv"
	# createRuntime through a wrapper that keeps its stderr, or directly.
	_hook_path=$KCS_DIR/kcsadm _hook_arg0=kcsadm
	if [ -n "$_herr" ]; then
		printf '#!/bin/sh\nexec "%s" "$@" 2>>"%s"\n' "$KCS_DIR/kcsadm" "$_herr" \
			>"$_b/hook-stderr.sh" && chmod +x "$_b/hook-stderr.sh" || return 1
		_hook_path=$_b/hook-stderr.sh _hook_arg0=hook-stderr.sh
	fi
	cat >"$_b/config.json" <<JSON
{
 "ociVersion": "1.0.2",
 "process": {"terminal": false, "user": {"uid": 0, "gid": 0},
  "args": [$_args], "env": ["PATH=/bin"], "cwd": "/",
  "capabilities": {"bounding": [$_caps], "effective": [$_caps], "permitted": [$_caps]},
  "noNewPrivileges": true},
 "root": {"path": "rootfs"},
 "hostname": "oci",
 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
  {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755"]}$_mounts],
 "annotations": {"kcs.test": "1"$_ann},
$(if [ -n "$_hooks" ]; then cat <<HOOKS
 "hooks": {
  "createRuntime": [{"path": "$_hook_path", "args": ["$_hook_arg0", "oci-hook", "createRuntime"$_hook_args], "env": [$_env]}],
  "poststop": [{"path": "$KCS_DIR/kcsadm", "args": ["kcsadm", "oci-hook", "poststop"], "env": [$_env]}]
 },
HOOKS
fi)
 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}$_netns],
  "cgroupsPath": "/kcs-oci/${_b##*/}"}
}
JSON
}

# --no-pivot: the test VM's root is its initramfs, which pivot_root
# refuses; the runtimes then move the root and chroot instead.
oci_run() { # RUNTIME NAME
	OCI_ST=0
	OCI_ERR=$(timeout 60 "$KCS_DIR/tools/$1" run --no-pivot -b "$OCI_DIR/$2" "$1-$2-$$" </dev/null 2>&1) || OCI_ST=$?
}

# oci_start RUNTIME NAME: run it detached (container RUNTIME-NAME-PID).
# Its stdio goes to a file: a pipe would stay open as long as it runs.
oci_start() {
	OCI_ST=0
	timeout 60 "$KCS_DIR/tools/$1" run --no-pivot -d -b "$OCI_DIR/$2" "$1-$2-$$" \
		</dev/null >"$OCI_DIR/$2.out" 2>&1 || OCI_ST=$?
	OCI_ERR=$(cat "$OCI_DIR/$2.out")
}

# oci_pid RUNTIME NAME: the pid of the running container's init.
oci_pid() {
	"$KCS_DIR/tools/$1" state "$1-$2-$$" 2>/dev/null | json_get pid
}

# oci_exec RUNTIME NAME CMD...: run CMD in the running container.
oci_exec() {
	_rt=$1 _n=$2; shift 2
	OCI_ST=0
	OCI_ERR=$(timeout 60 "$KCS_DIR/tools/$_rt" exec "$_rt-$_n-$$" "$@" </dev/null 2>&1) || OCI_ST=$?
}

# oci_kill RUNTIME NAME: stop and delete it.
oci_kill() {
	"$KCS_DIR/tools/$1" kill "$1-$2-$$" KILL 2>/dev/null || :
	sleep 0.3
	"$KCS_DIR/tools/$1" delete --force "$1-$2-$$" 2>/dev/null || :
}

# oci_runtimes: the runtimes this kernel can run (runc needs cgroup BPF for
# its device rules: kernels built without CONFIG_CGROUP_BPF cannot).
oci_runtimes() {
	OCI_RUNTIMES=crun OCI_NO_RUNC=
	oci_bundle probe --no-hooks -- /bin/true
	oci_run runc probe
	case $OCI_ST:$OCI_ERR in
	0:*) OCI_RUNTIMES="crun runc" ;;
	*BPF_CGROUP_DEVICE*) OCI_NO_RUNC="this kernel has no cgroup BPF (runc's device rules)" ;;
	*) OCI_RUNTIMES="crun runc" ;;	# let the tests say what fails
	esac
}
