/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Behavioural learning (kcsadm learn): what a container did, taken from
 * the events of a learning profile bound to it under Audit, made into a
 * profile that allows exactly that. Bounded: at most KCS_LEARN_MAX of
 * each kind are kept, the rest counted.
 */
#ifndef KCS_LEARN_H
#define KCS_LEARN_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "dns_answer.h"
#include "events.h"

#define KCS_LEARN_MAX		16384	/* programs, destinations, ports */

/*
 * The profile bound while learning: every exec, connection, datagram and
 * listening socket of the container gives an event, and nothing is
 * denied (it is bound under Audit). Exec: an allow list of "/" alone, a
 * directory, which nothing can run; without "libraries", so mappings are
 * not judged (no event per library). %s: its name.
 */
#define KCS_LEARN_PROFILE_JSON \
	"{\"name\":\"%s\",\"description\":\"kcsadm learn\"," \
	"\"exec\":{\"mode\":\"allow\",\"allow\":[\"/\"]}," \
	"\"network\":{\"egress\":{\"mode\":\"block\",\"rules\":[" \
	"{\"cidr\":\"0.0.0.0/0\"},{\"cidr\":\"::/0\"}]}," \
	"\"listen\":{\"monitor\":true}}}"

/*
 * The learning profile's "files" section: every open and every change of
 * a name reported ("default": "audit" with no allow list), from the
 * container's first exec on.
 */
#define KCS_LEARN_FILES_JSON	"{\"default\":\"audit\"}"

/*
 * The system calls learning watches: those a container rarely needs and
 * an attacker wants (namespaces, mounts old and new, tracing, kernel
 * modules and keys, BPF, io_uring...). Each gets an audit rule in the
 * learning profile; the learned profile denies those never made and
 * allows io_uring explicitly when it was used (see syscalls.md).
 */
extern const char *const kcs_learn_syscalls[];
extern const size_t kcs_learn_nsyscalls;

/*
 * The learning profile's "syscalls" section: an audit rule per watched
 * call. NULL when out of memory.
 */
json_t *kcs_learn_syscalls_json(void);

struct kcs_learn_dest {
	uint32_t family;	/* AF_INET, AF_INET6 */
	uint32_t proto;		/* IPPROTO_* */
	uint32_t port;
	char addr[64];
};

/* A name an address was given by a DNS answer the container received. */
struct kcs_learn_name {
	char addr[64];		/* as events print it */
	char *fqdn;		/* the first name seen for it */
};

/* A sorted set of strings (binary search, insertion by memmove). */
struct kcs_learn_strs {
	char **v;
	size_t n, cap;
};

struct kcs_learn {
	uint64_t cgroup_id;	/* the bound cgroup whose events count */
	const char *profile;	/* the learning profile's name */
	struct kcs_learn_strs execs;	/* "/path" or "/path/applet" */
	struct kcs_learn_strs reads;	/* files read (opened, renamed away) */
	struct kcs_learn_strs writes;	/* files changed, created, removed */
	struct kcs_learn_dest *dests;	/* sorted, unique */
	size_t ndests, cap_dests;
	struct kcs_learn_name *names;	/* sorted by addr, unique */
	size_t nnames, cap_names;
	uint8_t listen[65536 / 8];	/* ports listened on (bind, listen) */
	unsigned int nlisten;
	int syscalls_watched;	/* the learning profile had its syscalls */
	uint64_t syscalls_seen;	/* bit i: kcs_learn_syscalls[i] was made */
	uint64_t events;	/* events of this container taken */
	uint64_t undecidable;	/* execs without a name: not learned */
	uint64_t files_nameless;	/* file accesses without a name */
	uint64_t over;		/* items past KCS_LEARN_MAX, not kept */
};

struct kcs_learn_opts {
	const char *name;	/* the learned profile's name */
	const char *description;
	/* Programs of one directory at or past this many become one mask
	 * of the directory (0: never). */
	unsigned int collapse;
};

/* Take one event; 0, or -1 when out of memory. */
int kcs_learn_event(struct kcs_learn *l, const struct kcs_event *ev);

/*
 * Take one DNS answer the container received: its addresses get its name
 * (the first name an address was given stays). 0, or -1 when out of
 * memory.
 */
int kcs_learn_dns(struct kcs_learn *l, const struct kcs_dns_answer *a);

/*
 * The learned profile: exec allow list (the programs run), egress allow
 * list (each address, or the name a DNS answer gave it, with its ports,
 * per protocol), listen ports blocked
 * but those listened on, and, when they were watched, the watched system
 * calls never made denied; a section is left out when nothing of its kind
 * was seen. NULL when out of memory.
 */
json_t *kcs_learn_profile(const struct kcs_learn *l,
			  const struct kcs_learn_opts *o);

/*
 * Add @s (malloc'ed; the set takes it, or frees it when it is there
 * already or the set is full, counting the latter in *@over). 0, or -1
 * when out of memory.
 */
int kcs_learn_str_add(struct kcs_learn_strs *set, char *s, uint64_t *over);
void kcs_learn_strs_free(struct kcs_learn_strs *set);

/* Take a file event (learn_files.c). 0, or -1 when out of memory. */
int kcs_learn_file(struct kcs_learn *l, const struct kcs_event *ev);

/*
 * The learned "files" section: "default": "deny" and allow lists of what
 * was read and changed, generalised (learn_files.c). @collapse: files
 * directly in one directory at or past this many become one pattern of
 * the directory (0: never). NULL when out of memory.
 */
json_t *kcs_learn_files_json(const struct kcs_learn *l, unsigned int collapse);

/* A path as a mask matching exactly it ('*' and '\' escaped). malloc'ed. */
char *kcs_learn_mask_escape(const char *path);

void kcs_learn_free(struct kcs_learn *l);

#endif /* KCS_LEARN_H */
