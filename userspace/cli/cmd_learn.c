// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm learn: behavioural learning. Binds a learning profile (every
 * exec, connection, datagram and listening socket reported, nothing
 * denied: Audit) to a cgroup for a while, takes its events, and writes a
 * profile that allows exactly what the container did (ctl/learn.h).
 *
 * The cgroup must not be bound already: learning beside a profile in
 * force would report what that profile denies as something to allow, and
 * unbinding afterwards would drop it. The learning profile and binding go
 * away on every way out, a signal included; the monitor subscribes before
 * the binding is made, so nothing the container does is missed, and a
 * gap in the events (the kernel drops what no reader takes in time) is
 * said, with exit code 1, since the profile may then miss something.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "cmds.h"
#include "learn.h"
#include "learn_dns.h"
#include "ops.h"
#include "profile.h"
#include "profile_build.h"

#define LEARN_RCVBUF	(16 << 20)
#define LEARN_MAX_S	(7 * 24 * 3600ULL)

struct learn_opts {
	unsigned long long duration;
	int have_duration;
	const char *name;
	const char *output;
	unsigned long long collapse;
	int have_id;
	unsigned long long id;
	const char *dns_netns;
};

enum { OPT_ID = OPT_FIRST_PRIVATE, OPT_COLLAPSE, OPT_NAME, OPT_DNS };

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int learn_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		     const char *arg, void *st)
{
	struct learn_opts *o = st;

	switch (c) {
	case 'd':
		if (cli_parse_u64(arg, &o->duration) || !o->duration ||
		    o->duration > LEARN_MAX_S)
			return cli_usage(cli, cmd, "--duration needs seconds (1..%llu), not '%s'",
					 LEARN_MAX_S, arg);
		o->have_duration = 1;
		break;
	case 'o':
		o->output = arg;
		break;
	case OPT_NAME:
		if (!kcs_profile_name_valid(arg))
			return cli_usage(cli, cmd, "'%s' is not a valid profile name", arg);
		o->name = arg;
		break;
	case OPT_COLLAPSE:
		if (cli_parse_u64(arg, &o->collapse) || o->collapse > KCS_LEARN_MAX)
			return cli_usage(cli, cmd, "--collapse needs a count (0: never), not '%s'",
					 arg);
		break;
	case OPT_DNS:
		o->dns_netns = arg;
		break;
	case OPT_ID:
		if (cli_parse_u64(arg, &o->id) || !o->id)
			return cli_usage(cli, cmd, "--id needs a cgroup id (a positive number), not '%s'",
					 arg);
		o->have_id = 1;
		break;
	}
	return CLI_CONTINUE;
}

struct learn_ctx {
	struct kcs_learn l;
	struct kcs_seq_tracker seq;
	uint64_t lost;		/* events no reader saw, as far as known */
	int overrun;		/* our socket overran (lost too) */
	struct kcs_learn_dns dns;	/* --dns-netns */
	int dns_lost;		/* answers the queue dropped */
};

static int on_event(const struct kcs_event *ev, void *arg, struct kcs_err *err)
{
	struct learn_ctx *c = arg;
	struct kcs_gap gap;

	if (!ev) {		/* our socket overran: the next seq says how many */
		c->overrun = 1;
		return 0;
	}
	if (ev->src == KCS_EV_SRC_KERNEL && kcs_seq_track(&c->seq, ev, &gap))
		c->lost += gap.lost + gap.dropped;
	if (kcs_learn_event(&c->l, ev))
		return kcs_err_set(err, KCS_EXIT_FAILED, "learn: out of memory");
	return 0;
}

/* The binding of cgroup @id in @v, or NULL. */
static const struct kcs_binding *binding_of(const struct kcs_binding_vec *v,
					    uint64_t id)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->v[i].cgroup_id == id)
			return &v->v[i];
	return NULL;
}

/*
 * Fails with KCS_EXIT_BUSY when cgroup @id is bound, or one above it
 * (@path, under the cgroup2 mount @mnt; empty with --id: not looked at).
 * Learning beside a binding would take its denials for behaviour, and
 * under a bound ancestor the learning binding, nearer, would lift the
 * ancestor's profile from the cgroup while it learns.
 */
static int not_bound(struct kcs_nl *nl, uint64_t id, const char *mnt,
		     const char *path, struct kcs_err *err)
{
	struct kcs_binding_vec v = { 0 };
	const struct kcs_binding *b;
	char up[PATH_MAX];
	size_t ml = strlen(mnt);
	struct stat st;
	int ret = kcs_bind_list(nl, kcs_binding_collect, &v, err);

	if (!ret && (b = binding_of(&v, id)))
		ret = kcs_err_set(err, KCS_EXIT_BUSY,
				  "learn: cgroup %" PRIu64 " is bound (profile %s): unbind it first, or learn in a cgroup of its own",
				  id, b->profiles.name[0]);
	snprintf(up, sizeof(up), "%s", path);
	while (!ret && path[0]) {
		char *slash = strrchr(up, '/');

		if (!slash || (size_t)(slash - up) < ml)
			break;
		*slash = '\0';
		if (strlen(up) < ml || stat(up, &st))
			break;
		b = binding_of(&v, (uint64_t)st.st_ino);
		if (b)
			ret = kcs_err_set(err, KCS_EXIT_BUSY,
					  "learn: %s above it is bound (profile %s): learning would lift that profile from the cgroup; learn where no profile is bound",
					  up, b->profiles.name[0]);
	}
	free(v.v);
	return ret;
}

/* Apply the learning profile @name, with the watched system calls or not. */
static int learning_profile_set(struct kcs_nl *nl, const char *name,
				int syscalls, struct kcs_err *err)
{
	struct kcs_profile_spec spec;
	struct kcs_compiled_profile cp;
	json_t *prof, *sys = NULL;
	char json[512], *text;
	int ret;

	snprintf(json, sizeof(json), KCS_LEARN_PROFILE_JSON, name);
	prof = json_loads(json, 0, NULL);
	if (prof && syscalls)
		sys = kcs_learn_syscalls_json();
	if (!prof || json_object_set_new(prof, "files",
					 json_loads(KCS_LEARN_FILES_JSON, 0, NULL)) ||
	    (syscalls && (!sys || json_object_set_new(prof, "syscalls", sys)))) {
		json_decref(prof);
		return kcs_err_set(err, KCS_EXIT_FAILED, "learn: out of memory");
	}
	text = json_dumps(prof, JSON_COMPACT);
	json_decref(prof);
	if (!text)
		return kcs_err_set(err, KCS_EXIT_FAILED, "learn: out of memory");
	ret = kcs_profile_parse(text, strlen(text), "learning profile", &spec, err);
	free(text);
	if (ret)
		return -1;
	ret = kcs_profile_compile(&spec, &cp, err);
	if (!ret) {
		ret = kcs_profile_set(nl, &cp, err);
		kcs_compiled_free(&cp);
	}
	kcs_profile_free(&spec);
	return ret;
}

/*
 * Apply the learning profile @name. A module that cannot judge system
 * calls (no syscall metadata, hooks unproven) still learns the rest:
 * @watched says whether the system calls are watched, @why why not.
 */
static int learning_profile(struct kcs_nl *nl, const char *name,
			    int *watched, struct kcs_err *why,
			    struct kcs_err *err)
{
	*watched = !learning_profile_set(nl, name, 1, why);
	return *watched ? 0 : learning_profile_set(nl, name, 0, err);
}

/* Watch until the duration is over or a signal comes. */
static int watch(struct kcs_monitor *m, struct learn_ctx *c,
		 unsigned long long secs, struct kcs_err *err)
{
	int64_t end = cli_monotonic_ms() + (int64_t)secs * 1000;
	struct pollfd pfd[2] = {
		{ .fd = kcs_monitor_fd(m), .events = POLLIN },
		{ .fd = kcs_learn_dns_fd(&c->dns), .events = POLLIN },
	};
	nfds_t nfds = pfd[1].fd >= 0 ? 2 : 1;
	int ret = 0, i;

	while (!stop && !ret) {
		int64_t left = end - cli_monotonic_ms();

		if (left <= 0)
			break;
		if (poll(pfd, nfds, left > 1000 ? 1000 : (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return kcs_err_set(err, KCS_EXIT_FAILED, "learn: poll: %s",
					   strerror(errno));
		}
		if (pfd[0].revents)
			ret = kcs_monitor_recv(m, on_event, c, err) < 0 ? -1 : 0;
		if (!ret && nfds > 1 && pfd[1].revents)
			ret = kcs_learn_dns_read(&c->dns, &c->l, &c->dns_lost, err);
	}
	/* What is queued already happened: take it too (a batch a call). */
	for (i = 0; i < 64 && ret >= 0; i++)
		ret = kcs_monitor_recv(m, on_event, c, err) < 0 ? -1 : 0;
	if (!ret && nfds > 1)
		ret = kcs_learn_dns_read(&c->dns, &c->l, &c->dns_lost, err);
	return ret < 0 ? -1 : 0;
}

static int write_profile(const char *output, json_t *prof, struct kcs_err *err)
{
	FILE *f = stdout;
	int ret;

	if (output && strcmp(output, "-")) {
		f = fopen(output, "w");
		if (!f)
			return kcs_err_set(err, KCS_EXIT_FAILED, "learn: %s: %s",
					   output, strerror(errno));
	}
	ret = json_dumpf(prof, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!ret && fputc('\n', f) == EOF)
		ret = -1;
	if (f != stdout ? fclose(f) : fflush(f))
		ret = -1;
	return ret ? kcs_err_set(err, KCS_EXIT_FAILED, "learn: cannot write %s",
				 output && strcmp(output, "-") ? output :
				 "the profile") : 0;
}

/* Check the learned profile the way profile apply will read it. */
static int check_profile(json_t *prof, struct kcs_err *err)
{
	struct kcs_profile_spec spec;
	struct kcs_compiled_profile cp;
	char *s = json_dumps(prof, 0);
	int ret = -1;

	if (!s)
		return kcs_err_set(err, KCS_EXIT_FAILED, "learn: out of memory");
	if (!kcs_profile_parse(s, strlen(s), "learned profile", &spec, err)) {
		ret = kcs_profile_compile(&spec, &cp, err);
		if (!ret)
			kcs_compiled_free(&cp);
		kcs_profile_free(&spec);
	}
	free(s);
	return ret;
}

/* The masks the learned exec allow list collapsed directories into. */
static json_t *collapsed(json_t *prof)
{
	json_t *allow = json_object_get(json_object_get(prof, "exec"), "allow");
	json_t *out = json_array(), *v;
	size_t i;

	json_array_foreach(allow, i, v)
		if (json_is_object(v))
			json_array_append(out, json_object_get(v, "mask"));
	return out;
}

/* The watched system calls the container made. */
static json_t *syscalls_made(const struct kcs_learn *l)
{
	json_t *made = json_array();
	size_t i;

	for (i = 0; made && i < kcs_learn_nsyscalls; i++)
		if (l->syscalls_seen & (1ULL << i))
			json_array_append_new(made, json_string(kcs_learn_syscalls[i]));
	return made;
}

static int report(struct cli *cli, const struct learn_ctx *c,
		  unsigned long long secs, const struct learn_opts *o,
		  json_t *prof)
{
	const struct kcs_learn *l = &c->l;
	json_t *masks = collapsed(prof), *v, *made = syscalls_made(l);
	size_t i;
	int ret = 0;

	if (cli->json) {
		ret = out_json(json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:O,s:o,s:I,s:I,s:I}",
					  "profile", o->name,
					  "seconds", (json_int_t)secs,
					  "events", (json_int_t)l->events,
					  "programs", (json_int_t)l->execs.n,
					  "destinations", (json_int_t)l->ndests,
					  "listening_ports", (json_int_t)l->nlisten,
					  "files_read", (json_int_t)l->reads.n,
					  "files_changed", (json_int_t)l->writes.n,
					  "files_nameless", (json_int_t)l->files_nameless,
					  "system_calls_made", made,
					  "collapsed", masks,
					  "undecidable", (json_int_t)l->undecidable,
					  "not_kept", (json_int_t)l->over,
					  "lost", (json_int_t)c->lost), 1) ? KCS_EXIT_FAILED : 0;
		json_decref(made);
		return ret;
	}
	fprintf(stderr,
		"learned %s in %llu s from %" PRIu64 " events: %zu programs, %zu destinations, %u listening ports, %zu files read, %zu changed\n",
		o->name, secs, l->events, l->execs.n, l->ndests, l->nlisten,
		l->reads.n, l->writes.n);
	if (l->syscalls_watched) {
		char *text = made ? json_dumps(made, JSON_COMPACT) : NULL;

		fprintf(stderr, "  watched system calls made (allowed): %s; the other %zu denied\n",
			text ? text : "?", kcs_learn_nsyscalls - json_array_size(made));
		free(text);
	}
	json_decref(made);
	json_array_foreach(masks, i, v)
		fprintf(stderr, "  %s stands for %llu or more programs of that directory (--collapse 0: each)\n",
			json_string_value(v), o->collapse);
	json_decref(masks);
	if (l->undecidable)
		fprintf(stderr, "  %" PRIu64 " execs of files without a name in the container were not learned\n",
			l->undecidable);
	if (l->files_nameless)
		fprintf(stderr, "  %" PRIu64 " file accesses without a name in the container (or not UTF-8) were not learned\n",
			l->files_nameless);
	return 0;
}

static int run_learn(struct cli *cli, const struct cli_cmd *cmd, int argc,
		     char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "collapse", required_argument, NULL, OPT_COLLAPSE },
		{ "id", required_argument, NULL, OPT_ID },
		{ "dns-netns", required_argument, NULL, OPT_DNS },
		CLI_COMMON_OPTS, { 0 }
	};
	struct learn_opts o = { .collapse = 8 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct learn_ctx c;
	struct kcs_learn_opts lo;
	struct kcs_monitor mon;
	char mnt[PATH_MAX], path[PATH_MAX];
	char lname[KCS_NAME_MAX], name[KCS_NAME_MAX];
	char desc[160];
	int64_t t0;
	struct kcs_err err, err2, sys_why = { 0 };
	struct kcs_nl nl;
	json_t *prof = NULL;
	int root_pid = 0, ret, bound = 0, applied = 0, code;
	uint64_t id;

	ret = cli_parse(cli, cmd, argc, argv, ":hd:o:", opts, learn_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (!o.have_duration)
		return cli_usage(cli, cmd, "missing --duration SECONDS");
	if (cli->json && (!o.output || !strcmp(o.output, "-")))
		return cli_usage(cli, cmd, "--json prints the summary on standard output: give -o FILE for the profile");
	ret = cli_cgroup_target(cli, cmd, argc, argv, o.have_id, o.id, mnt,
				path, &id);
	if (ret != CLI_CONTINUE)
		return ret;
	snprintf(lname, sizeof(lname), "kcs-learn-%" PRIu64, id);
	if (!o.name) {
		snprintf(name, sizeof(name), "learned-%" PRIu64, id);
		o.name = name;
	}
	if (path[0] && kcs_cgroup_oldest_task(path, &root_pid, &err))
		return cli_fail(cli, &err);
	memset(&c, 0, sizeof(c));
	c.dns.nsfd = -1;
	c.l.cgroup_id = id;
	c.l.profile = lname;
	if (o.dns_netns && kcs_learn_dns_start(&c.dns, o.dns_netns, &err))
		return cli_fail(cli, &err);
	if (kcs_nl_open(&nl, &err)) {
		kcs_learn_dns_stop(&c.dns, NULL);
		return cli_fail(cli, &err);
	}
	ret = not_bound(&nl, id, mnt, path, &err);
	if (!ret)
		ret = kcs_monitor_open(&mon, LEARN_RCVBUF, &err);
	if (ret) {
		kcs_nl_close(&nl);
		kcs_learn_dns_stop(&c.dns, NULL);
		return cli_fail(cli, &err);
	}
	/* No SA_RESTART: poll returns EINTR, and the binding goes. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	ret = learning_profile(&nl, lname, &c.l.syscalls_watched, &sys_why,
			       &err);
	applied = !ret;
	if (!ret)
		ret = kcs_bind(&nl, id, lname, KCS_MODE_AUDIT, (uint32_t)root_pid,
			       &err);
	bound = !ret;
	t0 = cli_monotonic_ms();
	if (!ret)
		ret = watch(&mon, &c, o.duration, &err);
	/* Undo in every case; a failure here is reported, the first wins. */
	if (bound && kcs_unbind(&nl, id, &err2) && !ret) {
		err = err2;
		ret = -1;
	}
	if (applied && kcs_profile_del(&nl, lname, &err2) && !ret) {
		err = err2;
		ret = -1;
	}
	if (kcs_learn_dns_stop(&c.dns, &err2) && !ret) {
		err = err2;
		ret = -1;
	}
	kcs_monitor_close(&mon);
	kcs_nl_close(&nl);
	if (ret) {
		kcs_learn_free(&c.l);
		return cli_fail(cli, &err);
	}
	snprintf(desc, sizeof(desc), "learned by kcsadm learn from cgroup %" PRIu64 " in %lld s",
		 id, (long long)((cli_monotonic_ms() - t0 + 500) / 1000));
	lo.name = o.name;
	lo.description = desc;
	lo.collapse = (unsigned int)o.collapse;
	prof = kcs_learn_profile(&c.l, &lo);
	if (!prof)
		ret = kcs_err_set(&err, KCS_EXIT_FAILED, "learn: out of memory");
	if (!ret)
		ret = check_profile(prof, &err);
	if (!ret)
		ret = write_profile(o.output, prof, &err);
	if (ret) {
		json_decref(prof);
		kcs_learn_free(&c.l);
		return cli_fail(cli, &err);
	}
	c.lost += c.overrun && !c.lost;
	code = report(cli, &c, (unsigned long long)((cli_monotonic_ms() - t0 + 500) / 1000), &o,
		      prof);
	json_decref(prof);
	/* After the summary (the one JSON document), on standard error. */
	if (!code && !c.l.syscalls_watched)
		fprintf(stderr, "kcsadm: learn: system calls not learned: %s\n",
			sys_why.msg);
	if (!code && c.dns_lost)
		fprintf(stderr, "kcsadm: learn: DNS answers were lost (the queue overran): some destinations may be addresses, not names\n");
	if (!code && (c.lost || c.l.over)) {
		fprintf(stderr, "kcsadm: learn: %" PRIu64 " events were lost and %" PRIu64 " items not kept: the profile may miss something; learn again, or for less time\n",
			c.lost, c.l.over);
		code = KCS_EXIT_FAILED;
	}
	kcs_learn_free(&c.l);
	return code;
}

const struct cli_cmd cmd_learn = {
	.name = "learn",
	.summary = "learn a profile from what a container does",
	.run = run_learn,
	.usage =
"Usage: kcsadm learn (CGROUP | --id ID) --duration SECONDS [-o FILE]\n"
"                    [--name NAME] [--collapse N] [--dns-netns PATH]\n"
"\n"
"Behavioural learning. Bind a learning profile to CGROUP under Audit for\n"
"SECONDS (or until SIGINT/SIGTERM), take the events of what the container\n"
"does, and write a profile that allows exactly that:\n"
"  exec: an allow list of the programs run (busybox applets as\n"
"        /bin/busybox/APPLET); N or more programs of one directory become\n"
"        the mask DIR/* (--collapse, 8; 0: never);\n"
"  network.egress: an allow list of each address with its ports, per\n"
"        protocol (TCP connections, UDP datagrams); with --dns-netns, an\n"
"        address a DNS answer gave the container is written as that name\n"
"        (an fqdn rule);\n"
"  network.listen: every port blocked but those listened on;\n"
"  files: default deny, with allow lists of the files read and changed;\n"
"        digit-only components (pids) become [0-9]+, anything under /tmp,\n"
"        /var/tmp or /dev/shm the mask DIR/*, and N or more files\n"
"        directly in one directory the regex DIR/[^/]+ (--collapse);\n"
"  syscalls: the watched system calls never made denied.\n"
"A section is left out when nothing of its kind was seen. Programs\n"
"started before learning began are not in it, nor what they opened\n"
"before: learn from the container's start.\n"
"\n"
"The cgroup must not be bound, nor (given by its path) one above it\n"
"(exit 7); the learning profile and binding are removed on the way out.\n"
"The profile goes to FILE (default: standard output), checked as profile\n"
"apply would; a summary to standard error.\n"
"Exit 1 after writing it when events were lost (the kernel drops what is\n"
"not read in time) or more than 16384 items of a kind were seen.\n"
"\n"
"Options:\n"
"  -d, --duration S     how long to learn, 1..604800 seconds\n"
"  -o, --output FILE    where to write the profile (\"-\": standard output)\n"
"      --name NAME      the learned profile's name (learned-CGROUPID)\n"
"      --collapse N     programs (files) of one directory that become one\n"
"                       pattern of it (8)\n"
"      --id ID          the cgroup by its id instead of its path\n"
"      --dns-netns PATH the container's network namespace (/proc/PID/ns/net):\n"
"                       watch the DNS answers it receives (nfqueue 1716,\n"
"                       table inet kcs_dns: not beside netwatch --dns-netns\n"
"                       on the same namespace)\n"
"      --json           the summary as one JSON object on standard output\n"
"                       (then give -o FILE)\n"
"  -h, --help           this text\n",
};
