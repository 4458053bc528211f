// SPDX-License-Identifier: GPL-2.0
/*
 * bind_loop: the benchmark's bind() unit of work. N times: a TCP socket,
 * SO_REUSEADDR, bind() to ADDR:PORT, close. Prints the mean wall time per
 * iteration in ns; exits 1 with the errno's name if a bind fails.
 *
 *   bind_loop N ADDR PORT      (IPv4 ADDR)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct timespec t0, t1;
	int one = 1;
	long n, i;

	if (argc != 4 || (n = atol(argv[1])) <= 0 ||
	    inet_pton(AF_INET, argv[2], &sa.sin_addr) != 1) {
		fprintf(stderr, "usage: bind_loop N ADDR PORT\n");
		return 2;
	}
	sa.sin_port = htons(atoi(argv[3]));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0 ||
		    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
			printf("%s\n", strerror(errno));
			return 1;
		}
		close(fd);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.0f\n", ((t1.tv_sec - t0.tv_sec) * 1e9 +
			  (t1.tv_nsec - t0.tv_nsec)) / n);
	return 0;
}
