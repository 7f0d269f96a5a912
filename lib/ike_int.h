/* ike_int: the engine's internals, shared by ike_sa.c (SAs, windows,
 * timers, dispatch), ike_init.c (IKE_SA_INIT), ike_auth.c (IKE_AUTH),
 * ike_child.c (CHILD_SAs, CREATE_CHILD_SA) and ike_info.c
 * (INFORMATIONAL). Not part of the public API. */
#ifndef SECTUN_IKE_INT_H
#define SECTUN_IKE_INT_H

#include "ike.h"

/* What an outstanding request of ours is for (window size 1, RFC 7296
 * 2.3), so its response goes to the right handler. */
enum ike_req_kind {
	IKE_REQ_NONE,
	IKE_REQ_INIT,
	IKE_REQ_AUTH,
	IKE_REQ_CHILD,		/* CREATE_CHILD_SA for req.tunnel */
	IKE_REQ_DELETE_IKE,
	IKE_REQ_DELETE_CHILD,
	IKE_REQ_LIVENESS,
	IKE_REQ_REKEY_IKE,	/* CREATE_CHILD_SA rekeying the IKE SA */
};

/* A child being negotiated by one of our requests. */
struct ike_pending {
	char		 tunnel[NAME_MAX_LEN + 1];
	uint32_t	 spi_in;		/* 0 once a CHILD_SA has it */
	uint8_t		 proto;
	uint8_t		 nonce[IKE_NONCE_LEN];
	struct ike_dh	*dh;		/* PFS */
	struct ike_prop	 props[IKE_MAX_PROPOSALS];
	size_t		 nprops;
	struct ike_ts	 tsi[IKE_MAX_TS], tsr[IKE_MAX_TS];
	size_t		 ntsi, ntsr;
	uint32_t	 rekey_spi;	/* CHILD_SA rekey: the old one's spi_in */
	uint8_t		 ike_spi[8];	/* IKE SA rekey: our new SPI */
};

struct ike_req {
	enum ike_req_kind kind;
	uint32_t	 msgid;
	uint8_t		*buf;
	size_t		 len;
	int		 tries;
	int64_t		 next_ms;
	int64_t		 first_ms;	/* first sent */
	struct ike_pending child;
};

struct ike_sa {
	struct ike	*ike;
	struct ike_sa	*next;
	uint8_t		 spi_i[8], spi_r[8];
	int		 initiator;	/* we are the original initiator */
	enum ike_sa_state state;
	struct ike_path	 path;
	int64_t		 created_ms, established_ms;
	unsigned	 lifetime_s;
	/* IKE_SA_INIT */
	struct ike_prop	 props[IKE_MAX_PROPOSALS];	/* what we offered */
	size_t		 nprops;
	struct ike_prop	 chosen;
	struct ike_suite suite;
	struct ike_dh	*dh;
	uint8_t		 ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t		 nilen, nrlen;
	uint8_t		*init_i, *init_r;	/* RealMessage1 and 2 (2.15) */
	size_t		 init_ilen, init_rlen;
	uint8_t		 cookie[64];
	size_t		 cookielen;
	int		 init_rounds;	/* COOKIE / INVALID_KE retries */
	struct ike_keys	 keys;
	int		 keyed;
	int		 nat_local, nat_peer;	/* behind a NAT (2.23) */
	int64_t		 keepalive_ms;
	/* identities (after IKE_AUTH) */
	struct ike_idv	 local_id, peer_id;
	/* our requests (window 1) */
	uint32_t	 msgid_out;
	struct ike_req	 req;
	/* tunnels waiting for a CHILD_SA on this SA */
	char		 (*queue)[NAME_MAX_LEN + 1];
	size_t		 nqueue, capqueue;
	/* the peer's requests: next expected and our last response */
	uint32_t	 msgid_in;
	uint8_t		*resp;
	size_t		 resplen;
	int		 have_resp;
	/* children */
	struct ike_child *children[IKE_MAX_CHILDREN];
	size_t		 nchildren;
	/* Deletes waiting for the window (1.4.1): our inbound SPIs of
	 * removed CHILD_SAs, then the IKE SA itself */
	uint32_t	 del_spi[IKE_MAX_CHILDREN];
	uint8_t		 del_proto[IKE_MAX_CHILDREN];
	size_t		 ndel;
	int		 delete_ike;
	/* rekeys waiting for the window: children by spi_in, and the IKE
	 * SA itself (1.3.2, 1.3.3) */
	uint32_t	 rekey_q[IKE_MAX_CHILDREN];
	size_t		 nrekey_q;
	int		 rekey_ike;
	int64_t		 rekey_at_ms;	/* the IKE SA's soft lifetime */
	uint16_t	 rekey_dh;	/* the group the peer asked for in
					 * INVALID_KE_PAYLOAD (0: ours) */
	int64_t		 expire_at_ms;	/* and its hard one */
	int		 rekeyed;	/* replaced by a new IKE SA (2.18): no
					 * new work; deleted by the peer or at
					 * rekeyed_ms + IKE_REKEYED_MS */
	int64_t		 rekeyed_ms;
	/* DPD (CLI.md "ipsec dpd"): settings from the tunnels it carries,
	 * activity from the kernel's counters and the peer's messages */
	enum ike_dpd_mode dpd_mode;
	int64_t		 dpd_interval_ms;
	unsigned	 dpd_threshold;
	int64_t		 dpd_next_ms, last_rx_ms, last_tx_ms;
	uint64_t	 dpd_in, dpd_out;	/* bytes at the last sample */
	/* events: ike-up sent (and for which tunnel), so ike-down follows */
	int		 ev_up;
	char		 ev_tunnel[NAME_MAX_LEN + 1];
	uint8_t		 pred[16];	/* made by rekeying the IKE SA with
					 * these SPIs (i, r) */
	int		 has_pred;
	char		 error[160];
};

/* A received message with its SA (NULL for a new IKE_SA_INIT). */
struct ike_rx {
	struct ike_msg	 m;
	const struct ike_path *path;
	uint8_t		 plain[IKE_MSG_LIMIT];
};

/* The first payload of a type, or an empty one that every body decoder
 * refuses (so a missing payload is an error, never a NULL). */
static inline const struct ike_pl *
ike_pl_get(const struct ike_msg *m, uint8_t type)
{
	static const struct ike_pl none;
	size_t	 from = 0;
	const struct ike_pl *p = ike_msg_find(m, type, &from);

	return p != NULL ? p : &none;
}

/* SPIs of CHILD_SAs on the wire: 4 bytes, network order. */
static inline void
ike_spi_put(uint8_t *out, uint32_t spi)
{
	out[0] = (uint8_t)(spi >> 24);
	out[1] = (uint8_t)(spi >> 16);
	out[2] = (uint8_t)(spi >> 8);
	out[3] = (uint8_t)spi;
}

static inline uint32_t
ike_spi_get(const uint8_t *in)
{
	return (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 |
	    (uint32_t)in[2] << 8 | in[3];
}

/* The name of the first error notify (type < 16384) in m and its type,
 * or NULL when there is none. */
const char	*ike_msg_error(const struct ike_msg *m, uint16_t *type);

/* ike_sa.c */
struct ike_sa	*ike_sa_new(struct ike *ike, const struct ike_path *p,
		    int initiator);
void		 ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st);
/* The SA is over: its children go down (why), it is freed at the next
 * tick; tunnels it carried are retried when still wanted. */
void		 ike_sa_dead(struct ike_sa *sa, const char *why);
struct ike_sa	*ike_sa_find_path(struct ike *ike, const struct ike_path *p);
int64_t		 ike_now(struct ike *ike);
/* Our side's SPI / the peer's. */
const uint8_t	*ike_sa_our_spi(const struct ike_sa *sa);
/* Send our request (plain for IKE_SA_INIT, else encrypted), kept for
 * retransmission: the inner chain e (ike_enc_chain) or, for INIT, a
 * complete message. */
int		 ike_sa_request(struct ike_sa *sa, uint8_t exchange,
		    enum ike_req_kind kind, struct ike_enc *inner);
int		 ike_sa_request_init(struct ike_sa *sa, const uint8_t *msg,
		    size_t len);
/* Send a response to the peer's request msgid (kept for its
 * retransmissions). */
int		 ike_sa_respond(struct ike_sa *sa, uint8_t exchange,
		    uint32_t msgid, struct ike_enc *inner);
/* The encrypted message built from inner; len or -1. */
long		 ike_sa_seal(struct ike_sa *sa, uint8_t exchange, int response,
		    uint32_t msgid, struct ike_enc *inner, uint8_t *out,
		    size_t cap);
/* Our request is over: its buffer goes, and an inbound SPI allocated for
 * a CHILD_SA that did not come about goes back to the kernel. */
void		 ike_req_clear(struct ike_sa *sa);
/* An SPI from spi_alloc, not used after all. */
void		 ike_spi_free(struct ike_sa *sa, uint8_t proto, uint32_t spi);
/* Tunnel state kept by the engine */
struct ike_tun	*ike_tun_get(struct ike *ike, const char *name, int create);
void		 ike_tun_failed(struct ike *ike, const char *tunnel,
		    const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
/* debug ipsec ike for our own datagrams: header and plain payloads
 * (an SK payload's contents are not shown; its length is). */
void		 ike_log_sent(struct ike *ike, const struct ike_path *p,
		    const uint8_t *buf, size_t len);
/* ... and for an encrypted one, the payloads inside SK. */
void		 ike_log_inner(struct ike *ike, const struct ike_path *p,
		    uint8_t exchange, int response, uint32_t msgid,
		    const struct ike_enc *inner);
void		 ike_log_msg(struct ike *ike, const char *dir,
		    const struct ike_path *p, const struct ike_msg *m);
void		 ike_path_text(const struct ike_path *p, int peer, char *out,
		    size_t len);

/* ike_init.c */
int		 ike_init_start(struct ike_sa *sa, const struct ike_tunnel *t);
void		 ike_init_respond(struct ike *ike, const struct ike_path *p,
		    struct ike_rx *rx);
void		 ike_init_reply(struct ike_sa *sa, struct ike_rx *rx);

/* ike_auth.c */
int		 ike_auth_start(struct ike_sa *sa);
void		 ike_auth_respond(struct ike_sa *sa, struct ike_rx *rx);
void		 ike_auth_reply(struct ike_sa *sa, struct ike_rx *rx);

/* ike_child.c */
/* Proposals, SPI, TS for tunnel into pc; 0 or -1 (tunnel failed). */
int		 ike_child_prepare(struct ike_sa *sa, const char *tunnel,
		    int pfs, struct ike_pending *pc);
void		 ike_child_encode(struct ike_enc *e, const struct ike_pending *pc,
		    int with_ke);
/* The initiator's side of a child: the response's SA/TS (and KE). */
int		 ike_child_complete(struct ike_sa *sa, struct ike_pending *pc,
		    struct ike_rx *rx, char *why, size_t whylen);
/* The responder's side, in two steps: choose a tunnel, a proposal and
 * narrowed selectors (no side effects; 0 or the notify to answer with),
 * then install it and encode [Nr, KE,] SA, TSi, TSr into e. */
struct ike_choice {
	char		 tunnel[NAME_MAX_LEN + 1];
	struct ike_prop	 prop;
	struct ike_ts	 tsi[IKE_MAX_TS], tsr[IKE_MAX_TS];
	size_t		 ntsi, ntsr;
	const uint8_t	*ni;		/* CREATE_CHILD_SA */
	size_t		 nilen;
	struct ike_ke	 ke;
	int		 have_ke;
	uint32_t	 rekey_of;	/* REKEY_SA: the old child's spi_in */
};
uint16_t	 ike_child_choose(struct ike_sa *sa, struct ike_rx *rx,
		    const char (*names)[NAME_MAX_LEN + 1], size_t n,
		    uint32_t rekey_of, struct ike_choice *ch);
/* Candidate tunnels for the peer of sa (identity known): a responder
 * looks at this many (those with a CHILD_SA among them). */
#define IKE_CANDIDATES_MAX	(4 * IKE_MAX_CHILDREN)
/* Candidate tunnels for the peer of sa (identity known). */
int		 ike_child_candidates(struct ike_sa *sa,
		    char (*names)[NAME_MAX_LEN + 1], size_t max, size_t *n);
uint16_t	 ike_child_accept(struct ike_sa *sa, struct ike_choice *ch,
		    int create, struct ike_enc *e);
void		 ike_child_free(struct ike_child *c);
/* Remove a child (kernel and list). */
void		 ike_child_remove(struct ike_sa *sa, struct ike_child *c,
		    const char *why);
struct ike_child *ike_child_by_tunnel(struct ike *ike, const char *tunnel,
		    struct ike_sa **sap);
/* The tunnel's current child as ike_child_by_tunnel finds it, but not
 * exclude (NULL: any). */
struct ike_child *ike_child_find(struct ike *ike, const char *tunnel,
		    const struct ike_child *exclude, struct ike_sa **sap);
/* A random share of v, from lo to hi percent. */
uint64_t	 ike_jitter(uint64_t v, unsigned lo, unsigned hi);
/* The child of sa with our inbound SPI spi, or NULL. */
struct ike_child *ike_child_by_spi(struct ike_sa *sa, uint32_t spi);
/* The lowest of two nonces (2.8.1), into out (IKE_NONCE_MAX). */
size_t		 ike_nonce_low(const uint8_t *a, size_t al, const uint8_t *b,
		    size_t bl, uint8_t *out);
int		 ike_nonce_cmp(const uint8_t *a, size_t al, const uint8_t *b,
		    size_t bl);
/* 2.8.1 for two IKE SAs: 1 when a's lowest nonce is below b's. */
int		 ike_sa_loses(const struct ike_sa *a, const struct ike_sa *b);
void		 ike_child_next(struct ike_sa *sa);
void		 ike_create_child_respond(struct ike_sa *sa, struct ike_rx *rx);
void		 ike_create_child_reply(struct ike_sa *sa, struct ike_rx *rx);

/* ike_rekey.c */
/* Our CHILD_SA rekey request (1.3.3) for c, or our IKE SA rekey (1.3.2):
 * queued, sent when the window is free. */
void		 ike_rekey_child_queue(struct ike_sa *sa, struct ike_child *c);
void		 ike_rekey_ike_queue(struct ike_sa *sa);
/* From ike_child_next: send one queued rekey; 1 when one was sent. */
int		 ike_rekey_next(struct ike_sa *sa);
/* The peer's CREATE_CHILD_SA: an IKE SA rekey (no TS, 1.3.2) is
 * answered here (1); for N(REKEY_SA) (1.3.3) *rekey_of is the child's
 * spi_in, or *notify says why not (CHILD_SA_NOT_FOUND); 0 otherwise. */
int		 ike_rekey_respond(struct ike_sa *sa, struct ike_rx *rx,
		    uint32_t *rekey_of, uint16_t *notify);
/* The answer to our rekey request. */
void		 ike_rekey_reply(struct ike_sa *sa, struct ike_rx *rx);
/* A rekey's new child c is installed: retire the old one, or on a
 * collision (2.8.1) the redundant one. */
void		 ike_rekey_installed(struct ike_sa *sa, struct ike_child *c);
/* Lifetimes for a new child of tunnel t (kernel soft/hard limits). */
void		 ike_rekey_lifetimes(struct ike_child *c,
		    const struct ike_tunnel *t);
/* The IKE SA is established: its rekey and end from lifetime_s. */
void		 ike_rekey_schedule(struct ike_sa *sa);
/* sa ends while a rekey made its successor: its children (and tunnels
 * waiting) move there instead of going down. 1 when they moved. */
int		 ike_rekey_hand_over(struct ike_sa *sa);
/* old is gone: a redundant SA made by the peer's rekey of it (2.8.2)
 * that the peer has not deleted goes IKE_REDUNDANT_GRACE_MS later. */
void		 ike_rekey_old_gone(struct ike_sa *old);
#define IKE_REDUNDANT_GRACE_MS	5000
/* Timers: IKE SA lifetimes, replaced SAs the peer never deleted. */
void		 ike_rekey_tick(struct ike_sa *sa, int64_t now);
/* Our Delete for c is on its way (a rekeyed or redundant child): its
 * outbound SA goes now, the child when the peer answers. */
void		 ike_child_retire(struct ike_sa *sa, struct ike_child *c);
/* Our Delete for the retiring children was answered: they go. */
void		 ike_child_retired(struct ike_sa *sa);
#define IKE_REKEYED_MS	60000	/* a replaced IKE SA the peer keeps */

/* ike_dpd.c */
/* DPD settings from the tunnels the SA carries or sets up. */
void		 ike_dpd_settings(struct ike_sa *sa);
/* DPD for an established SA (settings, activity, probes); from tick. */
void		 ike_dpd_tick(struct ike_sa *sa, int64_t now);
/* A request of ours unanswered so long that the peer is dead (DPD's
 * interval x threshold; 0 when DPD is off). */
int64_t		 ike_dpd_limit_ms(struct ike_sa *sa);
/* The next retransmission of a DPD probe: one interval later. */
int64_t		 ike_dpd_retransmit_ms(struct ike_sa *sa);
/* The IKE SA is lost (no answer, DPD, IKE_SA_INIT/IKE_AUTH refused):
 * ike_sa_dead, then each tunnel it carried or was setting up fails over
 * to its other destination; peer_dead: a peer-dead event too. */
void		 ike_sa_lost(struct ike_sa *sa, const char *why, int peer_dead);
/* The tunnel moves to its other destination, when it has a backup. */
void		 ike_failover(struct ike *ike, const char *tunnel,
		    const struct ike_sa *sa, const char *why);
/* The SA's tunnels changed: DPD settings again. */
void		 ike_dpd_reconsider(struct ike_sa *sa);
/* Tell the owner (ops->event); sa may be NULL. */
void		 ike_event(struct ike *ike, enum ike_event_type type,
		    struct ike_sa *sa, const char *tunnel, const char *reason);
/* A negotiation failure of a tunnel with its event type (auth or not). */
void		 ike_tun_failed_ev(struct ike *ike, const char *tunnel,
		    enum ike_event_type type, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
/* "primary" or "backup": which destination sa's peer is for tunnel. */
const char	*ike_active_dest(struct ike *ike, const char *tunnel,
		    const struct ike_sa *sa);

/* ike_info.c */
void		 ike_info_respond(struct ike_sa *sa, struct ike_rx *rx);
void		 ike_info_reply(struct ike_sa *sa, struct ike_rx *rx);
int		 ike_delete_ike(struct ike_sa *sa);
/* One Delete for the IKE SA, sent without waiting for the answer, and
 * the SA ends (shutdown; a replaced SA the peer may not know). */
void		 ike_delete_ike_once(struct ike_sa *sa, const char *why);
int		 ike_delete_child(struct ike_sa *sa, struct ike_child *c);
/* Send the Deletes waiting for the window (sa->del_*, delete_ike). */
void		 ike_delete_pending(struct ike_sa *sa);
/* An unprotected error notify answering a message without an SA. */
void		 ike_notify_plain(struct ike *ike, const struct ike_path *p,
		    const struct ike_hdr *h, uint16_t notify,
		    const uint8_t *data, size_t len);

#endif
