// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm monitor: one line per decision, with gaps reported: the module's
 * events (exec, egress, listen) from its multicast group, and ingress
 * decisions from nflog in every namespace with a kcs ingress table (the
 * registry, rescanned every second).
 */
#include <poll.h>
#include <unistd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"
#include "events.h"
#include "event_out.h"
#include "ingress_watch.h"

/* Room for a burst of events while the terminal or pipe lags behind. */
#define MONITOR_RCVBUF	(16 << 20)
#define MONITOR_OUTBUF	(256 << 10)
/* How often the namespace registry is read again (ms). */
#define RESCAN_MS	1000
#define MAX_NETNS	1024

struct mon {
	struct cli *cli;
	unsigned long long count, seen;
	struct kcs_seq_tracker seq;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_event(const struct kcs_event *ev, void *arg, struct kcs_err *err)
{
	struct mon *m = arg;
	struct kcs_gap gap;
	int ret = 0;

	if (!ev) {
		/* The next event's seq will say how many. */
		ret = event_out_overrun(stdout, m->cli->json);
	} else {
		/* Ingress events are not numbered by the module. */
		if (ev->src == KCS_EV_SRC_KERNEL &&
		    kcs_seq_track(&m->seq, ev, &gap))
			ret = event_out_gap(stdout, m->cli->json, &gap);
		ret |= event_out(stdout, m->cli->json, ev);
		m->seen++;
	}
	/* Flushed by the main loop once per batch, before it waits again. */
	if (ret)
		return kcs_err_set(err, KCS_EXIT_FAILED, "monitor: writing output: %s",
				   strerror(errno));
	return m->count && m->seen >= m->count ? 1 : 0;
}

static int on_loss(const char *netns, uint64_t lost, void *arg,
		   struct kcs_err *err)
{
	struct mon *m = arg;

	if (event_out_nflog_loss(stdout, m->cli->json, netns, lost))
		return kcs_err_set(err, KCS_EXIT_FAILED, "monitor: writing output: %s",
				   strerror(errno));
	return 0;
}

static void on_note(const char *msg, void *arg)
{
	(void)arg;
	fprintf(stderr, "kcsadm: %s\n", msg);
}

static const struct kcs_iw_ops iw_ops = {
	.event = on_event, .loss = on_loss, .note = on_note,
};

struct mon_opts {
	unsigned long long count;
	double timeout;		/* seconds, <= 0: none */
};

static int mon_opt(struct cli *cli, const struct cli_cmd *cmd, int c,
		   const char *arg, void *st)
{
	struct mon_opts *o = st;
	char *end;

	switch (c) {
	case 'c':
		if (cli_parse_u64(arg, &o->count) || !o->count)
			return cli_usage(cli, cmd, "--count needs a positive number, not '%s'",
					 arg);
		break;
	case 't':
		o->timeout = strtod(arg, &end);
		if (*arg < '0' || *arg > '9' || *end || !(o->timeout > 0) ||
		    o->timeout > 1e9)
			return cli_usage(cli, cmd,
					 "--timeout needs a positive number of seconds, not '%s'",
					 arg);
		break;
	}
	return CLI_CONTINUE;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int run_monitor(struct cli *cli, const struct cli_cmd *cmd, int argc,
		       char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		CLI_COMMON_OPTS, { 0 }
	};
	struct mon_opts o = { 0 };
	struct mon m = { .cli = cli };
	struct sigaction sa = { .sa_handler = on_signal };
	struct kcs_monitor mon;
	struct kcs_iw iw;
	struct kcs_err err;
	int64_t deadline = 0, next_scan = 0;
	int ret;

	/* Its stdout is a stream of JSON lines: errors too, usage ones too. */
	cli->lines = 1;
	ret = cli_parse(cli, cmd, argc, argv, ":hc:t:", opts, mon_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	m.count = o.count;
	if (o.timeout > 0)
		deadline = now_ms() + (int64_t)(o.timeout * 1000);
	/*
	 * Into a pipe or file, stdout's default 4 KiB buffer would write
	 * every few events of a batch; the loop flushes at the batch's end.
	 * Before any output, as setvbuf() requires.
	 */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, MONITOR_OUTBUF);
	if (kcs_monitor_open(&mon, MONITOR_RCVBUF, &err))
		return cli_fail(cli, &err);
	kcs_iw_init(&iw, &iw_ops, &m);
	/* No SA_RESTART: poll returns EINTR and we leave cleanly. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = 0;
	while (!stop && !ret) {
		struct pollfd pfd[1 + MAX_NETNS];
		int64_t t = now_ms();
		size_t n, i;
		int wait;

		if (t >= next_scan) {
			kcs_iw_rescan(&iw);
			next_scan = t + RESCAN_MS;
		}
		if (deadline && t >= deadline)
			break;
		wait = (int)(next_scan - t);
		if (deadline && deadline - t < wait)
			wait = (int)(deadline - t);
		pfd[0] = (struct pollfd){ .fd = kcs_monitor_fd(&mon), .events = POLLIN };
		n = kcs_iw_pollfds(&iw, pfd + 1, MAX_NETNS);
		if (poll(pfd, 1 + n, wait) < 0) {
			if (errno == EINTR)
				continue;
			ret = kcs_err_set(&err, KCS_EXIT_FAILED, "monitor: poll: %s",
					  strerror(errno));
			break;
		}
		if (pfd[0].revents)
			ret = kcs_monitor_recv(&mon, on_event, &m, &err);
		for (i = 0; i < n && !ret; i++)
			if (pfd[1 + i].revents)
				ret = kcs_iw_read(&iw, i, &err);
		/*
		 * Consumers (tail -f, log shippers) need each event as it
		 * happens: everything read is written out before the next
		 * wait. Once per batch, not per event, so that a flood costs
		 * one write() per batch.
		 */
		if (fflush(stdout) == EOF && ret >= 0)
			ret = kcs_err_set(&err, KCS_EXIT_FAILED,
					  "monitor: writing output: %s",
					  strerror(errno));
	}
	kcs_iw_close(&iw);
	kcs_monitor_close(&mon);
	if (ret < 0)
		return cli_fail(cli, &err);
	return KCS_EXIT_OK;
}

const struct cli_cmd cmd_monitor = {
	.name = "monitor",
	.run = run_monitor,
	.usage =
"Usage: kcsadm monitor [--count N] [--timeout SECONDS]\n"
"\n"
"Print one line per decision of a bound profile (denied, or would be\n"
"denied in audit mode), as it happens: exec, egress and listen from the\n"
"module, ingress from nflog in every namespace bound with --netns. Lost\n"
"events are reported as lines starting with '#' (text) or objects with\n"
"\"type\" other than \"event\". Exits 0 after N events, after SECONDS, or\n"
"on SIGINT/SIGTERM.\n"
"\n"
"Options:\n"
"  -c, --count N        stop after N events\n"
"  -t, --timeout SECS   stop after SECS seconds (fractions allowed)\n"
"      --json           one JSON object per line; fields in docs/kcsadm.md\n"
"  -h, --help           this text\n",
};
