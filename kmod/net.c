// SPDX-License-Identifier: GPL-2.0
/*
 * The socket decisions, made in the calling task's own context from the
 * security_socket_* functions (see hook.c): egress on connect() and on
 * sendto()/sendmsg() with a destination, listener rules on bind() and
 * listen(), and SCTP's connectx()/bindx(). Every socket given an IPv4 or
 * IPv6 address is judged, whatever its family or protocol (see
 * kcs_sock_kind()); see docs/network.md for what that leaves out.
 *
 * The address parsing follows what the protocols themselves accept, or a
 * rule could be sidestepped by an address form the check did not expect:
 * an IPv4 UDP socket sends to an AF_UNSPEC address as if it were AF_INET,
 * an IPv4 socket binds to AF_UNSPEC + INADDR_ANY, an IPv6 socket takes
 * AF_INET addresses and IPv4-mapped IPv6 ones.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <linux/sctp.h>
#include <linux/preempt.h>
#include "kcs.h"

/* The protocol columns of a rule set a socket is judged by. */
#define KCS_NET_PROTO_NOPORTS	(KCS_NET_PROTO_TCP | KCS_NET_PROTO_UDP)

struct kcs_sk {
	u32 proto;		/* KCS_NET_PROTO_TCP, _UDP or _NOPORTS */
	u32 ipproto;		/* the real protocol, for events */
	u16 family;		/* the socket's */
	bool dest_ignored;	/* stream: sendmsg()'s address means nothing */
};

struct kcs_ep {			/* an endpoint, as the rules see it */
	struct kcs_net_addr a;
	u32 family;		/* AF_INET or AF_INET6, for events */
	u8 raw[16];
	u16 port;
};

/*
 * Every socket is judged by the address it is given, whatever its family
 * or protocol: an AF_INET/AF_INET6 address reaches an IP host whether the
 * socket is TCP, MPTCP, SCTP, DCCP, UDP, UDP-Lite, an ICMP "ping" or raw
 * socket, or of another family that carries IP addresses (AF_SMC, which
 * falls back to TCP, AF_RDS, ...). Rules name two protocols: "tcp" covers
 * the connection-oriented ones (stream, seqpacket, DCCP), "udp" datagrams;
 * sockets without ports (raw, ICMP) are judged at port 0 by both columns.
 */
static void kcs_sock_kind(struct socket *sock, struct kcs_sk *k)
{
	struct sock *sk = sock->sk;

	k->family = sk->sk_family;
	k->ipproto = sk->sk_protocol;
	k->dest_ignored = false;
	switch (sock->type) {
	case SOCK_STREAM:
	case SOCK_SEQPACKET:
	case SOCK_DCCP:
		k->proto = KCS_NET_PROTO_TCP;
		break;
	case SOCK_DGRAM:
	case SOCK_RDM:
		k->proto = KCS_NET_PROTO_UDP;
		break;
	default:
		k->proto = KCS_NET_PROTO_NOPORTS;
		break;
	}
	if (k->family == AF_INET || k->family == AF_INET6) {
		if (sock->type == SOCK_DGRAM && (k->ipproto == IPPROTO_ICMP ||
						 k->ipproto == IPPROTO_ICMPV6))
			k->proto = KCS_NET_PROTO_NOPORTS;
		if (sock->type == SOCK_STREAM && (k->ipproto == IPPROTO_TCP ||
						  k->ipproto == IPPROTO_MPTCP))
			k->dest_ignored = true;
	} else if (k->family == AF_SMC) {
		k->ipproto = IPPROTO_TCP;
		k->dest_ignored = true;
	}
}

static void kcs_ep_v4(struct kcs_ep *ep, __be32 addr, __be16 port)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = AF_INET;
	ep->a.w[3] = ntohl(addr);
	memcpy(ep->raw, &addr, 4);
	ep->port = ntohs(port);
}

static void kcs_ep_v6(struct kcs_ep *ep, const struct in6_addr *addr,
		      __be16 port)
{
	int i;

	memset(ep, 0, sizeof(*ep));
	ep->family = AF_INET6;
	ep->a.v6 = true;
	for (i = 0; i < 4; i++)
		ep->a.w[i] = ntohl(addr->s6_addr32[i]);
	memcpy(ep->raw, addr, 16);
	ep->port = ntohs(port);
	/* ::ffff:a.b.c.d reaches a.b.c.d: judge it as that. */
	kcs_net_addr_unmap(&ep->a);
	if (!ep->a.v6) {
		ep->family = AF_INET;
		memcpy(ep->raw, &addr->s6_addr32[3], 4);
	}
}

/*
 * The endpoint in @sa as the socket will use it. @unspec_is_inet: an
 * AF_UNSPEC address on an IPv4 socket counts as AF_INET (udp_sendmsg and
 * inet_bind accept it so). False when there is no endpoint to judge.
 */
static bool kcs_parse_sa(const struct kcs_sk *k, const struct sockaddr *sa,
			 int len, bool unspec_is_inet, struct kcs_ep *ep)
{
	if (!sa || len < (int)offsetofend(struct sockaddr, sa_family))
		return false;
	if (sa->sa_family == AF_INET ||
	    (sa->sa_family == AF_UNSPEC && unspec_is_inet &&
	     k->family == AF_INET)) {
		const struct sockaddr_in *sin = (const void *)sa;

		if (len < (int)sizeof(*sin))
			return false;	/* the protocol refuses it: EINVAL */
		kcs_ep_v4(ep, sin->sin_addr.s_addr, sin->sin_port);
		return true;
	}
	if (sa->sa_family == AF_INET6 && k->family != AF_INET) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		if (len < SIN6_LEN_RFC2133)
			return false;	/* EINVAL */
		kcs_ep_v6(ep, &sin6->sin6_addr, sin6->sin6_port);
		return true;
	}
	return false;
}

/* An unspecified destination (0.0.0.0, ::) is this host: loopback. */
static void kcs_ep_unspec_to_loopback(struct kcs_ep *ep)
{
	struct kcs_net_addr *a = &ep->a;

	if (a->w[0] | a->w[1] | a->w[2] | a->w[3])
		return;
	a->w[3] = a->v6 ? 1 : INADDR_LOOPBACK;
	if (a->v6) {
		ep->raw[15] = 1;
	} else {
		__be32 lo = htonl(INADDR_LOOPBACK);

		memcpy(ep->raw, &lo, 4);
	}
}

/*
 * One profile's denial (or "monitor" report): an event, and -EPERM under
 * Enforce, KCS_AUDITED under Audit, 0 for a report (see struct kcs_tally).
 */
static int kcs_net_verdict(struct kcs_bound *b, u32 hook,
			   const struct kcs_sk *k, const struct kcs_ep *ep,
			   u32 rule_kind, const char *rule)
{
	struct kcs_net_event ev = {
		.bound = b,
		.hook = hook,
		.rule_kind = rule_kind,
		.rule = rule,
		.family = ep->family,
		.proto = k->ipproto,
		.port = ep->port,
	};
	int ret = 0;

	memcpy(ev.addr, ep->raw, sizeof(ev.addr));
	if (rule_kind == KCS_RULE_MONITOR) {
		ev.verdict = KCS_VERDICT_ALLOW;
		kcs_stat_inc(KCS_STAT_NET_LISTEN_REPORTED);
	} else {
		ret = kcs_denial(b->mode, -EPERM, &ev.verdict);
	}
	if (kcs_event_wanted())
		kcs_event_net(&ev);
	return ret;
}

/*
 * What a profile acts on. kcs_net_hooks() derives the socket hooks a bound
 * profile needs from the same tests the decisions below make, so a hook is
 * never missing where a decision could deny or report.
 */
static bool kcs_egress_applies(const struct kcs_profile *p)
{
	return p->net_kind != KCS_NET_NONE;
}

static bool kcs_listener_applies(const struct kcs_profile *p)
{
	return p->listen.blob || (p->net_flags & KCS_NET_F_MONITOR_LISTEN);
}

/*
 * Egress is judged at connect() and at sendmsg() (datagrams, and TCP Fast
 * Open, which connects there); listener rules and "monitor" at bind() and
 * listen().
 */
u32 kcs_net_hooks(const struct kcs_profile *p)
{
	u32 need = 0;

	if (kcs_egress_applies(p))
		need |= BIT(KCS_HOOK_CONNECT) | BIT(KCS_HOOK_SENDMSG) |
			BIT(KCS_HOOK_SCTP);
	if (kcs_listener_applies(p))
		need |= BIT(KCS_HOOK_BIND) | BIT(KCS_HOOK_LISTEN) |
			BIT(KCS_HOOK_SCTP);
	return need;
}

/*
 * The rule of @m that covers @ep for @proto, or KCS_NET_NO_RULE. A socket
 * without ports is covered by a rule of either column, or with @both only
 * by one that covers both (a rule naming no protocol): that is what an
 * exclusion or an allow entry must be to let it through.
 */
static u32 kcs_cover_m(const struct kcs_netm *m, const struct kcs_ep *ep,
		       u32 proto, bool both)
{
	u32 t, u;

	if (proto != KCS_NET_PROTO_NOPORTS)
		return kcs_netm_lookup(m, &ep->a, ep->port, proto);
	t = kcs_netm_lookup(m, &ep->a, 0, KCS_NET_PROTO_TCP);
	u = kcs_netm_lookup(m, &ep->a, 0, KCS_NET_PROTO_UDP);
	if (both)
		return t != KCS_NET_NO_RULE && u != KCS_NET_NO_RULE ? t :
		       KCS_NET_NO_RULE;
	return t != KCS_NET_NO_RULE ? t : u;
}

/* The acting task's program, formed once, when a scoped group asks. */
struct kcs_net_prog {
	u64 bound_cgid;
	const char *name;
	bool done;
};

/*
 * Whether group @g of @set applies to the task: its program is formed in
 * this CPU's buffer (the caller has preemption off; see kcs_net_judge()).
 */
static bool kcs_group_applies(const struct kcs_net_grp *g, u32 set,
			      struct kcs_net_prog *np)
{
	if (g->set != set)
		return false;
	if (g->scoped && !np->done) {
		np->name = kcs_program_name_cpu(np->bound_cgid);
		np->done = true;
	}
	return kcs_ngroup_applies(g, np->name);
}

/*
 * The rule covering @ep in set @set of @p: the set's own rules (@ns, may
 * be empty) first, then those of the groups of @set that apply to the
 * task's program. *@text: the covering rule's text, or NULL.
 */
static u32 kcs_cover_set(const struct kcs_profile *p,
			 const struct kcs_nset *ns, u32 set,
			 struct kcs_net_prog *np, const struct kcs_ep *ep,
			 u32 proto, bool both, const char **text)
{
	const struct kcs_net_grp *g;
	u32 hit = KCS_NET_NO_RULE, i;

	if (ns->blob)
		hit = kcs_cover_m(&ns->m, ep, proto, both);
	if (hit != KCS_NET_NO_RULE) {
		*text = kcs_nset_text(ns, hit);
		return hit;
	}
	for (i = 0; i < p->ngroups.n; i++) {
		g = &p->ngroups.g[i];
		if (!kcs_group_applies(g, set, np))
			continue;
		hit = kcs_cover_m(&g->m, ep, proto, both);
		if (hit != KCS_NET_NO_RULE) {
			*text = g->text + g->text_off[hit];
			return hit;
		}
	}
	*text = NULL;
	return KCS_NET_NO_RULE;
}

/* One profile's egress verdict: 0, or kcs_net_verdict()'s answer. */
static int kcs_egress_one(struct kcs_bound *b, struct kcs_sk *k,
			  struct kcs_ep *ep, u32 hook, struct kcs_net_prog *np)
{
	const struct kcs_profile *p = b->profile;
	const char *rule = NULL, *x;
	u32 kind;
	bool deny;

	if (p->net_kind == KCS_NET_ALLOW) {
		deny = kcs_cover_set(p, &p->egress, KCS_NETG_EGRESS, np, ep,
				     k->proto, true, &x) == KCS_NET_NO_RULE;
		kind = KCS_RULE_NOT_ALLOWED;
	} else {
		deny = kcs_cover_set(p, &p->egress, KCS_NETG_EGRESS, np, ep,
				     k->proto, false, &rule) != KCS_NET_NO_RULE &&
		       kcs_cover_set(p, &p->egress_except,
				     KCS_NETG_EGRESS_EXCEPT, np, ep, k->proto,
				     true, &x) == KCS_NET_NO_RULE;
		kind = KCS_RULE_BLOCK;
	}
	return deny ? kcs_net_verdict(b, hook, k, ep, kind, rule) : 0;
}

/* Every profile of the binding judges, as for exec (see exec.c). */
static int kcs_egress(struct kcs_sk *k, struct kcs_ep *ep, u32 hook)
{
	struct kcs_net_prog np = { };
	struct kcs_tally t = { };
	bool checked = false;
	struct kcs_bound b;
	unsigned int i;

	if (!kcs_binding_get_current(&b))
		return 0;
	np.bound_cgid = b.bound_cgroup_id;
	/* The program's name is formed in this CPU's buffer. */
	preempt_disable();
	for (i = 0; i < b.n; i++) {
		kcs_bound_select(&b, i);
		if (!kcs_egress_applies(b.profile))
			continue;
		if (!checked) {
			kcs_stat_inc(KCS_STAT_NET_CHECKED);
			kcs_ep_unspec_to_loopback(ep);
			checked = true;
		}
		kcs_tally_add(&t, kcs_egress_one(&b, k, ep, hook, &np));
	}
	preempt_enable();
	kcs_bound_put(&b);
	return kcs_tally_end(&t, KCS_STAT_NET_DENIED, KCS_STAT_NET_AUDITED);
}

/* Sockets without ports are judged at port 0 (raw: the field is not one). */
static bool kcs_parse_dest(struct kcs_sk *k, const struct sockaddr *sa,
			   int len, bool unspec_is_inet, struct kcs_ep *ep)
{
	if (!kcs_parse_sa(k, sa, len, unspec_is_inet, ep))
		return false;
	if (k->proto == KCS_NET_PROTO_NOPORTS)
		ep->port = 0;
	return true;
}

int kcs_net_connect(struct socket *sock, struct sockaddr *sa, int len)
{
	struct kcs_sk k;
	struct kcs_ep ep;

	if (!sock->sk)
		return 0;
	kcs_sock_kind(sock, &k);
	/* AF_UNSPEC on connect() dissolves an association: nothing to judge. */
	if (!kcs_parse_dest(&k, sa, len, false, &ep))
		return 0;
	return kcs_egress(&k, &ep, KCS_HOOK_CONNECT);
}

int kcs_net_sendmsg(struct socket *sock, struct msghdr *msg)
{
	struct kcs_sk k;
	struct kcs_ep ep;

	/* Without a destination the socket's peer was judged at connect(). */
	if (!msg->msg_name || !sock->sk)
		return 0;
	kcs_sock_kind(sock, &k);
	/*
	 * A TCP (MPTCP, SMC) stream ignores the address, except with TCP
	 * Fast Open, where sendto() is the connect. Everything else that is
	 * given an address may reach it (SCTP opens an association).
	 */
	if (k.dest_ignored && !(msg->msg_flags & MSG_FASTOPEN))
		return 0;
	if (!kcs_parse_dest(&k, msg->msg_name, msg->msg_namelen, true, &ep))
		return 0;
	return kcs_egress(&k, &ep, k.proto == KCS_NET_PROTO_UDP ?
			  KCS_HOOK_SENDMSG : KCS_HOOK_CONNECT);
}

/* Listener rules and the "monitor" report, for bind() and listen(). */
static int kcs_listener(struct kcs_sk *k, struct kcs_ep *ep, u32 hook,
			bool report)
{
	static const struct kcs_nset kcs_nset_none;
	struct kcs_net_prog np = { };
	const struct kcs_profile *p;
	const char *x;
	struct kcs_tally t = { };
	bool checked = false;
	struct kcs_bound b;
	const char *rule;
	unsigned int i;
	u32 hit;

	if (!kcs_binding_get_current(&b))
		return 0;
	np.bound_cgid = b.bound_cgroup_id;
	preempt_disable();	/* as in kcs_egress() */
	/* Every profile of the binding judges, as for exec (see exec.c). */
	for (i = 0; i < b.n; i++) {
		kcs_bound_select(&b, i);
		p = b.profile;
		if (!kcs_listener_applies(p))
			continue;
		if (!checked)
			kcs_stat_inc(KCS_STAT_NET_CHECKED);
		checked = true;
		hit = kcs_nset_lookup(&p->listen, &ep->a, ep->port, k->proto);
		/* A listen exclusion (for the task's program) lifts it. */
		if (hit != KCS_NET_NO_RULE &&
		    kcs_cover_set(p, &kcs_nset_none, KCS_NETG_LISTEN_EXCEPT,
				  &np, ep, k->proto, true, &x) !=
		    KCS_NET_NO_RULE)
			hit = KCS_NET_NO_RULE;
		if (hit != KCS_NET_NO_RULE) {
			rule = kcs_nset_text(&p->listen, hit);
			kcs_tally_add(&t, kcs_net_verdict(&b, hook, k, ep,
							  KCS_RULE_BLOCK, rule));
		} else if (report && (p->net_flags & KCS_NET_F_MONITOR_LISTEN)) {
			kcs_net_verdict(&b, hook, k, ep, KCS_RULE_MONITOR, NULL);
		}
	}
	preempt_enable();
	kcs_bound_put(&b);
	return kcs_tally_end(&t, KCS_STAT_NET_DENIED, KCS_STAT_NET_AUDITED);
}

int kcs_net_bind(struct socket *sock, struct sockaddr *sa, int len)
{
	struct kcs_sk k;
	struct kcs_ep ep;

	if (!sock->sk)
		return 0;
	kcs_sock_kind(sock, &k);
	/* Listener rules are ports: a socket without them offers no service. */
	if (k.proto == KCS_NET_PROTO_NOPORTS ||
	    !kcs_parse_sa(&k, sa, len, true, &ep))
		return 0;
	if (!ep.port)
		return 0;	/* an ephemeral port: not a service */
	/* A UDP server is a bound datagram socket; TCP's is its listen(). */
	return kcs_listener(&k, &ep, KCS_HOOK_BIND,
			    k.proto == KCS_NET_PROTO_UDP);
}

int kcs_net_listen(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct kcs_sk k;
	struct kcs_ep ep;

	if (!sk)
		return 0;
	kcs_sock_kind(sock, &k);
	/*
	 * The local address of an IP socket (TCP, SCTP, DCCP). Other families
	 * keep it elsewhere; their bind() was judged (AF_SMC's with it).
	 */
	if (k.proto != KCS_NET_PROTO_TCP ||
	    (k.family != AF_INET && k.family != AF_INET6))
		return 0;
	/* Port 0 here: listen() will pick one; a rule on every port covers it. */
	if (k.family == AF_INET6)
		kcs_ep_v6(&ep, &sk->sk_v6_rcv_saddr, inet_sk(sk)->inet_sport);
	else
		kcs_ep_v4(&ep, inet_sk(sk)->inet_rcv_saddr,
			  inet_sk(sk)->inet_sport);
	return kcs_listener(&k, &ep, KCS_HOOK_LISTEN, true);
}

/**
 * kcs_net_sctp() - SCTP's own address entry points
 * @sk: the SCTP socket
 * @optname: what the addresses are for (see security_sctp_bind_connect())
 * @addrs: packed sockaddr_in/sockaddr_in6, as SCTP checked them
 * @len: their total length
 *
 * sctp_connectx() and a sendmsg() that opens an association to the
 * addresses of SCTP_DSTADDRV4/V6 control messages reach peers without
 * connect(); sctp_bindx() adds local addresses without bind(). Each
 * address is judged like the one of a connect() or bind().
 *
 * Return: 0, or -EPERM for the first address denied under Enforce.
 */
int kcs_net_sctp(struct sock *sk, int optname, struct sockaddr *addrs,
		 int len)
{
	struct kcs_sk k = {
		.proto = KCS_NET_PROTO_TCP,
		.ipproto = IPPROTO_SCTP,
		.family = sk->sk_family,
	};
	bool egress;
	int off, sz, ret = 0;
	struct kcs_ep ep;

	switch (optname) {
	case SCTP_SOCKOPT_CONNECTX:
	case SCTP_SENDMSG_CONNECT:
		egress = true;
		break;
	case SCTP_SOCKOPT_BINDX_ADD:
		egress = false;
		break;
	default:
		return 0;	/* addresses already in the association */
	}
	for (off = 0; !ret && off + (int)sizeof(sa_family_t) <= len; off += sz) {
		struct sockaddr *sa = (void *)((char *)addrs + off);

		sz = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
		     sizeof(struct sockaddr_in);
		if (!kcs_parse_sa(&k, sa, len - off, false, &ep))
			break;	/* SCTP refused what it did not know */
		if (egress)
			ret = kcs_egress(&k, &ep, KCS_HOOK_CONNECT);
		else if (ep.port)
			ret = kcs_listener(&k, &ep, KCS_HOOK_BIND, false);
	}
	return ret;
}
