# shellcheck shell=sh disable=SC2034,SC2015 # CTR_* are for the caller
# selftests/container.sh: "container-like tasks" for kcs selftests (guest
# side; POSIX sh, busybox applets). Source it after lib.sh:
#
#	. "${0%/*}/container.sh"
#	ctr_create c1 /kcs/bin/some-test-prog    # cgroup + busybox rootfs
#	at_exit "ctr_destroy c1"
#	st=0; ctr_exec c1 /bin/some-test-prog arg || st=$?
#	check_eq "runs" "$st" 0
#	diag "$CTR_STDERR"
#
# A container here is
#   - a cgroup v2 directory $CTR_CGROOT/NAME (default /sys/fs/cgroup/kcs-test/NAME;
#     its cgroup id, as kcs sees it, is the directory's inode: ctr_cgid NAME);
#   - a root directory $CTR_BASE/NAME/root (default /run/kcs-ctr/NAME/root) with
#     its own copy of busybox, applet links in /bin (/bin/sh among them), the
#     guest's shared libraries (/lib/x86_64-linux-gnu, /lib64: dynamically
#     linked test programs run) and any files given to ctr_create;
#   - each ctr_exec/ctr_spawn: a new mount namespace (plus $CTR_UNSHARE, e.g.
#     "-p -f -n -u -i") with proc mounted on the root's /proc and the guest's
#     /dev bound on its /dev, chroot into the root, and, as the very last step
#     before exec'ing CMD, the task moves itself into the cgroup (a shell
#     builtin write to cgroup.procs, no exec in between): like a runtime's
#     init process, the only exec that happens inside the container's cgroup
#     is CMD itself. Setup execs (unshare, sh, chroot) run outside it.
# In the container, /.kcs-cgroup.procs is the bind mount used for that write.
#
# Busybox sh runs applets named without a '/' in-process or by exec'ing
# /proc/self/exe: pass absolute paths (/bin/wget, /bin/prog) to exercise a
# real execve of that path.

CTR_CGROOT=${CTR_CGROOT:-/sys/fs/cgroup/kcs-test}
CTR_BASE=${CTR_BASE:-/run/kcs-ctr}
CTR_UNSHARE=${CTR_UNSHARE:-}
# CTR_NETNS: a network namespace file (/proc/PID/ns/net) that ctr_exec and
# ctr_spawn join before anything else (busybox nsenter), so that a
# container's successive commands share one network namespace, wired up
# once by the test (veth, addresses). Empty: the caller's (or CTR_UNSHARE's).
CTR_NETNS=${CTR_NETNS:-}
CTR_STATUS=0 CTR_STDERR='' CTR_PID='' CTR_CGROUP='' CTR_ROOT=''

_ctr_err() { echo "container.sh: $*" >&2; }

_ctr_name() { # NAME: validate, set _cc (cgroup), _cd (state dir), _cr (root)
	case ${1:-} in
	'' | .* | *[!A-Za-z0-9_.-]*)
		_ctr_err "bad container name '${1:-}' (letters, digits, _ . -)"
		return 1
		;;
	esac
	_cc=$CTR_CGROOT/$1 _cd=$CTR_BASE/$1 _cr=$CTR_BASE/$1/root
}

# ctr_cgroup NAME / ctr_root NAME / ctr_cgid NAME: print the cgroup directory,
# the root directory, or the cgroup id (inode number of the cgroup directory).
ctr_cgroup() { _ctr_name "$1" && echo "$_cc"; }
ctr_root() { _ctr_name "$1" && echo "$_cr"; }
ctr_cgid() { _ctr_name "$1" && stat -c %i "$_cc"; }

# ctr_create NAME [SRC[:DEST]]...: create the cgroup and the root. Each SRC
# file is copied to DEST inside the root (default /bin/<basename of SRC>).
# Prints "CGROUP_DIR ROOT_DIR" and sets CTR_CGROUP and CTR_ROOT.
ctr_create() {
	_ctr_name "${1:-}" || return 1
	_n=$1; shift
	if [ -e "$_cc" ] || [ -e "$_cd" ]; then
		_ctr_err "container '$_n' exists ($_cc or $_cd): ctr_destroy it first"
		return 1
	fi
	[ -f /sys/fs/cgroup/cgroup.procs ] || {
		_ctr_err "no cgroup v2 hierarchy on /sys/fs/cgroup"
		return 1
	}
	mkdir -p "$CTR_CGROOT" && mkdir "$_cc" || return 1
	mkdir -p "$_cr" && (
		set -e
		cd "$_cr"
		mkdir -p bin dev proc sys tmp etc root run lib usr
		chmod 1777 tmp
		ln -s bin sbin
		ln -s ../bin usr/bin
		ln -s ../bin usr/sbin
		: >.kcs-cgroup.procs
		# A copy, not a link: the container's busybox is its own file.
		cp /bin/busybox bin/busybox
		# The guest's busybox makes links to its own path, /bin/busybox,
		# which in the root is the copy.
		/bin/busybox --install -s "$_cr/bin"
		for l in /lib/x86_64-linux-gnu /lib64; do
			[ ! -d "$l" ] || cp -a "$l" "./${l%/*}/"
		done
		echo 'root:x:0:0:root:/root:/bin/sh' >etc/passwd
		echo 'root:x:0:' >etc/group
		echo "$_n" >etc/hostname
	) || { _ctr_err "cannot populate $_cr"; return 1; }
	for _f in "$@"; do
		_src=${_f%%:*} _dst=${_f#*:}
		[ "$_dst" != "$_f" ] || _dst=/bin/${_src##*/}
		mkdir -p "$_cr${_dst%/*}" && cp -p "$_src" "$_cr$_dst" || {
			_ctr_err "cannot copy $_src to $_cr$_dst"
			return 1
		}
	done
	CTR_CGROUP=$_cc CTR_ROOT=$_cr
	echo "$_cc $_cr"
}

# The setup chain (run by busybox from the guest root, outside the cgroup):
# unshare -> sh: mounts in the new namespace -> chroot -> the root's sh:
# move into the cgroup (builtin echo) -> exec CMD.
# shellcheck disable=SC2016 # expanded by the setup shell
_ctr_setup='
r=$1 c=$2; shift 2
mount -t proc proc "$r/proc" &&
	mount --rbind /dev "$r/dev" &&
	mount --bind "$c/cgroup.procs" "$r/.kcs-cgroup.procs" || {
	echo "container.sh: mount setup failed" >&2; exit 125; }
exec chroot "$r" /bin/sh -c "echo 0 >/.kcs-cgroup.procs || exit 125; exec \"\$@\"" sh "$@"'

_ctr_check() { # NAME CMD...: common argument checks
	_ctr_name "${1:-}" || return 125
	if [ ! -d "$_cc" ] || [ ! -d "$_cr" ]; then
		_ctr_err "no container '$1' (ctr_create it first)"
		return 125
	fi
	[ $# -ge 2 ] || { _ctr_err "ctr_exec/ctr_spawn $1: no command"; return 125; }
}

# ctr_exec NAME CMD [ARG]...: run CMD in the container and wait. stdin and
# stdout are the caller's; stderr goes to a file. Returns CMD's exit status
# (125: the setup failed; 126/127: exec of CMD failed, as in sh) and sets
# CTR_STATUS and CTR_STDERR. Under `set -e` call it as
# `st=0; ctr_exec c1 /bin/x || st=$?`; not in $(...), which loses CTR_*.
ctr_exec() {
	_ctr_check "$@" || return $?
	shift
	CTR_STATUS=0
	# shellcheck disable=SC2086 # CTR_UNSHARE is a list of options
	${CTR_NETNS:+nsenter --net="$CTR_NETNS"} unshare -m $CTR_UNSHARE /bin/sh -c "$_ctr_setup" ctr-setup "$_cr" "$_cc" "$@" \
		2>"$_cd/stderr" || CTR_STATUS=$?
	CTR_STDERR=$(cat "$_cd/stderr")
	return "$CTR_STATUS"
}

# ctr_spawn NAME CMD [ARG]...: like ctr_exec, in the background; sets CTR_PID
# (without "-p -f" in CTR_UNSHARE, CTR_PID is CMD's own pid once it runs) and
# CTR_SPAWN_ERR (the file that gets its stderr). ctr_destroy kills what is
# left, in the cgroup or not yet there.
CTR_SPAWNS=0
ctr_spawn() {
	_ctr_check "$@" || return $?
	shift
	CTR_SPAWNS=$((CTR_SPAWNS + 1))
	CTR_SPAWN_ERR=$_cd/stderr.spawn$CTR_SPAWNS
	exec 3<&0	# a background job's stdin would otherwise be /dev/null
	# shellcheck disable=SC2086
	${CTR_NETNS:+nsenter --net="$CTR_NETNS"} unshare -m $CTR_UNSHARE /bin/sh -c "$_ctr_setup" ctr-setup "$_cr" "$_cc" "$@" \
		<&3 2>"$CTR_SPAWN_ERR" &
	CTR_PID=$!
	exec 3<&-
	echo "$CTR_PID" >>"$_cd/spawned"
}

# ctr_wait_in_cgroup NAME PID [TENTHS]: wait until PID is in the container's
# cgroup (default up to 5 s); returns 1 on timeout.
ctr_wait_in_cgroup() {
	_ctr_name "$1" || return 1
	_i=0
	while [ "$_i" -lt "${3:-50}" ]; do
		grep -qx "$2" "$_cc/cgroup.procs" 2>/dev/null && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# ctr_destroy NAME: kill every task in the cgroup, remove the cgroup (and any
# child cgroups a test made) and the root. Safe to call twice.
ctr_destroy() {
	_ctr_name "${1:-}" || return 1
	_rc=0
	if [ -f "$_cd/spawned" ]; then
		# spawned tasks that may not have joined the cgroup yet
		# shellcheck disable=SC2046
		kill -9 $(cat "$_cd/spawned") 2>/dev/null || :
		rm -f "$_cd/spawned"
	fi
	if [ -d "$_cc" ]; then
		if [ -f "$_cc/cgroup.kill" ]; then
			echo 1 >"$_cc/cgroup.kill"
		else
			# shellcheck disable=SC2046
			kill -9 $(cat "$_cc/cgroup.procs") 2>/dev/null || :
		fi
		_i=0
		while [ -n "$(find "$_cc" -name cgroup.procs -exec cat {} + 2>/dev/null)" ]; do
			[ "$_i" -lt 50 ] || { _ctr_err "tasks left in $_cc"; _rc=1; break; }
			sleep 0.1
			_i=$((_i + 1))
		done
		find "$_cc" -depth -type d -exec rmdir {} + 2>/dev/null ||
			{ _ctr_err "cannot remove $_cc"; _rc=1; }
	fi
	if [ -d "$_cd" ]; then
		# Mounts made for the container live in its own mount namespace and
		# go away with its last task. One seen here means a setup went wrong:
		# never rm -rf through a bind mount of /dev.
		if grep -q " $_cr/" /proc/mounts; then
			_ctr_err "mounts left under $_cr: not removing it"
			_rc=1
		else
			rm -rf "$_cd"
		fi
	fi
	return "$_rc"
}
