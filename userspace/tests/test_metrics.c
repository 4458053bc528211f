// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm metrics' output without a kernel: the exact text for a status
 * and bindings, and its validity as Prometheus' text format (metric
 * names, label escaping, one HELP and TYPE per family).
 */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metrics.h"
#include "names.h"
#include "tap.h"

static char *capture(const struct kcs_status *st, const struct kcs_binding *b,
		     size_t nb)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (metrics_fmt(f, st, b, nb))
		tap_diag("metrics_fmt failed");
	fclose(f);
	return buf;
}

static const char want[] =
	"# HELP kcs_exec_checked_total Execs of bound tasks evaluated.\n"
	"# TYPE kcs_exec_checked_total counter\n"
	"kcs_exec_checked_total 1042\n"
	"# HELP kcs_exec_denied_total Execs denied (enforce).\n"
	"# TYPE kcs_exec_denied_total counter\n"
	"kcs_exec_denied_total 3\n"
	"# HELP kcs_hook_inflight Tasks inside a kcs hook right now.\n"
	"# TYPE kcs_hook_inflight gauge\n"
	"kcs_hook_inflight 2\n"
	"# HELP kcs_stat_99_total A statistic of a newer kcs module.\n"
	"# TYPE kcs_stat_99_total counter\n"
	"kcs_stat_99_total 18446744073709551615\n"
	"# HELP kcs_profiles Profiles loaded in the module.\n"
	"# TYPE kcs_profiles gauge\n"
	"kcs_profiles 2\n"
	"# HELP kcs_bindings Cgroups bound to a profile.\n"
	"# TYPE kcs_bindings gauge\n"
	"kcs_bindings 2\n"
	"# HELP kcs_event_subscribers Sockets receiving events.\n"
	"# TYPE kcs_event_subscribers gauge\n"
	"kcs_event_subscribers 1\n"
	"# HELP kcs_abi_version The module's protocol version.\n"
	"# TYPE kcs_abi_version gauge\n"
	"kcs_abi_version 2\n"
	"# HELP kcs_hook_proven 1 when kcsadm load has seen the hook kind fire.\n"
	"# TYPE kcs_hook_proven gauge\n"
	"kcs_hook_proven{hook=\"exec\"} 1\n"
	"kcs_hook_proven{hook=\"connect\"} 0\n"
	"kcs_hook_proven{hook=\"sendmsg\"} 0\n"
	"kcs_hook_proven{hook=\"bind\"} 0\n"
	"kcs_hook_proven{hook=\"listen\"} 0\n"
	"kcs_hook_proven{hook=\"mmap\"} 0\n"
	"kcs_hook_proven{hook=\"capable\"} 1\n"
	"kcs_hook_proven{hook=\"file\"} 0\n"
	"kcs_hook_proven{hook=\"syscall\"} 0\n"
	"# HELP kcs_binding_info One per profile of a binding: its cgroup, profile and mode.\n"
	"# TYPE kcs_binding_info gauge\n"
	"kcs_binding_info{cgroup_id=\"4200\",profile=\"web\",mode=\"enforce\"} 1\n"
	"kcs_binding_info{cgroup_id=\"4200\",profile=\"watch\",mode=\"audit\"} 1\n"
	"kcs_binding_info{cgroup_id=\"77\",profile=\"a\\\"b\\\\c\\nd\",mode=\"audit\"} 1\n";

static int name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_' || s[0] == ':'))
		return 0;
	for (i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == ':'))
			return 0;
	return 1;
}

/* A label set {k="v",...}: names valid, values with only \\, \" and \n
 * escapes. Returns the end of the set or NULL. */
static const char *labels_ok(const char *p)
{
	if (*p++ != '{')
		return NULL;
	while (*p != '}') {
		const char *k = p;

		while (*p && *p != '=')
			p++;
		if (!name_ok(k, (size_t)(p - k)) || p[0] != '=' || p[1] != '"')
			return NULL;
		for (p += 2; *p != '"'; p++) {
			if (!*p || *p == '\n')
				return NULL;
			if (*p == '\\' && !strchr("\\\"n", *++p))
				return NULL;
		}
		p++;
		if (*p == ',')
			p++;
		else if (*p != '}')
			return NULL;
	}
	return p + 1;
}

/* Every line a comment or "name[{labels}] value"; every sample's family
 * declared by a TYPE line before it. */
static int exposition_ok(const char *text, char *bad, size_t badlen)
{
	char typed[64][96];
	int ntyped = 0;
	const char *line, *nl;

	for (line = text; *line; line = nl + 1) {
		const char *p = line, *end;
		char name[96];
		int i, found = 0;

		nl = strchr(line, '\n');
		if (!nl)
			return snprintf(bad, badlen, "no final newline"), 0;
		if (!strncmp(line, "# TYPE ", 7)) {
			p = line + 7;
			end = strchr(p, ' ');
			if (!end || end > nl || ntyped == 64 ||
			    !name_ok(p, (size_t)(end - p)))
				goto fail;
			snprintf(typed[ntyped++], 96, "%.*s", (int)(end - p), p);
			continue;
		}
		if (line[0] == '#')
			continue;
		while (p < nl && *p != '{' && *p != ' ')
			p++;
		if (!name_ok(line, (size_t)(p - line)))
			goto fail;
		snprintf(name, sizeof(name), "%.*s", (int)(p - line), line);
		for (i = 0; i < ntyped; i++)
			found |= !strcmp(typed[i], name);
		if (!found)
			goto fail;
		if (*p == '{' && !(p = labels_ok(p)))
			goto fail;
		if (*p++ != ' ' || p == nl)
			goto fail;
		for (; p < nl; p++)
			if (!isdigit((unsigned char)*p))
				goto fail;
	}
	return 1;
fail:
	snprintf(bad, badlen, "%.*s", (int)(strchrnul(line, '\n') - line), line);
	return 0;
}

/* Entries of @dir other than . and .. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* --textfile: the file replaced whole, mode 0644, no temporary left. */
static void test_textfile(void)
{
	char dir[] = "/tmp/kcs-metrics.XXXXXX", path[64], got[32] = "";
	struct kcs_err err;
	struct stat st;
	FILE *f;

	if (!mkdtemp(dir)) {
		tap_ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/" METRICS_FILE, dir);
	tap_ok(!metrics_write_textfile(dir, "kcs_a 1\n", 8, &err) &&
	       !metrics_write_textfile(dir, "kcs_a 2\n", 8, &err),
	       "textfile: written twice");
	f = fopen(path, "r");
	if (f) {
		if (!fgets(got, sizeof(got), f))
			got[0] = '\0';
		fclose(f);
	}
	tap_is_str(got, "kcs_a 2\n", "textfile: the second replaced the first");
	tap_ok(!stat(path, &st) && (st.st_mode & 07777) == 0644,
	       "textfile: mode 0644, for a node_exporter of another user");
	tap_ok(entries(dir) == 1, "textfile: no temporary file left");
	unlink(path);
	snprintf(path, sizeof(path), "%s/no-such-dir", dir);
	tap_ok(metrics_write_textfile(path, "x\n", 2, &err) == -1 &&
	       err.code == KCS_EXIT_FAILED, "textfile: a missing DIR fails");
	tap_ok(entries(dir) == 0, "textfile: nothing left behind by the failure");
	rmdir(dir);
}

int main(void)
{
	struct kcs_status st = {
		.abi_version = 2, .nprofiles = 2, .nbindings = 2,
		.hooks_proven = 1U << KCS_HOOK_EXEC | 1U << KCS_HOOK_CAPABLE,
		.nsubscribers = 1, .nstats = 4,
		.stats = { { KCS_STAT_EXEC_CHECKED, 1042 },
			   { KCS_STAT_EXEC_DENIED, 3 },
			   { KCS_STAT_HOOK_INFLIGHT, 2 },
			   { 99, UINT64_MAX } },
	};
	struct kcs_binding b[2] = {
		{ .cgroup_id = 4200, .profiles = { .n = 2, .name = { "web", "watch" },
			.mode = { KCS_MODE_ENFORCE, KCS_MODE_AUDIT } } },
		{ .cgroup_id = 77, .profiles = { .n = 1, .name = { "a\"b\\c\nd" },
			.mode = { KCS_MODE_AUDIT } } },
	};
	char bad[256] = "";
	char *s;
	size_t i;

	s = capture(&st, b, 2);
	tap_is_str(s, want, "status and bindings: exact exposition text");
	tap_ok(s && exposition_ok(s, bad, sizeof(bad)),
	       "valid names, escaped labels, every sample typed (%s)", bad);
	free(s);

	/* Every statistic this kcsadm names, none, and no bindings. */
	st.nstats = 0;
	for (i = 1; i < __KCS_STAT_MAX && st.nstats < KCS_STATUS_MAX_STATS; i++)
		if (kcs_stat_name((unsigned int)i))
			st.stats[st.nstats++] = (typeof(st.stats[0])){ (uint16_t)i, i };
	s = capture(&st, NULL, 0);
	tap_ok(s && exposition_ok(s, bad, sizeof(bad)),
	       "every named statistic: valid (%s)", bad);
	tap_ok(s && !strstr(s, "(null)"), "every statistic has its HELP");
	tap_has(s, "kcs_cap_audited_total ", "cap_audited is a counter");
	tap_has(s, "# TYPE kcs_binding_info gauge\n", "binding_info typed without bindings");
	free(s);

	test_textfile();

	/* The checker can fail. */
	tap_ok(!exposition_ok("kcs_x{a=\"b\nc\"} 1\n", bad, sizeof(bad)) &&
	       !exposition_ok("# TYPE 1x counter\n1x 1\n", bad, sizeof(bad)) &&
	       !exposition_ok("kcs_untyped 1\n", bad, sizeof(bad)),
	       "the checker rejects a raw newline, a bad name, an untyped sample");
	return tap_done();
}
