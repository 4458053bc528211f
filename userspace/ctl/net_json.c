// SPDX-License-Identifier: GPL-2.0
/*
 * The "network" section of a profile: strict parsing and validation. Every
 * error names the JSON location ("network.egress.rules[2].ports[1]") and
 * nothing is applied unless the whole profile is valid.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"
#include "net.h"
#include "profile.h"

int kcs_net_parse_cidr(const char *s, struct kcs_net_rule *r, char *why,
		       size_t whylen)
{
	char addr[INET6_ADDRSTRLEN + 1], *end;
	const char *slash = strchr(s, '/');
	unsigned char buf[16];
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	long plen, shown;
	int i, bits;

	if (alen == 0 || alen >= sizeof(addr)) {
		snprintf(why, whylen, "\"%s\" is not an address or CIDR", s);
		return -1;
	}
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	memset(r->lo, 0, sizeof(r->lo));
	if (inet_pton(AF_INET, addr, buf) == 1) {
		r->v6 = 0;
		bits = 32;
		r->lo[3] = (uint32_t)buf[0] << 24 | buf[1] << 16 | buf[2] << 8 |
			   buf[3];
	} else if (inet_pton(AF_INET6, addr, buf) == 1) {
		r->v6 = 1;
		bits = 128;
		for (i = 0; i < 4; i++)
			r->lo[i] = (uint32_t)buf[4 * i] << 24 |
				   buf[4 * i + 1] << 16 | buf[4 * i + 2] << 8 |
				   buf[4 * i + 3];
	} else {
		snprintf(why, whylen, "\"%s\" is not an IPv4 or IPv6 address", addr);
		return -1;
	}
	plen = bits;
	if (slash) {
		errno = 0;
		plen = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || errno || slash[1] == '-' ||
		    slash[1] == '+' || plen < 0 || plen > bits) {
			snprintf(why, whylen,
				 "\"%s\": prefix length must be 0..%d", s, bits);
			return -1;
		}
	}
	shown = plen;
	if (bits == 128 && !r->lo[0] && !r->lo[1] && r->lo[2] == 0xffff) {
		/*
		 * ::ffff:a.b.c.d: the module looks IPv4 peers of IPv6 sockets
		 * up as IPv4 (kcs_net_addr_unmap), so an IPv6 rule here could
		 * never match. Within ::ffff:0:0/96 it means an IPv4 network:
		 * take that. A shorter prefix spans more than IPv4 addresses,
		 * so no IPv4 network says what was meant: refuse it.
		 */
		if (plen < 96) {
			snprintf(why, whylen,
				 "\"%s\": an IPv4-mapped prefix shorter than /96 is no IPv4 network; write the IPv4 form (%u.%u.%u.%u/LEN)",
				 s, r->lo[3] >> 24, r->lo[3] >> 16 & 0xff,
				 r->lo[3] >> 8 & 0xff, r->lo[3] & 0xff);
			return -1;
		}
		r->v6 = 0;
		r->lo[2] = 0;
		bits = 32;
		plen -= 96;
	}
	memcpy(r->hi, r->lo, sizeof(r->hi));
	for (i = bits == 32 ? 3 : 0; i < 4; i++) {
		/* Host bits: those at or past the prefix, in 128-bit numbering. */
		int first = (bits == 32 ? 96 : 0) + (int)plen, wstart = 32 * i;
		uint32_t host;

		if (first >= wstart + 32)
			continue;
		host = first <= wstart ? 0xffffffffU :
		       0xffffffffU >> (first - wstart);
		if (r->lo[i] & host) {
			snprintf(why, whylen,
				 "\"%s\" has host bits set past the /%ld prefix",
				 s, shown);
			return -1;
		}
		r->hi[i] = r->lo[i] | host;
	}
	r->has_cidr = 1;
	return 0;
}

static int parse_port_value(const json_t *v, const char *where,
			    struct kcs_port_range *pr, struct kcs_err *err)
{
	const char *s;
	char *end;
	long a, b;

	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);

		if (n < 0 || n > 65535)
			return kcs_json_bad(err, "%s: port %lld out of range (0..65535)",
				   where, (long long)n);
		pr->lo = pr->hi = (uint16_t)n;
		return 0;
	}
	if (!json_is_string(v))
		return kcs_json_bad(err, "%s: expected a port (\"80\", \"8000-8100\" or a number), got %s",
			   where, kcs_json_type_name(v));
	s = json_string_value(v);
	if (*s < '0' || *s > '9')
		goto syntax;
	errno = 0;
	a = strtol(s, &end, 10);
	b = a;
	if (*end == '-') {
		if (end[1] < '0' || end[1] > '9')
			goto syntax;
		b = strtol(end + 1, &end, 10);
	}
	if (*end || errno)
		goto syntax;
	if (a > 65535 || b > 65535)
		return kcs_json_bad(err, "%s: port \"%s\" out of range (0..65535)", where, s);
	if (a > b)
		return kcs_json_bad(err, "%s: port range \"%s\" is reversed", where, s);
	pr->lo = (uint16_t)a;
	pr->hi = (uint16_t)b;
	return 0;
syntax:
	return kcs_json_bad(err, "%s: \"%s\" is not a port or port range (\"80\", \"8000-8100\")",
		   where, s);
}

/* "ports": absent, "" or [] mean every port. */
static int parse_ports(const json_t *v, const char *where,
		       struct kcs_net_rule *r, struct kcs_err *err)
{
	char loc[200];
	size_t i, n;

	if (!v || (json_is_string(v) && !*json_string_value(v)))
		return 0;
	if (!json_is_array(v)) {
		r->ports = calloc(1, sizeof(*r->ports));
		if (!r->ports)
			return kcs_json_bad(err, "%s: out of memory", where);
		r->nports = 1;
		return parse_port_value(v, where, r->ports, err);
	}
	n = json_array_size(v);
	if (!n)
		return 0;
	if (n > 65536)
		return kcs_json_bad(err, "%s: too many port entries", where);
	r->ports = calloc(n, sizeof(*r->ports));
	if (!r->ports)
		return kcs_json_bad(err, "%s: out of memory", where);
	for (i = 0; i < n; i++) {
		snprintf(loc, sizeof(loc), "%s[%zu]", where, i);
		if (parse_port_value(json_array_get(v, i), loc, &r->ports[i], err))
			return -1;
		r->nports++;
	}
	return 0;
}

static int parse_proto(const json_t *v, const char *where, uint32_t *proto,
		       struct kcs_err *err)
{
	const char *s;

	*proto = KCS_NET_PROTO_TCP | KCS_NET_PROTO_UDP;
	if (!v)
		return 0;
	if (!json_is_string(v))
		return kcs_json_bad(err, "%s: expected \"tcp\" or \"udp\", got %s", where,
			   kcs_json_type_name(v));
	s = json_string_value(v);
	if (!strcmp(s, "tcp"))
		*proto = KCS_NET_PROTO_TCP;
	else if (!strcmp(s, "udp"))
		*proto = KCS_NET_PROTO_UDP;
	else
		return kcs_json_bad(err, "%s: unknown protocol \"%s\" (expected \"tcp\" or \"udp\"; absent means both)",
			   where, s);
	return 0;
}

/* A canonical description, also used to find duplicate rules. */
static int describe(struct kcs_net_rule *r, const char *cidr,
		    struct kcs_err *err, const char *where)
{
	size_t cap = 64 + (cidr ? strlen(cidr) : 0) + r->nports * 12, n;
	char *t = malloc(cap);
	size_t i;

	if (!t)
		return kcs_json_bad(err, "%s: out of memory", where);
	n = (size_t)snprintf(t, cap, "%s %s ", cidr ? cidr : "*",
			     r->proto == KCS_NET_PROTO_TCP ? "tcp" :
			     r->proto == KCS_NET_PROTO_UDP ? "udp" : "tcp,udp");
	if (!r->nports)
		n += (size_t)snprintf(t + n, cap - n, "*");
	for (i = 0; i < r->nports; i++) {
		if (r->ports[i].lo == r->ports[i].hi)
			n += (size_t)snprintf(t + n, cap - n, "%s%u", i ? "," : "",
					      r->ports[i].lo);
		else
			n += (size_t)snprintf(t + n, cap - n, "%s%u-%u",
					      i ? "," : "", r->ports[i].lo,
					      r->ports[i].hi);
	}
	r->text = t;
	if (!r->program)
		return 0;
	/* Quoted as scoped patterns are: "TEXT (program PROGRAM)". */
	if (asprintf(&t, "%s (program %s%s)", r->text,
		     r->program_kind == KCS_PATTERN_REGEX ? "regex " : "",
		     r->program) < 0)
		return kcs_json_bad(err, "%s: out of memory", where);
	free(r->text);
	r->text = t;
	return 0;
}

/* A DNS name: labels of 1-63 letters, digits and hyphens (not at either
 * end), 253 characters at most, an optional final dot. */
static int check_fqdn(const char *s, char *why, size_t len)
{
	size_t n = strlen(s), lab = 0, i;

	if (n && s[n - 1] == '.')
		n--;
	if (n == 0 || n > 253) {
		snprintf(why, len, "must be 1 to 253 characters");
		return -1;
	}
	for (i = 0; i <= n; i++) {
		char c = i < n ? s[i] : '.';

		if (c == '.') {
			if (!lab || lab > 63 || s[i - 1] == '-') {
				snprintf(why, len, "bad label at character %zu", i);
				return -1;
			}
			lab = 0;
			continue;
		}
		if (!isalnum((unsigned char)c) && !(c == '-' && lab)) {
			snprintf(why, len, "character %zu ('%c') not allowed", i + 1, c);
			return -1;
		}
		lab++;
	}
	return 0;
}

/* What a set's rules may hold besides ports and protocol. */
enum { RULE_ADDR = 0x1, RULE_PROGRAM = 0x2 };

static int parse_rule(const json_t *v, const char *where, int what,
		      struct kcs_net_rule *r, struct kcs_err *err)
{
	static const char *const keys[] = {
		"cidr", "fqdn", "ports", "protocol", "program", NULL
	};
	const json_t *cidr, *fqdn, *ports, *prog;
	char loc[256], why[256], v4[sizeof("255.255.255.255/32")];
	const char *cs = NULL;
	char *lc;

	if (!json_is_object(v))
		return kcs_json_bad(err, "%s: expected an object, got %s", where, kcs_json_type_name(v));
	if (kcs_json_only_keys(v, where, keys, err))
		return -1;
	prog = json_object_get(v, "program");
	if (prog && !(what & RULE_PROGRAM))
		return kcs_json_bad(err, "%s.program: ingress rules cannot name a program (nftables judges packets, not tasks)",
				    where);
	if (prog) {
		snprintf(loc, sizeof(loc), "%s.program", where);
		if (kcs_json_program(prog, loc, &r->program_kind, &r->program, err))
			return -1;
	}
	if (!(what & RULE_ADDR) &&
	    (json_object_get(v, "cidr") || json_object_get(v, "fqdn")))
		return kcs_json_bad(err, "%s: a listen exclusion names \"ports\" (and \"protocol\", \"program\"), not addresses",
				    where);
	cidr = json_object_get(v, "cidr");
	fqdn = json_object_get(v, "fqdn");
	ports = json_object_get(v, "ports");
	if (fqdn) {
		if (!json_is_string(fqdn))
			return kcs_json_bad(err, "%s.fqdn: expected a string, got %s",
				   where, kcs_json_type_name(fqdn));
		if (!*json_string_value(fqdn))
			return kcs_json_bad(err, "%s.fqdn: empty fqdn", where);
		if (cidr)
			return kcs_json_bad(err, "%s: \"fqdn\" and \"cidr\" exclude each other (one rule each)",
				   where);
		if (check_fqdn(json_string_value(fqdn), why, sizeof(why)))
			return kcs_json_bad(err, "%s.fqdn: invalid name \"%s\": %s", where,
				   json_string_value(fqdn), why);
		r->fqdn = strdup(json_string_value(fqdn));
		if (!r->fqdn)
			return kcs_json_bad(err, "%s: out of memory", where);
		for (lc = r->fqdn; *lc; lc++)
			*lc = (char)tolower((unsigned char)*lc);
		cs = r->fqdn;
	}
	if (!cidr && !ports && !fqdn && !prog)
		return kcs_json_bad(err, "%s: a rule needs \"cidr\", \"fqdn\", \"ports\" or \"program\"",
			   where);
	if (cidr) {
		if (!json_is_string(cidr))
			return kcs_json_bad(err, "%s.cidr: expected a string, got %s",
				   where, kcs_json_type_name(cidr));
		cs = json_string_value(cidr);
		if (kcs_net_parse_cidr(cs, r, why, sizeof(why)))
			return kcs_json_bad(err, "%s.cidr: invalid CIDR: %s", where, why);
		if (!r->v6 && strchr(cs, ':')) {
			/* Translated from ::ffff:...: events quote what matches. */
			snprintf(v4, sizeof(v4), "%u.%u.%u.%u/%d", r->lo[3] >> 24,
				 r->lo[3] >> 16 & 0xff, r->lo[3] >> 8 & 0xff,
				 r->lo[3] & 0xff,
				 32 - __builtin_popcount(r->hi[3] ^ r->lo[3]));
			cs = v4;
		}
	}
	snprintf(loc, sizeof(loc), "%s.ports", where);
	if (parse_ports(ports, loc, r, err))
		return -1;
	snprintf(loc, sizeof(loc), "%s.protocol", where);
	if (parse_proto(json_object_get(v, "protocol"), loc, &r->proto, err))
		return -1;
	return describe(r, cs, err, where);
}

/* By text, then by position, so the first of equal texts comes first. */
static int rule_cmp(const void *a, const void *b)
{
	const struct kcs_net_rule *x = *(const struct kcs_net_rule *const *)a;
	const struct kcs_net_rule *y = *(const struct kcs_net_rule *const *)b;
	int c = strcmp(x->text, y->text);

	return c ? c : (x < y ? -1 : x > y);
}

static int parse_rules(const json_t *arr, const char *where, int what,
		       struct kcs_net_ruleset *set, struct kcs_err *err)
{
	struct kcs_net_rule **sorted;
	char loc[200];
	size_t i, j, k, n;

	set->where = where;
	if (!json_is_array(arr))
		return kcs_json_bad(err, "%s: expected an array, got %s", where, kcs_json_type_name(arr));
	n = json_array_size(arr);
	if (n == 0)
		return kcs_json_bad(err, "%s: must hold at least one rule", where);
	if (n > KCS_NET_MAX_RULES)
		return kcs_json_bad(err, "%s: %zu rules, more than KCS_NET_MAX_RULES (%u)",
			   where, n, (unsigned int)KCS_NET_MAX_RULES);
	set->rules = calloc(n, sizeof(*set->rules));
	if (!set->rules)
		return kcs_json_bad(err, "%s: out of memory", where);
	for (i = 0; i < n; i++) {
		snprintf(loc, sizeof(loc), "%s[%zu]", where, i);
		set->n++;	/* owns what parse_rule allocated, for free */
		if (parse_rule(json_array_get(arr, i), loc, what,
			       &set->rules[i], err))
			return -1;
	}
	/* Duplicates are almost always a mistake: sort by text to find them. */
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return kcs_json_bad(err, "%s: out of memory", where);
	for (i = 0; i < n; i++)
		sorted[i] = &set->rules[i];
	qsort(sorted, n, sizeof(*sorted), rule_cmp);
	for (k = 1; k < n; k++)
		if (!strcmp(sorted[k]->text, sorted[k - 1]->text)) {
			i = (size_t)(sorted[k] - set->rules);
			j = (size_t)(sorted[k - 1] - set->rules);
			free(sorted);
			return kcs_json_bad(err, "%s[%zu]: duplicates %s[%zu] (%s)", where,
				   i > j ? i : j, where, i > j ? j : i,
				   set->rules[i].text);
		}
	free(sorted);
	return 0;
}

/* An exclusion that is literally one of the rules cancels it: refuse. */
static int check_conflicts(const struct kcs_net_dir *d, struct kcs_err *err)
{
	size_t i, j;

	for (i = 0; i < d->except.n && d->except.n * d->rules.n <= (1U << 22); i++)
		for (j = 0; j < d->rules.n; j++)
			if (!strcmp(d->except.rules[i].text, d->rules.rules[j].text))
				return kcs_json_bad(err, "%s[%zu]: conflicts with %s[%zu]: excludes exactly what the rule blocks (%s)",
					   d->except.where, i, d->rules.where, j,
					   d->rules.rules[j].text);
	return 0;
}

static int parse_dir(const json_t *v, const char *where, struct kcs_net_dir *d,
		     const char *w_rules, const char *w_except,
		     const char *w_allow, int what, struct kcs_err *err)
{
	static const char *const keys[] = {
		"mode", "rules", "exclusions", "allow", NULL
	};
	const json_t *mode, *x;
	const char *m;

	if (!json_is_object(v))
		return kcs_json_bad(err, "%s: expected an object, got %s", where, kcs_json_type_name(v));
	if (kcs_json_only_keys(v, where, keys, err))
		return -1;
	mode = json_object_get(v, "mode");
	if (!mode)
		return kcs_json_bad(err, "%s: missing key \"mode\" (\"block\" or \"allow\")",
			   where);
	if (!json_is_string(mode))
		return kcs_json_bad(err, "%s.mode: expected a string, got %s", where,
			   kcs_json_type_name(mode));
	m = json_string_value(mode);
	if (!strcmp(m, "block")) {
		d->kind = KCS_NET_BLOCK;
		if (json_object_get(v, "allow"))
			return kcs_json_bad(err, "%s.allow: not allowed with mode \"block\" (use \"rules\")",
				   where);
		x = json_object_get(v, "rules");
		if (!x)
			return kcs_json_bad(err, "%s: missing key \"rules\" (required with mode \"block\")",
				   where);
		if (parse_rules(x, w_rules, what, &d->rules, err))
			return -1;
		x = json_object_get(v, "exclusions");
		if (x && parse_rules(x, w_except, what, &d->except, err))
			return -1;
		return check_conflicts(d, err);
	}
	if (!strcmp(m, "allow")) {
		d->kind = KCS_NET_ALLOW;
		if (json_object_get(v, "rules"))
			return kcs_json_bad(err, "%s.rules: not allowed with mode \"allow\" (use \"allow\")",
				   where);
		if (json_object_get(v, "exclusions"))
			return kcs_json_bad(err, "%s.exclusions: not allowed with mode \"allow\"",
				   where);
		x = json_object_get(v, "allow");
		if (!x)
			return kcs_json_bad(err, "%s: missing key \"allow\" (required with mode \"allow\")",
				   where);
		return parse_rules(x, w_allow, what, &d->rules, err);
	}
	return kcs_json_bad(err, "%s.mode: unknown mode \"%s\" (expected \"block\" or \"allow\")",
		   where, m);
}

static int parse_listen(const json_t *v, struct kcs_net_spec *spec,
			struct kcs_err *err)
{
	static const char *const keys[] = {
		"mode", "ports", "protocol", "monitor", "exclusions", NULL
	};
	const char *where = "network.listen";
	const json_t *mode, *mon, *x;
	struct kcs_net_rule *r;

	if (!json_is_object(v))
		return kcs_json_bad(err, "%s: expected an object, got %s", where, kcs_json_type_name(v));
	if (kcs_json_only_keys(v, where, keys, err))
		return -1;
	mon = json_object_get(v, "monitor");
	if (mon) {
		if (!json_is_boolean(mon))
			return kcs_json_bad(err, "%s.monitor: expected a boolean, got %s",
				   where, kcs_json_type_name(mon));
		if (json_is_true(mon))
			spec->flags |= KCS_NET_F_MONITOR_LISTEN;
	}
	mode = json_object_get(v, "mode");
	if (!mode) {
		if (json_object_get(v, "ports") || json_object_get(v, "protocol") ||
		    json_object_get(v, "exclusions"))
			return kcs_json_bad(err, "%s: \"ports\"/\"protocol\"/\"exclusions\" need \"mode\": \"block\"",
				   where);
		if (!mon)
			return kcs_json_bad(err, "%s: needs \"mode\" or \"monitor\"", where);
		return 0;
	}
	if (!json_is_string(mode) || strcmp(json_string_value(mode), "block"))
		return kcs_json_bad(err, "%s.mode: expected \"block\"", where);
	r = calloc(1, sizeof(*r));
	if (!r)
		return kcs_json_bad(err, "%s: out of memory", where);
	spec->listen.rules = r;
	spec->listen.n = 1;
	spec->listen.where = where;
	if (parse_ports(json_object_get(v, "ports"), "network.listen.ports", r,
			err) ||
	    parse_proto(json_object_get(v, "protocol"),
			"network.listen.protocol", &r->proto, err) ||
	    describe(r, NULL, err, where))
		return -1;
	x = json_object_get(v, "exclusions");
	return x ? parse_rules(x, "network.listen.exclusions", RULE_PROGRAM,
			       &spec->listen_except, err) : 0;
}

int kcs_net_parse(const json_t *net, struct kcs_net_spec *spec,
		  struct kcs_err *err)
{
	static const char *const keys[] = { "egress", "ingress", "listen", NULL };
	const json_t *v;

	memset(spec, 0, sizeof(*spec));
	spec->present = 1;
	if (!json_is_object(net))
		return kcs_json_bad(err, "network: expected an object, got %s", kcs_json_type_name(net));
	if (kcs_json_only_keys(net, "network", keys, err))
		return -1;
	v = json_object_get(net, "egress");
	if (v && parse_dir(v, "network.egress", &spec->egress,
			   "network.egress.rules", "network.egress.exclusions",
			   "network.egress.allow", RULE_ADDR | RULE_PROGRAM, err))
		return -1;
	v = json_object_get(net, "ingress");
	if (v && parse_dir(v, "network.ingress", &spec->ingress,
			   "network.ingress.rules", "network.ingress.exclusions",
			   "network.ingress.allow", RULE_ADDR, err))
		return -1;
	v = json_object_get(net, "listen");
	if (v && parse_listen(v, spec, err))
		return -1;
	return 0;
}

static void free_set(struct kcs_net_ruleset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->rules[i].text);
		free(s->rules[i].ports);
		free(s->rules[i].fqdn);
		free(s->rules[i].addrs);
		free((char *)s->rules[i].program);
	}
	free(s->rules);
	s->rules = NULL;
	s->n = 0;
}

void kcs_net_spec_free(struct kcs_net_spec *spec)
{
	free_set(&spec->egress.rules);
	free_set(&spec->egress.except);
	free_set(&spec->ingress.rules);
	free_set(&spec->ingress.except);
	free_set(&spec->listen);
	free_set(&spec->listen_except);
}
