// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON-lines file of monitor --output, rotated by size: FILE is
 * renamed FILE.1, FILE.1 FILE.2 ... and FILE.keep is removed, then FILE
 * is created anew (no copytruncate: no window where lines are lost).
 * A line is never split across two files: the file rotates before a line
 * that would take it past the size.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sink.h"

int sink_parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	}
	if (*end || !v || v > (ULLONG_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

int sink_file_open(struct sink_file *f)
{
	struct stat st;

	f->fd = open(f->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (f->fd < 0)
		return -1;
	/* Appending to what an earlier monitor left: count it. */
	f->size = fstat(f->fd, &st) ? 0 : (uint64_t)st.st_size;
	return 0;
}

void sink_file_close(struct sink_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

/* FILE.N for N > 0, FILE for 0. */
static int numbered(char *buf, size_t len, const char *path, unsigned int n)
{
	int r = n ? snprintf(buf, len, "%s.%u", path, n) :
		    snprintf(buf, len, "%s", path);

	return r < 0 || (size_t)r >= len ? -1 : 0;
}

static int rotate(struct sink_file *f)
{
	char from[PATH_MAX], to[PATH_MAX];
	unsigned int n;

	sink_file_close(f);
	if (numbered(to, sizeof(to), f->path, f->keep))
		return errno = ENAMETOOLONG, -1;
	if (unlink(to) && errno != ENOENT)
		return -1;
	for (n = f->keep; n > 0; n--) {
		if (numbered(from, sizeof(from), f->path, n - 1) ||
		    numbered(to, sizeof(to), f->path, n))
			return errno = ENAMETOOLONG, -1;
		if (rename(from, to) && errno != ENOENT)
			return -1;
	}
	return sink_file_open(f);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int sink_file_write(struct sink_file *f, const char *buf, size_t len)
{
	/* Reopen after a failure (rotation or reopen that failed before). */
	if (f->fd < 0 && sink_file_open(f))
		return -1;
	if (f->rotate_size && f->size && f->size + len > f->rotate_size &&
	    rotate(f))
		return -1;
	if (write_all(f->fd, buf, len))
		return -1;
	f->size += len;
	return 0;
}
