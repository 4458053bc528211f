// SPDX-License-Identifier: GPL-2.0
/*
 * try_net: make one socket call the way a test asks and report its result,
 * so tests assert exactly what a program sees.
 *
 *   try_net connect  tcp|udp ADDR PORT   connect() (TCP: to a listener)
 *   try_net sendto   tcp|udp ADDR PORT   sendto() one byte (tcp: MSG_FASTOPEN)
 *   try_net bind     tcp|udp ADDR PORT   bind()
 *   try_net listen   tcp ADDR PORT       bind() then listen()
 *   try_net serve    tcp ADDR PORT       listen and accept forever
 *   try_net serve    udp ADDR PORT       echo every datagram back, forever
 *   try_net echo     udp ADDR PORT       send one datagram, wait for its echo
 *   try_net loop     N ADDR PORT         N x (socket, connect, close): ns/op
 *   try_net connectx sctp ADDR PORT      sctp_connectx() (setsockopt)
 *
 * Besides tcp and udp, PROTO may be udplite, mptcp, sctp (stream),
 * sctpseq (one-to-many), dccp, smc (AF_SMC), ping (ICMP datagram) or raw
 * (SOCK_RAW, protocol 253): every socket that carries an IP address. These
 * connect without blocking: EINPROGRESS prints "ok" (the call was let
 * through). A protocol the kernel lacks prints NOPROTO and exits 4.
 *
 * ADDR is an IPv4 or IPv6 address; the socket has its family, except with
 * --v6sock (an IPv6 socket, for ::ffff:a.b.c.d or AF_INET on it) and
 * --unspec (the sockaddr says AF_UNSPEC). --src ADDR binds the socket to
 * that source address first; --timeout S gives connect() S seconds, then
 * it prints TIMEOUT (a dropped SYN), and echo S seconds for the reply
 * (TIMEOUT: a dropped datagram). Prints "ok" or the errno's name on
 * stdout and exits 0 (ok), 1 (EPERM) or 2 (another error).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#ifndef AF_SMC
#define AF_SMC 43
#endif
#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef SOCK_DCCP
#define SOCK_DCCP 6
#endif
#define SOL_SCTP_ 132
#define SCTP_SOCKOPT_CONNECTX_ 110

#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ECONNREFUSED: return "ECONNREFUSED";
	case EADDRINUSE: return "EADDRINUSE";
	case EINVAL: return "EINVAL";
	case ENETUNREACH: return "ENETUNREACH";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EINPROGRESS: return "EINPROGRESS";
	default: return strerror(e);
	}
}

static int report(int r, int e)
{
	if (r >= 0) {
		printf("ok\n");
		return 0;
	}
	printf("%s\n", errname(e));
	return e == EPERM ? 1 : 2;
}

static void usage(void)
{
	fprintf(stderr, "usage: try_net [--v6sock] [--unspec] [--src ADDR] [--timeout S] connect|connectx|sendto|bind|listen|serve|echo PROTO ADDR PORT\n"
		"       try_net loop N ADDR PORT\n");
	exit(3);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	int i = 1, v6sock = 0, unspec = 0, fd, r, type, fam, timeout = 0;
	const char *src = NULL;
	socklen_t len;
	const char *op, *proto_name;
	int sfam, proto = 0, nonblock = 0;

	memset(&ss, 0, sizeof(ss));
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--v6sock"))
			v6sock = 1;
		else if (!strcmp(argv[i], "--unspec"))
			unspec = 1;
		else if (!strcmp(argv[i], "--src") && i + 1 < argc)
			src = argv[++i];
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout = atoi(argv[++i]);
		else
			usage();
	}
	if (argc - i != 4)
		usage();
	op = argv[i];
	proto_name = argv[i + 1];
	type = !strcmp(proto_name, "udp") ? SOCK_DGRAM : SOCK_STREAM;
	if (strchr(argv[i + 2], ':')) {
		struct sockaddr_in6 *s6 = (void *)&ss;

		if (inet_pton(AF_INET6, argv[i + 2], &s6->sin6_addr) != 1)
			usage();
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(atoi(argv[i + 3]));
		len = sizeof(*s6);
		fam = AF_INET6;
	} else {
		struct sockaddr_in *s4 = (void *)&ss;

		if (inet_pton(AF_INET, argv[i + 2], &s4->sin_addr) != 1)
			usage();
		s4->sin_family = unspec ? AF_UNSPEC : AF_INET;
		s4->sin_port = htons(atoi(argv[i + 3]));
		len = sizeof(*s4);
		fam = v6sock ? AF_INET6 : AF_INET;
	}

	if (!strcmp(op, "loop")) {
		long n = atol(argv[i + 1]), k;
		struct linger rst = { .l_onoff = 1, .l_linger = 0 };
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		for (k = 0; k < n; k++) {
			fd = socket(fam, SOCK_STREAM, 0);
			if (fd < 0 || connect(fd, (void *)&ss, len) < 0) {
				printf("%s\n", errname(errno));
				return errno == EPERM ? 1 : 2;
			}
			/*
			 * Close with a reset: no TIME_WAIT socket stays behind,
			 * or thousands of them would slow every later connect's
			 * port search and skew the samples taken last.
			 */
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &rst, sizeof(rst));
			close(fd);
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		printf("%.0f ns/op\n", ((b.tv_sec - a.tv_sec) * 1e9 +
					(b.tv_nsec - a.tv_nsec)) / (n ? n : 1));
		return 0;
	}

	sfam = fam;
	if (!strcmp(proto_name, "udplite")) {
		type = SOCK_DGRAM;
		proto = IPPROTO_UDPLITE;
	} else if (!strcmp(proto_name, "mptcp")) {
		proto = IPPROTO_MPTCP;
	} else if (!strcmp(proto_name, "sctp") || !strcmp(proto_name, "sctpseq")) {
		type = proto_name[4] ? SOCK_SEQPACKET : SOCK_STREAM;
		proto = IPPROTO_SCTP;
		nonblock = 1;
	} else if (!strcmp(proto_name, "dccp")) {
		type = SOCK_DCCP;
		proto = IPPROTO_DCCP;
		nonblock = 1;
	} else if (!strcmp(proto_name, "smc")) {
		sfam = AF_SMC;
		proto = fam == AF_INET6;	/* SMCPROTO_SMC6 */
		nonblock = 1;
	} else if (!strcmp(proto_name, "ping")) {
		type = SOCK_DGRAM;
		proto = fam == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	} else if (!strcmp(proto_name, "raw")) {
		type = SOCK_RAW;
		proto = 253;
	} else if (strcmp(proto_name, "tcp") && strcmp(proto_name, "udp")) {
		usage();
	}
	fd = socket(sfam, type, proto);
	if (fd < 0 && (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT ||
		       errno == ESOCKTNOSUPPORT)) {
		printf("NOPROTO\n");
		return 4;
	}
	if (fd < 0)
		return report(-1, errno);
	if (nonblock)
		fcntl(fd, F_SETFL, O_NONBLOCK);
	if (src) {
		struct sockaddr_storage sa;

		memset(&sa, 0, sizeof(sa));
		if (fam == AF_INET6) {
			struct sockaddr_in6 *s6 = (void *)&sa;

			s6->sin6_family = AF_INET6;
			if (inet_pton(AF_INET6, src, &s6->sin6_addr) != 1)
				usage();
		} else {
			struct sockaddr_in *s4 = (void *)&sa;

			s4->sin_family = AF_INET;
			if (inet_pton(AF_INET, src, &s4->sin_addr) != 1)
				usage();
		}
		if (bind(fd, (void *)&sa, fam == AF_INET6 ?
			 sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) < 0)
			return report(-1, errno);
	}
	if (timeout) {
		struct timeval tv = { .tv_sec = timeout };

		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	if (!strcmp(op, "connect")) {
		r = connect(fd, (void *)&ss, len);
		if (r < 0 && timeout && errno == EINPROGRESS) {
			printf("TIMEOUT\n");
			return 2;
		}
		if (r < 0 && nonblock && errno == EINPROGRESS)
			r = 0;
	} else if (!strcmp(op, "connectx")) {
		r = setsockopt(fd, SOL_SCTP_, SCTP_SOCKOPT_CONNECTX_, &ss, len);
		if (r < 0 && errno == EINPROGRESS)
			r = 0;
		if (r > 0)
			r = 0;		/* the association id */
	} else if (!strcmp(op, "sendto")) {
		/* An echo request for ping sockets (the kernel sums it). */
		unsigned char echo[8] = { fam == AF_INET6 ? 128 : 8 };
		int ping = !strcmp(proto_name, "ping");

		r = (int)sendto(fd, ping ? (void *)echo : "x", ping ? 8 : 1,
				type == SOCK_STREAM && !nonblock ? MSG_FASTOPEN : 0,
				(void *)&ss, len);
		if (r < 0 && nonblock && (errno == EAGAIN || errno == ENOTCONN ||
					  errno == EPIPE))
			r = 0;	/* let through, then the protocol's own answer */
		/* Fast Open without a server cookie falls back to a SYN. */
		if (r < 0 && errno == EINPROGRESS)
			r = 0;
	} else if (!strcmp(op, "bind")) {
		r = bind(fd, (void *)&ss, len);
	} else if (!strcmp(op, "serve") && type == SOCK_DGRAM) {
		char buf[2048];

		r = bind(fd, (void *)&ss, len);
		if (r == 0) {
			printf("listening\n");
			fflush(stdout);
			for (;;) {
				struct sockaddr_storage from;
				socklen_t flen = sizeof(from);
				ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
						     (void *)&from, &flen);

				if (n >= 0)
					sendto(fd, buf, (size_t)n, 0,
					       (void *)&from, flen);
			}
		}
	} else if (!strcmp(op, "echo")) {
		struct timeval tv = { .tv_sec = timeout ? timeout : 2 };
		char c;

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		r = connect(fd, (void *)&ss, len);
		if (r == 0)
			r = (int)send(fd, "x", 1, 0);
		if (r >= 0) {
			r = (int)recv(fd, &c, 1, 0);
			if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				printf("TIMEOUT\n");
				return 2;
			}
		}
	} else if (!strcmp(op, "listen") || !strcmp(op, "serve")) {
		int one = 1;

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		r = bind(fd, (void *)&ss, len);
		if (r == 0)
			r = listen(fd, 4096);	/* loops connect faster than TCG accepts */
		if (r == 0 && !strcmp(op, "serve")) {
			printf("listening\n");
			fflush(stdout);
			for (;;) {
				int c = accept(fd, NULL, NULL);

				if (c >= 0)
					close(c);
			}
		}
	} else {
		usage();
		return 3;
	}
	return report(r, errno);
}
