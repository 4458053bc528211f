// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/errno.h>

#include "profile_build.h"

/*
 * The compiler's messages may already end in " at byte N"; we print the
 * position in a fixed place, so drop that tail rather than say it twice.
 */
void kcs_compile_strip_pos(char *msg, size_t pos)
{
	char tail[48];
	size_t n = strlen(msg), t;

	t = (size_t)snprintf(tail, sizeof(tail), " at byte %zu", pos);
	if (n >= t && !strcmp(msg + n - t, tail))
		msg[n - t] = '\0';
}

static int compile_set(const struct kcs_pattern_set *set,
		       struct kcs_compiled_set *out, struct kcs_err *err)
{
	struct kcs_compile_limits limits = { .max_states = KCS_DFA_MAX_STATES };
	struct kcs_compile_error cerr = { .index = -1 };
	const struct kcs_dfa_hdr *hdr;
	const struct kcs_pattern *pat;
	size_t i;

	if (kcs_compile(set->pats, set->n, &limits, &out->dfa, &out->text,
			&cerr)) {
		if (cerr.index < 0 || (size_t)cerr.index >= set->n)
			return kcs_err_set(err, KCS_EXIT_INVALID, "%s: %s",
					   set->where, cerr.msg);
		kcs_compile_strip_pos(cerr.msg, cerr.pos);
		pat = &set->pats[cerr.index];
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "%s[%ld]%s: %s error at byte %zu: %s",
				   set->where, cerr.index,
				   cerr.in_program ? ".program" : "",
				   (cerr.in_program ? pat->program_kind :
				    pat->kind) == KCS_PATTERN_REGEX ?
				   "regex" : "mask", cerr.pos, cerr.msg);
	}
	/* The module refuses larger blobs; say which limit, not just EINVAL. */
	if (out->dfa.len > KCS_DFA_MAX_BYTES)
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "%s: compiled DFA is %zu bytes, more than KCS_DFA_MAX_BYTES (%u)",
				   set->where, out->dfa.len, KCS_DFA_MAX_BYTES);
	if (out->text.len > KCS_TEXT_MAX_BYTES)
		return kcs_err_set(err, KCS_EXIT_INVALID,
				   "%s: pattern texts take %zu bytes, more than KCS_TEXT_MAX_BYTES (%u)",
				   set->where, out->text.len, KCS_TEXT_MAX_BYTES);
	if (out->dfa.len < sizeof(*hdr))
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "%s: compiler returned a truncated DFA (%zu bytes)",
				   set->where, out->dfa.len);
	hdr = out->dfa.data;
	out->npatterns = hdr->naccept;
	out->nstates = hdr->nstates;
	for (i = 0; i < set->n; i++)
		out->nscoped += !!set->pats[i].program;
	return 0;
}

static int compile_net(const struct kcs_net_spec *net,
		       struct kcs_compiled_profile *out, struct kcs_err *err)
{
	static const struct kcs_fqdn_timing timing = KCS_FQDN_TIMING_DEFAULT;
	struct kcs_net_ruleset base;
	uint32_t ngroups = 0;
	int ret;

	out->egress_kind = net->egress.kind;
	out->net_flags = net->flags;
	out->egress_nrules = (uint32_t)net->egress.rules.n;
	/* Rules for a program go to groups of their own (net_groups.c). */
	if (net->egress.kind != KCS_NET_NONE) {
		if (kcs_net_unscoped(&net->egress.rules, &base, err))
			return -1;
		ret = kcs_net_compile(&base, &out->egress[0],
				      &out->egress_text[0], err);
		free(base.rules);
		if (ret || kcs_net_groups_add(&net->egress.rules, KCS_NETG_EGRESS,
					      0, &out->net_groups, &ngroups, err))
			return -1;
	}
	if (net->egress.except.n) {
		if (kcs_net_unscoped(&net->egress.except, &base, err))
			return -1;
		ret = base.n ? kcs_net_compile(&base, &out->egress[1],
					       &out->egress_text[1], err) : 0;
		free(base.rules);
		if (ret || kcs_net_groups_add(&net->egress.except,
					      KCS_NETG_EGRESS_EXCEPT, 0,
					      &out->net_groups, &ngroups, err))
			return -1;
	}
	if (net->listen.n &&
	    kcs_net_compile(&net->listen, &out->listen, &out->listen_text, err))
		return -1;
	if (net->listen_except.n &&
	    kcs_net_groups_add(&net->listen_except, KCS_NETG_LISTEN_EXCEPT, 1,
			       &out->net_groups, &ngroups, err))
		return -1;
	if (kcs_net_groups_finish(&out->net_groups, ngroups, err))
		return -1;
	/* Ingress rules go to nftables (kcsadm bind --netns). */
	return kcs_ingress_build(&net->ingress, &timing, kcs_now_ms(),
				 &out->ingress, err);
}

int kcs_profile_compile(const struct kcs_profile_spec *spec,
			struct kcs_compiled_profile *out, struct kcs_err *err)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->name, spec->name, sizeof(out->name));
	out->kind = spec->kind;
	out->file_default = spec->file_default;
	if (compile_net(&spec->net, out, err))
		goto fail;
	for (int i = 0; i < KCS_FILE_SETS; i++)
		if (spec->files[i].n &&
		    compile_set(&spec->files[i], &out->files[i], err))
			goto fail;
	if (spec->sys.present && kcs_sys_compile(&spec->sys, &out->sys, err))
		goto fail;
	if (spec->kind == KCS_EXEC_NONE)
		return 0;
	if (compile_set(&spec->rules, &out->rules, err) ||
	    (spec->except.n && compile_set(&spec->except, &out->except, err)) ||
	    (spec->libs.n && compile_set(&spec->libs, &out->libs, err)))
		goto fail;
	return 0;
fail:
	kcs_compiled_free(out);
	return -1;
}

static void free_cset(struct kcs_compiled_set *s)
{
	kcs_blob_free(&s->dfa);
	kcs_blob_free(&s->text);
}

void kcs_compiled_free(struct kcs_compiled_profile *cp)
{
	int i;

	free_cset(&cp->rules);
	free_cset(&cp->except);
	free_cset(&cp->libs);
	for (i = 0; i < KCS_FILE_SETS; i++)
		free_cset(&cp->files[i]);
	kcs_blob_free(&cp->net_groups);
	for (i = 0; i < 2; i++) {
		kcs_blob_free(&cp->egress[i]);
		kcs_blob_free(&cp->egress_text[i]);
	}
	kcs_blob_free(&cp->listen);
	kcs_blob_free(&cp->listen_text);
	kcs_ingress_free(&cp->ingress);
	kcs_sys_compiled_free(&cp->sys);
}

size_t kcs_chunked_size(size_t len)
{
	size_t n = len ? (len + KCS_CHUNK_MAX - 1) / KCS_CHUNK_MAX : 1;

	/* Every chunk but the last is full; nla_total_size pads each. */
	return (n - 1) * nla_total_size(KCS_CHUNK_MAX) +
	       nla_total_size(len - (n - 1) * KCS_CHUNK_MAX);
}

int kcs_put_chunked(struct nl_msg *msg, int type, const void *data, size_t len)
{
	const char *p = data;
	size_t off = 0;

	do {
		size_t n = len - off < KCS_CHUNK_MAX ? len - off : KCS_CHUNK_MAX;
		int ret = nla_put(msg, type, (int)n, p + off);

		if (ret < 0)
			return ret;
		off += n;
	} while (off < len);
	return 0;
}

size_t kcs_profile_attrs_size(const struct kcs_compiled_profile *cp)
{
	size_t sz = nla_total_size(KCS_NAME_MAX) +
		    4 * nla_total_size(sizeof(uint32_t));
	int i;

	for (i = 0; i < 2; i++)
		if (cp->egress[i].len)
			sz += kcs_chunked_size(cp->egress[i].len) +
			      kcs_chunked_size(cp->egress_text[i].len);
	if (cp->listen.len)
		sz += kcs_chunked_size(cp->listen.len) +
		      kcs_chunked_size(cp->listen_text.len);
	if (cp->net_groups.len)
		sz += kcs_chunked_size(cp->net_groups.len);
	for (i = 0; i < KCS_FILE_SETS; i++)
		if (cp->files[i].dfa.len)
			sz += kcs_chunked_size(cp->files[i].dfa.len) +
			      kcs_chunked_size(cp->files[i].text.len);
	if (cp->sys.rules.len)
		sz += kcs_chunked_size(cp->sys.rules.len) +
		      kcs_chunked_size(cp->sys.text.len) +
		      kcs_chunked_size(cp->sys.programs.len);
	if (cp->kind == KCS_EXEC_NONE)
		return sz;
	sz += kcs_chunked_size(cp->rules.dfa.len) +
	      kcs_chunked_size(cp->rules.text.len);
	if (cp->except.dfa.len)
		sz += kcs_chunked_size(cp->except.dfa.len) +
		      kcs_chunked_size(cp->except.text.len);
	if (cp->libs.dfa.len)
		sz += kcs_chunked_size(cp->libs.dfa.len) +
		      kcs_chunked_size(cp->libs.text.len);
	return sz;
}

static int put_pair(struct nl_msg *msg, int type, int text_type,
		    const struct kcs_blob *b, const struct kcs_blob *t)
{
	return kcs_put_chunked(msg, type, b->data, b->len) ?:
	       kcs_put_chunked(msg, text_type, t->data, t->len);
}

int kcs_profile_put_attrs(struct nl_msg *msg,
			  const struct kcs_compiled_profile *cp,
			  struct kcs_err *err)
{
	int ret;

	ret = nla_put_string(msg, KCS_A_PROFILE_NAME, cp->name);
	if (!ret)
		ret = nla_put_u32(msg, KCS_A_EXEC_KIND, cp->kind);
	if (!ret && cp->kind != KCS_EXEC_NONE) {
		ret = kcs_put_chunked(msg, KCS_A_EXEC_RULES_DFA,
				      cp->rules.dfa.data, cp->rules.dfa.len);
		if (!ret)
			ret = kcs_put_chunked(msg, KCS_A_EXEC_RULES_TEXT,
					      cp->rules.text.data,
					      cp->rules.text.len);
	}
	if (!ret && cp->kind == KCS_EXEC_BLOCK && cp->except.dfa.len)
		ret = put_pair(msg, KCS_A_EXEC_EXCEPT_DFA, KCS_A_EXEC_EXCEPT_TEXT,
			       &cp->except.dfa, &cp->except.text);
	if (!ret && cp->kind == KCS_EXEC_ALLOW && cp->libs.dfa.len)
		ret = put_pair(msg, KCS_A_EXEC_LIBS_DFA, KCS_A_EXEC_LIBS_TEXT,
			       &cp->libs.dfa, &cp->libs.text);
	if (!ret && cp->egress_kind != KCS_NET_NONE)
		ret = nla_put_u32(msg, KCS_A_NET_EGRESS_KIND, cp->egress_kind);
	if (!ret && cp->egress[0].len)
		ret = put_pair(msg, KCS_A_NET_EGRESS_RULES,
			       KCS_A_NET_EGRESS_RULES_TEXT, &cp->egress[0],
			       &cp->egress_text[0]);
	if (!ret && cp->egress[1].len)
		ret = put_pair(msg, KCS_A_NET_EGRESS_EXCEPT,
			       KCS_A_NET_EGRESS_EXCEPT_TEXT, &cp->egress[1],
			       &cp->egress_text[1]);
	if (!ret && cp->listen.len)
		ret = put_pair(msg, KCS_A_NET_LISTEN_RULES,
			       KCS_A_NET_LISTEN_RULES_TEXT, &cp->listen,
			       &cp->listen_text);
	if (!ret && cp->net_flags)
		ret = nla_put_u32(msg, KCS_A_NET_FLAGS, cp->net_flags);
	if (!ret && cp->net_groups.len)
		ret = kcs_put_chunked(msg, KCS_A_NET_GROUPS, cp->net_groups.data,
				      cp->net_groups.len);
	for (int i = 0; !ret && i < KCS_FILE_SETS; i++) {
		static const int types[KCS_FILE_SETS][2] = {
			{ KCS_A_FILE_READ_DFA, KCS_A_FILE_READ_TEXT },
			{ KCS_A_FILE_WRITE_DFA, KCS_A_FILE_WRITE_TEXT },
			{ KCS_A_FILE_MONITOR_DFA, KCS_A_FILE_MONITOR_TEXT },
			{ KCS_A_FILE_READ_ALLOW_DFA,
			  KCS_A_FILE_READ_ALLOW_TEXT },
			{ KCS_A_FILE_WRITE_ALLOW_DFA,
			  KCS_A_FILE_WRITE_ALLOW_TEXT },
		};

		if (cp->files[i].dfa.len)
			ret = put_pair(msg, types[i][0], types[i][1],
				       &cp->files[i].dfa, &cp->files[i].text);
	}
	if (!ret && cp->file_default != KCS_SYS_ALLOW)
		ret = nla_put_u32(msg, KCS_A_FILE_DEFAULT, cp->file_default);
	if (!ret && cp->sys.rules.len)
		ret = put_pair(msg, KCS_A_SYS_RULES, KCS_A_SYS_RULES_TEXT,
			       &cp->sys.rules, &cp->sys.text);
	if (!ret && cp->sys.programs.len)
		ret = kcs_put_chunked(msg, KCS_A_SYS_PROGRAMS,
				      cp->sys.programs.data, cp->sys.programs.len);
	if (ret < 0)
		return kcs_err_set(err, KCS_EXIT_FAILED,
				   "building the request for profile \"%s\": %s",
				   cp->name, nl_geterror(ret));
	return 0;
}
