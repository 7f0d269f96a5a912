/* ike: the IKEv2 engine (RFC 7296). One struct ike per daemon holds every
 * IKE SA, one per (transport VR, local address, peer address), shared by
 * the tunnels between them, each tunnel a CHILD_SA. The engine does no
 * I/O of its own: packets go out through ops->send, child SAs into the
 * kernel through ops->child_up / child_down, time comes from ops->now and
 * timers run when the owner calls ike_tick. So two engines run against
 * each other in one test process, and the daemon wires the same engine to
 * UDP sockets and netlink. Configuration is read from the store when it
 * is needed (tunnels, proposals, identities, keys). Not thread-safe: the
 * caller holds the daemon lock. */
#ifndef SECTUN_IKE_H
#define SECTUN_IKE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ike_codec.h"
#include "ike_conf.h"
#include "ike_crypto.h"
#include "ike_prop.h"
#include "parse.h"
#include "store.h"
#include "transform.h"

#define IKE_RETRANSMIT_MS	2000	/* first retransmission */
#define IKE_RETRANSMIT_TRIES	6	/* sent at 0, 2, 6, 14, 30, 62, 126 s;
					 * dead 128 s after the last */
#define IKE_HALF_OPEN_MS	30000	/* a responder's unfinished SA */
#define IKE_COOKIE_THRESHOLD	32	/* half-open SAs before cookies */
#define IKE_NATT_KEEPALIVE_MS	20000	/* RFC 3948 4 */
#define IKE_RETRY_MS		10000	/* a failed tunnel tries again, */
#define IKE_RETRY_MAX_MS	300000	/* doubling each time up to this */
#define IKE_MAX_CHILDREN	256	/* per IKE SA */

/* Where an IKE SA's packets go: the transport VR's sockets, addresses and
 * ports (4500 after NAT-T). */
struct ike_path {
	char		 tvr[NAME_MAX_LEN + 1];
	int		 family;
	uint8_t		 local[16], peer[16];
	uint16_t	 lport, pport;
};

enum ike_sa_state {
	IKE_SA_INIT_SENT,	/* initiator: waiting for IKE_SA_INIT reply */
	IKE_SA_AUTH_SENT,	/* initiator: waiting for IKE_AUTH reply */
	IKE_SA_HALF_OPEN,	/* responder: IKE_SA_INIT answered */
	IKE_SA_ESTABLISHED,
	IKE_SA_DELETING,	/* our Delete sent */
	IKE_SA_DEAD,		/* to be freed at the next tick */
};

/* A negotiated CHILD_SA as the kernel needs it. Directions are ours:
 * in = peer -> us. */
struct ike_child {
	char		 tunnel[NAME_MAX_LEN + 1];
	uint32_t	 if_id;
	uint8_t		 proto;		/* IPPROTO_ESP or IPPROTO_AH */
	uint32_t	 spi_in, spi_out;	/* host order */
	struct transform xf;
	struct ike_prop	 prop;		/* chosen */
	uint8_t		 enc_in[IKE_KEY_MAX], auth_in[IKE_KEY_MAX];
	uint8_t		 enc_out[IKE_KEY_MAX], auth_out[IKE_KEY_MAX];
	struct ike_ts	 ts_local[IKE_MAX_TS], ts_peer[IKE_MAX_TS];
	size_t		 nts_local, nts_peer;
	uint16_t	 pfs_group;
	int		 installed;
	int64_t		 established_ms;
	struct ike_sa	*sa;
	/* lifetimes the kernel enforces: soft starts a rekey, hard ends the
	 * SA (0: none) */
	uint64_t	 soft_secs, hard_secs, soft_bytes, hard_bytes;
	/* rekeying (RFC 7296 1.3.3, 2.8) */
	uint32_t	 rekey_of;	/* spi_in of the child this replaces */
	int		 ours;		/* we initiated the exchange that made it */
	uint8_t		 nlow[IKE_NONCE_MAX];	/* that exchange's lowest nonce */
	size_t		 nlowlen;	/* (2.8.1: which of two rekeys stays) */
	int		 replaced;	/* a successor is installed */
	int		 rekeying;	/* our rekey of it is queued or sent */
	uint64_t	 dpd_in, dpd_out;	/* bytes at DPD's last look */
	int		 retiring;	/* our Delete for it is on its way: its
					 * outbound SA is gone, the inbound
					 * stays until the peer answers */
	int64_t		 rekeyed_ms;	/* when it was replaced */
	int64_t		 rekey_retry_ms;	/* a refused rekey: again then */
	int		 out_pending;	/* a rekey we answered: its outbound SA
					 * waits until the peer has deleted the
					 * old one (so the peer has the new
					 * inbound SA first) */
	int		 redundant;	/* lost a simultaneous rekey (2.8.1):
					 * the peer deletes it */
};

/* What the engine tells its owner (trap hooks, CLI.md): each event names
 * the tunnel it concerns ("" when none), with the IKE SA's path and
 * identities when there is one. */
enum ike_event_type {
	IKE_EV_IKE_UP,
	IKE_EV_IKE_DOWN,
	IKE_EV_PEER_DEAD,
	IKE_EV_AUTH_FAILURE,
	IKE_EV_NEG_FAILURE,
	IKE_EV_FAILOVER,
	IKE_EV_REKEY,
};
struct ike_event {
	enum ike_event_type type;
	const char	*tunnel;
	const struct ike_path *path;	/* NULL: no IKE SA */
	char		 local_id[300], peer_id[300];	/* "type:value" or "" */
	const char	*active;	/* "primary", "backup" */
	const char	*reason;
};

/* What the owner provides. */
struct ike_ops {
	void	 *arg;		/* for send and now */
	void	 *kernel_arg;	/* for spi_alloc, child_up/down, failed */
	/* one datagram (without the non-ESP marker) */
	int	 (*send)(void *arg, const struct ike_path *p, const uint8_t *buf,
		    size_t len);
	/* an inbound SPI from the kernel (ALLOCSPI); 0 or -1 */
	int	 (*spi_alloc)(void *arg, const struct ike_path *p,
		    const struct ike_child *c, uint32_t *spi);
	/* give back an SPI from spi_alloc that no CHILD_SA came of */
	void	 (*spi_free)(void *arg, const struct ike_path *p,
		    uint8_t proto, uint32_t spi);
	/* install the child SA pair (and the tunnel's policies): 0, or -1
	 * with why */
	int	 (*child_up)(void *arg, const struct ike_path *p,
		    const struct ike_child *c, char *why, size_t whylen);
	/* remove it (the SA ended; why for the tunnel's events); next is
	 * the tunnel's CHILD_SA that stays (a rekey's survivor) or NULL */
	void	 (*child_down)(void *arg, const struct ike_path *p,
		    const struct ike_child *c, const struct ike_child *next,
		    const char *why);
	/* c->out_pending is over: install its outbound SA (0 or -1) */
	int	 (*child_out_up)(void *arg, const struct ike_path *p,
		    const struct ike_child *c);
	/* our Delete for c is on its way: its outbound SA goes now, so
	 * nothing more is sent on it (NULL: none) */
	void	 (*child_retire)(void *arg, const struct ike_path *p,
		    const struct ike_child *c, const struct ike_child *next);
	/* the bytes the kernel counted on c's SAs so far (DPD's activity);
	 * -1 when unknown (NULL: DPD sees only IKE messages) */
	int	 (*child_stats)(void *arg, const struct ike_path *p,
		    const struct ike_child *c, uint64_t *in, uint64_t *out);
	/* an event (NULL: none wanted) */
	void	 (*event)(void *arg, const struct ike_event *ev);
	/* a tunnel's negotiation failed (why has the peer's notify) */
	void	 (*tunnel_failed)(void *arg, const char *tunnel,
		    const char *why);
	/* monotonic milliseconds */
	int64_t	 (*now)(void *arg);
	/* start resolving name in transport VR tvr (never blocks); the
	 * answer comes back by ike_resolved. NULL: names are not resolved. */
	void	 (*resolve)(void *arg, const char *tunnel, const char *tvr,
		    const char *name);
};

struct ike_sa;

struct ike {
	struct store	*st;
	struct ike_ops	 ops;
	struct ike_sa	*sas;
	int		 debug;		/* log each exchange's payloads */
	int		 dpd_debug;	/* log each DPD probe */
	unsigned	 half_open;
	unsigned	 cookie_threshold;	/* half-open SAs before cookies */
	int64_t		 log_second;	/* rate limit of peer-caused logs */
	unsigned	 log_count;
	uint8_t		 cookie_secret[32];
	/* the signaled tunnels the engine knows, with their wish */
	struct ike_tun {
		char	 name[NAME_MAX_LEN + 1];
		int	 wanted;	/* should be up (we initiate) */
		int64_t	 retry_at;	/* not before (ms) */
		unsigned failures;
		char	 error[200];	/* the last negotiation error */
		/* a destination given as a name, resolved in the tunnel's
		 * transport VR */
		char	 dname[IDENTITY_MAX_LEN + 1];
		int	 resolving, dfamily;
		uint8_t	 daddr[16];
		int64_t	 resolved_at;	/* 0: no address */
		/* failover (CLI.md "tunnel destination backup") */
		int	 backup_active;	/* initiate to the backup */
		unsigned failovers;
		int64_t	 last_activity_ms;	/* DPD: traffic or IKE seen */
	}		*tuns;
	size_t		 ntuns, captuns;
	/* statistics for show ipsec statistics */
	uint64_t	 rx, tx, rx_dropped, retransmits;
};

struct ike	*ike_new(struct store *st, const struct ike_ops *ops);
void		 ike_free(struct ike *ike);

/* Log a line caused by peer input, at most IKE_PEER_LOGS_PER_S a second
 * (a flood of junk must not flood the log). */
#define IKE_PEER_LOGS_PER_S	10
void	 ike_log_peer(struct ike *ike, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* The daemon stops: every established IKE SA is deleted with one
 * INFORMATIONAL Delete, sent once without waiting for the answer (the
 * peer then removes its SAs at once), and the CHILD_SAs go. */
void	 ike_shutdown(struct ike *ike);

/* A datagram arrived on path (addresses and ports filled in by the
 * owner). Never fails: bad input is logged and answered or dropped. */
void	 ike_recv(struct ike *ike, const struct ike_path *p, const uint8_t *buf,
	    size_t len);
/* Timers: retransmissions, half-open expiry, keepalives, retries. */
void	 ike_tick(struct ike *ike);

/* DPD settings again, for every IKE SA (a configuration change). */
void	 ike_dpd_refresh(struct ike *ike);
/* The tunnel's configuration changed (or was removed): bring it up when
 * it should be and is not, tear it down when it should not be. */
void	 ike_tunnel_sync(struct ike *ike, const char *tunnel);
/* Every signaled tunnel (start-up). */
void	 ike_sync_all(struct ike *ike);
/* The answer to ops->resolve: family 0 when the name did not resolve
 * (why says so). */
void	 ike_resolved(struct ike *ike, const char *tunnel, const char *name,
	    int family, const uint8_t *addr, const char *why);
#define IKE_RESOLVE_TTL_MS	300000	/* an answer is used for 5 min */

/* The kernel's EXPIRE for the SA (proto, spi, outer destination): soft
 * starts a rekey (RFC 7296 1.3.3), hard (the kernel removed it) ends the
 * CHILD_SA. */
void	 ike_expire(struct ike *ike, uint8_t proto, uint32_t spi, int family,
	    const uint8_t *daddr, int hard);
/* request ipsec rekey: the tunnel's CHILD_SA (0, or -1 when it has none
 * established), the IKE SAs with peer (address text or "all"; how many). */
int	 ike_tunnel_rekey(struct ike *ike, const char *tunnel);
int	 ike_sa_rekey(struct ike *ike, const char *peer);

/* The kernel asked for SAs (ACQUIRE) for the tunnel with this if_id. */
void	 ike_acquire(struct ike *ike, uint32_t if_id);
/* The engine's record of a signaled tunnel, or NULL. */
struct ike_tun	*ike_tun_get(struct ike *ike, const char *name, int create);
/* clear ipsec tunnel / ike-sa: delete (with an INFORMATIONAL Delete). */
void	 ike_tunnel_clear(struct ike *ike, const char *tunnel);
int	 ike_sa_clear(struct ike *ike, const char *peer);	/* "all" */

/* ---- read-only views for show commands ---- */
struct ike_sa_info {
	char		 tvr[NAME_MAX_LEN + 1];
	char		 local[ADDR_LEN + 8], peer[ADDR_LEN + 8];
	const char	*role, *state;
	char		 spi_i[17], spi_r[17];
	char		 suite[128];
	uint16_t	 dh_group;
	char		 local_id[300], peer_id[300];
	long		 age_s, lifetime_s;
	long		 rekey_s;	/* until the rekey; -1: none due */
	char		 dpd[96];	/* "" when off */
	const char	*nat;
	char		 children[512];
	char		 error[160];
};
/* i-th IKE SA (0, 1, ...): 0 filled, -1 past the end. */
int	 ike_sa_info_at(struct ike *ike, size_t i, struct ike_sa_info *out);
/* The tunnel's child and IKE SA for show ipsec tunnel detail: 1 found. */
struct ike_tunnel_info {
	char		 transform[128];
	uint32_t	 spi_in, spi_out;
	char		 ike_sa[200];
	char		 error[200];	/* the last negotiation error */
	char		 state[40];	/* negotiation state */
	/* the IKE SA's ends and identities ("" before IKE_AUTH) */
	char		 local_addr[ADDR_LEN], peer_addr[ADDR_LEN];
	uint16_t	 peer_port;
	char		 local_id[300], peer_id[300];
	const char	*active;	/* "primary", "backup" or "none" */
	unsigned	 failovers;
	uint16_t	 pfs_group;	/* negotiated; 0: none */
	uint64_t	 soft_secs, hard_secs, soft_bytes, hard_bytes;
	long		 age_s;		/* of the CHILD_SA */
	long		 activity_s;	/* since DPD last saw the peer; -1 */
};
int	 ike_tunnel_info(struct ike *ike, const char *tunnel,
	    struct ike_tunnel_info *out);

#endif
