/* ike_conf: what the IKEv2 engine needs from the stored configuration:
 * a tunnel as one struct, identities in their wire form (RFC 7296 3.5),
 * pre-shared keys found by the peer's identity, and the tunnels a
 * responder may answer a peer with. Reads the store; never logs a key. */
#ifndef SECTUN_IKE_CONF_H
#define SECTUN_IKE_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "ike_const.h"
#include "parse.h"

struct store;

/* An identity as in an ID payload: type IKE_ID_* (0: none) and data
 * (4 or 16 address bytes, or the name's characters, no NUL). */
struct ike_idv {
	uint8_t		 type;
	uint8_t		 data[255];
	size_t		 len;
};

/* From the stored form of local-identity / peer-identity: type
 * "address", "fqdn" or "user-fqdn" and its value. "dn" (no DER encoder,
 * and PSK only here) and anything else: -1. */
int	 ike_idv_from_conf(const char *type, const char *value,
	    struct ike_idv *out);
/* An address identity (ID_IPV4_ADDR or ID_IPV6_ADDR); family AF_INET or
 * AF_INET6. 0 or -1. */
int	 ike_idv_from_addr(int family, const uint8_t *addr, struct ike_idv *out);
/* "ipv4:192.0.2.1", "ipv6:2001:db8::1", "fqdn:vpn.example.com",
 * "user-fqdn:a@b.c", "dn:HEX", "key-id:HEX", "type-N:HEX"; a name's bytes
 * that are not printable (the peer chose them) become '?'. 0, or -1 when
 * truncated. */
int	 ike_idv_text(const struct ike_idv *id, char *out, size_t len);
/* 1 when equal: same type and data, FQDN and RFC822 names compared
 * without regard to ASCII case. */
int	 ike_idv_equal(const struct ike_idv *a, const struct ike_idv *b);

enum ike_establish {
	IKE_ESTABLISH_IMMEDIATELY,
	IKE_ESTABLISH_ON_TRAFFIC,
	IKE_ESTABLISH_RESPONDER_ONLY,
};

/* Dead peer detection (CLI.md "ipsec dpd"), in order of strength. */
enum ike_dpd_mode {
	IKE_DPD_OFF,
	IKE_DPD_OPTIMIZED,	/* probe when we sent but received nothing */
	IKE_DPD_PROBE_IDLE,	/* ... and when idle */
	IKE_DPD_ALWAYS_SEND,	/* every interval */
};
/* "optimized", ...; "off" for IKE_DPD_OFF. */
const char	*ike_dpd_mode_name(enum ike_dpd_mode m);

/* One tunnel as IKE sees it. */
struct ike_tunnel {
	char		 name[NAME_MAX_LEN + 1];
	uint32_t	 if_id;
	char		 vr[NAME_MAX_LEN + 1];
	char		 tvr[NAME_MAX_LEN + 1];	/* resolved: the VR when unset */
	/* Endpoints as stored ("": not set). An address is also in
	 * *_family (AF_INET, AF_INET6) and *_addr; an FQDN or user@fqdn is
	 * an identity, also in *_id (type 0 otherwise). */
	char		 source[IDENTITY_MAX_LEN + 1];
	char		 destination[IDENTITY_MAX_LEN + 1];
	char		 backup[IDENTITY_MAX_LEN + 1];
	int		 src_is_addr, dst_is_addr, bak_is_addr;
	int		 src_family, dst_family, bak_family;
	uint8_t		 src_addr[16], dst_addr[16], bak_addr[16];
	struct ike_idv	 src_id, dst_id, bak_id;
	char		 transform_set[NAME_MAX_LEN + 1];	/* "": default */
	uint16_t	 pfs_group;			/* 0: no PFS */
	/* child SA lifetime in force: the tunnel's, else the global one */
	uint32_t	 life_seconds;
	uint64_t	 life_kilobytes;
	int		 life_seconds_tunnel, life_kilobytes_tunnel; /* 1: own */
	/* The tunnel's own local-identity and peer-identity (type 0: not
	 * configured; a dn cannot be used and sets why). */
	struct ike_idv	 local_id, peer_id;
	char		 local_selector[ADDR_TEXT_LEN];	/* "": any */
	char		 peer_selector[ADDR_TEXT_LEN];
	enum ike_establish establish;
	int		 ike_version;
	int		 shutdown;
	int		 manual;	/* has manual SAs: not signaled */
	/* DPD in force: the tunnel's, else "ipsec dpd", else off */
	enum ike_dpd_mode dpd_mode;
	unsigned	 dpd_interval, dpd_threshold;	/* s, probes */
	int		 dpd_tunnel;	/* 1: the tunnel's own */
	char		 why[128];	/* "" or what IKE cannot use in it */
};

/* 1 found (t filled), 0 no such tunnel, -1 store error. */
int	 ike_conf_tunnel(struct store *st, const char *name,
	    struct ike_tunnel *t);
/* Names of all signaled (no manual SA) tunnels with ike-version 2, shut
 * down or not, in name order. 0, or -1 on a store error or when there
 * are more than max (the first max are there). */
int	 ike_conf_tunnels(struct store *st, char (*names)[NAME_MAX_LEN + 1],
	    size_t max, size_t *n);

/* Our identity for a tunnel (RFC 7296 3.5): its local-identity, else its
 * source when that is an FQDN or user@fqdn, else the global "ipsec
 * local-identity", else local_addr (family AF_INET or AF_INET6). t may be
 * NULL (global, then the address). 0, or -1 when the one in force cannot
 * be used (a dn) or there is no address. */
int	 ike_conf_local_id(struct store *st, const struct ike_tunnel *t,
	    int family, const uint8_t *local_addr, struct ike_idv *out);

/* The pre-shared key for a peer in transport VR tvr (NULL: "default"),
 * tried in this order (CLI.md): ID_RFC822_ADDR: the whole user@fqdn, then
 * the fqdn after '@'; ID_FQDN: the fqdn; address IDs: the ID's address,
 * then peer_addr (the packet's source; NULL: none, family AF_INET or
 * AF_INET6). Names compare without regard to case, an exact spelling
 * first. 0 with *psk malloc'd (free with secure_free(*psk, *len)), or -1
 * when none is stored (or a blob does not decrypt: logged, without the
 * key). */
int	 ike_conf_psk(struct store *st, const char *tvr,
	    const struct ike_idv *peer_id, int family, const uint8_t *peer_addr,
	    uint8_t **psk, size_t *len);

/* Responder: the tunnels that may answer a peer. Signaled, ike-version 2,
 * not shut down, transport VR tvr; source not an address or local (when
 * local is NULL, any); destination or backup the peer's address (peer
 * NULL: none), or an FQDN or user@fqdn equal to peer_id (a peer with a
 * dynamic address); and, when a peer-identity is configured, that equal
 * to peer_id. peer_id NULL (not known yet, before IKE_AUTH): address
 * matches only, peer-identity not checked: check again with the ID.
 * Address matches first, then identity matches, each in name order.
 * 0 (n may be 0), or -1 on a store error (n: what was found). */
int	 ike_conf_match(struct store *st, const char *tvr, int family,
	    const uint8_t *local, const uint8_t *peer,
	    const struct ike_idv *peer_id, char (*names)[NAME_MAX_LEN + 1],
	    size_t max, size_t *n);

#endif
