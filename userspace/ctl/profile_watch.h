/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A profile file followed while it is in force (kcsadm netwatch): the file
 * is the truth, not what was read at start. Otherwise every apply of the
 * copy read at start would silently revert a newer `kcsadm profile apply`
 * of the same file.
 *
 * How a change is seen: a cheap stat() (device, inode, size, mtime,
 * ctime) whenever the caller likes (netwatch: every second), and the
 * bytes read and compared when that moved or when the caller asks
 * (netwatch: before every resolution, so that it never applies content
 * older than the file's). Comparing bytes, not timestamps, decides: a
 * touch is no change, and a rewrite within one timestamp tick is still
 * seen at the next forced check.
 */
#ifndef KCS_PROFILE_WATCH_H
#define KCS_PROFILE_WATCH_H

#include <sys/stat.h>

#include "profile.h"

struct kcs_profile_watch {
	const char *path;	/* "-": standard input, read once */
	char *data;		/* the bytes last read */
	size_t len;
	struct stat st;		/* the file's when they were read */
};

/* Read and parse @path into @spec (as kcs_profile_load) and remember its
 * bytes in @w. 0, or -1 with @err. */
int kcs_profile_watch_init(struct kcs_profile_watch *w, const char *path,
			   struct kcs_profile_spec *spec, struct kcs_err *err);

/*
 * Whether the file changed since @w last read it (@force: compare its
 * bytes even if stat() shows nothing). 0: the same; 1: other bytes that
 * parse into a profile of the same name, now in @spec (the old one
 * freed); -1 with @err: the file cannot be read, or its new bytes are no
 * valid profile or one of another name. Then @spec stays as it was, and
 * the same bad bytes are not reported again. Standard input: always 0.
 */
int kcs_profile_watch_poll(struct kcs_profile_watch *w, int force,
			   struct kcs_profile_spec *spec, struct kcs_err *err);

void kcs_profile_watch_free(struct kcs_profile_watch *w);

#endif /* KCS_PROFILE_WATCH_H */
