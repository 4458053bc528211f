// SPDX-License-Identifier: GPL-2.0
/*
 * Combining policies: a container is judged by every enabled policy whose
 * scope selects it and whose exclusions do not; the profiles it gets are
 * the union of the matching mappings; for each profile and each failed
 * check the stricter mode wins (Enforce over Audit), so adding a policy
 * can only make a container more constrained, never less. Output order is
 * fixed (policies and profiles by name, findings by check then policy),
 * so two runs over the same input print the same thing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "names.h"
#include "policy_eval.h"

const char *kcs_start_name(enum kcs_start s)
{
	static const char *const names[] = {
		[KCS_START_UNCHECKED] = "unchecked", [KCS_START_PASS] = "pass",
		[KCS_START_AUDIT] = "audit", [KCS_START_DENY] = "deny",
	};

	return s <= KCS_START_DENY ? names[s] : "unknown";
}

/* ---- selectors ---- */

static const char *kv_get(const struct kcs_kv *kv, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].value;
	return NULL;
}

static int pairs_match(const struct kcs_kv *want, size_t nwant,
		       const struct kcs_kv *have, size_t nhave)
{
	size_t i;

	for (i = 0; i < nwant; i++) {
		const char *v = kv_get(have, nhave, want[i].key);

		if (!v || strcmp(v, want[i].value))
			return 0;
	}
	return 1;
}

static int selector_match(const struct kcs_selector *s,
			  const struct kcs_container *c)
{
	size_t i;

	if (!pairs_match(s->labels, s->nlabels, c->labels, c->nlabels) ||
	    !pairs_match(s->annotations, s->nannotations, c->annotations,
			 c->nannotations))
		return 0;
	/* An image or namespace the container does not declare matches no
	 * template: unknown is not "anything". */
	if (s->nimages) {
		if (!c->image_valid)
			return 0;
		for (i = 0; i < s->nimages; i++)
			if (kcs_imagetpl_match(&s->images[i], &c->ref))
				break;
		if (i == s->nimages)
			return 0;
	}
	if (s->nnamespaces) {
		if (!c->k8s_namespace)
			return 0;
		for (i = 0; i < s->nnamespaces; i++)
			if (kcs_glob_match(s->namespaces[i], c->k8s_namespace, 0))
				break;
		if (i == s->nnamespaces)
			return 0;
	}
	return 1;
}

/* Index of the first selector of @sel that matches, or -1. */
static long first_match(const struct kcs_selector *sel, size_t n,
			const struct kcs_container *c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (selector_match(&sel[i], c))
			return (long)i;
	return -1;
}

/* ---- registered images ---- */

int kcs_image_registered(char *const *reg, size_t nreg,
			 const struct kcs_imageref *img)
{
	struct kcs_imageref e;
	struct kcs_err err;
	size_t i;

	for (i = 0; i < nreg; i++) {
		/* A normalised reference always has a '/'; a digest never. */
		if (!strchr(reg[i], '/')) {
			if (img->digest[0] && !strcmp(reg[i], img->digest))
				return 1;
			continue;
		}
		if (kcs_imageref_parse(reg[i], &e, &err) || strcmp(e.name, img->name))
			continue;
		/* A registered digest is the image; a registered tag is
		 * whatever the tag points to when the container starts. */
		if (e.digest[0] ? !strcmp(e.digest, img->digest) :
				  !strcmp(e.tag, img->tag))
			return 1;
	}
	return 0;
}

/* ---- findings ---- */

struct ctx {
	const struct kcs_container *c;
	const struct kcs_eval_opts *o;
	struct kcs_eval *ev;
	struct kcs_err *err;
};

static int add_finding(struct ctx *x, enum kcs_check check,
		       const struct kcs_policy *p, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int add_finding(struct ctx *x, enum kcs_check check,
		       const struct kcs_policy *p, const char *fmt, ...)
{
	struct kcs_eval *ev = x->ev;
	struct kcs_finding *f;
	enum kcs_start s;
	va_list ap;

	f = realloc(ev->findings, (ev->nfindings + 1) * sizeof(*f));
	if (!f)
		return kcs_err_set(x->err, KCS_EXIT_FAILED, "out of memory");
	ev->findings = f;
	f += ev->nfindings++;
	f->check = check;
	f->policy = p;
	va_start(ap, fmt);
	vsnprintf(f->reason, sizeof(f->reason), fmt, ap);
	va_end(ap);
	s = p->mode == KCS_MODE_ENFORCE ? KCS_START_DENY : KCS_START_AUDIT;
	if (ev->checks[check] < s)
		ev->checks[check] = s;
	return 0;
}

static void capsets_text(const struct kcs_container *c, int cap, char *buf,
			 size_t size)
{
	size_t o = 0;
	int s;

	buf[0] = '\0';
	for (s = 0; s < KCS_CAPSET_COUNT; s++)
		if (c->caps[s] & (1ULL << cap))
			o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s%s",
					      o ? ", " : "", kcs_capset_name(s));
}

static int check_caps(struct ctx *x, const struct kcs_policy *p)
{
	const struct kcs_container *c = x->c;
	uint64_t held = 0;
	char sets[128], list[1024];
	size_t o = 0;
	int s, cap;

	for (s = 0; s < KCS_CAPSET_COUNT; s++)
		held |= c->caps[s];
	if (p->checks.caps_all) {
		if (!held && !c->caps_unknown)
			return 0;
		list[0] = '\0';
		for (cap = 0; cap < KCS_CAP_COUNT; cap++)
			if (held & (1ULL << cap))
				o += (size_t)snprintf(list + o, o < sizeof(list) ?
						      sizeof(list) - o : 0, "%s%s",
						      o ? ", " : "", kcs_cap_name(cap));
		return add_finding(x, KCS_CHECK_CAPABILITIES, p,
				   "capabilities %s%s are held; policy %s blocks ALL",
				   list, c->caps_unknown ? (o ? " and some unknown to kcsadm" :
							     "unknown to kcsadm") : "",
				   p->name);
	}
	for (cap = 0; cap < KCS_CAP_COUNT; cap++) {
		if (!(held & p->checks.caps & (1ULL << cap)))
			continue;
		capsets_text(c, cap, sets, sizeof(sets));
		if (add_finding(x, KCS_CHECK_CAPABILITIES, p,
				"capability %s (%s) is blocked by policy %s",
				kcs_cap_name(cap), sets, p->name))
			return -1;
	}
	return 0;
}

/* @a within @b, also after resolving symlinks when asked. */
static int host_within(const struct ctx *x, const char *a, const char *b)
{
	char *ra, *rb;
	int in;

	if (kcs_path_within(a, b))
		return 1;
	if (!x->o || !x->o->resolve_paths)
		return 0;
	ra = realpath(a, NULL);
	rb = realpath(b, NULL);
	in = kcs_path_within(ra ? ra : a, rb ? rb : b);
	free(ra);
	free(rb);
	return in;
}

static int check_privileges(struct ctx *x, const struct kcs_policy *p)
{
	static const struct { enum kcs_priv priv; enum kcs_nstype ns; const char *what; } host_ns[] = {
		{ KCS_PRIV_HOST_PID, KCS_NS_PID, "PID" },
		{ KCS_PRIV_HOST_NET, KCS_NS_NETWORK, "network" },
		{ KCS_PRIV_HOST_IPC, KCS_NS_IPC, "IPC" },
	};
	const struct kcs_container *c = x->c;
	unsigned int want = p->checks.priv;
	size_t i;

	if ((want & (1U << KCS_PRIV_PRIVILEGED)) && c->privileged &&
	    add_finding(x, KCS_CHECK_PRIVILEGES, p,
			"container is privileged (every capability, %s), blocked by policy %s",
			!c->seccomp ? "no seccomp filter" : "no masked paths", p->name))
		return -1;
	for (i = 0; i < sizeof(host_ns) / sizeof(host_ns[0]); i++)
		if ((want & (1U << host_ns[i].priv)) &&
		    (c->ns_host & (1U << host_ns[i].ns)) &&
		    add_finding(x, KCS_CHECK_PRIVILEGES, p,
				"container shares the host's %s namespace (no \"%s\" in linux.namespaces), blocked by policy %s",
				host_ns[i].what, kcs_ns_name(host_ns[i].ns), p->name))
			return -1;
	if ((want & (1U << KCS_PRIV_NO_NEW_PRIVS)) && !c->no_new_privs &&
	    add_finding(x, KCS_CHECK_PRIVILEGES, p,
			"process.noNewPrivileges is not set (setuid programs can gain privileges), blocked by policy %s",
			p->name))
		return -1;
	if (want & (1U << KCS_PRIV_WRITABLE_HOST_MOUNTS)) {
		for (i = 0; i < c->nmounts; i++) {
			const struct kcs_mount *m = &c->mounts[i];

			if (!m->bind || m->ro || m->runtime_managed || !m->source)
				continue;
			if (add_finding(x, KCS_CHECK_PRIVILEGES, p,
					"host path %s is mounted read-write at %s, blocked by policy %s",
					m->source, m->destination, p->name))
				return -1;
		}
	}
	if ((want & (1U << KCS_PRIV_ROOT_USER)) && c->host_uid == 0 &&
	    add_finding(x, KCS_CHECK_PRIVILEGES, p,
			"process runs as root (uid 0%s), blocked by policy %s",
			c->ns_host & (1U << KCS_NS_USER) ? ", no user namespace" :
			", mapped to host uid 0", p->name))
		return -1;
	return 0;
}

static int check_volumes(struct ctx *x, const struct kcs_policy *p)
{
	const struct kcs_container *c = x->c;
	size_t i, k;

	for (i = 0; i < c->nmounts; i++) {
		const struct kcs_mount *m = &c->mounts[i];
		const char *rw = m->ro ? "read-only" : "read-write";

		if (!m->bind || m->runtime_managed || !m->source)
			continue;
		/* Prefix-aware both ways: /var/run blocks /var/run/x.sock,
		 * and mounting /var exposes /var/run. One finding per mount. */
		for (k = 0; k < p->checks.npaths; k++) {
			const char *b = p->checks.paths[k];

			if (host_within(x, m->source, b)) {
				if (add_finding(x, KCS_CHECK_VOLUMES, p,
						"host path %s is mounted %s at %s, blocked by policy %s (%s)",
						m->source, rw, m->destination, p->name, b))
					return -1;
				break;
			}
			if (host_within(x, b, m->source)) {
				if (add_finding(x, KCS_CHECK_VOLUMES, p,
						"host path %s is mounted %s at %s and holds %s, blocked by policy %s",
						m->source, rw, m->destination, b, p->name))
					return -1;
				break;
			}
		}
	}
	return 0;
}

/* The image cannot be judged: fail closed, with the reason. */
static int image_unknown(struct ctx *x, enum kcs_check check,
			 const struct kcs_policy *p)
{
	const struct kcs_container *c = x->c;

	if (c->image)
		return add_finding(x, check, p,
				   "image of annotation %s is not a valid reference (%s), blocked by policy %s",
				   c->image_source, c->image_error, p->name);
	return add_finding(x, check, p,
			   "image unknown (no image annotation; see docs/policy-format.md), blocked by policy %s",
			   p->name);
}

static int check_registries(struct ctx *x, const struct kcs_policy *p)
{
	const struct kcs_container *c = x->c;
	size_t i;

	if (!c->image_valid)
		return image_unknown(x, KCS_CHECK_REGISTRIES, p);
	for (i = 0; i < p->checks.nregistries; i++)
		if (kcs_registry_match(p->checks.registries[i], &c->ref))
			return 0;
	return add_finding(x, KCS_CHECK_REGISTRIES, p,
			   "registry %s of image %s is not allowed by policy %s",
			   c->ref.domain, c->ref.full, p->name);
}

static int check_unregistered(struct ctx *x, const struct kcs_policy *p)
{
	const struct kcs_container *c = x->c;

	if (!c->image_valid)
		return image_unknown(x, KCS_CHECK_UNREGISTERED, p);
	if (x->o && kcs_image_registered(x->o->registered, x->o->nregistered,
					 &c->ref))
		return 0;
	return add_finding(x, KCS_CHECK_UNREGISTERED, p,
			   "image %s is not registered (kcsadm image register), blocked by policy %s",
			   c->ref.full, p->name);
}

typedef int (*check_fn)(struct ctx *x, const struct kcs_policy *p);

static const check_fn check_fns[KCS_CHECK_COUNT] = {
	[KCS_CHECK_CAPABILITIES] = check_caps,
	[KCS_CHECK_PRIVILEGES] = check_privileges,
	[KCS_CHECK_VOLUMES] = check_volumes,
	[KCS_CHECK_REGISTRIES] = check_registries,
	[KCS_CHECK_UNREGISTERED] = check_unregistered,
};

/* ---- profiles ---- */

static int profile_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kcs_profile_use *)a)->name,
		      ((const struct kcs_profile_use *)b)->name);
}

static int add_profile(struct ctx *x, const char *name,
		       const struct kcs_policy *p, size_t mapping)
{
	struct kcs_eval *ev = x->ev;
	struct kcs_profile_use *u;
	size_t i, o;

	for (i = 0; i < ev->nprofiles; i++)
		if (!strcmp(ev->profiles[i].name, name))
			break;
	if (i == ev->nprofiles) {
		u = realloc(ev->profiles, (i + 1) * sizeof(*u));
		if (!u)
			return kcs_err_set(x->err, KCS_EXIT_FAILED, "out of memory");
		ev->profiles = u;
		memset(&u[i], 0, sizeof(u[i]));
		strcpy(u[i].name, name);
		ev->nprofiles++;
	}
	u = &ev->profiles[i];
	if (u->mode < p->mode)
		u->mode = p->mode;
	o = strlen(u->from);
	snprintf(u->from + o, sizeof(u->from) - o, "%s%s mappings[%zu]",
		 o ? ", " : "", p->name, mapping);
	return 0;
}

/* ---- the whole ---- */

static int result_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kcs_policy_result *)a)->policy->name,
		      ((const struct kcs_policy_result *)b)->policy->name);
}

/* Which policies apply, and why (not). */
static void select_policies(struct ctx *x)
{
	struct kcs_eval *ev = x->ev;
	size_t i;

	for (i = 0; i < ev->npolicies; i++) {
		struct kcs_policy_result *r = &ev->policies[i];
		const struct kcs_policy *p = r->policy;
		long s = -1, e;

		if (!p->enabled) {
			snprintf(r->why, sizeof(r->why), "disabled");
			continue;
		}
		if (p->nscope) {
			s = first_match(p->scope, p->nscope, x->c);
			if (s < 0) {
				snprintf(r->why, sizeof(r->why), "out of scope (no scope selector matches)");
				continue;
			}
		}
		/* Exclusions win over the scope. */
		e = first_match(p->exclusions, p->nexclusions, x->c);
		if (e >= 0) {
			snprintf(r->why, sizeof(r->why), "excluded by exclusions[%ld]", e);
			continue;
		}
		r->applies = 1;
		if (s >= 0)
			snprintf(r->why, sizeof(r->why), "scope[%ld] matches", s);
		else
			snprintf(r->why, sizeof(r->why), "no scope: every container");
	}
}

int kcs_policy_eval(const struct kcs_policy *pols, size_t n,
		    const struct kcs_container *c,
		    const struct kcs_eval_opts *opts, struct kcs_eval *ev,
		    struct kcs_err *err)
{
	struct ctx x = { .c = c, .o = opts, .ev = ev, .err = err };
	size_t i, m, k;
	int ch;

	memset(ev, 0, sizeof(*ev));
	if (n) {
		ev->policies = calloc(n, sizeof(*ev->policies));
		if (!ev->policies)
			return kcs_err_set(err, KCS_EXIT_FAILED, "out of memory");
	}
	for (i = 0; i < n; i++)
		ev->policies[i].policy = &pols[i];
	ev->npolicies = n;
	if (n)
		qsort(ev->policies, n, sizeof(*ev->policies), result_cmp);
	select_policies(&x);

	for (i = 0; i < n; i++) {
		const struct kcs_policy *p = ev->policies[i].policy;

		if (!ev->policies[i].applies)
			continue;
		for (m = 0; m < p->nmappings; m++) {
			if (!selector_match(&p->mappings[m].sel, c))
				continue;
			for (k = 0; k < p->mappings[m].nprofiles; k++)
				if (add_profile(&x, p->mappings[m].profiles[k], p, m))
					goto fail;
		}
	}
	if (ev->nprofiles)
		qsort(ev->profiles, ev->nprofiles, sizeof(*ev->profiles), profile_cmp);
	ev->mode = KCS_MODE_NONE;
	for (i = 0; i < ev->nprofiles; i++)
		if (ev->mode < ev->profiles[i].mode)
			ev->mode = ev->profiles[i].mode;

	for (ch = 0; ch < KCS_CHECK_COUNT; ch++) {
		for (i = 0; i < n; i++) {
			const struct kcs_policy *p = ev->policies[i].policy;

			if (!ev->policies[i].applies ||
			    !(p->checks.enabled & (1U << ch)))
				continue;
			if (ev->checks[ch] < KCS_START_PASS)
				ev->checks[ch] = KCS_START_PASS;
			if (check_fns[ch](&x, p))
				goto fail;
		}
		if (ev->start < ev->checks[ch])
			ev->start = ev->checks[ch];
	}
	return 0;
fail:
	kcs_eval_free(ev);
	return -1;
}

void kcs_eval_free(struct kcs_eval *ev)
{
	free(ev->policies);
	free(ev->profiles);
	free(ev->findings);
	memset(ev, 0, sizeof(*ev));
}
