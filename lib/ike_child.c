/* ike_child: CHILD_SAs (RFC 7296 1.3, 2.9, 2.17): proposals and traffic
 * selectors for a tunnel, the responder's choice of tunnel, key material,
 * installation through the owner, and the CREATE_CHILD_SA exchange. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>
#include <openssl/crypto.h>

#include "ike_int.h"
#include "log.h"
#include "util.h"

/* ---- the initiator's side ---- */

static uint8_t
child_ipproto(const struct ike_prop *p)
{
	return p->proto == IKE_PROTO_AH ? IPPROTO_AH : IPPROTO_ESP;
}

static int
spi_alloc(struct ike_sa *sa, const struct ike_tunnel *t, uint8_t proto,
    uint32_t *spi)
{
	struct ike_child c;

	memset(&c, 0, sizeof(c));
	str_copy(c.tunnel, t->name, sizeof(c.tunnel));
	c.if_id = t->if_id;
	c.proto = proto;
	return sa->ike->ops.spi_alloc(sa->ike->ops.kernel_arg, &sa->path, &c,
	    spi);
}

int
ike_child_prepare(struct ike_sa *sa, const char *tunnel, int pfs,
    struct ike_pending *pc)
{
	struct ike_tunnel t;
	uint8_t		 spi[4] = { 0 };
	char		 why[160] = "";
	size_t		 i;

	ike_dh_free(pc->dh);
	memset(pc, 0, sizeof(*pc));
	str_copy(pc->tunnel, tunnel, sizeof(pc->tunnel));
	if (ike_conf_tunnel(sa->ike->st, tunnel, &t) != 1)
		return -1;
	if (ike_prop_child(sa->ike->st, t.transform_set, pfs ? t.pfs_group :
	    0, spi, pc->props, IKE_MAX_PROPOSALS, &pc->nprops, why,
	    sizeof(why)) == -1 || pc->nprops == 0) {
		ike_tun_failed(sa->ike, tunnel, "no usable CHILD_SA proposal: "
		    "%s", why);
		return -1;
	}
	pc->proto = child_ipproto(&pc->props[0]);
	if (spi_alloc(sa, &t, pc->proto, &pc->spi_in) == -1) {
		ike_tun_failed(sa->ike, tunnel, "%s", "the kernel gave no SPI");
		return -1;
	}
	ike_spi_put(spi, pc->spi_in);
	for (i = 0; i < pc->nprops; i++)
		memcpy(pc->props[i].spi, spi, 4);
	if (ike_ts_from_text(t.local_selector, pc->tsi, IKE_MAX_TS,
	    &pc->ntsi) == -1 || ike_ts_from_text(t.peer_selector, pc->tsr,
	    IKE_MAX_TS, &pc->ntsr) == -1) {
		ike_tun_failed(sa->ike, tunnel, "%s", "unusable selectors");
		return -1;
	}
	if (ike_random(pc->nonce, sizeof(pc->nonce)) == -1 ||
	    (pfs && t.pfs_group != 0 &&
	    (pc->dh = ike_dh_new(t.pfs_group)) == NULL))
		return -1;
	return 0;
}

void
ike_child_encode(struct ike_enc *e, const struct ike_pending *pc, int create)
{
	uint8_t		 pub[IKE_DH_PUB_MAX];
	size_t		 plen;

	if (!create)	/* 1.2: first CHILD_SA in IKE_AUTH: SA, TSi, TSr */
		ike_enc_sa(e, pc->props, pc->nprops);
	else {	/* 1.3.1: SA, Ni, [KEi,] TSi, TSr */
		ike_enc_sa(e, pc->props, pc->nprops);
		ike_enc_nonce(e, pc->nonce, sizeof(pc->nonce));
		if (pc->dh != NULL) {
			plen = ike_dh_public_len(ike_dh_group(pc->dh));
			if (ike_dh_public(pc->dh, pub, plen) == -1)
				e->err = 1;
			ike_enc_ke(e, ike_dh_group(pc->dh), pub, plen);
		}
	}
	ike_enc_ts(e, IKE_PL_TSI, pc->tsi, pc->ntsi);
	ike_enc_ts(e, IKE_PL_TSR, pc->tsr, pc->ntsr);
}

/* KEYMAT (2.17) split into the child's keys: initiator to responder
 * first, encryption key before integrity key. */
static int
child_keys(struct ike_sa *sa, struct ike_child *c, int we_initiated,
    const uint8_t *gir, size_t girlen, const uint8_t *ni, size_t nilen,
    const uint8_t *nr, size_t nrlen)
{
	uint8_t		 km[4 * IKE_KEY_MAX];
	size_t		 el = c->xf.enc_key_len, al = c->xf.auth_key_len;
	int		 in_first = !we_initiated;	/* i->r is ours in */

	if (el > IKE_KEY_MAX || al > IKE_KEY_MAX ||
	    ike_child_keymat(sa->suite.prf, sa->keys.sk_d, sa->keys.d_len,
	    gir, girlen, ni, nilen, nr, nrlen, km, 2 * (el + al)) == -1)
		return -1;
	memcpy(in_first ? c->enc_in : c->enc_out, km, el);
	memcpy(in_first ? c->auth_in : c->auth_out, km + el, al);
	memcpy(in_first ? c->enc_out : c->enc_in, km + el + al, el);
	memcpy(in_first ? c->auth_out : c->auth_in, km + 2 * el + al, al);
	OPENSSL_cleanse(km, sizeof(km));
	return 0;
}

/* Nonces compared as byte strings (shorter is lower on a tie). */
int
ike_nonce_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	int	 c = memcmp(a, b, al < bl ? al : bl);

	return c != 0 ? c : (al > bl) - (al < bl);
}

size_t
ike_nonce_low(const uint8_t *a, size_t al, const uint8_t *b, size_t bl,
    uint8_t *out)
{
	int	 alow = ike_nonce_cmp(a, al, b, bl) < 0;
	size_t	 n = alow ? al : bl;

	if (n > IKE_NONCE_MAX)
		n = IKE_NONCE_MAX;
	memcpy(out, alow ? a : b, n);
	return n;
}

/* Both routers initiated at once: two IKE SAs, each with a CHILD_SA for
 * the same tunnel. As RFC 7296 2.8.1 resolves rekey collisions, the one
 * whose IKE SA has the lowest nonce loses; both ends decide alike. */
int
ike_sa_loses(const struct ike_sa *a, const struct ike_sa *b)
{
	uint8_t	 la[IKE_NONCE_MAX], lb[IKE_NONCE_MAX];
	size_t	 lal, lbl;

	lal = ike_nonce_low(a->ni, a->nilen, a->nr, a->nrlen, la);
	lbl = ike_nonce_low(b->ni, b->nilen, b->nr, b->nrlen, lb);
	return ike_nonce_cmp(la, lal, lb, lbl) < 0;
}

/* A duplicate that lost: not installed, its SPI given back, a Delete for
 * it queued (sent once the window allows: ike_child_next), and the IKE SA
 * with it when nothing else runs on it. */
static void
child_duplicate(struct ike_sa *sa, struct ike_child *c)
{
	log_info("tunnel ipsec:%s: a second CHILD_SA (both ends initiated); "
	    "this IKE SA's loses (RFC 7296 2.8.1) and is deleted", c->tunnel);
	ike_spi_free(sa, c->proto, c->spi_in);
	if (sa->nchildren == 0 && sa->nqueue == 0)
		sa->delete_ike = 1;
	else if (sa->ndel < IKE_MAX_CHILDREN) {
		sa->del_spi[sa->ndel] = c->spi_in;
		sa->del_proto[sa->ndel++] = c->proto == IPPROTO_AH ?
		    IKE_PROTO_AH : IKE_PROTO_ESP;
	}
}

/* Into the kernel and the SA's list; a child of the same tunnel on this
 * IKE SA is replaced, one on another IKE SA is a collision. 0 installed,
 * 1 a duplicate that lost (not installed; the caller frees c), -1 not. */
static int
child_install(struct ike_sa *sa, struct ike_child *c, char *why,
    size_t whylen)
{
	struct ike_child *old;
	struct ike_sa	*osa = NULL;
	struct ike_tun	*tun;

	if (sa->nchildren == IKE_MAX_CHILDREN) {
		snprintf(why, whylen, "%s", "too many CHILD_SAs on one IKE SA");
		return -1;
	}
	if (c->rekey_of != 0)	/* a rekey: the old one stays for now */
		old = NULL;
	else
		old = ike_child_by_tunnel(sa->ike, c->tunnel, &osa);
	if (old != NULL && osa != sa && ike_sa_loses(sa, osa)) {
		child_duplicate(sa, c);
		return 1;
	}
	/* a rekey we answer: the peer has the new inbound SA only once it
	 * reads our answer, so we send on the new SA once it deletes the
	 * old one (strongSwan does the same) */
	c->out_pending = c->rekey_of != 0 && !c->ours &&
	    sa->ike->ops.child_out_up != NULL;
	/* listed first, so what child_up sets off (tunnel-up's hooks) finds
	 * it with its IKE SA */
	c->sa = sa;
	c->installed = 1;
	c->established_ms = ike_now(sa->ike);
	sa->children[sa->nchildren++] = c;
	if (sa->ike->ops.child_up(sa->ike->ops.kernel_arg, &sa->path, c, why,
	    whylen) == -1) {
		sa->nchildren--;
		c->installed = 0;
		return -1;
	}
	if (old != NULL && osa == sa)
		ike_child_remove(sa, old, "replaced");
	else if (old != NULL)		/* the other IKE SA's lost */
		ike_delete_child(osa, old);
	if ((tun = ike_tun_get(sa->ike, c->tunnel, 1)) != NULL) {
		tun->error[0] = '\0';
		tun->failures = 0;
	}
	log_info("tunnel ipsec:%s: CHILD_SA up, SPIs in 0x%08x out 0x%08x%s",
	    c->tunnel, c->spi_in, c->spi_out, c->rekey_of ? " (rekey)" : "");
	ike_dpd_reconsider(sa);	/* this tunnel's DPD counts now */
	if (!sa->ev_up) {	/* the IKE SA's first: ike-up names it */
		sa->ev_up = 1;
		str_copy(sa->ev_tunnel, c->tunnel, sizeof(sa->ev_tunnel));
		ike_event(sa->ike, IKE_EV_IKE_UP, sa, c->tunnel,
		    "IKE SA established");
	}
	if (c->rekey_of != 0)
		ike_rekey_installed(sa, c);
	return 0;
}

static struct ike_child *
child_new(const char *tunnel, uint32_t if_id, const struct ike_prop *p)
{
	struct ike_child *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	str_copy(c->tunnel, tunnel, sizeof(c->tunnel));
	c->if_id = if_id;
	c->prop = *p;
	c->proto = child_ipproto(p);
	if (ike_prop_child_sa(p, &c->xf) == -1) {
		free(c);
		return NULL;
	}
	return c;
}

static int
ts_decode(const struct ike_msg *m, uint8_t type, struct ike_ts *ts,
    size_t *n)
{
	struct ike_err	 err;

	return ike_ts_decode(ike_pl_get(m, type), ts, IKE_MAX_TS, n,
	    &err);
}

/* New DH result for PFS (1.3.1): the peer's KE of our group. */
static int
child_gir(struct ike_dh *dh, const struct ike_msg *m, uint8_t *gir,
    size_t *glen)
{
	struct ike_ke	 ke;
	struct ike_err	 err;

	if (ike_ke_decode(ike_pl_get(m, IKE_PL_KE), &ke, &err) == -1 ||
	    ke.group != ike_dh_group(dh))
		return -1;
	return ike_dh_shared(dh, ke.data, ke.len, gir, glen);
}

int
ike_child_complete(struct ike_sa *sa, struct ike_pending *pc,
    struct ike_rx *rx, char *why, size_t whylen)
{
	struct ike_prop	 got[IKE_MAX_PROPOSALS], chosen;
	struct ike_tunnel t;
	struct ike_child *c;
	struct ike_err	 err;
	uint8_t		 gir[IKE_DH_SECRET_MAX];
	const uint8_t	*nr = sa->nr, *ni = sa->ni;
	size_t		 n, nrlen = sa->nrlen, nilen = sa->nilen;
	size_t		 glen = 0;
	int		 create = rx->m.h.exchange == IKE_CREATE_CHILD_SA, rc;

	snprintf(why, whylen, "%s", "the peer's CHILD_SA answer is not usable");
	if (ike_conf_tunnel(sa->ike->st, pc->tunnel, &t) != 1 ||
	    ike_sa_decode(ike_pl_get(&rx->m, IKE_PL_SA), got,
	    IKE_MAX_PROPOSALS, &n, &err) == -1 ||
	    ike_prop_accept(pc->props, pc->nprops, got, n, &chosen) == -1 ||
	    chosen.spi_len != 4)
		return -1;
	c = child_new(pc->tunnel, t.if_id, &chosen);
	if (c == NULL || ts_decode(&rx->m, IKE_PL_TSI, c->ts_local,
	    &c->nts_local) == -1 || ts_decode(&rx->m, IKE_PL_TSR, c->ts_peer,
	    &c->nts_peer) == -1 ||
	    !ike_ts_within(c->ts_local, c->nts_local, pc->tsi, pc->ntsi) ||
	    !ike_ts_within(c->ts_peer, c->nts_peer, pc->tsr, pc->ntsr)) {
		snprintf(why, whylen, "%s", "the peer's traffic selectors are "
		    "not within ours");
		goto fail;
	}
	if (create) {
		ni = pc->nonce;
		nilen = sizeof(pc->nonce);
		if (ike_nonce_decode(ike_pl_get(&rx->m, IKE_PL_NONCE),
		    &nr, &nrlen, &err) == -1)
			goto fail;
		glen = sizeof(gir);
		if (pc->dh != NULL && child_gir(pc->dh, &rx->m, gir, &glen) ==
		    -1)
			goto fail;
		c->pfs_group = pc->dh != NULL ? ike_dh_group(pc->dh) : 0;
	}
	c->spi_in = pc->spi_in;
	c->spi_out = ike_spi_get(chosen.spi);
	c->ours = 1;
	c->rekey_of = pc->rekey_spi;
	c->nlowlen = ike_nonce_low(ni, nilen, nr, nrlen, c->nlow);
	ike_rekey_lifetimes(c, &t);
	if (child_keys(sa, c, 1, c->pfs_group ? gir : NULL, c->pfs_group ?
	    glen : 0, ni, nilen, nr, nrlen) == -1 ||
	    (rc = child_install(sa, c, why, whylen)) == -1)
		goto fail;
	pc->spi_in = 0;		/* the CHILD_SA's now (or given back) */
	if (rc == 1)
		ike_child_free(c);
	OPENSSL_cleanse(gir, sizeof(gir));
	return 0;
fail:
	OPENSSL_cleanse(gir, sizeof(gir));
	ike_child_free(c);
	return -1;
}

/* ---- the responder's side ---- */

int
ike_child_candidates(struct ike_sa *sa, char (*names)[NAME_MAX_LEN + 1],
    size_t max, size_t *n)
{
	return ike_conf_match(sa->ike->st, sa->path.tvr, sa->path.family,
	    sa->path.local, sa->path.peer, &sa->peer_id, names, max, n);
}

/* Would this tunnel take the offer? 0 or the notify. */
static uint16_t
choose_tunnel(struct ike_sa *sa, const struct ike_tunnel *t,
    const struct ike_prop *got, size_t ngot, const struct ike_ts *tsi,
    size_t ntsi, const struct ike_ts *tsr, size_t ntsr, int create,
    struct ike_choice *ch)
{
	struct ike_prop	 ours[IKE_MAX_PROPOSALS];
	struct ike_ts	 ol[IKE_MAX_TS], op[IKE_MAX_TS];
	uint8_t		 spi[4] = { 0 };
	char		 why[160];
	size_t		 nours, nl, np;
	uint16_t	 pfs = create ? t->pfs_group : 0;

	if (t->shutdown || ike_ts_from_text(t->local_selector, ol, IKE_MAX_TS,
	    &nl) == -1 || ike_ts_from_text(t->peer_selector, op, IKE_MAX_TS,
	    &np) == -1)
		return IKE_N_TS_UNACCEPTABLE;
	/* TSi is the initiator's (the peer's) side, TSr ours (2.9) */
	if (ike_ts_narrow(tsi, ntsi, op, np, ch->tsi, IKE_MAX_TS,
	    &ch->ntsi) == -1 || ike_ts_narrow(tsr, ntsr, ol, nl, ch->tsr,
	    IKE_MAX_TS, &ch->ntsr) == -1)
		return IKE_N_TS_UNACCEPTABLE;
	if (ike_prop_child(sa->ike->st, t->transform_set, pfs, spi, ours,
	    IKE_MAX_PROPOSALS, &nours, why, sizeof(why)) == -1 ||
	    ike_prop_select(got, ngot, ours, nours, pfs == 0, &ch->prop) ==
	    -1 || ch->prop.spi_len != 4)
		return IKE_N_NO_PROPOSAL_CHOSEN;
	str_copy(ch->tunnel, t->name, sizeof(ch->tunnel));
	return 0;
}

static int
has_child(struct ike_sa *sa, const char *tunnel)
{
	size_t	 i;

	for (i = 0; i < sa->nchildren; i++)
		if (strcmp(sa->children[i]->tunnel, tunnel) == 0)
			return 1;
	return 0;
}

uint16_t
ike_child_choose(struct ike_sa *sa, struct ike_rx *rx,
    const char (*names)[NAME_MAX_LEN + 1], size_t n, uint32_t rekey_of,
    struct ike_choice *ch)
{
	struct ike_prop	 got[IKE_MAX_PROPOSALS];
	struct ike_ts	 tsi[IKE_MAX_TS], tsr[IKE_MAX_TS];
	struct ike_tunnel t;
	struct ike_err	 err;
	size_t		 ngot, ntsi, ntsr, i;
	int		 create = rx->m.h.exchange == IKE_CREATE_CHILD_SA;
	uint16_t	 notify = IKE_N_TS_UNACCEPTABLE, rc;

	if (ike_sa_decode(ike_pl_get(&rx->m, IKE_PL_SA), got,
	    IKE_MAX_PROPOSALS, &ngot, &err) == -1 ||
	    ts_decode(&rx->m, IKE_PL_TSI, tsi, &ntsi) == -1 ||
	    ts_decode(&rx->m, IKE_PL_TSR, tsr, &ntsr) == -1)
		return IKE_N_INVALID_SYNTAX;
	/* a tunnel without a CHILD_SA here: two tunnels between the same
	 * routers share the IKE SA, one CHILD_SA each, and an offer never
	 * takes a tunnel that has one (its rekey says REKEY_SA, 2.8) */
	for (i = 0; i < n; i++) {
		if ((!rekey_of && has_child(sa, names[i])) ||
		    ike_conf_tunnel(sa->ike->st, names[i], &t) != 1)
			continue;
		memset(ch, 0, sizeof(*ch));
		rc = choose_tunnel(sa, &t, got, ngot, tsi, ntsi, tsr, ntsr,
		    create, ch);
		ch->rekey_of = rekey_of;
		if (rc == 0)
			return 0;
		if (rc == IKE_N_NO_PROPOSAL_CHOSEN)
			notify = rc;
	}
	return notify;
}

static uint16_t
accept_keys(struct ike_sa *sa, struct ike_choice *ch, int create,
    struct ike_child *c, uint8_t *nr, struct ike_dh **dh)
{
	uint8_t		 gir[IKE_DH_SECRET_MAX];
	size_t		 glen = sizeof(gir);
	uint16_t	 group = ike_prop_dh(&ch->prop);
	int		 rc;

	if (!create)
		return child_keys(sa, c, 0, NULL, 0, sa->ni, sa->nilen, sa->nr,
		    sa->nrlen) == 0 ? 0 : IKE_N_NO_PROPOSAL_CHOSEN;
	if (ike_random(nr, IKE_NONCE_LEN) == -1)
		return IKE_N_TEMPORARY_FAILURE;
	if (group != 0) {	/* PFS: the KE must be of the chosen group */
		if (!ch->have_ke || ch->ke.group != group)
			return IKE_N_INVALID_KE_PAYLOAD;
		if ((*dh = ike_dh_new(group)) == NULL ||
		    ike_dh_shared(*dh, ch->ke.data, ch->ke.len, gir,
		    &glen) == -1)
			return IKE_N_NO_PROPOSAL_CHOSEN;
		c->pfs_group = group;
	}
	rc = child_keys(sa, c, 0, group ? gir : NULL, group ? glen : 0, ch->ni,
	    ch->nilen, nr, IKE_NONCE_LEN);
	OPENSSL_cleanse(gir, sizeof(gir));
	return rc == 0 ? 0 : IKE_N_NO_PROPOSAL_CHOSEN;
}

static void
strip_dh(struct ike_prop *p)
{
	size_t	 i, j;

	for (i = j = 0; i < p->nxf; i++)
		if (p->xf[i].type != IKE_XF_DH)
			p->xf[j++] = p->xf[i];
	p->nxf = j;
}

uint16_t
ike_child_accept(struct ike_sa *sa, struct ike_choice *ch, int create,
    struct ike_enc *e)
{
	struct ike_tunnel t;
	struct ike_child *c = NULL;
	struct ike_dh	*dh = NULL;
	struct ike_prop	 reply;
	uint8_t		 nr[IKE_NONCE_LEN], pub[IKE_DH_PUB_MAX];
	char		 why[200];
	uint16_t	 rc = IKE_N_NO_PROPOSAL_CHOSEN;
	int		 installed;

	if (!create)	/* 1.2: no Diffie-Hellman in IKE_AUTH's child */
		strip_dh(&ch->prop);
	if (ike_conf_tunnel(sa->ike->st, ch->tunnel, &t) != 1 ||
	    (c = child_new(ch->tunnel, t.if_id, &ch->prop)) == NULL)
		goto done;
	memcpy(c->ts_peer, ch->tsi, ch->ntsi * sizeof(*ch->tsi));
	c->nts_peer = ch->ntsi;
	memcpy(c->ts_local, ch->tsr, ch->ntsr * sizeof(*ch->tsr));
	c->nts_local = ch->ntsr;
	c->spi_out = ike_spi_get(ch->prop.spi);
	if ((rc = accept_keys(sa, ch, create, c, nr, &dh)) != 0)
		goto done;
	c->ours = 0;
	c->rekey_of = ch->rekey_of;
	if (create)
		c->nlowlen = ike_nonce_low(ch->ni, ch->nilen, nr, sizeof(nr),
		    c->nlow);
	ike_rekey_lifetimes(c, &t);
	rc = IKE_N_TEMPORARY_FAILURE;
	if (spi_alloc(sa, &t, c->proto, &c->spi_in) == -1) {
		ike_tun_failed(sa->ike, ch->tunnel, "%s", "the kernel gave no "
		    "SPI");
		goto done;
	}
	if ((installed = child_install(sa, c, why, sizeof(why))) == -1) {
		ike_spi_free(sa, c->proto, c->spi_in);
		ike_tun_failed(sa->ike, ch->tunnel, "%s", why);
		goto done;
	}
	reply = ch->prop;
	ike_spi_put(reply.spi, c->spi_in);
	ike_enc_sa(e, &reply, 1);
	if (create) {
		ike_enc_nonce(e, nr, sizeof(nr));
		if (dh != NULL && ike_dh_public(dh, pub,
		    ike_dh_public_len(ike_dh_group(dh))) == 0)
			ike_enc_ke(e, ike_dh_group(dh), pub,
			    ike_dh_public_len(ike_dh_group(dh)));
	}
	ike_enc_ts(e, IKE_PL_TSI, ch->tsi, ch->ntsi);
	ike_enc_ts(e, IKE_PL_TSR, ch->tsr, ch->ntsr);
	if (installed == 0)	/* else a lost duplicate: freed below */
		c = NULL;
	rc = 0;
done:
	ike_child_free(c);
	ike_dh_free(dh);
	OPENSSL_cleanse(nr, sizeof(nr));
	return rc;
}

/* ---- children ---- */

void
ike_child_free(struct ike_child *c)
{
	if (c == NULL)
		return;
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

/* The old child of a rekey is gone: its successor (not a redundant one)
 * sends now. */
static void
release_successors(struct ike_sa *sa, const struct ike_child *old)
{
	struct ike_child *d;
	size_t		 i;

	for (i = 0; i < sa->nchildren; i++) {
		d = sa->children[i];
		if (d->rekey_of != old->spi_in || !d->out_pending ||
		    d->redundant || d->retiring)
			continue;
		d->out_pending = 0;
		if (sa->ike->ops.child_out_up(sa->ike->ops.kernel_arg,
		    &sa->path, d) == -1)
			log_warn("tunnel ipsec:%s: outbound SA 0x%08x refused",
			    d->tunnel, d->spi_out);
	}
}

void
ike_child_remove(struct ike_sa *sa, struct ike_child *c, const char *why)
{
	size_t	 i;

	for (i = 0; i < sa->nchildren && sa->children[i] != c; i++)
		;
	if (i == sa->nchildren)
		return;
	release_successors(sa, c);
	/* still listed, so tunnel-down's hooks find its IKE SA */
	if (c->installed)
		sa->ike->ops.child_down(sa->ike->ops.kernel_arg, &sa->path,
		    c, ike_child_find(sa->ike, c->tunnel, c, NULL), why);
	sa->children[i] = sa->children[--sa->nchildren];
	log_info("tunnel ipsec:%s: CHILD_SA 0x%08x/0x%08x down: %s",
	    c->tunnel, c->spi_in, c->spi_out, why);
	ike_child_free(c);
}

/* The tunnel's current child but not, when given, exclude: one neither
 * replaced by a rekey nor on its way out, else any (the newest IKE SA
 * first). */
struct ike_child *
ike_child_find(struct ike *ike, const char *tunnel,
    const struct ike_child *exclude, struct ike_sa **sap)
{
	struct ike_sa	*sa, *asa = NULL;
	struct ike_child *c, *any = NULL;
	size_t		 i;

	for (sa = ike->sas; sa != NULL; sa = sa->next) {
		if (sa->state == IKE_SA_DEAD)
			continue;
		for (i = sa->nchildren; i > 0; i--) {
			c = sa->children[i - 1];
			if (c == exclude || strcmp(c->tunnel, tunnel) != 0)
				continue;
			if (!c->replaced && !c->retiring) {
				if (sap != NULL)
					*sap = sa;
				return c;
			}
			if (any == NULL) {
				any = c;
				asa = sa;
			}
		}
	}
	if (any != NULL && sap != NULL)
		*sap = asa;
	return any;
}

struct ike_child *
ike_child_by_tunnel(struct ike *ike, const char *tunnel, struct ike_sa **sap)
{
	return ike_child_find(ike, tunnel, NULL, sap);
}

struct ike_child *
ike_child_by_spi(struct ike_sa *sa, uint32_t spi)
{
	size_t	 i;

	for (i = 0; i < sa->nchildren; i++)
		if (sa->children[i]->spi_in == spi)
			return sa->children[i];
	return NULL;
}

/* ---- CREATE_CHILD_SA (1.3) ---- */

/* Next queued tunnel on an established SA, one request at a time. */
void
ike_child_next(struct ike_sa *sa)
{
	struct ike_enc	 e;
	uint8_t		 buf[IKE_MSG_LIMIT];
	char		 tunnel[NAME_MAX_LEN + 1];

	if (sa->state == IKE_SA_ESTABLISHED && sa->req.kind == IKE_REQ_NONE &&
	    (sa->ndel > 0 || sa->delete_ike)) {
		ike_delete_pending(sa);		/* deletes go first */
		return;
	}
	if (sa->state == IKE_SA_ESTABLISHED && sa->req.kind == IKE_REQ_NONE &&
	    ike_rekey_next(sa))
		return;				/* then rekeys */
	while (sa->state == IKE_SA_ESTABLISHED &&
	    sa->req.kind == IKE_REQ_NONE && sa->nqueue > 0) {
		str_copy(tunnel, sa->queue[0], sizeof(tunnel));
		memmove(sa->queue, sa->queue + 1, --sa->nqueue *
		    sizeof(*sa->queue));
		if (ike_child_by_tunnel(sa->ike, tunnel, NULL) != NULL ||
		    ike_child_prepare(sa, tunnel, 1, &sa->req.child) == -1)
			continue;
		ike_enc_chain(&e, buf, sizeof(buf));
		ike_child_encode(&e, &sa->req.child, 1);
		if (ike_sa_request(sa, IKE_CREATE_CHILD_SA, IKE_REQ_CHILD,
		    &e) == -1)
			ike_tun_failed(sa->ike, tunnel, "%s", "cannot send "
			    "CREATE_CHILD_SA");
	}
}

void
ike_create_child_respond(struct ike_sa *sa, struct ike_rx *rx)
{
	char		 (*names)[NAME_MAX_LEN + 1];
	struct ike_choice ch;
	struct ike_enc	 e;
	struct ike_err	 err;
	uint8_t		 buf[IKE_MSG_LIMIT];
	size_t		 n = 0;
	uint16_t	 notify = IKE_N_NO_ADDITIONAL_SAS;
	uint32_t	 rekey_of = 0;

	ike_enc_chain(&e, buf, sizeof(buf));
	memset(&ch, 0, sizeof(ch));
	names = calloc(IKE_CANDIDATES_MAX, sizeof(*names));
	if (names == NULL || sa->state != IKE_SA_ESTABLISHED || sa->rekeyed) {
		notify = IKE_N_TEMPORARY_FAILURE;	/* 2.25 */
		goto refuse;
	}
	if (ike_rekey_respond(sa, rx, &rekey_of, &notify) == 1) {
		free(names);
		return;			/* an IKE SA rekey, answered */
	}
	if (notify != 0)
		goto refuse;
	if (ike_nonce_decode(ike_pl_get(&rx->m, IKE_PL_NONCE),
	    &ch.ni, &ch.nilen, &err) == -1) {
		notify = IKE_N_INVALID_SYNTAX;
		goto refuse;
	}
	ch.have_ke = ike_ke_decode(ike_pl_get(&rx->m, IKE_PL_KE),
	    &ch.ke, &err) == 0;
	if (rekey_of != 0) {	/* 1.3.3: that child's tunnel only */
		str_copy(names[0], ike_child_by_spi(sa, rekey_of)->tunnel,
		    sizeof(names[0]));
		n = 1;
	} else if (ike_child_candidates(sa, names, IKE_CANDIDATES_MAX, &n) ==
	    -1)
		n = 0;
	if (n == 0)
		notify = IKE_N_TS_UNACCEPTABLE;
	else {
		const uint8_t *ni = ch.ni;	/* choose clears ch */
		size_t nilen = ch.nilen;
		struct ike_ke ke = ch.ke;
		int have_ke = ch.have_ke;

		notify = ike_child_choose(sa, rx,
		    (const char (*)[NAME_MAX_LEN + 1])names, n, rekey_of, &ch);
		ch.ni = ni;
		ch.nilen = nilen;
		ch.ke = ke;
		ch.have_ke = have_ke;
		if (notify == 0)
			notify = ike_child_accept(sa, &ch, 1, &e);
	}
refuse:
	if (notify != 0) {
		ike_enc_chain(&e, buf, sizeof(buf));
		ike_enc_notify(&e, 0, NULL, 0, notify, NULL, 0);
	}
	ike_sa_respond(sa, IKE_CREATE_CHILD_SA, rx->m.h.msgid, &e);
	OPENSSL_cleanse(buf, sizeof(buf));
	free(names);
	ike_child_next(sa);	/* a lost duplicate's Delete, after the answer */
}

void
ike_create_child_reply(struct ike_sa *sa, struct ike_rx *rx)
{
	struct ike_pending *pc = &sa->req.child;
	const char	*refused;
	char		 why[200];

	if (sa->req.kind == IKE_REQ_REKEY_IKE || (sa->req.kind ==
	    IKE_REQ_CHILD && pc->rekey_spi != 0)) {
		ike_rekey_reply(sa, rx);
		return;
	}
	if (sa->req.kind != IKE_REQ_CHILD)
		return;
	if ((refused = ike_msg_error(&rx->m, NULL)) != NULL)
		ike_tun_failed(sa->ike, pc->tunnel, "the peer refused the "
		    "CHILD_SA: %s", refused);
	else if (ike_child_complete(sa, pc, rx, why, sizeof(why)) == -1)
		ike_tun_failed(sa->ike, pc->tunnel, "%s", why);
	ike_req_clear(sa);
	ike_child_next(sa);
}
