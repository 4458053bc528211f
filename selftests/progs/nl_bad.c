// SPDX-License-Identifier: GPL-2.0
/*
 * nl_bad: malformed generic netlink requests against the live kcs module.
 *
 *   nl_bad [-n ITERATIONS] [-s SEED] PROFILE SPARE CGROUP_ID
 *
 * PROFILE is an existing profile bound to cgroup CGROUP_ID (its target for
 * bad replacements, binds and unbinds: none may change it), SPARE an
 * existing unbound profile (the target of bad deletes). Raw AF_NETLINK
 * sockets, no libnl: every byte is ours. Every command of the family gets
 * wrong attribute types and lengths, missing, unknown and out-of-range
 * attributes, bad blobs (chunking, sizes, verifier failures), bad headers;
 * each case is one TAP line asserting the errno of the kernel's
 * NLMSG_ERROR (and, for the module's own checks, its extack message, so a
 * case cannot pass by failing for another reason). Then ITERATIONS random
 * mutations of a valid PROFILE_SET, each judged by an oracle written from
 * the ABI (uapi/linux/kcs.h) and the attribute policy: the kernel must
 * answer every one with exactly one well-formed NLMSG_ERROR, accept exactly
 * what the oracle accepts, and give the oracle's errno otherwise.
 *
 * Output: "ok - DESC" / "not ok - DESC" lines (no numbers: the calling
 * test numbers them) and "# " comments; the last line is "# nl_bad: end".
 * Exit status 0 when everything passed, 1 when something failed, 2 when it
 * could not run (module not loaded, bad arguments).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/kcs.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define GENL_MSG_HDRLEN	(NLMSG_HDRLEN + GENL_HDRLEN)
#define DFA_HDR		sizeof(struct kcs_dfa_hdr)
#define NET_HDR		sizeof(struct kcs_net_hdr)

static int failures, checks;
static int fd = -1;
static uint16_t fam;
static uint32_t seqno = 1;

static void tap(int pass, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (!pass)
		failures++;
	printf("%s - ", pass ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void die(const char *what)
{
	printf("# nl_bad: %s: %s\n", what, strerror(errno));
	exit(2);
}

static const char *errname(int e)
{
	static char buf[32];

	switch (e) {
	case 0: return "success";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case E2BIG: return "E2BIG";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case ENOENT: return "ENOENT";
	case EBUSY: return "EBUSY";
	case ENOSPC: return "ENOSPC";
	case EPERM: return "EPERM";
	case ENOMEM: return "ENOMEM";
	case EMSGSIZE: return "EMSGSIZE";
	case ENOBUFS: return "ENOBUFS";
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* ---- messages ---------------------------------------------------------- */

struct msg {
	unsigned char *b;
	size_t len, cap;
};

static void m_reserve(struct msg *m, size_t more)
{
	size_t want = m->len + more;

	if (want <= m->cap)
		return;
	if (want < 2 * m->cap)
		want = 2 * m->cap;
	m->b = realloc(m->b, want);
	if (!m->b)
		die("out of memory");
	m->cap = want;
}

static struct nlmsghdr *m_nlh(struct msg *m)
{
	return (struct nlmsghdr *)m->b;
}

static struct genlmsghdr *m_genl(struct msg *m)
{
	return (struct genlmsghdr *)(m->b + NLMSG_HDRLEN);
}

/* A request of our family: NLM_F_REQUEST | NLM_F_ACK plus @flags. */
static void m_start(struct msg *m, uint8_t cmd, uint16_t flags)
{
	m->len = 0;
	m_reserve(m, GENL_MSG_HDRLEN);
	memset(m->b, 0, GENL_MSG_HDRLEN);
	m_nlh(m)->nlmsg_type = fam;
	m_nlh(m)->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	m_genl(m)->cmd = cmd;
	m_genl(m)->version = KCS_GENL_VERSION;
	m->len = GENL_MSG_HDRLEN;
}

static void m_attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;

	m_reserve(m, NLA_ALIGN(NLA_HDRLEN + len));
	a = (struct nlattr *)(m->b + m->len);
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	a->nla_type = type;
	if (len)
		memcpy(a + 1, data, len);
	memset(m->b + m->len + NLA_HDRLEN + len, 0,
	       NLA_ALIGN(NLA_HDRLEN + len) - NLA_HDRLEN - len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
}

static void m_u32(struct msg *m, uint16_t type, uint32_t v)
{
	m_attr(m, type, &v, sizeof(v));
}

static void m_u64(struct msg *m, uint16_t type, uint64_t v)
{
	m_attr(m, type, &v, sizeof(v));
}

static void m_str(struct msg *m, uint16_t type, const char *s)
{
	m_attr(m, type, s, strlen(s) + 1);
}

static void m_raw(struct msg *m, const void *p, size_t len)
{
	m_reserve(m, len);
	memcpy(m->b + m->len, p, len);
	m->len += len;
}

/* @len bytes of @p as consecutive attributes of at most @chunk bytes. */
static void m_chunks(struct msg *m, uint16_t type, const void *p, size_t len,
		     size_t chunk)
{
	const unsigned char *c = p;
	size_t off = 0;

	if (!len) {
		m_attr(m, type, NULL, 0);
		return;
	}
	for (; off < len; off += chunk)
		m_attr(m, type, c + off, len - off < chunk ? len - off : chunk);
}

static void m_free(struct msg *m)
{
	free(m->b);
	memset(m, 0, sizeof(*m));
}

/* ---- transport --------------------------------------------------------- */

struct reply {
	int done;		/* the final NLMSG_ERROR (or NLMSG_DONE) came */
	int err;		/* its status, <= 0 */
	int ndata;		/* data messages of the family before it */
	int bad;		/* something malformed or unexpected: why */
	char why[200];
	char ext[200];		/* extack message, "" when none */
};

typedef void (*data_fn)(const struct nlmsghdr *h, void *arg);

static int send_raw(const void *p, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	n = sendto(fd, p, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static void r_bad(struct reply *r, const char *fmt, ...)
{
	va_list ap;

	if (r->bad++)
		return;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

/* The extack TLVs after an error or a dump's status. */
static void parse_tlvs(const unsigned char *p, int len, struct reply *r)
{
	const struct nlattr *a;

	for (a = (const void *)p; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	     a->nla_len <= len; len -= NLA_ALIGN(a->nla_len),
	     a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG &&
		    a->nla_len > NLA_HDRLEN)
			snprintf(r->ext, sizeof(r->ext), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)(a + 1));
	}
}

static void parse_error(const struct nlmsghdr *h, uint16_t type, uint32_t seq,
			struct reply *r)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
		r_bad(r, "NLMSG_ERROR of %u bytes", h->nlmsg_len);
		return;
	}
	r->done = 1;
	r->err = e->error;
	if (e->error > 0 || e->error < -4095)
		r_bad(r, "NLMSG_ERROR with error %d", e->error);
	if (e->msg.nlmsg_seq != seq || e->msg.nlmsg_type != type)
		r_bad(r, "NLMSG_ERROR echoes seq %u type %u, want %u %u",
		      e->msg.nlmsg_seq, e->msg.nlmsg_type, seq, type);
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = sizeof(*e);
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (NLMSG_LENGTH(off) < h->nlmsg_len)
		parse_tlvs((const unsigned char *)NLMSG_DATA(h) + off,
			   h->nlmsg_len - NLMSG_LENGTH(off), r);
}

/*
 * Read the answer to request @seq of type @type: data messages (handed to
 * @fn) until its NLMSG_ERROR, or NLMSG_DONE for a dump. Anything else (a
 * reply to another request, no reply within 5 s) is "bad".
 */
static void recv_reply(uint16_t type, uint32_t seq, int dump, struct reply *r,
		       data_fn fn, void *arg)
{
	static unsigned char buf[1 << 17];

	while (!r->done && !r->bad) {
		const struct nlmsghdr *h;
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		int len;

		if (n < 0) {
			r_bad(r, errno == EAGAIN ? "no reply within 5 s" :
			      "recv: %s", strerror(errno));
			return;
		}
		if ((size_t)n > sizeof(buf)) {
			r_bad(r, "reply of %zd bytes", n);
			return;
		}
		len = (int)n;
		for (h = (const void *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			/* An event: a mutant subscribed this socket. */
			if (h->nlmsg_seq == 0 && h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (h->nlmsg_seq != seq) {
				r_bad(r, "a message (type %u) for request %u, not %u",
				      h->nlmsg_type, h->nlmsg_seq, seq);
				continue;
			}
			if (r->done) {
				r_bad(r, "a message after the final one");
			} else if (h->nlmsg_type == NLMSG_ERROR) {
				parse_error(h, type, seq, r);
			} else if (h->nlmsg_type == NLMSG_DONE && dump) {
				const int *st = NLMSG_DATA(h);

				r->done = 1;
				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					r->err = *st;
				if ((h->nlmsg_flags & NLM_F_ACK_TLVS) &&
				    h->nlmsg_len > NLMSG_LENGTH(NLMSG_ALIGN(sizeof(int))))
					parse_tlvs((const unsigned char *)NLMSG_DATA(h) +
						   NLMSG_ALIGN(sizeof(int)),
						   h->nlmsg_len -
						   NLMSG_LENGTH(NLMSG_ALIGN(sizeof(int))), r);
			} else if (h->nlmsg_type == type) {
				r->ndata++;
				if (fn)
					fn(h, arg);
			} else {
				r_bad(r, "unexpected message type %u", h->nlmsg_type);
			}
		}
		if (len > 0)
			r_bad(r, "%d bytes of a truncated message", len);
	}
}

/* Send @m (its length and a fresh seq filled in) and read the answer. */
static void xfer(struct msg *m, struct reply *r, data_fn fn, void *arg)
{
	struct nlmsghdr *h = m_nlh(m);
	int err;

	memset(r, 0, sizeof(*r));
	h->nlmsg_len = (uint32_t)m->len;
	h->nlmsg_seq = ++seqno;
	err = send_raw(m->b, m->len);
	if (err) {
		r_bad(r, "send: %s", strerror(-err));
		return;
	}
	recv_reply(h->nlmsg_type, h->nlmsg_seq,
		   (h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP, r, fn, arg);
}

static void r_diag(const struct reply *r)
{
	if (r->bad)
		diag("  %s", r->why);
	else if (!r->done)
		diag("  no final message");
	else
		diag("  got %s%s%s%s, %d data messages", errname(-r->err),
		     *r->ext ? " (kernel: " : "", r->ext, *r->ext ? ")" : "",
		     r->ndata);
}

/*
 * The case's TAP line: the kernel answered @m with exactly one NLMSG_ERROR,
 * errno @want (0: an ACK), with an extack message containing @sub (NULL:
 * any), and no data.
 */
static void expect(struct msg *m, int want, const char *sub, const char *fmt, ...)
{
	struct reply r;
	char desc[300];
	va_list ap;
	int pass;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	xfer(m, &r, NULL, NULL);
	pass = !r.bad && r.done && r.err == -want && !r.ndata &&
	       (!sub || strstr(r.ext, sub));
	tap(pass, "%s: %s%s%s%s", desc, errname(want), sub ? " \"" : "",
	    sub ? sub : "", sub ? "\"" : "");
	if (!pass)
		r_diag(&r);
}

/* ---- family, status, dumps --------------------------------------------- */

static void on_family(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *a = (const void *)((const char *)NLMSG_DATA(h) + GENL_HDRLEN);
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	(void)arg;
	for (; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len)))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID && a->nla_len >= NLA_HDRLEN + 2)
			memcpy(&fam, a + 1, 2);
}

static int resolve_family(void)
{
	struct msg m = { 0 };
	struct reply r;

	m_start(&m, CTRL_CMD_GETFAMILY, 0);
	m_nlh(&m)->nlmsg_type = GENL_ID_CTRL;
	m_genl(&m)->version = 2;
	m_str(&m, CTRL_ATTR_FAMILY_NAME, KCS_GENL_NAME);
	fam = 0;
	xfer(&m, &r, on_family, NULL);
	m_free(&m);
	return r.done && !r.err && fam ? 0 : -1;
}

/* Attributes of a family message, indexed by type (the last one wins). */
static void attrs_of(const struct nlmsghdr *h, const struct nlattr **tb)
{
	const struct nlattr *a = (const void *)((const char *)NLMSG_DATA(h) + GENL_HDRLEN);
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	memset(tb, 0, sizeof(*tb) * (KCS_A_MAX + 1));
	for (; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len)))
		if ((a->nla_type & NLA_TYPE_MASK) <= KCS_A_MAX)
			tb[a->nla_type & NLA_TYPE_MASK] = a;
}

static uint64_t a_u(const struct nlattr *a)
{
	uint64_t v64 = 0;
	uint32_t v32 = 0;

	if (!a)
		return (uint64_t)-1;
	if (a->nla_len == NLA_HDRLEN + 8) {
		memcpy(&v64, a + 1, 8);
		return v64;
	}
	if (a->nla_len == NLA_HDRLEN + 4)
		memcpy(&v32, a + 1, 4);
	return v32;
}

struct prof {
	char name[KCS_NAME_MAX];
	uint64_t generation, mem;
	uint32_t nrules, nexcept, nbind, kind, net_kind, net_rules;
};

struct profs {
	struct prof p[KCS_MAX_PROFILES + 8];
	int n;
};

static void on_profile(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[KCS_A_MAX + 1];
	struct profs *ps = arg;
	struct prof *p;

	if (ps->n >= (int)(sizeof(ps->p) / sizeof(ps->p[0])))
		return;
	p = &ps->p[ps->n++];
	memset(p, 0, sizeof(*p));
	attrs_of(h, tb);
	if (tb[KCS_A_PROFILE_NAME])
		snprintf(p->name, sizeof(p->name), "%.*s",
			 (int)(tb[KCS_A_PROFILE_NAME]->nla_len - NLA_HDRLEN),
			 (const char *)(tb[KCS_A_PROFILE_NAME] + 1));
	p->generation = a_u(tb[KCS_A_GENERATION]);
	p->mem = a_u(tb[KCS_A_PROFILE_MEM]);
	p->nrules = (uint32_t)a_u(tb[KCS_A_NRULES]);
	p->nexcept = (uint32_t)a_u(tb[KCS_A_NEXCEPT]);
	p->nbind = (uint32_t)a_u(tb[KCS_A_NBINDINGS]);
	p->kind = (uint32_t)a_u(tb[KCS_A_EXEC_KIND]);
	p->net_kind = (uint32_t)a_u(tb[KCS_A_NET_EGRESS_KIND]);
	p->net_rules = (uint32_t)a_u(tb[KCS_A_NET_NRULES]);
}

static int dump_profiles(struct profs *ps)
{
	struct msg m = { 0 };
	struct reply r;

	ps->n = 0;
	m_start(&m, KCS_CMD_PROFILE_GET, NLM_F_DUMP);
	xfer(&m, &r, on_profile, ps);
	m_free(&m);
	return r.bad || !r.done || r.err ? -1 : 0;
}

struct binds {
	struct { uint64_t cgid; uint32_t mode; char name[KCS_NAME_MAX]; } b[64];
	int n;
};

static void on_binding(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[KCS_A_MAX + 1];
	struct binds *bs = arg;

	if (bs->n >= (int)(sizeof(bs->b) / sizeof(bs->b[0])))
		return;
	attrs_of(h, tb);
	bs->b[bs->n].cgid = a_u(tb[KCS_A_CGROUP_ID]);
	bs->b[bs->n].mode = (uint32_t)a_u(tb[KCS_A_MODE]);
	snprintf(bs->b[bs->n].name, KCS_NAME_MAX, "%.*s",
		 tb[KCS_A_PROFILE_NAME] ?
		 (int)(tb[KCS_A_PROFILE_NAME]->nla_len - NLA_HDRLEN) : 0,
		 tb[KCS_A_PROFILE_NAME] ? (const char *)(tb[KCS_A_PROFILE_NAME] + 1) : "");
	bs->n++;
}

static int dump_bindings(struct binds *bs)
{
	struct msg m = { 0 };
	struct reply r;

	bs->n = 0;
	m_start(&m, KCS_CMD_BIND_GET, NLM_F_DUMP);
	xfer(&m, &r, on_binding, bs);
	m_free(&m);
	return r.bad || !r.done || r.err ? -1 : 0;
}

static const struct prof *prof_find(const struct profs *ps, const char *name)
{
	int i;

	for (i = 0; i < ps->n; i++)
		if (!strcmp(ps->p[i].name, name))
			return &ps->p[i];
	return NULL;
}

static void on_status(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[KCS_A_MAX + 1];

	attrs_of(h, tb);
	*(uint32_t *)arg = (uint32_t)a_u(tb[KCS_A_NPROFILES]);
}

/* STATUS: 0 and the profile count when the module answers normally. */
static int status(uint32_t *nprofiles, struct reply *r)
{
	struct msg m = { 0 };

	*nprofiles = (uint32_t)-1;
	m_start(&m, KCS_CMD_STATUS, 0);
	xfer(&m, r, on_status, nprofiles);
	m_free(&m);
	return !r->bad && r->done && !r->err && r->ndata == 1 ? 0 : -1;
}

static int del_profile(const char *name, struct reply *r)
{
	struct msg m = { 0 };

	m_start(&m, KCS_CMD_PROFILE_DEL, 0);
	m_str(&m, KCS_A_PROFILE_NAME, name);
	xfer(&m, r, NULL, NULL);
	m_free(&m);
	return !r->bad && r->done && !r->err ? 0 : -1;
}

/* ---- blobs ------------------------------------------------------------- */

struct blob {
	unsigned char *p;
	size_t len;
};

static struct blob b_new(size_t len)
{
	struct blob b = { calloc(1, len ? len : 1), len };

	if (!b.p)
		die("out of memory");
	return b;
}

static void b_free(struct blob *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
}

static struct kcs_dfa_hdr *dfa_hdr(struct blob b)
{
	return (struct kcs_dfa_hdr *)b.p;
}

/* Offsets of a DFA's arrays (header, classmap[256], accept, base, dflt,
 * next, check; see struct kcs_dfa_hdr). */
static uint32_t *dfa_arr(struct blob b, int which, uint32_t i)
{
	const struct kcs_dfa_hdr *h = dfa_hdr(b);
	size_t off = DFA_HDR + 256;

	switch (which) {
	case 4: off += 4ULL * h->ntrans;	/* check */
		/* fallthrough */
	case 3: off += 4ULL * h->nstates;	/* next */
		/* fallthrough */
	case 2: off += 4ULL * h->nstates;	/* dflt */
		/* fallthrough */
	case 1: off += 4ULL * h->nstates;	/* base */
		/* fallthrough */
	case 0: break;				/* accept */
	}
	return (uint32_t *)(b.p + off) + i;
}

enum { ACCEPT, BASE, DFLT, NEXT, CHECK };

/*
 * A DFA accepting exactly the @n literal strings (a trie): state 0 dead,
 * 1 the start; each byte used gets a class, class 0 is every other byte;
 * every state has a full row of the table.
 */
static struct blob dfa_literals(const char *const *lit, int n)
{
	unsigned char cls[256] = { 0 };
	uint32_t nclasses = 1, nstates = 2, ntrans, s, c, i;
	uint32_t child[256][32];
	uint32_t acc[256] = { 0 };
	struct kcs_dfa_hdr *h;
	struct blob b;
	int k;

	memset(child, 0, sizeof(child));
	for (k = 0; k < n; k++)
		for (i = 0; lit[k][i]; i++)
			if (!cls[(unsigned char)lit[k][i]])
				cls[(unsigned char)lit[k][i]] = (unsigned char)nclasses++;
	for (k = 0; k < n; k++) {
		for (s = 1, i = 0; lit[k][i]; i++) {
			c = cls[(unsigned char)lit[k][i]];
			if (!child[s][c])
				child[s][c] = nstates++;
			s = child[s][c];
		}
		if (!acc[s])
			acc[s] = (uint32_t)k + 1;
	}
	ntrans = nstates * nclasses;
	b = b_new(DFA_HDR + 256 + 12ULL * nstates + 8ULL * ntrans);
	h = dfa_hdr(b);
	h->magic = KCS_DFA_MAGIC;
	h->version = KCS_DFA_VERSION;
	h->hdr_len = DFA_HDR;
	h->nstates = nstates;
	h->nclasses = nclasses;
	h->start = 1;
	h->ntrans = ntrans;
	h->naccept = (uint32_t)n;
	memcpy(b.p + DFA_HDR, cls, 256);
	for (s = 0; s < nstates; s++) {
		*dfa_arr(b, ACCEPT, s) = acc[s];
		*dfa_arr(b, BASE, s) = s * nclasses;
		*dfa_arr(b, DFLT, s) = 0;
		for (c = 0; c < nclasses; c++) {
			*dfa_arr(b, NEXT, s * nclasses + c) = child[s][c];
			*dfa_arr(b, CHECK, s * nclasses + c) =
				child[s][c] ? s : KCS_DFA_NO_STATE;
		}
	}
	return b;
}

/* A valid DFA of @nstates states that matches nothing (one class, one
 * unused table slot): @nstates sets its size. */
static struct blob dfa_big(uint32_t nstates)
{
	struct blob b = b_new(DFA_HDR + 256 + 12ULL * nstates + 8);
	struct kcs_dfa_hdr *h = dfa_hdr(b);

	h->magic = KCS_DFA_MAGIC;
	h->version = KCS_DFA_VERSION;
	h->hdr_len = DFA_HDR;
	h->nstates = nstates;
	h->nclasses = 1;
	h->start = nstates > 1;
	h->ntrans = 1;
	*dfa_arr(b, CHECK, 0) = KCS_DFA_NO_STATE;
	return b;
}

static struct blob texts(const char *const *s, int n)
{
	size_t len = 0, off = 0;
	struct blob b;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(s[i]) + 1;
	b = b_new(len);
	for (i = 0; i < n; i++) {
		memcpy(b.p + off, s[i], strlen(s[i]) + 1);
		off += strlen(s[i]) + 1;
	}
	return b;
}

static struct kcs_net_hdr *net_hdr(struct blob b)
{
	return (struct kcs_net_hdr *)b.p;
}

static struct kcs_net_v4 *net_v4(struct blob b)
{
	return (struct kcs_net_v4 *)(b.p + NET_HDR);
}

static struct kcs_net_v6 *net_v6(struct blob b)
{
	return (struct kcs_net_v6 *)(b.p + NET_HDR +
				     net_hdr(b)->n4 * sizeof(struct kcs_net_v4));
}

static struct kcs_net_port *net_ports(struct blob b)
{
	return (struct kcs_net_port *)((unsigned char *)net_v6(b) +
				       net_hdr(b)->n6 * sizeof(struct kcs_net_v6));
}

static struct blob net_new(uint32_t nrules, uint32_t n4, uint32_t n6,
			   uint32_t nports)
{
	struct blob b = b_new(NET_HDR + n4 * sizeof(struct kcs_net_v4) +
			      n6 * sizeof(struct kcs_net_v6) +
			      nports * sizeof(struct kcs_net_port));
	struct kcs_net_hdr *h = net_hdr(b);

	h->magic = KCS_NET_MAGIC;
	h->version = KCS_NET_VERSION;
	h->hdr_len = NET_HDR;
	h->nrules = nrules;
	h->n4 = n4;
	h->n6 = n6;
	h->nports = nports;
	return b;
}

static void port_set(struct kcs_net_port *p, uint16_t lo, uint16_t hi,
		     uint32_t tcp, uint32_t udp)
{
	p->lo = lo;
	p->hi = hi;
	p->rule_tcp = tcp;
	p->rule_udp = udp;
}

/* Egress rules: 198.51.100.0/24 ports 80 (rule 0) and 443/tcp (rule 1);
 * 2001:db8:bad::/48 every port (rule 0). */
static struct blob net_egress(void)
{
	struct blob b = net_new(2, 1, 1, 3);
	struct kcs_net_v6 *v6 = net_v6(b);

	net_v4(b)->lo = 0xc6336400;
	net_v4(b)->hi = 0xc63364ff;
	net_v4(b)->first = 0;
	net_v4(b)->count = 2;
	v6->lo[0] = v6->hi[0] = 0x20010db8;
	v6->lo[1] = 0x0bad0000;
	v6->hi[1] = 0x0badffff;
	v6->hi[2] = v6->hi[3] = 0xffffffff;
	v6->first = 2;
	v6->count = 1;
	port_set(&net_ports(b)[0], 80, 80, 0, 0);
	port_set(&net_ports(b)[1], 443, 443, 1, KCS_NET_NO_RULE);
	port_set(&net_ports(b)[2], 0, 65535, 0, 0);
	return b;
}

/* One rule: 198.51.100.7 port 80 (exclusions). */
static struct blob net_one(void)
{
	struct blob b = net_new(1, 1, 0, 1);

	net_v4(b)->lo = net_v4(b)->hi = 0xc6336407;
	net_v4(b)->count = 1;
	port_set(&net_ports(b)[0], 80, 80, 0, 0);
	return b;
}

/* Listen: port 22/tcp on every IPv4 and IPv6 address. */
static struct blob net_listen(void)
{
	struct blob b = net_new(1, 1, 1, 2);
	struct kcs_net_v6 *v6 = net_v6(b);

	net_v4(b)->hi = 0xffffffff;
	net_v4(b)->count = 1;
	memset(v6->hi, 0xff, sizeof(v6->hi));
	v6->first = 1;
	v6->count = 1;
	port_set(&net_ports(b)[0], 22, 22, 0, KCS_NET_NO_RULE);
	port_set(&net_ports(b)[1], 22, 22, 0, KCS_NET_NO_RULE);
	return b;
}

/* ---- PROFILE_SET requests ---------------------------------------------- */

/* A PROFILE_SET request by parts; absent parts have p == NULL. */
struct setreq {
	const char *name;
	int kind;			/* -1: no KCS_A_EXEC_KIND */
	struct blob rules, rules_text, except, except_text;
	int net_kind;			/* -1: no KCS_A_NET_EGRESS_KIND */
	struct blob eg, eg_text, ex, ex_text, li, li_text;
	int flags;			/* -1: no KCS_A_NET_FLAGS */
	size_t chunk;			/* blob attributes of at most this */
};

static const char *const rule_lits[] = { "/x", "/y" };
static const char *const except_lits[] = { "/x/ok" };
static const char *const eg_texts[] = { "198.51.100.0/24 tcp,udp 80",
					"198.51.100.0/24 tcp 443" };
static const char *const one_text[] = { "198.51.100.7/32 tcp,udp 80" };
static const char *const li_texts[] = { "port 22 tcp" };

/* The full valid request: every attribute PROFILE_SET takes. */
static void setreq_full(struct setreq *q, const char *name)
{
	memset(q, 0, sizeof(*q));
	q->name = name;
	q->kind = KCS_EXEC_BLOCK;
	q->rules = dfa_literals(rule_lits, 2);
	q->rules_text = texts(rule_lits, 2);
	q->except = dfa_literals(except_lits, 1);
	q->except_text = texts(except_lits, 1);
	q->net_kind = KCS_NET_BLOCK;
	q->eg = net_egress();
	q->eg_text = texts(eg_texts, 2);
	q->ex = net_one();
	q->ex_text = texts(one_text, 1);
	q->li = net_listen();
	q->li_text = texts(li_texts, 1);
	q->flags = KCS_NET_F_MONITOR_LISTEN;
	q->chunk = KCS_CHUNK_MAX;
}

static void setreq_free(struct setreq *q)
{
	b_free(&q->rules);
	b_free(&q->rules_text);
	b_free(&q->except);
	b_free(&q->except_text);
	b_free(&q->eg);
	b_free(&q->eg_text);
	b_free(&q->ex);
	b_free(&q->ex_text);
	b_free(&q->li);
	b_free(&q->li_text);
}

static void m_blob(struct msg *m, uint16_t type, struct blob b, size_t chunk)
{
	if (b.p)
		m_chunks(m, type, b.p, b.len, chunk);
}

static void m_setreq(struct msg *m, const struct setreq *q)
{
	m_start(m, KCS_CMD_PROFILE_SET, 0);
	if (q->name)
		m_str(m, KCS_A_PROFILE_NAME, q->name);
	if (q->kind >= 0)
		m_u32(m, KCS_A_EXEC_KIND, (uint32_t)q->kind);
	m_blob(m, KCS_A_EXEC_RULES_DFA, q->rules, q->chunk);
	m_blob(m, KCS_A_EXEC_RULES_TEXT, q->rules_text, q->chunk);
	m_blob(m, KCS_A_EXEC_EXCEPT_DFA, q->except, q->chunk);
	m_blob(m, KCS_A_EXEC_EXCEPT_TEXT, q->except_text, q->chunk);
	if (q->net_kind >= 0)
		m_u32(m, KCS_A_NET_EGRESS_KIND, (uint32_t)q->net_kind);
	m_blob(m, KCS_A_NET_EGRESS_RULES, q->eg, q->chunk);
	m_blob(m, KCS_A_NET_EGRESS_RULES_TEXT, q->eg_text, q->chunk);
	m_blob(m, KCS_A_NET_EGRESS_EXCEPT, q->ex, q->chunk);
	m_blob(m, KCS_A_NET_EGRESS_EXCEPT_TEXT, q->ex_text, q->chunk);
	m_blob(m, KCS_A_NET_LISTEN_RULES, q->li, q->chunk);
	m_blob(m, KCS_A_NET_LISTEN_RULES_TEXT, q->li_text, q->chunk);
	if (q->flags >= 0)
		m_u32(m, KCS_A_NET_FLAGS, (uint32_t)q->flags);
}

/* The full request for @name with one DFA word changed. */
static void bad_dfa(const char *target, int which, uint32_t idx, uint32_t val,
		    const char *sub, const char *desc)
{
	struct setreq q;
	struct msg m = { 0 };

	setreq_full(&q, target);
	*dfa_arr(q.rules, which, idx) = val;
	m_setreq(&m, &q);
	expect(&m, EINVAL, sub, "PROFILE_SET, rules DFA %s", desc);
	m_free(&m);
	setreq_free(&q);
}

/* The full request with the rules DFA header changed by @fn. */
static void bad_dfa_hdr(const char *target, void (*fn)(struct kcs_dfa_hdr *),
			const char *sub, const char *desc)
{
	struct setreq q;
	struct msg m = { 0 };

	setreq_full(&q, target);
	fn(dfa_hdr(q.rules));
	m_setreq(&m, &q);
	expect(&m, EINVAL, sub, "PROFILE_SET, rules DFA header: %s", desc);
	m_free(&m);
	setreq_free(&q);
}

static void h_magic(struct kcs_dfa_hdr *h) { h->magic ^= 1; }
static void h_version1(struct kcs_dfa_hdr *h) { h->version = KCS_DFA_VERSION - 1; }
static void h_version3(struct kcs_dfa_hdr *h) { h->version = KCS_DFA_VERSION + 1; }
static void h_hdrlen(struct kcs_dfa_hdr *h) { h->hdr_len = DFA_HDR + 4; }
static void h_flags(struct kcs_dfa_hdr *h) { h->flags = KCS_DFA_F_PROGRAM << 1; }
static void h_nstates0(struct kcs_dfa_hdr *h) { h->nstates = 0; }
static void h_nstates_max(struct kcs_dfa_hdr *h) { h->nstates = KCS_DFA_MAX_STATES + 1; }
static void h_nclasses0(struct kcs_dfa_hdr *h) { h->nclasses = 0; }
static void h_nclasses257(struct kcs_dfa_hdr *h) { h->nclasses = 257; }
static void h_start(struct kcs_dfa_hdr *h) { h->start = h->nstates; }
static void h_naccept(struct kcs_dfa_hdr *h) { h->naccept = KCS_MAX_PATTERNS + 1; }
static void h_ntrans_more(struct kcs_dfa_hdr *h) { h->ntrans += 1; }
static void h_ntrans_huge(struct kcs_dfa_hdr *h) { h->ntrans = 0xffffffff; }
static void h_nstates_more(struct kcs_dfa_hdr *h) { h->nstates += 1; }

/* The full request with the egress rule set changed by @fn. */
static void bad_net(const char *target, void (*fn)(struct blob *),
		    const char *sub, const char *desc)
{
	struct setreq q;
	struct msg m = { 0 };

	setreq_full(&q, target);
	fn(&q.eg);
	m_setreq(&m, &q);
	expect(&m, EINVAL, sub, "PROFILE_SET, egress rules: %s", desc);
	m_free(&m);
	setreq_free(&q);
}

static void n_magic(struct blob *b) { net_hdr(*b)->magic ^= 1; }
static void n_version(struct blob *b) { net_hdr(*b)->version = KCS_NET_VERSION + 1; }
static void n_hdrlen(struct blob *b) { net_hdr(*b)->hdr_len = NET_HDR + 4; }
static void n_nrules(struct blob *b) { net_hdr(*b)->nrules = KCS_NET_MAX_RULES + 1; }
static void n_n4(struct blob *b) { net_hdr(*b)->n4 = KCS_NET_MAX_ENTRIES + 1; }
static void n_nports(struct blob *b) { net_hdr(*b)->nports = KCS_NET_MAX_ENTRIES + 1; }
static void n_size(struct blob *b) { net_hdr(*b)->nports += 1; }
static void n_short(struct blob *b) { b->len -= 1; }
static void n_v4rev(struct blob *b) { net_v4(*b)->lo = net_v4(*b)->hi + 1; }
static void n_v6rev(struct blob *b) { net_v6(*b)->lo[0] = 0x20010db9; }
static void n_count0(struct blob *b) { net_v4(*b)->count = 0; }
static void n_first(struct blob *b) { net_v6(*b)->first = 3; }
static void n_count_big(struct blob *b) { net_v4(*b)->count = 0xffffffff; }
static void n_portrev(struct blob *b) { net_ports(*b)[0].lo = 81; }
static void n_portovl(struct blob *b) { net_ports(*b)[1].lo = 80; net_ports(*b)[1].hi = 80; }
static void n_norule(struct blob *b) { net_ports(*b)[1].rule_tcp = KCS_NET_NO_RULE; }
static void n_ruleidx(struct blob *b) { net_ports(*b)[2].rule_udp = 2; }
/* One interval owning 1 of 2 port entries. */
static void n_trailing(struct blob *b)
{
	struct blob n = net_new(1, 1, 0, 2);

	net_v4(n)->hi = 10;
	net_v4(n)->count = 1;
	port_set(&net_ports(n)[0], 1, 1, 0, 0);
	port_set(&net_ports(n)[1], 2, 2, 0, 0);
	b_free(b);
	*b = n;
}

/* Two IPv4 intervals, the second not after the first. */
static void n_v4ovl(struct blob *b)
{
	struct blob n = net_new(1, 2, 0, 2);

	net_v4(n)[0].lo = 10;
	net_v4(n)[0].hi = 20;
	net_v4(n)[0].count = 1;
	net_v4(n)[1].lo = 20;
	net_v4(n)[1].hi = 30;
	net_v4(n)[1].first = 1;
	net_v4(n)[1].count = 1;
	port_set(&net_ports(n)[0], 1, 1, 0, 0);
	port_set(&net_ports(n)[1], 1, 1, 0, 0);
	b_free(b);
	*b = n;
}

static void n_v6ovl(struct blob *b)
{
	struct blob n = net_new(1, 0, 2, 2);
	struct kcs_net_v6 *v6 = net_v6(n);

	v6[0].lo[0] = v6[0].hi[0] = 0x20010db8;
	v6[0].hi[3] = 0xff;
	v6[0].count = 1;
	v6[1].lo[0] = v6[1].hi[0] = 0x20010db8;
	v6[1].lo[3] = 0x10;
	v6[1].hi[3] = 0x1ff;
	v6[1].first = 1;
	v6[1].count = 1;
	port_set(&net_ports(n)[0], 1, 1, 0, 0);
	port_set(&net_ports(n)[1], 1, 1, 0, 0);
	b_free(b);
	*b = n;
}

/* ---- the oracle --------------------------------------------------------- */

/*
 * What the module must answer to a request, from the ABI and the attribute
 * policy (kmod/netlink.c), written independently of the module's code: the
 * generic netlink core's checks (header, command, strict attribute
 * validation), then the command's. The existence of profiles is known to
 * the caller (@exists).
 */
enum pol_kind { POL_NONE, POL_STR, POL_U32, POL_U64, POL_BIN };

struct pol {
	enum pol_kind kind;
	int range;		/* POL_U32: min..max, else mask */
	uint32_t min, max, mask;
};

static struct pol policy[KCS_A_MAX + 1];
static char o_unmodelled[KCS_A_MAX + 1];

static void policy_init(void)
{
	static const int bins[] = {
		KCS_A_EXEC_RULES_DFA, KCS_A_EXEC_RULES_TEXT,
		KCS_A_EXEC_EXCEPT_DFA, KCS_A_EXEC_EXCEPT_TEXT,
		KCS_A_NET_EGRESS_RULES, KCS_A_NET_EGRESS_RULES_TEXT,
		KCS_A_NET_EGRESS_EXCEPT, KCS_A_NET_EGRESS_EXCEPT_TEXT,
		KCS_A_NET_LISTEN_RULES, KCS_A_NET_LISTEN_RULES_TEXT,
	};
	size_t i;

	/*
	 * Sets appended since the oracle was written (libraries, files,
	 * application rules, file allow lists, network rule groups): binary
	 * by policy (the file default a u32), their contents not modelled.
	 */
	static const int unmodelled[] = {
		KCS_A_EXEC_LIBS_DFA, KCS_A_EXEC_LIBS_TEXT,
		KCS_A_FILE_READ_DFA, KCS_A_FILE_READ_TEXT,
		KCS_A_FILE_WRITE_DFA, KCS_A_FILE_WRITE_TEXT,
		KCS_A_FILE_MONITOR_DFA, KCS_A_FILE_MONITOR_TEXT,
		KCS_A_SYS_RULES, KCS_A_SYS_RULES_TEXT, KCS_A_SYS_PROGRAMS,
		KCS_A_FILE_READ_ALLOW_DFA, KCS_A_FILE_READ_ALLOW_TEXT,
		KCS_A_FILE_WRITE_ALLOW_DFA, KCS_A_FILE_WRITE_ALLOW_TEXT,
		KCS_A_FILE_DEFAULT, KCS_A_NET_GROUPS,
	};

	for (i = 0; i < sizeof(bins) / sizeof(bins[0]); i++)
		policy[bins[i]].kind = POL_BIN;
	for (i = 0; i < sizeof(unmodelled) / sizeof(unmodelled[0]); i++)
		policy[unmodelled[i]].kind = POL_BIN;
	for (i = 0; i < sizeof(unmodelled) / sizeof(unmodelled[0]); i++)
		o_unmodelled[unmodelled[i]] = 1;
	policy[KCS_A_PROFILE_NAME].kind = POL_STR;
	policy[KCS_A_CGROUP_ID].kind = POL_U64;
	policy[KCS_A_EXEC_KIND] = (struct pol){ POL_U32, 1, 0, __KCS_EXEC_KIND_MAX - 1, 0 };
	policy[KCS_A_MODE] = (struct pol){ POL_U32, 1, KCS_MODE_AUDIT, KCS_MODE_ENFORCE, 0 };
	policy[KCS_A_NET_EGRESS_KIND] = (struct pol){ POL_U32, 1, 0, __KCS_NET_KIND_MAX - 1, 0 };
	policy[KCS_A_NET_FLAGS] = (struct pol){ POL_U32, 0, 0, 0, KCS_NET_F_ALL };
	policy[KCS_A_FILE_DEFAULT] = (struct pol){ POL_U32, 1, 0, __KCS_SYS_ACTION_MAX - 1, 0 };
}

struct view {			/* a request's attributes */
	const unsigned char *p;	/* the attribute area */
	int len;
	const struct nlattr *tb[KCS_A_MAX + 1];
};

#define for_each_attr(a, p, len, rem) \
	for ((a) = (const void *)(p), (rem) = (len); \
	     (rem) >= NLA_HDRLEN && (a)->nla_len >= NLA_HDRLEN && \
	     (a)->nla_len <= (rem); \
	     (rem) -= NLA_ALIGN((a)->nla_len), \
	     (a) = (const void *)((const char *)(a) + NLA_ALIGN((a)->nla_len)))

/* Strict policy validation: 0, -EINVAL or -ERANGE, as the first bad
 * attribute decides. */
static int o_validate(struct view *v)
{
	const struct nlattr *a;
	int rem;

	memset(v->tb, 0, sizeof(v->tb));
	for_each_attr(a, v->p, v->len, rem) {
		int type = a->nla_type & NLA_TYPE_MASK;
		int alen = a->nla_len - NLA_HDRLEN;
		int nested = !!(a->nla_type & NLA_F_NESTED);
		const unsigned char *d = (const void *)(a + 1);
		const struct pol *p;
		uint32_t u;

		if (type == 0 || type > KCS_A_MAX)
			return -EINVAL;		/* unknown attribute */
		p = &policy[type];
		switch (p->kind) {
		case POL_NONE:
			return -EINVAL;		/* not a request attribute */
		case POL_U32:
			if (alen != 4 || nested)
				return -EINVAL;
			memcpy(&u, d, 4);
			if (p->range && (u < p->min || u > p->max))
				return -ERANGE;
			if (!p->range && (u & ~p->mask))
				return -EINVAL;
			break;
		case POL_U64:
			if (alen != 8 || nested)
				return -EINVAL;
			break;
		case POL_STR:
			if (nested || !alen ||
			    !memchr(d, 0, alen < KCS_NAME_MAX ? alen : KCS_NAME_MAX))
				return -EINVAL;
			if ((d[alen - 1] ? alen : alen - 1) > KCS_NAME_MAX - 1)
				return -ERANGE;
			break;
		case POL_BIN:
			if (nested)
				return -EINVAL;
			if (alen > KCS_CHUNK_MAX)
				return -ERANGE;
			break;
		}
		v->tb[type] = a;
	}
	return rem > 0 ? -EINVAL : 0;	/* bytes that are no attribute */
}

/* Every attribute of @type, concatenated in order. */
static struct blob o_gather(const struct view *v, int type)
{
	const struct nlattr *a;
	struct blob b;
	size_t len = 0;
	int rem;

	for_each_attr(a, v->p, v->len, rem)
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			len += a->nla_len - NLA_HDRLEN;
	b = b_new(len);
	len = 0;
	for_each_attr(a, v->p, v->len, rem)
		if ((a->nla_type & NLA_TYPE_MASK) == type) {
			memcpy(b.p + len, a + 1, a->nla_len - NLA_HDRLEN);
			len += a->nla_len - NLA_HDRLEN;
		}
	return b;
}

static uint32_t rd32(const unsigned char *p, size_t i)
{
	uint32_t v;

	memcpy(&v, p + 4 * i, 4);
	return v;
}

/* The DFA format of uapi/linux/kcs.h; 0 when valid. */
static int o_dfa(struct blob b, uint32_t *naccept)
{
	struct kcs_dfa_hdr h;
	const unsigned char *acc, *base, *dflt, *next, *check;
	uint64_t s, i;

	if (b.len < DFA_HDR)
		return -1;
	memcpy(&h, b.p, DFA_HDR);
	if (h.magic != KCS_DFA_MAGIC || h.version != KCS_DFA_VERSION ||
	    h.hdr_len != DFA_HDR || (h.flags & ~KCS_DFA_F_PROGRAM) || h.nstates < 1 ||
	    h.nstates > KCS_DFA_MAX_STATES || h.nclasses < 1 ||
	    h.nclasses > 256 || h.start >= h.nstates ||
	    h.naccept > KCS_MAX_PATTERNS ||
	    b.len != DFA_HDR + 256 + 12ULL * h.nstates + 8ULL * h.ntrans)
		return -1;
	for (i = 0; i < 256; i++)
		if (b.p[DFA_HDR + i] >= h.nclasses)
			return -1;
	acc = b.p + DFA_HDR + 256;
	base = acc + 4ULL * h.nstates;
	dflt = base + 4ULL * h.nstates;
	next = dflt + 4ULL * h.nstates;
	check = next + 4ULL * h.ntrans;
	if (rd32(acc, 0) || rd32(dflt, 0))
		return -1;		/* the dead state accepts or leaves */
	for (s = 0; s < h.nstates; s++)
		if (rd32(acc, s) > h.naccept ||
		    (uint64_t)rd32(base, s) + h.nclasses > h.ntrans ||
		    rd32(dflt, s) >= h.nstates)
			return -1;
	for (i = 0; i < h.ntrans; i++) {
		uint32_t c = rd32(check, i), n = rd32(next, i);

		if (c == KCS_DFA_NO_STATE)
			continue;
		if (c >= h.nstates || n >= h.nstates || (c == 0 && n))
			return -1;
	}
	*naccept = h.naccept;
	return 0;
}

static int o_text(struct blob b, uint32_t count)
{
	uint32_t n = 0;
	size_t i;

	if (b.len && b.p[b.len - 1])
		return -1;
	for (i = 0; i < b.len; i++)
		n += !b.p[i];
	return n == count ? 0 : -1;
}

static int cmp6(const uint32_t *a, const uint32_t *b)
{
	int i;

	for (i = 0; i < 4; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* The network rule set format of uapi/linux/kcs.h; 0 when valid. */
static int o_net(struct blob b, uint32_t *nrules)
{
	struct kcs_net_hdr h;
	struct kcs_net_v4 v4, p4 = { 0 };
	struct kcs_net_v6 v6, p6 = { 0 };
	struct kcs_net_port pt, pp = { 0 };
	const unsigned char *q4, *q6, *qp;
	uint64_t i, j, owned = 0;

	if (b.len < NET_HDR)
		return -1;
	memcpy(&h, b.p, NET_HDR);
	if (h.magic != KCS_NET_MAGIC || h.version != KCS_NET_VERSION ||
	    h.hdr_len != NET_HDR || h.nrules > KCS_NET_MAX_RULES ||
	    h.n4 > KCS_NET_MAX_ENTRIES || h.n6 > KCS_NET_MAX_ENTRIES ||
	    h.nports > KCS_NET_MAX_ENTRIES ||
	    b.len != NET_HDR + (uint64_t)h.n4 * sizeof(v4) +
		     (uint64_t)h.n6 * sizeof(v6) + (uint64_t)h.nports * sizeof(pt))
		return -1;
	q4 = b.p + NET_HDR;
	q6 = q4 + h.n4 * sizeof(v4);
	qp = q6 + h.n6 * sizeof(v6);
	for (i = 0; i < (uint64_t)h.n4 + h.n6; i++) {
		uint32_t first, count;

		if (i < h.n4) {
			memcpy(&v4, q4 + i * sizeof(v4), sizeof(v4));
			if (v4.lo > v4.hi || (i && v4.lo <= p4.hi))
				return -1;
			p4 = v4;
			first = v4.first;
			count = v4.count;
		} else {
			memcpy(&v6, q6 + (i - h.n4) * sizeof(v6), sizeof(v6));
			if (cmp6(v6.lo, v6.hi) > 0 ||
			    (i > h.n4 && cmp6(v6.lo, p6.hi) <= 0))
				return -1;
			p6 = v6;
			first = v6.first;
			count = v6.count;
		}
		/* Each interval owns the next count >= 1 port entries. */
		if (!count || first != owned || (uint64_t)first + count > h.nports)
			return -1;
		for (j = first; j < (uint64_t)first + count; j++) {
			memcpy(&pt, qp + j * sizeof(pt), sizeof(pt));
			if (pt.lo > pt.hi || (j > first && pt.lo <= pp.hi) ||
			    (pt.rule_tcp == KCS_NET_NO_RULE &&
			     pt.rule_udp == KCS_NET_NO_RULE) ||
			    (pt.rule_tcp != KCS_NET_NO_RULE && pt.rule_tcp >= h.nrules) ||
			    (pt.rule_udp != KCS_NET_NO_RULE && pt.rule_udp >= h.nrules))
				return -1;
			pp = pt;
		}
		owned += count;
	}
	if (owned != h.nports)
		return -1;
	*nrules = h.nrules;
	return 0;
}

/* A pattern set or rule set and its texts: 0 or a negative errno. */
static int o_set(const struct view *v, int type, int text_type, int net)
{
	struct blob b = o_gather(v, type), t;
	uint32_t count = 0;
	int err = 0;

	if (!b.len)
		err = -EINVAL;		/* no blob */
	else if (net ? o_net(b, &count) : o_dfa(b, &count))
		err = -EINVAL;
	b_free(&b);
	if (err)
		return err;
	t = o_gather(v, text_type);
	if (o_text(t, count))
		err = -EINVAL;
	b_free(&t);
	return err;
}

static int o_name_ok(const struct nlattr *a, char *name)
{
	const char *s = (const char *)(a + 1);
	size_t i;

	snprintf(name, KCS_NAME_MAX, "%s", s);
	if (!*s)
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' ||
		      s[i] == '-'))
			return 0;
	return 1;
}

static int o_profile_set(const struct view *v)
{
	const struct nlattr *const *tb = v->tb;
	uint32_t kind, nkind;
	int err = 0;

	if (!tb[KCS_A_EXEC_KIND])
		return -EINVAL;
	memcpy(&kind, tb[KCS_A_EXEC_KIND] + 1, 4);
	switch (kind) {
	case KCS_EXEC_NONE:
		if (tb[KCS_A_EXEC_RULES_DFA] || tb[KCS_A_EXEC_EXCEPT_DFA])
			return -EINVAL;
		break;
	case KCS_EXEC_ALLOW:
		if (tb[KCS_A_EXEC_EXCEPT_DFA])
			return -EINVAL;
		err = o_set(v, KCS_A_EXEC_RULES_DFA, KCS_A_EXEC_RULES_TEXT, 0);
		break;
	default:
		err = o_set(v, KCS_A_EXEC_RULES_DFA, KCS_A_EXEC_RULES_TEXT, 0);
		if (!err && tb[KCS_A_EXEC_EXCEPT_DFA])
			err = o_set(v, KCS_A_EXEC_EXCEPT_DFA,
				    KCS_A_EXEC_EXCEPT_TEXT, 0);
	}
	if (err)
		return err;
	nkind = KCS_NET_NONE;
	if (tb[KCS_A_NET_EGRESS_KIND])
		memcpy(&nkind, tb[KCS_A_NET_EGRESS_KIND] + 1, 4);
	switch (nkind) {
	case KCS_NET_NONE:
		if (tb[KCS_A_NET_EGRESS_RULES] || tb[KCS_A_NET_EGRESS_EXCEPT])
			return -EINVAL;
		break;
	case KCS_NET_ALLOW:
		if (tb[KCS_A_NET_EGRESS_EXCEPT])
			return -EINVAL;
		err = o_set(v, KCS_A_NET_EGRESS_RULES,
			    KCS_A_NET_EGRESS_RULES_TEXT, 1);
		break;
	default:
		err = o_set(v, KCS_A_NET_EGRESS_RULES,
			    KCS_A_NET_EGRESS_RULES_TEXT, 1);
		if (!err && tb[KCS_A_NET_EGRESS_EXCEPT])
			err = o_set(v, KCS_A_NET_EGRESS_EXCEPT,
				    KCS_A_NET_EGRESS_EXCEPT_TEXT, 1);
	}
	if (!err && tb[KCS_A_NET_LISTEN_RULES])
		err = o_set(v, KCS_A_NET_LISTEN_RULES,
			    KCS_A_NET_LISTEN_RULES_TEXT, 1);
	return err;
}

struct pred {
	int err;		/* the errno the module must give, <= 0 */
	int data;		/* a data reply comes before the ACK */
	int unknown;		/* depends on state the oracle does not know */
	int creates;		/* a PROFILE_SET that creates/replaces @name */
	int is_set;		/* a PROFILE_SET with a name attribute */
	char name[KCS_NAME_MAX];	/* that name, as the module reads it */
};

/* @exists(name): 0 absent, 1 present and unbound, 2 bound. */
static void oracle(const unsigned char *msg, size_t len, int (*exists)(const char *),
		   struct pred *p)
{
	const struct genlmsghdr *g = (const void *)(msg + NLMSG_HDRLEN);
	struct view v;
	int err;

	memset(p, 0, sizeof(*p));
	if (len < GENL_MSG_HDRLEN || g->reserved) {
		p->err = -EINVAL;
		return;
	}
	if (g->cmd < KCS_CMD_STATUS ||
	    (g->cmd >= KCS_CMD_BIND_GET && g->cmd != KCS_CMD_SUBSCRIBE)) {
		p->err = -EOPNOTSUPP;	/* no such command, or dump only */
		return;
	}
	v.p = msg + GENL_MSG_HDRLEN;
	v.len = (int)(len - GENL_MSG_HDRLEN);
	err = o_validate(&v);
	if (err) {
		p->err = err;
		return;
	}
	if (g->version != KCS_GENL_VERSION) {
		p->err = -EPROTONOSUPPORT;
		return;
	}
	if (g->cmd == KCS_CMD_STATUS) {
		p->data = 1;
		return;
	}
	if (g->cmd == KCS_CMD_SUBSCRIBE) {
		/* Takes no attribute; accepted, this socket gets events. */
		for (err = 1; err <= KCS_A_MAX; err++)
			if (v.tb[err])
				p->err = -EINVAL;
		return;
	}
	if (g->cmd == KCS_CMD_UNBIND) {
		p->err = -EINVAL;
		p->unknown = !!v.tb[KCS_A_CGROUP_ID];
		return;
	}
	p->is_set = g->cmd == KCS_CMD_PROFILE_SET && v.tb[KCS_A_PROFILE_NAME];
	if (!v.tb[KCS_A_PROFILE_NAME] || !o_name_ok(v.tb[KCS_A_PROFILE_NAME], p->name)) {
		p->err = -EINVAL;
		return;
	}
	switch (g->cmd) {
	case KCS_CMD_PROFILE_SET:
		/* A mutant that made one: garbage there, the module refuses. */
		for (err = 1; err <= KCS_A_MAX; err++) {
			if (v.tb[err] && o_unmodelled[err]) {
				p->err = -EINVAL;
				p->unknown = 1;
				return;
			}
		}
		p->err = o_profile_set(&v);
		p->creates = !p->err;
		return;
	case KCS_CMD_PROFILE_DEL:
		err = exists(p->name);
		p->err = err == 0 ? -ENOENT : err == 2 ? -EBUSY : 0;
		return;
	case KCS_CMD_PROFILE_GET:
		p->err = exists(p->name) ? 0 : -ENOENT;
		p->data = !p->err;
		return;
	case KCS_CMD_BIND:
		p->err = -EINVAL;
		p->unknown = v.tb[KCS_A_CGROUP_ID] && v.tb[KCS_A_MODE];
		return;
	}
}

/* ---- the cases ---------------------------------------------------------- */

static const char *g_prof, *g_spare;
static uint64_t g_cgid;
static struct profs initial;
static struct binds initial_binds;

static int exists_initial(const char *name)
{
	const struct prof *p = prof_find(&initial, name);

	return !p ? 0 : p->nbind ? 2 : 1;
}

/* Raw bytes that are no complete netlink message: the core drops them
 * without an answer; the socket still works (a STATUS right after gets its
 * own answer and nothing else). */
static void expect_silent(const void *p, size_t len, const char *desc)
{
	struct reply r;
	uint32_t n;
	int err = send_raw(p, len);

	if (err) {
		tap(0, "%s: dropped without an answer", desc);
		diag("  send: %s", strerror(-err));
		return;
	}
	tap(!status(&n, &r), "%s: dropped without an answer", desc);
	if (r.bad || r.err)
		r_diag(&r);
}

static void header_cases(void)
{
	struct msg m = { 0 };
	struct nlmsghdr h = { 0 };
	unsigned char raw[64] = { 0 };
	uint8_t cmds[] = { KCS_CMD_UNSPEC, KCS_CMD_EVENT, __KCS_CMD_MAX, 100, 255 };
	uint8_t ver[] = { 0, KCS_GENL_VERSION + 1, 255 };
	size_t i;

	diag("netlink and genetlink headers");
	h.nlmsg_len = 8;
	h.nlmsg_type = fam;
	h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h.nlmsg_seq = ++seqno;
	memcpy(raw, &h, sizeof(h));
	expect_silent(raw, 8, "8 bytes, a truncated nlmsghdr");
	expect_silent(raw, sizeof(h), "nlmsg_len 8, shorter than the nlmsghdr");
	h.nlmsg_len = 64;
	h.nlmsg_seq = ++seqno;
	memcpy(raw, &h, sizeof(h));
	expect_silent(raw, 24, "nlmsg_len 64 in a 24-byte datagram");

	m_start(&m, KCS_CMD_STATUS, 0);
	m.len = NLMSG_HDRLEN;
	expect(&m, EINVAL, NULL, "STATUS without a genlmsghdr");
	m_start(&m, KCS_CMD_STATUS, 0);
	m.len = NLMSG_HDRLEN + 2;
	expect(&m, EINVAL, NULL, "STATUS with a 2-byte genlmsghdr");
	m_start(&m, KCS_CMD_STATUS, 0);
	m_genl(&m)->reserved = 1;
	expect(&m, EINVAL, "reserved", "STATUS with genlmsghdr.reserved 1");
	m_start(&m, KCS_CMD_STATUS, NLM_F_CREATE | NLM_F_REPLACE);
	expect(&m, EINVAL, "nlmsg_flags", "STATUS with NLM_F_CREATE|NLM_F_REPLACE");
	m_start(&m, KCS_CMD_PROFILE_DEL, NLM_F_ROOT);
	m_str(&m, KCS_A_PROFILE_NAME, g_spare);
	expect(&m, EINVAL, "nlmsg_flags", "PROFILE_DEL of SPARE with NLM_F_ROOT alone");

	for (i = 0; i < sizeof(cmds); i++) {
		m_start(&m, cmds[i], 0);
		expect(&m, EOPNOTSUPP, NULL, "command %u", cmds[i]);
	}
	m_start(&m, KCS_CMD_BIND_GET, 0);
	expect(&m, EOPNOTSUPP, NULL, "BIND_GET without NLM_F_DUMP (dump only)");
	m_start(&m, KCS_CMD_STATUS, NLM_F_DUMP);
	expect(&m, EOPNOTSUPP, NULL, "STATUS as a dump");
	m_start(&m, KCS_CMD_PROFILE_DEL, NLM_F_DUMP);
	m_str(&m, KCS_A_PROFILE_NAME, g_spare);
	expect(&m, EOPNOTSUPP, NULL, "PROFILE_DEL of SPARE as a dump");
	m_start(&m, KCS_CMD_UNBIND, NLM_F_DUMP);
	m_u64(&m, KCS_A_CGROUP_ID, g_cgid);
	expect(&m, EOPNOTSUPP, NULL, "UNBIND of the bound cgroup as a dump");
	m_start(&m, KCS_CMD_BIND, NLM_F_DUMP);
	expect(&m, EOPNOTSUPP, NULL, "BIND as a dump");
	m_start(&m, KCS_CMD_PROFILE_SET, NLM_F_DUMP);
	expect(&m, EOPNOTSUPP, NULL, "PROFILE_SET as a dump");

	/* Not a request: the core ignores it (an ACK, nothing done). */
	m_start(&m, KCS_CMD_PROFILE_DEL, 0);
	m_nlh(&m)->nlmsg_flags = NLM_F_ACK;
	m_str(&m, KCS_A_PROFILE_NAME, g_spare);
	expect(&m, 0, NULL, "PROFILE_DEL of SPARE without NLM_F_REQUEST: ignored");

	for (i = 0; i < sizeof(ver); i++) {
		struct setreq q;

		m_start(&m, KCS_CMD_STATUS, 0);
		m_genl(&m)->version = ver[i];
		expect(&m, EPROTONOSUPPORT, "ABI versions", "STATUS, version %u", ver[i]);
		setreq_full(&q, g_prof);
		m_setreq(&m, &q);
		m_genl(&m)->version = ver[i];
		expect(&m, EPROTONOSUPPORT, "ABI versions",
		       "PROFILE_SET of PROFILE (valid otherwise), version %u", ver[i]);
		setreq_free(&q);
		m_start(&m, KCS_CMD_PROFILE_DEL, 0);
		m_genl(&m)->version = ver[i];
		m_str(&m, KCS_A_PROFILE_NAME, g_spare);
		expect(&m, EPROTONOSUPPORT, "ABI versions", "PROFILE_DEL of SPARE, version %u",
		       ver[i]);
		m_start(&m, KCS_CMD_PROFILE_GET, 0);
		m_genl(&m)->version = ver[i];
		m_str(&m, KCS_A_PROFILE_NAME, g_prof);
		expect(&m, EPROTONOSUPPORT, "ABI versions", "PROFILE_GET, version %u", ver[i]);
		m_start(&m, KCS_CMD_PROFILE_GET, NLM_F_DUMP);
		m_genl(&m)->version = ver[i];
		/* (6.1 has no extack for a dump's start callback.) */
		expect(&m, EPROTONOSUPPORT, NULL, "PROFILE_GET dump, version %u", ver[i]);
		m_start(&m, KCS_CMD_BIND, 0);
		m_genl(&m)->version = ver[i];
		m_str(&m, KCS_A_PROFILE_NAME, g_spare);
		m_u64(&m, KCS_A_CGROUP_ID, g_cgid);
		m_u32(&m, KCS_A_MODE, KCS_MODE_AUDIT);
		expect(&m, EPROTONOSUPPORT, "ABI versions",
		       "BIND of the bound cgroup to SPARE in audit, version %u", ver[i]);
		m_start(&m, KCS_CMD_UNBIND, 0);
		m_genl(&m)->version = ver[i];
		m_u64(&m, KCS_A_CGROUP_ID, g_cgid);
		expect(&m, EPROTONOSUPPORT, "ABI versions",
		       "UNBIND of the bound cgroup, version %u", ver[i]);
		m_start(&m, KCS_CMD_BIND_GET, NLM_F_DUMP);
		m_genl(&m)->version = ver[i];
		expect(&m, EPROTONOSUPPORT, NULL, "BIND_GET dump, version %u", ver[i]);
	}
	m_free(&m);
}

/* Attributes every command refuses the same way (strict validation). */
static void attr_cases(uint8_t cmd, const char *cname, int dump)
{
	struct msg m = { 0 };
	uint16_t flags = dump ? NLM_F_DUMP : 0;
	unsigned char junk[24];
	uint32_t u = 1;

	memset(junk, 0xa5, sizeof(junk));
#define START() do { m_start(&m, cmd, flags); \
	if (cmd == KCS_CMD_PROFILE_DEL || cmd == KCS_CMD_PROFILE_GET) \
		m_str(&m, KCS_A_PROFILE_NAME, cmd == KCS_CMD_PROFILE_DEL && !dump ? \
		      g_spare : g_prof); \
	if (cmd == KCS_CMD_UNBIND) m_u64(&m, KCS_A_CGROUP_ID, g_cgid); \
	} while (0)
	START();
	m_u32(&m, KCS_A_MAX + 1, 1);
	expect(&m, EINVAL, "Unknown attribute", "%s with attribute type KCS_A_MAX + 1", cname);
	START();
	m_u32(&m, 0x3fff, 1);
	expect(&m, EINVAL, "Unknown attribute", "%s with attribute type 0x3fff", cname);
	START();
	m_u32(&m, KCS_A_UNSPEC, 1);
	expect(&m, EINVAL, "Unknown attribute", "%s with attribute type 0", cname);
	START();
	m_u64(&m, KCS_A_EV_SEQ, 1);
	expect(&m, EINVAL, "Unsupported attribute", "%s with an event attribute (EV_SEQ)",
	       cname);
	START();
	m_u32(&m, KCS_A_ABI_VERSION, KCS_GENL_VERSION);
	expect(&m, EINVAL, "Unsupported attribute", "%s with a reply attribute (ABI_VERSION)",
	       cname);
	START();
	m_attr(&m, KCS_A_STATS | NLA_F_NESTED, junk, sizeof(junk));
	expect(&m, EINVAL, "Unsupported attribute", "%s with a nest of garbage (STATS)", cname);
	START();
	m_attr(&m, KCS_A_MODE | NLA_F_NESTED, &u, sizeof(u));
	expect(&m, EINVAL, "NLA_F_NESTED", "%s with NLA_F_NESTED on a u32 (MODE)", cname);
	START();
	m_raw(&m, "\x03\x00\x06\x00", 4);	/* nla_len 3 < NLA_HDRLEN */
	expect(&m, EINVAL, "leftover", "%s with an attribute of nla_len 3", cname);
	START();
	m_raw(&m, "\x40\x00\x06\x00" "ab\0\0", 8);	/* nla_len 64, 8 bytes */
	expect(&m, EINVAL, "leftover", "%s with an attribute running past the message",
	       cname);
	START();
	m_raw(&m, "\xff\xff", 2);
	expect(&m, EINVAL, "leftover", "%s with 2 trailing bytes", cname);
#undef START
	m_free(&m);
}

static void name_cases(uint8_t cmd, const char *cname)
{
	struct msg m = { 0 };
	char name[KCS_NAME_MAX + 8];
	uint32_t u32 = 0x41414141;
	struct setreq q;
	int i;

	/* The rest of the request is valid for the command. */
#define BODY() do { \
	if (cmd == KCS_CMD_PROFILE_SET) { setreq_full(&q, NULL); m_setreq(&m, &q); \
		setreq_free(&q); } else m_start(&m, cmd, 0); \
	if (cmd == KCS_CMD_BIND) { m_u64(&m, KCS_A_CGROUP_ID, g_cgid); \
		m_u32(&m, KCS_A_MODE, KCS_MODE_AUDIT); } \
	} while (0)
	BODY();
	expect(&m, EINVAL, "name missing", "%s without a name", cname);
	BODY();
	m_attr(&m, KCS_A_PROFILE_NAME, &u32, 4);
	expect(&m, EINVAL, NULL, "%s, name is a u32 (no NUL)", cname);
	BODY();
	m_attr(&m, KCS_A_PROFILE_NAME, g_spare, strlen(g_spare));
	expect(&m, EINVAL, NULL, "%s, name SPARE without its NUL", cname);
	BODY();
	m_attr(&m, KCS_A_PROFILE_NAME, NULL, 0);
	expect(&m, EINVAL, NULL, "%s, empty name attribute", cname);
	BODY();
	m_str(&m, KCS_A_PROFILE_NAME, "");
	expect(&m, EINVAL, "profile name must be", "%s, name \"\"", cname);
	for (i = 0; i < KCS_NAME_MAX; i++)
		name[i] = 'a';
	name[KCS_NAME_MAX] = 0;
	BODY();
	m_str(&m, KCS_A_PROFILE_NAME, name);
	expect(&m, EINVAL, NULL, "%s, name of KCS_NAME_MAX characters (NUL too late)",
	       cname);
	name[1] = 0;
	name[KCS_NAME_MAX] = 'a';
	BODY();
	m_attr(&m, KCS_A_PROFILE_NAME, name, KCS_NAME_MAX + 1);
	expect(&m, ERANGE, NULL, "%s, name \"a\" in a %d-byte attribute, junk after its NUL",
	       cname, KCS_NAME_MAX + 1);
	BODY();
	m_str(&m, KCS_A_PROFILE_NAME, "a/b");
	expect(&m, EINVAL, "profile name must be", "%s, name \"a/b\"", cname);
	BODY();
	m_str(&m, KCS_A_PROFILE_NAME, "a b");
	expect(&m, EINVAL, "profile name must be", "%s, name \"a b\"", cname);
	BODY();
	m_str(&m, KCS_A_PROFILE_NAME, "caf\xe9");
	expect(&m, EINVAL, "profile name must be", "%s, name \"caf\\xe9\" (Latin-1)", cname);
	if (cmd == KCS_CMD_PROFILE_SET) {	/* in case it was made */
		struct reply r;

		del_profile("caf\xe9", &r);
	}
	BODY();
	m_attr(&m, KCS_A_PROFILE_NAME | NLA_F_NESTED, "ab", 3);
	expect(&m, EINVAL, "NLA_F_NESTED", "%s, name with NLA_F_NESTED", cname);
#undef BODY
	m_free(&m);
}

static void set_cases(void)
{
	const char *G = g_prof;
	struct msg m = { 0 };
	struct setreq q;
	struct blob b;
	uint64_t u64 = 1;
	uint8_t u8 = 1;

	diag("PROFILE_SET of PROFILE");
	setreq_full(&q, G);
	q.kind = -1;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "exec kind missing", "PROFILE_SET without an exec kind");
	q.kind = __KCS_EXEC_KIND_MAX;
	m_setreq(&m, &q);
	expect(&m, ERANGE, NULL, "PROFILE_SET, exec kind __KCS_EXEC_KIND_MAX");
	q.kind = 0x7fffffff;
	m_setreq(&m, &q);
	expect(&m, ERANGE, NULL, "PROFILE_SET, exec kind 0x7fffffff");
	setreq_free(&q);

	setreq_full(&q, G);
	q.kind = -1;
	m_setreq(&m, &q);
	m_attr(&m, KCS_A_EXEC_KIND, &u8, 1);
	expect(&m, EINVAL, "invalid attribute length", "PROFILE_SET, exec kind as a u8");
	m_setreq(&m, &q);
	m_attr(&m, KCS_A_EXEC_KIND, &u64, 8);
	expect(&m, EINVAL, "invalid attribute length", "PROFILE_SET, exec kind as a u64");
	m_setreq(&m, &q);
	m_str(&m, KCS_A_EXEC_KIND, "block");
	expect(&m, EINVAL, "invalid attribute length", "PROFILE_SET, exec kind as a string");
	setreq_free(&q);

	setreq_full(&q, G);
	q.kind = KCS_EXEC_NONE;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "takes no pattern sets", "PROFILE_SET, kind NONE with rules");
	q.kind = KCS_EXEC_ALLOW;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "takes no exclusions", "PROFILE_SET, kind ALLOW with exclusions");
	q.kind = KCS_EXEC_BLOCK;
	b = q.rules;
	q.rules.p = NULL;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "has no DFA", "PROFILE_SET, kind BLOCK without a rules DFA");
	q.rules = b;
	b = q.rules_text;
	q.rules_text.p = NULL;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "pattern texts do not match",
	       "PROFILE_SET, rules DFA without its texts");
	q.rules_text = b;
	q.rules_text.len--;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "pattern texts do not match",
	       "PROFILE_SET, rule texts without the last NUL");
	q.rules_text.len++;
	b = q.except_text;
	q.except_text = texts(rule_lits, 2);
	m_setreq(&m, &q);
	expect(&m, EINVAL, "pattern texts do not match",
	       "PROFILE_SET, 2 exclusion texts for a 1-pattern DFA");
	b_free(&q.except_text);
	q.except_text = b;
	setreq_free(&q);

	setreq_full(&q, G);
	m_setreq(&m, &q);
	m_attr(&m, KCS_A_EXEC_RULES_DFA | NLA_F_NESTED, q.rules.p, 16);
	expect(&m, EINVAL, "NLA_F_NESTED", "PROFILE_SET, a rules DFA chunk with NLA_F_NESTED");
	setreq_free(&q);
	setreq_full(&q, G);
	b_free(&q.except);
	q.except = b_new(0);
	m_setreq(&m, &q);
	expect(&m, EINVAL, "has no DFA", "PROFILE_SET, exclusion DFA of 0 bytes");
	setreq_free(&q);

	diag("rules DFA that fails verification");
	bad_dfa_hdr(G, h_magic, "bad magic", "bad magic");
	bad_dfa_hdr(G, h_version1, "unsupported version", "version 1");
	bad_dfa_hdr(G, h_version3, "unsupported version", "version 3");
	bad_dfa_hdr(G, h_hdrlen, "bad length", "hdr_len 36");
	bad_dfa_hdr(G, h_flags, "unknown flags", "flags with an unknown bit");
	bad_dfa_hdr(G, h_nstates0, "state count out of range", "nstates 0");
	bad_dfa_hdr(G, h_nstates_max, "state count out of range",
		    "nstates KCS_DFA_MAX_STATES + 1");
	bad_dfa_hdr(G, h_nclasses0, "class count out of range", "nclasses 0");
	bad_dfa_hdr(G, h_nclasses257, "class count out of range", "nclasses 257");
	bad_dfa_hdr(G, h_start, "start state out of range", "start = nstates");
	bad_dfa_hdr(G, h_naccept, "pattern count out of range",
		    "naccept KCS_MAX_PATTERNS + 1");
	bad_dfa_hdr(G, h_ntrans_more, "size does not match",
		    "ntrans one more than sent (size lies)");
	bad_dfa_hdr(G, h_ntrans_huge, "size does not match", "ntrans 0xffffffff");
	bad_dfa_hdr(G, h_nstates_more, "size does not match",
		    "nstates one more than sent (size lies)");
	setreq_full(&q, G);
	q.rules.p[DFA_HDR + '/'] = (unsigned char)dfa_hdr(q.rules)->nclasses;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "class map entry out of range",
	       "PROFILE_SET, rules DFA class map entry = nclasses");
	q.rules.len--;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "size does not match", "PROFILE_SET, rules DFA one byte short");
	setreq_free(&q);
	bad_dfa(G, ACCEPT, 0, 1, "dead state accepts", "accept[0] 1");
	bad_dfa(G, DFLT, 0, 1, "dead state accepts", "dflt[0] 1");
	bad_dfa(G, ACCEPT, 3, 3, "accept value out of range", "accept[3] = naccept + 1");
	bad_dfa(G, BASE, 4, 17, "runs past the transition table",
		"base[last] + nclasses = ntrans + 1");
	bad_dfa(G, BASE, 1, 0xfffffffe, "runs past the transition table",
		"base[1] 0xfffffffe (offset overflow)");
	bad_dfa(G, DFLT, 2, 5, "default state out of range", "dflt[2] = nstates");
	bad_dfa(G, CHECK, 5, 5, "check entry out of range", "check[5] = nstates");
	bad_dfa(G, CHECK, 5, 0xfffffffe, "check entry out of range", "check[5] 0xfffffffe");
	bad_dfa(G, NEXT, 5, 5, "next state out of range", "next[5] = nstates (a used slot)");
	bad_dfa(G, CHECK, 5, 0, "dead state has a way out",
		"check[5] 0 (the dead state) with next[5] 2");

	setreq_full(&q, G);
	h_start(dfa_hdr(q.except));
	m_setreq(&m, &q);
	expect(&m, EINVAL, "start state out of range",
	       "PROFILE_SET, exclusion DFA start = nstates");
	setreq_free(&q);

	diag("chunked blobs");
	b = dfa_big(6000);		/* 72,296 bytes: two chunks */
	setreq_full(&q, G);
	b_free(&q.rules);
	b_free(&q.rules_text);
	b_free(&q.except);
	b_free(&q.except_text);
	q.rules = b;
	q.rules_text = b_new(0);
	m_setreq(&m, &q);
	m_attr(&m, KCS_A_EXEC_RULES_DFA, b.p, KCS_CHUNK_MAX + 1);
	expect(&m, ERANGE, NULL, "PROFILE_SET, a DFA chunk of KCS_CHUNK_MAX + 1 bytes");
	m_setreq(&m, &q);
	m_attr(&m, KCS_A_EXEC_RULES_TEXT, b.p, KCS_CHUNK_MAX + 1);
	expect(&m, ERANGE, NULL, "PROFILE_SET, a text chunk of KCS_CHUNK_MAX + 1 bytes");
	m_setreq(&m, &q);
	m_attr(&m, KCS_A_NET_EGRESS_RULES, b.p, KCS_CHUNK_MAX + 1);
	expect(&m, ERANGE, NULL, "PROFILE_SET, an egress chunk of KCS_CHUNK_MAX + 1 bytes");
	/* The two chunks swapped, one twice, one missing. */
	m_start(&m, KCS_CMD_PROFILE_SET, 0);
	m_str(&m, KCS_A_PROFILE_NAME, G);
	m_u32(&m, KCS_A_EXEC_KIND, KCS_EXEC_BLOCK);
	m_attr(&m, KCS_A_EXEC_RULES_DFA, b.p + KCS_CHUNK_MAX, b.len - KCS_CHUNK_MAX);
	m_attr(&m, KCS_A_EXEC_RULES_DFA, b.p, KCS_CHUNK_MAX);
	m_attr(&m, KCS_A_EXEC_RULES_TEXT, NULL, 0);
	expect(&m, EINVAL, "bad magic", "PROFILE_SET, the DFA's two chunks out of order");
	m_start(&m, KCS_CMD_PROFILE_SET, 0);
	m_str(&m, KCS_A_PROFILE_NAME, G);
	m_u32(&m, KCS_A_EXEC_KIND, KCS_EXEC_BLOCK);
	m_attr(&m, KCS_A_EXEC_RULES_DFA, b.p, KCS_CHUNK_MAX);
	m_attr(&m, KCS_A_EXEC_RULES_DFA, b.p + KCS_CHUNK_MAX, b.len - KCS_CHUNK_MAX);
	m_attr(&m, KCS_A_EXEC_RULES_DFA, b.p + KCS_CHUNK_MAX, b.len - KCS_CHUNK_MAX);
	expect(&m, EINVAL, "size does not match", "PROFILE_SET, the DFA's last chunk twice");
	m_start(&m, KCS_CMD_PROFILE_SET, 0);
	m_str(&m, KCS_A_PROFILE_NAME, G);
	m_u32(&m, KCS_A_EXEC_KIND, KCS_EXEC_BLOCK);
	m_attr(&m, KCS_A_EXEC_RULES_DFA, b.p, KCS_CHUNK_MAX);
	expect(&m, EINVAL, "size does not match",
	       "PROFILE_SET, the DFA's first chunk only (total size lies)");
	setreq_free(&q);

	diag("network rule sets");
	setreq_full(&q, G);
	q.net_kind = __KCS_NET_KIND_MAX;
	m_setreq(&m, &q);
	expect(&m, ERANGE, NULL, "PROFILE_SET, egress kind __KCS_NET_KIND_MAX");
	q.net_kind = KCS_NET_BLOCK;
	q.flags = KCS_NET_F_ALL + 1;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "reserved bit", "PROFILE_SET, net flags with an unknown bit");
	q.flags = KCS_NET_F_MONITOR_LISTEN;
	q.net_kind = -1;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "takes no rule sets", "PROFILE_SET, no egress kind but rules");
	q.net_kind = KCS_NET_ALLOW;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "takes no exclusions", "PROFILE_SET, egress ALLOW with exclusions");
	q.net_kind = KCS_NET_BLOCK;
	b = q.eg;
	q.eg.p = NULL;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "rule set missing", "PROFILE_SET, egress BLOCK without rules");
	q.eg = b;
	b = q.eg_text;
	q.eg_text.p = NULL;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "rule texts do not match", "PROFILE_SET, egress rules without texts");
	q.eg_text = b;
	b = q.li_text;
	q.li_text = texts(eg_texts, 2);
	m_setreq(&m, &q);
	expect(&m, EINVAL, "rule texts do not match",
	       "PROFILE_SET, 2 listen texts for 1 listen rule");
	b_free(&q.li_text);
	q.li_text = b;
	h_start(dfa_hdr(q.rules));	/* the exec part fails first */
	net_hdr(q.eg)->magic = 0;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "dfa start state", "PROFILE_SET, bad DFA and bad egress: DFA first");
	setreq_free(&q);
	setreq_full(&q, G);
	net_hdr(q.li)->n6 = 0;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "size does not match", "PROFILE_SET, listen rules: n6 0 (size lies)");
	net_hdr(q.li)->n6 = 1;
	net_hdr(q.ex)->nrules = 0;
	m_setreq(&m, &q);
	expect(&m, EINVAL, "rule index out of range",
	       "PROFILE_SET, egress exclusions: nrules 0 but a port names rule 0");
	setreq_free(&q);
	bad_net(G, n_magic, "bad magic", "bad magic");
	bad_net(G, n_version, "unsupported version", "version 2");
	bad_net(G, n_hdrlen, "bad length", "hdr_len 28");
	bad_net(G, n_nrules, "rule count out of range", "nrules KCS_NET_MAX_RULES + 1");
	bad_net(G, n_n4, "entry count out of range", "n4 KCS_NET_MAX_ENTRIES + 1");
	bad_net(G, n_nports, "entry count out of range", "nports KCS_NET_MAX_ENTRIES + 1");
	bad_net(G, n_size, "size does not match", "nports one more than sent (size lies)");
	bad_net(G, n_short, "size does not match", "one byte short");
	bad_net(G, n_v4rev, "IPv4 interval is reversed", "IPv4 lo > hi");
	bad_net(G, n_v4ovl, "IPv4 intervals overlap", "IPv4 intervals overlapping");
	bad_net(G, n_v6rev, "IPv6 interval is reversed", "IPv6 lo > hi");
	bad_net(G, n_v6ovl, "IPv6 intervals overlap", "IPv6 intervals overlapping");
	bad_net(G, n_count0, "owns no port entries", "an interval owning no port");
	bad_net(G, n_first, "out of order or out of range", "port entries out of order");
	bad_net(G, n_count_big, "out of order or out of range",
		"port count 0xffffffff (offset overflow)");
	bad_net(G, n_portrev, "port range is reversed", "port range 81-80");
	bad_net(G, n_portovl, "overlap or are unsorted", "overlapping port ranges");
	bad_net(G, n_norule, "names no rule", "a port entry naming no rule");
	bad_net(G, n_ruleidx, "rule index out of range", "rule index = nrules");
	bad_net(G, n_trailing, "no interval owns", "a port entry no interval owns");

	m_free(&m);
}

/* Blobs over the ABI limits, and the module's own caps. */
static void big_cases(void)
{
	const char *G = g_prof;
	struct msg m = { 0 };
	struct setreq q;
	struct blob b, t;
	size_t n, i;
	char path[] = "/sys/module/kcs/parameters/max_profile_mem_mb";
	char old[32] = "";
	struct reply r;
	uint32_t nprof;
	int f, created = 0, ok = 1;

	diag("oversized blobs");
	n = KCS_DFA_MAX_BYTES / KCS_CHUNK_MAX + 1;
	m_start(&m, KCS_CMD_PROFILE_SET, 0);
	m_str(&m, KCS_A_PROFILE_NAME, G);
	m_u32(&m, KCS_A_EXEC_KIND, KCS_EXEC_BLOCK);
	m_reserve(&m, n * NLA_ALIGN(NLA_HDRLEN + KCS_CHUNK_MAX));
	b = b_new(KCS_CHUNK_MAX);
	for (i = 0; i < n; i++)
		m_attr(&m, KCS_A_EXEC_RULES_DFA, b.p, KCS_CHUNK_MAX);
	expect(&m, E2BIG, "larger than the ABI limit",
	       "PROFILE_SET, a rules DFA of %zu chunks (> KCS_DFA_MAX_BYTES)", n);
	m_free(&m);

	n = KCS_TEXT_MAX_BYTES / KCS_CHUNK_MAX + 1;
	t = dfa_big(1);
	m_start(&m, KCS_CMD_PROFILE_SET, 0);
	m_str(&m, KCS_A_PROFILE_NAME, G);
	m_u32(&m, KCS_A_EXEC_KIND, KCS_EXEC_BLOCK);
	m_attr(&m, KCS_A_EXEC_RULES_DFA, t.p, t.len);
	for (i = 0; i < n; i++)
		m_attr(&m, KCS_A_EXEC_RULES_TEXT, b.p, KCS_CHUNK_MAX);
	expect(&m, E2BIG, "larger than the ABI limit",
	       "PROFILE_SET, rule texts of %zu chunks (> KCS_TEXT_MAX_BYTES)", n);
	m_free(&m);
	b_free(&t);
	b_free(&b);

	/* The memory cap: 1 MiB, and a 1.2 MB profile to replace PROFILE. */
	f = open(path, O_RDWR);
	if (f < 0 || read(f, old, sizeof(old) - 1) <= 0) {
		tap(0, "read %s", path);
	} else if (lseek(f, 0, SEEK_SET) || write(f, "1\n", 2) != 2) {
		tap(0, "write 1 to %s", path);
	} else {
		setreq_full(&q, G);
		b_free(&q.rules);
		b_free(&q.rules_text);
		b_free(&q.except);
		b_free(&q.except_text);
		q.rules = dfa_big(100000);
		q.rules_text = b_new(0);
		m_setreq(&m, &q);
		expect(&m, ENOSPC, "max_profile_mem_mb",
		       "PROFILE_SET of a %zu-byte DFA, max_profile_mem_mb 1",
		       q.rules.len);
		setreq_free(&q);
		m_free(&m);
		if (lseek(f, 0, SEEK_SET) || write(f, old, strlen(old)) !=
		    (ssize_t)strlen(old))
			tap(0, "restore %s", path);
	}
	if (f >= 0)
		close(f);

	/* KCS_MAX_PROFILES: fill up with empty profiles, one more fails. */
	if (status(&nprof, &r) || nprof > KCS_MAX_PROFILES) {
		tap(0, "STATUS tells the profile count");
		return;
	}
	for (i = nprof; i < KCS_MAX_PROFILES; i++) {
		char name[32];

		snprintf(name, sizeof(name), "nlbad-cap-%zu", i);
		m_start(&m, KCS_CMD_PROFILE_SET, 0);
		m_str(&m, KCS_A_PROFILE_NAME, name);
		m_u32(&m, KCS_A_EXEC_KIND, KCS_EXEC_NONE);
		xfer(&m, &r, NULL, NULL);
		if (r.bad || !r.done || r.err) {
			ok = 0;
			r_diag(&r);
			break;
		}
		created++;
	}
	tap(ok, "%d empty profiles fill the module to KCS_MAX_PROFILES", created);
	m_start(&m, KCS_CMD_PROFILE_SET, 0);
	m_str(&m, KCS_A_PROFILE_NAME, "nlbad-cap-over");
	m_u32(&m, KCS_A_EXEC_KIND, KCS_EXEC_NONE);
	expect(&m, ENOSPC, "too many profiles", "PROFILE_SET of profile KCS_MAX_PROFILES + 1");
	ok = 1;
	for (i = nprof; i < nprof + created; i++) {
		char name[32];

		snprintf(name, sizeof(name), "nlbad-cap-%zu", i);
		if (del_profile(name, &r)) {
			ok = 0;
			r_diag(&r);
		}
	}
	tap(ok, "the %d profiles are deleted again", created);
	m_free(&m);
}

static void other_cmd_cases(void)
{
	struct msg m = { 0 };
	uint32_t u32 = 1;
	struct reply r;
	unsigned char cgid16[16] = { 0 };
	char name[KCS_NAME_MAX];

	diag("PROFILE_DEL, PROFILE_GET, BIND, UNBIND, STATUS, BIND_GET");
	m_start(&m, KCS_CMD_PROFILE_DEL, 0);
	m_str(&m, KCS_A_PROFILE_NAME, "nlbad-no-such-profile");
	expect(&m, ENOENT, "no profile with this name", "PROFILE_DEL of an unknown profile");
	m_start(&m, KCS_CMD_PROFILE_DEL, 0);
	m_str(&m, KCS_A_PROFILE_NAME, g_prof);
	expect(&m, EBUSY, "bound", "PROFILE_DEL of the bound PROFILE");
	m_start(&m, KCS_CMD_PROFILE_GET, 0);
	m_str(&m, KCS_A_PROFILE_NAME, "nlbad-no-such-profile");
	expect(&m, ENOENT, "no profile with this name", "PROFILE_GET of an unknown profile");
	memset(name, 'z', KCS_NAME_MAX - 1);
	name[KCS_NAME_MAX - 1] = 0;
	m_start(&m, KCS_CMD_PROFILE_DEL, 0);
	m_str(&m, KCS_A_PROFILE_NAME, name);
	expect(&m, ENOENT, "no profile with this name",
	       "PROFILE_DEL of an unknown name of KCS_NAME_MAX - 1 characters");

	m_start(&m, KCS_CMD_BIND, 0);
	m_str(&m, KCS_A_PROFILE_NAME, g_spare);
	m_u32(&m, KCS_A_MODE, KCS_MODE_AUDIT);
	expect(&m, EINVAL, "cgroup id missing", "BIND without a cgroup id");
	m_start(&m, KCS_CMD_BIND, 0);
	m_str(&m, KCS_A_PROFILE_NAME, g_spare);
	m_u64(&m, KCS_A_CGROUP_ID, g_cgid);
	expect(&m, EINVAL, "mode missing", "BIND of the bound cgroup without a mode");
	m_start(&m, KCS_CMD_BIND, 0);
	m_str(&m, KCS_A_PROFILE_NAME, g_spare);
	m_attr(&m, KCS_A_CGROUP_ID, &u32, 4);
	m_u32(&m, KCS_A_MODE, KCS_MODE_AUDIT);
	expect(&m, EINVAL, "invalid attribute length", "BIND, cgroup id as a u32");
	m_start(&m, KCS_CMD_BIND, 0);
	m_str(&m, KCS_A_PROFILE_NAME, g_spare);
	m_str(&m, KCS_A_CGROUP_ID, "123456789");
	m_u32(&m, KCS_A_MODE, KCS_MODE_AUDIT);
	expect(&m, EINVAL, "invalid attribute length", "BIND, cgroup id as a string");
	m_start(&m, KCS_CMD_BIND, 0);
	m_str(&m, KCS_A_PROFILE_NAME, g_spare);
	m_u64(&m, KCS_A_CGROUP_ID, g_cgid);
	m_u32(&m, KCS_A_MODE, KCS_MODE_NONE);
	expect(&m, ERANGE, NULL, "BIND of the bound cgroup, mode NONE");
	m_start(&m, KCS_CMD_BIND, 0);
	m_str(&m, KCS_A_PROFILE_NAME, g_spare);
	m_u64(&m, KCS_A_CGROUP_ID, g_cgid);
	m_u32(&m, KCS_A_MODE, __KCS_MODE_MAX);
	expect(&m, ERANGE, NULL, "BIND of the bound cgroup, mode __KCS_MODE_MAX");
	m_start(&m, KCS_CMD_BIND, 0);
	m_str(&m, KCS_A_PROFILE_NAME, g_spare);
	m_u64(&m, KCS_A_CGROUP_ID, g_cgid);
	m_u64(&m, KCS_A_MODE, KCS_MODE_AUDIT);
	expect(&m, EINVAL, "invalid attribute length", "BIND, mode as a u64");
	m_start(&m, KCS_CMD_BIND, 0);
	m_str(&m, KCS_A_PROFILE_NAME, "nlbad-no-such-profile");
	m_u64(&m, KCS_A_CGROUP_ID, g_cgid);
	m_u32(&m, KCS_A_MODE, KCS_MODE_AUDIT);
	expect(&m, ENOENT, "no profile", "BIND of the bound cgroup to an unknown profile");
	m_start(&m, KCS_CMD_BIND, 0);
	m_str(&m, KCS_A_PROFILE_NAME, g_spare);
	m_u64(&m, KCS_A_CGROUP_ID, 0xfffffffffffffULL);
	m_u32(&m, KCS_A_MODE, KCS_MODE_AUDIT);
	expect(&m, ENOENT, "no cgroup", "BIND of an unknown cgroup id");
	m_start(&m, KCS_CMD_BIND, 0);
	m_str(&m, KCS_A_PROFILE_NAME, g_spare);
	m_u64(&m, KCS_A_CGROUP_ID, 0);
	m_u32(&m, KCS_A_MODE, KCS_MODE_AUDIT);
	expect(&m, ENOENT, "no cgroup", "BIND of cgroup id 0");

	m_start(&m, KCS_CMD_UNBIND, 0);
	expect(&m, EINVAL, "cgroup id missing", "UNBIND without a cgroup id");
	m_start(&m, KCS_CMD_UNBIND, 0);
	m_u32(&m, KCS_A_CGROUP_ID, (uint32_t)g_cgid);
	expect(&m, EINVAL, "invalid attribute length", "UNBIND, the cgroup id as a u32");
	m_start(&m, KCS_CMD_UNBIND, 0);
	memcpy(cgid16, &g_cgid, 8);
	m_attr(&m, KCS_A_CGROUP_ID, cgid16, 16);
	expect(&m, EINVAL, "invalid attribute length", "UNBIND, the cgroup id in 16 bytes");
	m_start(&m, KCS_CMD_UNBIND, 0);
	m_u64(&m, KCS_A_CGROUP_ID, 0xfffffffffffffULL);
	expect(&m, ENOENT, "not bound", "UNBIND of an unbound cgroup id");
	m_start(&m, KCS_CMD_UNBIND, 0);
	m_str(&m, KCS_A_PROFILE_NAME, g_prof);
	expect(&m, EINVAL, "cgroup id missing", "UNBIND by profile name only");

	/* The positive controls: well-formed requests are answered. */
	tap(!status(&u32, &r), "STATUS answers with one reply and an ACK");
	m_start(&m, KCS_CMD_PROFILE_GET, 0);
	m_str(&m, KCS_A_PROFILE_NAME, g_prof);
	xfer(&m, &r, NULL, NULL);
	tap(!r.bad && r.done && !r.err && r.ndata == 1,
	    "PROFILE_GET of PROFILE answers with one reply and an ACK");
	m_free(&m);
}

/* One attribute into @buf at @off (room assumed); the offset after it. */
static size_t put_attr(unsigned char *buf, size_t off, uint16_t type,
		       const void *d, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	memcpy(buf + off, &a, sizeof(a));
	memcpy(buf + off + NLA_HDRLEN, d, len);
	memset(buf + off + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return off + NLA_ALIGN(NLA_HDRLEN + len);
}

/* A KCS_A_BIND_MORE entry of @type: @name (NULL: none), @mode (-1: none). */
static size_t put_entry(unsigned char *buf, size_t off, uint16_t type,
			const char *name, long mode)
{
	unsigned char in[128];
	uint32_t m = (uint32_t)mode;
	size_t n = 0;

	if (name)
		n = put_attr(in, n, KCS_A_PROFILE_NAME, name, strlen(name) + 1);
	if (mode >= 0)
		n = put_attr(in, n, KCS_A_MODE, &m, 4);
	return put_attr(buf, off, type | NLA_F_NESTED, in, n);
}

/* BIND of the bound cgroup to SPARE and the KCS_A_BIND_MORE of @more. */
static void m_bind_more(struct msg *m, const unsigned char *more, size_t len,
			int nested)
{
	m_start(m, KCS_CMD_BIND, 0);
	m_str(m, KCS_A_PROFILE_NAME, g_spare);
	m_u64(m, KCS_A_CGROUP_ID, g_cgid);
	m_u32(m, KCS_A_MODE, KCS_MODE_AUDIT);
	m_attr(m, KCS_A_BIND_MORE | (nested ? NLA_F_NESTED : 0), more, len);
}

/*
 * Several profiles in one BIND (KCS_A_BIND_MORE): each malformed list is
 * refused, and refused whole (same_state() finds the binding unchanged).
 */
static void bind_more_cases(void)
{
	unsigned char more[1024];
	struct msg m = { 0 };
	size_t n;
	int i;

	diag("BIND with KCS_A_BIND_MORE");
	n = put_entry(more, 0, KCS_A_MODE, g_prof, KCS_MODE_AUDIT);
	m_bind_more(&m, more, n, 1);
	expect(&m, EINVAL, "KCS_A_BIND_PROFILE only", "BIND_MORE holding another attribute");
	n = 0;
	for (i = 0; i < KCS_BIND_PROFILES_MAX; i++)
		n = put_entry(more, n, KCS_A_BIND_PROFILE, g_prof, KCS_MODE_AUDIT);
	m_bind_more(&m, more, n, 1);
	expect(&m, E2BIG, "KCS_BIND_PROFILES_MAX", "BIND of KCS_BIND_PROFILES_MAX + 1 profiles");
	n = put_entry(more, 0, KCS_A_BIND_PROFILE, g_prof, -1);
	m_bind_more(&m, more, n, 1);
	expect(&m, EINVAL, "a name and a mode", "BIND_MORE entry without a mode");
	n = put_entry(more, 0, KCS_A_BIND_PROFILE, NULL, KCS_MODE_AUDIT);
	m_bind_more(&m, more, n, 1);
	expect(&m, EINVAL, "a name and a mode", "BIND_MORE entry without a name");
	n = put_entry(more, 0, KCS_A_BIND_PROFILE, g_prof, __KCS_MODE_MAX);
	m_bind_more(&m, more, n, 1);
	expect(&m, ERANGE, NULL, "BIND_MORE entry, mode __KCS_MODE_MAX");
	n = put_entry(more, 0, KCS_A_BIND_PROFILE, g_spare, KCS_MODE_ENFORCE);
	m_bind_more(&m, more, n, 1);
	expect(&m, EINVAL, "named twice", "BIND naming SPARE twice");
	n = put_entry(more, 0, KCS_A_BIND_PROFILE, "nlbad-no-such-profile", KCS_MODE_AUDIT);
	m_bind_more(&m, more, n, 1);
	expect(&m, ENOENT, "no profile", "BIND_MORE naming an unknown profile");
	n = put_entry(more, 0, KCS_A_BIND_PROFILE, g_prof, KCS_MODE_AUDIT);
	m_bind_more(&m, more, n, 0);
	expect(&m, EINVAL, "NLA_F_NESTED", "BIND_MORE without NLA_F_NESTED");
	m_free(&m);
}

/* A valid request of every part, applied to a temporary profile. */
static void positive_cases(void)
{
	const char *tmp = "nlbad-tmp";
	struct profs ps;
	const struct prof *p;
	struct msg m = { 0 };
	struct setreq q;
	struct reply r;

	diag("valid requests (the cases above differ from these in one thing)");
	setreq_full(&q, tmp);
	m_setreq(&m, &q);
	expect(&m, 0, NULL, "PROFILE_SET of every attribute, to a new profile");
	if (dump_profiles(&ps) || !(p = prof_find(&ps, tmp)))
		tap(0, "the new profile is listed");
	else
		tap(p->nrules == 2 && p->nexcept == 1 && p->kind == KCS_EXEC_BLOCK &&
		    p->net_kind == KCS_NET_BLOCK && p->net_rules == 2 &&
		    p->generation == 1,
		    "it is listed with 2 rules, 1 exclusion, 2 egress rules, generation 1");
	q.chunk = 7;			/* every blob in many small chunks */
	m_setreq(&m, &q);
	expect(&m, 0, NULL, "the same in chunks of 7 bytes");
	setreq_free(&q);
	setreq_full(&q, tmp);
	b_free(&q.rules);
	b_free(&q.rules_text);
	b_free(&q.except);
	b_free(&q.except_text);
	q.rules = dfa_big(6000);
	q.rules_text = b_new(0);
	m_setreq(&m, &q);
	expect(&m, 0, NULL, "a %zu-byte DFA in chunks of KCS_CHUNK_MAX", q.rules.len);
	setreq_free(&q);
	if (dump_profiles(&ps) || !(p = prof_find(&ps, tmp)))
		tap(0, "replaced twice: generation 3");
	else
		tap(p->generation == 3 && p->nrules == 0, "replaced twice: generation 3");
	tap(!del_profile(tmp, &r), "the temporary profile is deleted");
	m_free(&m);
}

/* ---- random mutations --------------------------------------------------- */

static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Offsets of the attributes of @msg (at most @max). */
static int attr_offsets(const unsigned char *msg, size_t len, size_t *off, int max)
{
	const struct nlattr *a;
	int rem, n = 0;

	for_each_attr(a, msg + GENL_MSG_HDRLEN, (int)(len - GENL_MSG_HDRLEN), rem)
		if (n < max)
			off[n++] = (size_t)((const unsigned char *)a - msg);
	return n;
}

static size_t mutate(unsigned char *msg, size_t len, size_t cap)
{
	static const uint32_t interesting[] = {
		0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};
	size_t off[64], a, b, l;
	int k = 1 + (int)(rnd() % 4), n, j;

	while (k-- > 0) {
		size_t body = len - NLMSG_HDRLEN;	/* never the nlmsghdr */
		size_t pos = NLMSG_HDRLEN + rnd() % body;
		uint32_t v;

		switch (rnd() % 10) {
		case 0:
		case 1:
			msg[pos] ^= (unsigned char)(1 << (rnd() % 8));
			break;
		case 2:
			msg[pos] = (unsigned char)rnd();
			break;
		case 3:		/* an interesting word at an aligned offset */
			pos &= ~(size_t)3;
			if (pos < NLMSG_HDRLEN || pos + 4 > len)
				break;
			v = interesting[rnd() % (sizeof(interesting) / sizeof(interesting[0]))];
			memcpy(msg + pos, &v, 4);
			break;
		case 4:		/* an attribute's length or type */
			n = attr_offsets(msg, len, off, 64);
			if (!n)
				break;
			a = off[rnd() % n];
			if (rnd() % 2)
				msg[a + (rnd() % 2)] ^= (unsigned char)(1 << (rnd() % 8));
			else
				msg[a + 2 + (rnd() % 2)] ^= (unsigned char)(1 << (rnd() % 8));
			break;
		case 5:		/* truncate */
			if (rnd() % 3 == 0)
				len = NLMSG_HDRLEN + rnd() % body;
			break;
		case 6:		/* duplicate an attribute after another */
			n = attr_offsets(msg, len, off, 64);
			if (!n)
				break;
			a = off[rnd() % n];
			b = off[rnd() % n];
			l = NLA_ALIGN(((struct nlattr *)(msg + a))->nla_len);
			if (a + l > len || len + l > cap)
				break;
			memmove(msg + b + l, msg + b, len - b);
			if (a >= b)
				a += l;
			memcpy(msg + b, msg + a, l);
			len += l;
			break;
		case 7:		/* remove an attribute */
			n = attr_offsets(msg, len, off, 64);
			if (!n)
				break;
			a = off[rnd() % n];
			l = NLA_ALIGN(((struct nlattr *)(msg + a))->nla_len);
			if (a + l > len)
				break;
			memmove(msg + a, msg + a + l, len - a - l);
			len -= l;
			break;
		case 8:		/* swap two adjacent attributes */
			n = attr_offsets(msg, len, off, 64);
			if (n < 2)
				break;
			j = (int)(rnd() % (n - 1));
			a = off[j];
			b = off[j + 1];
			l = b - a;
			if (l > 4096 || b + NLA_ALIGN(((struct nlattr *)(msg + b))->nla_len) > len)
				break;
			{
				unsigned char tmp[4096];
				size_t lb = NLA_ALIGN(((struct nlattr *)(msg + b))->nla_len);

				if (lb > sizeof(tmp))
					break;
				memcpy(tmp, msg + b, lb);
				memmove(msg + a + lb, msg + a, l);
				memcpy(msg + a, tmp, lb);
			}
			break;
		default:	/* the genetlink header */
			msg[NLMSG_HDRLEN + rnd() % GENL_HDRLEN] ^=
				(unsigned char)(1 << (rnd() % 8));
			break;
		}
		if (len < NLMSG_HDRLEN + 1)
			len = NLMSG_HDRLEN + 1;
	}
	return len;
}

static void hexdump(const unsigned char *p, size_t len)
{
	char line[100];
	size_t i, o = 0;

	for (i = 0; i < len && i < 512; i++) {
		o += (size_t)snprintf(line + o, sizeof(line) - o, "%02x", p[i]);
		if (i % 32 == 31 || i + 1 == len || i + 1 == 512) {
			diag("    %04zx: %s", i - i % 32, line);
			o = 0;
		}
	}
}

static void mutation_loop(unsigned long iters, unsigned long long seed)
{
	struct msg base = { 0 }, m = { 0 };
	unsigned long i, missing = 0, malformed = 0, wrong_accept = 0;
	unsigned long wrong_reject = 0, wrong_errno = 0;
	unsigned long unknown = 0, cleanup = 0, made = 0, shown = 0;
	unsigned long by_errno[160] = { 0 };
	struct setreq q;
	struct reply r;
	struct pred p;

	diag("%lu random mutations of a valid PROFILE_SET, seed %llu", iters, seed);
	rng = seed ? seed : 1;
	setreq_full(&q, "nlbad-mut");
	q.chunk = 200;		/* several chunks to reorder, drop, repeat */
	m_setreq(&base, &q);
	setreq_free(&q);
	m_nlh(&base)->nlmsg_len = (uint32_t)base.len;
	oracle(base.b, base.len, exists_initial, &p);
	tap(p.err == 0 && p.creates, "the oracle accepts the unmutated request (%zu bytes)",
	    base.len);
	m_reserve(&m, base.len * 3);
	for (i = 0; i < iters; i++) {
		int bad;

		memcpy(m.b, base.b, base.len);
		m.len = mutate(m.b, base.len, m.cap);
		oracle(m.b, m.len, exists_initial, &p);
		xfer(&m, &r, NULL, NULL);
		if (r.bad || !r.done) {
			if (strstr(r.why, "no reply"))
				missing++;
			else
				malformed++;
			bad = 1;
		} else {
			int e = -r.err;

			by_errno[e >= 0 && e < 159 ? e : 159]++;
			bad = 0;
			if (r.ndata != (p.data && !r.err)) {
				malformed++;
				bad = 1;
			}
			if (p.unknown) {
				unknown++;
				if (!r.err)
					bad = 1;
			} else if (!r.err && p.err) {
				wrong_accept++;
				bad = 1;
			} else if (r.err && !p.err) {
				wrong_reject++;
				bad = 1;
			} else if (r.err != p.err) {
				wrong_errno++;
				bad = 1;
			}
		}
		if (!r.err && r.done && p.is_set) {
			/* The profile the mutant made: delete it again. */
			struct reply d;

			made++;
			if (del_profile(p.name, &d)) {
				cleanup++;
				bad = 1;
			}
		}
		if (bad && shown++ < 8) {
			diag("  mutant %lu (%zu bytes): kernel %s (%s), oracle %s%s",
			     i, m.len, r.done ? errname(-r.err) : "-",
			     r.bad ? r.why : r.ext, errname(-p.err),
			     p.unknown ? " or other" : "");
			hexdump(m.b, m.len);
		}
	}
	diag("answers: success %lu, EINVAL %lu, ERANGE %lu, EOPNOTSUPP %lu, "
	     "EPROTONOSUPPORT %lu, ENOENT %lu, EBUSY %lu", by_errno[0],
	     by_errno[EINVAL], by_errno[ERANGE], by_errno[EOPNOTSUPP],
	     by_errno[EPROTONOSUPPORT], by_errno[ENOENT], by_errno[EBUSY]);
	tap(!missing, "mutations: every request answered (%lu without an answer)", missing);
	tap(!malformed, "mutations: every answer one well-formed NLMSG_ERROR (%lu not)",
	    malformed);
	tap(!wrong_accept, "mutations: nothing the oracle refuses was accepted (%lu were)",
	    wrong_accept);
	tap(!wrong_reject, "mutations: everything the oracle accepts was accepted (%lu not)",
	    wrong_reject);
	tap(!wrong_errno, "mutations: refused with the oracle's errno (%lu not)",
	    wrong_errno);
	tap(!cleanup, "mutations: the %lu profiles valid mutants made deleted again",
	    made);
	if (unknown)
		diag("%lu mutants the oracle could not judge (BIND/UNBIND of a cgroup id, a set it does not model)",
		     unknown);
	m_free(&base);
	m_free(&m);
}

/* ---- main ---------------------------------------------------------------- */

static void same_state(const char *when)
{
	struct profs ps;
	struct binds bs;
	int i, same;

	same = !dump_profiles(&ps) && ps.n == initial.n;
	for (i = 0; same && i < ps.n; i++) {
		const struct prof *a = &ps.p[i], *b = prof_find(&initial, a->name);

		same = b && a->generation == b->generation && a->mem == b->mem &&
		       a->nrules == b->nrules && a->nbind == b->nbind;
	}
	tap(same, "%s: the same profiles, generations and sizes as before", when);
	if (!same)
		for (i = 0; i < ps.n; i++)
			diag("  %s generation %llu mem %llu", ps.p[i].name,
			     (unsigned long long)ps.p[i].generation,
			     (unsigned long long)ps.p[i].mem);
	same = !dump_bindings(&bs) && bs.n == initial_binds.n;
	for (i = 0; same && i < bs.n; i++)
		same = bs.b[i].cgid == initial_binds.b[i].cgid &&
		       bs.b[i].mode == initial_binds.b[i].mode &&
		       !strcmp(bs.b[i].name, initial_binds.b[i].name);
	tap(same, "%s: the same bindings as before", when);
}

int main(int argc, char **argv)
{
	unsigned long iters = 20000;
	unsigned long long seed = 1;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 5 };
	int one = 1, sz = 256 << 20, opt;
	const struct prof *p;

	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		if (opt == 'n')
			iters = strtoul(optarg, NULL, 10);
		else if (opt == 's')
			seed = strtoull(optarg, NULL, 10);
		else
			break;
	}
	if (argc - optind != 3) {
		fprintf(stderr, "usage: nl_bad [-n ITERATIONS] [-s SEED] PROFILE SPARE CGROUP_ID\n");
		return 2;
	}
	g_prof = argv[optind];
	g_spare = argv[optind + 1];
	g_cgid = strtoull(argv[optind + 2], NULL, 10);
	policy_init();

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("netlink socket");
	/* Short errors (CAP_ACK): a refused 64 MB request is not echoed. */
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("setsockopt");
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)))
		die("SO_SNDBUFFORCE");
	sz = 4 << 20;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	if (resolve_family()) {
		printf("# nl_bad: generic netlink family \"%s\" not found\n", KCS_GENL_NAME);
		return 2;
	}
	if (dump_profiles(&initial) || dump_bindings(&initial_binds)) {
		printf("# nl_bad: cannot list profiles and bindings\n");
		return 2;
	}
	p = prof_find(&initial, g_prof);
	if (!p || !p->nbind || !(p = prof_find(&initial, g_spare)) || p->nbind) {
		printf("# nl_bad: %s must exist and be bound, %s exist and be unbound\n",
		       g_prof, g_spare);
		return 2;
	}
	diag("family %s id %u; %d profiles, %d bindings", KCS_GENL_NAME, fam, initial.n,
	     initial_binds.n);

	header_cases();
	attr_cases(KCS_CMD_STATUS, "STATUS", 0);
	attr_cases(KCS_CMD_PROFILE_SET, "PROFILE_SET", 0);
	attr_cases(KCS_CMD_PROFILE_DEL, "PROFILE_DEL of SPARE", 0);
	attr_cases(KCS_CMD_PROFILE_GET, "PROFILE_GET", 0);
	attr_cases(KCS_CMD_PROFILE_GET, "PROFILE_GET dump", 1);
	attr_cases(KCS_CMD_BIND, "BIND", 0);
	attr_cases(KCS_CMD_UNBIND, "UNBIND of the bound cgroup", 0);
	attr_cases(KCS_CMD_BIND_GET, "BIND_GET dump", 1);
	name_cases(KCS_CMD_PROFILE_SET, "PROFILE_SET");
	name_cases(KCS_CMD_PROFILE_DEL, "PROFILE_DEL");
	name_cases(KCS_CMD_PROFILE_GET, "PROFILE_GET");
	name_cases(KCS_CMD_BIND, "BIND of the bound cgroup");
	set_cases();
	other_cmd_cases();
	bind_more_cases();
	same_state("after the deterministic cases");
	positive_cases();
	big_cases();
	same_state("after the big requests");
	mutation_loop(iters, seed);
	same_state("after the mutations");
	printf("# nl_bad: %d checks, %d failed\n# nl_bad: end\n", checks, failures);
	return failures ? 1 : 0;
}
