// SPDX-License-Identifier: GPL-2.0
/*
 * netwatch follows its profile file (profile_watch.h): a newer version of
 * the file replaces the profile it applies, so that it cannot revert a
 * `kcsadm profile apply` of that file; a touch is no change; an invalid
 * version or one of another profile is reported once and the profile in
 * force kept.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "profile_watch.h"
#include "tap.h"

#define P(name, host) \
	"{\"name\":\"" name "\",\"network\":{\"egress\":{\"mode\":\"block\"," \
	"\"rules\":[{\"fqdn\":\"" host "\"}]}}}"

static char path[64];

static void put(const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) == EOF || fclose(f))
		tap_diag("cannot write %s", path);
}

static const char *fqdn0(const struct kcs_profile_spec *s)
{
	return s->net.egress.rules.n ? s->net.egress.rules.rules[0].fqdn : NULL;
}

int main(void)
{
	struct kcs_profile_watch w;
	struct kcs_profile_spec spec;
	struct kcs_err err = { 0 };
	struct timespec keep[2];
	struct stat st;
	int fd;

	strcpy(path, "/tmp/kcs-watch.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);
	put(P("web", "a.example.com"));
	if (!tap_ok(!kcs_profile_watch_init(&w, path, &spec, &err),
		    "the file is read and parsed"))
		tap_diag("%s", err.msg);
	tap_is_str(fqdn0(&spec), "a.example.com", "its rule");
	tap_ok(kcs_profile_watch_poll(&w, 0, &spec, &err) == 0, "unchanged: 0");
	tap_ok(kcs_profile_watch_poll(&w, 1, &spec, &err) == 0,
	       "unchanged, bytes compared: 0");

	/* A newer version, as `profile apply -f` of the same file would
	 * bring into the kernel: netwatch must take it. */
	put(P("web", "b.example.com"));
	tap_ok(kcs_profile_watch_poll(&w, 0, &spec, &err) == 1,
	       "a new version is seen");
	tap_is_str(fqdn0(&spec), "b.example.com", "and is the profile now");
	tap_ok(kcs_profile_watch_poll(&w, 0, &spec, &err) == 0, "seen once");

	/* Same size, timestamps put back: only the forced check sees it. */
	stat(path, &st);
	keep[0] = st.st_atim;
	keep[1] = st.st_mtim;
	put(P("web", "c.example.com"));
	utimensat(AT_FDCWD, path, keep, 0);
	tap_ok(kcs_profile_watch_poll(&w, 1, &spec, &err) == 1,
	       "a rewrite of the same size and mtime: seen by the byte comparison");
	tap_is_str(fqdn0(&spec), "c.example.com", "its rule taken");

	utimensat(AT_FDCWD, path, NULL, 0);
	tap_ok(kcs_profile_watch_poll(&w, 0, &spec, &err) == 0,
	       "a touch is no change");

	put("{\"name\":\"web\",");
	tap_ok(kcs_profile_watch_poll(&w, 0, &spec, &err) == -1 &&
	       err.code == KCS_EXIT_INVALID, "an invalid version is refused");
	tap_has(err.msg, "keeping the profile read before", "and says the old one stays");
	tap_is_str(fqdn0(&spec), "c.example.com", "the profile in force is kept");
	tap_ok(kcs_profile_watch_poll(&w, 1, &spec, &err) == 0,
	       "the same invalid bytes are reported once");

	put(P("db", "d.example.com"));
	tap_ok(kcs_profile_watch_poll(&w, 0, &spec, &err) == -1,
	       "another profile's name is refused");
	tap_has(err.msg, "now holds profile \"db\", not \"web\"", "named in the message");
	tap_is_str(spec.name, "web", "the name stays");

	unlink(path);
	tap_ok(kcs_profile_watch_poll(&w, 1, &spec, &err) == -1 &&
	       err.code == KCS_EXIT_NOTFOUND, "a removed file is reported");
	tap_ok(kcs_profile_watch_poll(&w, 1, &spec, &err) == 0, "once");
	put(P("web", "e.example.com"));
	tap_ok(kcs_profile_watch_poll(&w, 0, &spec, &err) == 1,
	       "the file back: followed again");
	tap_is_str(fqdn0(&spec), "e.example.com", "its rule taken");

	kcs_profile_free(&spec);
	kcs_profile_watch_free(&w);
	unlink(path);
	return tap_done();
}
