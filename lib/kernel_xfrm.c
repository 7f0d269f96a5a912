/* kernel_xfrm: IPsec SAs, SPIs, policies and the kernel's ACQUIRE and
 * EXPIRE events (NETLINK_XFRM, <linux/xfrm.h>). libnl 3.7's xfrm objects
 * cannot carry XFRMA_IF_ID and misparse EXPIRE, so messages are built and
 * read here directly (API-NOTES.md 2.6-2.8). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/udp.h>
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

static uint64_t
lft_limit(uint64_t v)
{
	/* a byte or packet limit of 0 means "expired" to the kernel
	 * (API-NOTES.md 2.6): 0 here means none */
	return v == 0 ? XFRM_INF : v;
}

/* The fixed part of an SA: addresses, mode, lifetimes, replay window. */
static void
sa_info(const struct ksa *sa, struct xfrm_usersa_info *info)
{
	size_t	 alen = kernel_addr_len(sa->family);

	memset(info, 0, sizeof(*info));
	memcpy(&info->id.daddr, sa->daddr, alen);
	memcpy(&info->saddr, sa->saddr, alen);
	info->id.spi = htonl(sa->spi);
	info->id.proto = sa->proto;
	info->family = (uint16_t)sa->family;
	info->mode = XFRM_MODE_TUNNEL;
	info->reqid = sa->reqid;
	/* RFC 4303 3.4.3: no anti-replay with manual keys (a peer that
	 * reinstalls its SA starts again from sequence number 1), so 0 by
	 * default. The kernel's legacy bitmap holds 32 packets; a wider
	 * window goes in XFRMA_REPLAY_ESN_VAL, and then this must be 0. */
	info->replay_window = (uint8_t)(sa->replay_win <= 32 ?
	    sa->replay_win : 0);
	/* inner traffic of either family through one tunnel-mode SA */
	info->flags = XFRM_STATE_AF_UNSPEC;
	info->lft.soft_byte_limit = lft_limit(sa->soft_bytes);
	info->lft.hard_byte_limit = lft_limit(sa->hard_bytes);
	info->lft.soft_packet_limit = info->lft.hard_packet_limit = XFRM_INF;
	info->lft.soft_add_expires_seconds = sa->soft_secs;
	info->lft.hard_add_expires_seconds = sa->hard_secs;
}

/* The optional attributes: UDP encapsulation, a wide replay window. */
static int
sa_put_extra(struct nl_msg *m, const struct ksa *sa)
{
	struct xfrm_encap_tmpl enc;
	struct xfrm_replay_state_esn *rs;
	struct nlattr	*a;
	size_t		 len;

	if (sa->encap_sport != 0 || sa->encap_dport != 0) {
		/* RFC 3948 2.1: ESP in UDP, no non-ESP marker on ESP */
		memset(&enc, 0, sizeof(enc));
		enc.encap_type = UDP_ENCAP_ESPINUDP;
		enc.encap_sport = htons(sa->encap_sport);
		enc.encap_dport = htons(sa->encap_dport);
		if (nla_put(m, XFRMA_ENCAP, sizeof(enc), &enc) < 0)
			return -1;
	}
	if (sa->replay_win > 32) {
		len = sizeof(*rs) + (sa->replay_win + 31) / 32 * 4;
		if ((a = nla_reserve(m, XFRMA_REPLAY_ESN_VAL, (int)len)) ==
		    NULL)
			return -1;
		rs = nla_data(a);
		memset(rs, 0, len);
		rs->bmp_len = (sa->replay_win + 31) / 32;
		rs->replay_window = sa->replay_win;
	}
	return 0;
}

int
kernel_sa_add(struct kernel *k, const struct ksa *sa, struct kerr *e)
{
	struct xfrm_usersa_info info;
	struct nl_msg	*m;
	char		 what[96];

	sa_what(what, sizeof(what), sa->update ? "complete" : "install",
	    sa->family, sa->daddr, sa->spi);
	if (sa->replay_win > KSA_REPLAY_WIN_MAX)
		return nlk_fail(e, -EINVAL, "%s: replay window %u over %u",
		    what, sa->replay_win, KSA_REPLAY_WIN_MAX);
	sa_info(sa, &info);
	/* UPDSA replaces a larval SA (ALLOCSPI) with the same SPI */
	m = sa->update ? msg_new(XFRM_MSG_UPDSA, 0, &info, sizeof(info)) :
	    msg_new(XFRM_MSG_NEWSA, NLM_F_CREATE | NLM_F_EXCL, &info,
	    sizeof(info));
	if (m == NULL || sa_put_algs(m, sa) < 0 || sa_put_extra(m, sa) < 0 ||
	    nla_put_u32(m, XFRMA_IF_ID, sa->if_id) < 0) {
		nlk_msg_free(m);	/* it holds keys */
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	}
	if (k->debug)
		log_info("kernel: %s (%s%s%s, if_id %u, encap %u/%u)", what,
		    sa->enc_alg, sa->auth_alg[0] != '\0' ? " " : "",
		    sa->auth_alg, sa->if_id, sa->encap_sport, sa->encap_dport);
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

/* Attribute lengths checked by nlmsg_parse (the ALG_* ones are variable
 * and checked where read). */
static const struct nla_policy xfrma_policy[XFRMA_MAX + 1] = {
	[XFRMA_IF_ID]		= { .type = NLA_U32 },
	[XFRMA_ENCAP]		= { .minlen = sizeof(struct xfrm_encap_tmpl) },
	[XFRMA_TMPL]		= { .minlen = sizeof(struct xfrm_user_tmpl) },
	[XFRMA_REPLAY_ESN_VAL]	= {
	    .minlen = sizeof(struct xfrm_replay_state_esn) },
};

static uint64_t
lft_get(uint64_t v)
{
	return v == XFRM_INF ? 0 : v;
}

/* What kernel_sa_add's extra fields set, read back. */
static void
sa_parse_extra(struct ksa *sa, const struct xfrm_usersa_info *info,
    struct nlattr **tb)
{
	struct xfrm_encap_tmpl enc;
	struct xfrm_replay_state_esn rs;

	sa->soft_bytes = lft_get(info->lft.soft_byte_limit);
	sa->hard_bytes = lft_get(info->lft.hard_byte_limit);
	sa->soft_secs = info->lft.soft_add_expires_seconds;
	sa->hard_secs = info->lft.hard_add_expires_seconds;
	sa->replay_win = info->replay_window;
	if (tb[XFRMA_ENCAP] != NULL) {
		memcpy(&enc, nla_data(tb[XFRMA_ENCAP]), sizeof(enc));
		if (enc.encap_type == UDP_ENCAP_ESPINUDP) {
			sa->encap_sport = ntohs(enc.encap_sport);
			sa->encap_dport = ntohs(enc.encap_dport);
		}
	}
	if (tb[XFRMA_REPLAY_ESN_VAL] != NULL) {
		memcpy(&rs, nla_data(tb[XFRMA_REPLAY_ESN_VAL]), sizeof(rs));
		sa->replay_win = rs.replay_window;
	}
}

static int
sa_parse(struct nlmsghdr *h, struct ksa *sa)
{
	struct xfrm_usersa_info info;
	struct nlattr	*tb[XFRMA_MAX + 1];

	if (h->nlmsg_type != XFRM_MSG_NEWSA ||
	    nlmsg_parse(h, sizeof(info), tb, XFRMA_MAX, xfrma_policy) < 0)
		return -1;
	/* netlink aligns to 4 bytes; the struct has 64-bit fields */
	memcpy(&info, nlmsg_data(h), sizeof(info));
	memset(sa, 0, sizeof(*sa));
	sa->family = info.family;
	if (sa->family != AF_INET && sa->family != AF_INET6)
		return -1;
	memcpy(sa->daddr, &info.id.daddr, kernel_addr_len(sa->family));
	memcpy(sa->saddr, &info.saddr, kernel_addr_len(sa->family));
	sa->spi = ntohl(info.id.spi);
	sa->proto = info.id.proto;
	sa->reqid = info.reqid;
	if (tb[XFRMA_IF_ID] != NULL)
		sa->if_id = nla_get_u32(tb[XFRMA_IF_ID]);
	sa->bytes = info.curlft.bytes;
	sa->packets = info.curlft.packets;
	sa->add_time = info.curlft.add_time;
	sa->use_time = info.curlft.use_time;
	sa->replay_window = info.stats.replay_window;
	sa->replay = info.stats.replay;
	sa->integrity_failed = info.stats.integrity_failed;
	sa_parse_extra(sa, &info, tb);
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
	    nlmsg_parse(h, sizeof(*info), tb, XFRMA_MAX, xfrma_policy) < 0)
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

/* ---- SPI allocation ---- */

int
kernel_spi_alloc(struct kernel *k, int family, const unsigned char *src,
    const unsigned char *dst, uint8_t proto, uint32_t reqid, uint32_t if_id,
    uint32_t *spi, struct kerr *e)
{
	struct xfrm_userspi_info req;
	struct nl_msg	*m;
	struct ksa	 sa;
	char		 what[96];
	size_t		 alen = kernel_addr_len(family);

	sa_what(what, sizeof(what), "reserve", family, dst, 0);
	memset(&req, 0, sizeof(req));
	memcpy(&req.info.id.daddr, dst, alen);
	memcpy(&req.info.saddr, src, alen);
	req.info.id.proto = proto;
	req.info.family = (uint16_t)family;
	req.info.mode = XFRM_MODE_TUNNEL;
	req.info.reqid = reqid;
	req.min = KERNEL_SPI_MIN;
	req.max = KERNEL_SPI_MAX;
	m = msg_new(XFRM_MSG_ALLOCSPI, 0, &req, sizeof(req));
	if (m == NULL || nla_put_u32(m, XFRMA_IF_ID, if_id) < 0) {
		nlmsg_free(m);
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	}
	/* the answer is the larval SA (XFRM_MSG_NEWSA) */
	memset(&sa, 0, sizeof(sa));
	if (nlk_request(k->xfrm, m, sa_get_cb, &sa, e, what) == -1)
		return -1;
	if (sa.spi < KERNEL_SPI_MIN || sa.spi > KERNEL_SPI_MAX)
		return nlk_fail(e, -EPROTO, "%s: the kernel gave SPI 0x%08x",
		    what, sa.spi);
	*spi = sa.spi;
	if (k->debug)
		log_info("kernel: %s: spi 0x%08x (reqid %u, if_id %u)", what,
		    sa.spi, reqid, if_id);
	return 0;
}

/* ---- ACQUIRE and EXPIRE events ---- */

#define KERNEL_MON_BATCH	64	/* datagrams per kernel_mon_read */

struct kernel_mon {
	int		 fd;
	uint64_t	 buf[8192];	/* 64 KiB, aligned for the structs */
};

struct kernel_mon *
kernel_mon_open(struct kerr *e)
{
	static const int groups[] = { XFRMNLGRP_ACQUIRE, XFRMNLGRP_EXPIRE };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct kernel_mon *m;
	int		 size = 1 << 20;
	size_t		 i;

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		nlk_fail(e, -ENOMEM, "xfrm monitor: out of memory");
		return NULL;
	}
	m->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    NETLINK_XFRM);
	if (m->fd == -1 || bind(m->fd, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1)
		goto fail;
	for (i = 0; i < nitems(groups); i++)
		if (setsockopt(m->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		    &groups[i], sizeof(groups[i])) == -1)
			goto fail;
	/* a burst of ACQUIREs (one per flow) must not overflow it; the
	 * forced size needs CAP_NET_ADMIN, the plain one is capped */
	if (setsockopt(m->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) == -1)
		setsockopt(m->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return m;
fail:
	nlk_fail(e, -errno, "xfrm monitor: %s", strerror(errno));
	kernel_mon_close(m);
	return NULL;
}

int
kernel_mon_fd(struct kernel_mon *m)
{
	return m->fd;
}

void
kernel_mon_close(struct kernel_mon *m)
{
	if (m == NULL)
		return;
	if (m->fd != -1)
		close(m->fd);
	free(m);
}

static int
family_ok(int family)
{
	return family == AF_INET || family == AF_INET6;
}

/* The template the larval SA was made for: the one with its protocol. */
static int
mon_acquire_tmpl(struct nlattr *a, uint8_t proto, struct xfrm_user_tmpl *t)
{
	int	 i, n;

	if (a == NULL)
		return -1;
	n = nla_len(a) / (int)sizeof(*t);
	for (i = 0; i < n; i++) {
		memcpy(t, (char *)nla_data(a) + (size_t)i * sizeof(*t),
		    sizeof(*t));
		if (t->id.proto == proto)
			return 0;
	}
	return -1;
}

/* XFRM_MSG_ACQUIRE: an outbound packet matched a policy whose template
 * has no SA; the kernel made a larval SA and asks for a real one. */
static int
mon_acquire(struct nlmsghdr *h, struct kevent *ev)
{
	struct xfrm_user_acquire ua;
	struct xfrm_user_tmpl t;
	struct nlattr	*tb[XFRMA_MAX + 1];

	if (nlmsg_parse(h, sizeof(ua), tb, XFRMA_MAX, xfrma_policy) < 0)
		return -1;
	memcpy(&ua, nlmsg_data(h), sizeof(ua));
	if (mon_acquire_tmpl(tb[XFRMA_TMPL], ua.id.proto, &t) == -1 ||
	    !family_ok(t.family) || !family_ok(ua.sel.family))
		return -1;
	memset(ev, 0, sizeof(*ev));
	ev->type = KEVENT_ACQUIRE;
	ev->family = t.family;
	ev->reqid = t.reqid;
	ev->proto = ua.id.proto;
	memcpy(ev->saddr, &ua.saddr, kernel_addr_len(ev->family));
	memcpy(ev->daddr, &ua.id.daddr, kernel_addr_len(ev->family));
	ev->sel_family = ua.sel.family;
	memcpy(ev->sel_saddr, &ua.sel.saddr, kernel_addr_len(ev->sel_family));
	memcpy(ev->sel_daddr, &ua.sel.daddr, kernel_addr_len(ev->sel_family));
	ev->sel_proto = ua.sel.proto;
	ev->policy_index = ua.policy.index;
	ev->policy_dir = ua.policy.dir;
	ev->seq = ua.seq;
	if (tb[XFRMA_IF_ID] != NULL)
		ev->if_id = nla_get_u32(tb[XFRMA_IF_ID]);
	return 0;
}

/* XFRM_MSG_EXPIRE: an SA reached a soft or hard lifetime limit. */
static int
mon_expire(struct nlmsghdr *h, struct kevent *ev)
{
	struct xfrm_user_expire ue;
	struct nlattr	*tb[XFRMA_MAX + 1];

	if (nlmsg_parse(h, sizeof(ue), tb, XFRMA_MAX, xfrma_policy) < 0)
		return -1;
	memcpy(&ue, nlmsg_data(h), sizeof(ue));
	if (!family_ok(ue.state.family))
		return -1;
	memset(ev, 0, sizeof(*ev));
	ev->type = KEVENT_EXPIRE;
	ev->family = ue.state.family;
	ev->reqid = ue.state.reqid;
	ev->proto = ue.state.id.proto;
	ev->spi = ntohl(ue.state.id.spi);
	ev->hard = ue.hard != 0;
	memcpy(ev->saddr, &ue.state.saddr, kernel_addr_len(ev->family));
	memcpy(ev->daddr, &ue.state.id.daddr, kernel_addr_len(ev->family));
	if (family_ok(ue.state.sel.family)) {
		ev->sel_family = ue.state.sel.family;
		memcpy(ev->sel_saddr, &ue.state.sel.saddr,
		    kernel_addr_len(ev->sel_family));
		memcpy(ev->sel_daddr, &ue.state.sel.daddr,
		    kernel_addr_len(ev->sel_family));
		ev->sel_proto = ue.state.sel.proto;
	}
	if (tb[XFRMA_IF_ID] != NULL)
		ev->if_id = nla_get_u32(tb[XFRMA_IF_ID]);
	return 0;
}

/* The events of one datagram; nlmsg_ok() keeps every header inside it. */
static int
mon_parse(struct kernel_mon *m, int len,
    void (*cb)(const struct kevent *, void *), void *arg)
{
	struct nlmsghdr	*h = (struct nlmsghdr *)m->buf;
	struct kevent	 ev;
	int		 n = 0, rc;

	for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
		if (h->nlmsg_type == XFRM_MSG_ACQUIRE)
			rc = mon_acquire(h, &ev);
		else if (h->nlmsg_type == XFRM_MSG_EXPIRE)
			rc = mon_expire(h, &ev);
		else
			continue;
		if (rc == 0) {
			cb(&ev, arg);
			n++;
		}
	}
	return n;
}

int
kernel_mon_read(struct kernel_mon *m,
    void (*cb)(const struct kevent *, void *), void *arg)
{
	struct sockaddr_nl from;
	socklen_t	 fromlen;
	ssize_t		 len;
	int		 i, n = 0;

	for (i = 0; i < KERNEL_MON_BATCH; i++) {
		fromlen = sizeof(from);
		len = recvfrom(m->fd, m->buf, sizeof(m->buf), MSG_TRUNC,
		    (struct sockaddr *)&from, &fromlen);
		if (len == -1 && errno == EINTR)
			continue;
		if (len == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (len == -1)
			return -1;
		/* only the kernel speaks here; a truncated one is lost */
		if (fromlen != sizeof(from) || from.nl_pid != 0 ||
		    (size_t)len > sizeof(m->buf))
			continue;
		n += mon_parse(m, (int)len, cb, arg);
	}
	return n;
}
