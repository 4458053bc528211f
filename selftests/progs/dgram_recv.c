// SPDX-License-Identifier: GPL-2.0
/*
 * dgram_recv SOCKET OUT COUNT: bind a Unix datagram socket at SOCKET,
 * create SOCKET.ready once bound, append the next COUNT datagrams received
 * to OUT, each followed by a line "--", and exit. Stands in for journald or syslog when a test checks what kcsadm
 * sends them, byte for byte.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 16], ready[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, out, count;
	ssize_t n;

	if (argc != 4 || (count = atoi(argv[3])) < 1 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: dgram_recv SOCKET OUT COUNT\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("dgram_recv: bind");
		return 1;
	}
	snprintf(ready, sizeof(ready), "%s.ready", argv[1]);
	close(open(ready, O_WRONLY | O_CREAT, 0644));
	out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	while (count-- > 0) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 || out < 0 || write(out, buf, n) != n ||
		    write(out, "\n--\n", 4) != 4) {
			perror("dgram_recv");
			return 1;
		}
	}
	return 0;
}
