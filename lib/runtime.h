/* runtime: the configuration made real. Each sync reads the stored
 * configuration (the user's intent) and brings the kernel to it: VRFs for
 * virtual routers, xfrm interfaces, addresses, manual SAs and policies for
 * tunnels, routes. What was installed and why a tunnel is down is kept
 * here; what failed is retried (runtime_retry). Callers hold the daemon
 * lock. With no kernel (runtime_new(st, NULL)) nothing is touched: the
 * configuration-only mode of tests. */
#ifndef SECTUN_RUNTIME_H
#define SECTUN_RUNTIME_H

#include <stdint.h>
#include <time.h>

#include "kernel.h"
#include "parse.h"
#include "store.h"

#define TUNNEL_EVENTS		8
#define TUNNEL_MAX_SPS		64
#define RUNTIME_REPORT_LEN	2048
#define RUNTIME_RETRY_SECONDS	10

struct tunnel_event {
	time_t		 when;
	char		 text[120];
};

struct vr_rt {
	char		 name[NAME_MAX_LEN + 1];
	char		 ifname[IFNAMSIZ];	/* "" for default */
	int		 ifindex;		/* 0 for default */
	uint32_t	 table;			/* 0: not available */
	int		 owned;			/* created by sectun */
	char		 error[KERR_LEN];
	struct vr_rt	*next;
};

struct sa_key {
	int		 family;
	unsigned char	 daddr[16];
	uint32_t	 spi;
	uint8_t		 proto;
};

struct tunnel_rt {
	char		 name[NAME_MAX_LEN + 1];
	uint32_t	 if_id;
	char		 ifname[IFNAMSIZ];
	int		 ifindex;	/* 0: no interface */
	int		 up;		/* operational state */
	int		 armed;		/* on-traffic: policies in, waiting for
					 * the kernel's ACQUIRE (routes in) */
	char		 down_reason[KERR_LEN];
	char		 error[KERR_LEN];	/* the kernel's last refusal */
	char		 neg_error[KERR_LEN];	/* IKE's last failure */
	struct sa_key	 sas[2];	/* installed: [0] inbound, [1] outbound */
	int		 sa_ok[2];
	struct ksp	 sps[TUNNEL_MAX_SPS];	/* installed policies */
	int		 nsps;
	struct tunnel_event ev[TUNNEL_EVENTS];	/* ring */
	int		 nev;
	int		 seen;		/* in the configuration (full sync) */
	struct tunnel_rt *next;
};

struct ike;
struct ike_event;
struct traps;

struct runtime {
	struct store	*st;
	struct kernel	*k;		/* NULL: configuration only */
	struct traps	*traps;		/* trap hooks; NULL: none run */
	struct ike	*ike;		/* for the hooks' IKE variables */
	struct vr_rt	*vrs;
	struct tunnel_rt *tunnels;
	int		 pending;	/* something failed: retry */
	char		 route_error[KERR_LEN];
	char		 report[RUNTIME_REPORT_LEN];	/* this sync's refusals */
};

struct runtime	*runtime_new(struct store *st, struct kernel *k);
void		 runtime_free(struct runtime *rt);

/* Everything: virtual routers, tunnels, routes, and removal of what
 * sectun owns but is no longer configured (start-up adopts what matches).
 * Each returns the number of refusals (listed in rt->report). */
int	 runtime_sync_all(struct runtime *rt);
/* One tunnel (created, changed or removed), then the routes. */
int	 runtime_sync_tunnel(struct runtime *rt, const char *name);
int	 runtime_sync_routes(struct runtime *rt);
/* A full sync when something failed before. */
int	 runtime_retry(struct runtime *rt);

/* show ip route: our routes in the kernel, then each configured route's
 * status ("installed", "inactive: ...", "not installed: ..."); q has the
 * columns family, vr, prefix, tunnel, nexthop, distance. */
struct routes;
struct routes	*runtime_routes_load(struct runtime *rt);
void		 runtime_routes_free(struct routes *have);
const char	*runtime_route_status(struct runtime *rt, sqlite3_stmt *q,
		    const struct routes *have);

struct vr_rt	*runtime_vr(struct runtime *rt, const char *name);
struct tunnel_rt *runtime_tunnel(struct runtime *rt, const char *name);

/* internal, shared by vr.c, tunnel.c, tunnel_sa.c, route.c */
struct tunnel_conf {
	char		 name[NAME_MAX_LEN + 1];
	uint32_t	 if_id;
	char		 vr[NAME_MAX_LEN + 1], tvr[NAME_MAX_LEN + 1];
	char		 source[ADDR_TEXT_LEN], dest[ADDR_TEXT_LEN];
	char		 lsel[ADDR_TEXT_LEN], psel[ADDR_TEXT_LEN];
	unsigned	 mtu;
	char		 ipv4[ADDR_TEXT_LEN];
	int		 shutdown;
	int		 manual;	/* has manual SAs */
	int		 on_traffic;	/* tunnel establish on-traffic */
};
/* 0 installed (or kept); -1 not, with t->down_reason (and t->error when
 * the kernel refused). */
int	 tunnel_sa_sync(struct runtime *rt, struct tunnel_rt *t,
	    const struct tunnel_conf *tc);
void	 tunnel_sa_remove(struct runtime *rt, struct tunnel_rt *t);
/* One SA of the pair (0 in, 1 out) out of the kernel. */
void	 tunnel_sa_forget(struct runtime *rt, struct tunnel_rt *t, int dir);
/* The tunnel's policies for outer addresses src -> dst. */
int	 tunnel_sp_install(struct runtime *rt, struct tunnel_rt *t,
	    const struct tunnel_conf *tc, int family, const unsigned char *src,
	    const unsigned char *dst, uint8_t proto);
/* down_reason from neg_error */
void	 tunnel_not_negotiated(struct tunnel_rt *t);
int	 tunnel_conf_load(struct runtime *rt, const char *name,
	    struct tunnel_conf *tc);
/* SAs and policies marked ours whose tunnel no longer wants them. */
int	 tunnel_sa_remove_stale(struct runtime *rt);

void	 runtime_refused(struct runtime *rt, char *slot, const struct kerr *e);
/* Run the trap hooks for an event of tunnel ("" for none), with what the
 * IKE engine said (iev, may be NULL) or knows (tunnel_trap.c). */
void	 tunnel_trap(struct runtime *rt, int event, const char *tunnel,
	    const struct ike_event *iev, const char *reason);
void	 tunnel_event(struct tunnel_rt *t, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 vr_sync_all(struct runtime *rt);
int	 vr_remove_stale(struct runtime *rt, const struct klinks *ours);
int	 tunnel_sync(struct runtime *rt, const char *name);
/* ours: the links carrying sectun's mark, listed once for both */
int	 tunnel_remove_stale(struct runtime *rt, const struct klinks *ours);
int	 route_sync(struct runtime *rt);

#endif
