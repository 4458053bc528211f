// SPDX-License-Identifier: GPL-2.0
/*
 * Profiles: named slots whose current profile is replaced atomically.
 *
 * A slot is what bindings point at; its profile pointer is swapped under
 * RCU, so a hook evaluates either the old profile or the new one. A hook
 * that needs to sleep while evaluating (reading argv) holds a reference.
 * Everything a profile holds comes from userspace and is verified here,
 * once, before it becomes reachable.
 */
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include "kcs.h"

struct kcs_slot {
	struct list_head node;
	struct kcs_profile __rcu *cur;
	u32 nbindings;
	struct rcu_head rcu;
	char name[KCS_NAME_MAX];
};

/* Serialises every change to profiles and bindings; hooks never take it. */
DEFINE_MUTEX(kcs_config_lock);
static LIST_HEAD(kcs_slots);
static unsigned int kcs_nslots;
static size_t kcs_profiles_mem;

static unsigned int max_profile_mem_mb = 256;
module_param(max_profile_mem_mb, uint, 0644);
MODULE_PARM_DESC(max_profile_mem_mb,
		 "Kernel memory all profiles together may use, in MiB");

static void kcs_pset_free(struct kcs_pset *ps)
{
	kvfree(ps->blob);
	kvfree(ps->text);
	kvfree(ps->text_off);
}

static void kcs_nset_free(struct kcs_nset *ns)
{
	kvfree(ns->blob);
	kvfree(ns->text);
	kvfree(ns->text_off);
}

static void kcs_sysset_free(struct kcs_sysset *s)
{
	kvfree(s->blob);
	kvfree(s->progs_blob);
	kvfree(s->text);
	kvfree(s->text_off);
	kvfree(s->progs);
	kvfree(s->info);
}

static void kcs_ngroups_free(struct kcs_ngroups *ng)
{
	u32 i;

	for (i = 0; ng->g && i < ng->n; i++)
		kvfree(ng->g[i].text_off);
	kvfree(ng->g);
	kvfree(ng->blob);
}

static void kcs_profile_free_sets(struct kcs_profile *p)
{
	kcs_pset_free(&p->rules);
	kcs_pset_free(&p->except);
	kcs_pset_free(&p->libs);
	kcs_nset_free(&p->egress);
	kcs_nset_free(&p->egress_except);
	kcs_nset_free(&p->listen);
	kcs_ngroups_free(&p->ngroups);
	kcs_pset_free(&p->file_read);
	kcs_pset_free(&p->file_write);
	kcs_pset_free(&p->file_monitor);
	kcs_pset_free(&p->file_read_ok);
	kcs_pset_free(&p->file_write_ok);
	kcs_sysset_free(&p->sys);
}

static void kcs_profile_free_rcu(struct rcu_head *rcu)
{
	struct kcs_profile *p = container_of(rcu, struct kcs_profile, rcu);

	/* vfree() from softirq defers itself: safe here. */
	kcs_profile_free_sets(p);
	kfree(p);
}

static void kcs_profile_release(struct kref *ref)
{
	struct kcs_profile *p = container_of(ref, struct kcs_profile, ref);

	/* Hooks may still be reading it under RCU without a reference. */
	call_rcu(&p->rcu, kcs_profile_free_rcu);
}

void kcs_profile_put(struct kcs_profile *p)
{
	kref_put(&p->ref, kcs_profile_release);
}

/*
 * Under RCU: a reference to the slot's current profile. A replace
 * publishes the new profile before it drops the old one, so a reader that
 * finds the old one dying looks again and gets the new one: a bound task
 * is never judged by no profile, not even for an instant. NULL only for a
 * slot being destroyed, which no binding leads to.
 */
struct kcs_profile *kcs_slot_get_profile(struct kcs_slot *slot)
{
	struct kcs_profile *p;

	for (;;) {
		p = rcu_dereference(slot->cur);
		if (!p || kref_get_unless_zero(&p->ref))
			return p;
		/* Pairs with the release in kref_put() after the assign. */
		smp_rmb();
	}
}

struct kcs_profile *kcs_slot_profile_locked(struct kcs_slot *slot)
{
	return rcu_dereference_protected(slot->cur,
					 lockdep_is_held(&kcs_config_lock));
}

struct kcs_slot *kcs_slot_find(const char *name)
{
	struct kcs_slot *slot;

	lockdep_assert_held(&kcs_config_lock);
	list_for_each_entry(slot, &kcs_slots, node)
		if (!strcmp(slot->name, name))
			return slot;
	return NULL;
}

void kcs_slot_bind_count(struct kcs_slot *slot, int delta)
{
	lockdep_assert_held(&kcs_config_lock);
	slot->nbindings += delta;
}

u32 kcs_slot_bind_total(struct kcs_slot *slot)
{
	return slot->nbindings;
}

const char *kcs_slot_name(struct kcs_slot *slot)
{
	return slot->name;
}

struct kcs_slot *kcs_slot_at(unsigned long idx)
{
	struct kcs_slot *slot;

	lockdep_assert_held(&kcs_config_lock);
	list_for_each_entry(slot, &kcs_slots, node)
		if (idx-- == 0)
			return slot;
	return NULL;
}

/* The on-demand hooks a profile's decisions need. */
static u32 kcs_profile_hooks(const struct kcs_profile *p)
{
	return kcs_net_hooks(p) | kcs_mmap_hooks(p) | kcs_file_hooks(p) |
	       kcs_sys_hooks(p);
}

u32 kcs_slot_hooks(struct kcs_slot *slot)
{
	return kcs_profile_hooks(kcs_slot_profile_locked(slot));
}

/*
 * The socket hooks the bound profiles need: a hook serves every binding, so
 * it may go only when no bound slot's profile needs it. At most
 * KCS_MAX_PROFILES slots, and only configuration changes ask.
 */
u32 kcs_bound_hooks(void)
{
	struct kcs_slot *slot;
	u32 need = 0;

	lockdep_assert_held(&kcs_config_lock);
	list_for_each_entry(slot, &kcs_slots, node)
		if (slot->nbindings)
			need |= kcs_slot_hooks(slot);
	return need | kcs_binding_hooks();
}

/* Call @fn for each bound profile (the system call hooks they name). */
void kcs_bound_profiles_each(void (*fn)(const struct kcs_profile *p,
					void *arg), void *arg)
{
	struct kcs_slot *slot;

	lockdep_assert_held(&kcs_config_lock);
	list_for_each_entry(slot, &kcs_slots, node)
		if (slot->nbindings)
			fn(kcs_slot_profile_locked(slot), arg);
}

unsigned int kcs_profile_count(void)
{
	return READ_ONCE(kcs_nslots);
}

/*
 * Gather every attribute of @type in the request, in order, into one
 * kvmalloc'ed buffer (see "Large blobs" in uapi/linux/kcs.h). Returns NULL
 * with *@len 0 when there is none, an ERR_PTR on error.
 */
static void *kcs_gather(struct genl_info *info, int type, size_t max,
			size_t *len)
{
	const struct nlattr *nla;
	size_t total = 0, off = 0;
	void *buf;
	int rem;

	nla_for_each_attr(nla, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem)
		if (nla_type(nla) == type)
			total += nla_len(nla);
	*len = total;
	if (!total)
		return NULL;
	if (total > max) {
		kcs_extack_set(info->extack, "blob larger than the ABI limit");
		return ERR_PTR(-E2BIG);
	}
	buf = kvmalloc(total, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	nla_for_each_attr(nla, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(nla) != type)
			continue;
		memcpy(buf + off, nla_data(nla), nla_len(nla));
		off += nla_len(nla);
	}
	return buf;
}

static int kcs_pset_load(struct genl_info *info, int dfa_type, int text_type,
			 struct kcs_pset *ps, size_t *mem)
{
	const char *why = NULL;
	size_t len, tlen, off;
	u32 i;
	int err;

	ps->blob = kcs_gather(info, dfa_type, KCS_DFA_MAX_BYTES, &len);
	if (IS_ERR(ps->blob)) {
		err = PTR_ERR(ps->blob);
		ps->blob = NULL;
		return err;
	}
	if (!ps->blob) {
		kcs_extack_set(info->extack, "pattern set has no DFA");
		return -EINVAL;
	}
	*mem += len;
	err = kcs_dfa_verify(ps->blob, len, &ps->dfa, &why);
	if (err) {
		kcs_extack_set(info->extack, why);
		return err;
	}
	ps->text = kcs_gather(info, text_type, KCS_TEXT_MAX_BYTES, &tlen);
	if (IS_ERR(ps->text)) {
		err = PTR_ERR(ps->text);
		ps->text = NULL;
		return err;
	}
	*mem += tlen;
	if (kcs_text_verify(ps->text, tlen, ps->dfa.naccept)) {
		kcs_extack_set(info->extack,
			       "pattern texts do not match the DFA's pattern count (or one is over KCS_TEXT_ENTRY_MAX)");
		return -EINVAL;
	}
	if (!ps->dfa.naccept)
		return 0;
	ps->text_off = kvmalloc_array(ps->dfa.naccept, sizeof(u32),
				      GFP_KERNEL_ACCOUNT);
	if (!ps->text_off)
		return -ENOMEM;
	*mem += ps->dfa.naccept * sizeof(u32);
	for (i = 0, off = 0; i < ps->dfa.naccept; i++) {
		ps->text_off[i] = off;
		off += strlen(ps->text + off) + 1;
	}
	return 0;
}

/* Offsets of the @count NUL-terminated strings of a verified text blob. */
static u32 *kcs_text_index(const char *text, u32 count, size_t *mem)
{
	size_t off;
	u32 i, *idx;

	if (!count)
		return NULL;
	idx = kvmalloc_array(count, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!idx)
		return ERR_PTR(-ENOMEM);
	*mem += count * sizeof(u32);
	for (i = 0, off = 0; i < count; i++) {
		idx[i] = off;
		off += strlen(text + off) + 1;
	}
	return idx;
}

static int kcs_nset_load(struct genl_info *info, int type, int text_type,
			 struct kcs_nset *ns, size_t *mem)
{
	const char *why = NULL;
	size_t len, tlen;
	u32 *idx;
	int err;

	ns->blob = kcs_gather(info, type, KCS_DFA_MAX_BYTES, &len);
	if (IS_ERR(ns->blob)) {
		err = PTR_ERR(ns->blob);
		ns->blob = NULL;
		return err;
	}
	if (!ns->blob) {
		kcs_extack_set(info->extack, "network rule set missing");
		return -EINVAL;
	}
	*mem += len;
	err = kcs_netm_verify(ns->blob, len, &ns->m, &why);
	if (err) {
		kcs_extack_set(info->extack, why);
		return err;
	}
	ns->text = kcs_gather(info, text_type, KCS_TEXT_MAX_BYTES, &tlen);
	if (IS_ERR(ns->text)) {
		err = PTR_ERR(ns->text);
		ns->text = NULL;
		return err;
	}
	*mem += tlen;
	if (kcs_text_verify(ns->text, tlen, ns->m.nrules)) {
		kcs_extack_set(info->extack,
			       "rule texts do not match the network rule count (or one is over KCS_TEXT_ENTRY_MAX)");
		return -EINVAL;
	}
	idx = kcs_text_index(ns->text, ns->m.nrules, mem);
	if (IS_ERR(idx))
		return PTR_ERR(idx);
	ns->text_off = idx;
	return 0;
}

static bool kcs_attr_present(struct genl_info *info, int type)
{
	return !!info->attrs[type];
}

static int kcs_profile_build_net(struct genl_info *info, struct kcs_profile *p)
{
	struct nlattr *kind = info->attrs[KCS_A_NET_EGRESS_KIND];
	struct nlattr *flags = info->attrs[KCS_A_NET_FLAGS];
	int err = 0;

	p->net_kind = kind ? nla_get_u32(kind) : KCS_NET_NONE;
	p->net_flags = flags ? nla_get_u32(flags) : 0;
	switch (p->net_kind) {
	case KCS_NET_NONE:
		if (kcs_attr_present(info, KCS_A_NET_EGRESS_RULES) ||
		    kcs_attr_present(info, KCS_A_NET_EGRESS_EXCEPT)) {
			kcs_extack_set(info->extack,
				       "egress kind NONE takes no rule sets");
			return -EINVAL;
		}
		break;
	case KCS_NET_ALLOW:
		if (kcs_attr_present(info, KCS_A_NET_EGRESS_EXCEPT)) {
			kcs_extack_set(info->extack,
				       "egress kind ALLOW takes no exclusions");
			return -EINVAL;
		}
		err = kcs_nset_load(info, KCS_A_NET_EGRESS_RULES,
				    KCS_A_NET_EGRESS_RULES_TEXT, &p->egress,
				    &p->mem);
		break;
	case KCS_NET_BLOCK:
		err = kcs_nset_load(info, KCS_A_NET_EGRESS_RULES,
				    KCS_A_NET_EGRESS_RULES_TEXT, &p->egress,
				    &p->mem);
		if (!err && kcs_attr_present(info, KCS_A_NET_EGRESS_EXCEPT))
			err = kcs_nset_load(info, KCS_A_NET_EGRESS_EXCEPT,
					    KCS_A_NET_EGRESS_EXCEPT_TEXT,
					    &p->egress_except, &p->mem);
		break;
	default:
		return -EINVAL;	/* the policy already bounds it */
	}
	if (!err && kcs_attr_present(info, KCS_A_NET_LISTEN_RULES))
		err = kcs_nset_load(info, KCS_A_NET_LISTEN_RULES,
				    KCS_A_NET_LISTEN_RULES_TEXT, &p->listen,
				    &p->mem);
	return err;
}

/*
 * The network rule groups: verified whole (netgroup.c), each group's set
 * one the profile has (egress rules, block-mode exclusions, listen rules
 * for listen exclusions), each text indexed.
 */
static int kcs_profile_build_ngroups(struct genl_info *info,
				     struct kcs_profile *p)
{
	struct kcs_ngroups *ng = &p->ngroups;
	const char *why = NULL;
	size_t len;
	void *blob;
	u32 i, *idx;
	int err;

	if (!kcs_attr_present(info, KCS_A_NET_GROUPS))
		return 0;
	blob = kcs_gather(info, KCS_A_NET_GROUPS, KCS_DFA_MAX_BYTES, &len);
	if (IS_ERR_OR_NULL(blob))
		return blob ? PTR_ERR(blob) : -EINVAL;
	ng->blob = blob;
	p->mem += len;
	ng->g = kvcalloc(KCS_NETG_MAX, sizeof(*ng->g), GFP_KERNEL_ACCOUNT);
	if (!ng->g)
		return -ENOMEM;
	p->mem += KCS_NETG_MAX * sizeof(*ng->g);
	err = kcs_ngroups_verify(blob, len, ng->g, &ng->n, &why);
	if (err) {
		kcs_extack_set(info->extack, why);
		return err;
	}
	for (i = 0; i < ng->n; i++) {
		u32 set = ng->g[i].set;

		if ((set == KCS_NETG_EGRESS && p->net_kind == KCS_NET_NONE) ||
		    (set == KCS_NETG_EGRESS_EXCEPT &&
		     p->net_kind != KCS_NET_BLOCK) ||
		    (set == KCS_NETG_LISTEN_EXCEPT && !p->listen.blob)) {
			kcs_extack_set(info->extack,
				       "a network rule group adds to a set the profile does not have");
			return -EINVAL;
		}
		idx = kcs_text_index(ng->g[i].text, ng->g[i].m.nrules, &p->mem);
		if (IS_ERR(idx))
			return PTR_ERR(idx);
		ng->g[i].text_off = idx;
	}
	return 0;
}

/* The file pattern sets: each optional, each verified like exec's. */
static int kcs_profile_build_files(struct genl_info *info,
				   struct kcs_profile *p)
{
	static const struct {
		int dfa, text;
		size_t off;
	} sets[] = {
		{ KCS_A_FILE_READ_DFA, KCS_A_FILE_READ_TEXT,
		  offsetof(struct kcs_profile, file_read) },
		{ KCS_A_FILE_WRITE_DFA, KCS_A_FILE_WRITE_TEXT,
		  offsetof(struct kcs_profile, file_write) },
		{ KCS_A_FILE_MONITOR_DFA, KCS_A_FILE_MONITOR_TEXT,
		  offsetof(struct kcs_profile, file_monitor) },
		{ KCS_A_FILE_READ_ALLOW_DFA, KCS_A_FILE_READ_ALLOW_TEXT,
		  offsetof(struct kcs_profile, file_read_ok) },
		{ KCS_A_FILE_WRITE_ALLOW_DFA, KCS_A_FILE_WRITE_ALLOW_TEXT,
		  offsetof(struct kcs_profile, file_write_ok) },
	};
	int i, err;

	p->file_dflt = KCS_SYS_ALLOW;
	if (kcs_attr_present(info, KCS_A_FILE_DEFAULT))
		p->file_dflt = nla_get_u32(info->attrs[KCS_A_FILE_DEFAULT]);
	/* An allow list means nothing when what it leaves out is allowed. */
	if (p->file_dflt == KCS_SYS_ALLOW &&
	    (kcs_attr_present(info, KCS_A_FILE_READ_ALLOW_DFA) ||
	     kcs_attr_present(info, KCS_A_FILE_WRITE_ALLOW_DFA))) {
		kcs_extack_set(info->extack,
			       "file allow lists need a default other than allow");
		return -EINVAL;
	}
	/*
	 * Without the path hooks a rename or a link would give a protected
	 * file an unprotected name: deny lists cannot be kept, only reports.
	 */
	if (!IS_ENABLED(CONFIG_SECURITY_PATH) &&
	    (kcs_attr_present(info, KCS_A_FILE_READ_DFA) ||
	     kcs_attr_present(info, KCS_A_FILE_WRITE_DFA) ||
	     p->file_dflt == KCS_SYS_DENY)) {
		kcs_extack_set(info->extack,
			       "this kernel has no path hooks (CONFIG_SECURITY_PATH): file deny rules cannot be enforced");
		return -EOPNOTSUPP;
	}
	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		if (!kcs_attr_present(info, sets[i].dfa)) {
			if (!kcs_attr_present(info, sets[i].text))
				continue;
			kcs_extack_set(info->extack,
				       "file pattern texts without their DFA");
			return -EINVAL;
		}
		err = kcs_pset_load(info, sets[i].dfa, sets[i].text,
				    (void *)p + sets[i].off, &p->mem);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Each named call's entry point and parameter types (sys_meta.c), and
 * every condition checked against them: an argument the call does not
 * have, or whose width is unknown, refuses the profile.
 */
static int kcs_sysset_resolve(struct genl_info *info, struct kcs_sysset *s,
			      size_t *mem)
{
	const char *why = NULL;
	u32 i, r, k;
	int err;

	s->info = kvcalloc(s->hdr->nnames, sizeof(*s->info), GFP_KERNEL_ACCOUNT);
	if (!s->info)
		return -ENOMEM;
	*mem += s->hdr->nnames * sizeof(*s->info);
	for (i = 0; i < s->hdr->nnames; i++) {
		const struct kcs_sys_name *n = &s->names[i];
		struct kcs_sys_call_info *ci = &s->info[i];

		err = kcs_sys_meta(n->name, n->nr, ci, &why);
		if (err) {
			kcs_extack_set(info->extack, why);
			return err;
		}
		/* Not implemented here: nothing will call it, nothing to check. */
		if (!ci->entry[0])
			continue;
		for (r = n->first; r < n->first + n->count; r++) {
			const struct kcs_sys_rule *rule = &s->rules[r];

			ci->scoped |= rule->program != KCS_SYS_NO_PROGRAM;
			for (k = 0; k < rule->nargs; k++) {
				u32 a = rule->args[k].index;

				if (a >= ci->nargs || !ci->width[a]) {
					kcs_extack_set(info->extack,
						       "a condition names an argument the system call does not have, or whose type kcs cannot size");
					return -EINVAL;
				}
			}
		}
	}
	return 0;
}

/* The application rules: optional; verified, then resolved. */
static int kcs_profile_build_sys(struct genl_info *info, struct kcs_profile *p)
{
	struct kcs_sysset *s = &p->sys;
	const char *why = NULL;
	size_t len, plen, tlen;
	u32 *idx;
	int err;

	if (!kcs_attr_present(info, KCS_A_SYS_RULES)) {
		if (kcs_attr_present(info, KCS_A_SYS_RULES_TEXT) ||
		    kcs_attr_present(info, KCS_A_SYS_PROGRAMS)) {
			kcs_extack_set(info->extack,
				       "application rule texts or programs without rules");
			return -EINVAL;
		}
		return 0;
	}
	s->blob = kcs_gather(info, KCS_A_SYS_RULES, KCS_DFA_MAX_BYTES, &len);
	if (IS_ERR(s->blob)) {
		err = PTR_ERR(s->blob);
		s->blob = NULL;
		return err;
	}
	s->progs_blob = kcs_gather(info, KCS_A_SYS_PROGRAMS, KCS_DFA_MAX_BYTES,
				   &plen);
	if (IS_ERR(s->progs_blob)) {
		err = PTR_ERR(s->progs_blob);
		s->progs_blob = NULL;
		return err;
	}
	p->mem += len + plen;
	err = kcs_sysset_verify(s, len, plen, &why);
	if (err) {
		kcs_extack_set(info->extack, why);
		return err;
	}
	s->text = kcs_gather(info, KCS_A_SYS_RULES_TEXT, KCS_TEXT_MAX_BYTES,
			     &tlen);
	if (IS_ERR(s->text)) {
		err = PTR_ERR(s->text);
		s->text = NULL;
		return err;
	}
	p->mem += tlen;
	if (kcs_text_verify(s->text, tlen, s->hdr->nrules)) {
		kcs_extack_set(info->extack,
			       "rule texts do not match the application rule count (or one is over KCS_TEXT_ENTRY_MAX)");
		return -EINVAL;
	}
	idx = kcs_text_index(s->text, s->hdr->nrules, &p->mem);
	if (IS_ERR(idx))
		return PTR_ERR(idx);
	s->text_off = idx;
	return kcs_sysset_resolve(info, s, &p->mem);
}

static struct kcs_profile *kcs_profile_build(struct genl_info *info)
{
	struct kcs_profile *p;
	int err = 0;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return ERR_PTR(-ENOMEM);
	kref_init(&p->ref);
	p->mem = sizeof(*p);
	nla_strscpy(p->name, info->attrs[KCS_A_PROFILE_NAME], KCS_NAME_MAX);
	p->exec_kind = nla_get_u32(info->attrs[KCS_A_EXEC_KIND]);

	switch (p->exec_kind) {
	case KCS_EXEC_NONE:
		if (kcs_attr_present(info, KCS_A_EXEC_RULES_DFA) ||
		    kcs_attr_present(info, KCS_A_EXEC_EXCEPT_DFA) ||
		    kcs_attr_present(info, KCS_A_EXEC_LIBS_DFA)) {
			kcs_extack_set(info->extack,
				       "exec kind NONE takes no pattern sets");
			err = -EINVAL;
		}
		break;
	case KCS_EXEC_ALLOW:
		if (kcs_attr_present(info, KCS_A_EXEC_EXCEPT_DFA)) {
			kcs_extack_set(info->extack,
				       "exec kind ALLOW takes no exclusions");
			err = -EINVAL;
			break;
		}
		err = kcs_pset_load(info, KCS_A_EXEC_RULES_DFA,
				    KCS_A_EXEC_RULES_TEXT, &p->rules, &p->mem);
		if (!err && kcs_attr_present(info, KCS_A_EXEC_LIBS_DFA))
			err = kcs_pset_load(info, KCS_A_EXEC_LIBS_DFA,
					    KCS_A_EXEC_LIBS_TEXT, &p->libs,
					    &p->mem);
		/* Mappings are judged for no program (mmap.c). */
		if (!err && kcs_pset_scoped(&p->libs)) {
			kcs_extack_set(info->extack,
				       "exec libraries take no program-scoped patterns");
			err = -EINVAL;
		}
		break;
	case KCS_EXEC_BLOCK:
		if (kcs_attr_present(info, KCS_A_EXEC_LIBS_DFA)) {
			kcs_extack_set(info->extack,
				       "exec kind BLOCK takes no libraries");
			err = -EINVAL;
			break;
		}
		err = kcs_pset_load(info, KCS_A_EXEC_RULES_DFA,
				    KCS_A_EXEC_RULES_TEXT, &p->rules, &p->mem);
		if (!err && kcs_attr_present(info, KCS_A_EXEC_EXCEPT_DFA))
			err = kcs_pset_load(info, KCS_A_EXEC_EXCEPT_DFA,
					    KCS_A_EXEC_EXCEPT_TEXT,
					    &p->except, &p->mem);
		break;
	default:
		err = -EINVAL;	/* the policy already bounds it */
	}
	if (!err)
		err = kcs_profile_build_net(info, p);
	if (!err)
		err = kcs_profile_build_ngroups(info, p);
	if (!err)
		err = kcs_profile_build_files(info, p);
	if (!err)
		err = kcs_profile_build_sys(info, p);
	if (err) {
		kcs_profile_free_sets(p);
		kfree(p);
		return ERR_PTR(err);
	}
	return p;
}

int kcs_profile_set(struct genl_info *info)
{
	struct kcs_profile *p, *old;
	struct kcs_slot *slot;
	size_t limit = (size_t)max_profile_mem_mb << 20;
	size_t old_mem;
	int err;

	/* Build and verify outside the lock: it may take a while. */
	p = kcs_profile_build(info);
	if (IS_ERR(p))
		return PTR_ERR(p);

	mutex_lock(&kcs_config_lock);
	slot = kcs_slot_find(p->name);
	old = slot ? rcu_dereference_protected(slot->cur,
			lockdep_is_held(&kcs_config_lock)) : NULL;
	old_mem = old ? old->mem : 0;
	if (kcs_profiles_mem - old_mem + p->mem > limit) {
		kcs_extack_set(info->extack,
			       "profiles would exceed max_profile_mem_mb");
		goto err_nospc;
	}
	if (!slot) {
		if (kcs_nslots >= KCS_MAX_PROFILES) {
			kcs_extack_set(info->extack,
				       "too many profiles (KCS_MAX_PROFILES)");
			goto err_nospc;
		}
		slot = kzalloc(sizeof(*slot), GFP_KERNEL);
		if (!slot) {
			err = -ENOMEM;
			goto err_unlock;
		}
		strscpy(slot->name, p->name, KCS_NAME_MAX);
		list_add_tail_rcu(&slot->node, &kcs_slots);
		kcs_nslots++;
	}
	/* Bound tasks get @p at once: its hooks must be there first. */
	if (slot->nbindings) {
		err = kcs_hooks_add(kcs_profile_hooks(p), info->extack) ?:
		      kcs_sys_hooks_add(p, info->extack);
		if (err) {
			kcs_hooks_trim(kcs_bound_hooks());
			goto err_unlock;
		}
	}
	p->generation = old ? old->generation + 1 : 1;
	kcs_profiles_mem += p->mem - old_mem;
	rcu_assign_pointer(slot->cur, p);
	/* No binding leads to @old now: drop the hooks only it needed. */
	kcs_hooks_trim(kcs_bound_hooks());
	mutex_unlock(&kcs_config_lock);
	if (old) {
		kcs_stat_inc(KCS_STAT_PROFILE_REPLACES);
		kcs_profile_put(old);
	}
	return 0;

err_nospc:
	err = -ENOSPC;
err_unlock:
	mutex_unlock(&kcs_config_lock);
	kcs_profile_put(p);
	return err;
}

static void kcs_slot_destroy(struct kcs_slot *slot)
{
	struct kcs_profile *p;

	p = rcu_dereference_protected(slot->cur,
				      lockdep_is_held(&kcs_config_lock));
	list_del_rcu(&slot->node);
	kcs_nslots--;
	kcs_profiles_mem -= p->mem;
	RCU_INIT_POINTER(slot->cur, NULL);
	kcs_profile_put(p);
	kfree_rcu(slot, rcu);
}

int kcs_profile_del(const char *name, struct netlink_ext_ack *extack)
{
	struct kcs_slot *slot;

	lockdep_assert_held(&kcs_config_lock);
	slot = kcs_slot_find(name);
	if (!slot) {
		kcs_extack_set(extack, "no profile with this name");
		return -ENOENT;
	}
	if (slot->nbindings) {
		kcs_extack_set(extack, "profile is bound; unbind it first");
		return -EBUSY;
	}
	/* Unbound, it holds no hook: they went with its last binding. */
	kcs_slot_destroy(slot);
	return 0;
}

void kcs_profiles_free_all(void)
{
	struct kcs_slot *slot, *tmp;

	mutex_lock(&kcs_config_lock);
	list_for_each_entry_safe(slot, tmp, &kcs_slots, node)
		kcs_slot_destroy(slot);
	mutex_unlock(&kcs_config_lock);
}
