// SPDX-License-Identifier: GPL-2.0
/*
 * The OCI hook's decisions (see oci_hook.h). The order matters:
 *
 *  1. judge the start checks on config.json: a refusal needs no kernel;
 *  2. find the profiles the policies give the container (none: done), at
 *     most KCS_BIND_PROFILES_MAX, Enforce ones first;
 *  3. make sure kcs can enforce them (module, profiles loaded from /etc/kcs
 *     and recorded for profile show: a warning at worst);
 *  4. bind them, all at once, to the container's cgroup, with no root yet:
 *     the first exec in the cgroup (the user's program, after pivot_root)
 *     sets it;
 *  5. install the ingress rules of the one profile that has them (two
 *     cannot share a namespace: a failure), as the nftables table in the
 *     container's own network namespace, recorded for monitor and
 *     netwatch (as bind --netns);
 *  6. remember the binding for poststop.
 *
 * Under an Enforce policy, any failure of 2-6 refuses the container (fail
 * closed) unless the hook runs with --fail-open; under Audit it is logged
 * and the container starts. A failure after 4 takes back what 4 and 5 did:
 * "not enforced" in the log means nothing of the profile is.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "caps.h"
#include "cgroup.h"
#include "container_spec.h"
#include "netns.h"
#include "netns_bind.h"
#include "nl.h"
#include "oci_hook.h"
#include "ops.h"
#include "policy_eval.h"
#include "policy_store.h"
#include "profile.h"
#include "profile_build.h"
#include "profile_file.h"
#include "profile_state.h"
#include "readfile.h"

const char *kcs_run_dir(void)
{
	const char *d = getenv("KCS_RUNDIR");

	return d && *d ? d : KCS_RUNDIR_DEFAULT;
}

static void say(int prio, const struct kcs_container *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(int prio, const struct kcs_container *c, const char *fmt, ...)
{
	char msg[1536];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	openlog("kcsadm", LOG_PID, LOG_AUTHPRIV);
	syslog(prio, "container %s: %s", c->id ? c->id : "?", msg);
	closelog();
}

/* An OCI id as a file name: what runtimes accept, nothing that walks. */
static int id_ok(const char *id)
{
	size_t i;

	if (!id || !*id || strlen(id) > 1024 || !strcmp(id, ".") || !strcmp(id, ".."))
		return 0;
	for (i = 0; id[i]; i++)
		if (id[i] == '/')
			return 0;
	return 1;
}

/* The cgroup v2 directory and id of task @pid (the container's init). */
int kcs_task_cgroup(long pid, char abs[PATH_MAX], uint64_t *cgid,
		    struct kcs_err *err)
{
	char path[64], mnt[PATH_MAX], *text, *line, *rel = NULL;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%ld/cgroup", pid);
	text = kcs_read_file(path, 1 << 16, &len, err);
	if (!text)
		return -1;
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, "0::", 3))
			rel = line + 3;
	if (!rel || *rel != '/') {
		free(text);
		return kcs_err_set(err, KCS_EXIT_NOTFOUND,
				   "task %ld is in no cgroup v2 (is the unified hierarchy mounted?)", pid);
	}
	/* Relative to the cgroup2 mount (an absolute name is a file path). */
	if (kcs_cgroup2_mount(KCS_MOUNTINFO, mnt, sizeof(mnt), err) ||
	    kcs_cgroup_resolve(mnt, rel[1] ? rel + 1 : ".", 1, abs, cgid, err)) {
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

/*
 * Keep what the hook loaded for `profile show` and `profile export`, as
 * `profile apply` does. The container starts whatever happens here: the
 * profile is enforced already, and a missing record only means show
 * cannot give the rules back (it says "unrecorded"), so a failure is a
 * warning. The record is written under a name of this process's own and
 * renamed into place (kcs_write_atomic), so hooks starting other
 * containers at the same time never see half of it. Two hooks loading the
 * same profile at once both replace it, from the same file, and both
 * record it: the last record written stays, checked against the kernel's
 * generation like any other.
 */
static void record(struct kcs_nl *nl, const struct kcs_profile_spec *spec)
{
	struct kcs_err err;

	if (kcs_profile_record(nl, spec, &err))
		fprintf(stderr, "kcsadm: warning: profile %s loaded, but not recorded for profile show/export: %s\n",
			spec->name, err.msg);
}

/*
 * Load profile @name into the kernel from $KCS_CONFDIR/profiles/NAME.json
 * unless it is there already, as profile apply does: FQDN rules resolved,
 * and its ingress rules kept for the namespace table (kcs_profile_push).
 */
static int ensure_profile(struct kcs_nl *nl, const char *name,
			  struct kcs_err *err)
{
	struct kcs_profile_info info;
	struct kcs_compiled_profile cp;
	struct kcs_profile_spec spec;
	char path[PATH_MAX];
	int ret;

	if (!kcs_profile_get(nl, name, &info, err))
		return 0;
	if (err->code != KCS_EXIT_NOTFOUND)
		return -1;
	if (snprintf(path, sizeof(path), "%s/profiles/%s.json", kcs_conf_dir(),
		     name) >= (int)sizeof(path))
		return kcs_err_set(err, KCS_EXIT_INVALID, "profile name too long");
	if (access(path, R_OK))
		return kcs_err_set(err, KCS_EXIT_NOTFOUND,
				   "profile \"%s\" is neither loaded nor in %s", name, path);
	if (kcs_profile_prepare(path, 1, &spec, &cp, err))
		return -1;
	ret = kcs_profile_push(nl, &cp, err);
	if (!ret)
		record(nl, &spec);
	else
		/*
		 * The kernel may have it while its ingress rules were not
		 * kept: take it back, or the next container's hook would find
		 * it loaded and install no table. (Not found, or bound by a
		 * hook that loaded it at the same time: left as it is.)
		 */
		kcs_profile_del(nl, name, NULL);
	kcs_compiled_free(&cp);
	kcs_profile_free(&spec);
	return ret;
}

static int remember(const struct kcs_container *c, uint64_t cgid,
		    struct kcs_err *err)
{
	char dir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/containers", kcs_run_dir());
	if ((mkdir(kcs_run_dir(), 0700) && errno != EEXIST) ||
	    (mkdir(dir, 0700) && errno != EEXIST))
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", dir, strerror(errno));
	if (snprintf(path, sizeof(path), "%s/%s", dir, c->id) >= (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, c->id) >= (int)sizeof(tmp))
		return kcs_err_set(err, KCS_EXIT_INVALID, "container id too long");
	f = fopen(tmp, "we");
	if (!f || fprintf(f, "%" PRIu64 "\n", cgid) < 0 || fclose(f) ||
	    rename(tmp, path))
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", path, strerror(errno));
	return 0;
}

/* Join every finding of @ev with verdict @want into @out. */
static void reasons(const struct kcs_eval *ev, int want_mode, char *out,
		    size_t len)
{
	size_t i, at = 0;

	out[0] = 0;
	for (i = 0; i < ev->nfindings && at < len; i++) {
		const struct kcs_finding *f = &ev->findings[i];
		int n;

		if (f->policy->mode != want_mode)
			continue;
		/* Each reason names its policy. */
		n = snprintf(out + at, len - at, "%s%s", at ? "; " : "", f->reason);
		if (n < 0)
			break;
		at += (size_t)n;
	}
}

/*
 * What the applying policies' capabilities blocks list: blocked at run
 * time too (kcs.ko's capable check), in the binding's mode.
 */
static uint64_t blocked_caps(const struct kcs_eval *ev)
{
	uint64_t caps = 0;
	size_t i;

	for (i = 0; i < ev->npolicies; i++) {
		const struct kcs_policy *p = ev->policies[i].policy;

		if (!ev->policies[i].applies ||
		    !(p->checks.enabled & (1U << KCS_CHECK_CAPABILITIES)))
			continue;
		caps |= p->checks.caps_all ? (1ULL << KCS_CAP_COUNT) - 1 : p->checks.caps;
	}
	return caps;
}

int kcs_hook_own_netns(unsigned int ns_host, const struct kcs_netns_id *ns,
		       const struct kcs_netns_id *host, size_t nhost)
{
	size_t i;

	if (ns_host & (1U << KCS_NS_NETWORK))
		return 0;
	for (i = 0; i < nhost; i++)
		if (ns->dev == host[i].dev && ns->ino == host[i].ino)
			return 0;
	return 1;
}

/*
 * The host's network namespace as the hook sees it: init's, and the
 * hook's own (the runtime's, which runs it there). A table in either
 * would filter the node, not the container.
 */
static int host_netns(struct kcs_netns_id host[2], struct kcs_err *err)
{
	static const char *const paths[2] = { "/proc/1/ns/net",
					      "/proc/self/ns/net" };
	int i;

	for (i = 0; i < 2; i++)
		if (kcs_netns_stat(paths[i], &host[i]))
			return kcs_err_set(err, KCS_EXIT_FAILED,
					   "cannot tell whether the container has a network namespace of its own: %s: %s",
					   paths[i], strerror(errno));
	return 0;
}

/* A profile's ingress rules on their way to the container's namespace. */
struct ingress {
	int nsfd;			/* -1: no table to install */
	struct kcs_netns_rec rec;
};

static void ingress_end(struct ingress *in)
{
	if (in->nsfd >= 0)
		close(in->nsfd);
	in->nsfd = -1;
	kcs_netns_rec_free(&in->rec);
}

/*
 * Before binding: whether one of @ps has ingress rules and where they go,
 * /proc/PID/ns/net of the container's init (@in->nsfd, -1 for none).
 * A container sharing the host's namespace cannot have them: refused
 * under Enforce (kcs cannot enforce the profile), logged under Audit,
 * whose binding goes ahead without them. Decided before anything is
 * bound, so that a refusal leaves nothing to take back.
 */
static int ingress_prepare(const struct kcs_container *c,
			   const struct kcs_profiles *ps, uint64_t cgid,
			   struct ingress *in, struct kcs_err *err)
{
	struct kcs_netns_rec *r = &in->rec;
	struct kcs_netns_id host[2];
	int own = 0, k;

	k = kcs_ingress_pick(ps, &r->in, err);
	if (k < -1)
		return -1;
	if (k < 0)
		return 0;
	snprintf(r->path, sizeof(r->path), "/proc/%ld/ns/net", c->pid);
	r->cgroup_id = cgid;
	r->mode = ps->mode[k];
	snprintf(r->profile, sizeof(r->profile), "%s", ps->name[k]);
	/* The identity of the namespace held open: the one the table goes to. */
	if (!(c->ns_host & (1U << KCS_NS_NETWORK))) {
		in->nsfd = kcs_netns_open(r->path, "the container's network namespace",
					  &r->id, err);
		if (in->nsfd < 0 || host_netns(host, err))
			return -1;
		own = kcs_hook_own_netns(c->ns_host, &r->id, host, 2);
	}
	if (own)
		return 0;
	ingress_end(in);
	if (ps->mode[k] == KCS_MODE_ENFORCE)
		return kcs_err_set(err, KCS_EXIT_INVALID, KCS_HOOK_HOST_NETNS_FMT,
				   ps->name[k]);
	say(LOG_WARNING, c, KCS_HOOK_HOST_NETNS_FMT ": bound without them (audit)",
	    ps->name[k]);
	return 0;
}

/*
 * Bind the profiles @ps to @c's cgroup, and the ingress rules of the one
 * that has them to @c's network namespace; -1 with @err when kcs cannot,
 * and then nothing of it is left. @root_pid: whose root is the
 * container's, 0 for the first exec's.
 */
static int bind_profiles(const struct kcs_container *c,
			 const struct kcs_profiles *ps, uint64_t caps,
			 uint32_t root_pid, uint64_t *bound, struct kcs_err *err)
{
	char cgdir[PATH_MAX], nsmsg[PATH_MAX + 32] = "";
	char names[KCS_PROFILES_TEXT_MAX];
	struct ingress in = { .nsfd = -1 };
	struct kcs_bind_req req = { .nprofiles = ps->n, .root_pid = root_pid,
				    .caps = caps };
	struct kcs_nl nl;
	unsigned int i;
	uint64_t cgid;
	int ret = 0;

	if (c->pid <= 0)
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "the OCI state has no pid: run kcsadm as a createRuntime hook");
	if (!id_ok(c->id))
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "the OCI state has no usable container id");
	if (kcs_task_cgroup(c->pid, cgdir, &cgid, err))
		return -1;
	if (kcs_nl_open(&nl, err))
		return -1;
	for (i = 0; !ret && i < ps->n; i++) {
		req.profile[i] = ps->name[i];
		req.mode[i] = ps->mode[i];
		ret = ensure_profile(&nl, ps->name[i], err);
	}
	req.cgroup_id = cgid;
	ret = ret || ingress_prepare(c, ps, cgid, &in, err) ||
	      kcs_bind_req(&nl, &req, err);
	if (!ret && in.nsfd >= 0 && kcs_netns_bind(in.nsfd, &in.rec, err)) {
		kcs_unbind(&nl, cgid, NULL);
		ret = -1;
	}
	if (!ret && remember(c, cgid, err)) {
		/* Poststop could not take them back: do it now. */
		if (in.nsfd >= 0)
			kcs_netns_bind_undo(in.nsfd, &in.rec);
		kcs_unbind(&nl, cgid, NULL);
		ret = -1;
	}
	kcs_nl_close(&nl);
	if (!ret && in.nsfd >= 0)
		snprintf(nsmsg, sizeof(nsmsg), ", ingress rules in netns %s",
			 in.rec.path);
	ingress_end(&in);
	if (ret)
		return -1;
	say(LOG_INFO, c, "bound profile%s %s to cgroup %s%s%s",
	    ps->n > 1 ? "s" : "", kcs_profiles_text(ps, names, sizeof(names)),
	    cgdir, nsmsg, root_pid ? " (running already)" : "");
	*bound = cgid;
	return 0;
}

/*
 * The profiles to bind, Enforce ones first (the blocked capabilities
 * follow the first one's mode, so they are enforced when any policy
 * enforces), by name within a mode; at most KCS_BIND_PROFILES_MAX.
 */
static void bound_order(const struct kcs_eval *ev, struct kcs_profiles *ps)
{
	static const int order[] = { KCS_MODE_ENFORCE, KCS_MODE_AUDIT };
	size_t i, k;

	memset(ps, 0, sizeof(*ps));
	for (k = 0; k < 2; k++)
		for (i = 0; i < ev->nprofiles && ps->n < KCS_BIND_PROFILES_MAX; i++) {
			if (ev->profiles[i].mode != order[k])
				continue;
			snprintf(ps->name[ps->n], KCS_NAME_MAX, "%s", ev->profiles[i].name);
			ps->mode[ps->n++] = (uint32_t)ev->profiles[i].mode;
		}
}

static int decide(const struct kcs_container *c, const struct kcs_eval *ev,
		  const struct kcs_hook_opts *o, int running,
		  struct kcs_hook_result *res, struct kcs_err *err)
{
	char why[1024];
	size_t i;

	for (i = 0; i < ev->nfindings; i++)
		say(ev->findings[i].policy->mode == KCS_MODE_ENFORCE ? LOG_WARNING :
		    LOG_NOTICE, c, "start check %s: %s (%s)",
		    kcs_check_name(ev->findings[i].check), ev->findings[i].reason,
		    running ? "running already: not stopped" :
		    ev->findings[i].policy->mode == KCS_MODE_ENFORCE ?
		    "enforce: not started" : "audit: started");
	res->nfindings = ev->nfindings;
	if (ev->start == KCS_START_DENY && !running) {
		reasons(ev, KCS_MODE_ENFORCE, why, sizeof(why));
		return kcs_err_set(err, KCS_EXIT_REFUSED,
				   "container %s refused by kcs: %s", c->id ? c->id : "", why);
	}
	if (!ev->nprofiles)
		return 0;
	bound_order(ev, &res->profiles);
	res->action = KCS_HOOK_NOT_ENFORCED;
	if (ev->nprofiles > KCS_BIND_PROFILES_MAX) {
		kcs_err_set(err, KCS_EXIT_INVALID,
			    "the policies give this container %zu profiles (%s, %s, ...); a binding holds at most %d",
			    ev->nprofiles, ev->profiles[0].name, ev->profiles[1].name,
			    KCS_BIND_PROFILES_MAX);
	} else if (!bind_profiles(c, &res->profiles, blocked_caps(ev),
				  running ? (uint32_t)c->pid : 0, &res->cgroup_id, err)) {
		res->action = KCS_HOOK_BOUND;
		return 0;
	}
	/* kcs cannot enforce what the policies ask for. */
	if (running) {
		say(LOG_WARNING, c, "running already, not enforced: %s", err->msg);
		return -1;
	}
	if (ev->mode != KCS_MODE_ENFORCE || o->fail_open) {
		say(LOG_WARNING, c, "not enforced, started anyway (%s): %s",
		    o->fail_open ? "--fail-open" : "audit", err->msg);
		return 0;
	}
	say(LOG_WARNING, c, "not enforced, not started (enforce): %s", err->msg);
	kcs_err_prefix(err, "container %s refused by kcs (an Enforce policy applies and kcs cannot enforce it; --fail-open in the hook would start it)",
		       c->id ? c->id : "");
	err->code = KCS_EXIT_REFUSED;
	return -1;
}

int kcs_hook_admit(const char *state, size_t len, int running,
		   const struct kcs_hook_opts *o, struct kcs_hook_result *res,
		   struct kcs_err *err)
{
	struct kcs_eval_opts eo = { .resolve_paths = 1 };
	struct kcs_hook_result ignored;
	struct kcs_policy_set set;
	struct kcs_image_list imgs;
	struct kcs_container c;
	struct kcs_eval ev;
	int ret;

	if (!res)
		res = &ignored;
	memset(res, 0, sizeof(*res));
	if (kcs_container_load_state(state, len, &c, err))
		return -1;
	if (kcs_policy_store_load(&set, err)) {
		kcs_container_free(&c);
		return -1;
	}
	if (kcs_images_load(&imgs, err)) {
		kcs_policy_set_free(&set);
		kcs_container_free(&c);
		return -1;
	}
	eo.registered = imgs.v;
	eo.nregistered = imgs.n;
	ret = kcs_policy_eval(set.v, set.n, &c, &eo, &ev, err);
	if (!ret) {
		ret = decide(&c, &ev, o, running, res, err);
		kcs_eval_free(&ev);
	}
	kcs_images_free(&imgs);
	kcs_policy_set_free(&set);
	kcs_container_free(&c);
	return ret;
}

int kcs_hook_create_runtime(const struct kcs_hook_opts *o, struct kcs_err *err)
{
	size_t len;
	char *state = kcs_read_file(o->state_path, 16U << 20, &len, err);
	int ret;

	if (!state)
		return -1;
	ret = kcs_hook_admit(state, len, 0, o, NULL, err);
	free(state);
	return ret;
}

int kcs_hook_poststop(const struct kcs_hook_opts *o, struct kcs_err *err)
{
	char path[PATH_MAX], *state, *text;
	struct kcs_container c = { 0 };
	struct kcs_err ignored;
	json_error_t jerr;
	struct kcs_nl nl;
	size_t len;
	uint64_t cgid;
	json_t *j;

	/* Only the state: the bundle may be gone by now. */
	state = kcs_read_file(o->state_path, 1 << 20, &len, err);
	if (!state)
		return -1;
	j = json_loadb(state, len, 0, &jerr);
	free(state);
	c.id = j ? (char *)json_string_value(json_object_get(j, "id")) : NULL;
	if (!id_ok(c.id)) {
		json_decref(j);
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "the OCI state has no usable container id");
	}
	snprintf(path, sizeof(path), "%s/containers/%s", kcs_run_dir(), c.id);
	text = kcs_read_file(path, 64, &len, &ignored);
	if (text && sscanf(text, "%" SCNu64, &cgid) == 1) {
		/* Gone already (the cgroup was removed and swept): fine. */
		if (!kcs_nl_open(&nl, &ignored)) {
			if (!kcs_unbind(&nl, cgid, &ignored))
				say(LOG_INFO, &c, "unbound cgroup %" PRIu64, cgid);
			kcs_nl_close(&nl);
		}
		/* As unbind: monitor and netwatch stop at its namespace. The
		 * table goes with the namespace (or stays for the other
		 * containers of one joined by path). */
		if (kcs_netns_rec_remove_cgroup(cgid, &ignored) > 0)
			say(LOG_INFO, &c, "forgot the ingress rules of cgroup %" PRIu64,
			    cgid);
	}
	free(text);
	unlink(path);
	json_decref(j);
	return 0;
}
