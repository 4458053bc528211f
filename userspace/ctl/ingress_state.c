// SPDX-License-Identifier: GPL-2.0
/*
 * Ingress rules on disk: the serialized struct kcs_ingress (ingress.h),
 * kept per profile in $KCS_STATE_DIR/ingress/NAME by `profile apply` and
 * netwatch, and embedded in the namespace records (netns_reg.c). Host byte
 * order, local files only. Reading verifies everything the way the module
 * verifies its blobs: these files are read back and then trusted.
 *
 *   "KCI2" kind rules_len text_len except_len nfqdn        (u32 each)
 *   rules blob, rules text, except blob
 *   nfqdn x { set rule proto nports naddrs (u32),
 *             nports x { lo hi (u16) },
 *             naddrs x { v6 w[4] ttl (u32) expires_ms (u64) } }
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingress.h"
#include "netm.h"

uint64_t kcs_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

const char *kcs_state_dir(void)
{
	const char *d = getenv("KCS_STATE_DIR");

	return d && *d ? d : KCS_STATE_DIR_DEFAULT;
}

int kcs_state_mkdir(const char *sub, struct kcs_err *err)
{
	char dir[4096];

	if (mkdir(kcs_state_dir(), 0700) && errno != EEXIST)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", kcs_state_dir(),
				   strerror(errno));
	if (snprintf(dir, sizeof(dir), "%s/%s", kcs_state_dir(), sub) >=
	    (int)sizeof(dir))
		return kcs_err_set(err, KCS_EXIT_FAILED, "state path too long");
	if (mkdir(dir, 0700) && errno != EEXIST)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", dir,
				   strerror(errno));
	return 0;
}

int kcs_write_atomic(const char *path, int (*fn)(FILE *f, const void *arg),
		     const void *arg, struct kcs_err *err)
{
	char tmp[4200];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >=
	    (int)sizeof(tmp))
		return kcs_err_set(err, KCS_EXIT_FAILED, "state path too long");
	f = fopen(tmp, "w");
	if (!f)
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", tmp,
				   strerror(errno));
	if (fn(f, arg) | fclose(f)) {
		unlink(tmp);
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: write failed", tmp);
	}
	if (rename(tmp, path)) {
		unlink(tmp);
		return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", path,
				   strerror(errno));
	}
	return 0;
}

/* ---- writing ---- */

static int put(FILE *f, const void *p, size_t n)
{
	return n && fwrite(p, n, 1, f) != 1 ? -1 : 0;
}

static int put32(FILE *f, uint32_t v)
{
	return put(f, &v, sizeof(v));
}

int kcs_ingress_write(FILE *f, const struct kcs_ingress *in)
{
	uint32_t h[5] = { in->kind, (uint32_t)in->rules.len,
			  (uint32_t)in->rules_text.len, (uint32_t)in->except.len,
			  (uint32_t)in->nfqdn };
	size_t i, k;
	int bad;

	bad = put(f, "KCI2", 4) | put(f, h, sizeof(h)) |
	      put(f, in->rules.data, in->rules.len) |
	      put(f, in->rules_text.data, in->rules_text.len) |
	      put(f, in->except.data, in->except.len);
	for (i = 0; i < in->nfqdn && !bad; i++) {
		const struct kcs_ingress_fqdn *q = &in->fqdn[i];

		bad |= put32(f, q->set) | put32(f, q->rule) | put32(f, q->proto) |
		       put32(f, q->nports) | put32(f, q->naddrs);
		for (k = 0; k < q->nports; k++)
			bad |= put(f, &q->ports[k].lo, 2) | put(f, &q->ports[k].hi, 2);
		for (k = 0; k < q->naddrs; k++) {
			const struct kcs_ingress_addr *a = &q->addrs[k];

			bad |= put32(f, (uint32_t)a->v6) | put(f, a->w, sizeof(a->w)) |
			       put32(f, a->ttl) |
			       put(f, &a->expires_ms, sizeof(a->expires_ms));
		}
	}
	return bad ? -1 : 0;
}

/* ---- reading ---- */

static int get(FILE *f, void *p, size_t n)
{
	return n && fread(p, n, 1, f) != 1 ? -1 : 0;
}

static int get32(FILE *f, uint32_t *v)
{
	return get(f, v, sizeof(*v));
}

static int get_blob(FILE *f, struct kcs_blob *b, uint32_t len)
{
	if (!len)
		return 0;
	if (len > KCS_DFA_MAX_BYTES)
		return -1;
	b->data = malloc(len);
	if (!b->data)
		return -1;
	b->len = len;
	return get(f, b->data, len);
}

/* Exactly @n NUL-terminated strings. */
static int texts_ok(const struct kcs_blob *t, uint32_t n)
{
	const char *p = t->data;
	uint32_t nul = 0;
	size_t i;

	if (!t->len)
		return n == 0;
	if (p[t->len - 1])
		return 0;
	for (i = 0; i < t->len; i++)
		nul += !p[i];
	return nul == n;
}

static int read_fqdn(FILE *f, struct kcs_ingress_fqdn *q,
		     const struct kcs_ingress *in, const char **why)
{
	uint32_t nrules, k;

	if (get32(f, &q->set) || get32(f, &q->rule) || get32(f, &q->proto) ||
	    get32(f, &q->nports) || get32(f, &q->naddrs))
		return *why = "truncated FQDN entry", -1;
	if (q->set == KCS_INGRESS_RULES)
		nrules = ((const struct kcs_net_hdr *)in->rules.data)->nrules;
	else if (q->set == KCS_INGRESS_EXCEPT && in->except.len)
		nrules = ((const struct kcs_net_hdr *)in->except.data)->nrules;
	else
		return *why = "FQDN entry of an unknown rule set", -1;
	if (q->rule >= nrules || !q->proto ||
	    (q->proto & ~(uint32_t)(KCS_NET_PROTO_TCP | KCS_NET_PROTO_UDP)) ||
	    q->nports > 65536 || q->naddrs > KCS_INGRESS_MAX_ADDRS)
		return *why = "FQDN entry out of range", -1;
	if (q->nports) {
		q->ports = calloc(q->nports, sizeof(*q->ports));
		if (!q->ports)
			return *why = "out of memory", -1;
	}
	for (k = 0; k < q->nports; k++)
		if (get(f, &q->ports[k].lo, 2) || get(f, &q->ports[k].hi, 2) ||
		    q->ports[k].lo > q->ports[k].hi)
			return *why = "bad FQDN port range", -1;
	if (q->naddrs) {
		q->addrs = calloc(q->naddrs, sizeof(*q->addrs));
		if (!q->addrs)
			return *why = "out of memory", -1;
	}
	for (k = 0; k < q->naddrs; k++) {
		struct kcs_ingress_addr *a = &q->addrs[k];
		uint32_t v6;

		if (get32(f, &v6) || get(f, a->w, sizeof(a->w)) ||
		    get32(f, &a->ttl) ||
		    get(f, &a->expires_ms, sizeof(a->expires_ms)) || v6 > 1 ||
		    (!v6 && (a->w[0] || a->w[1] || a->w[2])))
			return *why = "bad FQDN address", -1;
		a->v6 = (int)v6;
	}
	return 0;
}

int kcs_ingress_read(FILE *f, struct kcs_ingress *in, const char **why)
{
	uint32_t h[5];
	struct kcs_netm m;
	char magic[4];
	size_t i;

	memset(in, 0, sizeof(*in));
	*why = "truncated";
	if (get(f, magic, 4) || get(f, h, sizeof(h)))
		goto bad;
	*why = "not a kcs ingress state (KCI2)";
	if (memcmp(magic, "KCI2", 4) ||
	    (h[0] != KCS_NET_BLOCK && h[0] != KCS_NET_ALLOW) ||
	    (h[0] != KCS_NET_BLOCK && h[3]) || h[4] > 2 * KCS_NET_MAX_RULES)
		goto bad;
	in->kind = h[0];
	*why = "truncated";
	if (get_blob(f, &in->rules, h[1]) || get_blob(f, &in->rules_text, h[2]) ||
	    get_blob(f, &in->except, h[3]))
		goto bad;
	if (kcs_netm_verify(in->rules.data, in->rules.len, &in->rules_m, why) ||
	    (in->except.len &&
	     kcs_netm_verify(in->except.data, in->except.len, &m, why)))
		goto bad;
	*why = "rule texts do not match the rules";
	if (!texts_ok(&in->rules_text,
		      ((const struct kcs_net_hdr *)in->rules.data)->nrules))
		goto bad;
	if (h[4]) {
		in->fqdn = calloc(h[4], sizeof(*in->fqdn));
		if (!in->fqdn) {
			*why = "out of memory";
			goto bad;
		}
	}
	for (i = 0; i < h[4]; i++) {
		in->nfqdn = i + 1;
		if (read_fqdn(f, &in->fqdn[i], in, why))
			goto bad;
	}
	return 0;
bad:
	kcs_ingress_free(in);
	return -1;
}

void kcs_ingress_free(struct kcs_ingress *in)
{
	size_t i;

	kcs_blob_free(&in->rules);
	kcs_blob_free(&in->rules_text);
	kcs_blob_free(&in->except);
	for (i = 0; i < in->nfqdn; i++) {
		free(in->fqdn[i].ports);
		free(in->fqdn[i].addrs);
	}
	free(in->fqdn);
	in->fqdn = NULL;
	in->nfqdn = 0;
	in->kind = KCS_NET_NONE;
}

/* ---- $KCS_STATE_DIR/ingress/NAME ---- */

static int state_path(const char *name, char *buf, size_t len)
{
	return snprintf(buf, len, "%s/ingress/%s", kcs_state_dir(), name) >=
	       (int)len ? -1 : 0;
}

static int write_in(FILE *f, const void *arg)
{
	return kcs_ingress_write(f, arg);
}

int kcs_ingress_save(const char *name, const struct kcs_ingress *in,
		     struct kcs_err *err)
{
	char path[4096];

	if (state_path(name, path, sizeof(path)))
		return kcs_err_set(err, KCS_EXIT_FAILED, "state path too long");
	if (in->kind == KCS_NET_NONE) {
		/* ENOTDIR: the state directory is no directory, so there is no
		 * file to remove (a profile without ingress needs none). */
		if (unlink(path) && errno != ENOENT && errno != ENOTDIR)
			return kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", path,
					   strerror(errno));
		return 0;
	}
	if (kcs_state_mkdir("ingress", err))
		return -1;
	return kcs_write_atomic(path, write_in, in, err);
}

int kcs_ingress_load(const char *name, struct kcs_ingress *in,
		     struct kcs_err *err)
{
	const char *why = "";
	char path[4096];
	FILE *f;
	int ret;

	memset(in, 0, sizeof(*in));
	if (state_path(name, path, sizeof(path)))
		return kcs_err_set(err, KCS_EXIT_FAILED, "state path too long");
	f = fopen(path, "r");
	if (!f)
		return errno == ENOENT || errno == ENOTDIR ? 0 :
		       kcs_err_set(err, KCS_EXIT_FAILED, "%s: %s", path,
				   strerror(errno));
	ret = kcs_ingress_read(f, in, &why);
	if (!ret && fgetc(f) != EOF) {
		kcs_ingress_free(in);
		why = "trailing bytes";
		ret = -1;
	}
	fclose(f);
	if (ret)
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "%s: %s (apply the profile again: kcsadm profile apply)",
				   path, why);
	return 0;
}
