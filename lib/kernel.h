/* kernel: the Linux objects sectun manages, over netlink (NETLINK_ROUTE for
 * VRFs, xfrm interfaces, addresses and routes; NETLINK_XFRM for SAs and
 * policies). Every refusal comes back in a struct kerr with the kernel's
 * own text. The daemon runs in one network namespace: the sockets' own. */
#ifndef SECTUN_KERNEL_H
#define SECTUN_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <sys/socket.h>

#include "nlk.h"

/* Ownership marks, so a restarted daemon adopts its own objects and never
 * touches anyone else's: interfaces carry an alias starting with
 * KERNEL_ALIAS_PREFIX, SAs and policies the reqid KERNEL_REQID(if_id),
 * routes the protocol KERNEL_RTPROT. */
#define KERNEL_ALIAS_PREFIX	"sectun "
#define KERNEL_REQID_BASE	0x5ec00000u
#define KERNEL_REQID_MAX_IF_ID	0x000fffffu
#define KERNEL_REQID(if_id)	(KERNEL_REQID_BASE + (uint32_t)(if_id))
#define KERNEL_REQID_IS_OURS(r)	(((r) & ~KERNEL_REQID_MAX_IF_ID) == \
				    KERNEL_REQID_BASE)
#define KERNEL_RTPROT		244	/* "proto 244" in ip route */

struct kernel {
	struct nl_sock	*rt;
	struct nl_sock	*xfrm;
	int		 debug;		/* log each request */
};

/* Bytes of an address of family AF_INET or AF_INET6. */
static inline size_t
kernel_addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

struct kernel	*kernel_open(struct kerr *e);
void		 kernel_close(struct kernel *k);

/* ---- links (kernel_link.c) ---- */
struct klink {
	int		 ifindex;
	char		 name[IFNAMSIZ];
	char		 kind[16];	/* "vrf", "xfrm", ... ("" if none) */
	char		 alias[128];
	unsigned	 flags;		/* IFF_* */
	int		 master;
	unsigned	 mtu;
	uint32_t	 vrf_table;	/* kind vrf */
	uint32_t	 xfrm_if_id;	/* kind xfrm */
	int		 xfrm_link;
	uint64_t	 rx_packets, rx_bytes, rx_errors, rx_dropped;
	uint64_t	 tx_packets, tx_bytes, tx_errors, tx_dropped;
};

/* 1 found, 0 no such link, -1 error. */
int	 kernel_link_get(struct kernel *k, const char *name, struct klink *l,
	    struct kerr *e);
int	 kernel_link_dump(struct kernel *k,
	    int (*cb)(const struct klink *, void *), void *arg, struct kerr *e);
/* The links keep() says yes to, read whole before the caller acts on them
 * (one socket, one request at a time). Free out->l. */
struct klinks {
	struct klink	*l;
	size_t		 n, cap;
};
int	 kernel_link_list(struct kernel *k,
	    int (*keep)(const struct klink *, void *), void *arg,
	    struct klinks *out, struct kerr *e);
int	 kernel_vrf_add(struct kernel *k, const char *name, uint32_t table,
	    const char *alias, struct kerr *e);
int	 kernel_xfrmi_add(struct kernel *k, const char *name, uint32_t if_id,
	    int link, int master, unsigned mtu, const char *alias,
	    struct kerr *e);
/* Change what differs: master (0 = none), mtu (0 = keep), up. */
int	 kernel_link_set(struct kernel *k, int ifindex, int master,
	    unsigned mtu, int up, struct kerr *e);
int	 kernel_link_del(struct kernel *k, int ifindex, struct kerr *e);

/* ---- addresses ---- */
struct kaddr {
	int		 family;
	unsigned char	 addr[16];
	int		 plen;
};
/* The global-scope addresses of one interface. */
int	 kernel_addr_dump(struct kernel *k, int ifindex,
	    int (*cb)(const struct kaddr *, void *), void *arg, struct kerr *e);
int	 kernel_addr_change(struct kernel *k, int add, int ifindex,
	    const struct kaddr *a, struct kerr *e);

/* ---- routes (ours: protocol KERNEL_RTPROT) ---- */
struct kroute {
	int		 family;
	uint32_t	 table;
	unsigned char	 dst[16];
	int		 plen;
	int		 oif;		/* 0: by gateway */
	int		 has_gw;
	unsigned char	 gw[16];
	uint32_t	 metric;
};
int	 kernel_route_dump(struct kernel *k,
	    int (*cb)(const struct kroute *, void *), void *arg, struct kerr *e);
int	 kernel_route_change(struct kernel *k, int add, const struct kroute *r,
	    struct kerr *e);

/* ---- XFRM SAs and policies (kernel_xfrm.c) ---- */
#define KSA_KEY_MAX	72

struct ksa {
	int		 family;	/* outer */
	uint8_t		 proto;		/* IPPROTO_ESP, IPPROTO_AH */
	uint32_t	 spi;		/* host order */
	unsigned char	 saddr[16], daddr[16];
	uint32_t	 reqid, if_id;
	int		 aead;
	char		 enc_alg[64];	/* "" for AH */
	unsigned char	 enc_key[KSA_KEY_MAX];
	size_t		 enc_len;
	unsigned	 icv_bits;	/* AEAD */
	char		 auth_alg[64];	/* "" for AEAD and ESP without integrity */
	unsigned char	 auth_key[KSA_KEY_MAX];
	size_t		 auth_len;
	unsigned	 trunc_bits;
	/* read back from the kernel */
	uint64_t	 bytes, packets, add_time, use_time;
	uint32_t	 replay_window, replay, integrity_failed;
	/* for IKE-negotiated SAs; all zero = as for manual keys. Read back by
	 * kernel_sa_get/dump except update. */
	int		 update;	/* XFRM_MSG_UPDSA: complete an SA from
					 * kernel_spi_alloc (or change a live
					 * one's lifetimes and encap) */
	uint16_t	 encap_sport, encap_dport;	/* non-zero: ESP in
					 * UDP (RFC 3948), host order */
	uint64_t	 soft_bytes, hard_bytes;	/* 0 = no limit */
	uint64_t	 soft_secs, hard_secs;	/* after adding; 0 = no limit */
	uint32_t	 replay_win;	/* anti-replay window in packets
					 * (RFC 4303 3.4.3); 0 = none. Up to
					 * KSA_REPLAY_WIN_MAX */
};
#define KSA_REPLAY_WIN_MAX	4096	/* XFRMA_REPLAY_ESN_MAX bits */
/* Wipe the keys. */
void	 ksa_clear(struct ksa *sa);
int	 kernel_sa_add(struct kernel *k, const struct ksa *sa, struct kerr *e);
/* 1 found (sa filled, keys included), 0 none, -1 error. */
int	 kernel_sa_get(struct kernel *k, int family, const unsigned char *daddr,
	    uint32_t spi, uint8_t proto, struct ksa *sa, struct kerr *e);
int	 kernel_sa_del(struct kernel *k, int family, const unsigned char *daddr,
	    uint32_t spi, uint8_t proto, struct kerr *e);
/* Every SA (keys not kept). */
int	 kernel_sa_dump(struct kernel *k, int (*cb)(const struct ksa *, void *),
	    void *arg, struct kerr *e);

struct ksp {
	int		 family;	/* inner (selector) */
	int		 dir;		/* XFRM_POLICY_IN, _OUT, _FWD */
	unsigned char	 saddr[16], daddr[16];
	int		 splen, dplen;
	uint32_t	 if_id;
	uint32_t	 priority;
	/* template: the outer addresses */
	int		 tmpl_family;
	unsigned char	 tmpl_saddr[16], tmpl_daddr[16];
	uint8_t		 tmpl_proto;
	uint32_t	 reqid;
};
/* Create or replace. */
int	 kernel_sp_update(struct kernel *k, const struct ksp *sp,
	    struct kerr *e);
int	 kernel_sp_del(struct kernel *k, const struct ksp *sp, struct kerr *e);
int	 kernel_sp_dump(struct kernel *k, int (*cb)(const struct ksp *, void *),
	    void *arg, struct kerr *e);

/* ---- IKE's needs: SPIs and kernel events (kernel_xfrm.c) ---- */

/* Reserve an inbound SPI (XFRM_MSG_ALLOCSPI) for an SA from src (the
 * peer) to dst (us): the kernel makes a larval SA with that SPI, reqid and
 * if_id, which kernel_sa_add with update = 1 completes. The SPI is drawn
 * from KERNEL_SPI_MIN..KERNEL_SPI_MAX (strongSwan's range; RFC 4303 2.1
 * only reserves 1..255). The larval SA dies after net.core.xfrm_acq_expires
 * seconds (30 by default): complete it before then. */
#define KERNEL_SPI_MIN	0xc0000000u
#define KERNEL_SPI_MAX	0xcfffffffu
int	 kernel_spi_alloc(struct kernel *k, int family,
	    const unsigned char *src, const unsigned char *dst, uint8_t proto,
	    uint32_t reqid, uint32_t if_id, uint32_t *spi, struct kerr *e);

/* A kernel event, from XFRMNLGRP_ACQUIRE or XFRMNLGRP_EXPIRE. */
enum { KEVENT_ACQUIRE = 1, KEVENT_EXPIRE };
struct kevent {
	int		 type;		/* KEVENT_* */
	uint32_t	 if_id, reqid;
	int		 family;	/* outer */
	/* ACQUIRE: the policy template's outer addresses; EXPIRE: the SA's */
	unsigned char	 saddr[16], daddr[16];
	/* ACQUIRE: the selector of the packet that found no SA;
	 * EXPIRE: the SA's selector */
	int		 sel_family;
	unsigned char	 sel_saddr[16], sel_daddr[16];
	uint8_t		 sel_proto;
	uint32_t	 spi;		/* EXPIRE (host order); 0 for an expired
					 * larval SA */
	uint8_t		 proto;		/* IPPROTO_ESP, ... */
	int		 hard;		/* EXPIRE: 1 hard (the SA is gone),
					 * 0 soft (rekey now) */
	/* ACQUIRE: the policy that asked, and the larval SA's sequence
	 * number (an outbound ALLOCSPI with it reuses the larval SA) */
	uint32_t	 policy_index, seq;
	int		 policy_dir;
};

struct kernel_mon;
/* A non-blocking NETLINK_XFRM socket subscribed to ACQUIRE and EXPIRE, in
 * the caller's network namespace. */
struct kernel_mon *kernel_mon_open(struct kerr *e);
int	 kernel_mon_fd(struct kernel_mon *m);
/* Read what is queued (bounded, so an event loop is not starved) and call
 * cb for each well-formed event; others are skipped. Returns the number of
 * events delivered, or -1 with errno: ENOBUFS means the kernel dropped
 * events (the socket buffer overflowed), so the caller must compare its
 * state with a dump of SAs and policies. */
int	 kernel_mon_read(struct kernel_mon *m,
	    void (*cb)(const struct kevent *, void *), void *arg);
void	 kernel_mon_close(struct kernel_mon *m);

#endif
