/* ike_rekey: rekeying (RFC 7296 1.3.2, 1.3.3, 2.8, 2.18): CHILD_SAs on
 * the kernel's soft expire or on request, the IKE SA at its lifetime,
 * both roles, and simultaneous rekeys resolved by the lowest nonce
 * (2.8.1, 2.8.2). A rekey's new SAs are installed before the old ones
 * go, so traffic never stops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/crypto.h>

#include "ike_int.h"
#include "log.h"
#include "util.h"

#define REKEY_RETRY_MS		30000	/* a refused rekey tries again */
#define REKEY_TEMP_RETRY_MS	2000	/* ... after TEMPORARY_FAILURE */

static uint8_t
proto_of(const struct ike_child *c)
{
	return c->proto == IPPROTO_AH ? IKE_PROTO_AH : IKE_PROTO_ESP;
}

/* A random share of hard, from lo to hi percent (both ends draw their
 * own, so one of them usually rekeys first: iked's habit). */
uint64_t
ike_jitter(uint64_t v, unsigned lo, unsigned hi)
{
	uint32_t	 r = 0;

	(void)ike_random(&r, sizeof(r));
	return v / 100 * (lo + r % (hi - lo + 1));
}

void
ike_rekey_lifetimes(struct ike_child *c, const struct ike_tunnel *t)
{
	c->hard_secs = t->life_seconds;
	c->hard_bytes = t->life_kilobytes * 1024;
	c->soft_secs = c->hard_secs > 0 ? ike_jitter(c->hard_secs, 80, 90) :
	    0;
	c->soft_bytes = c->hard_bytes > 0 ? ike_jitter(c->hard_bytes, 80,
	    90) : 0;
}

void
ike_rekey_schedule(struct ike_sa *sa)
{
	int64_t	 now = ike_now(sa->ike), life = (int64_t)sa->lifetime_s * 1000;

	sa->rekey_at_ms = life > 0 ? now + (int64_t)ike_jitter((uint64_t)life,
	    80, 90) : 0;
	sa->expire_at_ms = life > 0 ? now + life : 0;
}

/* ---- retiring children: our Delete, then their end ---- */

void
ike_child_retire(struct ike_sa *sa, struct ike_child *c)
{
	struct ike	*ike = sa->ike;

	if (c->retiring)
		return;
	c->retiring = 1;
	if (ike->ops.child_retire != NULL)
		ike->ops.child_retire(ike->ops.kernel_arg, &sa->path, c,
		    ike_child_by_tunnel(ike, c->tunnel, NULL));
	if (sa->ndel < IKE_MAX_CHILDREN && sa->state == IKE_SA_ESTABLISHED) {
		sa->del_spi[sa->ndel] = c->spi_in;
		sa->del_proto[sa->ndel++] = proto_of(c);
	}
}

void
ike_child_retired(struct ike_sa *sa)
{
	size_t	 i;

	for (i = sa->nchildren; i > 0; i--)
		if (sa->children[i - 1]->retiring == 2)
			ike_child_remove(sa, sa->children[i - 1],
			    sa->children[i - 1]->replaced ? "rekeyed" :
			    "redundant (simultaneous rekey)");
}

/* ---- queueing ---- */

void
ike_rekey_child_queue(struct ike_sa *sa, struct ike_child *c)
{
	if (c->rekeying || c->replaced || c->retiring ||
	    sa->nrekey_q == IKE_MAX_CHILDREN)
		return;
	c->rekeying = 1;
	c->rekey_retry_ms = 0;
	sa->rekey_q[sa->nrekey_q++] = c->spi_in;
	ike_child_next(sa);
}

void
ike_rekey_ike_queue(struct ike_sa *sa)
{
	if (sa->state != IKE_SA_ESTABLISHED || sa->rekeyed)
		return;
	sa->rekey_ike = 1;
	ike_child_next(sa);
}

/* 1.3.3: HDR, SK {N(REKEY_SA), SA, Ni, [KEi,] TSi, TSr}; the notify's
 * SPI is our inbound one, the selectors those of the SA rekeyed. */
static int
rekey_child_send(struct ike_sa *sa, struct ike_child *c)
{
	struct ike_pending *pc = &sa->req.child;
	struct ike_enc	 e;
	uint8_t		 buf[IKE_MSG_LIMIT], spi[4];

	if (ike_child_prepare(sa, c->tunnel, 1, pc) == -1)
		return -1;
	memcpy(pc->tsi, c->ts_local, c->nts_local * sizeof(*pc->tsi));
	pc->ntsi = c->nts_local;
	memcpy(pc->tsr, c->ts_peer, c->nts_peer * sizeof(*pc->tsr));
	pc->ntsr = c->nts_peer;
	pc->rekey_spi = c->spi_in;
	ike_spi_put(spi, c->spi_in);
	ike_enc_chain(&e, buf, sizeof(buf));
	ike_enc_notify(&e, proto_of(c), spi, 4, IKE_N_REKEY_SA, NULL, 0);
	ike_child_encode(&e, pc, 1);
	log_info("tunnel ipsec:%s: rekeying CHILD_SA 0x%08x/0x%08x%s",
	    c->tunnel, c->spi_in, c->spi_out, pc->dh != NULL ? " with PFS" :
	    "");
	return ike_sa_request(sa, IKE_CREATE_CHILD_SA, IKE_REQ_CHILD, &e);
}

/* 1.3.2: HDR, SK {SA, Ni, KEi}: the suite in use, a new SPI, the same
 * group (so no INVALID_KE_PAYLOAD round). */
static int
rekey_ike_send(struct ike_sa *sa)
{
	struct ike_pending *pc = &sa->req.child;
	struct ike_enc	 e;
	uint8_t		 buf[IKE_MSG_LIMIT], pub[IKE_DH_PUB_MAX];
	uint16_t	 group = sa->rekey_dh ? sa->rekey_dh : sa->suite.dh;
	size_t		 plen = ike_dh_public_len(group), i;

	ike_req_clear(sa);
	if (ike_random(pc->ike_spi, 8) == -1 ||
	    ike_random(pc->nonce, sizeof(pc->nonce)) == -1 ||
	    (pc->dh = ike_dh_new(group)) == NULL ||
	    ike_dh_public(pc->dh, pub, plen) == -1)
		return -1;
	pc->props[0] = sa->chosen;
	pc->props[0].num = 1;
	pc->props[0].spi_len = 8;
	memcpy(pc->props[0].spi, pc->ike_spi, 8);
	for (i = 0; i < pc->props[0].nxf; i++)	/* 1.3.2: the asked group */
		if (pc->props[0].xf[i].type == IKE_XF_DH)
			pc->props[0].xf[i].id = group;
	pc->nprops = 1;
	ike_enc_chain(&e, buf, sizeof(buf));
	ike_enc_sa(&e, pc->props, 1);
	ike_enc_nonce(&e, pc->nonce, sizeof(pc->nonce));
	ike_enc_ke(&e, group, pub, plen);
	log_info("IKE SA %s: rekeying", sa->path.tvr);
	return ike_sa_request(sa, IKE_CREATE_CHILD_SA, IKE_REQ_REKEY_IKE, &e);
}

int
ike_rekey_next(struct ike_sa *sa)
{
	struct ike_child *c;
	uint32_t	 spi;

	if (sa->rekeyed)
		return 0;
	if (sa->rekey_ike) {
		sa->rekey_ike = 0;
		if (rekey_ike_send(sa) == 0)
			return 1;
		ike_req_clear(sa);
	}
	while (sa->nrekey_q > 0) {
		spi = sa->rekey_q[0];
		memmove(sa->rekey_q, sa->rekey_q + 1, --sa->nrekey_q *
		    sizeof(*sa->rekey_q));
		if ((c = ike_child_by_spi(sa, spi)) == NULL || c->replaced ||
		    c->retiring)
			continue;
		if (rekey_child_send(sa, c) == 0)
			return 1;
		c->rekeying = 0;
		c->rekey_retry_ms = ike_now(sa->ike) + REKEY_RETRY_MS;
		ike_req_clear(sa);
	}
	return 0;
}

/* ---- a rekeyed child is installed ---- */

static void
rekey_event(struct ike_sa *sa, const struct ike_child *c)
{
	char	 why[80];

	snprintf(why, sizeof(why), "CHILD_SA rekeyed: SPIs in 0x%08x out "
	    "0x%08x", c->spi_in, c->spi_out);
	ike_event(sa->ike, IKE_EV_REKEY, sa, c->tunnel, why);
}

static struct ike_child *
sibling(struct ike_sa *sa, const struct ike_child *c)
{
	size_t	 i;

	for (i = 0; i < sa->nchildren; i++)
		if (sa->children[i] != c && !sa->children[i]->retiring &&
		    sa->children[i]->rekey_of == c->rekey_of)
			return sa->children[i];
	return NULL;
}

void
ike_rekey_installed(struct ike_sa *sa, struct ike_child *c)
{
	struct ike_child *old = ike_child_by_spi(sa, c->rekey_of);
	struct ike_child *other = sibling(sa, c), *loser, *winner;

	if (old != NULL) {
		old->replaced = 1;
		old->rekeyed_ms = ike_now(sa->ike);
	}
	if (other == NULL) {	/* 1.3.3: the initiator deletes the old SA */

		if (c->ours && old != NULL)
			ike_child_retire(sa, old);
		rekey_event(sa, c);
		return;
	}
	/* 2.8.1: both ends rekeyed it at once. The SA made with the
	 * lowest of the four nonces is redundant; the end that made it
	 * closes it, the other closes the old one. Both ends decide
	 * alike. */
	loser = ike_nonce_cmp(c->nlow, c->nlowlen, other->nlow,
	    other->nlowlen) < 0 ? c : other;
	winner = loser == c ? other : c;
	log_info("tunnel ipsec:%s: both ends rekeyed 0x%08x at once; "
	    "0x%08x stays (RFC 7296 2.8.1)", c->tunnel, c->rekey_of,
	    winner->spi_in);
	loser->redundant = 1;
	if (loser->ours)
		ike_child_retire(sa, loser);
	if (winner->ours && old != NULL)
		ike_child_retire(sa, old);
	if (winner == c)	/* the first one's event named the other */
		rekey_event(sa, c);
}

/* ---- the responder ---- */

static int
rekey_notify(const struct ike_msg *m, struct ike_notify *out)
{
	struct ike_err	 err;
	size_t		 i;

	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKE_PL_NOTIFY &&
		    ike_notify_decode(&m->pl[i], out, &err) == 0 &&
		    out->type == IKE_N_REKEY_SA)
			return 1;
	return 0;
}

static void
sa_move(struct ike_sa *from, struct ike_sa *to)
{
	struct ike_child *c;
	size_t	 i;

	while (from->nchildren > 0) {
		c = from->children[from->nchildren - 1];
		if (to->nchildren == IKE_MAX_CHILDREN) {
			ike_child_remove(from, c, "too many CHILD_SAs on one "
			    "IKE SA");
			continue;
		}
		from->nchildren--;
		c->sa = to;
		to->children[to->nchildren++] = c;
	}
	for (i = 0; i < from->nqueue; i++)
		if (array_add(&to->queue, &to->nqueue, &to->capqueue,
		    sizeof(*to->queue)) != NULL)
			str_copy(to->queue[to->nqueue - 1], from->queue[i],
			    sizeof(*to->queue));
	from->nqueue = 0;
	for (i = 0; i < from->nrekey_q && to->nrekey_q < IKE_MAX_CHILDREN; i++)
		to->rekey_q[to->nrekey_q++] = from->rekey_q[i];
	from->nrekey_q = 0;
	for (i = 0; i < from->ndel && to->ndel < IKE_MAX_CHILDREN; i++) {
		to->del_spi[to->ndel] = from->del_spi[i];
		to->del_proto[to->ndel++] = from->del_proto[i];
	}
	from->ndel = 0;
	ike_dpd_reconsider(to);		/* its tunnels' DPD now */
}

/* The new IKE SA of a rekey (2.18): the rekey's initiator is its
 * initiator; keys from the old SK_d and the new DH; identities, NAT
 * state and path as before. */
static struct ike_sa *
rekey_new_sa(struct ike_sa *old, int initiator, const struct ike_prop *ch,
    const uint8_t spi_i[8], const uint8_t spi_r[8], const uint8_t *ni,
    size_t nilen, const uint8_t *nr, size_t nrlen, const uint8_t *gir,
    size_t glen)
{
	struct ike_sa	*sa;

	if (nilen > IKE_NONCE_MAX || nrlen > IKE_NONCE_MAX ||
	    (sa = ike_sa_new(old->ike, &old->path, initiator)) == NULL)
		return NULL;
	memcpy(sa->spi_i, spi_i, 8);
	memcpy(sa->spi_r, spi_r, 8);
	sa->chosen = *ch;
	if (ike_prop_suite(ch, &sa->suite) == -1 ||
	    ike_keys_rekey(&sa->suite, old->suite.prf, old->keys.sk_d,
	    old->keys.d_len, ni, nilen, nr, nrlen, gir, glen, sa->spi_i,
	    sa->spi_r, &sa->keys) == -1) {
		ike_sa_dead(sa, "rekey: key derivation failed");
		return NULL;
	}
	sa->keyed = 1;
	memcpy(sa->ni, ni, nilen);
	sa->nilen = nilen;
	memcpy(sa->nr, nr, nrlen);
	sa->nrlen = nrlen;
	sa->local_id = old->local_id;
	sa->peer_id = old->peer_id;
	sa->nat_local = old->nat_local;
	sa->nat_peer = old->nat_peer;
	sa->keepalive_ms = old->keepalive_ms;
	sa->lifetime_s = old->lifetime_s;
	memcpy(sa->pred, old->spi_i, 8);
	memcpy(sa->pred + 8, old->spi_r, 8);
	sa->has_pred = 1;
	ike_sa_set_state(sa, IKE_SA_ESTABLISHED);
	return sa;
}

/* The new IKE SA made from old by the other exchange of a collision. */
static struct ike_sa *
successor(struct ike_sa *old, const struct ike_sa *not)
{
	struct ike_sa	*sa;

	for (sa = old->ike->sas; sa != NULL; sa = sa->next)
		if (sa != not && sa != old && sa->has_pred &&
		    sa->state == IKE_SA_ESTABLISHED &&
		    memcmp(sa->pred, old->spi_i, 8) == 0 &&
		    memcmp(sa->pred + 8, old->spi_r, 8) == 0)
			return sa;
	return NULL;
}

/* The ike-up / ike-down pair follows the children to the SA that keeps
 * them. */
static void
events_follow(struct ike_sa *to, struct ike_sa *a, struct ike_sa *b)
{
	struct ike_sa	*from = a->ev_up ? a : b != NULL && b->ev_up ? b : NULL;

	if (from == NULL || from == to)
		return;
	to->ev_up = 1;
	str_copy(to->ev_tunnel, from->ev_tunnel, sizeof(to->ev_tunnel));
	from->ev_up = 0;
}

static void
retire_ike(struct ike_sa *sa)
{
	sa->rekeyed = 1;
	sa->rekeyed_ms = ike_now(sa->ike);
}

static void
delete_ike(struct ike_sa *sa)
{
	if (sa->state != IKE_SA_ESTABLISHED)
		return;
	sa->delete_ike = 1;
	ike_child_next(sa);
}

/* nsa replaces old (2.18): the children move to it and the rekey's
 * initiator deletes old. When both ends rekeyed old at once (2.8.2),
 * the new SA made with the lowest nonce is redundant: its initiator
 * deletes it, the children live on the other, whose initiator deletes
 * old. While our own rekey of old is on its way, the peer's new SA
 * waits: ours, answered or failed, settles it (so no Delete from the
 * peer can take the children with a loser). */
static void
rekey_ike_settle(struct ike_sa *old, struct ike_sa *nsa)
{
	struct ike_sa	*other = successor(old, nsa), *loser, *winner;
	size_t		 i;

	if (other == NULL && !nsa->initiator &&
	    old->req.kind == IKE_REQ_REKEY_IKE)
		return;
	retire_ike(old);
	if (other == NULL) {
		loser = NULL;
		winner = nsa;
	} else {
		loser = ike_sa_loses(nsa, other) ? nsa : other;
		winner = loser == nsa ? other : nsa;
		log_info("IKE SA %s: both ends rekeyed it at once; one new SA "
		    "stays (RFC 7296 2.8.2)", old->path.tvr);
		sa_move(loser, winner);
	}
	sa_move(old, winner);
	events_follow(winner, old, loser);
	if (loser != NULL && loser->initiator)
		delete_ike(loser);
	else if (loser != NULL)		/* the peer deletes it, or we do */
		retire_ike(loser);	/* IKE_REKEYED_MS later */
	if (winner->initiator)		/* 1.3.2: the initiator deletes */
		delete_ike(old);
	for (i = 0; i < winner->nchildren; i++)
		ike_event(winner->ike, IKE_EV_REKEY, winner,
		    winner->children[i]->tunnel, "IKE SA rekeyed");
	if (winner->initiator)	/* else the peer knows it once answered */
		ike_child_next(winner);
}

void
ike_rekey_old_gone(struct ike_sa *old)
{
	struct ike_sa	*sa;
	int64_t		 soon = ike_now(old->ike) - IKE_REKEYED_MS +
			    IKE_REDUNDANT_GRACE_MS;

	/* 2.8.2: the peer has seen old go, so it has deleted its redundant
	 * new SA by now, or never made it (its rekey died with old): ours
	 * goes too after a moment */
	for (sa = old->ike->sas; sa != NULL; sa = sa->next)
		if (sa != old && sa->has_pred && sa->rekeyed &&
		    sa->nchildren == 0 && sa->rekeyed_ms > soon &&
		    memcmp(sa->pred, old->spi_i, 8) == 0 &&
		    memcmp(sa->pred + 8, old->spi_r, 8) == 0)
			sa->rekeyed_ms = soon;
}

int
ike_rekey_hand_over(struct ike_sa *sa)
{
	struct ike_sa	*to = successor(sa, NULL);

	if (to == NULL || (sa->nchildren == 0 && sa->nqueue == 0))
		return 0;
	sa_move(sa, to);
	events_follow(to, sa, NULL);
	ike_child_next(to);	/* what waited on sa goes out on it */
	return 1;
}

static uint16_t
rekey_ike_accept(struct ike_sa *sa, struct ike_rx *rx, struct ike_enc *e,
    uint16_t *want_group)
{
	struct ike_prop	 got[IKE_MAX_PROPOSALS], ours[IKE_MAX_PROPOSALS], ch;
	struct ike_ke	 ke;
	struct ike_err	 err;
	struct ike_dh	*dh = NULL;
	struct ike_sa	*nsa;
	char		 local[ADDR_LEN], why[IKE_PROP_WHY_LEN];
	uint8_t		 gir[IKE_DH_SECRET_MAX], nr[IKE_NONCE_LEN], spi_r[8];
	uint8_t		 pub[IKE_DH_PUB_MAX];
	const uint8_t	*ni;
	size_t		 ngot, nours, nilen, glen = sizeof(gir);
	uint16_t	 rc = IKE_N_NO_PROPOSAL_CHOSEN;

	inet_ntop(sa->path.family, sa->path.local, local, sizeof(local));
	if (ike_sa_decode(ike_pl_get(&rx->m, IKE_PL_SA), got,
	    IKE_MAX_PROPOSALS, &ngot, &err) == -1 ||
	    ike_nonce_decode(ike_pl_get(&rx->m, IKE_PL_NONCE), &ni, &nilen,
	    &err) == -1 || ike_ke_decode(ike_pl_get(&rx->m, IKE_PL_KE), &ke,
	    &err) == -1)
		return IKE_N_INVALID_SYNTAX;
	if (ike_prop_ike(sa->ike->st, sa->path.tvr, local, ours,
	    IKE_MAX_PROPOSALS, &nours, why, sizeof(why)) == -1 ||
	    ike_prop_select(got, ngot, ours, nours, 0, &ch) == -1 ||
	    ch.proto != IKE_PROTO_IKE || ch.spi_len != 8)
		return IKE_N_NO_PROPOSAL_CHOSEN;
	*want_group = ike_prop_dh(&ch);
	if (ke.group != *want_group)
		return IKE_N_INVALID_KE_PAYLOAD;
	if (sa->req.kind != IKE_REQ_NONE && sa->req.kind != IKE_REQ_REKEY_IKE)
		return IKE_N_TEMPORARY_FAILURE;	/* 2.25: ours first */
	if (ike_random(nr, sizeof(nr)) == -1 ||
	    ike_random(spi_r, sizeof(spi_r)) == -1 ||
	    (dh = ike_dh_new(ke.group)) == NULL ||
	    ike_dh_shared(dh, ke.data, ke.len, gir, &glen) == -1 ||
	    ike_dh_public(dh, pub, ike_dh_public_len(ke.group)) == -1)
		goto done;
	if ((nsa = rekey_new_sa(sa, 0, &ch, ch.spi, spi_r, ni, nilen, nr,
	    sizeof(nr), gir, glen)) == NULL)
		goto done;
	memcpy(ch.spi, spi_r, 8);
	ike_enc_sa(e, &ch, 1);
	ike_enc_nonce(e, nr, sizeof(nr));
	ike_enc_ke(e, ke.group, pub, ike_dh_public_len(ke.group));
	rekey_ike_settle(sa, nsa);
	rc = 0;
done:
	OPENSSL_cleanse(gir, sizeof(gir));
	ike_dh_free(dh);
	return rc;
}

int
ike_rekey_respond(struct ike_sa *sa, struct ike_rx *rx, uint32_t *rekey_of,
    uint16_t *notify)
{
	struct ike_notify n;
	struct ike_child *old;
	struct ike_enc	 e;
	struct ike_sa	*succ;
	uint8_t		 buf[IKE_MSG_LIMIT], group[2];
	uint16_t	 rc, want = 0;

	*rekey_of = 0;
	*notify = 0;
	if (ike_msg_find(&rx->m, IKE_PL_TSI, &(size_t){ 0 }) == NULL) {
		ike_enc_chain(&e, buf, sizeof(buf));
		if ((rc = rekey_ike_accept(sa, rx, &e, &want)) != 0) {
			ike_enc_chain(&e, buf, sizeof(buf));
			group[0] = (uint8_t)(want >> 8);	/* 1.3.2 */
			group[1] = (uint8_t)want;
			ike_enc_notify(&e, 0, NULL, 0, rc, group,
			    rc == IKE_N_INVALID_KE_PAYLOAD ? 2 : 0);
			ike_log_peer(sa->ike, "IKE SA %s: the peer's rekey "
			    "refused: %s", sa->path.tvr, ike_notify_name(rc));
		}
		ike_sa_respond(sa, IKE_CREATE_CHILD_SA, rx->m.h.msgid, &e);
		OPENSSL_cleanse(buf, sizeof(buf));
		ike_child_next(sa);
		if (rc == 0 && sa->rekeyed && (succ = successor(sa, NULL)) !=
		    NULL)	/* the peer has its new SA now */
			ike_child_next(succ);
		return 1;
	}
	if (!rekey_notify(&rx->m, &n))
		return 0;
	/* 1.3.3: the SPI is the peer's inbound one, our outbound */
	if (n.spi_len == 4) {
		size_t	 i;
		uint32_t spi = ike_spi_get(n.spi);

		for (i = 0; i < sa->nchildren; i++) {
			old = sa->children[i];
			if (old->spi_out != spi || proto_of(old) != n.proto)
				continue;
			if (old->retiring || old->redundant)	/* 2.25.1 */
				*notify = IKE_N_TEMPORARY_FAILURE;
			else
				*rekey_of = old->spi_in;
			return 0;
		}
	}
	*notify = IKE_N_CHILD_SA_NOT_FOUND;	/* 2.25 */
	return 0;
}

/* ---- the initiator's answer ---- */

static void
rekey_child_refused(struct ike_sa *sa, struct ike_child *old,
    uint16_t type, const char *why)
{
	int64_t	 now = ike_now(sa->ike);

	if (old == NULL)
		return;
	old->rekeying = 0;
	if (old->replaced)	/* the peer's rekey of it won meanwhile */
		return;
	if (type == IKE_N_CHILD_SA_NOT_FOUND) {
		ike_tun_failed(sa->ike, old->tunnel, "%s", "the peer no longer "
		    "has the CHILD_SA (rekey: CHILD_SA_NOT_FOUND)");
		ike_child_remove(sa, old, "the peer no longer has it");
		return;
	}
	old->rekey_retry_ms = now + (type == IKE_N_TEMPORARY_FAILURE ?
	    REKEY_TEMP_RETRY_MS : REKEY_RETRY_MS);
	log_warn("tunnel ipsec:%s: rekey failed: %s; trying again in %d s",
	    old->tunnel, why, (int)((old->rekey_retry_ms - now) / 1000));
}

static int
rekey_ike_complete(struct ike_sa *sa, struct ike_rx *rx)
{
	struct ike_pending *pc = &sa->req.child;
	struct ike_prop	 got[IKE_MAX_PROPOSALS], ch;
	struct ike_ke	 ke;
	struct ike_err	 err;
	struct ike_sa	*nsa;
	uint8_t		 gir[IKE_DH_SECRET_MAX];
	const uint8_t	*nr;
	size_t		 n, nrlen, glen = sizeof(gir);
	int		 rc = -1;

	if (ike_sa_decode(ike_pl_get(&rx->m, IKE_PL_SA), got,
	    IKE_MAX_PROPOSALS, &n, &err) == -1 ||
	    ike_prop_accept(pc->props, pc->nprops, got, n, &ch) == -1 ||
	    ch.spi_len != 8 ||
	    ike_nonce_decode(ike_pl_get(&rx->m, IKE_PL_NONCE), &nr, &nrlen,
	    &err) == -1 ||
	    ike_ke_decode(ike_pl_get(&rx->m, IKE_PL_KE), &ke, &err) == -1 ||
	    ke.group != ike_dh_group(pc->dh) ||
	    ike_dh_shared(pc->dh, ke.data, ke.len, gir, &glen) == -1)
		goto done;
	if ((nsa = rekey_new_sa(sa, 1, &ch, pc->ike_spi, ch.spi, pc->nonce,
	    sizeof(pc->nonce), nr, nrlen, gir, glen)) == NULL)
		goto done;
	ike_req_clear(sa);
	rekey_ike_settle(sa, nsa);
	ike_child_next(nsa);
	rc = 0;
done:
	OPENSSL_cleanse(gir, sizeof(gir));
	return rc;
}

/* INVALID_KE_PAYLOAD to our IKE SA rekey names the group the peer
 * wants (1.3.2, 2.7): the next try uses it, once. 1 when it does. */
static int
rekey_group(struct ike_sa *sa, const struct ike_rx *rx)
{
	const struct ike_pl *pl = ike_msg_notify(&rx->m,
	    IKE_N_INVALID_KE_PAYLOAD);
	struct ike_notify n;
	struct ike_err	 err;
	uint16_t	 g;

	if (pl == NULL || ike_notify_decode(pl, &n, &err) == -1 ||
	    n.len != 2)
		return 0;
	g = (uint16_t)(n.data[0] << 8 | n.data[1]);
	if (g == sa->rekey_dh || !ike_dh_supported(g))
		return 0;
	sa->rekey_dh = g;
	return 1;
}

void
ike_rekey_reply(struct ike_sa *sa, struct ike_rx *rx)
{
	struct ike_pending *pc = &sa->req.child;
	struct ike_child *old = ike_child_by_spi(sa, pc->rekey_spi);
	const char	*refused;
	uint16_t	 type = 0;
	char		 why[200];

	refused = ike_msg_error(&rx->m, &type);
	if (sa->req.kind == IKE_REQ_REKEY_IKE) {
		struct ike_sa *peers;

		if (refused == NULL && rekey_ike_complete(sa, rx) == 0)
			return;	/* the old SA's Delete is on its way */
		log_warn("IKE SA %s: rekey failed: %s", sa->path.tvr,
		    refused != NULL ? refused : "the peer's answer is not "
		    "usable");
		sa->rekey_at_ms = ike_now(sa->ike) + (type ==
		    IKE_N_TEMPORARY_FAILURE || rekey_group(sa, rx) ?
		    REKEY_TEMP_RETRY_MS : REKEY_RETRY_MS);
		ike_req_clear(sa);
		if ((peers = successor(sa, NULL)) != NULL)
			rekey_ike_settle(sa, peers);	/* the peer's won */
		ike_child_next(sa);
		return;
	}
	if (refused != NULL) {
		snprintf(why, sizeof(why), "the peer refused it: %s", refused);
		rekey_child_refused(sa, old, type, why);
	} else if (ike_child_complete(sa, pc, rx, why, sizeof(why)) == -1)
		rekey_child_refused(sa, old, 0, why);
	else if (old != NULL)
		old->rekeying = 0;
	ike_req_clear(sa);
	ike_child_next(sa);
}

/* ---- timers ---- */

void
ike_rekey_tick(struct ike_sa *sa, int64_t now)
{
	size_t	 i;

	if (sa->rekeyed) {	/* the peer should have deleted it by now */
		if (now - sa->rekeyed_ms > IKE_REKEYED_MS &&
		    sa->state == IKE_SA_ESTABLISHED && !sa->delete_ike &&
		    sa->req.kind == IKE_REQ_NONE)	/* (once: it may be
							 * unknown there) */
			ike_delete_ike_once(sa, "replaced by a rekey");
		return;
	}
	if (sa->state != IKE_SA_ESTABLISHED)
		return;
	if (sa->expire_at_ms != 0 && now >= sa->expire_at_ms) {
		log_warn("IKE SA %s: lifetime over without a rekey", sa->path.tvr);
		ike_delete_ike(sa);
		return;
	}
	if (sa->rekey_at_ms != 0 && now >= sa->rekey_at_ms) {
		sa->rekey_at_ms = 0;
		ike_rekey_ike_queue(sa);
	}
	for (i = 0; i < sa->nchildren; i++)
		if (sa->children[i]->rekey_retry_ms != 0 &&
		    now >= sa->children[i]->rekey_retry_ms)
			ike_rekey_child_queue(sa, sa->children[i]);
}

/* ---- the public entry points ---- */

void
ike_expire(struct ike *ike, uint8_t proto, uint32_t spi, int family,
    const uint8_t *daddr, int hard)
{
	struct ike_sa	*sa;
	struct ike_child *c;
	size_t		 i, alen = family == AF_INET6 ? 16 : 4;
	int		 in;

	for (sa = ike->sas; sa != NULL; sa = sa->next) {
		if (sa->state == IKE_SA_DEAD || sa->path.family != family)
			continue;
		for (i = 0; i < sa->nchildren; i++) {
			c = sa->children[i];
			in = memcmp(daddr, sa->path.local, alen) == 0;
			if (c->proto != proto || spi != (in ? c->spi_in :
			    c->spi_out))
				continue;
			if (!hard) {
				log_info("tunnel ipsec:%s: SA 0x%08x soft "
				    "lifetime reached", c->tunnel, spi);
				ike_rekey_child_queue(sa, c);
			} else if (c->replaced || c->retiring)
				ike_child_remove(sa, c, "lifetime over");
			else {
				ike_tun_failed(ike, c->tunnel, "SA 0x%08x: "
				    "hard lifetime over before a rekey", spi);
				ike_delete_child(sa, c);
			}
			return;
		}
	}
}

int
ike_tunnel_rekey(struct ike *ike, const char *tunnel)
{
	struct ike_sa	*sa;
	struct ike_child *c = ike_child_by_tunnel(ike, tunnel, &sa);

	if (c == NULL || c->replaced || c->retiring ||
	    sa->state != IKE_SA_ESTABLISHED)
		return -1;
	ike_rekey_child_queue(sa, c);
	return 0;
}

int
ike_sa_rekey(struct ike *ike, const char *peer)
{
	struct ike_sa	*sa;
	char		 a[ADDR_LEN];
	int		 n = 0;

	for (sa = ike->sas; sa != NULL; sa = sa->next) {
		if (sa->state != IKE_SA_ESTABLISHED || sa->rekeyed)
			continue;
		inet_ntop(sa->path.family, sa->path.peer, a, sizeof(a));
		if (strcmp(peer, "all") != 0 && strcmp(peer, a) != 0)
			continue;
		n++;
		ike_rekey_ike_queue(sa);
	}
	return n;
}
