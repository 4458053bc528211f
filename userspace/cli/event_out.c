// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "event_fields.h"
#include "event_out.h"
#include "names.h"

void event_fmt_time(uint64_t ns, char *buf, size_t len)
{
	time_t s = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	size_t n;

	gmtime_r(&s, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%09" PRIu64 "Z", (uint64_t)(ns % 1000000000U));
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
static json_t *num_or_null(int known, uint64_t v)
{
	return known ? json_integer((json_int_t)v) : json_null();
}

/*
 * One JSON object for every kind of event: the task and verdict fields
 * first, then those of the hook (path for exec, addresses for the socket
 * hooks and ingress), then the rule. Fields the source cannot know (an
 * ingress packet has no task, the module did not number it) are null.
 */
static int out_event_json(FILE *f, const struct kcs_event *ev, const char *when)
{
	int task = ev->src == KCS_EV_SRC_KERNEL;
	json_t *j = json_object();
	char capbuf[16];

	if (!j)
		return KCS_EXIT_FAILED;
#define SET(k, v) json_object_set_new(j, k, v)
	SET("type", json_string("event"));
	SET("seq", num_or_null(task, ev->seq));
	SET("time", json_string(when));
	SET("time_ns", json_integer((json_int_t)ev->time_ns));
	SET("hook", json_string(kcs_hook_name(ev->hook)));
	SET("verdict", json_string(kcs_verdict_name(ev->verdict)));
	SET("mode", json_string(kcs_mode_name(ev->mode)));
	SET("pid", num_or_null(task, ev->pid));
	SET("tgid", num_or_null(task, ev->tgid));
	SET("ppid", num_or_null(task, ev->ppid));
	SET("uid", num_or_null(task, ev->uid));
	SET("comm", task ? out_jstr(ev->comm) : json_null());
	SET("cgroup_id", num_or_null(task, ev->cgroup_id));
	SET("bound_cgroup_id", json_integer((json_int_t)ev->bound_cgroup_id));
	if (ev->family) {
		SET("direction", json_string(event_direction(ev->hook)));
		SET("family", json_string(ev->family == 10 ? "ipv6" : "ipv4"));
		SET("protocol", json_string(event_proto_name(ev->proto)));
		SET("addr", json_string(ev->addr));
		SET("port", json_integer(ev->port));
		if (ev->hook == KCS_HOOK_INGRESS) {
			SET("local_addr", json_string(ev->laddr));
			SET("local_port", json_integer(ev->lport));
		}
	} else if (ev->has_cap) {
		SET("capability",
		    json_string(event_cap_name(ev->cap, capbuf, sizeof(capbuf))));
	} else if (ev->hook == KCS_HOOK_SYSCALL) {
		char args[6 * 20];

		event_sys_args(ev, args, sizeof(args));
		SET("syscall", out_jstr(ev->syscall));
		SET("abi", json_string(ev->sys_compat ? "32" : "64"));
		SET("args", json_string(args));
	} else if (ev->hook == KCS_HOOK_FILE) {
		SET("path", out_jstr(ev->path));
		SET("operation", json_string(kcs_file_op_name(ev->file_op)));
		SET("access", json_string(kcs_file_access_name(ev->file_access)));
	} else {
		SET("path", out_jstr(ev->path));
		SET("invoked", out_jstr(ev->invoked));
		SET("applet", out_jstr(ev->applet));
	}
	SET("profile", out_jstr(ev->profile));
	SET("rule_kind", json_string(kcs_rule_kind_name(ev->rule_kind)));
	SET("rule", out_jstr(ev->rule));
	SET("kernel_dropped_total", num_or_null(task, ev->dropped));
#undef SET
	return dump_line(f, j);
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
