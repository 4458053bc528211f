// SPDX-License-Identifier: GPL-2.0
/*
 * Behavioural learning: events of a learning profile into sets of what
 * the container did, and those sets into a profile (learn.h).
 *
 * The sets are sorted arrays (binary search, insertion by memmove): at
 * most KCS_LEARN_MAX entries each, so an insertion moves at most a few
 * hundred KiB, and the output comes out sorted, which a person reviewing
 * the profile wants anyway.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/kcs.h>

#include "learn.h"

/* Index of @key in @v[0..n), or -(insertion point) - 1. */
static long str_find(char *const *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid], key);

		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -(long)lo - 1;
}

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 64;
	void *nv;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	nv = realloc(*v, ncap * size);
	if (!nv)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

int kcs_learn_str_add(struct kcs_learn_strs *set, char *s, uint64_t *over)
{
	long at = str_find(set->v, set->n, s);

	if (at >= 0 || set->n >= KCS_LEARN_MAX) {
		*over += at < 0;
		free(s);
		return 0;
	}
	if (grow((void **)&set->v, &set->cap, set->n + 1, sizeof(*set->v))) {
		free(s);
		return -1;
	}
	at = -at - 1;
	memmove(&set->v[at + 1], &set->v[at],
		(set->n - (size_t)at) * sizeof(*set->v));
	set->v[at] = s;
	set->n++;
	return 0;
}

void kcs_learn_strs_free(struct kcs_learn_strs *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		free(set->v[i]);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

static int add_exec(struct kcs_learn *l, const char *path, const char *applet)
{
	size_t len = strlen(path) + (applet ? strlen(applet) + 1 : 0) + 1;
	char *s;

	s = malloc(len);
	if (!s)
		return -1;
	snprintf(s, len, "%s%s%s", path, applet ? "/" : "", applet ? applet : "");
	return kcs_learn_str_add(&l->execs, s, &l->over);
}

static int dest_cmp(const struct kcs_learn_dest *a,
		    const struct kcs_learn_dest *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	c = strcmp(a->addr, b->addr);
	if (c)
		return c;
	return a->port < b->port ? -1 : a->port > b->port;
}

static int add_dest(struct kcs_learn *l, const struct kcs_learn_dest *d)
{
	size_t lo = 0, hi = l->ndests;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = dest_cmp(&l->dests[mid], d);

		if (!c)
			return 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (l->ndests >= KCS_LEARN_MAX) {
		l->over++;
		return 0;
	}
	if (grow((void **)&l->dests, &l->cap_dests, l->ndests + 1,
		 sizeof(*l->dests)))
		return -1;
	memmove(&l->dests[lo + 1], &l->dests[lo],
		(l->ndests - lo) * sizeof(*l->dests));
	l->dests[lo] = *d;
	l->ndests++;
	return 0;
}

const char *const kcs_learn_syscalls[] = {
	"unshare", "setns", "mount", "umount2", "pivot_root", "chroot",
	"fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
	"mount_setattr", "open_by_handle_at", "name_to_handle_at",
	"ptrace", "process_vm_readv", "process_vm_writev", "perf_event_open",
	"bpf", "userfaultfd", "keyctl", "add_key", "request_key",
	"init_module", "finit_module", "delete_module", "kexec_load",
	"kexec_file_load", "personality", "swapon", "swapoff", "reboot",
	"settimeofday", "clock_settime", "adjtimex", "clock_adjtime", "acct",
	"quotactl", "syslog", "iopl", "ioperm", "io_uring_setup",
	"io_uring_enter", "io_uring_register",
};
const size_t kcs_learn_nsyscalls = sizeof(kcs_learn_syscalls) /
				   sizeof(kcs_learn_syscalls[0]);

_Static_assert(sizeof(kcs_learn_syscalls) / sizeof(kcs_learn_syscalls[0]) <= 64,
	       "kcs_learn.syscalls_seen has 64 bits");
_Static_assert(sizeof(kcs_learn_syscalls) / sizeof(kcs_learn_syscalls[0]) <=
	       KCS_SYS_MAX_NAMES, "one profile names at most KCS_SYS_MAX_NAMES calls");

json_t *kcs_learn_syscalls_json(void)
{
	json_t *rules = json_array();
	size_t i;

	for (i = 0; rules && i < kcs_learn_nsyscalls; i++)
		if (json_array_append_new(rules, json_pack("{s:s,s:s}", "syscall",
							   kcs_learn_syscalls[i],
							   "action", "audit"))) {
			json_decref(rules);
			return NULL;
		}
	return rules ? json_pack("{s:o}", "rules", rules) : NULL;
}

static void add_syscall(struct kcs_learn *l, const char *name)
{
	size_t i;

	for (i = 0; name && i < kcs_learn_nsyscalls; i++)
		if (!strcmp(name, kcs_learn_syscalls[i]))
			l->syscalls_seen |= 1ULL << i;
}

int kcs_learn_event(struct kcs_learn *l, const struct kcs_event *ev)
{
	struct kcs_learn_dest d;

	if (ev->src != KCS_EV_SRC_KERNEL || ev->bound_cgroup_id != l->cgroup_id ||
	    !ev->profile || strcmp(ev->profile, l->profile))
		return 0;
	l->events++;
	switch (ev->hook) {
	case KCS_HOOK_EXEC:
		if (ev->rule_kind == KCS_RULE_UNDECIDABLE || !ev->path ||
		    ev->path[0] != '/') {
			l->undecidable++;
			return 0;
		}
		return add_exec(l, ev->path, ev->applet);
	case KCS_HOOK_CONNECT:
	case KCS_HOOK_SENDMSG:
		if (ev->family != AF_INET && ev->family != AF_INET6)
			return 0;
		memset(&d, 0, sizeof(d));
		d.family = ev->family;
		d.proto = ev->proto;
		d.port = ev->port;
		snprintf(d.addr, sizeof(d.addr), "%s", ev->addr);
		return add_dest(l, &d);
	case KCS_HOOK_BIND:
	case KCS_HOOK_LISTEN:
		if (ev->port && ev->port < 65536 &&
		    !(l->listen[ev->port / 8] & (1u << (ev->port % 8)))) {
			l->listen[ev->port / 8] |= (uint8_t)(1u << (ev->port % 8));
			l->nlisten++;
		}
		return 0;
	case KCS_HOOK_SYSCALL:
		add_syscall(l, ev->syscall);
		return 0;
	case KCS_HOOK_FILE:
		return kcs_learn_file(l, ev);
	default:	/* nothing else is judged by the learning profile */
		return 0;
	}
}

/* @r's address as events print it (inet_ntop of the network bytes). */
static int resolved_text(const struct kcs_net_resolved *r, char *buf,
			 size_t len)
{
	uint8_t b[16];
	int i;

	for (i = 0; i < 4; i++) {
		b[4 * i] = (uint8_t)(r->w[i] >> 24);
		b[4 * i + 1] = (uint8_t)(r->w[i] >> 16);
		b[4 * i + 2] = (uint8_t)(r->w[i] >> 8);
		b[4 * i + 3] = (uint8_t)r->w[i];
	}
	return inet_ntop(r->v6 ? AF_INET6 : AF_INET, r->v6 ? b : b + 12, buf,
			 (socklen_t)len) ? 0 : -1;
}

/* Where address @addr is in l->names (1), or would go (0): *@pos. */
static int name_find(const struct kcs_learn *l, const char *addr, size_t *pos)
{
	size_t lo = 0, hi = l->nnames;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(l->names[mid].addr, addr);

		if (!c) {
			*pos = mid;
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return 0;
}

/* The name of address @addr, or NULL. */
static const char *name_of(const struct kcs_learn *l, const char *addr)
{
	size_t pos;

	return name_find(l, addr, &pos) ? l->names[pos].fqdn : NULL;
}

int kcs_learn_dns(struct kcs_learn *l, const struct kcs_dns_answer *a)
{
	size_t i, at;

	for (i = 0; i < a->naddrs; i++) {
		struct kcs_learn_name n = { 0 };

		if (resolved_text(&a->addrs[i], n.addr, sizeof(n.addr)) ||
		    name_find(l, n.addr, &at))
			continue;	/* named already: the first name stays */
		if (l->nnames >= KCS_LEARN_MAX) {
			l->over++;
			continue;
		}
		n.fqdn = strdup(a->qname);
		if (!n.fqdn || grow((void **)&l->names, &l->cap_names,
				    l->nnames + 1, sizeof(*l->names))) {
			free(n.fqdn);
			return -1;
		}
		memmove(&l->names[at + 1], &l->names[at],
			(l->nnames - at) * sizeof(*l->names));
		l->names[at] = n;
		l->nnames++;
	}
	return 0;
}

char *kcs_learn_mask_escape(const char *path)
{
	char *s = malloc(2 * strlen(path) + 1), *p = s;

	if (!s)
		return NULL;
	for (; *path; path++) {
		if (*path == '*' || *path == '\\')
			*p++ = '\\';
		*p++ = *path;
	}
	*p = '\0';
	return s;
}

/* Length of @path's directory part, its last '/' included. */
static size_t dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) + 1 : 0;
}

/*
 * Whether the directory part (@dl bytes) of @path is a multi-call binary
 * ("/bin/busybox/" of the applet "/bin/busybox/ls"): its applets are never
 * collapsed, "/bin/busybox/<star>" would allow every applet.
 */
static int multicall_dir(const char *path, size_t dl)
{
	size_t b = dl - 1;

	while (b > 0 && path[b - 1] != '/')
		b--;
	return dl > 1 && !strncmp(path + b, "busybox", 7);
}

/* The exec allow list: each program, or "DIR/<star>" for a crowded directory. */
static json_t *exec_allow(const struct kcs_learn *l, unsigned int collapse)
{
	json_t *a = json_array();
	size_t i = 0, j;

	while (a && i < l->execs.n) {
		size_t dl = dir_len(l->execs.v[i]);
		char *m;

		/* Sorted: the names under a directory are consecutive
		 * (those of its subdirectories too, which "DIR/<star>" covers). */
		for (j = i + 1; j < l->execs.n &&
		     !strncmp(l->execs.v[j], l->execs.v[i], dl); j++)
			;
		if (collapse && j - i >= collapse &&
		    !multicall_dir(l->execs.v[i], dl)) {
			char *dir = strndup(l->execs.v[i], dl);

			m = dir ? kcs_learn_mask_escape(dir) : NULL;
			free(dir);
			if (!m || json_array_append_new(a, json_pack("{s:s+}", "mask",
								     m, "*"))) {
				free(m);
				json_decref(a);
				return NULL;
			}
			free(m);
			i = j;
			continue;
		}
		m = kcs_learn_mask_escape(l->execs.v[i]);
		if (!m || json_array_append_new(a, json_string(m))) {
			free(m);
			json_decref(a);
			return NULL;
		}
		free(m);
		i++;
	}
	return a;
}

static const char *proto_name(uint32_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	default:
		return NULL;
	}
}

/* A destination as the profile names it: by the name DNS gave it, else
 * by its address. */
struct dest_key {
	const char *key;
	int fqdn;
	uint32_t proto;
	uint32_t port;
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct dest_key *a = pa, *b = pb;
	int c;

	if (a->fqdn != b->fqdn)
		return a->fqdn - b->fqdn;
	c = strcmp(a->key, b->key);
	if (c)
		return c;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	return a->port < b->port ? -1 : a->port > b->port;
}

static json_t *egress_rule(const struct dest_key *k, json_t *ports)
{
	const char *proto = proto_name(k->proto);
	json_t *r = json_pack("{s:s}", k->fqdn ? "fqdn" : "cidr", k->key);

	/*
	 * Other protocols (SCTP, ICMP, ...) have no protocol key in a rule:
	 * their destination is allowed whole.
	 */
	if (r && proto && (json_object_set(r, "ports", ports) ||
			   json_object_set_new(r, "protocol", json_string(proto)))) {
		json_decref(r);
		r = NULL;
	}
	json_decref(ports);
	return r;
}

/*
 * The egress allow list: one rule per destination (the name DNS gave its
 * address, else the address) and protocol, with the ports used.
 */
static json_t *egress_allow(const struct kcs_learn *l)
{
	struct dest_key *k = calloc(l->ndests ? l->ndests : 1, sizeof(*k));
	json_t *a = json_array();
	size_t i, j, n = 0;

	for (i = 0; k && i < l->ndests; i++) {
		const char *name = name_of(l, l->dests[i].addr);

		k[n].key = name ? name : l->dests[i].addr;
		k[n].fqdn = !!name;
		k[n].proto = l->dests[i].proto;
		k[n].port = l->dests[i].port;
		n++;
	}
	if (!k) {
		json_decref(a);
		return NULL;
	}
	qsort(k, n, sizeof(*k), key_cmp);
	for (i = 0; a && i < n; i = j) {
		json_t *ports = json_array(), *r;
		uint32_t last = UINT32_MAX;

		for (j = i; j < n && k[j].fqdn == k[i].fqdn &&
		     !strcmp(k[j].key, k[i].key) && k[j].proto == k[i].proto; j++) {
			char p[8];

			if (k[j].port == last)
				continue;	/* two addresses of one name */
			last = k[j].port;
			snprintf(p, sizeof(p), "%u", k[j].port);
			if (ports)
				json_array_append_new(ports, json_string(p));
		}
		r = ports ? egress_rule(&k[i], ports) : NULL;
		if (!r || json_array_append_new(a, r)) {
			json_decref(a);
			a = NULL;
		}
	}
	free(k);
	return a;
}

/* The ports not listened on, 1..65535, as ranges: a listen block list. */
static json_t *listen_block(const struct kcs_learn *l)
{
	json_t *a = json_array();
	unsigned int p = 1;

	while (a && p < 65536) {
		unsigned int start;
		char r[16];

		while (p < 65536 && (l->listen[p / 8] & (1u << (p % 8))))
			p++;
		if (p == 65536)
			break;
		start = p;
		while (p < 65536 && !(l->listen[p / 8] & (1u << (p % 8))))
			p++;
		if (start == p - 1)
			snprintf(r, sizeof(r), "%u", start);
		else
			snprintf(r, sizeof(r), "%u-%u", start, p - 1);
		if (json_array_append_new(a, json_string(r))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/*
 * The watched calls never made, denied; io_uring's, when used, allowed by
 * name (or the guard every rule set carries would refuse them).
 */
static json_t *syscalls_learned(const struct kcs_learn *l)
{
	json_t *rules = json_array();
	size_t i;

	for (i = 0; rules && i < kcs_learn_nsyscalls; i++) {
		int seen = !!(l->syscalls_seen & (1ULL << i));
		int uring = !strncmp(kcs_learn_syscalls[i], "io_uring_", 9);

		if (seen && !uring)
			continue;	/* made, and allowed by default */
		if (json_array_append_new(rules, json_pack("{s:s,s:s}", "syscall",
							   kcs_learn_syscalls[i],
							   "action", seen ? "allow" : "deny"))) {
			json_decref(rules);
			return NULL;
		}
	}
	return rules ? json_pack("{s:o}", "rules", rules) : NULL;
}

json_t *kcs_learn_profile(const struct kcs_learn *l,
			  const struct kcs_learn_opts *o)
{
	json_t *prof = json_pack("{s:s}", "name", o->name), *net = NULL, *v;

	if (!prof)
		return NULL;
	if (o->description &&
	    json_object_set_new(prof, "description", json_string(o->description)))
		goto fail;
	if (l->execs.n) {
		v = exec_allow(l, o->collapse);
		if (!v || json_object_set_new(prof, "exec",
					      json_pack("{s:s,s:o}", "mode", "allow",
							"allow", v)))
			goto fail;
	}
	if (l->ndests || l->nlisten) {
		net = json_object();
		if (!net || json_object_set_new(prof, "network", net))
			goto fail;
	}
	if (l->ndests) {
		v = egress_allow(l);
		if (!v || json_object_set_new(net, "egress",
					      json_pack("{s:s,s:o}", "mode", "allow",
							"allow", v)))
			goto fail;
	}
	if (l->nlisten) {
		v = listen_block(l);
		if (!v || json_object_set_new(net, "listen",
					      json_pack("{s:s,s:o}", "mode", "block",
							"ports", v)))
			goto fail;
	}
	if (l->reads.n || l->writes.n) {
		v = kcs_learn_files_json(l, o->collapse);
		if (!v || json_object_set_new(prof, "files", v))
			goto fail;
	}
	if (l->syscalls_watched) {
		v = syscalls_learned(l);
		if (!v || json_object_set_new(prof, "syscalls", v))
			goto fail;
	}
	return prof;
fail:
	json_decref(prof);
	return NULL;
}

void kcs_learn_free(struct kcs_learn *l)
{
	size_t i;

	kcs_learn_strs_free(&l->execs);
	kcs_learn_strs_free(&l->reads);
	kcs_learn_strs_free(&l->writes);
	for (i = 0; i < l->nnames; i++)
		free(l->names[i].fqdn);
	free(l->dests);
	free(l->names);
	l->dests = NULL;
	l->names = NULL;
	l->nnames = l->cap_names = 0;
	l->ndests = l->cap_dests = 0;
}
