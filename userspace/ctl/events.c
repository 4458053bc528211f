// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <poll.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>

#include "events.h"

static const char *str_or_null(struct nlattr *a)
{
	return a ? nla_get_string(a) : NULL;
}

/*
 * inet_ntop(), with IPv4 by hand: under a flood of network events its
 * sprintf() per octet was a tenth of the monitor's time.
 */
static const char *addr_text(int v6, const void *a, char *buf, size_t len)
{
	const unsigned char *o = a;
	char *p = buf;
	int i;

	if (v6 || len < INET_ADDRSTRLEN)
		return inet_ntop(v6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)len);
	for (i = 0; i < 4; i++) {
		if (o[i] >= 100)
			*p++ = (char)('0' + o[i] / 100);
		if (o[i] >= 10)
			*p++ = (char)('0' + o[i] / 10 % 10);
		*p++ = (char)('0' + o[i] % 10);
		*p++ = i < 3 ? '.' : '\0';
	}
	return buf;
}

int kcs_event_from_attrs(struct nlattr **tb, struct kcs_event *ev,
			 struct kcs_err *err)
{
	memset(ev, 0, sizeof(*ev));
	if (!tb[KCS_A_EV_SEQ] || !tb[KCS_A_EV_VERDICT] ||
	    (!tb[KCS_A_EV_PATH] && !tb[KCS_A_EV_NET_FAMILY] && !tb[KCS_A_EV_CAP] &&
	     !tb[KCS_A_EV_SYSCALL]))
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "malformed event from the kcs module: no seq, verdict, path, address, capability or system call");
#define U32(f, a) do { if (tb[a]) ev->f = nla_get_u32(tb[a]); } while (0)
#define U64(f, a) do { if (tb[a]) ev->f = nla_get_u64(tb[a]); } while (0)
	U64(seq, KCS_A_EV_SEQ);
	U64(time_ns, KCS_A_EV_TIME_NS);
	U32(hook, KCS_A_EV_HOOK);
	U32(verdict, KCS_A_EV_VERDICT);
	U32(mode, KCS_A_MODE);
	U32(pid, KCS_A_EV_PID);
	U32(tgid, KCS_A_EV_TGID);
	U32(ppid, KCS_A_EV_PPID);
	U32(uid, KCS_A_EV_UID);
	U64(cgroup_id, KCS_A_CGROUP_ID);
	U64(bound_cgroup_id, KCS_A_EV_BOUND_CGROUP_ID);
	U32(rule_kind, KCS_A_EV_RULE_KIND);
	U64(dropped, KCS_A_EV_DROPPED);
	U32(family, KCS_A_EV_NET_FAMILY);
	U32(proto, KCS_A_EV_NET_PROTO);
	U32(port, KCS_A_EV_NET_PORT);
	U32(file_op, KCS_A_EV_FILE_OP);
	U32(file_access, KCS_A_EV_FILE_ACCESS);
	U32(sys_compat, KCS_A_EV_SYS_COMPAT);
	if (tb[KCS_A_EV_CAP]) {
		ev->has_cap = 1;
		ev->cap = nla_get_u32(tb[KCS_A_EV_CAP]);
	}
#undef U32
#undef U64
	ev->comm = str_or_null(tb[KCS_A_EV_COMM]);
	ev->path = str_or_null(tb[KCS_A_EV_PATH]);
	ev->invoked = str_or_null(tb[KCS_A_EV_INVOKED]);
	ev->applet = str_or_null(tb[KCS_A_EV_APPLET]);
	ev->profile = str_or_null(tb[KCS_A_PROFILE_NAME]);
	ev->rule = str_or_null(tb[KCS_A_EV_RULE]);
	ev->syscall = str_or_null(tb[KCS_A_EV_SYSCALL]);
	if (tb[KCS_A_EV_SYS_ARGS]) {
		if (nla_len(tb[KCS_A_EV_SYS_ARGS]) != sizeof(ev->sys_args))
			return kcs_err_set(err, KCS_EXIT_FAILED,
					   "malformed event from the kcs module: bad system call arguments");
		memcpy(ev->sys_args, nla_data(tb[KCS_A_EV_SYS_ARGS]),
		       sizeof(ev->sys_args));
	}
	if (ev->family && tb[KCS_A_EV_NET_ADDR]) {
		int want = ev->family == AF_INET6 ? 16 : 4;

		if (nla_len(tb[KCS_A_EV_NET_ADDR]) != want ||
		    !addr_text(ev->family == AF_INET6,
			       nla_data(tb[KCS_A_EV_NET_ADDR]), ev->addr,
			       sizeof(ev->addr)))
			return kcs_err_set(err, KCS_EXIT_FAILED,
					   "malformed event from the kcs module: bad address");
	}
	return 0;
}

int kcs_seq_track(struct kcs_seq_tracker *t, const struct kcs_event *ev,
		  struct kcs_gap *gap)
{
	int report = 0;

	memset(gap, 0, sizeof(*gap));
	if (t->last_seq && ev->seq <= t->last_seq) {
		/* Sequence numbers restart with each module load. */
		gap->restarted = 1;
		report = 1;
	} else if (t->last_seq && ev->seq > t->last_seq + 1) {
		/*
		 * The module numbers every event it means to send, so a hole
		 * is exactly what this listener missed, whoever dropped it.
		 * The drop counter is global (other listeners' full buffers
		 * count too): context, not our loss.
		 */
		gap->lost = ev->seq - t->last_seq - 1;
		gap->first = t->last_seq + 1;
		if (ev->dropped > t->last_dropped)
			gap->dropped = ev->dropped - t->last_dropped;
		gap->dropped_total = ev->dropped;
		report = 1;
	}
	t->last_seq = ev->seq;
	t->last_dropped = ev->dropped;
	return report;
}

static int kcs_no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int kcs_monitor_open(struct kcs_monitor *m, int rcvbuf, struct kcs_err *err)
{
	struct nl_msg *msg;

	memset(m, 0, sizeof(*m));
	if (kcs_nl_open(&m->nl, err))
		return -1;
	m->sk = m->nl.sk;
	m->family = m->nl.family;
	m->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!m->cb) {
		kcs_err_set(err, KCS_EXIT_FAILED, "netlink: out of memory");
		goto fail;
	}
	/* Bursts of execs outrun a terminal; a large buffer keeps them until
	 * we catch up, and what still overflows shows up as a seq gap. */
	kcs_nl_grow_buffers(m->sk, rcvbuf, 0);
	/*
	 * The kernel refuses the subscription to a task inside a bound cgroup
	 * and to one without the capabilities every request needs; the
	 * message says which.
	 */
	msg = kcs_nl_msg(&m->nl, KCS_CMD_SUBSCRIBE, 0, 0, err);
	if (!msg || kcs_nl_call(&m->nl, msg, NULL, NULL, "subscribing to events", err))
		goto fail;
	/*
	 * Events carry seq 0: nothing to check against. Events are received
	 * through m->cb, which has its own sequence check.
	 */
	nl_socket_disable_seq_check(m->sk);
	nl_cb_set(m->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, kcs_no_seq_check, NULL);
	/*
	 * One recvmsg() per event: without a buffer size libnl peeks at each
	 * message first to size its buffer, two syscalls an event. An event
	 * is bounded (uapi kcs.h: path, invoked name and rule text at most
	 * 4 KiB each), far below KCS_MONITOR_MSGBUF.
	 */
	nl_socket_disable_msg_peek(m->sk);
	nl_socket_set_msg_buf_size(m->sk, KCS_MONITOR_MSGBUF);
	nl_socket_set_nonblocking(m->sk);
	return 0;
fail:
	kcs_monitor_close(m);
	return -1;
}

void kcs_monitor_close(struct kcs_monitor *m)
{
	if (m->cb)
		nl_cb_put(m->cb);
	kcs_nl_close(&m->nl);	/* closing the socket ends the subscription */
	m->cb = NULL;
	m->sk = NULL;
}

struct poll_ctx {
	struct kcs_monitor *m;
	kcs_event_fn fn;
	void *arg;
	struct kcs_err *err;
	int status;		/* 0 continue, 1 stop, -1 failed */
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct poll_ctx *p = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[KCS_A_MAX + 1];
	struct kcs_event ev;

	if (p->status)
		return NL_STOP;
	/* Only our family's events; anything else on the socket is noise. */
	if (nlh->nlmsg_type != p->m->family ||
	    !genlmsg_valid_hdr(nlh, 0) || gh->cmd != KCS_CMD_EVENT)
		return NL_SKIP;
	if (kcs_nl_parse(nlh, tb) < 0) {
		kcs_err_set(p->err, KCS_EXIT_FAILED,
			    "malformed event from the kcs module");
		p->status = -1;
		return NL_STOP;
	}
	if (kcs_event_from_attrs(tb, &ev, p->err) < 0) {
		p->status = -1;
		return NL_STOP;
	}
	p->status = p->fn(&ev, p->arg, p->err);
	return p->status ? NL_STOP : NL_OK;
}

int kcs_monitor_fd(const struct kcs_monitor *m)
{
	return nl_socket_get_fd(m->sk);
}

int kcs_monitor_recv(struct kcs_monitor *m, kcs_event_fn fn, void *arg,
		     struct kcs_err *err)
{
	struct poll_ctx p = { .m = m, .fn = fn, .arg = arg, .err = err };
	int ret;

	unsigned int i;

	nl_cb_set(m->cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &p);
	/*
	 * Each event is a datagram of its own: read up to a batch of them
	 * per call, so that a caller that polls and flushes its output once
	 * per call pays those syscalls per batch, not per event.
	 */
	for (i = 0; i < KCS_MONITOR_BATCH && !p.status; i++) {
		ret = nl_recvmsgs(m->sk, m->cb);
		if (ret == -NLE_AGAIN)
			break;
		if (ret == -NLE_NOMEM && !p.status) {
			/* ENOBUFS: the receive queue overflowed, events were lost. */
			p.status = fn(NULL, arg, err);
		} else if (ret < 0 && !p.status) {
			return kcs_err_set(err, KCS_EXIT_FAILED,
					   "monitor: receiving: %s",
					   nl_geterror(ret));
		}
	}
	return p.status;
}

int kcs_monitor_poll(struct kcs_monitor *m, int timeout_ms, kcs_event_fn fn,
		     void *arg, struct kcs_err *err)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(m->sk), .events = POLLIN };
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return errno == EINTR ? 0 : kcs_err_set(err, KCS_EXIT_FAILED,
							"monitor: poll: %s",
							strerror(errno));
	if (ret == 0)
		return 0;
	return kcs_monitor_recv(m, fn, arg, err);
}
