// SPDX-License-Identifier: GPL-2.0
/*
 * ev_flood: N connect() calls of one UDP socket to ADDR PORT, as fast as
 * possible. A UDP connect() sends no packet, so this is a cheap way to make
 * a bound profile decide (and, with a listener, send an event) N times.
 *
 *   ev_flood N ADDR PORT [PID]
 *
 * ADDR is IPv4 or IPv6. Prints one line "N ELAPSED_NS" (wall-clock time of
 * the loop, CLOCK_MONOTONIC), or with PID (a listener that exits once it
 * has everything, e.g. kcsadm monitor --count N) "N ELAPSED_NS UNTIL_NS":
 * also the time from the loop's start until PID exited. Exits 0 when every call succeeded (unbound
 * or Audit), 1 when every call failed with EPERM (Enforce), 2 otherwise
 * (the first unexpected error on stderr), 3 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long long n, i, ok = 0, eperm = 0, t0, t1;
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	char *end;
	long port;
	int fd, pidfd = -1, other = 0;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: ev_flood N ADDR PORT [PID]\n");
		return 3;
	}
	/* Opened first: the listener may be done before the loop is. */
	if (argc == 5) {
		pidfd = (int)syscall(SYS_pidfd_open, atoi(argv[4]), 0);
		if (pidfd < 0) {
			perror("ev_flood: pidfd_open");
			return 2;
		}
	}
	n = strtoull(argv[1], &end, 10);
	port = strtol(argv[3], NULL, 10);
	if (*end || !n || port < 1 || port > 65535) {
		fprintf(stderr, "ev_flood: bad count or port\n");
		return 3;
	}
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, argv[2], &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, argv[2], &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
	} else {
		fprintf(stderr, "ev_flood: bad address '%s'\n", argv[2]);
		return 3;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0) {
		perror("ev_flood: socket");
		return 2;
	}
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (!connect(fd, (struct sockaddr *)&ss, len))
			ok++;
		else if (errno == EPERM)
			eperm++;
		else if (!other++)
			fprintf(stderr, "ev_flood: connect: %s\n", strerror(errno));
	}
	t1 = now_ns();
	close(fd);
	if (pidfd >= 0) {
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

		while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
			;
		printf("%llu %llu %llu\n", n, t1 - t0, now_ns() - t0);
	} else {
		printf("%llu %llu\n", n, t1 - t0);
	}
	if (ok == n)
		return 0;
	if (eperm == n)
		return 1;
	fprintf(stderr, "ev_flood: %llu ok, %llu EPERM, %d other errors\n",
		ok, eperm, other);
	return 2;
}
