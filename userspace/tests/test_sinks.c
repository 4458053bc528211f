// SPDX-License-Identifier: GPL-2.0
/*
 * monitor's sinks without a kernel: the syslog and journal formatters on
 * synthetic events (exact bytes, hostile strings), the file sink's
 * rotation in a temporary directory, and the syslog and journal sinks
 * end to end against datagram sockets this test binds itself.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "names.h"
#include "readfile.h"
#include "sink.h"
#include "sink_fmt.h"
#include "tap.h"

static struct kcs_event exec_event(void)
{
	struct kcs_event ev = {
		.src = KCS_EV_SRC_KERNEL, .seq = 7,
		.time_ns = 1700000000123456789ULL, .hook = KCS_HOOK_EXEC,
		.verdict = KCS_VERDICT_DENY, .mode = KCS_MODE_ENFORCE,
		.rule_kind = KCS_RULE_BLOCK, .pid = 100, .tgid = 99, .ppid = 1,
		.uid = 1000, .cgroup_id = 4242, .bound_cgroup_id = 4200,
		.dropped = 3, .comm = "sh", .path = "/bin/busybox",
		.invoked = "/usr/bin/wget", .applet = "wget", .profile = "web",
		.rule = "/bin/busybox/wget",
	};
	return ev;
}

static struct kcs_event ingress_event(void)
{
	struct kcs_event ev = {
		.src = KCS_EV_SRC_NFLOG, .time_ns = 1700000000000000000ULL,
		.hook = KCS_HOOK_INGRESS, .verdict = KCS_VERDICT_DENY,
		.mode = KCS_MODE_AUDIT, .rule_kind = KCS_RULE_NOT_ALLOWED,
		.bound_cgroup_id = 4200, .profile = "web", .family = 2,
		.proto = 6, .port = 40000, .addr = "192.0.2.1",
		.lport = 80, .laddr = "10.0.0.2",
	};
	return ev;
}

static const char want_syslog[] =
	"<84>1 2023-11-14T22:13:20.123456Z host1 kcsadm 42 exec "
	"[kcs@32473 seq=\"7\" time=\"2023-11-14T22:13:20.123456789Z\""
	" hook=\"exec\" verdict=\"deny\" mode=\"enforce\" pid=\"100\""
	" tgid=\"99\" ppid=\"1\" uid=\"1000\" comm=\"sh\""
	" cgroup_id=\"4242\" bound_cgroup_id=\"4200\" path=\"/bin/busybox\""
	" invoked=\"/usr/bin/wget\" applet=\"wget\" profile=\"web\""
	" rule_kind=\"block\" rule=\"/bin/busybox/wget\""
	" kernel_dropped_total=\"3\"] "
	"2023-11-14T22:13:20.123456789Z deny enforce pid=100 tgid=99 ppid=1"
	" uid=1000 comm=sh path=/bin/busybox applet=wget invoked=/usr/bin/wget"
	" profile=web rule_kind=block rule=/bin/busybox/wget cgroup=4242"
	" bound=4200 seq=7";

static void test_syslog_fmt(void)
{
	struct kcs_event ev = exec_event();
	size_t len;
	char *s;

	s = syslog_fmt_event(&ev, "host1", 42, &len);
	tap_is_str(s, want_syslog, "syslog: exec denial, exact message");
	tap_ok(s && len == strlen(s), "syslog: length returned");
	free(s);

	/* Audit: notice; ingress: no task fields; no host: NILVALUE. */
	ev = ingress_event();
	s = syslog_fmt_event(&ev, NULL, 42, &len);
	tap_has(s, "<85>1 2023-11-14T22:13:20.000000Z - kcsadm 42 ingress [kcs@32473 time=",
		"syslog: audit is notice (85), no host is '-'");
	tap_ok(s && !strstr(s, "pid=\"") && !strstr(s, "seq=\""),
	       "syslog: ingress has no task fields");
	tap_has(s, " direction=\"ingress\" family=\"ipv4\" protocol=\"tcp\""
		" addr=\"192.0.2.1\" port=\"40000\" local_addr=\"10.0.0.2\""
		" local_port=\"80\"", "syslog: ingress addresses");
	free(s);

	/* A hostile path can forge neither a parameter nor a line. */
	ev = exec_event();
	ev.path = "/x\" y=\"1\"]\\\n\xff";
	s = syslog_fmt_event(&ev, "host with space", 42, &len);
	tap_has(s, " path=\"/x\\\" y=\\\"1\\\"\\]\\\\\\x0a\\xff\"",
		"syslog: '\"', ']', '\\' escaped, control and high bytes as \\xNN");
	tap_ok(s && !strchr(s, '\n'), "syslog: one line");
	tap_has(s, "2023-11-14T22:13:20.123456Z - kcsadm",
		"syslog: a host with a space is '-'");
	free(s);

	s = syslog_fmt_note("gap", "lost 3 events", 1700000000000000000ULL,
			    "h", 9, &len);
	tap_is_str(s, "<84>1 2023-11-14T22:13:20.000000Z h kcsadm 9 gap - lost 3 events",
		   "syslog: a note has no structured data");
	free(s);
}

static const char want_journal[] =
	"MESSAGE=2023-11-14T22:13:20.123456789Z deny enforce pid=100 tgid=99"
	" ppid=1 uid=1000 comm=sh path=/bin/busybox applet=wget"
	" invoked=/usr/bin/wget profile=web rule_kind=block"
	" rule=/bin/busybox/wget cgroup=4242 bound=4200 seq=7\n"
	"PRIORITY=4\nSYSLOG_FACILITY=10\nSYSLOG_IDENTIFIER=kcsadm\n"
	"KCS_TYPE=event\nKCS_SEQ=7\nKCS_TIME=2023-11-14T22:13:20.123456789Z\n"
	"KCS_HOOK=exec\nKCS_VERDICT=deny\nKCS_MODE=enforce\nKCS_PID=100\n"
	"KCS_TGID=99\nKCS_PPID=1\nKCS_UID=1000\nKCS_COMM=sh\n"
	"KCS_CGROUP_ID=4242\nKCS_BOUND_CGROUP_ID=4200\nKCS_PATH=/bin/busybox\n"
	"KCS_INVOKED=/usr/bin/wget\nKCS_APPLET=wget\nKCS_PROFILE=web\n"
	"KCS_RULE_KIND=block\nKCS_RULE=/bin/busybox/wget\n"
	"KCS_KERNEL_DROPPED_TOTAL=3\n";

static void test_journal_fmt(void)
{
	static const char bin[] = "KCS_PATH\n\x05\0\0\0\0\0\0\0/a\nb\n\n";
	struct kcs_event ev = exec_event();
	size_t len;
	char *s;

	s = journal_fmt_event(&ev, &len);
	tap_is_str(s, want_journal, "journal: exec denial, exact fields");
	tap_ok(s && len == strlen(s), "journal: length returned");
	free(s);

	ev.mode = KCS_MODE_AUDIT;
	ev.path = "/a\nb\n";
	s = journal_fmt_event(&ev, &len);
	tap_has(s, "\nPRIORITY=5\n", "journal: audit is PRIORITY=5 (notice)");
	tap_ok(s && memmem(s, len, bin, sizeof(bin) - 1),
	       "journal: a value with newlines in the binary-safe form");
	/* The text MESSAGE quotes the newline: plain form. */
	tap_ok(s && !strncmp(s, "MESSAGE=", 8), "journal: MESSAGE stays plain");
	free(s);

	s = journal_fmt_note("gap", "lost 3 events", &len);
	tap_is_str(s, "MESSAGE=lost 3 events\nPRIORITY=4\nSYSLOG_FACILITY=10\n"
		   "SYSLOG_IDENTIFIER=kcsadm\nKCS_TYPE=gap\n", "journal: a note");
	free(s);
}

static void test_parse_size(void)
{
	uint64_t v = 0;

	tap_ok(!sink_parse_size("1000", &v) && v == 1000, "size: bytes");
	tap_ok(!sink_parse_size("4k", &v) && v == 4096, "size: k");
	tap_ok(!sink_parse_size("10M", &v) && v == 10 << 20, "size: M");
	tap_ok(!sink_parse_size("2G", &v) && v == 2ULL << 30, "size: G");
	tap_ok(sink_parse_size("0", &v) && sink_parse_size("1x", &v) &&
	       sink_parse_size("-1", &v) && sink_parse_size("", &v) &&
	       sink_parse_size("99999999999999G", &v),
	       "size: 0, junk, negative, empty, overflow refused");
}

static char *slurp(const char *path, size_t *len)
{
	char *buf = NULL;
	FILE *f = fopen(path, "r"), *m;
	int c;

	*len = 0;
	if (!f)
		return NULL;
	m = open_memstream(&buf, len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* Lines of different lengths, rotated twice: nothing split or lost. */
static void test_rotation(const char *dir)
{
	struct sink_file f = { .fd = -1, .rotate_size = 1000, .keep = 2 };
	char path[256], p1[300], p2[300], p3[300], line[128];
	char *all = NULL, *a, *b, *c, *cat = NULL;
	size_t alen = 0, la, lb, lc, clen = 0;
	FILE *want = open_memstream(&all, &alen), *got;
	int i, ok = 1, whole = 1;

	snprintf(path, sizeof(path), "%s/events.json", dir);
	snprintf(p1, sizeof(p1), "%s.1", path);
	snprintf(p2, sizeof(p2), "%s.2", path);
	snprintf(p3, sizeof(p3), "%s.3", path);
	f.path = path;
	tap_ok(!sink_file_open(&f), "rotation: file opened");
	/* ~2400 bytes: FILE.2, FILE.1 and FILE hold them all. */
	for (i = 0; i < 40; i++) {
		int n = snprintf(line, sizeof(line), "{\"n\":%d,\"pad\":\"%.*s\"}\n",
				 i, 20 + (i * 7) % 40,
				 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

		fputs(line, want);
		ok &= !sink_file_write(&f, line, (size_t)n);
	}
	fclose(want);
	sink_file_close(&f);
	tap_ok(ok, "rotation: every write succeeded");
	tap_ok(exists(path) && exists(p1) && exists(p2) && !exists(p3),
	       "rotation: FILE, FILE.1, FILE.2 and no FILE.3");
	a = slurp(p2, &la);
	b = slurp(p1, &lb);
	c = slurp(path, &lc);
	tap_ok(a && b && c && la <= 1000 && lb <= 1000 && lc <= 1000 &&
	       la > 900 && lb > 900,
	       "rotation: sizes %zu, %zu, %zu: full, at most 1000", la, lb, lc);
	if (a && b && c) {
		whole = la && a[la - 1] == '\n' && lb && b[lb - 1] == '\n' &&
			lc && c[lc - 1] == '\n';
		got = open_memstream(&cat, &clen);
		fwrite(a, 1, la, got);
		fwrite(b, 1, lb, got);
		fwrite(c, 1, lc, got);
		fclose(got);
	}
	tap_ok(whole, "rotation: every file ends with a whole line");
	tap_ok(cat && clen == alen && !memcmp(cat, all, alen),
	       "rotation: the files hold every line, in order");
	free(a);
	free(b);
	free(c);
	free(cat);
	free(all);

	/* A third rotation drops the oldest file, as --rotate-keep says. */
	f.path = path;
	tap_ok(!sink_file_open(&f) && f.size == lc, "rotation: reopened, size counted");
	for (i = 0; i < 20; i++)
		sink_file_write(&f, line, strlen(line));
	sink_file_close(&f);
	tap_ok(exists(p2) && !exists(p3), "rotation: still no FILE.3");
	unlink(path);
	unlink(p1);
	unlink(p2);
}

static int bind_dgram(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Every sink at once, against sockets bound here and a file. */
static void test_sinks_live(const char *dir)
{
	char sl[256], jn[256], out[256], buf[8192], *want, *line;
	struct kcs_event ev = exec_event();
	struct kcs_err err;
	struct sinks s;
	int sfd, jfd;
	size_t len;
	ssize_t n;

	snprintf(sl, sizeof(sl), "%s/log", dir);
	snprintf(jn, sizeof(jn), "%s/journal", dir);
	snprintf(out, sizeof(out), "%s/out.json", dir);
	sfd = bind_dgram(sl);
	jfd = bind_dgram(jn);
	tap_ok(sfd >= 0 && jfd >= 0, "live: sockets bound");
	setenv(KCS_SYSLOG_SOCKET_ENV, sl, 1);
	setenv(KCS_JOURNAL_SOCKET_ENV, jn, 1);
	sinks_init(&s);
	s.syslog = s.journal = 1;
	s.file.path = out;
	tap_ok(!sinks_open(&s, &err), "live: sinks open");
	tap_ok(!sinks_event(&s, &ev), "live: event sent");

	n = recv(sfd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	buf[n > 0 ? n : 0] = '\0';
	want = syslog_fmt_event(&ev, s.host, s.pid, &len);
	tap_ok(n == (ssize_t)len && want && !memcmp(buf, want, len),
	       "live: syslog socket got the formatter's message");
	free(want);

	n = recv(jfd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	want = journal_fmt_event(&ev, &len);
	tap_ok(n == (ssize_t)len && want && !memcmp(buf, want, len),
	       "live: journal socket got the formatter's fields");
	free(want);

	tap_ok(!sinks_note(&s, "gap", "{\"type\":\"gap\"}", "lost 1 events"),
	       "live: a note sent");
	n = recv(sfd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	buf[n > 0 ? n : 0] = '\0';
	tap_has(buf, " kcsadm ", "live: syslog got the note");
	tap_has(strstr(buf, " gap - lost 1 events"), "lost", "live: note's MSGID and text");
	n = recv(jfd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	buf[n > 0 ? n : 0] = '\0';
	tap_has(buf, "KCS_TYPE=gap\n", "live: journal got the note");

	/* SIGHUP after logrotate moved the file: a new one is made. */
	snprintf(buf, sizeof(buf), "%s.moved", out);
	rename(out, buf);
	tap_ok(!sinks_reopen(&s) && !sinks_event(&s, &ev) && exists(out),
	       "live: reopen makes FILE anew");
	line = slurp(out, &len);
	tap_ok(line && !strncmp(line, "{\"type\":\"event\",\"seq\":7,", 24) &&
	       len && line[len - 1] == '\n' && memchr(line, '\n', len) == line + len - 1,
	       "live: the file got one JSON line");
	free(line);
	recv(sfd, buf, sizeof(buf), MSG_DONTWAIT);
	recv(jfd, buf, sizeof(buf), MSG_DONTWAIT);

	/* The syslog daemon went away: reported, counted, not silent. */
	close(sfd);
	unlink(sl);
	tap_ok(sinks_event(&s, &ev) && s.errors == 1,
	       "live: a send to a vanished socket fails and is counted");
	/* It came back: the sink connects again. */
	sfd = bind_dgram(sl);
	tap_ok(!sinks_event(&s, &ev) && s.errors == 1 &&
	       recv(sfd, buf, sizeof(buf), MSG_DONTWAIT) > 0,
	       "live: syslog reconnected after a restart");
	sinks_close(&s);
	close(sfd);
	close(jfd);
	unlink(sl);
	unlink(jn);
	unlink(out);
	unlink(buf);
	snprintf(buf, sizeof(buf), "%s.moved", out);
	unlink(buf);

	/* A file that cannot be written: every failure counted. */
	sinks_init(&s);
	snprintf(out, sizeof(out), "%s/no/such/dir", dir);
	s.file.path = out;
	tap_ok(sinks_open(&s, &err), "live: unwritable --output refused at start");
	tap_ok(sinks_event(&s, &ev) && sinks_event(&s, &ev) && s.errors == 2,
	       "live: each failed write counted");
	sinks_close(&s);
}

int main(void)
{
	char dir[] = "/tmp/kcs-sinks.XXXXXX";

	test_syslog_fmt();
	test_journal_fmt();
	test_parse_size();
	if (!mkdtemp(dir)) {
		tap_ok(0, "mkdtemp: %s", strerror(errno));
		return tap_done();
	}
	test_rotation(dir);
	test_sinks_live(dir);
	rmdir(dir);
	return tap_done();
}
