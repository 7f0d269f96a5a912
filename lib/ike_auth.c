/* ike_auth: the IKE_AUTH exchange (RFC 7296 1.2, 2.15), both roles:
 * identities, pre-shared key authentication and the first CHILD_SA. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>

#include <openssl/crypto.h>

#include "ike_int.h"
#include "log.h"
#include "util.h"

#define CANDIDATES_MAX	64

/* ID payload body (3.5): type, 3 reserved bytes, data. */
static size_t
id_body(const struct ike_idv *id, uint8_t *out)
{
	out[0] = id->type;
	out[1] = out[2] = out[3] = 0;
	memcpy(out + 4, id->data, id->len);
	return 4 + id->len;
}

/* AUTH for one side (2.15): msg is that side's IKE_SA_INIT message,
 * nonce the other side's, sk_p that side's SK_p. */
static int
auth_compute(struct ike_sa *sa, const uint8_t *psk, size_t psklen,
    int initiator_side, const struct ike_idv *id, uint8_t *out, size_t *len)
{
	uint8_t		 body[4 + sizeof(id->data)];
	size_t		 blen = id_body(id, body);

	*len = ike_prf_len(sa->suite.prf);
	return ike_psk_auth(sa->suite.prf, psk, psklen,
	    initiator_side ? sa->init_i : sa->init_r,
	    initiator_side ? sa->init_ilen : sa->init_rlen,
	    initiator_side ? sa->nr : sa->ni,
	    initiator_side ? sa->nrlen : sa->nilen,
	    initiator_side ? sa->keys.sk_pi : sa->keys.sk_pr, sa->keys.p_len,
	    body, blen, out);
}

/* The peer's AUTH payload checked against psk, in constant time. */
static int
auth_verify(struct ike_sa *sa, const struct ike_msg *m, const uint8_t *psk,
    size_t psklen, const struct ike_idv *peer_id)
{
	struct ike_auth	 a;
	struct ike_err	 err;
	uint8_t		 want[IKE_KEY_MAX];
	size_t		 wlen;
	int		 ok;

	if (ike_auth_decode(ike_pl_get(m, IKE_PL_AUTH), &a,
	    &err) == -1 || a.method != IKE_AUTH_PSK)
		return -1;
	if (auth_compute(sa, psk, psklen, !sa->initiator, peer_id, want,
	    &wlen) == -1)
		return -1;
	ok = a.len == wlen && CRYPTO_memcmp(a.data, want, wlen) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return ok ? 0 : -1;
}

static int
peer_idv(const struct ike_msg *m, uint8_t type, struct ike_idv *out)
{
	struct ike_id	 id;
	struct ike_err	 err;

	if (ike_id_decode(ike_pl_get(m, type), &id, &err) == -1 ||
	    id.len > sizeof(out->data))
		return -1;
	memset(out, 0, sizeof(*out));
	out->type = id.type;
	memcpy(out->data, id.data, id.len);
	out->len = id.len;
	return 0;
}

static void
enc_id_auth(struct ike_enc *e, struct ike_sa *sa, const uint8_t *psk,
    size_t psklen)
{
	uint8_t		 auth[IKE_KEY_MAX];
	size_t		 alen = 0;
	int		 me_i = sa->initiator;

	ike_enc_id(e, me_i ? IKE_PL_IDI : IKE_PL_IDR, sa->local_id.type,
	    sa->local_id.data, sa->local_id.len);
	if (auth_compute(sa, psk, psklen, me_i, &sa->local_id, auth,
	    &alen) == -1)
		e->err = 1;
	ike_enc_auth(e, IKE_AUTH_PSK, auth, alen);
	OPENSSL_cleanse(auth, sizeof(auth));
}

/* Whom the tunnel expects on sa: its peer-identity, else the destination
 * sa runs to (the backup after a failover) as an identity (FQDN /
 * user@fqdn), else that destination's address. 1 when it is an identity
 * the peer must prove, 0 for an address. */
static int
expected_peer(struct ike *ike, const struct ike_tunnel *t,
    const struct ike_sa *sa, struct ike_idv *out)
{
	int	 bak = t->backup[0] != '\0' &&
		    strcmp(ike_active_dest(ike, t->name, sa), "backup") == 0;

	if (t->peer_id.type != 0) {
		*out = t->peer_id;
		return 1;
	}
	if (bak ? !t->bak_is_addr : !t->dst_is_addr) {
		*out = bak ? t->bak_id : t->dst_id;
		return 1;
	}
	ike_idv_from_addr(bak ? t->bak_family : t->dst_family, bak ?
	    t->bak_addr : t->dst_addr, out);
	return 0;
}

/* RFC 7296 2.4: INITIAL_CONTACT only when this is our one IKE SA with the
 * peer: none to its address (when both ends initiate at once, the other
 * one exists already, and the peer must not take ours for a restart),
 * and none between the same identities (the peer drops those on
 * INITIAL_CONTACT, whatever their addresses). */
static int
only_sa_with_peer(const struct ike_sa *sa, const struct ike_idv *want)
{
	const struct ike_sa *o;
	size_t		 alen = sa->path.family == AF_INET6 ? 16 : 4;

	for (o = sa->ike->sas; o != NULL; o = o->next) {
		if (o == sa || o->state == IKE_SA_DEAD ||
		    strcmp(o->path.tvr, sa->path.tvr) != 0)
			continue;
		if (o->path.family == sa->path.family &&
		    memcmp(o->path.peer, sa->path.peer, alen) == 0)
			return 0;
		if (o->state == IKE_SA_ESTABLISHED &&
		    ike_idv_equal(&o->local_id, &sa->local_id) &&
		    ike_idv_equal(&o->peer_id, want))
			return 0;
	}
	return 1;
}

/* ---- initiator ---- */

int
ike_auth_start(struct ike_sa *sa)
{
	struct ike	*ike = sa->ike;
	struct ike_tunnel t;
	struct ike_idv	 want;
	struct ike_enc	 e;
	uint8_t		 buf[IKE_MSG_LIMIT], *psk = NULL;
	size_t		 psklen = 0;
	int		 rc;

	if (sa->nqueue == 0)
		return -1;
	if (ike_conf_tunnel(ike->st, sa->queue[0], &t) != 1) {
		str_copy(sa->error, "the tunnel is gone", sizeof(sa->error));
		return -1;
	}
	expected_peer(ike, &t, sa, &want);
	if (ike_conf_local_id(ike->st, &t, sa->path.family, sa->path.local,
	    &sa->local_id) == -1 || ike_conf_psk(ike->st, t.tvr, &want,
	    sa->path.family, sa->path.peer, &psk, &psklen) == -1) {
		str_copy(sa->error, "no pre-shared key for the peer in the "
		    "transport virtual router", sizeof(sa->error));
		return -1;
	}
	if (ike_child_prepare(sa, sa->queue[0], 0, &sa->req.child) == -1) {
		secure_free(psk, psklen);
		return -1;
	}
	memmove(sa->queue, sa->queue + 1, --sa->nqueue * sizeof(*sa->queue));
	ike_enc_chain(&e, buf, sizeof(buf));
	enc_id_auth(&e, sa, psk, psklen);
	secure_free(psk, psklen);
	if (only_sa_with_peer(sa, &want))
		ike_enc_notify(&e, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_child_encode(&e, &sa->req.child, 0);
	rc = ike_sa_request(sa, IKE_AUTH, IKE_REQ_AUTH, &e);
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

static int
auth_reply_verify(struct ike_sa *sa, const struct ike_msg *m,
    const char *tunnel)
{
	struct ike_tunnel t;
	struct ike_idv	 want;
	uint8_t		*psk = NULL;
	size_t		 psklen = 0;
	char		 got[64], exp[64];
	int		 rc;

	if (ike_conf_tunnel(sa->ike->st, tunnel, &t) != 1 ||
	    peer_idv(m, IKE_PL_IDR, &sa->peer_id) == -1)
		return -1;
	if (expected_peer(sa->ike, &t, sa, &want) &&
	    !ike_idv_equal(&want, &sa->peer_id)) {
		ike_idv_text(&sa->peer_id, got, sizeof(got));
		ike_idv_text(&want, exp, sizeof(exp));
		snprintf(sa->error, sizeof(sa->error), "the peer is %s, not "
		    "%s", got, exp);
		return -1;
	}
	if (ike_conf_psk(sa->ike->st, t.tvr, &sa->peer_id, sa->path.family,
	    sa->path.peer, &psk, &psklen) == -1 &&
	    ike_conf_psk(sa->ike->st, t.tvr, &want, sa->path.family,
	    sa->path.peer, &psk, &psklen) == -1)
		return -1;
	rc = auth_verify(sa, m, psk, psklen, &sa->peer_id);
	secure_free(psk, psklen);
	if (rc == -1)
		str_copy(sa->error, "the peer's AUTH payload does not verify "
		    "(pre-shared key mismatch)", sizeof(sa->error));
	return rc;
}

void
ike_auth_reply(struct ike_sa *sa, struct ike_rx *rx)
{
	struct ike_pending *pc = &sa->req.child;
	const char	*refused;
	char		 why[200];
	uint16_t	 type = 0;

	if (sa->state != IKE_SA_AUTH_SENT)
		return;
	refused = ike_msg_error(&rx->m, &type);
	if (ike_msg_find(&rx->m, IKE_PL_AUTH, &(size_t){ 0 }) == NULL) {
		snprintf(why, sizeof(why), "the peer refused IKE_AUTH: %s",
		    refused != NULL ? refused : "no AUTH payload");
		ike_tun_failed_ev(sa->ike, pc->tunnel, type ==
		    IKE_N_AUTHENTICATION_FAILED ? IKE_EV_AUTH_FAILURE :
		    IKE_EV_NEG_FAILURE, "%s", why);
		ike_failover(sa->ike, pc->tunnel, sa, why);
		pc->tunnel[0] = '\0';
		ike_sa_lost(sa, why, 0);
		return;
	}
	if (auth_reply_verify(sa, &rx->m, pc->tunnel) == -1) {
		if (sa->error[0] == '\0')
			str_copy(sa->error, "the peer's identity is not usable",
			    sizeof(sa->error));
		ike_tun_failed_ev(sa->ike, pc->tunnel, IKE_EV_AUTH_FAILURE,
		    "%s", sa->error);
		ike_failover(sa->ike, pc->tunnel, sa, sa->error);
		pc->tunnel[0] = '\0';
		ike_sa_lost(sa, sa->error, 0);
		return;
	}
	ike_sa_set_state(sa, IKE_SA_ESTABLISHED);
	if (refused != NULL && ike_msg_find(&rx->m, IKE_PL_SA,
	    &(size_t){ 0 }) == NULL)	/* IKE SA up, child refused (1.2) */
		ike_tun_failed(sa->ike, pc->tunnel, "the peer refused the "
		    "CHILD_SA: %s", refused);
	else if (ike_child_complete(sa, pc, rx, why, sizeof(why)) == -1)
		ike_tun_failed(sa->ike, pc->tunnel, "%s", why);
	ike_req_clear(sa);
	ike_child_next(sa);
}

/* ---- responder ---- */

static void
auth_refuse(struct ike_sa *sa, uint32_t msgid, const char (*names)[NAME_MAX_LEN
    + 1], size_t n, const char *why)
{
	struct ike_enc	 e;
	uint8_t		 buf[64];
	char		 id[300];
	size_t		 i;

	ike_idv_text(&sa->peer_id, id, sizeof(id));
	log_warn("IKE_AUTH from %s refused: %s", id, why);
	for (i = 0; i < n; i++)
		ike_tun_failed_ev(sa->ike, names[i], IKE_EV_AUTH_FAILURE,
		    "IKE_AUTH from %s refused: %s", id, why);
	ike_enc_chain(&e, buf, sizeof(buf));
	ike_enc_notify(&e, 0, NULL, 0, IKE_N_AUTHENTICATION_FAILED, NULL, 0);
	ike_sa_respond(sa, IKE_AUTH, msgid, &e);
	ike_sa_dead(sa, why);
}

/* Identity, tunnels for it, its key and its AUTH; 0 or -1 (refused). */
static int
auth_check_peer(struct ike_sa *sa, const struct ike_msg *m,
    char (*names)[NAME_MAX_LEN + 1], size_t *n)
{
	uint8_t		*psk = NULL;
	size_t		 psklen = 0;
	int		 rc;

	*n = 0;
	if (peer_idv(m, IKE_PL_IDI, &sa->peer_id) == -1) {
		auth_refuse(sa, m->h.msgid, names, 0, "no usable IDi payload");
		return -1;
	}
	if (ike_child_candidates(sa, names, CANDIDATES_MAX, n) == -1 ||
	    *n == 0) {
		auth_refuse(sa, m->h.msgid, names, 0, "no tunnel is "
		    "configured for this peer and identity");
		return -1;
	}
	if (ike_conf_psk(sa->ike->st, sa->path.tvr, &sa->peer_id,
	    sa->path.family, sa->path.peer, &psk, &psklen) == -1) {
		auth_refuse(sa, m->h.msgid, names, *n, "no pre-shared key for "
		    "this identity in the transport virtual router");
		return -1;
	}
	rc = auth_verify(sa, m, psk, psklen, &sa->peer_id);
	secure_free(psk, psklen);
	if (rc == -1) {
		auth_refuse(sa, m->h.msgid, names, *n, "AUTH does not verify "
		    "(pre-shared key mismatch)");
		return -1;
	}
	return 0;
}

/* RFC 7296 2.4: INITIAL_CONTACT says the peer has no other IKE SA with
 * us; ours with the same identity are left over from before its restart. */
static void
initial_contact(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_sa	*o;

	if (ike_msg_notify(m, IKE_N_INITIAL_CONTACT) == NULL)
		return;
	for (o = sa->ike->sas; o != NULL; o = o->next)
		if (o != sa && o->state == IKE_SA_ESTABLISHED &&
		    strcmp(o->path.tvr, sa->path.tvr) == 0 &&
		    ike_idv_equal(&o->peer_id, &sa->peer_id))
			ike_sa_dead(o, "replaced: the peer started again "
			    "(INITIAL_CONTACT)");
}

void
ike_auth_respond(struct ike_sa *sa, struct ike_rx *rx)
{
	char		 names[CANDIDATES_MAX][NAME_MAX_LEN + 1];
	struct ike_choice ch;
	struct ike_tunnel t;
	struct ike_enc	 e;
	uint8_t		 buf[IKE_MSG_LIMIT], *psk = NULL;
	size_t		 n, psklen = 0;
	uint16_t	 notify;

	if (sa->state != IKE_SA_HALF_OPEN)
		return;
	if (auth_check_peer(sa, &rx->m, names, &n) == -1)
		return;
	initial_contact(sa, &rx->m);
	memset(&ch, 0, sizeof(ch));
	notify = ike_child_choose(sa, rx, (const char (*)[NAME_MAX_LEN +
	    1])names, n, 0, &ch);
	if (ike_conf_tunnel(sa->ike->st, notify == 0 ? ch.tunnel : names[0],
	    &t) != 1 || ike_conf_local_id(sa->ike->st, &t, sa->path.family,
	    sa->path.local, &sa->local_id) == -1 ||
	    ike_conf_psk(sa->ike->st, sa->path.tvr, &sa->peer_id,
	    sa->path.family, sa->path.peer, &psk, &psklen) == -1) {
		auth_refuse(sa, rx->m.h.msgid, names, n, "no local identity");
		return;
	}
	ike_enc_chain(&e, buf, sizeof(buf));
	enc_id_auth(&e, sa, psk, psklen);
	secure_free(psk, psklen);
	ike_sa_set_state(sa, IKE_SA_ESTABLISHED);
	if (notify == 0)
		notify = ike_child_accept(sa, &ch, 0, &e);
	if (notify != 0) {
		ike_enc_notify(&e, 0, NULL, 0, notify, NULL, 0);
		ike_tun_failed(sa->ike, names[0], "the CHILD_SA from the peer "
		    "was refused: %s", ike_notify_name(notify));
	}
	ike_sa_respond(sa, IKE_AUTH, rx->m.h.msgid, &e);
	OPENSSL_cleanse(buf, sizeof(buf));
	ike_child_next(sa);	/* a lost duplicate's Delete, after the answer */
}
