// SPDX-License-Identifier: GPL-2.0
/*
 * kcsadm metrics --textfile: DIR/kcs.prom replaced by rename(), so
 * node_exporter's textfile collector never reads half of it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metrics.h"

/* DIR/.kcs.prom.XXXXXX, written whole, then renamed over DIR/kcs.prom.
 * The collector reads only *.prom files, so never the temporary one. */
int metrics_write_textfile(const char *dir, const char *buf, size_t len,
			   struct kcs_err *err)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	size_t off = 0;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s/." METRICS_FILE ".XXXXXX", dir) >=
	    (int)sizeof(tmp) ||
	    snprintf(dst, sizeof(dst), "%s/" METRICS_FILE, dir) >= (int)sizeof(dst))
		return kcs_err_set(err, KCS_EXIT_USAGE, "metrics: --textfile %s: path too long",
				   dir);
	fd = mkstemp(tmp);
	if (fd < 0)
		return kcs_err_set(err, KCS_EXIT_FAILED, "metrics: %s: %s", tmp,
				   strerror(errno));
	/* mkstemp makes it 0600; node_exporter may run as another user. */
	if (fchmod(fd, 0644))
		goto fail;
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		off += (size_t)n;
	}
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, dst))
		goto fail;
	return 0;
fail:
	kcs_err_set(err, KCS_EXIT_FAILED, "metrics: writing %s: %s", dst,
		    strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}
