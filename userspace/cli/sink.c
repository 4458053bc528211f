// SPDX-License-Identifier: GPL-2.0
/*
 * monitor's sinks: each event goes to every one selected. Datagrams to
 * syslog and the journal are sent whole or not at all; a socket that went
 * away (syslog restarted) is connected again once before the send counts
 * as failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "event_out.h"
#include "sink.h"
#include "sink_fmt.h"

void sinks_init(struct sinks *s)
{
	memset(s, 0, sizeof(*s));
	s->file.fd = s->syslog_fd = s->journal_fd = -1;
	s->file.keep = 5;
}

int sinks_any(const struct sinks *s)
{
	return s->file.path || s->syslog || s->journal;
}

static const char *sock_path(const char *env, const char *dflt)
{
	const char *p = getenv(env);

	return p && *p ? p : dflt;
}

static int dgram_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return errno = ENAMETOOLONG, -1;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int sinks_open(struct sinks *s, struct kcs_err *err)
{
	const char *p;

	s->pid = (int)getpid();
	if (gethostname(s->host, sizeof(s->host)))
		s->host[0] = '\0';
	s->host[sizeof(s->host) - 1] = '\0';
	if (s->file.path && sink_file_open(&s->file))
		return kcs_err_set(err, KCS_EXIT_FAILED, "monitor: --output %s: %s",
				   s->file.path, strerror(errno));
	if (s->syslog) {
		p = sock_path(KCS_SYSLOG_SOCKET_ENV, KCS_SYSLOG_SOCKET);
		s->syslog_fd = dgram_connect(p);
		if (s->syslog_fd < 0)
			return kcs_err_set(err, KCS_EXIT_FAILED, "monitor: --syslog: %s: %s",
					   p, strerror(errno));
	}
	if (s->journal) {
		p = sock_path(KCS_JOURNAL_SOCKET_ENV, KCS_JOURNAL_SOCKET);
		s->journal_fd = dgram_connect(p);
		if (s->journal_fd < 0)
			return kcs_err_set(err, KCS_EXIT_FAILED, "monitor: --journal: %s: %s",
					   p, strerror(errno));
	}
	return 0;
}

void sinks_close(struct sinks *s)
{
	sink_file_close(&s->file);
	if (s->syslog_fd >= 0)
		close(s->syslog_fd);
	if (s->journal_fd >= 0)
		close(s->journal_fd);
	s->syslog_fd = s->journal_fd = -1;
}

/* Reported each time: a failing sink is what the operator must see. */
static int failed(struct sinks *s, const char *what, int e)
{
	s->errors++;
	fprintf(stderr, "kcsadm: monitor: %s: %s (%llu failed writes so far)\n",
		what, strerror(e), (unsigned long long)s->errors);
	return -1;
}

static int dgram_send(struct sinks *s, int *fd, const char *env,
		      const char *dflt, const char *what, const char *buf,
		      size_t len)
{
	int tries;

	if (!buf)
		return failed(s, what, ENOMEM);
	for (tries = 0; tries < 2; tries++) {
		if (*fd < 0)
			*fd = dgram_connect(sock_path(env, dflt));
		if (*fd >= 0 && send(*fd, buf, len, MSG_NOSIGNAL) == (ssize_t)len)
			return 0;
		/* The reader restarted: its new socket needs a new connect. */
		if (*fd >= 0 && errno != ECONNREFUSED && errno != ENOTCONN)
			break;
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
	}
	return failed(s, what, errno);
}

static int file_line(struct sinks *s, char *line, size_t len)
{
	if (!line)
		return failed(s, s->file.path, ENOMEM);
	if (sink_file_write(&s->file, line, len))
		return failed(s, s->file.path, errno);
	return 0;
}

int sinks_event(struct sinks *s, const struct kcs_event *ev)
{
	char *buf = NULL;
	size_t len = 0;
	int ret = 0;
	FILE *f;

	if (s->file.path) {
		f = open_memstream(&buf, &len);
		if (f && (event_out(f, 1, ev) | fclose(f))) {
			free(buf);
			buf = NULL;
		}
		ret |= file_line(s, buf, len);
		free(buf);
	}
	if (s->syslog) {
		buf = syslog_fmt_event(ev, s->host, s->pid, &len);
		ret |= dgram_send(s, &s->syslog_fd, KCS_SYSLOG_SOCKET_ENV,
				  KCS_SYSLOG_SOCKET, "--syslog", buf, len);
		free(buf);
	}
	if (s->journal) {
		buf = journal_fmt_event(ev, &len);
		ret |= dgram_send(s, &s->journal_fd, KCS_JOURNAL_SOCKET_ENV,
				  KCS_JOURNAL_SOCKET, "--journal", buf, len);
		free(buf);
	}
	return ret;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int sinks_note(struct sinks *s, const char *msgid, const char *json,
	       const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	int ret = 0;

	if (s->file.path) {
		if (asprintf(&buf, "%s\n", json) < 0)
			buf = NULL;
		ret |= file_line(s, buf, buf ? strlen(buf) : 0);
		free(buf);
	}
	if (s->syslog) {
		buf = syslog_fmt_note(msgid, text, now_ns(), s->host, s->pid, &len);
		ret |= dgram_send(s, &s->syslog_fd, KCS_SYSLOG_SOCKET_ENV,
				  KCS_SYSLOG_SOCKET, "--syslog", buf, len);
		free(buf);
	}
	if (s->journal) {
		buf = journal_fmt_note(msgid, text, &len);
		ret |= dgram_send(s, &s->journal_fd, KCS_JOURNAL_SOCKET_ENV,
				  KCS_JOURNAL_SOCKET, "--journal", buf, len);
		free(buf);
	}
	return ret;
}

int sinks_reopen(struct sinks *s)
{
	if (!s->file.path)
		return 0;
	sink_file_close(&s->file);
	if (sink_file_open(&s->file))
		return failed(s, s->file.path, errno);
	return 0;
}
