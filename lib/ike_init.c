/* ike_init: the IKE_SA_INIT exchange (RFC 7296 1.2), both roles: the IKE
 * proposal, Diffie-Hellman, nonces, NAT detection (2.23), cookies (2.6)
 * and INVALID_KE_PAYLOAD (1.2, 2.7). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ike_int.h"
#include "log.h"
#include "util.h"

#define INIT_RETRIES_MAX	3	/* COOKIE / INVALID_KE round trips */
#define COOKIE_LEN		20

/* NAT_DETECTION_*_IP data: SHA-1(SPIi | SPIr | IP | port) (2.23). */
static int
nat_hash(const uint8_t *spi_i, const uint8_t *spi_r, int family,
    const uint8_t *addr, uint16_t port, uint8_t out[20])
{
	uint8_t		 buf[8 + 8 + 16 + 2];
	size_t		 alen = family == AF_INET6 ? 16 : 4;
	unsigned	 len = 0;

	memcpy(buf, spi_i, 8);
	memcpy(buf + 8, spi_r, 8);
	memcpy(buf + 16, addr, alen);
	buf[16 + alen] = (uint8_t)(port >> 8);
	buf[17 + alen] = (uint8_t)port;
	if (EVP_Digest(buf, 18 + alen, out, &len, EVP_sha1(), NULL) != 1 ||
	    len != 20)
		return -1;
	return 0;
}

static void
enc_nat(struct ike_enc *e, const struct ike_sa *sa)
{
	uint8_t	 h[20];
	const struct ike_path *p = &sa->path;

	if (nat_hash(sa->spi_i, sa->spi_r, p->family, p->local, p->lport,
	    h) == 0)
		ike_enc_notify(e, 0, NULL, 0,
		    IKE_N_NAT_DETECTION_SOURCE_IP, h, sizeof(h));
	if (nat_hash(sa->spi_i, sa->spi_r, p->family, p->peer, p->pport,
	    h) == 0)
		ike_enc_notify(e, 0, NULL, 0,
		    IKE_N_NAT_DETECTION_DESTINATION_IP, h, sizeof(h));
}

/* Who is behind a NAT: the peer when none of its SOURCE_IP hashes is of
 * the address we see, we when its DESTINATION_IP hash is not ours. */
static void
nat_detect(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_notify n;
	struct ike_err	 err;
	uint8_t		 mine[20], theirs[20];
	const struct ike_path *p = &sa->path;
	int		 src_seen = 0, src_ok = 0, dst_seen = 0, dst_ok = 0;
	size_t		 i;

	/* the hashes use the SPIs of the message's own header: SPIr is
	 * zero in the request */
	if (nat_hash(m->h.spi_i, m->h.spi_r, p->family, p->local, p->lport,
	    mine) == -1 || nat_hash(m->h.spi_i, m->h.spi_r, p->family,
	    p->peer, p->pport, theirs) == -1)
		return;
	for (i = 0; i < m->npl; i++) {
		if (m->pl[i].type != IKE_PL_NOTIFY ||
		    ike_notify_decode(&m->pl[i], &n, &err) == -1 || n.len != 20)
			continue;
		if (n.type == IKE_N_NAT_DETECTION_SOURCE_IP) {
			src_seen = 1;
			src_ok |= CRYPTO_memcmp(n.data, theirs, 20) == 0;
		} else if (n.type == IKE_N_NAT_DETECTION_DESTINATION_IP) {
			dst_seen = 1;
			dst_ok |= CRYPTO_memcmp(n.data, mine, 20) == 0;
		}
	}
	sa->nat_peer = src_seen && !src_ok;
	sa->nat_local = dst_seen && !dst_ok;
}

static int
keep_copy(uint8_t **dst, size_t *dlen, const uint8_t *src, size_t len)
{
	free(*dst);
	if ((*dst = malloc(len)) == NULL)
		return -1;
	memcpy(*dst, src, len);
	*dlen = len;
	return 0;
}

/* Diffie-Hellman result and SKEYSEED (2.14). */
static int
init_keys(struct ike_sa *sa, const struct ike_ke *ke)
{
	uint8_t		 gir[IKE_DH_SECRET_MAX];
	size_t		 glen = sizeof(gir);
	int		 rc;

	if (ike_dh_shared(sa->dh, ke->data, ke->len, gir, &glen) == -1) {
		str_copy(sa->error, "the peer's KE value is not valid for its "
		    "group", sizeof(sa->error));
		return -1;
	}
	rc = ike_keys_derive(&sa->suite, sa->ni, sa->nilen, sa->nr, sa->nrlen,
	    gir, glen, sa->spi_i, sa->spi_r, &sa->keys);
	OPENSSL_cleanse(gir, sizeof(gir));
	sa->keyed = rc == 0;
	ike_dh_free(sa->dh);	/* no longer needed */
	sa->dh = NULL;
	return rc;
}

/* The IKE SA's lifetime from the ike-policy-rule whose proposal was
 * chosen (shown; enforced by rekeying, in the next release). */
static void
sa_lifetime(struct ike_sa *sa)
{
	char	 local[ADDR_LEN];

	inet_ntop(sa->path.family, sa->path.local, local, sizeof(local));
	sa->lifetime_s = ike_prop_ike_lifetime(sa->ike->st, sa->path.tvr,
	    local, &sa->chosen);
}

/* ---- initiator ---- */

static int
init_send(struct ike_sa *sa)
{
	struct ike_hdr	 h;
	struct ike_enc	 e;
	uint8_t		 buf[IKE_MSG_LIMIT], pub[IKE_DH_PUB_MAX];
	size_t		 plen = ike_dh_public_len(ike_dh_group(sa->dh));
	long		 len;

	memset(&h, 0, sizeof(h));
	memcpy(h.spi_i, sa->spi_i, 8);
	h.version = IKE_VERSION;
	h.exchange = IKE_SA_INIT;
	h.flags = IKE_FLAG_INITIATOR;
	if (ike_dh_public(sa->dh, pub, plen) == -1)
		return -1;
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	if (sa->cookielen > 0)	/* 2.6: COOKIE first */
		ike_enc_notify(&e, 0, NULL, 0, IKE_N_COOKIE, sa->cookie,
		    sa->cookielen);
	ike_enc_sa(&e, sa->props, sa->nprops);
	ike_enc_ke(&e, ike_dh_group(sa->dh), pub, plen);
	ike_enc_nonce(&e, sa->ni, sa->nilen);
	enc_nat(&e, sa);
	if ((len = ike_enc_finish(&e)) == -1 ||
	    keep_copy(&sa->init_i, &sa->init_ilen, buf, (size_t)len) == -1)
		return -1;
	return ike_sa_request_init(sa, buf, (size_t)len);
}

int
ike_init_start(struct ike_sa *sa, const struct ike_tunnel *t)
{
	char	 local[ADDR_LEN], why[160] = "";
	size_t	 i;

	inet_ntop(sa->path.family, sa->path.local, local, sizeof(local));
	if (ike_prop_ike(sa->ike->st, t->tvr, local, sa->props,
	    IKE_MAX_PROPOSALS, &sa->nprops, why, sizeof(why)) == -1) {
		snprintf(sa->error, sizeof(sa->error), "no usable IKE "
		    "proposal: %s", why);
		return -1;
	}
	for (i = 0; i < sa->nprops; i++)
		sa->props[i].spi_len = 0;	/* 3.3.1: none in IKE_SA_INIT */
	sa->nilen = IKE_NONCE_LEN;
	if (ike_random(sa->ni, sa->nilen) == -1 ||
	    (sa->dh = ike_dh_new(ike_prop_dh(&sa->props[0]))) == NULL) {
		str_copy(sa->error, "cannot make a Diffie-Hellman key",
		    sizeof(sa->error));
		return -1;
	}
	return init_send(sa);
}

/* The responder wants another group (1.2, 2.7): only one we offered. */
static int
init_retry_group(struct ike_sa *sa, const struct ike_notify *n)
{
	uint16_t group;
	size_t	 i;

	if (n->len != 2)
		return -1;
	group = (uint16_t)(n->data[0] << 8 | n->data[1]);
	for (i = 0; i < sa->nprops; i++)
		if (ike_prop_dh(&sa->props[i]) == group)
			break;
	if (i == sa->nprops || group == ike_dh_group(sa->dh))
		return -1;
	ike_dh_free(sa->dh);
	if ((sa->dh = ike_dh_new(group)) == NULL)
		return -1;
	return init_send(sa);
}

static int
init_retry(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pl *pl;
	struct ike_notify n;
	struct ike_err	 err;

	if (++sa->init_rounds > INIT_RETRIES_MAX)
		return -1;
	if ((pl = ike_msg_notify(m, IKE_N_COOKIE)) != NULL) {
		if (ike_notify_decode(pl, &n, &err) == -1 || n.len < 1 ||
		    n.len > sizeof(sa->cookie))
			return -1;
		memcpy(sa->cookie, n.data, n.len);
		sa->cookielen = n.len;
		return init_send(sa);
	}
	if ((pl = ike_msg_notify(m, IKE_N_INVALID_KE_PAYLOAD)) != NULL &&
	    ike_notify_decode(pl, &n, &err) == 0)
		return init_retry_group(sa, &n);
	return -1;
}

static int
init_reply_parse(struct ike_sa *sa, const struct ike_msg *m,
    struct ike_ke *ke)
{
	struct ike_prop	 got[IKE_MAX_PROPOSALS];
	struct ike_err	 err;
	const uint8_t	*nonce;
	size_t		 n, nlen;

	if (ike_sa_decode(ike_pl_get(m, IKE_PL_SA), got,
	    IKE_MAX_PROPOSALS, &n, &err) == -1 ||
	    ike_prop_accept(sa->props, sa->nprops, got, n, &sa->chosen) == -1 ||
	    ike_prop_suite(&sa->chosen, &sa->suite) == -1) {
		str_copy(sa->error, "the responder chose an IKE proposal we "
		    "did not offer", sizeof(sa->error));
		return -1;
	}
	if (ike_ke_decode(ike_pl_get(m, IKE_PL_KE), ke, &err) == -1 ||
	    ke->group != sa->suite.dh || ke->group != ike_dh_group(sa->dh)) {
		str_copy(sa->error, "the responder's KE payload is not of the "
		    "chosen group", sizeof(sa->error));
		return -1;
	}
	if (ike_nonce_decode(ike_pl_get(m, IKE_PL_NONCE), &nonce,
	    &nlen, &err) == -1 || nlen > sizeof(sa->nr))
		return -1;
	memcpy(sa->nr, nonce, nlen);
	sa->nrlen = nlen;
	return 0;
}

void
ike_init_reply(struct ike_sa *sa, struct ike_rx *rx)
{
	const struct ike_msg *m = &rx->m;
	struct ike_ke	 ke;
	const char	*refused;

	if (sa->state != IKE_SA_INIT_SENT)
		return;
	if ((refused = ike_msg_error(m, NULL)) != NULL ||
	    ike_msg_notify(m, IKE_N_COOKIE) != NULL) {
		if (init_retry(sa, m) == 0)
			return;
		if (refused == NULL)
			refused = "too many COOKIE / INVALID_KE_PAYLOAD rounds";
		snprintf(sa->error, sizeof(sa->error), "the peer refused "
		    "IKE_SA_INIT: %s", refused);
		ike_sa_lost(sa, sa->error, 0);
		return;
	}
	memcpy(sa->spi_r, m->h.spi_r, 8);
	if (init_reply_parse(sa, m, &ke) == -1 || init_keys(sa, &ke) == -1 ||
	    keep_copy(&sa->init_r, &sa->init_rlen, m->raw, m->rawlen) == -1) {
		ike_sa_lost(sa, sa->error[0] ? sa->error : "IKE_SA_INIT "
		    "response not usable", 0);
		return;
	}
	nat_detect(sa, m);
	sa_lifetime(sa);
	if (sa->nat_local || sa->nat_peer)	/* 2.23: float to 4500 */
		sa->path.lport = sa->path.pport = IKE_NATT_PORT;
	ike_req_clear(sa);
	ike_sa_set_state(sa, IKE_SA_AUTH_SENT);
	if (ike_auth_start(sa) == -1)
		ike_sa_dead(sa, sa->error[0] ? sa->error : "cannot send "
		    "IKE_AUTH");
}

/* ---- responder ---- */

/* 2.6: Cookie = H(Ni | IPi | SPIi | secret), stateless. */
static int
cookie_make(struct ike *ike, const struct ike_path *p, const uint8_t *spi_i,
    const uint8_t *ni, size_t nilen, uint8_t out[COOKIE_LEN])
{
	EVP_MD_CTX	*c = EVP_MD_CTX_new();
	uint8_t		 md[32];
	unsigned	 len = 0;
	int		 ok;

	ok = c != NULL && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(c, ni, nilen) == 1 &&
	    EVP_DigestUpdate(c, p->peer, 16) == 1 &&
	    EVP_DigestUpdate(c, spi_i, 8) == 1 &&
	    EVP_DigestUpdate(c, ike->cookie_secret,
	    sizeof(ike->cookie_secret)) == 1 &&
	    EVP_DigestFinal_ex(c, md, &len) == 1;
	EVP_MD_CTX_free(c);
	memcpy(out, md, COOKIE_LEN);
	return ok ? 0 : -1;
}

/* Under load, only initiators that prove their address get state. */
static int
cookie_ok(struct ike *ike, const struct ike_path *p, const struct ike_msg *m,
    const uint8_t *ni, size_t nilen)
{
	uint8_t		 want[COOKIE_LEN];
	const struct ike_pl *pl;
	struct ike_notify n;
	struct ike_err	 err;

	if (ike->half_open < ike->cookie_threshold)
		return 1;
	if (cookie_make(ike, p, m->h.spi_i, ni, nilen, want) == -1)
		return 0;
	pl = ike_msg_notify(m, IKE_N_COOKIE);
	if (pl != NULL && ike_notify_decode(pl, &n, &err) == 0 &&
	    n.len == COOKIE_LEN && CRYPTO_memcmp(n.data, want, COOKIE_LEN) == 0)
		return 1;
	ike_notify_plain(ike, p, &m->h, IKE_N_COOKIE, want, COOKIE_LEN);
	return 0;
}

static int
init_resp_send(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_hdr	 h;
	struct ike_enc	 e;
	struct ike_prop	 chosen = sa->chosen;
	uint8_t		 buf[IKE_MSG_LIMIT], pub[IKE_DH_PUB_MAX];
	size_t		 plen = ike_dh_public_len(ike_dh_group(sa->dh));
	long		 len;

	memset(&h, 0, sizeof(h));
	memcpy(h.spi_i, sa->spi_i, 8);
	memcpy(h.spi_r, sa->spi_r, 8);
	h.version = IKE_VERSION;
	h.exchange = IKE_SA_INIT;
	h.flags = IKE_FLAG_RESPONSE;
	if (ike_dh_public(sa->dh, pub, plen) == -1)
		return -1;
	chosen.spi_len = 0;
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_sa(&e, &chosen, 1);
	ike_enc_ke(&e, ike_dh_group(sa->dh), pub, plen);
	ike_enc_nonce(&e, sa->nr, sa->nrlen);
	enc_nat(&e, sa);
	if ((len = ike_enc_finish(&e)) == -1 ||
	    keep_copy(&sa->init_r, &sa->init_rlen, buf, (size_t)len) == -1 ||
	    keep_copy(&sa->init_i, &sa->init_ilen, m->raw, m->rawlen) == -1 ||
	    keep_copy(&sa->resp, &sa->resplen, buf, (size_t)len) == -1)
		return -1;
	sa->have_resp = 1;
	sa->msgid_in = 1;
	sa->ike->tx++;
	ike_log_sent(sa->ike, &sa->path, buf, (size_t)len);
	return sa->ike->ops.send(sa->ike->ops.arg, &sa->path, buf,
	    (size_t)len);
}

/* Both routers sent IKE_SA_INIT to each other at once: one IKE SA is to
 * stay, so both keep the one with the larger initiator SPI (our rule;
 * RFC 7296 leaves crossing IKE_SA_INITs open). Ours larger: the peer's
 * request is dropped (1), the peer drops its own on ours. Ours smaller:
 * ours ends, its tunnels retry shortly on the peer's IKE SA (0). */
static int
init_crossing(struct ike *ike, const struct ike_path *p,
    const struct ike_msg *m)
{
	struct ike_sa	*own = ike_sa_find_path(ike, p);
	struct ike_tun	*tun;
	size_t		 i;

	if (own == NULL || !own->initiator || own->state != IKE_SA_INIT_SENT)
		return 0;
	if (memcmp(own->spi_i, m->h.spi_i, 8) > 0) {
		log_info("IKE: crossing IKE_SA_INIT from the peer: ours goes on");
		return 1;
	}
	for (i = 0; i < own->nqueue; i++)
		if ((tun = ike_tun_get(ike, own->queue[i], 0)) != NULL)
			tun->retry_at = ike_now(ike) + 1000;
	own->nqueue = 0;
	ike_sa_dead(own, "crossing IKE_SA_INIT: the peer's goes on");
	return 0;
}

/* Choose the proposal and check the KE group; 0, or the notify. */
static uint16_t
init_choose(struct ike *ike, const struct ike_path *p, const struct ike_msg *m,
    struct ike_prop *chosen, struct ike_ke *ke, uint8_t kedata[2])
{
	struct ike_prop	 got[IKE_MAX_PROPOSALS], ours[IKE_MAX_PROPOSALS];
	struct ike_err	 err;
	char		 local[ADDR_LEN], why[160];
	size_t		 ngot, nours;
	uint16_t	 group;

	inet_ntop(p->family, p->local, local, sizeof(local));
	if (ike_sa_decode(ike_pl_get(m, IKE_PL_SA), got,
	    IKE_MAX_PROPOSALS, &ngot, &err) == -1)
		return IKE_N_INVALID_SYNTAX;
	if (ike_prop_ike(ike->st, p->tvr, local, ours, IKE_MAX_PROPOSALS,
	    &nours, why, sizeof(why)) == -1 ||
	    ike_prop_select(got, ngot, ours, nours, 0, chosen) == -1)
		return IKE_N_NO_PROPOSAL_CHOSEN;
	if (ike_ke_decode(ike_pl_get(m, IKE_PL_KE), ke, &err) == -1)
		return IKE_N_INVALID_SYNTAX;
	group = ike_prop_dh(chosen);
	if (ke->group != group) {	/* 1.2: tell which group we want */
		kedata[0] = (uint8_t)(group >> 8);
		kedata[1] = (uint8_t)group;
		return IKE_N_INVALID_KE_PAYLOAD;
	}
	return 0;
}

void
ike_init_respond(struct ike *ike, const struct ike_path *p, struct ike_rx *rx)
{
	const struct ike_msg *m = &rx->m;
	struct ike_prop	 chosen;
	struct ike_ke	 ke;
	struct ike_err	 err;
	struct ike_sa	*sa;
	const uint8_t	*ni;
	size_t		 nilen;
	uint8_t		 kedata[2];
	uint16_t	 notify;

	ike_log_msg(ike, "received", p, m);
	if (m->h.msgid != 0 || ike_msg_check(m, &err) == -1 ||
	    ike_nonce_decode(ike_pl_get(m, IKE_PL_NONCE), &ni,
	    &nilen, &err) == -1) {
		ike->rx_dropped++;
		ike_notify_plain(ike, p, &m->h, IKE_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	if (!cookie_ok(ike, p, m, ni, nilen))
		return;
	if ((notify = init_choose(ike, p, m, &chosen, &ke, kedata)) != 0) {
		ike_notify_plain(ike, p, &m->h, notify, kedata,
		    notify == IKE_N_INVALID_KE_PAYLOAD ? 2 : 0);
		return;
	}
	if (init_crossing(ike, p, m))
		return;
	if ((sa = ike_sa_new(ike, p, 0)) == NULL)
		return;
	memcpy(sa->spi_i, m->h.spi_i, 8);
	sa->chosen = chosen;
	memcpy(sa->ni, ni, nilen);
	sa->nilen = nilen;
	sa->nrlen = IKE_NONCE_LEN;
	if (ike_prop_suite(&chosen, &sa->suite) == -1 ||
	    ike_random(sa->nr, sa->nrlen) == -1 ||
	    (sa->dh = ike_dh_new(sa->suite.dh)) == NULL) {
		ike_sa_dead(sa, "cannot answer IKE_SA_INIT");
		return;
	}
	nat_detect(sa, m);
	sa_lifetime(sa);
	if (init_resp_send(sa, m) == -1 || init_keys(sa, &ke) == -1)
		ike_sa_dead(sa, sa->error[0] ? sa->error : "cannot answer "
		    "IKE_SA_INIT");
}
