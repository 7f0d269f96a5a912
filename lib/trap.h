/* trap: the trap hooks (CLI.md "Trap hooks"): on an event, every matching
 * hook of the trap_hook table runs without a shell, in a clean environment
 * that describes the event, in its own process group, with a time limit.
 * Nothing here blocks: trap_raise spawns, trap_reap collects. */
#ifndef SECTUN_TRAP_H
#define SECTUN_TRAP_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"

enum trap_event {
	TRAP_TUNNEL_UP,
	TRAP_TUNNEL_DOWN,
	TRAP_FAILOVER,
	TRAP_PEER_DEAD,
	TRAP_IKE_UP,
	TRAP_IKE_DOWN,
	TRAP_AUTH_FAILURE,
	TRAP_NEGOTIATION_FAILURE,
	TRAP_REKEY,
	TRAP_EVENT_COUNT
};

#define TRAP_TIMEOUT_MS		10000	/* the daemon's per-hook limit */
#define TRAP_MAX_RUNNING	32	/* beyond it a run is refused */
#define TRAP_REAP_MS		250	/* the daemon calls trap_reap so often */
/* SECTUN-MIB's root (mibs/SECTUN-MIB.txt): enterprises.32473, the
 * enterprise number RFC 5612 reserves for documentation, standing in for
 * a registered one. Change it here and in the MIB together. */
#define TRAP_ENTERPRISE_OID	"1.3.6.1.4.1.32473"
/* The only PATH a hook gets. */
#define TRAP_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:" \
			"/sbin:/bin"

/* "tunnel-up" ... as in CLI.md; NULL out of range. */
const char	*trap_event_name(enum trap_event ev);
/* The notification's numeric OID: IF-MIB linkUp/linkDown for tunnel-up and
 * tunnel-down, mibs/SECTUN-MIB.txt's for the others. NULL out of range. */
const char	*trap_event_oid(enum trap_event ev);

/* What a hook is told. Strings are NUL-terminated; "" when not applicable.
 * Nothing secret belongs here. */
struct trap_vars {
	enum trap_event	 event;
	char		 tunnel[NAME_MAX_LEN + 1];	/* "": an IKE SA event */
	char		 ifname[IFNAMSIZ];
	int		 ifindex;			/* 0: none */
	uint32_t	 if_id;				/* 0: none */
	char		 ovr[NAME_MAX_LEN + 1];		/* operational VR */
	char		 tvr[NAME_MAX_LEN + 1];		/* transport VR */
	char		 local_addr[ADDR_LEN];
	char		 peer_addr[ADDR_LEN];
	uint16_t	 peer_port;			/* 0: none */
	char		 local_id[300];		/* "fqdn:r1.example.net" */
	char		 peer_id[300];
	char		 active[8];		/* "primary", "backup" or "" */
	char		 reason[200];			/* human text */
};

struct store;
struct traps;	/* NULL is valid everywhere: it runs nothing */

/* timeout_ms: how long a hook may run before it is killed. */
struct traps	*trap_new(unsigned timeout_ms);
/* Kills (SIGKILL, to its process group) and reaps every hook still
 * running. NULL is a no-op. */
void		 trap_free(struct traps *t);
/* Starts every hook of st's trap_hook table whose events include v->event
 * or "all"; returns how many were started. Never waits for one. now_ms is
 * the caller's monotonic clock, the one given to trap_reap. */
int		 trap_raise(struct traps *t, struct store *st,
		    const struct trap_vars *v, int64_t now_ms);
/* Collects finished hooks (a non-zero exit, a signal are logged) and kills
 * the process group of each hook past its limit (logged). */
void		 trap_reap(struct traps *t, int64_t now_ms);
size_t		 trap_running(const struct traps *t);
/* "debug ipsec hooks": log each start and each clean end. */
void		 trap_set_debug(struct traps *t, int on);

#endif
