/* ike_prop: IKEv2 negotiation policy from the configuration: the SA
 * proposals we offer (RFC 7296 3.3) for the IKE SA ("ipsec
 * ike-policy-rule") and for child SAs ("ipsec transform-set"), the
 * responder's choice among a peer's offers (2.7, 3.3.6), the initiator's
 * check of the answer, and traffic selectors (2.9, 3.13). Pure functions
 * except the two that read the store. */
#ifndef SECTUN_IKE_PROP_H
#define SECTUN_IKE_PROP_H

#include <stddef.h>
#include <stdint.h>

#include "ike_codec.h"

struct store;
struct ike_suite;
struct transform;

#define IKE_PROP_WHY_LEN	512	/* a good size for the why buffers */
#define IKE_XF_ID_UNUSABLE	0xffff	/* ike_sa_decode's unknown-attribute mark */

/* The IKE SA proposals for an exchange in transport VR tvr from local
 * address local_addr (text; NULL: only rules without a local-address
 * match apply): one proposal per usable ike-policy-rule whose match fits,
 * lowest rule number first, proto IKE, numbered 1..n, SPI size 0 (the
 * caller sets spi_len/spi for a rekey, 1.3.2). No rule configured or
 * none whose match fits: the built-in default (AES-CBC-256, PRF and
 * integrity SHA2-256, group 14, then the same with group 19). Rules the
 * IKEv2 side cannot use (des, md5, authentication other than pre-share)
 * are skipped and named in why, which stays set on success too (for a
 * warning); -1 with why when no rule is usable or on a store error. */
int	 ike_prop_ike(struct store *st, const char *tvr, const char *local_addr,
	    struct ike_prop *out, size_t max, size_t *n, char *why,
	    size_t whylen);
/* The lifetime in seconds of the IKE SA negotiated as chosen: that of the
 * first rule (as ike_prop_ike lists them) offering all of chosen's
 * transforms; 28800 (the default's) when none does. */
uint32_t ike_prop_ike_lifetime(struct store *st, const char *tvr,
	    const char *local_addr, const struct ike_prop *chosen);

/* Child SA proposals from transform set transform_set (NULL or "": the
 * default, esp-aes256-gcm then esp-aes256-sha256), one per transform in
 * the set's order, numbered 1..n: ENCR (with its key length) and/or
 * INTEG, "no ESN" (3.3.3 makes ESN mandatory for ESP and AH), DH
 * pfs_group when non-zero (0 in IKE_AUTH, 1.2: no KE there), our SPI.
 * esp-null-*, des and md5 transforms are skipped and named in why; -1
 * with why when none is left, the set does not exist, pfs_group is not
 * supported (ike_dh_supported) or the store failed. */
int	 ike_prop_child(struct store *st, const char *transform_set,
	    uint16_t pfs_group, const uint8_t proto_spi[4], struct ike_prop *out,
	    size_t max, size_t *n, char *why, size_t whylen);

/* Responder's choice (RFC 7296 2.7, 3.3.6): the first of our proposals,
 * in our order, that some offered proposal of the same protocol
 * satisfies: for each transform type ours has, the offer has one with the
 * same id and key length; the offer may have a type ours lacks only if it
 * is DH and either any_dh is set (PFS the peer asks for is accepted: its
 * first supported group, in its order, is taken) or the offer includes
 * DH NONE (taken). Transforms with id 0xffff never match. chosen: one
 * transform per type, with num, SPI size and SPI of the offered proposal.
 * 0, or -1 (NO_PROPOSAL_CHOSEN). */
int	 ike_prop_select(const struct ike_prop *offered, size_t noff,
	    const struct ike_prop *ours, size_t nours, int any_dh,
	    struct ike_prop *chosen);
/* Initiator's check of the responder's SA payload (3.3.6): exactly one
 * proposal, of the protocol and number of one of ours, one transform of
 * each type that proposal has and no other type, each one we offered in
 * it, SPI of the size we offered. chosen = the reply (its SPI is the
 * responder's). 0 or -1. */
int	 ike_prop_accept(const struct ike_prop *ours, size_t nours,
	    const struct ike_prop *reply, size_t nreply, struct ike_prop *chosen);

/* A chosen IKE proposal as the crypto suite: ENCR, PRF, DH and, unless
 * the cipher is AEAD, INTEG are required. 0 or -1. */
int	 ike_prop_suite(const struct ike_prop *p, struct ike_suite *s);
/* The proposal's DH group, 0 for none (or DH NONE). */
uint16_t ike_prop_dh(const struct ike_prop *p);
/* A chosen ESP or AH proposal as the transform of "ipsec transform-set"
 * (kernel algorithm names and key lengths, as transform_lookup fills
 * them). 0, or -1 when it is none we offer. */
int	 ike_prop_child_sa(const struct ike_prop *p, struct transform *t);
/* "AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256" (the names of
 * ike_xform_name, a key length appended, "no ESN" left out), for show
 * and logs. 0, or -1 when truncated. */
int	 ike_prop_text(const struct ike_prop *p, char *out, size_t len);

/* ---- traffic selectors (RFC 7296 2.9, 3.13.1) ---- */
/* A stored selector ("any" or "", PREFIX/LEN, A-B, IPv4 or IPv6) as TS:
 * "any" is the whole IPv4 and the whole IPv6 range (two); all are
 * protocol 0, ports 0-65535. 0, or -1 when not a selector or past max. */
int	 ike_ts_from_text(const char *sel, struct ike_ts *out, size_t max,
	    size_t *n);
/* Narrowing (2.9): the intersection of each offered TS with each of ours
 * of the same type (address range, protocol, ports), the empty ones left
 * out, at most max. 0 with *n >= 1, or -1 (TS_UNACCEPTABLE). */
int	 ike_ts_narrow(const struct ike_ts *offered, size_t noff,
	    const struct ike_ts *ours, size_t nours, struct ike_ts *out,
	    size_t max, size_t *n);
/* Initiator's check: 1 when there is at least one TS in got and every
 * one lies within one of ours, else 0. */
int	 ike_ts_within(const struct ike_ts *got, size_t ngot,
	    const struct ike_ts *ours, size_t nours);
/* "192.0.2.0/24", "10.0.0.1-10.0.0.9", "::/0", with " proto N" and
 * " port A[-B]" when they narrow it. 0, or -1 when truncated. */
int	 ike_ts_text(const struct ike_ts *ts, char *out, size_t len);

#endif
