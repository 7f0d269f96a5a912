/* ike_crypto: the IKEv2 cryptography on OpenSSL 3 (see ike_crypto.h).
 * Algorithms are table rows; OpenSSL objects that can be shared (the HMAC
 * method and the ciphers) are fetched once. No secret ever reaches a log,
 * and every temporary buffer that held one is wiped before it goes. */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include "ike_crypto.h"

#define NITEMS(a)		(sizeof(a) / sizeof((a)[0]))
/* RFC 7296 2.13: prf+ has a one-octet counter */
#define PRF_PLUS_BLOCKS		255
#define AEAD_NONCE_LEN		12	/* salt (4) | IV (8) */
#define SEG_MAX			4	/* data pieces given to a PRF */
#define KEY_PAD			"Key Pad for IKEv2" /* RFC 7296 2.15 */

/* ---- transforms ---- */

struct encr_alg {
	uint16_t		 id, keybits;
	const char		*cipher;	/* OpenSSL name */
	struct ike_encr_info	 info;
};

/* info: aead, key bytes (salt included), salt, IV, block, ICV */
static const struct encr_alg encr_algs[] = {
	/* RFC 2451: no key length attribute */
	{ IKE_ENCR_3DES, 0, "DES-EDE3-CBC", { 0, 24, 0, 8, 8, 0 } },
	/* RFC 3602: the key length attribute is mandatory */
	{ IKE_ENCR_AES_CBC, 128, "AES-128-CBC", { 0, 16, 0, 16, 16, 0 } },
	{ IKE_ENCR_AES_CBC, 192, "AES-192-CBC", { 0, 24, 0, 16, 16, 0 } },
	{ IKE_ENCR_AES_CBC, 256, "AES-256-CBC", { 0, 32, 0, 16, 16, 0 } },
	/* RFC 5282: key | 4-byte salt, 8-byte IV, 16-byte ICV,
	 * no alignment beyond the pad length byte */
	{ IKE_ENCR_AES_GCM_16, 128, "AES-128-GCM", { 1, 20, 4, 8, 1, 16 } },
	{ IKE_ENCR_AES_GCM_16, 192, "AES-192-GCM", { 1, 28, 4, 8, 1, 16 } },
	{ IKE_ENCR_AES_GCM_16, 256, "AES-256-GCM", { 1, 36, 4, 8, 1, 16 } },
	/* RFC 7634: a 256-bit key | 4-byte salt; the key length
	 * attribute must not be sent, a 256 from a sloppy peer is fine */
	{ IKE_ENCR_CHACHA20_POLY1305, 0, "ChaCha20-Poly1305",
	    { 1, 36, 4, 8, 1, 16 } },
	{ IKE_ENCR_CHACHA20_POLY1305, 256, "ChaCha20-Poly1305",
	    { 1, 36, 4, 8, 1, 16 } },
};

struct prf_alg {
	uint16_t	 id;
	const char	*md;
	size_t		 len;
};

/* RFC 7296 3.3.2, RFC 4868 */
static const struct prf_alg prf_algs[] = {
	{ IKE_PRF_HMAC_SHA1, "SHA1", 20 },
	{ IKE_PRF_HMAC_SHA2_256, "SHA256", 32 },
	{ IKE_PRF_HMAC_SHA2_384, "SHA384", 48 },
	{ IKE_PRF_HMAC_SHA2_512, "SHA512", 64 },
};

struct integ_alg {
	uint16_t	 id;
	const char	*md;
	size_t		 key_len;	/* also the full HMAC output */
	size_t		 icv_len;
};

/* RFC 2404, RFC 4868 2.1: keys as long as the hash, ICVs truncated */
static const struct integ_alg integ_algs[] = {
	{ IKE_INTEG_HMAC_SHA1_96, "SHA1", 20, 12 },
	{ IKE_INTEG_HMAC_SHA2_256_128, "SHA256", 32, 16 },
	{ IKE_INTEG_HMAC_SHA2_384_192, "SHA384", 48, 24 },
	{ IKE_INTEG_HMAC_SHA2_512_256, "SHA512", 64, 32 },
};

/* ---- shared OpenSSL objects ---- */

static pthread_once_t	 fetch_once = PTHREAD_ONCE_INIT;
static EVP_MAC		*hmac_method;
static EVP_CIPHER	*ciphers[NITEMS(encr_algs)];

static void
crypto_fetch(void)
{
	size_t	 i;

	hmac_method = EVP_MAC_fetch(NULL, "HMAC", NULL);
	for (i = 0; i < NITEMS(encr_algs); i++)
		ciphers[i] = EVP_CIPHER_fetch(NULL, encr_algs[i].cipher, NULL);
	ERR_clear_error();
}

static int
crypto_init(void)
{
	if (pthread_once(&fetch_once, crypto_fetch) != 0 ||
	    hmac_method == NULL)
		return -1;
	return 0;
}

static const struct encr_alg *
encr_find(uint16_t id, uint16_t keybits, const EVP_CIPHER **cipher)
{
	size_t	 i;

	if (crypto_init() == -1)
		return NULL;
	for (i = 0; i < NITEMS(encr_algs); i++) {
		if (encr_algs[i].id != id || encr_algs[i].keybits != keybits)
			continue;
		if (ciphers[i] == NULL)
			return NULL;
		if (cipher != NULL)
			*cipher = ciphers[i];
		return &encr_algs[i];
	}
	return NULL;
}

static const struct prf_alg *
prf_find(uint16_t id)
{
	size_t	 i;

	for (i = 0; i < NITEMS(prf_algs); i++)
		if (prf_algs[i].id == id)
			return &prf_algs[i];
	return NULL;
}

static const struct integ_alg *
integ_find(uint16_t id)
{
	size_t	 i;

	for (i = 0; i < NITEMS(integ_algs); i++)
		if (integ_algs[i].id == id)
			return &integ_algs[i];
	return NULL;
}

int
ike_encr_info(uint16_t encr, uint16_t keybits, struct ike_encr_info *out)
{
	const struct encr_alg	*e;

	if ((e = encr_find(encr, keybits, NULL)) == NULL)
		return -1;
	*out = e->info;
	return 0;
}

size_t
ike_prf_len(uint16_t prf)
{
	const struct prf_alg	*p = prf_find(prf);

	return p == NULL ? 0 : p->len;
}

size_t
ike_integ_key_len(uint16_t integ)
{
	const struct integ_alg	*i = integ_find(integ);

	return i == NULL ? 0 : i->key_len;
}

size_t
ike_integ_icv_len(uint16_t integ)
{
	const struct integ_alg	*i = integ_find(integ);

	return i == NULL ? 0 : i->icv_len;
}

int
ike_integ_supported(uint16_t integ)
{
	return integ == IKE_INTEG_NONE || integ_find(integ) != NULL;
}

/* ---- HMAC, PRF and prf+ (RFC 7296 2.13) ---- */

struct seg {
	const uint8_t	*p;
	size_t		 len;
};

/* HMAC over the concatenated pieces; out gets outlen (the full hash). */
static int
hmac_segs(const char *md, const uint8_t *key, size_t klen,
    const struct seg *v, size_t n, uint8_t *out, size_t outlen)
{
	EVP_MAC_CTX	*c = NULL;
	OSSL_PARAM	 params[2];
	size_t		 i, len = 0;
	int		 rv = -1;

	if (crypto_init() == -1 || (c = EVP_MAC_CTX_new(hmac_method)) == NULL)
		goto done;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)md, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* An empty key still needs a pointer: NULL means "keep the key". */
	if (!EVP_MAC_init(c, klen > 0 ? key : (const uint8_t *)"", klen,
	    params))
		goto done;
	for (i = 0; i < n; i++)
		if (v[i].len > 0 && !EVP_MAC_update(c, v[i].p, v[i].len))
			goto done;
	if (!EVP_MAC_final(c, out, &len, outlen) || len != outlen)
		goto done;
	rv = 0;
done:
	EVP_MAC_CTX_free(c);
	if (rv == -1)
		OPENSSL_cleanse(out, outlen);
	return rv;
}

int
ike_prf(uint16_t prf, const uint8_t *key, size_t klen, const uint8_t *data,
    size_t dlen, uint8_t *out)
{
	const struct prf_alg	*p;
	struct seg		 v = { data, dlen };

	if ((p = prf_find(prf)) == NULL)
		return -1;
	return hmac_segs(p->md, key, klen, &v, 1, out, p->len);
}

/* prf+ (K, S) with S given in pieces: T1 = prf(K, S | 0x01),
 * Tn = prf(K, Tn-1 | S | n). */
static int
prf_plus_segs(const struct prf_alg *p, const uint8_t *key, size_t klen,
    const struct seg *s, size_t ns, uint8_t *out, size_t outlen)
{
	struct seg	 v[SEG_MAX + 2];
	uint8_t		 t[EVP_MAX_MD_SIZE], ctr;
	size_t		 pos = 0, chunk, n, i;
	int		 rv = -1;

	if (ns > SEG_MAX || outlen > PRF_PLUS_BLOCKS * p->len)
		goto done;
	for (ctr = 1; pos < outlen; ctr++) {
		n = 0;
		if (ctr > 1)
			v[n++] = (struct seg){ t, p->len };
		for (i = 0; i < ns; i++)
			v[n++] = s[i];
		v[n++] = (struct seg){ &ctr, 1 };
		if (hmac_segs(p->md, key, klen, v, n, t, p->len) == -1)
			goto done;
		chunk = outlen - pos < p->len ? outlen - pos : p->len;
		memcpy(out + pos, t, chunk);
		pos += chunk;
	}
	rv = 0;
done:
	OPENSSL_cleanse(t, sizeof(t));
	if (rv == -1)
		OPENSSL_cleanse(out, outlen);
	return rv;
}

int
ike_prf_plus(uint16_t prf, const uint8_t *key, size_t klen,
    const uint8_t *seed, size_t slen, uint8_t *out, size_t outlen)
{
	const struct prf_alg	*p;
	struct seg		 s = { seed, slen };

	if ((p = prf_find(prf)) == NULL) {
		OPENSSL_cleanse(out, outlen);
		return -1;
	}
	return prf_plus_segs(p, key, klen, &s, 1, out, outlen);
}

/* ---- IKE SA and CHILD_SA keys (RFC 7296 2.14, 2.17, 2.18) ---- */

/* Key lengths of a suite: SK_d and SK_p* are the PRF's key length
 * (RFC 7296 2.14), SK_e* include the AEAD salt (RFC 5282). */
static int
suite_lens(const struct ike_suite *s, const struct prf_alg **prf,
    size_t *a_len, size_t *e_len)
{
	const struct encr_alg	*e;
	const struct integ_alg	*i = NULL;

	if ((*prf = prf_find(s->prf)) == NULL ||
	    (e = encr_find(s->encr, s->encr_keybits, NULL)) == NULL)
		return -1;
	if (e->info.aead ? s->integ != IKE_INTEG_NONE :
	    (i = integ_find(s->integ)) == NULL)
		return -1;
	*a_len = i == NULL ? 0 : i->key_len;
	*e_len = e->info.key_len;
	return 0;
}

/* {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} =
 * prf+ (SKEYSEED, Ni | Nr | SPIi | SPIr) */
static int
keys_expand(const struct ike_suite *s, const uint8_t *skeyseed,
    size_t sklen, const uint8_t *ni, size_t nilen, const uint8_t *nr,
    size_t nrlen, const uint8_t spii[8], const uint8_t spir[8],
    struct ike_keys *out)
{
	const struct prf_alg	*p;
	struct seg		 seed[4] = { { ni, nilen }, { nr, nrlen },
				    { spii, 8 }, { spir, 8 } };
	uint8_t			 km[7 * IKE_KEY_MAX], *q = km;
	size_t			 a_len, e_len, total;
	int			 rv = -1;

	ike_keys_clear(out);
	if (suite_lens(s, &p, &a_len, &e_len) == -1)
		return -1;
	total = 3 * p->len + 2 * a_len + 2 * e_len;
	if (prf_plus_segs(p, skeyseed, sklen, seed, 4, km, total) == -1)
		goto done;
	out->d_len = out->p_len = p->len;
	out->a_len = a_len;
	out->e_len = e_len;
	memcpy(out->sk_d, q, p->len);
	memcpy(out->sk_ai, q += p->len, a_len);
	memcpy(out->sk_ar, q += a_len, a_len);
	memcpy(out->sk_ei, q += a_len, e_len);
	memcpy(out->sk_er, q += e_len, e_len);
	memcpy(out->sk_pi, q += e_len, p->len);
	memcpy(out->sk_pr, q + p->len, p->len);
	rv = 0;
done:
	OPENSSL_cleanse(km, sizeof(km));
	return rv;
}

static int
nonces_ok(const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen)
{
	return ni != NULL && nr != NULL && nilen > 0 && nrlen > 0 &&
	    nilen <= IKE_NONCE_MAX && nrlen <= IKE_NONCE_MAX;
}

int
ike_keys_derive(const struct ike_suite *s, const uint8_t *ni, size_t nilen,
    const uint8_t *nr, size_t nrlen, const uint8_t *gir, size_t girlen,
    const uint8_t spii[8], const uint8_t spir[8], struct ike_keys *out)
{
	uint8_t		 nn[2 * IKE_NONCE_MAX];
	uint8_t		 skeyseed[EVP_MAX_MD_SIZE];
	int		 rv = -1;

	ike_keys_clear(out);
	if (!nonces_ok(ni, nilen, nr, nrlen) || gir == NULL || girlen == 0)
		return -1;
	/* SKEYSEED = prf(Ni | Nr, g^ir) */
	memcpy(nn, ni, nilen);
	memcpy(nn + nilen, nr, nrlen);
	if (ike_prf(s->prf, nn, nilen + nrlen, gir, girlen, skeyseed) == -1)
		goto done;
	rv = keys_expand(s, skeyseed, ike_prf_len(s->prf), ni, nilen, nr,
	    nrlen, spii, spir, out);
done:
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	return rv;
}

int
ike_keys_rekey(const struct ike_suite *s, uint16_t old_prf,
    const uint8_t *old_sk_d, size_t old_d_len, const uint8_t *ni,
    size_t nilen, const uint8_t *nr, size_t nrlen, const uint8_t *gir,
    size_t girlen, const uint8_t spii[8], const uint8_t spir[8],
    struct ike_keys *out)
{
	const struct prf_alg	*p;
	struct seg		 v[3] = { { gir, girlen }, { ni, nilen },
				    { nr, nrlen } };
	uint8_t			 skeyseed[EVP_MAX_MD_SIZE];
	int			 rv = -1;

	ike_keys_clear(out);
	/* RFC 7296 1.3.2: rekeying an IKE SA always carries a KE */
	if ((p = prf_find(old_prf)) == NULL || old_sk_d == NULL ||
	    old_d_len == 0 || !nonces_ok(ni, nilen, nr, nrlen) ||
	    gir == NULL || girlen == 0)
		return -1;
	/* RFC 7296 2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)
	 * with the old IKE SA's PRF; prf+ then uses the new one. */
	if (hmac_segs(p->md, old_sk_d, old_d_len, v, 3, skeyseed,
	    p->len) == -1)
		goto done;
	rv = keys_expand(s, skeyseed, p->len, ni, nilen, nr, nrlen, spii,
	    spir, out);
done:
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	return rv;
}

void
ike_keys_clear(struct ike_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

int
ike_child_keymat(uint16_t prf, const uint8_t *sk_d, size_t d_len,
    const uint8_t *gir, size_t girlen, const uint8_t *ni, size_t nilen,
    const uint8_t *nr, size_t nrlen, uint8_t *out, size_t outlen)
{
	const struct prf_alg	*p;
	struct seg		 v[3] = { { gir, gir == NULL ? 0 : girlen },
				    { ni, nilen }, { nr, nrlen } };

	if ((p = prf_find(prf)) == NULL || sk_d == NULL || d_len == 0 ||
	    !nonces_ok(ni, nilen, nr, nrlen) ||
	    (gir != NULL && girlen == 0)) {
		OPENSSL_cleanse(out, outlen);
		return -1;
	}
	/* KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) */
	return prf_plus_segs(p, sk_d, d_len, v, 3, out, outlen);
}

/* ---- SK payload (RFC 7296 3.14; RFC 5282; RFC 7634) ---- */

struct sk_algs {
	const struct encr_alg	*e;
	const EVP_CIPHER	*cipher;
	const struct integ_alg	*i;	/* NULL with AEAD */
	size_t			 icv_len;
};

static int
sk_lookup(const struct ike_suite *s, const struct ike_sk_key *k,
    struct sk_algs *a)
{
	memset(a, 0, sizeof(*a));
	if ((a->e = encr_find(s->encr, s->encr_keybits, &a->cipher)) == NULL)
		return -1;
	if (a->e->info.aead) {
		if (s->integ != IKE_INTEG_NONE)
			return -1;
		a->icv_len = a->e->info.icv_len;
	} else {
		if ((a->i = integ_find(s->integ)) == NULL)
			return -1;
		a->icv_len = a->i->icv_len;
	}
	if (k != NULL && (k->elen != a->e->info.key_len ||
	    k->alen != (a->i == NULL ? 0 : a->i->key_len)))
		return -1;
	return 0;
}

size_t
ike_sk_len(const struct ike_suite *s, size_t plen)
{
	struct sk_algs	 a;
	size_t		 ct, block;

	if (sk_lookup(s, NULL, &a) == -1 || plen > IKE_MSG_MAX)
		return 0;
	/* payloads, padding, pad length; a whole number of blocks */
	block = a.e->info.block;
	ct = (plen + 1 + block - 1) / block * block;
	return a.e->info.iv_len + ct + a.icv_len;
}

/* CBC without OpenSSL's padding: IKE pads itself. */
static int
cbc_crypt(const EVP_CIPHER *cipher, int enc, const uint8_t *key,
    const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX	*x;
	int		 l1 = 0, l2 = 0, rv = -1;

	if (len > INT_MAX || (x = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	if (EVP_CipherInit_ex2(x, cipher, key, iv, enc, NULL) &&
	    EVP_CIPHER_CTX_set_padding(x, 0) &&
	    EVP_CipherUpdate(x, out, &l1, in, (int)len) &&
	    EVP_CipherFinal_ex(x, out + l1, &l2) &&
	    (size_t)l1 + (size_t)l2 == len)
		rv = 0;
	EVP_CIPHER_CTX_free(x);
	return rv;
}

/* The integrity checksum: the MAC of aad | IV | ciphertext, truncated. */
static int
sk_icv(const struct integ_alg *ia, const struct ike_sk_key *k,
    const uint8_t *aad, size_t aadlen, const uint8_t *body, size_t len,
    uint8_t *icv)
{
	struct seg	 v[2] = { { aad, aadlen }, { body, len } };
	uint8_t		 mac[EVP_MAX_MD_SIZE];
	int		 rv;

	rv = hmac_segs(ia->md, k->akey, k->alen, v, 2, mac, ia->key_len);
	if (rv == 0)
		memcpy(icv, mac, ia->icv_len);
	OPENSSL_cleanse(mac, sizeof(mac));
	return rv;
}

/* AEAD over in (len bytes) into out; nonce = salt | IV, the salt being
 * the end of the key material (RFC 5282, RFC 7634). Encrypting
 * writes the tag, decrypting checks it. */
static int
aead_crypt(const struct sk_algs *a, int enc, const struct ike_sk_key *k,
    const uint8_t *iv, const uint8_t *aad, size_t aadlen, const uint8_t *in,
    size_t len, uint8_t *out, uint8_t *tag)
{
	const struct ike_encr_info *ei = &a->e->info;
	EVP_CIPHER_CTX	*x;
	uint8_t		 nonce[AEAD_NONCE_LEN];
	int		 l = 0, l2 = 0, rv = -1;

	if (len > INT_MAX || aadlen > INT_MAX ||
	    ei->salt_len + ei->iv_len != sizeof(nonce) ||
	    (x = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	memcpy(nonce, k->ekey + ei->key_len - ei->salt_len, ei->salt_len);
	memcpy(nonce + ei->salt_len, iv, ei->iv_len);
	if (!EVP_CipherInit_ex2(x, a->cipher, NULL, NULL, enc, NULL) ||
	    EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_IVLEN, sizeof(nonce),
	    NULL) <= 0 ||
	    !EVP_CipherInit_ex2(x, NULL, k->ekey, nonce, enc, NULL) ||
	    (aadlen > 0 &&
	    !EVP_CipherUpdate(x, NULL, &l, aad, (int)aadlen)) ||
	    (!enc && EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_TAG,
	    (int)a->icv_len, tag) <= 0) ||
	    !EVP_CipherUpdate(x, out, &l, in, (int)len) ||
	    EVP_CipherFinal_ex(x, out + l, &l2) <= 0 ||
	    (size_t)l + (size_t)l2 != len ||
	    (enc && EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG,
	    (int)a->icv_len, tag) <= 0))
		goto done;
	rv = 0;
done:
	EVP_CIPHER_CTX_free(x);
	OPENSSL_cleanse(nonce, sizeof(nonce));
	return rv;
}

int
ike_sk_seal(const struct ike_suite *s, const struct ike_sk_key *k,
    const uint8_t *aad, size_t aadlen, const uint8_t *plain, size_t plen,
    const uint8_t *iv, uint8_t *body, size_t blen)
{
	struct sk_algs	 a;
	uint8_t		*ct, *icv;
	size_t		 ivlen, ctlen;
	int		 rv = -1;

	if (sk_lookup(s, k, &a) == -1 || blen == 0 ||
	    blen != ike_sk_len(s, plen))
		goto done;
	ivlen = a.e->info.iv_len;
	ctlen = blen - ivlen - a.icv_len;
	ct = body + ivlen;
	icv = ct + ctlen;
	if (iv != NULL)
		memcpy(body, iv, ivlen);
	else if (ike_random(body, ivlen) == -1)
		goto done;
	/* payloads | zero padding | pad length, then encrypt in place */
	if (plen > 0)
		memmove(ct, plain, plen);
	memset(ct + plen, 0, ctlen - plen - 1);
	ct[ctlen - 1] = (uint8_t)(ctlen - plen - 1);
	if (a.e->info.aead)
		rv = aead_crypt(&a, 1, k, body, aad, aadlen, ct, ctlen, ct,
		    icv);
	else if ((rv = cbc_crypt(a.cipher, 1, k->ekey, body, ct, ctlen,
	    ct)) == 0)
		rv = sk_icv(a.i, k, aad, aadlen, body, ivlen + ctlen, icv);
done:
	if (rv == -1 && body != NULL)
		OPENSSL_cleanse(body, blen);
	return rv;
}

int
ike_sk_open(const struct ike_suite *s, const struct ike_sk_key *k,
    const uint8_t *aad, size_t aadlen, const uint8_t *body, size_t blen,
    uint8_t *plain, size_t *plen)
{
	struct sk_algs	 a;
	uint8_t		 icv[IKE_ICV_MAX];
	size_t		 ivlen, ctlen;
	int		 rv = -1;

	*plen = 0;
	if (sk_lookup(s, k, &a) == -1)
		goto done;
	ivlen = a.e->info.iv_len;
	/* at least one block: the pad length byte must be there */
	if (blen < ivlen + a.icv_len + a.e->info.block)
		goto done;
	ctlen = blen - ivlen - a.icv_len;
	if (ctlen % a.e->info.block != 0)
		goto done;
	memcpy(icv, body + blen - a.icv_len, a.icv_len);
	if (a.e->info.aead) {
		if (aead_crypt(&a, 0, k, body, aad, aadlen, body + ivlen,
		    ctlen, plain, icv) == -1)
			goto done;
	} else {
		/* RFC 7296 3.14: check the ICV before decrypting */
		if (sk_icv(a.i, k, aad, aadlen, body, ivlen + ctlen,
		    icv) == -1 ||
		    CRYPTO_memcmp(icv, body + blen - a.icv_len,
		    a.icv_len) != 0 ||
		    cbc_crypt(a.cipher, 0, k->ekey, body, body + ivlen, ctlen,
		    plain) == -1)
			goto done;
	}
	/* the pad length byte counts neither itself nor the payloads */
	if (plain[ctlen - 1] >= ctlen)
		goto done;
	*plen = ctlen - 1 - plain[ctlen - 1];
	rv = 0;
done:
	if (rv == -1 && plain != NULL)
		OPENSSL_cleanse(plain, blen);
	OPENSSL_cleanse(icv, sizeof(icv));
	return rv;
}

/* ---- PSK authentication (RFC 7296 2.15) ---- */

int
ike_psk_auth(uint16_t prf, const uint8_t *psk, size_t psklen,
    const uint8_t *msg, size_t msglen, const uint8_t *nonce, size_t nlen,
    const uint8_t *sk_p, size_t plen, const uint8_t *idbody, size_t idlen,
    uint8_t *out)
{
	const struct prf_alg	*p;
	uint8_t			 key[EVP_MAX_MD_SIZE];
	uint8_t			 macid[EVP_MAX_MD_SIZE];
	struct seg		 v[3];
	int			 rv = -1;

	if ((p = prf_find(prf)) == NULL)
		return -1;
	/* AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"),
	 *     RealMessage | Nonce | prf(SK_p, IDpayload body)) */
	if (ike_prf(prf, psk, psklen, (const uint8_t *)KEY_PAD,
	    sizeof(KEY_PAD) - 1, key) == -1 ||
	    ike_prf(prf, sk_p, plen, idbody, idlen, macid) == -1)
		goto done;
	v[0] = (struct seg){ msg, msglen };
	v[1] = (struct seg){ nonce, nlen };
	v[2] = (struct seg){ macid, p->len };
	rv = hmac_segs(p->md, key, p->len, v, 3, out, p->len);
done:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(macid, sizeof(macid));
	return rv;
}

int
ike_random(void *out, size_t len)
{
	if (len == 0)
		return 0;
	if (len > INT_MAX || RAND_bytes(out, (int)len) != 1)
		return -1;
	return 0;
}

/* ---- Diffie-Hellman: one set of operations per kind of group ---- */

struct dh_group;

struct dh_ops {
	EVP_PKEY	*(*generate)(const struct dh_group *);
	EVP_PKEY	*(*from_private)(const struct dh_group *,
			    const uint8_t *, size_t);
	int		 (*public)(const struct dh_group *, EVP_PKEY *,
			    uint8_t *);
	EVP_PKEY	*(*peer)(const struct dh_group *, EVP_PKEY *,
			    const uint8_t *);
	int		 pad;		/* EVP_PKEY_CTX_set_dh_pad */
	int		 validate;	/* OpenSSL checks the peer too */
};

struct dh_group {
	uint16_t		 id;
	const struct dh_ops	*ops;
	BIGNUM			*(*prime)(BIGNUM *);	/* MODP */
	int			 nid;		/* ECP */
	const char		*name;		/* ECP, X25519 */
	size_t			 pub_len, secret_len;
};

struct ike_dh {
	const struct dh_group	*g;
	EVP_PKEY		*key;
};

/* EVP_PKEY_fromdata: a key (or only parameters) of the given type. */
static EVP_PKEY *
pkey_fromdata(const char *type, int selection, OSSL_PARAM_BLD *b)
{
	EVP_PKEY_CTX	*c = NULL;
	OSSL_PARAM	*params = NULL;
	EVP_PKEY	*k = NULL;

	if ((params = OSSL_PARAM_BLD_to_param(b)) == NULL ||
	    (c = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(c) <= 0 ||
	    EVP_PKEY_fromdata(c, &k, selection, params) <= 0)
		k = NULL;
	EVP_PKEY_CTX_free(c);
	/* private numbers are in the secure (cleared) part of params */
	OSSL_PARAM_free(params);
	return k;
}

/* p and g = 2; with x, the key pair (x, g^x mod p). OpenSSL recognises
 * the RFC 3526 primes as its named groups and then knows q. */
static EVP_PKEY *
modp_key(const struct dh_group *g, const BIGNUM *x)
{
	OSSL_PARAM_BLD	*b = NULL;
	BN_CTX		*bc = NULL;
	BIGNUM		*p = NULL, *gen = NULL, *y = NULL;
	EVP_PKEY	*k = NULL;

	if ((p = g->prime(NULL)) == NULL || (gen = BN_new()) == NULL ||
	    !BN_set_word(gen, 2) || (b = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_P, p) ||
	    !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_G, gen))
		goto done;
	if (x != NULL) {
		if ((bc = BN_CTX_new()) == NULL || (y = BN_new()) == NULL ||
		    !BN_mod_exp(y, gen, x, p, bc) ||
		    !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, x) ||
		    !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PUB_KEY, y))
			goto done;
	}
	k = pkey_fromdata("DH", x != NULL ? EVP_PKEY_KEYPAIR :
	    EVP_PKEY_KEY_PARAMETERS, b);
done:
	OSSL_PARAM_BLD_free(b);
	BN_CTX_free(bc);
	BN_free(p);
	BN_free(gen);
	BN_free(y);
	return k;
}

static EVP_PKEY *
modp_generate(const struct dh_group *g)
{
	EVP_PKEY_CTX	*c = NULL;
	EVP_PKEY	*params, *k = NULL;

	if ((params = modp_key(g, NULL)) == NULL)
		return NULL;
	if ((c = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL)) == NULL ||
	    EVP_PKEY_keygen_init(c) <= 0 || EVP_PKEY_keygen(c, &k) <= 0)
		k = NULL;
	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(params);
	return k;
}

static EVP_PKEY *
modp_from_private(const struct dh_group *g, const uint8_t *priv, size_t len)
{
	BIGNUM		*x, *p = NULL;
	EVP_PKEY	*k = NULL;

	/* BN_FLG_SECURE: cleared when freed, also inside OSSL_PARAMs */
	if (len == 0 || len > g->pub_len || (x = BN_secure_new()) == NULL)
		return NULL;
	BN_set_flags(x, BN_FLG_CONSTTIME);
	if (BN_bin2bn(priv, (int)len, x) == NULL ||
	    (p = g->prime(NULL)) == NULL || !BN_sub_word(p, 1))
		goto done;
	if (BN_cmp(x, BN_value_one()) > 0 && BN_cmp(x, p) < 0)
		k = modp_key(g, x);
done:
	BN_clear_free(x);
	BN_free(p);
	return k;
}

static int
modp_public(const struct dh_group *g, EVP_PKEY *key, uint8_t *out)
{
	BIGNUM	*y = NULL;
	int	 rv = -1;

	/* RFC 7296 3.4: left-padded with zeros to the length of p */
	if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PUB_KEY, &y) &&
	    BN_bn2binpad(y, out, (int)g->pub_len) == (int)g->pub_len)
		rv = 0;
	BN_free(y);
	return rv;
}

static EVP_PKEY *
modp_peer(const struct dh_group *g, EVP_PKEY *me, const uint8_t *data)
{
	BIGNUM		*y = NULL, *pm1 = NULL;
	EVP_PKEY	*peer = NULL;

	/* RFC 6989 2.1: 1 < y < p - 1 */
	if ((y = BN_bin2bn(data, (int)g->pub_len, NULL)) == NULL ||
	    (pm1 = g->prime(NULL)) == NULL || !BN_sub_word(pm1, 1) ||
	    BN_cmp(y, BN_value_one()) <= 0 || BN_cmp(y, pm1) >= 0)
		goto done;
	if ((peer = EVP_PKEY_new()) == NULL ||
	    !EVP_PKEY_copy_parameters(peer, me) ||
	    !EVP_PKEY_set1_encoded_public_key(peer, data, g->pub_len)) {
		EVP_PKEY_free(peer);
		peer = NULL;
	}
done:
	BN_free(y);
	BN_free(pm1);
	return peer;
}

static EVP_PKEY *
ecp_generate(const struct dh_group *g)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", g->name);
}

/* 1 <= d < n; fromdata takes the whole pair, so d * G is computed here
 * (EC_POINT_mul is not among 3.0's deprecated EC functions). */
static EVP_PKEY *
ecp_from_private(const struct dh_group *g, const uint8_t *priv, size_t len)
{
	OSSL_PARAM_BLD	*b = NULL;
	EC_GROUP	*grp = NULL;
	EC_POINT	*pt = NULL;
	BN_CTX		*bc = NULL;
	BIGNUM		*d;
	EVP_PKEY	*k = NULL;
	uint8_t		 pub[1 + IKE_DH_PUB_MAX];
	size_t		 n;

	if (len == 0 || len > g->secret_len || (d = BN_secure_new()) == NULL)
		return NULL;
	if (BN_bin2bn(priv, (int)len, d) == NULL ||
	    (grp = EC_GROUP_new_by_curve_name_ex(NULL, NULL, g->nid)) == NULL ||
	    BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(grp)) >= 0 ||
	    (bc = BN_CTX_new()) == NULL || (pt = EC_POINT_new(grp)) == NULL ||
	    !EC_POINT_mul(grp, pt, d, NULL, NULL, bc))
		goto done;
	n = EC_POINT_point2oct(grp, pt, POINT_CONVERSION_UNCOMPRESSED, pub,
	    sizeof(pub), bc);
	if (n != 1 + g->pub_len || (b = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME,
	    g->name, 0) ||
	    !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
	    !OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pub,
	    n))
		goto done;
	k = pkey_fromdata("EC", EVP_PKEY_KEYPAIR, b);
done:
	OSSL_PARAM_BLD_free(b);
	EC_POINT_free(pt);
	EC_GROUP_free(grp);
	BN_CTX_free(bc);
	BN_clear_free(d);
	return k;
}

static int
ecp_public(const struct dh_group *g, EVP_PKEY *key, uint8_t *out)
{
	uint8_t	 buf[1 + IKE_DH_PUB_MAX];
	size_t	 n = 0;

	/* RFC 5903 7: x | y, without SEC1's 0x04 */
	if (!EVP_PKEY_get_octet_string_param(key,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, buf, sizeof(buf), &n) ||
	    n != 1 + g->pub_len || buf[0] != POINT_CONVERSION_UNCOMPRESSED)
		return -1;
	memcpy(out, buf + 1, g->pub_len);
	return 0;
}

static EVP_PKEY *
ecp_peer(const struct dh_group *g, EVP_PKEY *me, const uint8_t *data)
{
	uint8_t		 buf[1 + IKE_DH_PUB_MAX];
	EVP_PKEY	*peer;

	buf[0] = POINT_CONVERSION_UNCOMPRESSED;
	memcpy(buf + 1, data, g->pub_len);
	/* the decoding refuses points off the curve */
	if ((peer = EVP_PKEY_new()) == NULL ||
	    !EVP_PKEY_copy_parameters(peer, me) ||
	    !EVP_PKEY_set1_encoded_public_key(peer, buf, 1 + g->pub_len)) {
		EVP_PKEY_free(peer);
		return NULL;
	}
	return peer;
}

static EVP_PKEY *
ecx_generate(const struct dh_group *g)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, g->name);
}

static EVP_PKEY *
ecx_from_private(const struct dh_group *g, const uint8_t *priv, size_t len)
{
	if (len != g->secret_len)
		return NULL;
	return EVP_PKEY_new_raw_private_key_ex(NULL, g->name, NULL, priv, len);
}

static int
ecx_public(const struct dh_group *g, EVP_PKEY *key, uint8_t *out)
{
	size_t	 n = g->pub_len;

	if (!EVP_PKEY_get_raw_public_key(key, out, &n) || n != g->pub_len)
		return -1;
	return 0;
}

static EVP_PKEY *
ecx_peer(const struct dh_group *g, EVP_PKEY *me, const uint8_t *data)
{
	return EVP_PKEY_new_raw_public_key_ex(NULL, g->name, NULL, data,
	    g->pub_len);
}

/* RFC 7296 2.14: g^ir is zero-padded to the length of p. RFC 6989 2.1:
 * with safe primes the range check is all the validation needed, so the
 * costly subgroup exponentiation OpenSSL would add is skipped. */
static const struct dh_ops modp_ops = {
	modp_generate, modp_from_private, modp_public, modp_peer, 1, 0
};
/* RFC 5903 7: the shared secret is the x coordinate; RFC 6989 2.3: the
 * point must be on the curve. */
static const struct dh_ops ecp_ops = {
	ecp_generate, ecp_from_private, ecp_public, ecp_peer, 0, 1
};
/* RFC 8031 2: no validation beyond refusing an all-zero result. */
static const struct dh_ops ecx_ops = {
	ecx_generate, ecx_from_private, ecx_public, ecx_peer, 0, 0
};

static const struct dh_group dh_groups[] = {
	/* RFC 2409 6.1, 6.2 */
	{ IKE_DH_MODP768, &modp_ops, BN_get_rfc2409_prime_768, 0, NULL,
	    96, 96 },
	{ IKE_DH_MODP1024, &modp_ops, BN_get_rfc2409_prime_1024, 0, NULL,
	    128, 128 },
	/* RFC 3526 */
	{ IKE_DH_MODP1536, &modp_ops, BN_get_rfc3526_prime_1536, 0, NULL,
	    192, 192 },
	{ IKE_DH_MODP2048, &modp_ops, BN_get_rfc3526_prime_2048, 0, NULL,
	    256, 256 },
	{ IKE_DH_MODP3072, &modp_ops, BN_get_rfc3526_prime_3072, 0, NULL,
	    384, 384 },
	{ IKE_DH_MODP4096, &modp_ops, BN_get_rfc3526_prime_4096, 0, NULL,
	    512, 512 },
	/* RFC 5903: KE data is x | y */
	{ IKE_DH_ECP256, &ecp_ops, NULL, NID_X9_62_prime256v1, "P-256",
	    64, 32 },
	{ IKE_DH_ECP384, &ecp_ops, NULL, NID_secp384r1, "P-384", 96, 48 },
	{ IKE_DH_ECP521, &ecp_ops, NULL, NID_secp521r1, "P-521", 132, 66 },
	/* RFC 8031 */
	{ IKE_DH_CURVE25519, &ecx_ops, NULL, 0, "X25519", 32, 32 },
};

static const struct dh_group *
dh_find(uint16_t id)
{
	size_t	 i;

	for (i = 0; i < NITEMS(dh_groups); i++)
		if (dh_groups[i].id == id)
			return &dh_groups[i];
	return NULL;
}

int
ike_dh_supported(uint16_t group)
{
	return dh_find(group) != NULL;
}

size_t
ike_dh_public_len(uint16_t group)
{
	const struct dh_group	*g = dh_find(group);

	return g == NULL ? 0 : g->pub_len;
}

static struct ike_dh *
dh_wrap(const struct dh_group *g, EVP_PKEY *key)
{
	struct ike_dh	*dh;

	ERR_clear_error();
	if (key == NULL)
		return NULL;
	if ((dh = calloc(1, sizeof(*dh))) == NULL) {
		EVP_PKEY_free(key);
		return NULL;
	}
	dh->g = g;
	dh->key = key;
	return dh;
}

struct ike_dh *
ike_dh_new(uint16_t group)
{
	const struct dh_group	*g;

	if ((g = dh_find(group)) == NULL)
		return NULL;
	return dh_wrap(g, g->ops->generate(g));
}

struct ike_dh *
ike_dh_new_private(uint16_t group, const uint8_t *priv, size_t len)
{
	const struct dh_group	*g;

	if ((g = dh_find(group)) == NULL || priv == NULL)
		return NULL;
	return dh_wrap(g, g->ops->from_private(g, priv, len));
}

uint16_t
ike_dh_group(const struct ike_dh *dh)
{
	return dh->g->id;
}

int
ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t len)
{
	if (len < dh->g->pub_len)
		return -1;
	return dh->g->ops->public(dh->g, dh->key, out);
}

/* *outlen: the room in out on entry (IKE_DH_SECRET_MAX is always
 * enough), the length of g^ir on return. */
int
ike_dh_shared(struct ike_dh *dh, const uint8_t *peer, size_t len,
    uint8_t *out, size_t *outlen)
{
	const struct dh_group	*g = dh->g;
	EVP_PKEY_CTX		*c = NULL;
	EVP_PKEY		*pk = NULL;
	size_t			 n = g->secret_len, i;
	uint8_t			 acc = 0;
	int			 rv = -1;

	if (*outlen < g->secret_len) {
		*outlen = 0;
		return -1;
	}
	*outlen = 0;
	if (peer == NULL || len != g->pub_len ||
	    (pk = g->ops->peer(g, dh->key, peer)) == NULL ||
	    (c = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL)) == NULL ||
	    EVP_PKEY_derive_init(c) <= 0 ||
	    (g->ops->pad && EVP_PKEY_CTX_set_dh_pad(c, 1) <= 0) ||
	    EVP_PKEY_derive_set_peer_ex(c, pk, g->ops->validate) <= 0 ||
	    EVP_PKEY_derive(c, out, &n) <= 0 || n != g->secret_len)
		goto done;
	/* RFC 8031 2 (and any group): an all-zero g^ir is refused */
	for (i = 0; i < n; i++)
		acc |= out[i];
	if (acc == 0)
		goto done;
	*outlen = n;
	rv = 0;
done:
	if (rv == -1) {
		OPENSSL_cleanse(out, g->secret_len);
		ERR_clear_error();
	}
	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(pk);
	return rv;
}

void
ike_dh_free(struct ike_dh *dh)
{
	if (dh == NULL)
		return;
	/* OpenSSL clears the private key as it frees it */
	EVP_PKEY_free(dh->key);
	free(dh);
}
