/* ike_info: the INFORMATIONAL exchange (RFC 7296 1.4): Delete of IKE and
 * CHILD SAs, liveness checks, error notifies; unprotected notifies for
 * messages without an SA (1.5); debug logging and the show views. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "ike_int.h"
#include "log.h"
#include "util.h"

static uint8_t
ike_proto_of(const struct ike_child *c)
{
	return c->proto == IPPROTO_AH ? IKE_PROTO_AH : IKE_PROTO_ESP;
}

const char *
ike_msg_error(const struct ike_msg *m, uint16_t *type)
{
	struct ike_notify n;
	struct ike_err	 err;
	size_t		 i;

	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKE_PL_NOTIFY &&
		    ike_notify_decode(&m->pl[i], &n, &err) == 0 &&
		    n.type <= IKE_N_ERROR_MAX) {
			if (type != NULL)
				*type = n.type;
			return ike_notify_name(n.type);
		}
	return NULL;
}

/* Delete the IKE SA (1.4.1): its children go with it. Sent when the
 * window is free; an SA not established just ends. */
int
ike_delete_ike(struct ike_sa *sa)
{
	while (sa->nchildren > 0)
		ike_child_remove(sa, sa->children[sa->nchildren - 1],
		    "IKE SA deleted");
	if (sa->state != IKE_SA_ESTABLISHED) {
		ike_sa_dead(sa, "deleted");
		return 0;
	}
	sa->delete_ike = 1;
	sa->ndel = 0;		/* the IKE SA's Delete covers them */
	ike_child_next(sa);
	return 0;
}

/* Delete one CHILD_SA (1.4.1): out of the kernel now, and our inbound SPI
 * tells the peer which, when the window is free. The IKE SA goes with
 * its last child. */
int
ike_delete_child(struct ike_sa *sa, struct ike_child *c)
{
	if (sa->ndel < IKE_MAX_CHILDREN && sa->state == IKE_SA_ESTABLISHED) {
		sa->del_spi[sa->ndel] = c->spi_in;
		sa->del_proto[sa->ndel++] = ike_proto_of(c);
	}
	ike_child_remove(sa, c, "deleted");
	if (sa->nchildren == 0)
		return ike_delete_ike(sa);
	ike_child_next(sa);
	return 0;
}

void
ike_delete_ike_once(struct ike_sa *sa, const char *why)
{
	struct ike_enc	 e;
	uint8_t		 buf[64], out[256];
	long		 n;

	if (sa->state == IKE_SA_ESTABLISHED) {
		ike_enc_chain(&e, buf, sizeof(buf));
		ike_enc_delete(&e, IKE_PROTO_IKE, 0, NULL, 0);
		n = ike_sa_seal(sa, IKE_INFORMATIONAL, 0, sa->msgid_out++, &e,
		    out, sizeof(out));
		if (n > 0)
			sa->ike->ops.send(sa->ike->ops.arg, &sa->path, out,
			    (size_t)n);
	}
	ike_sa_dead(sa, why);
}

void
ike_shutdown(struct ike *ike)
{
	struct ike_sa	*sa;

	for (sa = ike->sas; sa != NULL; sa = sa->next)
		if (sa->state == IKE_SA_ESTABLISHED)
			ike_delete_ike_once(sa, "sectund stopped");
}

void
ike_delete_pending(struct ike_sa *sa)
{
	struct ike_enc	 e;
	uint8_t		 buf[IKE_MSG_LIMIT], spis[IKE_MAX_CHILDREN * 4];
	uint16_t	 n[2] = { 0, 0 };	/* ESP, AH */
	size_t		 i;
	int		 k;

	ike_enc_chain(&e, buf, sizeof(buf));
	if (sa->delete_ike) {
		ike_enc_delete(&e, IKE_PROTO_IKE, 0, NULL, 0);
		ike_sa_set_state(sa, IKE_SA_DELETING);
		ike_sa_request(sa, IKE_INFORMATIONAL, IKE_REQ_DELETE_IKE, &e);
		return;
	}
	for (k = 0; k < 2; k++) {	/* one Delete payload per protocol */
		uint8_t proto = k == 0 ? IKE_PROTO_ESP : IKE_PROTO_AH;

		for (i = 0; i < sa->ndel; i++)
			if (sa->del_proto[i] == proto) {
				struct ike_child *c = ike_child_by_spi(sa,
				    sa->del_spi[i]);

				if (c != NULL && c->retiring)
					c->retiring = 2;	/* sent */
				ike_spi_put(spis + 4 * n[k]++, sa->del_spi[i]);
			}
		if (n[k] > 0)
			ike_enc_delete(&e, proto, 4, spis, n[k]);
	}
	sa->ndel = 0;
	ike_sa_request(sa, IKE_INFORMATIONAL, IKE_REQ_DELETE_CHILD, &e);
}

/* The peer deletes CHILD_SAs by its inbound SPIs (our outbound ones); we
 * answer with ours (1.4.1). */
static void
delete_children(struct ike_sa *sa, const struct ike_delete *d,
    struct ike_enc *e)
{
	uint8_t		 ours[IKE_MAX_DELETE_SPIS * 4];
	struct ike_child *c;
	uint16_t	 i, n = 0;
	int		 quiet;
	uint32_t	 spi;
	size_t		 j;

	for (i = 0; i < d->nspi && i < IKE_MAX_DELETE_SPIS; i++) {
		spi = ike_spi_get(d->spis + 4 * i);
		for (j = 0; j < sa->nchildren; j++)
			if (sa->children[j]->spi_out == spi &&
			    ike_proto_of(sa->children[j]) == d->proto)
				break;
		if (j == sa->nchildren)
			continue;
		c = sa->children[j];
		ike_spi_put(ours + 4 * n++, c->spi_in);
		/* the old SA of a rekey (1.3.3), a redundant one (2.8.1):
		 * the tunnel has another CHILD_SA */
		quiet = ike_child_find(sa->ike, c->tunnel, c, NULL) != NULL;
		if (!quiet)
			ike_tun_failed(sa->ike, c->tunnel, "%s",
			    "the peer deleted the CHILD_SA");
		ike_child_remove(sa, c, quiet ? "rekeyed (deleted by the "
		    "peer)" : "deleted by the peer");
	}
	if (n > 0)
		ike_enc_delete(e, d->proto, 4, ours, n);
}

void
ike_info_respond(struct ike_sa *sa, struct ike_rx *rx)
{
	struct ike_delete d;
	struct ike_err	 err;
	struct ike_enc	 e;
	uint8_t		 buf[IKE_MSG_LIMIT];
	int		 delete_ike = 0;
	size_t		 i;

	ike_enc_chain(&e, buf, sizeof(buf));
	for (i = 0; i < rx->m.npl; i++) {
		if (rx->m.pl[i].type != IKE_PL_DELETE ||
		    ike_delete_decode(&rx->m.pl[i], &d, &err) == -1)
			continue;
		if (d.proto == IKE_PROTO_IKE)
			delete_ike = 1;
		else
			delete_children(sa, &d, &e);
	}
	if (delete_ike) {	/* 1.4.1: empty answer, then it is gone */
		ike_enc_chain(&e, buf, sizeof(buf));
		ike_sa_respond(sa, IKE_INFORMATIONAL, rx->m.h.msgid, &e);
		ike_sa_dead(sa, "deleted by the peer");
		return;
	}
	ike_sa_respond(sa, IKE_INFORMATIONAL, rx->m.h.msgid, &e);
	if (sa->nchildren == 0 && sa->initiator == 0 && sa->nqueue == 0)
		return;	/* the peer decides about its IKE SA */
}

void
ike_info_reply(struct ike_sa *sa, struct ike_rx *rx)
{
	enum ike_req_kind kind = sa->req.kind;

	(void)rx;
	ike_req_clear(sa);
	if (kind == IKE_REQ_DELETE_IKE) {
		ike_sa_dead(sa, "deleted");
		return;
	}
	if (kind == IKE_REQ_DELETE_CHILD)	/* the peer has let them go */
		ike_child_retired(sa);
	ike_child_next(sa);
}

void
ike_notify_plain(struct ike *ike, const struct ike_path *p,
    const struct ike_hdr *in, uint16_t notify, const uint8_t *data,
    size_t len)
{
	struct ike_hdr	 h;
	struct ike_enc	 e;
	uint8_t		 buf[256];
	long		 n;

	if (in->flags & IKE_FLAG_RESPONSE)
		return;		/* 1.5: never answer a response */
	memset(&h, 0, sizeof(h));
	memcpy(h.spi_i, in->spi_i, 8);
	memcpy(h.spi_r, in->spi_r, 8);
	h.version = IKE_VERSION;
	h.exchange = in->exchange;
	h.flags = IKE_FLAG_RESPONSE;
	h.msgid = in->msgid;
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_notify(&e, 0, NULL, 0, notify, data, len);
	if ((n = ike_enc_finish(&e)) == -1)
		return;
	ike->tx++;
	ike_log_sent(ike, p, buf, (size_t)n);
	ike->ops.send(ike->ops.arg, p, buf, (size_t)n);
}

/* debug ipsec ike: one line per message with its payloads, never keys. */
void
ike_log_msg(struct ike *ike, const char *dir, const struct ike_path *p,
    const struct ike_msg *m)
{
	char	 line[512], peer[ADDR_LEN + 8];
	size_t	 i, off;

	if (!ike->debug || m == NULL)
		return;
	ike_path_text(p, 1, peer, sizeof(peer));
	off = (size_t)snprintf(line, sizeof(line), "IKE %s %s %s %s id %u:",
	    dir, ike_exchange_name(m->h.exchange),
	    m->h.flags & IKE_FLAG_RESPONSE ? "response" : "request",
	    peer, m->h.msgid);
	for (i = 0; i < m->npl && off < sizeof(line); i++) {
		struct ike_notify n;
		struct ike_err	 err;

		if (m->pl[i].type == IKE_PL_NOTIFY &&
		    ike_notify_decode(&m->pl[i], &n, &err) == 0)
			off += (size_t)snprintf(line + off, sizeof(line) - off,
			    " N(%s)", ike_notify_name(n.type));
		else
			off += (size_t)snprintf(line + off, sizeof(line) - off,
			    " %s", ike_payload_name(m->pl[i].type));
	}
	log_info("%s", line);
}

void
ike_log_sent(struct ike *ike, const struct ike_path *p, const uint8_t *buf,
    size_t len)
{
	struct ike_msg	*m;
	struct ike_err	 err;

	if (!ike->debug || (m = calloc(1, sizeof(*m))) == NULL)
		return;
	if (ike_msg_decode(buf, len, m, &err) == 0)
		ike_log_msg(ike, "sent", p, m);
	free(m);
}

void
ike_log_inner(struct ike *ike, const struct ike_path *p, uint8_t exchange,
    int response, uint32_t msgid, const struct ike_enc *e)
{
	char	 line[512], peer[ADDR_LEN + 8];
	size_t	 off, at = 0, plen;
	uint8_t	 type = e->first;

	if (!ike->debug)
		return;
	ike_path_text(p, 1, peer, sizeof(peer));
	off = (size_t)snprintf(line, sizeof(line), "IKE sent %s %s %s id %u: "
	    "SK {", ike_exchange_name(exchange), response ? "response" :
	    "request", peer, msgid);
	while (type != IKE_PL_NONE && at + 4 <= e->len && off < sizeof(line)) {
		plen = (size_t)e->buf[at + 2] << 8 | e->buf[at + 3];
		if (plen < 4 || at + plen > e->len)
			break;
		if (type == IKE_PL_NOTIFY && plen >= 8)
			off += (size_t)snprintf(line + off, sizeof(line) - off,
			    " N(%s)", ike_notify_name((unsigned)e->buf[at + 6]
			    << 8 | e->buf[at + 7]));
		else
			off += (size_t)snprintf(line + off, sizeof(line) - off,
			    " %s", ike_payload_name(type));
		type = e->buf[at];
		at += plen;
	}
	if (off < sizeof(line))
		snprintf(line + off, sizeof(line) - off, " }");
	log_info("%s", line);
}

/* ---- show views ---- */

static const char *const state_names[] = {
	[IKE_SA_INIT_SENT] = "connecting",
	[IKE_SA_AUTH_SENT] = "authenticating",
	[IKE_SA_HALF_OPEN] = "half-open",
	[IKE_SA_ESTABLISHED] = "established",
	[IKE_SA_DELETING] = "deleting",
	[IKE_SA_DEAD] = "dead",
};

static void
spi_hex(const uint8_t *spi, char *out)
{
	hex_encode(spi, 8, out);
}

int
ike_sa_info_at(struct ike *ike, size_t i, struct ike_sa_info *o)
{
	struct ike_sa	*sa;
	size_t		 j, off = 0;
	int64_t		 now = ike_now(ike);

	for (sa = ike->sas; sa != NULL && i > 0; sa = sa->next)
		i--;
	if (sa == NULL)
		return -1;
	memset(o, 0, sizeof(*o));
	str_copy(o->tvr, sa->path.tvr, sizeof(o->tvr));
	ike_path_text(&sa->path, 0, o->local, sizeof(o->local));
	ike_path_text(&sa->path, 1, o->peer, sizeof(o->peer));
	o->role = sa->initiator ? "initiator" : "responder";
	o->state = state_names[sa->state];
	spi_hex(sa->spi_i, o->spi_i);
	spi_hex(sa->spi_r, o->spi_r);
	if (sa->keyed)
		ike_prop_text(&sa->chosen, o->suite, sizeof(o->suite));
	o->dh_group = sa->suite.dh;
	if (sa->local_id.type != 0)
		ike_idv_text(&sa->local_id, o->local_id, sizeof(o->local_id));
	if (sa->peer_id.type != 0)
		ike_idv_text(&sa->peer_id, o->peer_id, sizeof(o->peer_id));
	o->age_s = (long)((now - (sa->established_ms ? sa->established_ms :
	    sa->created_ms)) / 1000);
	o->lifetime_s = (long)sa->lifetime_s;
	o->rekey_s = sa->rekey_at_ms > now ? (long)((sa->rekey_at_ms - now) /
	    1000) : -1;
	if (sa->dpd_mode != IKE_DPD_OFF)
		snprintf(o->dpd, sizeof(o->dpd), "%s, interval %lld s, "
		    "threshold %u, peer last seen %lld s ago",
		    ike_dpd_mode_name(sa->dpd_mode),
		    (long long)(sa->dpd_interval_ms / 1000), sa->dpd_threshold,
		    (long long)((now - sa->last_rx_ms) / 1000));
	o->nat = sa->nat_local && sa->nat_peer ? "both behind NAT" :
	    sa->nat_local ? "local behind NAT" : sa->nat_peer ?
	    "peer behind NAT" : "none";
	for (j = 0; j < sa->nchildren && off < sizeof(o->children); j++)
		off += (size_t)snprintf(o->children + off,
		    sizeof(o->children) - off, "%sipsec:%s (in 0x%08x out "
		    "0x%08x)", j ? ", " : "", sa->children[j]->tunnel,
		    sa->children[j]->spi_in, sa->children[j]->spi_out);
	str_copy(o->error, sa->error, sizeof(o->error));
	return 0;
}

int
ike_tunnel_info(struct ike *ike, const char *tunnel,
    struct ike_tunnel_info *o)
{
	struct ike_child *c;
	struct ike_sa	*sa;
	struct ike_tun	*tun = ike_tun_get(ike, tunnel, 0);
	char		 peer[ADDR_LEN + 8], si[17], sr[17];

	memset(o, 0, sizeof(*o));
	o->active = "none";
	o->activity_s = -1;
	if (tun != NULL) {
		str_copy(o->error, tun->error, sizeof(o->error));
		o->failovers = tun->failovers;
	}
	if ((c = ike_child_by_tunnel(ike, tunnel, &sa)) == NULL) {
		str_copy(o->state, tun != NULL && tun->wanted ? "negotiating" :
		    "waiting for the peer", sizeof(o->state));
		if (tun != NULL && tun->backup_active)
			o->active = "none (next: backup)";
		return tun != NULL;
	}
	str_copy(o->state, "established", sizeof(o->state));
	o->active = ike_active_dest(ike, tunnel, sa);
	inet_ntop(sa->path.family, sa->path.local, o->local_addr,
	    sizeof(o->local_addr));
	inet_ntop(sa->path.family, sa->path.peer, o->peer_addr,
	    sizeof(o->peer_addr));
	o->peer_port = sa->path.pport;
	if (sa->local_id.type != 0)
		ike_idv_text(&sa->local_id, o->local_id, sizeof(o->local_id));
	if (sa->peer_id.type != 0)
		ike_idv_text(&sa->peer_id, o->peer_id, sizeof(o->peer_id));
	o->pfs_group = c->pfs_group;
	o->soft_secs = c->soft_secs;
	o->hard_secs = c->hard_secs;
	o->soft_bytes = c->soft_bytes;
	o->hard_bytes = c->hard_bytes;
	o->age_s = (long)((ike_now(ike) - c->established_ms) / 1000);
	if (sa->dpd_mode != IKE_DPD_OFF)
		o->activity_s = (long)((ike_now(ike) - sa->last_rx_ms) / 1000);
	ike_prop_text(&c->prop, o->transform, sizeof(o->transform));
	o->spi_in = c->spi_in;
	o->spi_out = c->spi_out;
	ike_path_text(&sa->path, 1, peer, sizeof(peer));
	spi_hex(sa->spi_i, si);
	spi_hex(sa->spi_r, sr);
	snprintf(o->ike_sa, sizeof(o->ike_sa), "%s in %s, %s, SPIs %s/%s",
	    peer, sa->path.tvr, sa->initiator ? "initiator" : "responder",
	    si, sr);
	return 1;
}
