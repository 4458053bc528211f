// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the blob seeds of fuzz_dfa_verify: small pattern sets compiled by
 * the real compiler, so the fuzzer starts from blobs the verifier accepts
 * and mutates its way along every check. Run by "make seeds"; the output
 * is committed (corpus/fuzz_dfa_verify/), so this only needs rerunning
 * when the blob format changes.
 * Usage: gen_seeds DIR
 */
#include <stdio.h>
#include <string.h>

#include "compile.h"

#define R KCS_PATTERN_REGEX
#define M KCS_PATTERN_MASK

static const struct {
	const char *name;
	struct kcs_pattern p[3] = { 0 };
	size_t n;
} sets[] = {
	{ "empty", { { M, "/" } }, 0 },
	{ "literal", { { M, "/bin/sh" } }, 1 },
	{ "broad", { { M, "/usr/lib/a" }, { M, "/usr/lib/b/x" }, { M, "/usr/*" } }, 3 },
	{ "regex", { { R, "/opt/[a-z]+/bin/.*" }, { R, "/(s)?bin/(sh|dash)" } }, 2 },
	{ "mixed", { { M, "/bin/*" }, { R, "/usr/bin/python3(\\.[0-9]+)?" }, { M, "/a\\*b" } }, 3 },
};

static int write_file(const char *dir, const char *name, const char *ext,
		      const void *data, size_t len)
{
	char path[512];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	ok = fwrite(data, 1, len, f) == len;
	if (fclose(f) || !ok) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct kcs_compile_error err;
	struct kcs_blob dfa, text;
	size_t i;
	int ret = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		if (kcs_compile(sets[i].p, sets[i].n, NULL, &dfa, &text, &err)) {
			fprintf(stderr, "%s: %s\n", sets[i].name, err.msg);
			return 1;
		}
		if (write_file(argv[1], sets[i].name, ".dfa", dfa.data, dfa.len))
			ret = 1;
		kcs_blob_free(&dfa);
		kcs_blob_free(&text);
	}
	return ret;
}
