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
#include "sink.h"

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
	struct sinks sinks;	/* none selected: stdout */
};

static volatile sig_atomic_t stop, hangup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		hangup = 1;
	else
		stop = 1;
}

/* Which report a gap/overrun/loss line is, for syslog's MSGID. */
enum note_kind { NOTE_OVERRUN, NOTE_GAP, NOTE_NFLOG };

struct note {
	enum note_kind kind;
	const struct kcs_gap *gap;
	const char *netns;
	uint64_t lost;
};

static int note_out(FILE *f, int json, const struct note *n)
{
	switch (n->kind) {
	case NOTE_OVERRUN: return event_out_overrun(f, json);
	case NOTE_GAP: return event_out_gap(f, json, n->gap);
	default: return event_out_nflog_loss(f, json, n->netns, n->lost);
	}
}

/* One line of @n, JSON or text, without its newline (NULL: no memory). */
static char *note_line(const struct note *n, int json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (note_out(f, json, n) | fclose(f)) {
		free(buf);
		return NULL;
	}
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}

/* Losses go where the events go: a SIEM must see its gaps too. */
static int report(struct mon *m, const struct note *n)
{
	int gap = n->kind == NOTE_GAP || (n->kind == NOTE_NFLOG && n->lost);
	char *json, *text;

	if (!sinks_any(&m->sinks))
		return note_out(stdout, m->cli->json, n);
	json = note_line(n, 1);
	text = note_line(n, 0);
	/* Text lines start with "# ": the message is what follows. */
	if (json && text)
		sinks_note(&m->sinks, gap ? "gap" : "overrun", json,
			   text[0] == '#' ? text + 2 : text);
	else
		sinks_note(&m->sinks, "overrun", "{\"type\":\"overrun\"}",
			   "events lost");
	free(json);
	free(text);
	/* Sink failures are reported and counted there: go on. */
	return 0;
}

static int put_event(struct mon *m, const struct kcs_event *ev)
{
	if (!sinks_any(&m->sinks))
		return event_out(stdout, m->cli->json, ev);
	/* Failures are reported and counted by the sinks: go on. */
	sinks_event(&m->sinks, ev);
	return 0;
}

static int on_event(const struct kcs_event *ev, void *arg, struct kcs_err *err)
{
	struct mon *m = arg;
	struct kcs_gap gap;
	int ret = 0;

	if (!ev) {
		/* The next event's seq will say how many. */
		ret = report(m, &(struct note){ .kind = NOTE_OVERRUN });
	} else {
		/* Ingress events are not numbered by the module. */
		if (ev->src == KCS_EV_SRC_KERNEL &&
		    kcs_seq_track(&m->seq, ev, &gap))
			ret = report(m, &(struct note){ .kind = NOTE_GAP,
							.gap = &gap });
		ret |= put_event(m, ev);
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

	if (report(m, &(struct note){ .kind = NOTE_NFLOG, .netns = netns,
				      .lost = lost }))
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
	struct sinks *sinks;
	int keep_set;
};

enum { OPT_OUTPUT = OPT_FIRST_PRIVATE, OPT_ROTATE_SIZE, OPT_ROTATE_KEEP,
       OPT_SYSLOG, OPT_JOURNAL };

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
	case OPT_OUTPUT:
		o->sinks->file.path = arg;
		break;
	case OPT_ROTATE_SIZE:
		if (sink_parse_size(arg, &o->sinks->file.rotate_size))
			return cli_usage(cli, cmd,
					 "--rotate-size needs a positive size (bytes, or with k, M, G), not '%s'",
					 arg);
		break;
	case OPT_ROTATE_KEEP: {
		unsigned long long n;

		if (cli_parse_u64(arg, &n) || !n || n > 1000)
			return cli_usage(cli, cmd, "--rotate-keep needs a number from 1 to 1000, not '%s'",
					 arg);
		o->sinks->file.keep = (unsigned int)n;
		o->keep_set = 1;
		break;
	}
	case OPT_SYSLOG:
		o->sinks->syslog = 1;
		break;
	case OPT_JOURNAL:
		o->sinks->journal = 1;
		break;
	}
	return CLI_CONTINUE;
}

static int run_monitor(struct cli *cli, const struct cli_cmd *cmd, int argc,
		       char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "rotate-size", required_argument, NULL, OPT_ROTATE_SIZE },
		{ "rotate-keep", required_argument, NULL, OPT_ROTATE_KEEP },
		{ "syslog", no_argument, NULL, OPT_SYSLOG },
		{ "journal", no_argument, NULL, OPT_JOURNAL },
		CLI_COMMON_OPTS, { 0 }
	};
	struct mon m = { .cli = cli };
	struct mon_opts o = { .sinks = &m.sinks };
	struct sigaction sa = { .sa_handler = on_signal };
	struct kcs_monitor mon;
	struct kcs_iw iw;
	struct kcs_err err;
	int64_t deadline = 0, next_scan = 0;
	int ret;

	/* Its stdout is a stream of JSON lines: errors too, usage ones too. */
	cli->lines = 1;
	sinks_init(&m.sinks);
	ret = cli_parse(cli, cmd, argc, argv, ":hc:t:", opts, mon_opt, &o);
	if (ret != CLI_CONTINUE)
		return ret;
	if (optind < argc)
		return cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
	if ((m.sinks.file.rotate_size || o.keep_set) && !m.sinks.file.path)
		return cli_usage(cli, cmd, "--rotate-size and --rotate-keep need --output FILE");
	m.count = o.count;
	if (o.timeout > 0)
		deadline = cli_monotonic_ms() + (int64_t)(o.timeout * 1000);
	/*
	 * Into a pipe or file, stdout's default 4 KiB buffer would write
	 * every few events of a batch; the loop flushes at the batch's end.
	 * Before any output, as setvbuf() requires.
	 */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, MONITOR_OUTBUF);
	if (sinks_open(&m.sinks, &err)) {
		sinks_close(&m.sinks);
		return cli_fail(cli, &err);
	}
	if (kcs_monitor_open(&mon, MONITOR_RCVBUF, &err)) {
		sinks_close(&m.sinks);
		return cli_fail(cli, &err);
	}
	kcs_iw_init(&iw, &iw_ops, &m);
	/* No SA_RESTART: poll returns EINTR and we leave cleanly. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	ret = 0;
	while (!stop && !ret) {
		if (hangup) {
			hangup = 0;
			sinks_reopen(&m.sinks);
		}
		struct pollfd pfd[1 + MAX_NETNS];
		int64_t t = cli_monotonic_ms();
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
	sinks_close(&m.sinks);
	if (ret < 0)
		return cli_fail(cli, &err);
	/* Each failure was reported as it happened; the exit says so too. */
	if (m.sinks.errors) {
		kcs_err_set(&err, KCS_EXIT_FAILED,
			    "monitor: %llu writes to the sinks failed",
			    (unsigned long long)m.sinks.errors);
		return cli_fail(cli, &err);
	}
	return KCS_EXIT_OK;
}

const struct cli_cmd cmd_monitor = {
	.name = "monitor",
	.run = run_monitor,
	.usage =
"Usage: kcsadm monitor [--count N] [--timeout SECONDS] [--output FILE\n"
"         [--rotate-size BYTES] [--rotate-keep N]] [--syslog] [--journal]\n"
"\n"
"Print one line per decision of a bound profile (denied, or would be\n"
"denied in audit mode), as it happens: exec, egress and listen from the\n"
"module, ingress from nflog in every namespace bound with --netns. Lost\n"
"events are reported as lines starting with '#' (text) or objects with\n"
"\"type\" other than \"event\". Exits 0 after N events, after SECONDS, or\n"
"on SIGINT/SIGTERM.\n"
"\n"
"With --output, --syslog or --journal the events (and losses) go to\n"
"those sinks instead of stdout, all of them at once; a failed write is\n"
"reported on stderr, counted, and makes the exit status 1. SIGHUP\n"
"reopens FILE. Fields of each sink: docs/events.md.\n"
"\n"
"Options:\n"
"  -c, --count N        stop after N events\n"
"  -t, --timeout SECS   stop after SECS seconds (fractions allowed)\n"
"      --output FILE    append JSON lines to FILE\n"
"      --rotate-size BYTES  rename FILE to FILE.1 before it grows past\n"
"                       BYTES (k, M, G: KiB, MiB, GiB)\n"
"      --rotate-keep N  keep FILE.1 ... FILE.N (default 5)\n"
"      --syslog         RFC 5424 messages to /dev/log (authpriv)\n"
"      --journal        native journal entries (KCS_* fields)\n"
"      --json           one JSON object per line; fields in docs/kcsadm.md\n"
"  -h, --help           this text\n",
};
