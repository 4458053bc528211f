// SPDX-License-Identifier: GPL-2.0
/*
 * Counters are kcs_<stat>_total (the module's stats only grow until it
 * is reloaded, which Prometheus sees as a counter reset); what can go
 * down is a gauge. Each family once, with HELP and TYPE, as the text
 * format requires.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"
#include "names.h"

/* Said in HELP; the table of docs/kcsadm.md (kcsadm status) in short. */
static const char *const stat_help[] = {
	[KCS_STAT_EXEC_CHECKED] = "Execs of bound tasks evaluated.",
	[KCS_STAT_EXEC_DENIED] = "Execs denied (enforce).",
	[KCS_STAT_EXEC_AUDITED] = "Execs that would have been denied (audit).",
	[KCS_STAT_EXEC_ERRORS] = "Execs whose path or argv could not be read.",
	[KCS_STAT_EVENTS_SENT] = "Events delivered to listeners.",
	[KCS_STAT_EVENTS_NO_LISTENER] = "Events not built for lack of a listener.",
	[KCS_STAT_EVENTS_RATELIMITED] = "Events dropped by a rate limit.",
	[KCS_STAT_EVENTS_FAILED] = "Events dropped for lack of memory or buffer space.",
	[KCS_STAT_PROFILE_REPLACES] = "Profile replacements.",
	[KCS_STAT_HOOK_INFLIGHT] = "Tasks inside a kcs hook right now.",
	[KCS_STAT_NET_CHECKED] = "Socket operations of bound tasks evaluated.",
	[KCS_STAT_NET_DENIED] = "Socket operations denied (enforce).",
	[KCS_STAT_NET_AUDITED] = "Socket operations that would have been denied (audit).",
	[KCS_STAT_NET_LISTEN_REPORTED] = "Listening sockets reported by monitor rules.",
	[KCS_STAT_CAP_DENIED] = "Capability uses denied (enforce).",
	[KCS_STAT_CAP_AUDITED] = "Capability uses that would have been denied (audit).",
	[KCS_STAT_FILE_CHECKED] = "File operations of bound tasks evaluated.",
	[KCS_STAT_FILE_DENIED] = "File operations denied (enforce).",
	[KCS_STAT_FILE_AUDITED] = "File operations that would have been denied (audit).",
	[KCS_STAT_FILE_REPORTED] = "File accesses reported by monitor rules.",
	[KCS_STAT_SYS_CHECKED] = "Calls of named system calls by bound tasks evaluated.",
	[KCS_STAT_SYS_DENIED] = "Named system calls that failed with EPERM.",
	[KCS_STAT_SYS_AUDITED] = "Named system calls that would have been denied (Audit).",
	[KCS_STAT_SYS_REPORTED] = "Named system calls reported by audit rules.",
	[KCS_STAT_SYS_IGNORED] = "Events not made because their system call is ignored.",
};

/* A new kcs_stat without a HELP here fails the build. */
_Static_assert(sizeof(stat_help) / sizeof(stat_help[0]) == __KCS_STAT_MAX,
	       "every enum kcs_stat needs a HELP text");

void metrics_label_value(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(f, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

static void family(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void gauge(FILE *f, const char *name, const char *help, uint64_t v)
{
	family(f, name, "gauge", help);
	fprintf(f, "%s %" PRIu64 "\n", name, v);
}

static void stat_metric(FILE *f, uint16_t type, uint64_t v)
{
	const char *name = kcs_stat_name(type);
	const char *help = type < __KCS_STAT_MAX && stat_help[type] ?
			   stat_help[type] : "A statistic of a newer kcs module.";
	char metric[96];

	/* A newer module's stat: by number, as kcsadm status shows it. */
	if (name)
		snprintf(metric, sizeof(metric), "kcs_%s", name);
	else
		snprintf(metric, sizeof(metric), "kcs_stat_%u", type);
	if (type == KCS_STAT_HOOK_INFLIGHT) {
		gauge(f, metric, help, v);
		return;
	}
	snprintf(metric + strlen(metric), sizeof(metric) - strlen(metric),
		 "_total");
	family(f, metric, "counter", help);
	fprintf(f, "%s %" PRIu64 "\n", metric, v);
}

int metrics_fmt(FILE *f, const struct kcs_status *st,
		const struct kcs_binding *b, size_t nb)
{
	unsigned int k;
	size_t i;

	for (i = 0; i < st->nstats; i++)
		stat_metric(f, st->stats[i].type, st->stats[i].value);
	gauge(f, "kcs_profiles", "Profiles loaded in the module.", st->nprofiles);
	gauge(f, "kcs_bindings", "Cgroups bound to a profile.", st->nbindings);
	gauge(f, "kcs_event_subscribers", "Sockets receiving events.",
	      st->nsubscribers);
	gauge(f, "kcs_abi_version", "The module's protocol version.",
	      st->abi_version);
	family(f, "kcs_hook_proven", "gauge",
	       "1 when kcsadm load has seen the hook kind fire.");
	for (k = KCS_HOOK_EXEC; k < __KCS_HOOK_MAX; k++)
		fprintf(f, "kcs_hook_proven{hook=\"%s\"} %d\n", kcs_hook_name(k),
			!!(st->hooks_proven & (1U << k)));
	family(f, "kcs_binding_info", "gauge",
	       "One per profile of a binding: its cgroup, profile and mode.");
	for (i = 0; i < nb; i++)
		for (k = 0; k < b[i].profiles.n; k++) {
			fprintf(f, "kcs_binding_info{cgroup_id=\"%" PRIu64 "\",profile=\"",
				b[i].cgroup_id);
			metrics_label_value(f, b[i].profiles.name[k]);
			fprintf(f, "\",mode=\"%s\"} 1\n",
				kcs_mode_name(b[i].profiles.mode[k]));
		}
	return ferror(f) ? KCS_EXIT_FAILED : 0;
}
