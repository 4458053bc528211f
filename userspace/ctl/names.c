// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>
#include <linux/kcs.h>

#include "names.h"

#define NAME_OF(tbl, v) \
	((v) < sizeof(tbl) / sizeof((tbl)[0]) && (tbl)[v] ? (tbl)[v] : "unknown")

/*
 * Designated initializers keep each name next to its constant, so a
 * reordered enum cannot silently shift the names.
 */
static const char *const exec_kinds[] = {
	[KCS_EXEC_NONE] = "none",
	[KCS_EXEC_BLOCK] = "block",
	[KCS_EXEC_ALLOW] = "allow",
};

static const char *const modes[] = {
	[KCS_MODE_NONE] = "none",
	[KCS_MODE_AUDIT] = "audit",
	[KCS_MODE_ENFORCE] = "enforce",
};

static const char *const verdicts[] = {
	[KCS_VERDICT_NONE] = "none",
	[KCS_VERDICT_ALLOW] = "allow",
	[KCS_VERDICT_DENY] = "deny",
};

static const char *const hooks[] = {
	[KCS_HOOK_NONE] = "none",
	[KCS_HOOK_EXEC] = "exec",
	[KCS_HOOK_CONNECT] = "connect",
	[KCS_HOOK_SENDMSG] = "sendmsg",
	[KCS_HOOK_BIND] = "bind",
	[KCS_HOOK_LISTEN] = "listen",
	[KCS_HOOK_MMAP] = "mmap",
	[KCS_HOOK_CAPABLE] = "capable",
	[KCS_HOOK_FILE] = "file",
	[KCS_HOOK_SYSCALL] = "syscall",
};

static const char *const file_ops[] = {
	[KCS_FILE_OP_NONE] = "none",
	[KCS_FILE_OP_OPEN] = "open",
	[KCS_FILE_OP_TRUNCATE] = "truncate",
	[KCS_FILE_OP_UNLINK] = "unlink",
	[KCS_FILE_OP_RENAME_FROM] = "rename-from",
	[KCS_FILE_OP_RENAME_TO] = "rename-to",
	[KCS_FILE_OP_LINK] = "link",
	[KCS_FILE_OP_LINK_FROM] = "link-from",
	[KCS_FILE_OP_CREATE] = "create",
};

static const char *const rule_kinds[] = {
	[KCS_RULE_NONE] = "none",
	[KCS_RULE_BLOCK] = "block",
	[KCS_RULE_NOT_ALLOWED] = "not-allowed",
	[KCS_RULE_MONITOR] = "monitor",
	[KCS_RULE_UNDECIDABLE] = "undecidable",
};

static const char *const stats[] = {
	[KCS_STAT_EXEC_CHECKED] = "exec_checked",
	[KCS_STAT_EXEC_DENIED] = "exec_denied",
	[KCS_STAT_EXEC_AUDITED] = "exec_audited",
	[KCS_STAT_EXEC_ERRORS] = "exec_errors",
	[KCS_STAT_EVENTS_SENT] = "events_sent",
	[KCS_STAT_EVENTS_NO_LISTENER] = "events_no_listener",
	[KCS_STAT_EVENTS_RATELIMITED] = "events_ratelimited",
	[KCS_STAT_EVENTS_FAILED] = "events_failed",
	[KCS_STAT_PROFILE_REPLACES] = "profile_replaces",
	[KCS_STAT_HOOK_INFLIGHT] = "hook_inflight",
	[KCS_STAT_NET_CHECKED] = "net_checked",
	[KCS_STAT_NET_DENIED] = "net_denied",
	[KCS_STAT_NET_AUDITED] = "net_audited",
	[KCS_STAT_NET_LISTEN_REPORTED] = "net_listen_reported",
	[KCS_STAT_CAP_DENIED] = "cap_denied",
	[KCS_STAT_CAP_AUDITED] = "cap_audited",
	[KCS_STAT_FILE_CHECKED] = "file_checked",
	[KCS_STAT_FILE_DENIED] = "file_denied",
	[KCS_STAT_FILE_AUDITED] = "file_audited",
	[KCS_STAT_FILE_REPORTED] = "file_reported",
	[KCS_STAT_SYS_CHECKED] = "syscall_checked",
	[KCS_STAT_SYS_DENIED] = "syscall_denied",
	[KCS_STAT_SYS_AUDITED] = "syscall_audited",
	[KCS_STAT_SYS_REPORTED] = "syscall_reported",
	[KCS_STAT_SYS_IGNORED] = "syscall_events_ignored",
};

/* A new kcs_stat without a name here fails the build, not the output. */
_Static_assert(sizeof(stats) / sizeof(stats[0]) == __KCS_STAT_MAX,
	       "every enum kcs_stat needs a name");

const char *kcs_exec_kind_name(unsigned int v) { return NAME_OF(exec_kinds, v); }
const char *kcs_mode_name(unsigned int v) { return NAME_OF(modes, v); }
const char *kcs_verdict_name(unsigned int v) { return NAME_OF(verdicts, v); }
const char *kcs_hook_name(unsigned int v)
{
	return v == KCS_HOOK_INGRESS ? "ingress" : NAME_OF(hooks, v);
}
const char *kcs_rule_kind_name(unsigned int v) { return NAME_OF(rule_kinds, v); }
const char *kcs_file_op_name(unsigned int v) { return NAME_OF(file_ops, v); }

const char *kcs_file_access_name(unsigned int acc)
{
	static const char *const names[] = { "none", "read", "write", "read,write" };

	return names[acc & 3];
}

const char *kcs_stat_name(unsigned int v)
{
	return v < __KCS_STAT_MAX ? stats[v] : NULL;
}

int kcs_mode_parse(const char *s)
{
	if (!strcmp(s, "audit"))
		return KCS_MODE_AUDIT;
	if (!strcmp(s, "enforce"))
		return KCS_MODE_ENFORCE;
	return -1;
}
