// SPDX-License-Identifier: GPL-2.0
/*
 * dns_connect SERVER NAME PORT: what a containerized client does, in its
 * simplest form: ask DNS server SERVER (IPv4, port 53, UDP) for NAME's A
 * record, then connect() over TCP to the first address answered, at once.
 * Prints "ok ADDR", "EPERM ADDR" (or another errno name), "NOANSWER"
 * (timeout, error or no A record) and exits 0, 1 (EPERM) or 2.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static size_t put_name(unsigned char *p, const char *name)
{
	size_t n = 0;

	while (*name) {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);

		p[n++] = (unsigned char)l;
		memcpy(p + n, name, l);
		n += l;
		name += l + (dot ? 1 : 0);
	}
	p[n++] = 0;
	return n;
}

/* Skip a (possibly compressed) name at @off; 0 when it runs out. */
static size_t skip_name(const unsigned char *p, size_t len, size_t off)
{
	while (off < len) {
		if ((p[off] & 0xc0) == 0xc0)
			return off + 2 <= len ? off + 2 : 0;
		if (!p[off])
			return off + 1;
		off += (size_t)p[off] + 1;
	}
	return 0;
}

/* The first A record of answer @p; 0 or -1. */
static int first_a(const unsigned char *p, size_t len, struct in_addr *a)
{
	size_t off = 12, i, an;

	if (len < 12 || !(p[2] & 0x80) || (p[3] & 0xf))
		return -1;
	an = (size_t)(p[6] << 8 | p[7]);
	off = skip_name(p, len, off);
	if (!off || (off += 4) > len)
		return -1;
	for (i = 0; i < an; i++) {
		size_t rdlen;

		off = skip_name(p, len, off);
		if (!off || off + 10 > len)
			return -1;
		rdlen = (size_t)(p[off + 8] << 8 | p[off + 9]);
		if (off + 10 + rdlen > len)
			return -1;
		if (p[off] == 0 && p[off + 1] == 1 && rdlen == 4) {
			memcpy(a, p + off + 10, 4);
			return 0;
		}
		off += 10 + rdlen;
	}
	return -1;
}

int main(int argc, char **argv)
{
	unsigned char q[512], r[4096];
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(53) };
	struct pollfd pfd;
	struct in_addr a;
	char buf[INET_ADDRSTRLEN];
	size_t n;
	ssize_t got;
	int fd, try;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "usage: dns_connect SERVER NAME PORT\n");
		return 2;
	}
	memset(q, 0, 12);
	q[0] = 0x4b;
	q[1] = (unsigned char)getpid();
	q[2] = 0x01;			/* RD */
	q[5] = 1;			/* one question */
	n = 12 + put_name(q + 12, argv[2]);
	q[n++] = 0;
	q[n++] = 1;			/* A */
	q[n++] = 0;
	q[n++] = 1;			/* IN */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (void *)&sa, sizeof(sa)) < 0) {
		printf("NOANSWER\n");
		return 2;
	}
	for (try = 0, got = -1; try < 3 && got < 0; try++) {
		if (send(fd, q, n, 0) < 0)
			break;
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 2000) == 1)
			got = recv(fd, r, sizeof(r), 0);
	}
	close(fd);
	if (got < 0 || first_a(r, (size_t)got, &a)) {
		printf("NOANSWER\n");
		return 2;
	}
	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	sa.sin_addr = a;
	sa.sin_port = htons((uint16_t)atoi(argv[3]));
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, (void *)&sa, sizeof(sa)) == 0) {
		printf("ok %s\n", buf);
		return 0;
	}
	printf("%s %s\n", errno == EPERM ? "EPERM" : strerror(errno), buf);
	return errno == EPERM ? 1 : 2;
}
