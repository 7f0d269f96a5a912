/* ike_crypto: the IKEv2 cryptography on OpenSSL 3: Diffie-Hellman groups,
 * PRF and prf+, integrity, SK payload protection, key derivation and PSK
 * authentication (RFC 7296 2.13-2.15, 2.17, 3.14; RFC 5282; RFC 7634;
 * RFC 5903; RFC 8031). Pure functions of their inputs except key
 * generation and random IVs. Every secret buffer it allocates is wiped on
 * free. Functions return 0 / -1 (or NULL); -1 never leaves a partial
 * secret in an output buffer. */
#ifndef SECTUN_IKE_CRYPTO_H
#define SECTUN_IKE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "ike_const.h"

#define IKE_KEY_MAX		64	/* longest SK_* key (SHA-512 PRF/integ) */
#define IKE_DH_PUB_MAX		512	/* MODP-4096 */
#define IKE_DH_SECRET_MAX	512
#define IKE_ICV_MAX		32
#define IKE_IV_MAX		16

/* One negotiated IKE SA suite. encr_keybits is 0 for fixed-length
 * ciphers (3DES, ChaCha20-Poly1305); integ is IKE_INTEG_NONE with AEAD. */
struct ike_suite {
	uint16_t	 encr, encr_keybits, prf, integ, dh;
};

/* Sizes of an encryption transform. */
struct ike_encr_info {
	int		 aead;
	size_t		 key_len;	/* bytes of key material, salt included */
	size_t		 salt_len;	/* AEAD: 4 (RFC 5282 / RFC 7634) */
	size_t		 iv_len;	/* IV in the payload: 16 CBC-AES, 8 3DES/AEAD */
	size_t		 block;		/* the ciphertext is a multiple of this */
	size_t		 icv_len;	/* AEAD: 16 */
};

/* -1 when the transform (with this key length) is not supported. */
int	 ike_encr_info(uint16_t encr, uint16_t keybits,
	    struct ike_encr_info *out);
/* Output length of the PRF, which is also its preferred key length
 * (RFC 7296 2.13); 0 when unsupported. */
size_t	 ike_prf_len(uint16_t prf);
/* Key and ICV length of an integrity transform; 0 when unsupported
 * (IKE_INTEG_NONE: both 0 and ike_integ_supported says yes). */
size_t	 ike_integ_key_len(uint16_t integ);
size_t	 ike_integ_icv_len(uint16_t integ);
int	 ike_integ_supported(uint16_t integ);

/* ---- Diffie-Hellman (RFC 7296 3.4; MODP RFC 2409/3526, ECP RFC 5903
 * as x || y, Curve25519 RFC 8031) ---- */
struct ike_dh;
int	 ike_dh_supported(uint16_t group);
/* Bytes of the KE payload's data for the group (0: unsupported). */
size_t	 ike_dh_public_len(uint16_t group);
/* A fresh key pair. */
struct ike_dh	*ike_dh_new(uint16_t group);
/* A key pair from a given private key (known-answer tests). */
struct ike_dh	*ike_dh_new_private(uint16_t group, const uint8_t *priv,
		    size_t len);
uint16_t ike_dh_group(const struct ike_dh *dh);
/* Our public value as KE data: exactly ike_dh_public_len bytes. */
int	 ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t len);
/* g^ir from the peer's KE data, padded to the group's length (MODP: len
 * of p; ECP: the x coordinate; X25519: 32 bytes). -1 when the peer's
 * value is invalid (wrong length, out of range, off the curve, low
 * order). */
int	 ike_dh_shared(struct ike_dh *dh, const uint8_t *peer, size_t len,
	    uint8_t *out, size_t *outlen);
void	 ike_dh_free(struct ike_dh *dh);

/* ---- PRF (RFC 7296 2.13) ---- */
/* out gets ike_prf_len(prf) bytes. */
int	 ike_prf(uint16_t prf, const uint8_t *key, size_t klen,
	    const uint8_t *data, size_t dlen, uint8_t *out);
/* prf+ (K, S) = T1 | T2 | ..., truncated to outlen (at most 255 blocks). */
int	 ike_prf_plus(uint16_t prf, const uint8_t *key, size_t klen,
	    const uint8_t *seed, size_t slen, uint8_t *out, size_t outlen);

/* ---- IKE SA keys (RFC 7296 2.14) ---- */
struct ike_keys {
	uint8_t		 sk_d[IKE_KEY_MAX], sk_ai[IKE_KEY_MAX],
			 sk_ar[IKE_KEY_MAX], sk_ei[IKE_KEY_MAX],
			 sk_er[IKE_KEY_MAX], sk_pi[IKE_KEY_MAX],
			 sk_pr[IKE_KEY_MAX];
	size_t		 d_len, a_len, e_len, p_len;
};
/* SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 2.14; for AES-CBC-XCBC-like
 * PRFs with fixed keys the nonces are halved, not needed here), then
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} =
 * prf+(SKEYSEED, Ni | Nr | SPIi | SPIr). SPIs in network order. */
int	 ike_keys_derive(const struct ike_suite *s, const uint8_t *ni,
	    size_t nilen, const uint8_t *nr, size_t nrlen, const uint8_t *gir,
	    size_t girlen, const uint8_t spii[8], const uint8_t spir[8],
	    struct ike_keys *out);
/* IKE SA rekey (RFC 7296 2.18): SKEYSEED = prf(SK_d (old), g^ir (new) |
 * Ni | Nr), same split; old_prf is the PRF of the old IKE SA. */
int	 ike_keys_rekey(const struct ike_suite *s, uint16_t old_prf,
	    const uint8_t *old_sk_d, size_t old_d_len, const uint8_t *ni,
	    size_t nilen, const uint8_t *nr, size_t nrlen, const uint8_t *gir,
	    size_t girlen, const uint8_t spii[8], const uint8_t spir[8],
	    struct ike_keys *out);
void	 ike_keys_clear(struct ike_keys *k);
/* CHILD_SA key material (RFC 7296 2.17): KEYMAT = prf+(SK_d, [g^ir (new)
 * |] Ni | Nr); gir NULL without PFS. The caller splits it: encryption
 * key then integrity key for initiator-to-responder, then the same for
 * responder-to-initiator. */
int	 ike_child_keymat(uint16_t prf, const uint8_t *sk_d, size_t d_len,
	    const uint8_t *gir, size_t girlen, const uint8_t *ni, size_t nilen,
	    const uint8_t *nr, size_t nrlen, uint8_t *out, size_t outlen);

/* ---- SK payload (RFC 7296 3.14; AEAD: RFC 5282 5, RFC 7634 2) ----
 * The SK payload body is IV | ciphertext | ICV; the plaintext is
 * payloads | padding | pad length (one byte). aad is the message from
 * the IKE header to the end of the SK payload's generic header, with all
 * length fields already final. For CBC the ICV is the integrity MAC of
 * aad | IV | ciphertext (truncated); for AEAD it is the tag, with aad as
 * additional data and nonce = salt | IV. */
struct ike_sk_key {
	uint8_t		 ekey[IKE_KEY_MAX];	/* cipher key | salt */
	uint8_t		 akey[IKE_KEY_MAX];	/* integrity (not AEAD) */
	size_t		 elen, alen;
};
/* Body length for plen bytes of payloads (minimal padding). */
size_t	 ike_sk_len(const struct ike_suite *s, size_t plen);
/* Seal plen bytes into body (blen must be ike_sk_len(s, plen)). iv NULL:
 * a fresh random IV; otherwise iv_len given bytes (tests). */
int	 ike_sk_seal(const struct ike_suite *s, const struct ike_sk_key *k,
	    const uint8_t *aad, size_t aadlen, const uint8_t *plain,
	    size_t plen, const uint8_t *iv, uint8_t *body, size_t blen);
/* Verify (constant time) and decrypt body into plain (room for blen
 * bytes), *plen = payload bytes without padding. -1 on any failure:
 * short body, not a block multiple, ICV or tag mismatch, bad pad length;
 * plain is wiped then. */
int	 ike_sk_open(const struct ike_suite *s, const struct ike_sk_key *k,
	    const uint8_t *aad, size_t aadlen, const uint8_t *body,
	    size_t blen, uint8_t *plain, size_t *plen);

/* ---- PSK authentication (RFC 7296 2.15) ----
 * AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>),
 * SignedOctets = RealMessage | Nonce (of the other side) |
 * prf(SK_p, IDpayload body), IDpayload body = ID type, 3 reserved bytes,
 * identification data. out gets ike_prf_len(prf) bytes. */
int	 ike_psk_auth(uint16_t prf, const uint8_t *psk, size_t psklen,
	    const uint8_t *msg, size_t msglen, const uint8_t *nonce,
	    size_t nlen, const uint8_t *sk_p, size_t plen,
	    const uint8_t *idbody, size_t idlen, uint8_t *out);

/* Random bytes (SPIs, nonces, IVs); -1 if the RNG failed. */
int	 ike_random(void *out, size_t len);

#endif
