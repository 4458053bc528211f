/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kcs - kernel container security: the one ABI between kcs.ko and kcsadm.
 *
 * PROTOCOL
 *
 * Transport is generic netlink, family KCS_GENL_NAME, in the initial network
 * namespace only (the family is not visible from other namespaces). Clients
 * resolve the family id by name every time: ids are not reused right after a
 * module reload. Every request carries KCS_GENL_VERSION in the genetlink
 * header's version field; the module refuses other versions with
 * EPROTONOSUPPORT. Every command needs CAP_NET_ADMIN in the initial user
 * namespace (GENL_ADMIN_PERM) and CAP_MAC_ADMIN, and is refused (EPERM) to
 * any task inside a bound cgroup, so root inside a container is refused.
 * Errors come back as netlink errors with an extack message.
 *
 * Commands (attributes in brackets are optional):
 *
 *  KCS_CMD_STATUS        request: none.
 *                        reply: KCS_A_ABI_VERSION, KCS_A_STATS (nest of u64
 *                        attributes whose types are enum kcs_stat),
 *                        KCS_A_NPROFILES, KCS_A_NBINDINGS,
 *                        KCS_A_HOOKS_PROVEN, KCS_A_NSUBSCRIBERS.
 *  KCS_CMD_PROFILE_SET   request: KCS_A_PROFILE_NAME, KCS_A_EXEC_KIND and,
 *                        unless the kind is KCS_EXEC_NONE, KCS_A_EXEC_RULES_DFA
 *                        and KCS_A_EXEC_RULES_TEXT; with KCS_EXEC_BLOCK,
 *                        [KCS_A_EXEC_EXCEPT_DFA and KCS_A_EXEC_EXCEPT_TEXT].
 *                        Creates the profile or replaces it atomically: a
 *                        hook sees the old profile or the new one, never a
 *                        mix, and a rejected request leaves the old one.
 *  KCS_CMD_PROFILE_DEL   request: KCS_A_PROFILE_NAME. EBUSY while bound.
 *  KCS_CMD_PROFILE_GET   request: [KCS_A_PROFILE_NAME]; without a name it is
 *                        a dump of all profiles. Reply per profile:
 *                        KCS_A_PROFILE_NAME, KCS_A_EXEC_KIND, KCS_A_NRULES,
 *                        KCS_A_NEXCEPT, KCS_A_PROFILE_MEM (bytes of kernel
 *                        memory), KCS_A_NBINDINGS, KCS_A_GENERATION.
 *  KCS_CMD_BIND          request: KCS_A_CGROUP_ID (cgroup v2 id, which is
 *                        the inode number of the cgroup directory),
 *                        KCS_A_PROFILE_NAME, KCS_A_MODE, [KCS_A_ROOT_PID]
 *                        (a task, in the sender's pid namespace, whose
 *                        root is the container's; without it the first
 *                        task to exec in the binding gives it; a rebind
 *                        without it keeps the one there is). Binds or
 *                        rebinds. The root cgroup cannot be bound.
 *                        [KCS_A_CAPS_BLOCK]: capabilities the bound tasks
 *                        may not use (denied under Enforce, reported under
 *                        Audit), from the binding's first exec on (before
 *                        it, the container runtime is setting up), under
 *                        KCS_A_MODE.
 *                        [KCS_A_BIND_MORE]: more profiles for the same
 *                        cgroup, each a KCS_A_BIND_PROFILE nest of
 *                        KCS_A_PROFILE_NAME and KCS_A_MODE, at most
 *                        KCS_BIND_PROFILES_MAX in all, no name twice.
 *                        Every profile decides, each in its own mode: an
 *                        Enforce denial by any of them denies, every
 *                        denial is an event naming its profile.
 *  KCS_CMD_UNBIND        request: KCS_A_CGROUP_ID. ENOENT when not bound.
 *  KCS_CMD_BIND_GET      dump. Reply per binding: KCS_A_CGROUP_ID,
 *                        KCS_A_PROFILE_NAME, KCS_A_MODE, KCS_A_CAPS_BLOCK,
 *                        [KCS_A_BIND_MORE] (as in the request).
 *  KCS_CMD_SUBSCRIBE     request: none. From now until it is closed, the
 *                        requesting socket receives the events. Checked
 *                        like every request, so no task inside a bound
 *                        cgroup can read events, whatever it holds.
 *                        ENOSPC when KCS_MAX_SUBSCRIBERS sockets subscribe
 *                        already. Events queued before the ACK may precede
 *                        it on the socket.
 *  KCS_CMD_EVENT         to subscribed sockets only (never multicast:
 *                        a group cannot refuse a bound task's membership
 *                        on every supported kernel), port id 0, sequence
 *                        number 0. One message per decision the
 *                        profile makes against an exec: KCS_A_EV_SEQ,
 *                        KCS_A_EV_TIME_NS, KCS_A_EV_HOOK, KCS_A_EV_VERDICT,
 *                        KCS_A_MODE, KCS_A_EV_PID, KCS_A_EV_TGID,
 *                        KCS_A_EV_PPID, KCS_A_EV_UID, KCS_A_EV_COMM,
 *                        KCS_A_CGROUP_ID (the task's own cgroup),
 *                        KCS_A_EV_BOUND_CGROUP_ID (the bound ancestor),
 *                        KCS_A_EV_PATH, KCS_A_EV_INVOKED, [KCS_A_EV_APPLET],
 *                        KCS_A_PROFILE_NAME, KCS_A_EV_RULE_KIND,
 *                        [KCS_A_EV_RULE], KCS_A_EV_DROPPED.
 *                        Only denials (Enforce) and would-be denials (Audit,
 *                        verdict ALLOW: the exec ran) are reported. Every
 *                        event built takes the next KCS_A_EV_SEQ, also when
 *                        it is then dropped (rate limit, full buffers), so
 *                        a gap in the sequence is exactly the loss;
 *                        KCS_A_EV_DROPPED counts drops module-wide.
 *
 *  KCS_CMD_PROBE         hook liveness (see "Hook liveness" below).
 *                        request: [KCS_A_PROBE_PID]. With a pid (in the
 *                        sender's pid namespace): start watching that task,
 *                        every hook registered; EBUSY while another probe
 *                        runs (one left for more than 10 s is taken over).
 *                        Without: stop, and reply KCS_A_HOOKS_PROVEN and
 *                        KCS_A_PROBE_HOOKS: one nest per hooked entry point
 *                        (type: its number from 1) of KCS_A_EV_HOOK (its
 *                        enum kcs_hook; __KCS_HOOK_MAX for SCTP's
 *                        connectx/bindx), KCS_A_PROBE_TARGET,
 *                        KCS_A_PROBE_SIGNATURE, KCS_A_PROBE_FIRED. STATUS
 *                        replies carry KCS_A_HOOKS_PROVEN too.
 *
 * Hook liveness. A hook that is registered but never called would leave a
 * hole no test of the decision code finds (a kernel whose LSM chain stops
 * calling a BPF-LSM stub, a changed call path). So the module takes no
 * binding until each hook it needs has been seen to fire for a real
 * operation of a real task: KCS_CMD_BIND, and KCS_CMD_PROFILE_SET of a
 * bound profile, fail with EOPNOTSUPP while a needed kind (KCS_HOOK_EXEC
 * always; the socket kinds and KCS_HOOK_MMAP when the profile has such
 * rules) is not in KCS_A_HOOKS_PROVEN. A kind is proven when every entry
 * point of that kind fired during one probe. kcsadm load runs the probe
 * (a child that execs, connects, sends, binds, listens, maps and
 * mprotects) and checks each target's signature against the kernel's BTF.
 *
 * Large blobs. A netlink attribute holds at most 65535 bytes, so each of the
 * *_DFA and *_TEXT blobs is sent as one or more consecutive attributes of the
 * same type, each at most KCS_CHUNK_MAX bytes; the module concatenates them
 * in order. Clients must raise their send buffer for large profiles.
 *
 * Compiled matchers. Patterns never reach the kernel: kcsadm compiles every
 * pattern set to one minimized DFA over bytes (struct kcs_dfa_hdr below) and
 * the module verifies it completely before use. Matching a path costs one
 * table step per byte, whatever the number of patterns.
 *
 *  - The table is "comb" compressed: the next state of state s on byte b is
 *    next[i] when i = base[s] + classmap[b] and check[i] == s, otherwise
 *    dflt[s] (the state's most common target, often the dead state, so a
 *    broad rule such as "/usr/.*" does not fill every row it reaches). The
 *    module checks base[s] + nclasses <= ntrans for every state, so no
 *    lookup can leave the table, and it is always exactly one step.
 *  - State 0 is the dead state: accept[0] == 0, dflt[0] == 0 and every entry
 *    whose check is 0 leads to 0. accept[s] is 0 for a non-accepting state, or 1 + the index
 *    of the lowest-numbered pattern that matches the whole input read so far.
 *  - The matching *_TEXT blob holds the patterns' source texts, each
 *    NUL-terminated and at most KCS_TEXT_ENTRY_MAX bytes with the NUL, in
 *    index order: exactly hdr.naccept of them. Events quote them as the
 *    rule that decided (whole: an event's attributes stay far below a
 *    netlink attribute's 64 KiB).
 *  - All fields are in host byte order; the header and arrays are 4-byte
 *    aligned, arrays follow the header in the order given, nothing trails.
 *
 * Exec decision. The module resolves the executed file to its path as the
 * task sees it (d_path from the task's root) and trusts that name only if
 * it leads to the same file from the container's root (see KCS_CMD_BIND):
 * otherwise, or when the name or the applet cannot be told, the exec is
 * denied under Enforce with KCS_RULE_UNDECIDABLE. For a multi-call binary
 * (file name starting with "busybox") it also forms "<path>/<applet>", the
 * applet taken from argv the way busybox itself takes it (any length, any
 * nesting). A pattern set "matches" when it accepts the path or that
 * composed path.
 *  - KCS_EXEC_BLOCK: denied when RULES match and EXCEPT does not.
 *  - KCS_EXEC_ALLOW: denied when RULES (the allowed list) do not match.
 * Executable file mappings (mmap() with PROT_EXEC, mprotect() adding it;
 * events with KCS_HOOK_MMAP and an empty KCS_A_EV_INVOKED) are judged by
 * the same name: under KCS_EXEC_BLOCK a file RULES match and EXCEPT does
 * not is never mapped executable (the dynamic loader run directly, dlopen,
 * LD_PRELOAD); under KCS_EXEC_ALLOW, only when the profile has LIBS (the
 * libraries: files that may be mapped, not executed), and then a file that
 * neither RULES nor LIBS match, or without a trusted name, is refused. The
 * program's own mappings at exec are judged at exec.
 * In KCS_MODE_ENFORCE a denied exec fails with EPERM and an event is sent;
 * in KCS_MODE_AUDIT the exec runs and the event says it would be denied.
 *
 * Network (appended; see docs/network.md). KCS_CMD_PROFILE_SET also takes
 * [KCS_A_NET_EGRESS_KIND] (absent: KCS_NET_NONE); with KCS_NET_BLOCK or
 * KCS_NET_ALLOW, KCS_A_NET_EGRESS_RULES and _RULES_TEXT; with
 * KCS_NET_BLOCK, [KCS_A_NET_EGRESS_EXCEPT and _EXCEPT_TEXT];
 * [KCS_A_NET_LISTEN_RULES and _LISTEN_RULES_TEXT] (ports nobody may bind
 * or listen on) and [KCS_A_NET_FLAGS]. Each rule set is a struct
 * kcs_net_hdr blob below, chunked like the DFA blobs and verified
 * completely before use. PROFILE_GET replies add KCS_A_NET_EGRESS_KIND,
 * KCS_A_NET_NRULES and KCS_A_NET_FLAGS.
 *  - Egress: connect() of an AF_INET/AF_INET6 stream or datagram socket,
 *    sendto()/sendmsg() with a destination on a datagram socket (and on a
 *    stream socket with MSG_FASTOPEN). KCS_NET_BLOCK denies what RULES
 *    cover and EXCEPT does not; KCS_NET_ALLOW denies what RULES do not.
 *  - Listen: bind() to a nonzero port, and listen(), of such a socket are
 *    denied when LISTEN_RULES cover (local address, port, protocol).
 *    KCS_NET_F_MONITOR_LISTEN reports every listen() of a stream socket and
 *    bind() of a datagram socket to a port, with rule kind
 *    KCS_RULE_MONITOR and verdict ALLOW, in either mode.
 * Enforce fails the call with EPERM; Audit lets it go and reports it.
 * Capability events (KCS_HOOK_CAPABLE) carry, instead of the exec and
 * network attributes, KCS_A_EV_CAP and KCS_A_EV_RULE_KIND KCS_RULE_BLOCK.
 *
 * Files (appended; see docs/files.md). KCS_CMD_PROFILE_SET also takes
 * [KCS_A_FILE_READ_DFA and _TEXT] (files a bound task may not open for
 * reading), [KCS_A_FILE_WRITE_DFA and _TEXT] (files it may not change:
 * open for writing or with O_TRUNC, truncate, create, unlink, rename
 * from or to, link to or from) and [KCS_A_FILE_MONITOR_DFA and _TEXT]
 * (files whose every open is reported, rule kind KCS_RULE_MONITOR,
 * verdict ALLOW, in either mode); pattern sets as for exec, matched
 * against the name that leads to the file from the container's root (the
 * exec decision's trusted name). A file no such name leads to (a chroot's,
 * a mount of the container's own, unlinked) is KCS_RULE_UNDECIDABLE for a
 * profile with READ or WRITE rules; a file with no path at all (pipes,
 * sockets, anonymous inodes) and an O_TMPFILE are not judged. Enforce
 * fails the call with EACCES. PROFILE_GET replies add KCS_A_FILE_NRULES.
 * File events carry KCS_A_EV_HOOK KCS_HOOK_FILE, KCS_A_EV_PATH (the name
 * judged), KCS_A_EV_FILE_OP and KCS_A_EV_FILE_ACCESS instead of
 * KCS_A_EV_INVOKED and _APPLET.
 * File allow lists (appended): [KCS_A_FILE_DEFAULT] (u32, enum
 * kcs_sys_action; absent: KCS_SYS_ALLOW) decides a read or a change that
 * no deny list names and [KCS_A_FILE_READ_ALLOW_DFA and _TEXT] resp.
 * [KCS_A_FILE_WRITE_ALLOW_DFA and _TEXT] do not name either: KCS_SYS_DENY
 * denies it (KCS_RULE_NOT_ALLOWED), KCS_SYS_AUDIT reports it
 * (KCS_RULE_MONITOR, verdict ALLOW, in either mode). Allow lists need a
 * default other than KCS_SYS_ALLOW. A directory that moves (rename from
 * or to) is allowed only when its name and every name under it are (the
 * DFA state after "dir/" accepts and loops on every byte but NUL).
 *
 * Application rules (appended; see docs/syscalls.md). KCS_CMD_PROFILE_SET
 * also takes [KCS_A_SYS_RULES] (a struct kcs_sys_hdr blob below),
 * KCS_A_SYS_RULES_TEXT (one text per rule, as for network rules) and,
 * when a rule names a program, KCS_A_SYS_PROGRAMS (the programs' DFAs).
 * A rule names a system call of the x86-64 table, optionally a program
 * (the acting task's executable, as for program-scoped patterns) and up
 * to KCS_SYS_MAX_ARGS conditions on its arguments; its action is allow,
 * deny or audit. For each call of a named system call by a bound task
 * the first rule of that call whose program and conditions match
 * decides; when none does, the blob's default action. Only the named
 * calls are hooked (at their 64-bit entry point and at the 32-bit ones
 * that perform the same call); the names come with their 64-bit number,
 * which the module checks against the kernel's own table. Arguments are
 * compared as the system call sees them: narrowed to the parameter's C
 * type (the kernel's syscall metadata: a type it cannot size refuses the
 * profile). A 32-bit entry whose arguments cannot be compared that way
 * (compat, multiplexed, renamed) makes a rule with conditions
 * KCS_RULE_UNDECIDABLE. io_uring performs system calls without entering
 * them, so a blob must name io_uring_setup and io_uring_enter (kcsadm
 * adds them with KCS_SYS_N_GUARD: undecidable, unless the profile names
 * them itself). Enforce fails a denied call with EPERM; Audit lets it
 * go. Events carry KCS_A_EV_HOOK KCS_HOOK_SYSCALL, KCS_A_EV_SYSCALL,
 * KCS_A_EV_SYS_ARGS and KCS_A_EV_SYS_COMPAT; a name flagged
 * KCS_SYS_N_IGNORE makes no events (its denials still deny; counted in
 * KCS_STAT_SYS_IGNORED). PROFILE_GET replies add KCS_A_SYS_NRULES.
 *
 * Program-scoped network rules and listen exclusions (appended; see
 * docs/network.md): [KCS_A_NET_GROUPS] (struct kcs_net_groups_hdr below)
 * adds rule sets to a profile's egress rules (block rules, or allow
 * entries), egress exclusions or listen exclusions, each applying only to
 * a task whose program (as for program-scoped patterns) its DFA accepts,
 * or to every task. A destination is covered by a set when its own rules
 * or an applying group's cover it; a listen rule is lifted by an applying
 * listen exclusion that covers the port.
 *
 * Network events carry KCS_A_EV_HOOK (CONNECT, SENDMSG, BIND, LISTEN)
 * and, instead of the exec attributes (KCS_A_EV_PATH, _INVOKED,
 * _APPLET), KCS_A_EV_NET_FAMILY, _PROTO, _ADDR and _PORT: the destination
 * for egress, the local address and port for bind and listen.
 *
 * Compatibility: any incompatible change bumps KCS_GENL_VERSION. New
 * attributes and stats are only ever appended.
 */
#ifndef _UAPI_LINUX_KCS_H
#define _UAPI_LINUX_KCS_H

#include <linux/types.h>

#define KCS_GENL_NAME		"kcs"
/*
 * 2: events go to subscribed sockets (KCS_CMD_SUBSCRIBE) instead of the
 * multicast group "events" of version 1.
 */
#define KCS_GENL_VERSION	2

/* Limits, enforced by the module and checked early by kcsadm. */
#define KCS_NAME_MAX		64	/* profile name, including the NUL */
#define KCS_MAX_PROFILES	256
#define KCS_MAX_BINDINGS	16384	/* cgroups bound (16,384: a dense node, with room) */
#define KCS_BIND_PROFILES_MAX	4	/* profiles in one binding */
#define KCS_MAX_SUBSCRIBERS	16	/* sockets receiving events */
#define KCS_MAX_PATTERNS	65536	/* per pattern set */
#define KCS_DFA_MAX_STATES	(1U << 20)
#define KCS_DFA_MAX_BYTES	(64U << 20)	/* one DFA blob */
#define KCS_TEXT_MAX_BYTES	(16U << 20)	/* one text blob */
#define KCS_TEXT_ENTRY_MAX	4096	/* one pattern's or rule's text, with its NUL */
#define KCS_CHUNK_MAX		65000	/* payload of one blob attribute */

enum kcs_cmd {
	KCS_CMD_UNSPEC,
	KCS_CMD_STATUS,
	KCS_CMD_PROFILE_SET,
	KCS_CMD_PROFILE_DEL,
	KCS_CMD_PROFILE_GET,
	KCS_CMD_BIND,
	KCS_CMD_UNBIND,
	KCS_CMD_BIND_GET,
	KCS_CMD_EVENT,
	KCS_CMD_PROBE,
	KCS_CMD_SUBSCRIBE,
	__KCS_CMD_MAX
};

#define KCS_CMD_MAX (__KCS_CMD_MAX - 1)

enum kcs_attr {
	KCS_A_UNSPEC,
	KCS_A_PAD,
	KCS_A_ABI_VERSION,		/* u32 */
	KCS_A_STATS,			/* nest of u64, types enum kcs_stat */
	KCS_A_NPROFILES,		/* u32 */
	KCS_A_NBINDINGS,		/* u32 */
	KCS_A_PROFILE_NAME,		/* string, < KCS_NAME_MAX */
	KCS_A_EXEC_KIND,		/* u32, enum kcs_exec_kind */
	KCS_A_EXEC_RULES_DFA,		/* binary, chunked */
	KCS_A_EXEC_RULES_TEXT,		/* binary, chunked */
	KCS_A_EXEC_EXCEPT_DFA,		/* binary, chunked */
	KCS_A_EXEC_EXCEPT_TEXT,		/* binary, chunked */
	KCS_A_NRULES,			/* u32 */
	KCS_A_NEXCEPT,			/* u32 */
	KCS_A_PROFILE_MEM,		/* u64, bytes */
	KCS_A_GENERATION,		/* u64, bumped by every replace */
	KCS_A_CGROUP_ID,		/* u64 */
	KCS_A_MODE,			/* u32, enum kcs_mode */
	KCS_A_EV_SEQ,			/* u64, per module load, from 1 */
	KCS_A_EV_TIME_NS,		/* u64, CLOCK_REALTIME */
	KCS_A_EV_HOOK,			/* u32, enum kcs_hook */
	KCS_A_EV_VERDICT,		/* u32, enum kcs_verdict */
	KCS_A_EV_PID,			/* u32, thread id, initial pid ns */
	KCS_A_EV_TGID,			/* u32 */
	KCS_A_EV_PPID,			/* u32, real parent's tgid */
	KCS_A_EV_UID,			/* u32, initial user ns */
	KCS_A_EV_COMM,			/* string */
	KCS_A_EV_BOUND_CGROUP_ID,	/* u64 */
	KCS_A_EV_PATH,			/* string, resolved path */
	KCS_A_EV_INVOKED,		/* string, name passed to execve */
	KCS_A_EV_APPLET,		/* string, multi-call applet */
	KCS_A_EV_RULE_KIND,		/* u32, enum kcs_rule_kind */
	KCS_A_EV_RULE,			/* string, pattern text */
	KCS_A_EV_DROPPED,		/* u64, events dropped so far */
	KCS_A_NET_EGRESS_KIND,		/* u32, enum kcs_net_kind */
	KCS_A_NET_EGRESS_RULES,		/* binary, chunked, kcs_net_hdr */
	KCS_A_NET_EGRESS_RULES_TEXT,	/* binary, chunked */
	KCS_A_NET_EGRESS_EXCEPT,	/* binary, chunked, kcs_net_hdr */
	KCS_A_NET_EGRESS_EXCEPT_TEXT,	/* binary, chunked */
	KCS_A_NET_LISTEN_RULES,		/* binary, chunked, kcs_net_hdr */
	KCS_A_NET_LISTEN_RULES_TEXT,	/* binary, chunked */
	KCS_A_NET_FLAGS,		/* u32, KCS_NET_F_* */
	KCS_A_NET_NRULES,		/* u32, egress rules (or allowed) */
	KCS_A_EV_NET_FAMILY,		/* u32, AF_INET or AF_INET6 */
	KCS_A_EV_NET_PROTO,		/* u32, IPPROTO_TCP or IPPROTO_UDP */
	KCS_A_EV_NET_ADDR,		/* binary, 4 or 16 bytes, network order */
	KCS_A_EV_NET_PORT,		/* u32, host order */
	KCS_A_ROOT_PID,			/* u32, BIND: whose root is the container's */
	KCS_A_EXEC_LIBS_DFA,		/* binary, chunked: KCS_EXEC_ALLOW only */
	KCS_A_EXEC_LIBS_TEXT,		/* binary, chunked */
	KCS_A_PROBE_PID,		/* u32, PROBE: the task to watch */
	KCS_A_HOOKS_PROVEN,		/* u32, BIT(enum kcs_hook) proven live */
	KCS_A_PROBE_HOOKS,		/* nest of nests, one per entry point */
	KCS_A_PROBE_TARGET,		/* string, the function hooked */
	KCS_A_PROBE_SIGNATURE,		/* string, its C type, e.g. "int(int)" */
	KCS_A_PROBE_FIRED,		/* u32, 1 when it fired for the task */
	KCS_A_CAPS_BLOCK,		/* u64, BIND: 1ULL << CAP_* blocked */
	KCS_A_EV_CAP,			/* u32, the capability (CAP_*) */
	KCS_A_NSUBSCRIBERS,		/* u32, STATUS: sockets receiving events */
	KCS_A_BIND_MORE,		/* nest of KCS_A_BIND_PROFILE, BIND */
	KCS_A_BIND_PROFILE,		/* nest: KCS_A_PROFILE_NAME, KCS_A_MODE */
	KCS_A_FILE_READ_DFA,		/* binary, chunked: files not to read */
	KCS_A_FILE_READ_TEXT,		/* binary, chunked */
	KCS_A_FILE_WRITE_DFA,		/* binary, chunked: files not to change */
	KCS_A_FILE_WRITE_TEXT,		/* binary, chunked */
	KCS_A_FILE_MONITOR_DFA,		/* binary, chunked: files to report */
	KCS_A_FILE_MONITOR_TEXT,	/* binary, chunked */
	KCS_A_FILE_NRULES,		/* u32, PROFILE_GET: file patterns */
	KCS_A_EV_FILE_OP,		/* u32, enum kcs_file_op */
	KCS_A_EV_FILE_ACCESS,		/* u32, KCS_FILE_ACC_* asked for */
	KCS_A_SYS_RULES,		/* binary, chunked, kcs_sys_hdr */
	KCS_A_SYS_RULES_TEXT,		/* binary, chunked */
	KCS_A_SYS_PROGRAMS,		/* binary, chunked: the programs' DFAs */
	KCS_A_SYS_NRULES,		/* u32, PROFILE_GET: application rules */
	KCS_A_EV_SYSCALL,		/* string, the system call's name */
	KCS_A_EV_SYS_ARGS,		/* binary, 6 x u64 as the call sees them */
	KCS_A_EV_SYS_COMPAT,		/* u32, 1: entered as a 32-bit call */
	KCS_A_FILE_READ_ALLOW_DFA,	/* binary, chunked: files to read */
	KCS_A_FILE_READ_ALLOW_TEXT,	/* binary, chunked */
	KCS_A_FILE_WRITE_ALLOW_DFA,	/* binary, chunked: files to change */
	KCS_A_FILE_WRITE_ALLOW_TEXT,	/* binary, chunked */
	KCS_A_FILE_DEFAULT,		/* u32, enum kcs_sys_action */
	KCS_A_NET_GROUPS,		/* binary, chunked: kcs_net_groups_hdr */
	__KCS_A_MAX
};

#define KCS_A_MAX (__KCS_A_MAX - 1)

enum kcs_exec_kind {
	KCS_EXEC_NONE,		/* profile has no exec rules */
	KCS_EXEC_BLOCK,		/* block RULES except EXCEPT */
	KCS_EXEC_ALLOW,		/* block everything except RULES */
	__KCS_EXEC_KIND_MAX
};

enum kcs_mode {
	KCS_MODE_NONE,
	KCS_MODE_AUDIT,
	KCS_MODE_ENFORCE,
	__KCS_MODE_MAX
};

enum kcs_hook {
	KCS_HOOK_NONE,
	KCS_HOOK_EXEC,
	KCS_HOOK_CONNECT,	/* connect(), and sendto() with MSG_FASTOPEN */
	KCS_HOOK_SENDMSG,	/* sendto()/sendmsg() with an address (UDP) */
	KCS_HOOK_BIND,		/* bind() to a nonzero port */
	KCS_HOOK_LISTEN,	/* listen() */
	KCS_HOOK_MMAP,		/* a file mapped executable: mmap(), mprotect() */
	KCS_HOOK_CAPABLE,	/* a capability used (KCS_A_CAPS_BLOCK) */
	KCS_HOOK_FILE,		/* a file opened, or a name changed */
	KCS_HOOK_SYSCALL,	/* a system call an application rule names */
	__KCS_HOOK_MAX
};

enum kcs_verdict {
	KCS_VERDICT_NONE,
	KCS_VERDICT_ALLOW,	/* audit: would have been denied, ran */
	KCS_VERDICT_DENY,	/* enforce: failed with EPERM */
	__KCS_VERDICT_MAX
};

enum kcs_rule_kind {
	KCS_RULE_NONE,
	KCS_RULE_BLOCK,		/* KCS_A_EV_RULE is the block rule hit */
	KCS_RULE_NOT_ALLOWED,	/* no allowed entry matched */
	KCS_RULE_MONITOR,	/* report only: a listening port (Audit) */
	KCS_RULE_UNDECIDABLE,	/* what would run, or where, cannot be told */
	__KCS_RULE_KIND_MAX
};

enum kcs_stat {
	KCS_STAT_UNSPEC,
	KCS_STAT_PAD,
	KCS_STAT_EXEC_CHECKED,		/* execs of bound tasks evaluated */
	KCS_STAT_EXEC_DENIED,		/* failed with EPERM */
	KCS_STAT_EXEC_AUDITED,		/* would be denied, ran (audit) */
	KCS_STAT_EXEC_ERRORS,		/* path/argv unreadable */
	KCS_STAT_EVENTS_SENT,
	KCS_STAT_EVENTS_NO_LISTENER,	/* not built: nobody listened */
	KCS_STAT_EVENTS_RATELIMITED,	/* dropped by the rate limit */
	KCS_STAT_EVENTS_FAILED,		/* dropped: no memory or buffers */
	KCS_STAT_PROFILE_REPLACES,
	KCS_STAT_HOOK_INFLIGHT,		/* tasks inside a hook right now */
	KCS_STAT_NET_CHECKED,		/* socket operations evaluated */
	KCS_STAT_NET_DENIED,		/* failed with EPERM */
	KCS_STAT_NET_AUDITED,		/* would be denied, went ahead */
	KCS_STAT_NET_LISTEN_REPORTED,	/* listens reported ("monitor") */
	KCS_STAT_CAP_DENIED,		/* capability uses failed with EPERM */
	KCS_STAT_CAP_AUDITED,		/* would be denied, went ahead */
	KCS_STAT_FILE_CHECKED,		/* file operations evaluated */
	KCS_STAT_FILE_DENIED,		/* failed with EACCES */
	KCS_STAT_FILE_AUDITED,		/* would be denied, went ahead */
	KCS_STAT_FILE_REPORTED,		/* accesses reported ("monitor") */
	KCS_STAT_SYS_CHECKED,		/* named system calls evaluated */
	KCS_STAT_SYS_DENIED,		/* failed with EPERM */
	KCS_STAT_SYS_AUDITED,		/* would be denied, went ahead */
	KCS_STAT_SYS_REPORTED,		/* calls reported ("audit" action) */
	KCS_STAT_SYS_IGNORED,		/* events not made: ignored call */
	__KCS_STAT_MAX
};

#define KCS_STAT_MAX (__KCS_STAT_MAX - 1)

#define KCS_DFA_MAGIC		0x4b435344	/* "KCSD" */
#define KCS_DFA_VERSION		2
#define KCS_DFA_NO_STATE	0xffffffffU	/* check[] of an unused slot */

/*
 * A compiled pattern set. Followed, each array 4-byte aligned and in this
 * order, by: __u8 classmap[256]; __u32 accept[nstates];
 * __u32 base[nstates]; __u32 dflt[nstates]; __u32 next[ntrans];
 * __u32 check[ntrans].
 */
struct kcs_dfa_hdr {
	__u32 magic;		/* KCS_DFA_MAGIC */
	__u16 version;		/* KCS_DFA_VERSION */
	__u16 hdr_len;		/* sizeof(struct kcs_dfa_hdr) */
	__u32 nstates;		/* 1..KCS_DFA_MAX_STATES, state 0 is dead */
	__u32 nclasses;		/* byte classes, 1..256 */
	__u32 start;		/* start state, < nstates */
	__u32 ntrans;		/* entries of next[] and check[] */
	__u32 naccept;		/* patterns in the set, <= KCS_MAX_PATTERNS */
	__u32 flags;		/* KCS_DFA_F_*; 0 before program scoping */
};

/*
 * KCS_DFA_F_PROGRAM: the set has program-scoped patterns, which match the
 * string "\0" PROGRAM "\0" PATH (PROGRAM: the name of the acting task's
 * executable from the container's root); unscoped ones match PATH, which
 * starts with '/', so the two never meet. Allowed in the exec rules,
 * exclusions and allow sets and in the file sets; a module that does not
 * know the flag refuses the blob (it was the reserved field, 0).
 */
#define KCS_DFA_F_PROGRAM	0x1U

enum kcs_net_kind {
	KCS_NET_NONE,		/* no egress rules */
	KCS_NET_BLOCK,		/* block RULES except EXCEPT */
	KCS_NET_ALLOW,		/* block everything except RULES */
	__KCS_NET_KIND_MAX
};

/* What a file operation does (KCS_A_EV_FILE_OP). */
enum kcs_file_op {
	KCS_FILE_OP_NONE,
	KCS_FILE_OP_OPEN,	/* open(): access as asked for */
	KCS_FILE_OP_TRUNCATE,	/* truncate() by name */
	KCS_FILE_OP_UNLINK,	/* unlink(), rmdir() */
	KCS_FILE_OP_RENAME_FROM,	/* rename(): the name that goes */
	KCS_FILE_OP_RENAME_TO,	/* rename(): the name that comes */
	KCS_FILE_OP_LINK,	/* link(): the new name */
	KCS_FILE_OP_LINK_FROM,	/* link(): the file linked to */
	KCS_FILE_OP_CREATE,	/* symlink(), mknod(), mkdir() */
	__KCS_FILE_OP_MAX
};

/* File accesses (KCS_A_EV_FILE_ACCESS): a mask. */
#define KCS_FILE_ACC_READ	0x1
#define KCS_FILE_ACC_WRITE	0x2

#define KCS_NET_F_MONITOR_LISTEN	0x1	/* report every listen */
#define KCS_NET_F_ALL			0x1

#define KCS_NET_MAGIC		0x4b43534e	/* "KCSN" */
#define KCS_NET_VERSION		1
#define KCS_NET_MAX_RULES	65536		/* per rule set */
#define KCS_NET_MAX_ENTRIES	(1U << 20)	/* intervals, port entries */
#define KCS_NET_NO_RULE		0xffffffffU
#define KCS_NET_PROTO_TCP	0x1		/* protocol mask bits */
#define KCS_NET_PROTO_UDP	0x2

/*
 * A compiled network rule set: "which rule, if any, covers (address, port,
 * protocol)". Followed, in this order and with nothing trailing, by
 * struct kcs_net_v4 v4[n4], struct kcs_net_v6 v6[n6] and
 * struct kcs_net_port ports[nports]; all in host byte order.
 *  - v4 (v6) intervals are sorted and disjoint: lo <= hi < next.lo, with
 *    IPv6 addresses compared as four u32 words, most significant first.
 *  - Each interval owns ports[first .. first + count - 1], count >= 1;
 *    those entries are sorted and disjoint port ranges (lo <= hi <
 *    next.lo), each naming the lowest-numbered rule (< nrules) that covers
 *    it for TCP and for UDP, or KCS_NET_NO_RULE; not both NO_RULE.
 * The matching *_TEXT blob holds each rule's description, NUL-terminated
 * and at most KCS_TEXT_ENTRY_MAX bytes with the NUL, in rule order:
 * exactly nrules of them. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is
 * looked up as the IPv4 address.
 */
struct kcs_net_hdr {
	__u32 magic;		/* KCS_NET_MAGIC */
	__u16 version;		/* KCS_NET_VERSION */
	__u16 hdr_len;		/* sizeof(struct kcs_net_hdr) */
	__u32 nrules;		/* <= KCS_NET_MAX_RULES */
	__u32 n4;		/* each <= KCS_NET_MAX_ENTRIES */
	__u32 n6;
	__u32 nports;
};

struct kcs_net_v4 {
	__u32 lo, hi;
	__u32 first, count;
};

/*
 * Network rule groups (KCS_A_NET_GROUPS): rules that add to one set of the
 * profile (enum kcs_net_group_set), each group with the program it is
 * limited to. A struct kcs_net_groups_hdr, then ngroups of: struct
 * kcs_net_group, the program's DFA (prog_len bytes, a struct kcs_dfa_hdr
 * blob of one pattern and no flags; prog_len 0: every program), the group's
 * rule set (net_len bytes, a struct kcs_net_hdr blob) and its rule texts
 * (text_len bytes, one NUL-terminated text per rule); each part padded with
 * zeros to a multiple of 8 bytes, nothing trailing.
 */
#define KCS_NETG_MAGIC		0x4b43474e	/* "KCGN" */
#define KCS_NETG_VERSION	1
#define KCS_NETG_MAX		64		/* groups per profile */

enum kcs_net_group_set {
	KCS_NETG_EGRESS,	/* egress block rules, or allow entries */
	KCS_NETG_EGRESS_EXCEPT,	/* egress exclusions (block mode) */
	KCS_NETG_LISTEN_EXCEPT,	/* listen exclusions */
	__KCS_NETG_SET_MAX
};

struct kcs_net_groups_hdr {
	__u32 magic;		/* KCS_NETG_MAGIC */
	__u16 version;		/* KCS_NETG_VERSION */
	__u16 hdr_len;		/* sizeof(struct kcs_net_groups_hdr) */
	__u32 ngroups;		/* 1..KCS_NETG_MAX */
	__u32 reserved;		/* 0 */
};

struct kcs_net_group {
	__u32 set;		/* enum kcs_net_group_set */
	__u32 prog_len;
	__u32 net_len;
	__u32 text_len;
};

struct kcs_net_v6 {
	__u32 lo[4], hi[4];
	__u32 first, count;
};

struct kcs_net_port {
	__u16 lo, hi;
	__u32 rule_tcp;		/* rule index or KCS_NET_NO_RULE */
	__u32 rule_udp;
};

/*
 * Application rules: a compiled rule set. Followed, in this order and with
 * nothing trailing, by struct kcs_sys_name names[nnames] (sorted by name,
 * strictly ascending) and struct kcs_sys_rule rules[nrules]; each name
 * owns rules[first .. first + count - 1], the names' ranges in name order
 * tile the rules exactly. KCS_A_SYS_PROGRAMS holds nprograms DFAs (struct
 * kcs_dfa_hdr blobs of one pattern, no flags), each preceded by its
 * length as a __u32, a multiple of 4.
 */
#define KCS_SYS_MAGIC		0x4b435359	/* "KCSY" */
#define KCS_SYS_VERSION		1
#define KCS_SYS_NAME_MAX	32	/* with the NUL */
#define KCS_SYS_MAX_NAMES	64	/* per profile */
#define KCS_SYS_MAX_RULES	4096	/* per profile */
#define KCS_SYS_MAX_ARGS	3	/* conditions per rule */
#define KCS_SYS_NO_PROGRAM	0xffffffffU	/* a rule for every program */

enum kcs_sys_action {
	KCS_SYS_ALLOW,
	KCS_SYS_DENY,		/* EPERM under Enforce, an event */
	KCS_SYS_AUDIT,		/* an event (KCS_RULE_MONITOR), in any mode */
	__KCS_SYS_ACTION_MAX
};

/*
 * Argument conditions: the argument as the call sees it (narrowed to its
 * type, sign-extended when the type is signed) against value. LT..GE
 * compare signed for a signed type; the MASK ops test value's bits.
 */
enum kcs_sys_op {
	KCS_SYS_OP_EQ,
	KCS_SYS_OP_NE,
	KCS_SYS_OP_LT,
	KCS_SYS_OP_LE,
	KCS_SYS_OP_GT,
	KCS_SYS_OP_GE,
	KCS_SYS_OP_MASK_ALL,	/* (arg & value) == value */
	KCS_SYS_OP_MASK_ANY,	/* (arg & value) != 0 */
	KCS_SYS_OP_MASK_NONE,	/* (arg & value) == 0 */
	__KCS_SYS_OP_MAX
};

#define KCS_SYS_N_IGNORE	0x1	/* no events for this call */
#define KCS_SYS_N_GUARD		0x2	/* io_uring: undecidable, no rules */
#define KCS_SYS_N_ALL		0x3

struct kcs_sys_hdr {
	__u32 magic;		/* KCS_SYS_MAGIC */
	__u16 version;		/* KCS_SYS_VERSION */
	__u16 hdr_len;		/* sizeof(struct kcs_sys_hdr) */
	__u32 nnames;		/* 1..KCS_SYS_MAX_NAMES */
	__u32 nrules;		/* <= KCS_SYS_MAX_RULES */
	__u32 nprograms;	/* <= nrules */
	__u32 dflt;		/* enum kcs_sys_action: when no rule matches */
};

struct kcs_sys_name {
	char name[KCS_SYS_NAME_MAX];	/* [a-z0-9_], NUL-padded */
	__u32 nr;		/* its x86-64 system call number */
	__u32 first;		/* its rules */
	__u32 count;
	__u32 flags;		/* KCS_SYS_N_* */
};

struct kcs_sys_arg {
	__u32 index;		/* 0..5 */
	__u32 op;		/* enum kcs_sys_op */
	__u64 value;
};

struct kcs_sys_rule {
	__u32 action;		/* enum kcs_sys_action */
	__u32 program;		/* < nprograms, or KCS_SYS_NO_PROGRAM */
	__u32 nargs;		/* <= KCS_SYS_MAX_ARGS */
	__u32 pad;		/* 0 */
	struct kcs_sys_arg args[KCS_SYS_MAX_ARGS];
};

#endif /* _UAPI_LINUX_KCS_H */
