// SPDX-License-Identifier: GPL-2.0
/*
 * Event-path benchmark, listener side (figures, not a test): what
 * `kcsadm monitor --json` spends per event, natively on this machine.
 * Inside a TCG guest the monitor's instructions run tens of times slower
 * than on hardware; here they run at the host's speed.
 *
 * The input is what the module sends under a flood: a datagram of 40
 * network events, back to back in one message buffer (kmod/event.c
 * batches them). libnl's receive is replaced by a copy of that buffer, so
 * everything after recvmsg() is measured: libnl's message loop, the
 * attribute parse, kcs_event_from_attrs(), the sequence check and the
 * JSON line (and, second, the text line) written to /dev/null.
 * Prints ns per event and events per second of one core.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <linux/kcs.h>

#include "event_out.h"
#include "events.h"

#define PER_BATCH	40
#define BATCHES		5000

static unsigned char batch[32 << 10];
static int batch_len, recvs;
static FILE *sink;
static int json;
static struct kcs_seq_tracker seq;
static unsigned long long seen;

static int fake_recv(struct nl_sock *sk, struct sockaddr_nl *nla,
		     unsigned char **buf, struct ucred **creds)
{
	(void)sk;
	(void)creds;
	if (recvs >= BATCHES)
		return -NLE_AGAIN;
	recvs++;
	memset(nla, 0, sizeof(*nla));
	nla->nl_family = AF_NETLINK;
	*buf = malloc((size_t)batch_len);
	if (!*buf)
		return -NLE_NOMEM;
	memcpy(*buf, batch, (size_t)batch_len);
	return batch_len;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int on_event(const struct kcs_event *ev, void *arg, struct kcs_err *err)
{
	struct kcs_gap gap;

	(void)arg;
	(void)err;
	kcs_seq_track(&seq, ev, &gap);
	seen++;
	return event_out(sink, json, ev) ? -1 : 0;
}

static void add_event(int i)
{
	static const unsigned char lo[4] = { 127, 0, 0, 1 };
	struct nl_msg *m = nlmsg_alloc();
	struct nlmsghdr *h;

	genlmsg_put(m, 0, 0, 0x42, 0, 0, KCS_CMD_EVENT, KCS_GENL_VERSION);
	nla_put_u64(m, KCS_A_EV_SEQ, 1000 + (uint64_t)i);
	nla_put_u64(m, KCS_A_EV_TIME_NS, 1764900000000000000ULL + 3000ULL * (uint64_t)i);
	nla_put_u32(m, KCS_A_EV_HOOK, KCS_HOOK_CONNECT);
	nla_put_u32(m, KCS_A_EV_VERDICT, KCS_VERDICT_DENY);
	nla_put_u32(m, KCS_A_MODE, KCS_MODE_AUDIT);
	nla_put_u32(m, KCS_A_EV_PID, 4711);
	nla_put_u32(m, KCS_A_EV_TGID, 4711);
	nla_put_u32(m, KCS_A_EV_PPID, 4700);
	nla_put_u32(m, KCS_A_EV_UID, 0);
	nla_put_string(m, KCS_A_EV_COMM, "ev_flood");
	nla_put_u64(m, KCS_A_CGROUP_ID, 4242);
	nla_put_u64(m, KCS_A_EV_BOUND_CGROUP_ID, 4242);
	nla_put_string(m, KCS_A_PROFILE_NAME, "ev");
	nla_put_u32(m, KCS_A_EV_NET_FAMILY, AF_INET);
	nla_put_u32(m, KCS_A_EV_NET_PROTO, 17);
	nla_put(m, KCS_A_EV_NET_ADDR, 4, lo);
	nla_put_u32(m, KCS_A_EV_NET_PORT, 9);
	nla_put_u32(m, KCS_A_EV_RULE_KIND, KCS_RULE_BLOCK);
	nla_put_string(m, KCS_A_EV_RULE, "127.0.0.1/32 udp 9");
	nla_put_u64(m, KCS_A_EV_DROPPED, 0);
	h = nlmsg_hdr(m);
	memcpy(batch + batch_len, h, NLMSG_ALIGN(h->nlmsg_len));
	batch_len += (int)NLMSG_ALIGN(h->nlmsg_len);
	nlmsg_free(m);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int run(int as_json)
{
	struct kcs_monitor mon;
	struct kcs_err err;
	double t;
	int i;

	memset(&mon, 0, sizeof(mon));
	mon.sk = nl_socket_alloc();
	mon.cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!mon.sk || !mon.cb)
		return 1;
	mon.family = 0x42;
	nl_socket_disable_seq_check(mon.sk);
	nl_cb_set(mon.cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	nl_cb_overwrite_recv(mon.cb, fake_recv);
	json = as_json;
	recvs = 0;
	seen = 0;
	memset(&seq, 0, sizeof(seq));
	t = now();
	for (i = 0; i < BATCHES; i++)
		if (kcs_monitor_recv(&mon, on_event, NULL, &err) < 0)
			return 1;
	fflush(sink);
	t = now() - t;
	printf("monitor%s: %llu events in %.3f s: %5.0f ns per event, %.0f events/s on one core\n",
	       as_json ? " --json" : "       ", seen, t, t / (double)seen * 1e9,
	       (double)seen / t);
	nl_cb_put(mon.cb);
	nl_socket_free(mon.sk);
	return seen == (unsigned long long)PER_BATCH * BATCHES ? 0 : 1;
}

int main(void)
{
	int i;

	for (i = 0; i < PER_BATCH; i++)
		add_event(i);
	sink = fopen("/dev/null", "w");
	if (!sink)
		return 1;
	if (run(1) || run(0)) {
		fprintf(stderr, "bench_monitor: not every event was decoded\n");
		return 1;
	}
	fclose(sink);
	return 0;
}
