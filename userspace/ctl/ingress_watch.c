// SPDX-License-Identifier: GPL-2.0
/* nflog listeners that follow the namespace registry (ingress_watch.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingress_event.h"
#include "ingress_watch.h"
#include "nflog_sock.h"

struct kcs_iw_ns {
	char name[64];			/* record file name */
	struct stat st;			/* of the record file when loaded */
	int loaded;
	struct kcs_netns_rec rec;
	struct mnl_socket *nl;		/* NULL: not listening */
	int noted;			/* a failure was reported */
	struct kcs_nflog_seq seq;
	int seen;			/* in the last scan */
	/* For the read callback. */
	struct kcs_iw *w;
	struct kcs_err *err;
	int status;
};

void kcs_iw_init(struct kcs_iw *w, const struct kcs_iw_ops *ops, void *arg)
{
	memset(w, 0, sizeof(*w));
	w->ops = ops;
	w->arg = arg;
}

static void ns_close(struct kcs_iw_ns *s)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	s->nl = NULL;
	s->seq.have = 0;
}

static void ns_free(struct kcs_iw_ns *s)
{
	ns_close(s);
	if (s->loaded)
		kcs_netns_rec_free(&s->rec);
	s->loaded = 0;
}

void kcs_iw_close(struct kcs_iw *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		ns_free(&w->ns[i]);
	free(w->ns);
	w->ns = NULL;
	w->n = w->cap = 0;
}

static void note(struct kcs_iw *w, struct kcs_iw_ns *s, const char *msg)
{
	if (!s->noted && w->ops->note)
		w->ops->note(msg, w->arg);
	s->noted = 1;
}

static int rec_stat(const char *name, struct stat *st)
{
	char dir[4096], path[4200];

	if (kcs_netns_rec_dir(dir, sizeof(dir)) ||
	    snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	return stat(path, st);
}

static int mark(const char *name, void *arg)
{
	struct kcs_iw *w = arg;
	size_t i;

	for (i = 0; i < w->n; i++)
		if (!strcmp(w->ns[i].name, name)) {
			w->ns[i].seen = 1;
			return 0;
		}
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		struct kcs_iw_ns *v = realloc(w->ns, cap * sizeof(*v));

		if (!v)
			return 0;	/* try again next scan */
		w->ns = v;
		w->cap = cap;
	}
	memset(&w->ns[w->n], 0, sizeof(w->ns[w->n]));
	snprintf(w->ns[w->n].name, sizeof(w->ns[w->n].name), "%s", name);
	w->ns[w->n].seen = 1;
	w->n++;
	return 0;
}

/* Load (or reload) @s's record when its file changed. */
static void refresh_rec(struct kcs_iw *w, struct kcs_iw_ns *s)
{
	struct kcs_netns_rec r;
	struct kcs_err err;
	struct stat st;

	if (rec_stat(s->name, &st))
		return;
	if (s->loaded && st.st_ino == s->st.st_ino &&
	    st.st_mtim.tv_sec == s->st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == s->st.st_mtim.tv_nsec)
		return;
	if (kcs_netns_rec_load(s->name, &r, &err)) {
		note(w, s, err.msg);
		return;
	}
	if (s->loaded && (r.id.dev != s->rec.id.dev || r.id.ino != s->rec.id.ino))
		ns_close(s);	/* cannot happen: the name is the identity */
	if (s->loaded)
		kcs_netns_rec_free(&s->rec);
	s->rec = r;
	s->st = st;
	s->loaded = 1;
}

/* Listen in @s's namespace if it still is the one the record names. */
static void ensure_open(struct kcs_iw *w, struct kcs_iw_ns *s)
{
	struct kcs_netns_id id;
	struct kcs_err err;
	char msg[sizeof(err.msg) + 160];
	int fd;

	if (!s->loaded)
		return;
	if (kcs_netns_stat(s->rec.path, &id) || id.dev != s->rec.id.dev ||
	    id.ino != s->rec.id.ino) {
		/* The namespace is gone (its path now names another one or
		 * nothing): let go of it, so it can be freed. */
		ns_close(s);
		return;
	}
	if (s->nl)
		return;
	fd = kcs_netns_open(s->rec.path, "netns", &id, &err);
	if (fd >= 0 && (id.dev != s->rec.id.dev || id.ino != s->rec.id.ino)) {
		close(fd);
		return;
	}
	if (fd >= 0) {
		s->nl = kcs_nflog_open(fd, s->rec.path, &err);
		close(fd);
	}
	if (!s->nl) {
		snprintf(msg, sizeof(msg),
			 "monitor: ingress events of cgroup %llu (profile %s) are not reported: %s",
			 (unsigned long long)s->rec.cgroup_id, s->rec.profile,
			 err.msg);
		note(w, s, msg);
		return;
	}
	s->noted = 0;
}

void kcs_iw_rescan(struct kcs_iw *w)
{
	size_t i, k;

	for (i = 0; i < w->n; i++)
		w->ns[i].seen = 0;
	kcs_netns_rec_each(mark, w);
	for (i = 0, k = 0; i < w->n; i++) {
		if (!w->ns[i].seen) {
			ns_free(&w->ns[i]);
			continue;
		}
		if (k != i)
			w->ns[k] = w->ns[i];
		k++;
	}
	w->n = k;
	for (i = 0; i < w->n; i++) {
		refresh_rec(w, &w->ns[i]);
		ensure_open(w, &w->ns[i]);
	}
}

size_t kcs_iw_pollfds(const struct kcs_iw *w, struct pollfd *pfd, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < w->n && n < max; i++)
		if (w->ns[i].nl)
			pfd[n++] = (struct pollfd){
				.fd = mnl_socket_get_fd(w->ns[i].nl),
				.events = POLLIN };
	return n;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int on_pkt(const struct kcs_nflog_pkt *p, void *arg)
{
	struct kcs_iw_ns *s = arg;
	struct kcs_iw *w = s->w;
	struct kcs_ingress_ev e;
	const char *why;

	if (p->has_seq) {
		uint32_t lost = kcs_nflog_seq_track(&s->seq, p->seq);

		if (lost && w->ops->loss) {
			s->status = w->ops->loss(s->rec.path, lost, w->arg, s->err);
			if (s->status)
				return 1;
		}
	}
	if (kcs_ingress_event(p, &s->rec, now_ns(), &e, &why))
		return 0;	/* someone else's log rule in this group */
	if (e.tag.gen != s->rec.gen) {
		/* A rebind since the last scan: read its record now. */
		refresh_rec(w, s);
		kcs_ingress_event(p, &s->rec, now_ns(), &e, &why);
	}
	s->status = w->ops->event(&e.ev, w->arg, s->err);
	return s->status ? 1 : 0;
}

int kcs_iw_read(struct kcs_iw *w, size_t i, struct kcs_err *err)
{
	struct kcs_iw_ns *s = NULL;
	size_t k, n = 0;
	int ret;

	for (k = 0; k < w->n; k++)
		if (w->ns[k].nl && n++ == i) {
			s = &w->ns[k];
			break;
		}
	if (!s)
		return 0;
	s->w = w;
	s->err = err;
	s->status = 0;
	for (;;) {
		ret = kcs_nflog_read(s->nl, on_pkt, s, err);
		if (ret != -ENOBUFS)
			break;
		if (w->ops->loss) {
			ret = w->ops->loss(s->rec.path, 0, w->arg, err);
			if (ret)
				return ret;
		}
	}
	if (ret < 0)
		return -1;
	return s->status ? s->status : ret;
}
