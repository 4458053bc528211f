// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>

#include "caps.h"
#include "event_fields.h"
#include "event_out.h"
#include "names.h"

const char *event_proto_name(uint32_t p)
{
	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 33: return "dccp";
	case 58: return "icmpv6";
	case 132: return "sctp";
	case 136: return "udplite";
	case 255: return "raw";
	case 262: return "mptcp";
	default: return "unknown";
	}
}

const char *event_direction(uint32_t hook)
{
	return hook == KCS_HOOK_INGRESS ? "ingress" :
	       hook == KCS_HOOK_BIND || hook == KCS_HOOK_LISTEN ? "listen" :
	       "egress";
}

void event_sys_args(const struct kcs_event *ev, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < 6 && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s0x%" PRIx64,
					i ? "," : "", ev->sys_args[i]);
}

const char *event_cap_name(uint32_t cap, char *buf, size_t len)
{
	const char *name = cap < KCS_CAP_COUNT ? kcs_cap_name((int)cap) : NULL;

	if (name)
		return name;
	snprintf(buf, len, "%" PRIu32, cap);
	return buf;
}

static void num(event_field_fn fn, void *arg, const char *name, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	fn(name, buf, 0, arg);
}

static void str(event_field_fn fn, void *arg, const char *name, const char *v)
{
	if (v)
		fn(name, v, 1, arg);
}

/* In the order of monitor's JSON object (docs/kcsadm.md). */
void event_fields(const struct kcs_event *ev, event_field_fn fn, void *arg)
{
	int task = ev->src == KCS_EV_SRC_KERNEL;
	char when[64], cap[16];

	if (task)
		num(fn, arg, "seq", ev->seq);
	event_fmt_time(ev->time_ns, when, sizeof(when));
	fn("time", when, 0, arg);
	fn("hook", kcs_hook_name(ev->hook), 0, arg);
	fn("verdict", kcs_verdict_name(ev->verdict), 0, arg);
	fn("mode", kcs_mode_name(ev->mode), 0, arg);
	if (task) {
		num(fn, arg, "pid", ev->pid);
		num(fn, arg, "tgid", ev->tgid);
		num(fn, arg, "ppid", ev->ppid);
		num(fn, arg, "uid", ev->uid);
		str(fn, arg, "comm", ev->comm);
		num(fn, arg, "cgroup_id", ev->cgroup_id);
	}
	num(fn, arg, "bound_cgroup_id", ev->bound_cgroup_id);
	if (ev->family) {
		fn("direction", event_direction(ev->hook), 0, arg);
		fn("family", ev->family == 10 ? "ipv6" : "ipv4", 0, arg);
		fn("protocol", event_proto_name(ev->proto), 0, arg);
		fn("addr", ev->addr, 0, arg);
		num(fn, arg, "port", ev->port);
		if (ev->hook == KCS_HOOK_INGRESS) {
			fn("local_addr", ev->laddr, 0, arg);
			num(fn, arg, "local_port", ev->lport);
		}
	} else if (ev->has_cap) {
		fn("capability", event_cap_name(ev->cap, cap, sizeof(cap)), 0, arg);
	} else if (ev->hook == KCS_HOOK_SYSCALL) {
		char args[6 * 20];

		event_sys_args(ev, args, sizeof(args));
		str(fn, arg, "syscall", ev->syscall);
		fn("abi", ev->sys_compat ? "32" : "64", 0, arg);
		fn("args", args, 0, arg);
	} else if (ev->hook == KCS_HOOK_FILE) {
		str(fn, arg, "path", ev->path);
		fn("operation", kcs_file_op_name(ev->file_op), 0, arg);
		fn("access", kcs_file_access_name(ev->file_access), 0, arg);
	} else {
		str(fn, arg, "path", ev->path);
		str(fn, arg, "invoked", ev->invoked);
		str(fn, arg, "applet", ev->applet);
	}
	str(fn, arg, "profile", ev->profile);
	fn("rule_kind", kcs_rule_kind_name(ev->rule_kind), 0, arg);
	str(fn, arg, "rule", ev->rule);
	if (task)
		num(fn, arg, "kernel_dropped_total", ev->dropped);
}
