/* ike_sa: IKE SAs, their message windows and timers, and the dispatch of
 * received messages (RFC 7296 2.1-2.3). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <openssl/crypto.h>

#include "ike_int.h"
#include "log.h"
#include "util.h"

static const char *const sa_states[] = {
	[IKE_SA_INIT_SENT] = "IKE_SA_INIT sent",
	[IKE_SA_AUTH_SENT] = "IKE_AUTH sent",
	[IKE_SA_HALF_OPEN] = "half-open",
	[IKE_SA_ESTABLISHED] = "established",
	[IKE_SA_DELETING] = "deleting",
	[IKE_SA_DEAD] = "dead",
};

int64_t
ike_now(struct ike *ike)
{
	return ike->ops.now(ike->ops.arg);
}

struct ike *
ike_new(struct store *st, const struct ike_ops *ops)
{
	struct ike	*ike;

	if ((ike = calloc(1, sizeof(*ike))) == NULL)
		return NULL;
	ike->st = st;
	ike->ops = *ops;
	ike->cookie_threshold = IKE_COOKIE_THRESHOLD;
	if (ike_random(ike->cookie_secret, sizeof(ike->cookie_secret)) == -1) {
		free(ike);
		return NULL;
	}
	return ike;
}

static void
sa_free(struct ike_sa *sa)
{
	size_t	 i;

	for (i = 0; i < sa->nchildren; i++)
		ike_child_free(sa->children[i]);
	ike_req_clear(sa);
	ike_dh_free(sa->dh);
	ike_keys_clear(&sa->keys);
	free(sa->init_i);
	free(sa->init_r);
	free(sa->resp);
	free(sa->queue);
	OPENSSL_cleanse(sa, sizeof(*sa));
	free(sa);
}

void
ike_free(struct ike *ike)
{
	struct ike_sa	*sa, *next;

	if (ike == NULL)
		return;
	for (sa = ike->sas; sa != NULL; sa = next) {
		next = sa->next;
		sa_free(sa);
	}
	free(ike->tuns);
	OPENSSL_cleanse(ike, sizeof(*ike));
	free(ike);
}

void
ike_log_peer(struct ike *ike, const char *fmt, ...)
{
	char	 line[512];
	va_list	 ap;
	int64_t	 sec = ike_now(ike) / 1000;

	if (sec != ike->log_second) {
		if (ike->log_count > IKE_PEER_LOGS_PER_S)
			log_info("IKE: %u more messages about peer input in the "
			    "last second were not logged",
			    ike->log_count - IKE_PEER_LOGS_PER_S);
		ike->log_second = sec;
		ike->log_count = 0;
	}
	if (++ike->log_count > IKE_PEER_LOGS_PER_S)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_info("%s", line);
}

struct ike_sa *
ike_sa_new(struct ike *ike, const struct ike_path *p, int initiator)
{
	struct ike_sa	*sa;

	if ((sa = calloc(1, sizeof(*sa))) == NULL)
		return NULL;
	sa->ike = ike;
	sa->path = *p;
	sa->initiator = initiator;
	sa->created_ms = ike_now(ike);
	if (ike_random(initiator ? sa->spi_i : sa->spi_r, 8) == -1) {
		free(sa);
		return NULL;
	}
	sa->next = ike->sas;
	ike->sas = sa;
	if (!initiator)
		ike->half_open++;
	sa->state = initiator ? IKE_SA_INIT_SENT : IKE_SA_HALF_OPEN;
	return sa;
}

/* The one place an SA changes state: illegal moves are refused. */
void
ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st)
{
	char	 peer[ADDR_LEN + 8];

	if (sa->state == st || sa->state == IKE_SA_DEAD)
		return;
	if (sa->state == IKE_SA_HALF_OPEN && sa->ike->half_open > 0)
		sa->ike->half_open--;
	ike_path_text(&sa->path, 1, peer, sizeof(peer));
	log_info("IKE SA %s (%s): %s -> %s", peer, sa->path.tvr,
	    sa_states[sa->state], sa_states[st]);
	sa->state = st;
	if (st == IKE_SA_ESTABLISHED) {
		sa->established_ms = ike_now(sa->ike);
		sa->last_rx_ms = sa->established_ms;
		ike_rekey_schedule(sa);
	}
}

const uint8_t *
ike_sa_our_spi(const struct ike_sa *sa)
{
	return sa->initiator ? sa->spi_i : sa->spi_r;
}

void
ike_path_text(const struct ike_path *p, int peer, char *out, size_t len)
{
	char	 a[ADDR_LEN];

	inet_ntop(p->family, peer ? p->peer : p->local, a, sizeof(a));
	snprintf(out, len, p->family == AF_INET6 ? "[%s]:%u" : "%s:%u", a,
	    peer ? p->pport : p->lport);
}

struct ike_sa *
ike_sa_find_path(struct ike *ike, const struct ike_path *p)
{
	struct ike_sa	*sa;
	size_t		 alen = p->family == AF_INET6 ? 16 : 4;

	for (sa = ike->sas; sa != NULL; sa = sa->next)
		if (sa->state != IKE_SA_DEAD && sa->state != IKE_SA_DELETING &&
		    !sa->rekeyed && sa->path.family == p->family &&
		    strcmp(sa->path.tvr, p->tvr) == 0 &&
		    memcmp(sa->path.local, p->local, alen) == 0 &&
		    memcmp(sa->path.peer, p->peer, alen) == 0)
			return sa;
	return NULL;
}

void
ike_spi_free(struct ike_sa *sa, uint8_t proto, uint32_t spi)
{
	if (spi != 0 && sa->ike->ops.spi_free != NULL)
		sa->ike->ops.spi_free(sa->ike->ops.kernel_arg, &sa->path,
		    proto, spi);
}

void
ike_req_clear(struct ike_sa *sa)
{
	struct ike_req	*r = &sa->req;

	ike_spi_free(sa, r->child.proto, r->child.spi_in);
	if (r->buf != NULL)
		free(r->buf);
	ike_dh_free(r->child.dh);
	OPENSSL_cleanse(r, sizeof(*r));
}

/* ---- tunnels ---- */

struct ike_tun *
ike_tun_get(struct ike *ike, const char *name, int create)
{
	struct ike_tun	*t;
	size_t		 i;

	for (i = 0; i < ike->ntuns; i++)
		if (strcmp(ike->tuns[i].name, name) == 0)
			return &ike->tuns[i];
	if (!create || (t = array_add(&ike->tuns, &ike->ntuns,
	    &ike->captuns, sizeof(*t))) == NULL)
		return NULL;
	memset(t, 0, sizeof(*t));
	str_copy(t->name, name, sizeof(t->name));
	return t;
}

/* A negotiation failed: say why (an event), and try again later with
 * back-off: 10 s doubling to 5 min, each delay drawn from 90-110% so
 * many tunnels do not retry in step. */
static void
tun_failed(struct ike *ike, const char *tunnel, enum ike_event_type type,
    const char *fmt, va_list ap)
{
	struct ike_tun	*t = ike_tun_get(ike, tunnel, 1);
	int64_t		 delay = IKE_RETRY_MS;
	unsigned	 i;

	if (t == NULL)
		return;
	vsnprintf(t->error, sizeof(t->error), fmt, ap);
	for (i = 0; i < t->failures && delay < IKE_RETRY_MAX_MS; i++)
		delay *= 2;
	if (delay > IKE_RETRY_MAX_MS)
		delay = IKE_RETRY_MAX_MS;
	t->failures++;
	t->retry_at = ike_now(ike) + (int64_t)ike_jitter((uint64_t)delay, 90,
	    110);
	log_warn("tunnel ipsec:%s: %s", tunnel, t->error);
	if (ike->ops.tunnel_failed != NULL)
		ike->ops.tunnel_failed(ike->ops.kernel_arg, tunnel, t->error);
	ike_event(ike, type, NULL, tunnel, t->error);
}

void
ike_tun_failed(struct ike *ike, const char *tunnel, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	tun_failed(ike, tunnel, IKE_EV_NEG_FAILURE, fmt, ap);
	va_end(ap);
}

void
ike_tun_failed_ev(struct ike *ike, const char *tunnel,
    enum ike_event_type type, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	tun_failed(ike, tunnel, type, fmt, ap);
	va_end(ap);
}

void
ike_sa_dead(struct ike_sa *sa, const char *why)
{
	struct ike	*ike = sa->ike;
	size_t		 i;

	if (sa->state == IKE_SA_DEAD)
		return;
	str_copy(sa->error, why, sizeof(sa->error));
	ike_rekey_hand_over(sa);	/* a rekey's successor keeps them */
	ike_rekey_old_gone(sa);
	while (sa->nchildren > 0)
		ike_child_remove(sa, sa->children[sa->nchildren - 1], why);
	if ((sa->req.kind == IKE_REQ_CHILD || sa->req.kind == IKE_REQ_AUTH) &&
	    sa->req.child.tunnel[0] != '\0')
		ike_tun_failed(ike, sa->req.child.tunnel, "%s", why);
	for (i = 0; i < sa->nqueue; i++)
		ike_tun_failed(ike, sa->queue[i], "%s", why);
	sa->nqueue = 0;
	ike_req_clear(sa);
	if (sa->ev_up) {
		sa->ev_up = 0;
		ike_event(ike, IKE_EV_IKE_DOWN, sa, sa->ev_tunnel, why);
	}
	ike_sa_set_state(sa, IKE_SA_DEAD);
}

/* ---- sending ---- */

static int
sa_send(struct ike_sa *sa, const uint8_t *buf, size_t len)
{
	sa->ike->tx++;
	if (len > IKE_HDR_LEN && buf[18] == IKE_SA_INIT)	/* plain */
		ike_log_sent(sa->ike, &sa->path, buf, len);
	return sa->ike->ops.send(sa->ike->ops.arg, &sa->path, buf, len);
}

long
ike_sa_seal(struct ike_sa *sa, uint8_t exchange, int response,
    uint32_t msgid, struct ike_enc *inner, uint8_t *out, size_t cap)
{
	struct ike_hdr	 h;
	struct ike_enc	 e;
	struct ike_sk_key k;
	const struct ike_keys *ks = &sa->keys;
	int		 from_i = sa->initiator;
	size_t		 blen;
	uint8_t		*body;
	long		 len;

	if (inner->err || !sa->keyed)
		return -1;
	ike_log_inner(sa->ike, &sa->path, exchange, response, msgid, inner);
	memset(&h, 0, sizeof(h));
	memcpy(h.spi_i, sa->spi_i, 8);
	memcpy(h.spi_r, sa->spi_r, 8);
	h.version = IKE_VERSION;
	h.exchange = exchange;
	h.flags = (from_i ? IKE_FLAG_INITIATOR : 0) |
	    (response ? IKE_FLAG_RESPONSE : 0);
	h.msgid = msgid;
	blen = ike_sk_len(&sa->suite, inner->len);
	ike_enc_msg(&e, out, cap, &h);
	ike_enc_sk_header(&e, inner->first, blen);
	body = ike_enc_reserve(&e, blen);
	if ((len = ike_enc_finish(&e)) == -1 || body == NULL)
		return -1;
	memset(&k, 0, sizeof(k));
	memcpy(k.ekey, from_i ? ks->sk_ei : ks->sk_er, ks->e_len);
	memcpy(k.akey, from_i ? ks->sk_ai : ks->sk_ar, ks->a_len);
	k.elen = ks->e_len;
	k.alen = ks->a_len;
	if (ike_sk_seal(&sa->suite, &k, out, (size_t)(body - out), inner->buf,
	    inner->len, NULL, body, blen) == -1)
		len = -1;
	OPENSSL_cleanse(&k, sizeof(k));
	return len;
}

static int
req_keep(struct ike_sa *sa, enum ike_req_kind kind, const uint8_t *buf,
    size_t len)
{
	struct ike_req	*r = &sa->req;

	free(r->buf);
	if ((r->buf = malloc(len)) == NULL)
		return -1;
	memcpy(r->buf, buf, len);
	r->len = len;
	r->kind = kind;
	r->tries = 0;
	r->first_ms = ike_now(sa->ike);
	r->next_ms = r->first_ms + (kind == IKE_REQ_LIVENESS &&
	    sa->dpd_mode != IKE_DPD_OFF ? ike_dpd_retransmit_ms(sa) :
	    IKE_RETRANSMIT_MS);
	sa_send(sa, buf, len);	/* a failed send is a lost packet: retried */
	return 0;
}

int
ike_sa_request_init(struct ike_sa *sa, const uint8_t *msg, size_t len)
{
	sa->req.msgid = 0;
	sa->msgid_out = 1;	/* IKE_SA_INIT is message 0 (2.2) */
	return req_keep(sa, IKE_REQ_INIT, msg, len);
}

int
ike_sa_request(struct ike_sa *sa, uint8_t exchange, enum ike_req_kind kind,
    struct ike_enc *inner)
{
	uint8_t	 out[IKE_MSG_LIMIT];
	long	 len;

	len = ike_sa_seal(sa, exchange, 0, sa->msgid_out, inner, out,
	    sizeof(out));
	if (len == -1)
		return -1;
	sa->req.msgid = sa->msgid_out++;
	return req_keep(sa, kind, out, (size_t)len);
}

int
ike_sa_respond(struct ike_sa *sa, uint8_t exchange, uint32_t msgid,
    struct ike_enc *inner)
{
	uint8_t	 out[IKE_MSG_LIMIT];
	long	 len;

	len = ike_sa_seal(sa, exchange, 1, msgid, inner, out, sizeof(out));
	if (len == -1)
		return -1;
	sa->msgid_in = msgid + 1;
	free(sa->resp);
	if ((sa->resp = malloc((size_t)len)) != NULL) {
		memcpy(sa->resp, out, (size_t)len);
		sa->resplen = (size_t)len;
		sa->have_resp = 1;
	}
	return sa_send(sa, out, (size_t)len);
}

/* ---- receiving ---- */

static struct ike_sa *
sa_lookup(struct ike *ike, const struct ike_path *p, const struct ike_hdr *h)
{
	struct ike_sa	*sa;
	int		 from_i = (h->flags & IKE_FLAG_INITIATOR) != 0;
	static const uint8_t zero[8];

	for (sa = ike->sas; sa != NULL; sa = sa->next) {
		if (sa->state == IKE_SA_DEAD || sa->initiator == from_i)
			continue;
		if (from_i && memcmp(sa->spi_i, h->spi_i, 8) == 0 &&
		    (memcmp(h->spi_r, zero, 8) == 0 ?
		    h->exchange == IKE_SA_INIT &&
		    sa->path.family == p->family &&
		    memcmp(sa->path.peer, p->peer, 16) == 0 :
		    memcmp(sa->spi_r, h->spi_r, 8) == 0))
			return sa;
		if (!from_i && memcmp(sa->spi_i, h->spi_i, 8) == 0 &&
		    (sa->state == IKE_SA_INIT_SENT ||
		    memcmp(sa->spi_r, h->spi_r, 8) == 0))
			return sa;
	}
	return NULL;
}

/* Decrypt the SK payload and decode what was inside; -1: drop (RFC
 * 7296 2.21.2: a message failing its integrity check is dropped). */
static int
rx_open(struct ike_sa *sa, struct ike_rx *rx)
{
	const struct ike_pl *sk;
	const struct ike_keys *ks = &sa->keys;
	struct ike_sk_key k;
	struct ike_err	 err;
	int		 from_i = !sa->initiator;
	size_t		 plen = 0;
	int		 rc;

	if (rx->m.sk < 0 || !sa->keyed)
		return -1;
	sk = &rx->m.pl[rx->m.sk];
	memset(&k, 0, sizeof(k));
	memcpy(k.ekey, from_i ? ks->sk_ei : ks->sk_er, ks->e_len);
	memcpy(k.akey, from_i ? ks->sk_ai : ks->sk_ar, ks->a_len);
	k.elen = ks->e_len;
	k.alen = ks->a_len;
	rc = ike_sk_open(&sa->suite, &k, rx->m.raw, (size_t)(sk->body -
	    rx->m.raw), sk->body, sk->len, rx->plain, &plen);
	OPENSSL_cleanse(&k, sizeof(k));
	if (rc == -1) {
		ike_log_peer(sa->ike, "IKE: %s from a peer: integrity check "
		    "failed, dropped", ike_exchange_name(rx->m.h.exchange));
		return -1;
	}
	if (ike_msg_decode_inner(&rx->m, rx->plain, plen, &err) == -1) {
		ike_log_peer(sa->ike, "IKE: encrypted payloads: %s", err.text);
		return -1;
	}
	return 0;
}

/* The peer's request: in window (2.3)? Retransmissions get our last
 * response again; anything else is dropped. 1 = process. */
static int
rx_window(struct ike_sa *sa, const struct ike_hdr *h)
{
	if (h->msgid == sa->msgid_in)
		return 1;
	if (sa->have_resp && h->msgid + 1 == sa->msgid_in) {
		sa->ike->retransmits++;
		sa_send(sa, sa->resp, sa->resplen);
	} else
		sa->ike->rx_dropped++;
	return 0;
}

typedef void (*rx_handler)(struct ike_sa *, struct ike_rx *);

static const struct {
	uint8_t		 exchange;
	rx_handler	 request, response;
} rx_handlers[] = {
	{ IKE_SA_INIT, NULL, ike_init_reply },
	{ IKE_AUTH, ike_auth_respond, ike_auth_reply },
	{ IKE_CREATE_CHILD_SA, ike_create_child_respond,
	    ike_create_child_reply },
	{ IKE_INFORMATIONAL, ike_info_respond, ike_info_reply },
};

static void
rx_dispatch(struct ike_sa *sa, struct ike_rx *rx)
{
	const struct ike_hdr *h = &rx->m.h;
	int		 response = (h->flags & IKE_FLAG_RESPONSE) != 0;
	struct ike_err	 err;
	size_t		 i;

	for (i = 0; i < nitems(rx_handlers); i++)
		if (rx_handlers[i].exchange == h->exchange)
			break;
	if (i == nitems(rx_handlers))
		return;
	if (response && (sa->req.kind == IKE_REQ_NONE ||
	    h->msgid != sa->req.msgid)) {
		sa->ike->rx_dropped++;	/* not the answer we wait for */
		return;
	}
	if (!response && h->exchange == IKE_SA_INIT) {
		if (sa->have_resp && h->msgid == 0 && sa->msgid_in == 1) {
			sa->ike->retransmits++;	/* our answer was lost */
			sa_send(sa, sa->resp, sa->resplen);
		}
		return;
	}
	if (!response && !rx_window(sa, h))
		return;
	if (h->exchange != IKE_SA_INIT) {
		if (rx_open(sa, rx) == -1)
			return;
		/* 2.23: after NAT-T the peer's (NAT's) port may move; the
		 * authenticated message tells where the peer is now */
		sa->path.lport = rx->path->lport;
		sa->path.pport = rx->path->pport;
		sa->last_rx_ms = ike_now(sa->ike);	/* DPD: it lives */
	}
	ike_log_msg(sa->ike, "received", rx->path, &rx->m);
	if (ike_msg_check(&rx->m, &err) == -1) {
		ike_log_peer(sa->ike, "IKE: %s", err.text);
		if (!response && err.notify != 0) {
			struct ike_enc	 e;
			uint8_t		 buf[64];

			ike_enc_chain(&e, buf, sizeof(buf));
			ike_enc_notify(&e, 0, NULL, 0, err.notify, NULL, 0);
			ike_sa_respond(sa, h->exchange, h->msgid, &e);
		}
		return;
	}
	if (response)
		rx_handlers[i].response(sa, rx);
	else
		rx_handlers[i].request(sa, rx);
}

void
ike_recv(struct ike *ike, const struct ike_path *p, const uint8_t *buf,
    size_t len)
{
	struct ike_rx	*rx;
	struct ike_err	 err;
	struct ike_sa	*sa;

	ike->rx++;
	if ((rx = calloc(1, sizeof(*rx))) == NULL)
		return;
	rx->path = p;
	memset(&err, 0, sizeof(err));
	if (ike_msg_decode(buf, len, &rx->m, &err) == -1) {
		ike->rx_dropped++;
		ike_log_peer(ike, "IKE: malformed message: %s", err.text);
		if (err.notify == IKE_N_INVALID_MAJOR_VERSION &&
		    len >= IKE_HDR_LEN && ike_hdr_decode(buf, IKE_HDR_LEN,
		    &rx->m.h, &err) == 0)
			ike_notify_plain(ike, p, &rx->m.h, err.notify, NULL, 0);
		goto done;
	}
	sa = sa_lookup(ike, p, &rx->m.h);
	if (sa == NULL && rx->m.h.exchange == IKE_SA_INIT &&
	    !(rx->m.h.flags & IKE_FLAG_RESPONSE))
		ike_init_respond(ike, p, rx);
	else if (sa == NULL) {
		ike->rx_dropped++;	/* 2.21.4: no INVALID_IKE_SPI storms */
		log_debug("IKE: %s for no known SA, dropped",
		    ike_exchange_name(rx->m.h.exchange));
	} else {
		rx_dispatch(sa, rx);
	}
done:
	OPENSSL_cleanse(rx, sizeof(*rx));
	free(rx);
}

/* ---- timers ---- */

static void
tick_sa(struct ike_sa *sa, int64_t now)
{
	struct ike_req	*r = &sa->req;
	int64_t		 limit = 0;

	if (sa->state == IKE_SA_HALF_OPEN &&
	    now - sa->created_ms > IKE_HALF_OPEN_MS) {
		ike_sa_dead(sa, "half-open IKE SA timed out");
		return;
	}
	if (r->kind != IKE_REQ_NONE && r->buf != NULL && (limit =
	    ike_dpd_limit_ms(sa)) > 0 && now - r->first_ms >= limit) {
		char	 why[160];
		int	 up = sa->state == IKE_SA_ESTABLISHED && !sa->rekeyed;

		if (up)
			snprintf(why, sizeof(why), "peer dead: no answer in "
			    "%lld s (DPD %s, %u probes %lld s apart)",
			    (long long)(limit / 1000),
			    ike_dpd_mode_name(sa->dpd_mode), sa->dpd_threshold,
			    (long long)(sa->dpd_interval_ms / 1000));
		else
			snprintf(why, sizeof(why), "the peer did not answer "
			    "%s in %lld s (the DPD limit, interval x threshold)",
			    sa->state == IKE_SA_INIT_SENT ? "IKE_SA_INIT" :
			    sa->state == IKE_SA_AUTH_SENT ? "IKE_AUTH" :
			    "our request", (long long)(limit / 1000));
		ike_sa_lost(sa, why, up);
		return;
	}
	if (r->kind != IKE_REQ_NONE && r->buf != NULL && now >= r->next_ms) {
		int probe = r->kind == IKE_REQ_LIVENESS && limit > 0;

		if (++r->tries > IKE_RETRANSMIT_TRIES && !probe) {
			ike_sa_lost(sa, "the peer did not answer (no response "
			    "after 6 retransmissions)", 0);
			return;
		}
		sa->ike->retransmits++;
		r->next_ms = now + (probe ? ike_dpd_retransmit_ms(sa) :
		    (int64_t)IKE_RETRANSMIT_MS << r->tries);
		sa_send(sa, r->buf, r->len);
	}
	if ((sa->nat_local) && sa->state == IKE_SA_ESTABLISHED &&
	    now >= sa->keepalive_ms) {
		static const uint8_t ka = 0xff;	/* RFC 3948 4 */

		sa->keepalive_ms = now + IKE_NATT_KEEPALIVE_MS;
		sa->ike->ops.send(sa->ike->ops.arg, &sa->path, &ka, 1);
	}
	ike_rekey_tick(sa, now);
	if (sa->state != IKE_SA_DEAD)
		ike_dpd_tick(sa, now);
}

static void start_tunnels(struct ike *ike, int64_t now);

void
ike_tick(struct ike *ike)
{
	struct ike_sa	*sa, **pp;
	int64_t		 now = ike_now(ike);

	for (sa = ike->sas; sa != NULL; sa = sa->next)
		if (sa->state != IKE_SA_DEAD)
			tick_sa(sa, now);
	for (pp = &ike->sas; *pp != NULL;) {
		sa = *pp;
		if (sa->state == IKE_SA_DEAD) {
			*pp = sa->next;
			sa_free(sa);
		} else
			pp = &sa->next;
	}
	start_tunnels(ike, now);
}

/* ---- tunnels wanting SAs ---- */

/* A destination given as a name (RFC 7296 has no say: an operator's
 * choice): its address from the transport VR's resolver, asked once and
 * kept IKE_RESOLVE_TTL_MS. 0 with the address, -1 while waiting. */
static int
tunnel_resolve(struct ike *ike, const struct ike_tunnel *t, const char *dest,
    struct ike_path *p)
{
	struct ike_tun	*tun = ike_tun_get(ike, t->name, 1);
	int64_t		 now = ike_now(ike);

	if (tun == NULL || ike->ops.resolve == NULL) {
		ike_tun_failed(ike, t->name, "destination %s is a name: "
		    "waiting for the peer", dest);
		return -1;
	}
	if (strcmp(tun->dname, dest) == 0 && tun->resolved_at &&
	    now - tun->resolved_at < IKE_RESOLVE_TTL_MS) {
		p->family = tun->dfamily;
		memcpy(p->peer, tun->daddr, 16);
		return 0;
	}
	if (!tun->resolving || strcmp(tun->dname, dest) != 0) {
		str_copy(tun->dname, dest, sizeof(tun->dname));
		tun->resolving = 1;
		tun->resolved_at = 0;
		ike->ops.resolve(ike->ops.arg, t->name, t->tvr, dest);
	}
	tun->retry_at = now + 1000;	/* the answer starts it at once */
	return -1;
}

/* Where the tunnel initiates to: its destination, or its backup after a
 * failover (ike_failover). */
static int
tunnel_path(struct ike *ike, const struct ike_tunnel *t, struct ike_path *p)
{
	struct ike_tun	*tun = ike_tun_get(ike, t->name, 0);
	int		 bak = tun != NULL && tun->backup_active &&
			    t->backup[0] != '\0';
	const char	*dest = bak ? t->backup : t->destination;

	memset(p, 0, sizeof(*p));
	str_copy(p->tvr, t->tvr, sizeof(p->tvr));
	if (t->destination[0] == '\0') {
		ike_tun_failed(ike, t->name, "%s", "no tunnel destination");
		return -1;
	}
	if (!t->src_is_addr) {
		ike_tun_failed(ike, t->name, "%s", "no tunnel source address "
		    "to initiate from");
		return -1;
	}
	if (bak ? t->bak_is_addr : t->dst_is_addr) {
		p->family = bak ? t->bak_family : t->dst_family;
		memcpy(p->peer, bak ? t->bak_addr : t->dst_addr, 16);
	} else if (tunnel_resolve(ike, t, dest, p) == -1)
		return -1;
	if (t->src_family != p->family) {
		ike_tun_failed(ike, t->name, "%s", "tunnel source and "
		    "destination are of different families");
		return -1;
	}
	memcpy(p->local, t->src_addr, 16);
	p->lport = p->pport = IKE_PORT;
	return 0;
}

void
ike_resolved(struct ike *ike, const char *tunnel, const char *name,
    int family, const uint8_t *addr, const char *why)
{
	struct ike_tun	*tun = ike_tun_get(ike, tunnel, 0);

	if (tun == NULL || strcmp(tun->dname, name) != 0)
		return;		/* reconfigured meanwhile */
	tun->resolving = 0;
	if (family == 0) {
		ike_tun_failed(ike, tunnel, "destination %s does not resolve "
		    "in the transport virtual router: %s", name, why);
		return;
	}
	tun->dfamily = family;
	memset(tun->daddr, 0, sizeof(tun->daddr));
	memcpy(tun->daddr, addr, family == AF_INET6 ? 16 : 4);
	tun->resolved_at = ike_now(ike);
	tun->retry_at = 0;
	start_tunnels(ike, tun->resolved_at);
}

static int
queue_add(struct ike_sa *sa, const char *tunnel)
{
	char	(*slot)[NAME_MAX_LEN + 1];
	size_t	 i;

	for (i = 0; i < sa->nqueue; i++)
		if (strcmp(sa->queue[i], tunnel) == 0)
			return 0;
	if (sa->req.kind != IKE_REQ_NONE &&
	    strcmp(sa->req.child.tunnel, tunnel) == 0)
		return 0;
	if ((slot = array_add(&sa->queue, &sa->nqueue, &sa->capqueue,
	    sizeof(*slot))) == NULL)
		return -1;
	str_copy(*slot, tunnel, sizeof(*slot));
	return 0;
}

/* Bring one tunnel up: a CHILD_SA on the IKE SA to its peer, which is
 * created first when there is none (IKE_SA_INIT, IKE_AUTH). */
static void
tunnel_start(struct ike *ike, const struct ike_tunnel *t)
{
	struct ike_path	 p;
	struct ike_sa	*sa;

	if (tunnel_path(ike, t, &p) == -1)
		return;
	if ((sa = ike_sa_find_path(ike, &p)) != NULL) {
		if (sa->state == IKE_SA_HALF_OPEN)
			return;		/* the peer is initiating */
		queue_add(sa, t->name);
		if (sa->state == IKE_SA_ESTABLISHED)
			ike_child_next(sa);
		return;
	}
	if ((sa = ike_sa_new(ike, &p, 1)) == NULL)
		return;
	queue_add(sa, t->name);
	ike_dpd_settings(sa);	/* DPD's limit applies to setting up too */
	if (ike_init_start(sa, t) == -1)
		ike_sa_dead(sa, sa->error[0] ? sa->error : "cannot start");
}

static void
start_tunnels(struct ike *ike, int64_t now)
{
	struct ike_tunnel t;
	size_t		 i;

	for (i = 0; i < ike->ntuns; i++) {
		struct ike_tun *tun = &ike->tuns[i];

		if (!tun->wanted || now < tun->retry_at ||
		    ike_child_by_tunnel(ike, tun->name, NULL) != NULL)
			continue;
		if (ike_conf_tunnel(ike->st, tun->name, &t) != 1) {
			tun->wanted = 0;
			continue;
		}
		tun->retry_at = now + IKE_RETRY_MS;	/* until it is up */
		tunnel_start(ike, &t);
	}
}

void
ike_tunnel_sync(struct ike *ike, const char *name)
{
	struct ike_tunnel t;
	struct ike_tun	*tun;
	struct ike_child *c;
	struct ike_sa	*sa;
	int		 found = ike_conf_tunnel(ike->st, name, &t) == 1;
	int		 signaled = found && !t.manual && t.ike_version == 2;
	int		 want = signaled && !t.shutdown &&
			    t.establish == IKE_ESTABLISH_IMMEDIATELY;

	if ((tun = ike_tun_get(ike, name, signaled)) == NULL)
		return;
	tun->wanted = want;
	tun->retry_at = 0;
	tun->failures = 0;
	tun->error[0] = '\0';		/* changed: a fresh start */
	if (!signaled || t.shutdown) {
		if ((c = ike_child_by_tunnel(ike, name, &sa)) != NULL)
			ike_delete_child(sa, c);
	}
	ike_dpd_refresh(ike);
	if (want)
		start_tunnels(ike, ike_now(ike));
}

void
ike_sync_all(struct ike *ike)
{
	char		 (*names)[NAME_MAX_LEN + 1];
	size_t		 i, n = 0;

	if ((names = calloc(1024, sizeof(*names))) == NULL)
		return;
	if (ike_conf_tunnels(ike->st, names, 1024, &n) == 0)
		for (i = 0; i < n; i++)
			ike_tunnel_sync(ike, names[i]);
	free(names);
}

void
ike_acquire(struct ike *ike, uint32_t if_id)
{
	struct ike_tunnel t;
	size_t		 i;

	for (i = 0; i < ike->ntuns; i++)
		if (ike_conf_tunnel(ike->st, ike->tuns[i].name, &t) == 1 &&
		    t.if_id == if_id && !t.shutdown &&
		    t.establish == IKE_ESTABLISH_ON_TRAFFIC &&
		    ike_child_by_tunnel(ike, t.name, NULL) == NULL) {
			ike->tuns[i].wanted = 1;
			ike->tuns[i].retry_at = 0;
			start_tunnels(ike, ike_now(ike));
		}
}

void
ike_tunnel_clear(struct ike *ike, const char *tunnel)
{
	struct ike_child *c;
	struct ike_sa	*sa;
	struct ike_tun	*tun = ike_tun_get(ike, tunnel, 0);

	if ((c = ike_child_by_tunnel(ike, tunnel, &sa)) != NULL)
		ike_delete_child(sa, c);
	if (tun != NULL) {
		tun->retry_at = 0;
		tun->failures = 0;
	}
}

int
ike_sa_clear(struct ike *ike, const char *peer)
{
	struct ike_sa	*sa;
	char		 a[ADDR_LEN];
	int		 n = 0;

	for (sa = ike->sas; sa != NULL; sa = sa->next) {
		if (sa->state == IKE_SA_DEAD)
			continue;
		inet_ntop(sa->path.family, sa->path.peer, a, sizeof(a));
		if (strcmp(peer, "all") != 0 && strcmp(peer, a) != 0)
			continue;
		n++;
		if (sa->state == IKE_SA_ESTABLISHED)
			ike_delete_ike(sa);
		else
			ike_sa_dead(sa, "cleared by the operator");
	}
	return n;
}
