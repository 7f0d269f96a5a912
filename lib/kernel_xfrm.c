/* kernel_xfrm: IPsec SAs and policies (NETLINK_XFRM, <linux/xfrm.h>).
 * libnl 3.7's xfrm objects cannot carry XFRMA_IF_ID and misparse EXPIRE,
 * so messages are built and read here directly (API-NOTES.md 2.6-2.8). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/xfrm.h>

#include <openssl/crypto.h>

#include "kernel.h"
#include "log.h"
#include "util.h"

void
ksa_clear(struct ksa *sa)
{
	OPENSSL_cleanse(sa->enc_key, sizeof(sa->enc_key));
	OPENSSL_cleanse(sa->auth_key, sizeof(sa->auth_key));
}

static void
sa_what(char *what, size_t size, const char *verb, int family,
    const unsigned char *daddr, uint32_t spi)
{
	char	 text[INET6_ADDRSTRLEN];

	inet_ntop(family, daddr, text, sizeof(text));
	snprintf(what, size, "%s SA spi 0x%08x to %s", verb, spi, text);
}

static struct nl_msg *
msg_new(int type, int flags, const void *hdr, size_t len)
{
	struct nl_msg	*m;

	if ((m = nlmsg_alloc_simple(type, flags)) == NULL)
		return NULL;
	if (len > 0 && nlmsg_append(m, (void *)hdr, len, NLMSG_ALIGNTO) < 0) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* The algorithm attributes of an SA: AEAD, or cipher and/or auth. */
static int
sa_put_algs(struct nl_msg *m, const struct ksa *sa)
{
	unsigned char	 buf[sizeof(struct xfrm_algo_aead) + KSA_KEY_MAX];
	struct xfrm_algo_aead *ae = (void *)buf;
	struct xfrm_algo *al = (void *)buf;
	struct xfrm_algo_auth *au = (void *)buf;
	int		 rc = 0;

	if (sa->aead) {
		memset(buf, 0, sizeof(buf));
		str_copy(ae->alg_name, sa->enc_alg, sizeof(ae->alg_name));
		ae->alg_key_len = (unsigned)(sa->enc_len * 8);
		ae->alg_icv_len = sa->icv_bits;
		memcpy(ae->alg_key, sa->enc_key, sa->enc_len);
		rc = nla_put(m, XFRMA_ALG_AEAD, (int)(sizeof(*ae) +
		    sa->enc_len), ae);
	} else if (sa->enc_alg[0] != '\0') {
		memset(buf, 0, sizeof(buf));
		str_copy(al->alg_name, sa->enc_alg, sizeof(al->alg_name));
		al->alg_key_len = (unsigned)(sa->enc_len * 8);
		memcpy(al->alg_key, sa->enc_key, sa->enc_len);
		rc = nla_put(m, XFRMA_ALG_CRYPT, (int)(sizeof(*al) +
		    sa->enc_len), al);
	}
	if (rc == 0 && sa->auth_alg[0] != '\0') {
		/* AUTH_TRUNC, or the kernel truncates SHA-2 to 96 bits
		 * instead of RFC 4868's half-length */
		memset(buf, 0, sizeof(buf));
		str_copy(au->alg_name, sa->auth_alg, sizeof(au->alg_name));
		au->alg_key_len = (unsigned)(sa->auth_len * 8);
		au->alg_trunc_len = sa->trunc_bits;
		memcpy(au->alg_key, sa->auth_key, sa->auth_len);
		rc = nla_put(m, XFRMA_ALG_AUTH_TRUNC, (int)(sizeof(*au) +
		    sa->auth_len), au);
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

int
kernel_sa_add(struct kernel *k, const struct ksa *sa, struct kerr *e)
{
	struct xfrm_usersa_info info;
	struct nl_msg	*m;
	char		 what[96];
	size_t		 alen = kernel_addr_len(sa->family);

	memset(&info, 0, sizeof(info));
	memcpy(&info.id.daddr, sa->daddr, alen);
	memcpy(&info.saddr, sa->saddr, alen);
	info.id.spi = htonl(sa->spi);
	info.id.proto = sa->proto;
	info.family = (uint16_t)sa->family;
	info.mode = XFRM_MODE_TUNNEL;
	info.reqid = sa->reqid;
	/* RFC 4303 3.4.3: no anti-replay with manual keys (a peer that
	 * reinstalls its SA starts again from sequence number 1) */
	info.replay_window = 0;
	/* inner traffic of either family through one tunnel-mode SA */
	info.flags = XFRM_STATE_AF_UNSPEC;
	info.lft.soft_byte_limit = info.lft.hard_byte_limit = XFRM_INF;
	info.lft.soft_packet_limit = info.lft.hard_packet_limit = XFRM_INF;
	sa_what(what, sizeof(what), "install", sa->family, sa->daddr, sa->spi);
	m = msg_new(XFRM_MSG_NEWSA, NLM_F_CREATE | NLM_F_EXCL, &info,
	    sizeof(info));
	if (m == NULL || sa_put_algs(m, sa) < 0 ||
	    nla_put_u32(m, XFRMA_IF_ID, sa->if_id) < 0) {
		nlk_msg_free(m);	/* it holds keys */
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	}
	if (k->debug)
		log_info("kernel: %s (%s%s%s, if_id %u)", what, sa->enc_alg,
		    sa->auth_alg[0] != '\0' ? " " : "", sa->auth_alg, sa->if_id);
	return nlk_request(k->xfrm, m, NULL, NULL, e, what);
}

static void
sa_parse_algs(struct ksa *sa, struct nlattr **tb)
{
	if (tb[XFRMA_ALG_AEAD] != NULL && nla_len(tb[XFRMA_ALG_AEAD]) >=
	    (int)sizeof(struct xfrm_algo_aead)) {
		struct xfrm_algo_aead *a = nla_data(tb[XFRMA_ALG_AEAD]);

		sa->aead = 1;
		memcpy(sa->enc_alg, a->alg_name, sizeof(a->alg_name));
		sa->enc_len = a->alg_key_len / 8;
		sa->icv_bits = a->alg_icv_len;
		if (sa->enc_len <= KSA_KEY_MAX && nla_len(tb[XFRMA_ALG_AEAD]) >=
		    (int)(sizeof(*a) + sa->enc_len))
			memcpy(sa->enc_key, a->alg_key, sa->enc_len);
	}
	if (tb[XFRMA_ALG_CRYPT] != NULL && nla_len(tb[XFRMA_ALG_CRYPT]) >=
	    (int)sizeof(struct xfrm_algo)) {
		struct xfrm_algo *a = nla_data(tb[XFRMA_ALG_CRYPT]);

		memcpy(sa->enc_alg, a->alg_name, sizeof(a->alg_name));
		sa->enc_len = a->alg_key_len / 8;
		if (sa->enc_len <= KSA_KEY_MAX && nla_len(tb[XFRMA_ALG_CRYPT]) >=
		    (int)(sizeof(*a) + sa->enc_len))
			memcpy(sa->enc_key, a->alg_key, sa->enc_len);
	}
	if (tb[XFRMA_ALG_AUTH_TRUNC] != NULL &&
	    nla_len(tb[XFRMA_ALG_AUTH_TRUNC]) >=
	    (int)sizeof(struct xfrm_algo_auth)) {
		struct xfrm_algo_auth *a = nla_data(tb[XFRMA_ALG_AUTH_TRUNC]);

		memcpy(sa->auth_alg, a->alg_name, sizeof(a->alg_name));
		sa->auth_len = a->alg_key_len / 8;
		sa->trunc_bits = a->alg_trunc_len;
		if (sa->auth_len <= KSA_KEY_MAX &&
		    nla_len(tb[XFRMA_ALG_AUTH_TRUNC]) >=
		    (int)(sizeof(*a) + sa->auth_len))
			memcpy(sa->auth_key, a->alg_key, sa->auth_len);
	}
	sa->enc_alg[sizeof(sa->enc_alg) - 1] = '\0';
	sa->auth_alg[sizeof(sa->auth_alg) - 1] = '\0';
}

static int
sa_parse(struct nlmsghdr *h, struct ksa *sa)
{
	struct xfrm_usersa_info *info;
	struct nlattr	*tb[XFRMA_MAX + 1];

	if (h->nlmsg_type != XFRM_MSG_NEWSA ||
	    nlmsg_parse(h, sizeof(*info), tb, XFRMA_MAX, NULL) < 0)
		return -1;
	info = nlmsg_data(h);
	memset(sa, 0, sizeof(*sa));
	sa->family = info->family;
	if (sa->family != AF_INET && sa->family != AF_INET6)
		return -1;
	memcpy(sa->daddr, &info->id.daddr, kernel_addr_len(sa->family));
	memcpy(sa->saddr, &info->saddr, kernel_addr_len(sa->family));
	sa->spi = ntohl(info->id.spi);
	sa->proto = info->id.proto;
	sa->reqid = info->reqid;
	if (tb[XFRMA_IF_ID] != NULL)
		sa->if_id = nla_get_u32(tb[XFRMA_IF_ID]);
	sa->bytes = info->curlft.bytes;
	sa->packets = info->curlft.packets;
	sa->add_time = info->curlft.add_time;
	sa->use_time = info->curlft.use_time;
	sa->replay_window = info->stats.replay_window;
	sa->replay = info->stats.replay;
	sa->integrity_failed = info->stats.integrity_failed;
	sa_parse_algs(sa, tb);
	return 0;
}

static int
sa_get_cb(struct nlmsghdr *h, void *arg)
{
	return sa_parse(h, arg);
}

static struct nl_msg *
sa_id_msg(int type, int family, const unsigned char *daddr, uint32_t spi,
    uint8_t proto)
{
	struct xfrm_usersa_id id;

	memset(&id, 0, sizeof(id));
	memcpy(&id.daddr, daddr, kernel_addr_len(family));
	id.spi = htonl(spi);
	id.family = (uint16_t)family;
	id.proto = proto;
	return msg_new(type, 0, &id, sizeof(id));
}

int
kernel_sa_get(struct kernel *k, int family, const unsigned char *daddr,
    uint32_t spi, uint8_t proto, struct ksa *sa, struct kerr *e)
{
	struct nl_msg	*m;
	char		 what[96];

	sa_what(what, sizeof(what), "get", family, daddr, spi);
	if ((m = sa_id_msg(XFRM_MSG_GETSA, family, daddr, spi, proto)) == NULL)
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	if (nlk_request(k->xfrm, m, sa_get_cb, sa, e, what) == -1)
		return e->code == -ESRCH || e->code == -ENOENT ? 0 : -1;
	return 1;
}

int
kernel_sa_del(struct kernel *k, int family, const unsigned char *daddr,
    uint32_t spi, uint8_t proto, struct kerr *e)
{
	struct nl_msg	*m;
	char		 what[96];

	sa_what(what, sizeof(what), "remove", family, daddr, spi);
	if ((m = sa_id_msg(XFRM_MSG_DELSA, family, daddr, spi, proto)) == NULL)
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	if (k->debug)
		log_info("kernel: %s", what);
	return nlk_request(k->xfrm, m, NULL, NULL, e, what);
}

struct sa_walk {
	int	(*cb)(const struct ksa *, void *);
	void	*arg;
};

static int
sa_dump_cb(struct nlmsghdr *h, void *arg)
{
	struct sa_walk	*w = arg;
	struct ksa	 sa;
	int		 rc;

	if (sa_parse(h, &sa) == -1)
		return 0;
	ksa_clear(&sa);
	rc = w->cb(&sa, w->arg);
	return rc;
}

int
kernel_sa_dump(struct kernel *k, int (*cb)(const struct ksa *, void *),
    void *arg, struct kerr *e)
{
	struct sa_walk	 w = { cb, arg };
	struct nl_msg	*m;

	if ((m = msg_new(XFRM_MSG_GETSA, NLM_F_DUMP, NULL, 0)) == NULL)
		return nlk_fail(e, -ENOMEM, "out of memory");
	return nlk_request(k->xfrm, m, sa_dump_cb, &w, e, "list SAs");
}

/* ---- policies ---- */

static void
sp_selector(const struct ksp *sp, struct xfrm_selector *sel)
{
	memset(sel, 0, sizeof(*sel));
	memcpy(&sel->saddr, sp->saddr, kernel_addr_len(sp->family));
	memcpy(&sel->daddr, sp->daddr, kernel_addr_len(sp->family));
	sel->prefixlen_s = (uint8_t)sp->splen;
	sel->prefixlen_d = (uint8_t)sp->dplen;
	sel->family = (uint16_t)sp->family;
}

static void
sp_what(char *what, size_t size, const char *verb, const struct ksp *sp)
{
	static const char *const dirs[] = { "in", "out", "fwd" };
	char	 s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	inet_ntop(sp->family, sp->saddr, s, sizeof(s));
	inet_ntop(sp->family, sp->daddr, d, sizeof(d));
	snprintf(what, size, "%s policy %s/%d -> %s/%d dir %s if_id %u", verb,
	    s, sp->splen, d, sp->dplen, sp->dir >= 0 && sp->dir < 3 ?
	    dirs[sp->dir] : "?", sp->if_id);
}

int
kernel_sp_update(struct kernel *k, const struct ksp *sp, struct kerr *e)
{
	struct xfrm_userpolicy_info info;
	struct xfrm_user_tmpl t;
	struct nl_msg	*m;
	char		 what[160];

	memset(&info, 0, sizeof(info));
	sp_selector(sp, &info.sel);
	info.lft.soft_byte_limit = info.lft.hard_byte_limit = XFRM_INF;
	info.lft.soft_packet_limit = info.lft.hard_packet_limit = XFRM_INF;
	info.priority = sp->priority;
	info.dir = (uint8_t)sp->dir;
	info.action = XFRM_POLICY_ALLOW;
	memset(&t, 0, sizeof(t));
	memcpy(&t.id.daddr, sp->tmpl_daddr, kernel_addr_len(sp->tmpl_family));
	memcpy(&t.saddr, sp->tmpl_saddr, kernel_addr_len(sp->tmpl_family));
	t.id.proto = sp->tmpl_proto;
	t.family = (uint16_t)sp->tmpl_family;
	t.reqid = sp->reqid;
	t.mode = XFRM_MODE_TUNNEL;
	t.aalgos = t.ealgos = t.calgos = ~0u;
	sp_what(what, sizeof(what), "install", sp);
	m = msg_new(XFRM_MSG_UPDPOLICY, NLM_F_CREATE, &info, sizeof(info));
	if (m == NULL || nla_put(m, XFRMA_TMPL, sizeof(t), &t) < 0 ||
	    nla_put_u32(m, XFRMA_IF_ID, sp->if_id) < 0) {
		nlmsg_free(m);
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	}
	if (k->debug)
		log_info("kernel: %s", what);
	return nlk_request(k->xfrm, m, NULL, NULL, e, what);
}

int
kernel_sp_del(struct kernel *k, const struct ksp *sp, struct kerr *e)
{
	struct xfrm_userpolicy_id id;
	struct nl_msg	*m;
	char		 what[160];

	memset(&id, 0, sizeof(id));
	sp_selector(sp, &id.sel);
	id.dir = (uint8_t)sp->dir;
	sp_what(what, sizeof(what), "remove", sp);
	m = msg_new(XFRM_MSG_DELPOLICY, 0, &id, sizeof(id));
	/* if_id is part of the policy's key (API-NOTES.md 2.7) */
	if (m == NULL || nla_put_u32(m, XFRMA_IF_ID, sp->if_id) < 0) {
		nlmsg_free(m);
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	}
	if (k->debug)
		log_info("kernel: %s", what);
	return nlk_request(k->xfrm, m, NULL, NULL, e, what);
}

struct sp_walk {
	int	(*cb)(const struct ksp *, void *);
	void	*arg;
};

static int
sp_dump_cb(struct nlmsghdr *h, void *arg)
{
	struct sp_walk	*w = arg;
	struct xfrm_userpolicy_info *info;
	struct xfrm_user_tmpl *t;
	struct nlattr	*tb[XFRMA_MAX + 1];
	struct ksp	 sp;

	if (h->nlmsg_type != XFRM_MSG_NEWPOLICY ||
	    nlmsg_parse(h, sizeof(*info), tb, XFRMA_MAX, NULL) < 0)
		return 0;
	info = nlmsg_data(h);
	memset(&sp, 0, sizeof(sp));
	sp.family = info->sel.family;
	if (sp.family != AF_INET && sp.family != AF_INET6)
		return 0;
	memcpy(sp.saddr, &info->sel.saddr, kernel_addr_len(sp.family));
	memcpy(sp.daddr, &info->sel.daddr, kernel_addr_len(sp.family));
	sp.splen = info->sel.prefixlen_s;
	sp.dplen = info->sel.prefixlen_d;
	sp.dir = info->dir;
	sp.priority = info->priority;
	if (tb[XFRMA_IF_ID] != NULL)
		sp.if_id = nla_get_u32(tb[XFRMA_IF_ID]);
	if (tb[XFRMA_TMPL] != NULL && nla_len(tb[XFRMA_TMPL]) >=
	    (int)sizeof(*t)) {
		t = nla_data(tb[XFRMA_TMPL]);
		sp.reqid = t->reqid;
		sp.tmpl_family = t->family;
		sp.tmpl_proto = t->id.proto;
	}
	return w->cb(&sp, w->arg);
}

int
kernel_sp_dump(struct kernel *k, int (*cb)(const struct ksp *, void *),
    void *arg, struct kerr *e)
{
	struct sp_walk	 w = { cb, arg };
	struct nl_msg	*m;

	if ((m = msg_new(XFRM_MSG_GETPOLICY, NLM_F_DUMP, NULL, 0)) == NULL)
		return nlk_fail(e, -ENOMEM, "out of memory");
	return nlk_request(k->xfrm, m, sp_dump_cb, &w, e, "list policies");
}
