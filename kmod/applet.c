// SPDX-License-Identifier: GPL-2.0
/*
 * Which program a busybox-style multi-call binary will run, decided the way
 * busybox's own appletlib.c decides it, for every argv it accepts:
 *
 *  - main(): the name is the basename of argv[0], after one leading '-'
 *    (a login shell's "-sh");
 *  - a name that starts with "busybox" (busybox, busybox.static, ...) runs
 *    busybox_main() on the same argv: no argv[1] is the help text,
 *    "--list..." and "--install" run no applet, "--help X" runs applet X
 *    (its usage; test, true and false run for real), anything else drops
 *    argv[0] and starts over with the basename of argv[1] (no '-' removed
 *    there), so "busybox busybox wget" runs wget too;
 *  - any other name is the applet (busybox says "applet not found" and
 *    runs nothing when it has none of that name).
 *
 * The argv strings can be of any length (up to MAX_ARG_STRLEN each), so
 * they are not copied: the scanner is fed the bytes in pieces, as exec.c
 * reads them from the new program's stack, and keeps of each string only
 * what the decision needs: its first bytes (for the options) and the
 * first bytes of its basename, with both lengths. Pure byte work, so KUnit
 * feeds it buffers directly.
 */
#include <linux/string.h>
#include "kcs.h"

bool kcs_is_multicall(const char *path)
{
	const char *base = strrchr(path, '/');

	return base && !strncmp(base + 1, "busybox", 7);
}

/* What the string being read will be used for. */
enum {
	KCS_AS_ARGV0,		/* main()'s argv[0] */
	KCS_AS_BUSYBOX_ARG,	/* busybox_main()'s argv[1] */
	KCS_AS_HELP_ARG,	/* the X of "busybox --help X" */
};

void kcs_applet_scan_init(struct kcs_applet_scan *s, int argc)
{
	memset(s, 0, sizeof(*s));
	s->left = argc;
	s->step = KCS_AS_ARGV0;
	s->result = KCS_APPLET_MORE;
	if (s->left-- <= 0)
		s->result = KCS_APPLET_NONE;	/* no argv[0]: no name */
}

static bool kcs_arg_is(const struct kcs_applet_scan *s, const char *opt)
{
	return s->len == strlen(opt) && !memcmp(s->head, opt, s->len);
}

static bool kcs_arg_has_prefix(const struct kcs_applet_scan *s,
			       const char *pre)
{
	size_t n = strlen(pre);

	return s->len >= n && !memcmp(s->head, pre, n);
}

/*
 * The name a string stands for: its basename, less a leading '-' for
 * argv[0] (only where there is no '/': "-/bin/x" is "x" either way).
 * Returns false when it is too long to hold: no applet has such a name,
 * but what busybox will do with it is then not known here.
 */
static bool kcs_arg_name(struct kcs_applet_scan *s, bool strip_dash)
{
	const char *b = s->base;
	size_t n = s->base_len;

	if (strip_dash && s->len == s->base_len && n && *b == '-') {
		b++;
		n--;
	}
	if (n > KCS_APPLET_MAX)
		return false;
	memmove(s->name, b, n);
	s->name[n] = '\0';
	return true;
}

static bool kcs_name_is_busybox(const struct kcs_applet_scan *s)
{
	return !strncmp(s->name, "busybox", 7);
}

/* A whole string has been read: take the next step of busybox's logic. */
static void kcs_applet_arg_done(struct kcs_applet_scan *s)
{
	u8 step = s->step;

	s->step = KCS_AS_BUSYBOX_ARG;
	if (step == KCS_AS_BUSYBOX_ARG) {
		if (kcs_arg_has_prefix(s, "--list") ||
		    kcs_arg_is(s, "--install")) {
			s->result = KCS_APPLET_NONE;
			return;
		}
		if (kcs_arg_is(s, "--help")) {
			s->step = KCS_AS_HELP_ARG;
			goto need_more;
		}
	}
	if (!kcs_arg_name(s, step == KCS_AS_ARGV0)) {
		s->result = KCS_APPLET_UNKNOWN;
		return;
	}
	if (!kcs_name_is_busybox(s)) {
		s->result = *s->name ? KCS_APPLET_FOUND : KCS_APPLET_NONE;
		return;
	}
	/* busybox_main(["X", "--help"]) prints the help text. */
	if (step == KCS_AS_HELP_ARG) {
		s->result = KCS_APPLET_NONE;
		return;
	}
need_more:
	if (s->left-- <= 0)
		s->result = KCS_APPLET_NONE;	/* help text */
}

/**
 * kcs_applet_scan_feed() - feed the next bytes of the argv strings
 * @s: a scanner set up by kcs_applet_scan_init() with the exec's argc
 * @buf: bytes that continue where the previous call stopped
 * @n: how many
 *
 * Return: the bytes consumed; the scan is over when s->result is no longer
 * KCS_APPLET_MORE (then s->name holds the applet for KCS_APPLET_FOUND).
 */
size_t kcs_applet_scan_feed(struct kcs_applet_scan *s, const char *buf,
			    size_t n)
{
	size_t i;

	for (i = 0; i < n && s->result == KCS_APPLET_MORE; i++) {
		char c = buf[i];

		if (!c) {
			kcs_applet_arg_done(s);
			s->len = 0;
			s->base_len = 0;
			continue;
		}
		if (s->len < sizeof(s->head))
			s->head[s->len] = c;
		s->len++;
		if (c == '/') {
			s->base_len = 0;
			continue;
		}
		if (s->base_len < sizeof(s->base))
			s->base[s->base_len] = c;
		s->base_len++;
	}
	return i;
}
