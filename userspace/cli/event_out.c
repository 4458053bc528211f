// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "event_fields.h"
#include "event_out.h"
#include "json_line.h"
#include "names.h"

/*
 * "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ". gmtime_r() and strftime() cost more
 * than the rest of an event line: the seconds are formatted once per
 * second (a flood's events share them), the nanoseconds by hand.
 */
void event_fmt_time(uint64_t ns, char *buf, size_t len)
{
	static __thread char secs[32];
	static __thread time_t last = -1;
	static __thread size_t n;
	time_t s = (time_t)(ns / 1000000000ULL);
	uint32_t frac = (uint32_t)(ns % 1000000000U);
	char tail[12];
	int i;

	if (s != last) {
		struct tm tm;

		gmtime_r(&s, &tm);
		n = strftime(secs, sizeof(secs), "%Y-%m-%dT%H:%M:%S", &tm);
		last = s;
	}
	tail[0] = '.';
	for (i = 9; i >= 1; i--) {
		tail[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	tail[10] = 'Z';
	tail[11] = '\0';
	if (n + sizeof(tail) <= len) {
		memcpy(buf, secs, n);
		memcpy(buf + n, tail, sizeof(tail));
	} else {
		snprintf(buf, len, "%.*s%s", (int)n, secs, tail);
	}
}

static int dump_line(FILE *f, json_t *j)
{
	int ret = 0;

	if (!j)
		return KCS_EXIT_FAILED;
	if (json_dumpf(j, f, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0 ||
	    fputc('\n', f) == EOF)
		ret = KCS_EXIT_FAILED;
	json_decref(j);
	return ret;
}

int event_out_overrun(FILE *f, int json)
{
	/* The next event's seq says how many were lost. */
	if (json)
		return dump_line(f, json_pack("{s:s}", "type", "overrun"));
	return fprintf(f, "# receive buffer overrun: events lost\n") < 0 ?
	       KCS_EXIT_FAILED : 0;
}

int event_out_gap(FILE *f, int json, const struct kcs_gap *g)
{
	if (json && g->restarted)
		return dump_line(f, json_pack("{s:s}", "type", "restart"));
	if (json)
		return dump_line(f, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}",
			"type", "gap", "lost", (json_int_t)g->lost,
			"first_seq", (json_int_t)g->first,
			"last_seq", (json_int_t)(g->first + g->lost - 1),
			"kernel_dropped", (json_int_t)g->dropped,
			"kernel_dropped_total", (json_int_t)g->dropped_total));
	if (g->restarted)
		fprintf(f, "# event sequence restarted (kcs module reloaded)\n");
	else
		fprintf(f, "# lost %" PRIu64 " events (seq %" PRIu64 "..%" PRIu64
			"); kcs counted %" PRIu64 " drops meanwhile (total %" PRIu64 ")\n",
			g->lost, g->first, g->first + g->lost - 1, g->dropped,
			g->dropped_total);
	return ferror(f) ? KCS_EXIT_FAILED : 0;
}

int event_out_nflog_loss(FILE *f, int json, const char *netns,
			 uint64_t lost)
{
	if (json && !lost)
		return dump_line(f, json_pack("{s:s,s:s,s:o}", "type", "overrun",
					      "source", "nflog", "netns",
					      out_jstr(netns)));
	if (json)
		return dump_line(f, json_pack("{s:s,s:s,s:o,s:I}", "type", "gap",
					      "source", "nflog", "netns",
					      out_jstr(netns), "lost",
					      (json_int_t)lost));
	if (lost)
		fprintf(f, "# lost %" PRIu64 " ingress events (nflog, netns ", lost);
	else
		fprintf(f, "# receive buffer overrun: ingress events lost (nflog, netns ");
	out_text_str(f, netns);
	fprintf(f, ")\n");
	return ferror(f) ? KCS_EXIT_FAILED : 0;
}

/* A number, or null when the event's source does not know it. */
static void num_or_null(struct json_line *j, const char *key, int known,
			uint64_t v)
{
	if (known)
		jl_int(j, key, (int64_t)v);
	else
		jl_null(j, key);
}

/*
 * One JSON object for every kind of event: the task and verdict fields
 * first, then those of the hook (path for exec, addresses for the socket
 * hooks and ingress), then the rule. Fields the source cannot know (an
 * ingress packet has no task, the module did not number it) are null.
 * Written field by field (json_line.c): the monitor's hot path.
 */
static int out_event_json(FILE *f, const struct kcs_event *ev, const char *when)
{
	int task = ev->src == KCS_EV_SRC_KERNEL;
	struct json_line j;
	char capbuf[16];

	jl_begin(&j, f);
	jl_str(&j, "type", "event");
	num_or_null(&j, "seq", task, ev->seq);
	jl_str(&j, "time", when);
	jl_int(&j, "time_ns", (int64_t)ev->time_ns);
	jl_str(&j, "hook", kcs_hook_name(ev->hook));
	jl_str(&j, "verdict", kcs_verdict_name(ev->verdict));
	jl_str(&j, "mode", kcs_mode_name(ev->mode));
	num_or_null(&j, "pid", task, ev->pid);
	num_or_null(&j, "tgid", task, ev->tgid);
	num_or_null(&j, "ppid", task, ev->ppid);
	num_or_null(&j, "uid", task, ev->uid);
	jl_str(&j, "comm", task ? ev->comm : NULL);
	num_or_null(&j, "cgroup_id", task, ev->cgroup_id);
	jl_int(&j, "bound_cgroup_id", (int64_t)ev->bound_cgroup_id);
	if (ev->family) {
		jl_str(&j, "direction", event_direction(ev->hook));
		jl_str(&j, "family", ev->family == 10 ? "ipv6" : "ipv4");
		jl_str(&j, "protocol", event_proto_name(ev->proto));
		jl_str(&j, "addr", ev->addr);
		jl_int(&j, "port", ev->port);
		if (ev->hook == KCS_HOOK_INGRESS) {
			jl_str(&j, "local_addr", ev->laddr);
			jl_int(&j, "local_port", ev->lport);
		}
	} else if (ev->has_cap) {
		jl_str(&j, "capability",
		       event_cap_name(ev->cap, capbuf, sizeof(capbuf)));
	} else if (ev->hook == KCS_HOOK_SYSCALL) {
		char args[6 * 20];

		event_sys_args(ev, args, sizeof(args));
		jl_str(&j, "syscall", ev->syscall);
		jl_str(&j, "abi", ev->sys_compat ? "32" : "64");
		jl_str(&j, "args", args);
	} else if (ev->hook == KCS_HOOK_FILE) {
		jl_str(&j, "path", ev->path);
		jl_str(&j, "operation", kcs_file_op_name(ev->file_op));
		jl_str(&j, "access", kcs_file_access_name(ev->file_access));
	} else {
		jl_str(&j, "path", ev->path);
		jl_str(&j, "invoked", ev->invoked);
		jl_str(&j, "applet", ev->applet);
	}
	jl_str(&j, "profile", ev->profile);
	jl_str(&j, "rule_kind", kcs_rule_kind_name(ev->rule_kind));
	jl_str(&j, "rule", ev->rule);
	num_or_null(&j, "kernel_dropped_total", task, ev->dropped);
	return jl_end(&j);
}

/* "key=value" with untrusted values quoted and escaped by out_text_str,
 * so a hostile file name cannot forge fields or lines. */
static void kv(FILE *f, const char *key, const char *val)
{
	fprintf(f, " %s=", key);
	out_text_str(f, val);
}

/* An ingress event: no task, no seq (nftables decided, in softirq). */
static int out_ingress_text(FILE *f, const struct kcs_event *ev,
			    const char *when)
{
	int v6 = ev->family == 10;

	fprintf(f, "%s %s %s pid=- tgid=- ppid=- uid=- comm=- hook=%s"
		" src=%s%s%s:%" PRIu32 " local=%s%s%s:%" PRIu32 " protocol=%s",
		when, kcs_verdict_name(ev->verdict), kcs_mode_name(ev->mode),
		kcs_hook_name(ev->hook), v6 ? "[" : "", ev->addr, v6 ? "]" : "",
		ev->port, v6 ? "[" : "", ev->laddr, v6 ? "]" : "", ev->lport,
		event_proto_name(ev->proto));
	kv(f, "profile", ev->profile);
	fprintf(f, " rule_kind=%s", kcs_rule_kind_name(ev->rule_kind));
	if (ev->rule)
		kv(f, "rule", ev->rule);
	fprintf(f, " cgroup=- bound=%" PRIu64 " seq=-\n", ev->bound_cgroup_id);
	return ferror(f) ? KCS_EXIT_FAILED : 0;
}

int event_out(FILE *f, int json, const struct kcs_event *ev)
{
	char when[64], capbuf[16];

	event_fmt_time(ev->time_ns, when, sizeof(when));
	if (json)
		return out_event_json(f, ev, when);
	if (ev->src != KCS_EV_SRC_KERNEL)
		return out_ingress_text(f, ev, when);
	fprintf(f, "%s %s %s pid=%" PRIu32 " tgid=%" PRIu32 " ppid=%" PRIu32
		" uid=%" PRIu32, when, kcs_verdict_name(ev->verdict),
		kcs_mode_name(ev->mode), ev->pid, ev->tgid, ev->ppid, ev->uid);
	kv(f, "comm", ev->comm);
	if (ev->family) {
		fprintf(f, " hook=%s %s=%s%s%s:%" PRIu32 " protocol=%s",
			kcs_hook_name(ev->hook),
			ev->hook == KCS_HOOK_BIND || ev->hook == KCS_HOOK_LISTEN ?
			"local" : "dest", ev->family == 10 ? "[" : "", ev->addr,
			ev->family == 10 ? "]" : "", ev->port,
			event_proto_name(ev->proto));
	} else if (ev->has_cap) {
		fprintf(f, " hook=%s capability=%s", kcs_hook_name(ev->hook),
			event_cap_name(ev->cap, capbuf, sizeof(capbuf)));
	} else if (ev->hook == KCS_HOOK_SYSCALL) {
		char args[6 * 20];

		event_sys_args(ev, args, sizeof(args));
		fprintf(f, " hook=syscall");
		kv(f, "syscall", ev->syscall);
		fprintf(f, " abi=%s args=%s", ev->sys_compat ? "32" : "64", args);
	} else if (ev->hook == KCS_HOOK_FILE) {
		fprintf(f, " hook=file operation=%s access=%s",
			kcs_file_op_name(ev->file_op),
			kcs_file_access_name(ev->file_access));
		kv(f, "path", ev->path);
	} else {
		kv(f, "path", ev->path);
		if (ev->applet)
			kv(f, "applet", ev->applet);
		kv(f, "invoked", ev->invoked);
	}
	kv(f, "profile", ev->profile);
	fprintf(f, " rule_kind=%s", kcs_rule_kind_name(ev->rule_kind));
	if (ev->rule)
		kv(f, "rule", ev->rule);
	fprintf(f, " cgroup=%" PRIu64 " bound=%" PRIu64 " seq=%" PRIu64 "\n",
		ev->cgroup_id, ev->bound_cgroup_id, ev->seq);
	return ferror(f) ? KCS_EXIT_FAILED : 0;
}
