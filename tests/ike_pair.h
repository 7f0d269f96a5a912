/* ike_pair: two IKE engines in one process (STYLE.md, strongSwan's
 * habit), each with its own configuration made by the real CLI, wired
 * through a fake sender (which can lose, duplicate, NAT or corrupt
 * packets) and a fake kernel (which hands out SPIs and records installed
 * CHILD_SAs), on a fake clock. Shared by check_ike_engine and the IKE
 * benchmark. Node 0 is R1 (192.0.2.1, r1.example.net), node 1 is R2
 * (192.0.2.2, r2.example.net), each with tunnel t1 to the other in
 * transport VR "tr"; R2's is responder-only. */
#ifndef SECTUN_IKE_PAIR_H
#define SECTUN_IKE_PAIR_H

#include <stdint.h>

#include "ike.h"
#include "parse.h"

#define QMAX	64
#define KIDS	64

struct pkt {
	int	 to;		/* engine index */
	size_t	 len;
	uint8_t	 buf[IKE_MSG_LIMIT];
	struct ike_path p;	/* as the receiver sees it */
};

struct node {
	struct clirun	*cli;
	struct ike	*ike;
	int		 idx;
	uint32_t	 next_spi;
	struct ike_child kids[KIDS];
	int		 nkids, ndown, nfreed;
	char		 failed[512];
	/* the fake kernel's byte counters for every CHILD_SA (DPD) */
	uint64_t	 in_bytes, out_bytes;
	int		 info_requests;	/* INFORMATIONAL requests sent */
	/* events (ops->event), oldest first */
	struct {
		enum ike_event_type type;
		char	 tunnel[NAME_MAX_LEN + 1];
		char	 active[16];
		char	 reason[200];
		char	 peer[48];	/* the path's peer address */
		int64_t	 at;
	}		 ev[64];
	int		 nev;
};

extern struct node nodes[2];
extern struct pkt *queue;
extern int nq, sent;
extern int64_t clock_ms;
extern int drop_first, dup_all, drop_to_1;	/* fault injection */
extern int nat;		/* node 0 behind a NAT: 198.51.100.1:40500/44500 */
extern int drop_at;	/* the packet sent when sent reaches this is lost */
extern int routed;	/* a packet reaches the other node only when sent to
			 * its address (192.0.2.1, 192.0.2.2) */
/* The index of node n's first event of type at or after from, or -1. */
int	 event_find(const struct node *n, enum ike_event_type type, int from);

/* Run lines in a node's CLI; aborts on the first that fails. */
void	 cli_lines(struct node *n, const char *const *lines);
/* Both nodes with their base configuration, then extra lines (or NULL). */
void	 setup_nodes(const char *const *extra1, const char *const *extra2);
void	 teardown_nodes(void);
/* Deliver queued packets and run timers for ms of fake time; after each
 * delivered packet pump_check runs when set (an invariant). */
void	 pump(int64_t ms);
extern void (*pump_check)(void);
/* Every tunnel of both nodes synchronized (R1 initiates t1). */
void	 start_t1(void);

#endif
