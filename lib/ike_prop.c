/* ike_prop: IKEv2 proposals and traffic selectors from the configuration,
 * and the choices between ours and the peer's (RFC 7296 2.7, 2.9, 3.3). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "ike_crypto.h"
#include "ike_prop.h"
#include "log.h"
#include "parse.h"
#include "store.h"
#include "transform.h"
#include "util.h"

/* Ciphers by their CLI word ("encryption" of a rule, the cipher of a
 * transform-set member) and IANA id; the key length is the Key Length
 * attribute (RFC 7296 3.3.5), 0 for fixed-length ciphers. AES-GCM with
 * the 16-octet ICV (RFC 5282, RFC 4106), ChaCha20-Poly1305 (RFC 7634).
 * des and null are not here: not negotiated (RFC 8221, RFC 8247). */
static const struct prop_encr {
	const char	*name;
	uint16_t	 id, keylen;
	int		 aead;
} prop_encrs[] = {
	{ "3des", IKE_ENCR_3DES, 0, 0 },
	{ "aes128", IKE_ENCR_AES_CBC, 128, 0 },
	{ "aes192", IKE_ENCR_AES_CBC, 192, 0 },
	{ "aes256", IKE_ENCR_AES_CBC, 256, 0 },
	{ "aes128-gcm", IKE_ENCR_AES_GCM_16, 128, 1 },
	{ "aes256-gcm", IKE_ENCR_AES_GCM_16, 256, 1 },
	{ "chacha20-poly1305", IKE_ENCR_CHACHA20_POLY1305, 0, 1 },
};

/* Hashes by CLI word: the PRF (IKE SA) and the integrity transform
 * (RFC 4868 for SHA-2). md5 is not here (RFC 8247 MUST NOT). */
static const struct prop_hash {
	const char	*name;
	uint16_t	 prf, integ;
} prop_hashes[] = {
	{ "sha", IKE_PRF_HMAC_SHA1, IKE_INTEG_HMAC_SHA1_96 },
	{ "sha256", IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128 },
	{ "sha384", IKE_PRF_HMAC_SHA2_384, IKE_INTEG_HMAC_SHA2_384_192 },
	{ "sha512", IKE_PRF_HMAC_SHA2_512, IKE_INTEG_HMAC_SHA2_512_256 },
};

/* The built-in IKE policy (CLI.md: aes256/sha256/group 14, then 19). */
static const uint16_t prop_default_groups[] = { IKE_DH_MODP2048,
    IKE_DH_ECP256 };
#define PROP_DEFAULT_LIFETIME	28800

/* The default transform set. */
static const char *const prop_default_child[] = { "esp-aes256-gcm",
    "esp-aes256-sha256" };

static const struct prop_encr *
prop_encr_by_name(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(prop_encrs); i++)
		if (strcmp(prop_encrs[i].name, name) == 0)
			return &prop_encrs[i];
	return NULL;
}

static const struct prop_encr *
prop_encr_by_id(uint16_t id, uint16_t keylen)
{
	size_t	 i;

	for (i = 0; i < nitems(prop_encrs); i++)
		if (prop_encrs[i].id == id && prop_encrs[i].keylen == keylen)
			return &prop_encrs[i];
	return NULL;
}

static const struct prop_hash *
prop_hash_by_name(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(prop_hashes); i++)
		if (strcmp(prop_hashes[i].name, name) == 0)
			return &prop_hashes[i];
	return NULL;
}

static const struct prop_hash *
prop_hash_by_integ(uint16_t integ)
{
	size_t	 i;

	for (i = 0; i < nitems(prop_hashes); i++)
		if (prop_hashes[i].integ == integ)
			return &prop_hashes[i];
	return NULL;
}

/* Appends "; TEXT" (or TEXT when empty) to why, truncating. */
static void __attribute__((format(printf, 3, 4)))
prop_why(char *why, size_t len, const char *fmt, ...)
{
	size_t	 used;
	va_list	 ap;

	if (why == NULL || len == 0)
		return;
	used = strnlen(why, len);
	if (used > 0 && used + 2 < len) {
		memcpy(why + used, "; ", 3);
		used += 2;
	}
	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(why + used, len - used, fmt, ap);
	va_end(ap);
}

static void
prop_add(struct ike_prop *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	if (p->nxf >= IKE_MAX_XFORMS)
		return;
	p->xf[p->nxf].type = type;
	p->xf[p->nxf].id = id;
	p->xf[p->nxf].keylen = keylen;
	p->nxf++;
}

/* ---- IKE SA proposals from ike-policy-rules ---- */

static int
prop_addr_equal(const char *a, const char *b)
{
	unsigned char x[16], y[16];
	int	 fa, fb;

	if (parse_addr_bytes(a, &fa, x) == -1 ||
	    parse_addr_bytes(b, &fb, y) == -1 || fa != fb)
		return 0;
	return memcmp(x, y, fa == AF_INET ? 4 : 16) == 0;
}

/* A rule's match: a part not set matches anything. */
static int
prop_rule_fits(const char *mlocal, const char *mtvr, const char *tvr,
    const char *local)
{
	if (*mtvr != '\0' && strcmp(mtvr, tvr) != 0)
		return 0;
	if (*mlocal == '\0')
		return 1;
	return local != NULL && prop_addr_equal(mlocal, local);
}

/* One rule as a proposal, or -1 with the reason it cannot be one. */
static int
prop_ike_rule(int prio, const char *auth, const char *enc, const char *hash,
    int group, struct ike_prop *p, char *why, size_t whylen)
{
	const struct prop_encr *e = prop_encr_by_name(enc);
	const struct prop_hash *h = prop_hash_by_name(hash);

	if (strcmp(auth, "pre-share") != 0) {
		prop_why(why, whylen, "ike-policy-rule %d: authentication %s "
		    "is not supported (pre-share only)", prio, auth);
		return -1;
	}
	if (e == NULL || h == NULL) {
		prop_why(why, whylen, "ike-policy-rule %d: %s %s is not "
		    "supported with IKEv2", prio, e == NULL ? "encryption" :
		    "hash", e == NULL ? enc : hash);
		return -1;
	}
	if (group <= 0 || group > UINT16_MAX ||
	    !ike_dh_supported((uint16_t)group)) {
		prop_why(why, whylen, "ike-policy-rule %d: group %d is not "
		    "supported", prio, group);
		return -1;
	}
	memset(p, 0, sizeof(*p));
	p->proto = IKE_PROTO_IKE;
	prop_add(p, IKE_XF_ENCR, e->id, e->keylen);
	prop_add(p, IKE_XF_PRF, h->prf, 0);
	/* RFC 7296 3.3: with an AEAD cipher no integrity transform */
	if (!e->aead)
		prop_add(p, IKE_XF_INTEG, h->integ, 0);
	prop_add(p, IKE_XF_DH, (uint16_t)group, 0);
	return 0;
}

static void
prop_ike_default(struct ike_prop *out, uint32_t *life, size_t max, size_t *n)
{
	size_t	 i;

	for (i = 0; i < nitems(prop_default_groups) && *n < max; i++) {
		struct ike_prop *p = &out[*n];

		memset(p, 0, sizeof(*p));
		p->proto = IKE_PROTO_IKE;
		p->num = (uint8_t)(*n + 1);
		prop_add(p, IKE_XF_ENCR, IKE_ENCR_AES_CBC, 256);
		prop_add(p, IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
		prop_add(p, IKE_XF_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
		prop_add(p, IKE_XF_DH, prop_default_groups[i], 0);
		if (life != NULL)
			life[*n] = PROP_DEFAULT_LIFETIME;
		(*n)++;
	}
}

/* ike_prop_ike with each proposal's lifetime in life[] (NULL: not
 * wanted). */
static int
prop_ike_list(struct store *st, const char *tvr, const char *local,
    struct ike_prop *out, uint32_t *life, size_t max, size_t *n, char *why,
    size_t whylen)
{
	sqlite3_stmt *q;
	size_t	 fits = 0;
	int	 rc = SQLITE_DONE;

	*n = 0;
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (tvr == NULL)
		tvr = "default";
	q = store_query(st, "SELECT priority, authentication, encryption, "
	    "hash, dh_group, lifetime, ifnull(match_local, ''), "
	    "ifnull(match_tvr, '') FROM ike_policy_rule ORDER BY priority",
	    "");
	while (q != NULL && *n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (!prop_rule_fits(store_col(q, 6), store_col(q, 7), tvr,
		    local))
			continue;
		fits++;
		if (prop_ike_rule(sqlite3_column_int(q, 0), store_col(q, 1),
		    store_col(q, 2), store_col(q, 3), sqlite3_column_int(q, 4),
		    &out[*n], why, whylen) == -1)
			continue;
		out[*n].num = (uint8_t)(*n + 1);
		if (life != NULL)
			life[*n] = (uint32_t)sqlite3_column_int64(q, 5);
		(*n)++;
	}
	store_finalize(st, q);
	if (q == NULL || (rc != SQLITE_ROW && rc != SQLITE_DONE)) {
		*n = 0;
		prop_why(why, whylen, "cannot read the ike-policy-rules");
		return -1;
	}
	if (fits == 0)
		prop_ike_default(out, life, max, n);
	if (*n == 0) {
		prop_why(why, whylen, "no usable ike-policy-rule");
		return -1;
	}
	return 0;
}

int
ike_prop_ike(struct store *st, const char *tvr, const char *local_addr,
    struct ike_prop *out, size_t max, size_t *n, char *why, size_t whylen)
{
	return prop_ike_list(st, tvr, local_addr, out, NULL, max, n, why,
	    whylen);
}

static const struct ike_xform *
prop_find(const struct ike_prop *p, uint8_t type, uint16_t id,
    uint16_t keylen)
{
	size_t	 i;

	for (i = 0; i < p->nxf; i++)
		if (p->xf[i].type == type && p->xf[i].id == id &&
		    p->xf[i].keylen == keylen && id != IKE_XF_ID_UNUSABLE)
			return &p->xf[i];
	return NULL;
}

/* Every transform of sub is in p. */
static int
prop_contains(const struct ike_prop *p, const struct ike_prop *sub)
{
	size_t	 i;

	for (i = 0; i < sub->nxf; i++)
		if (prop_find(p, sub->xf[i].type, sub->xf[i].id,
		    sub->xf[i].keylen) == NULL)
			return 0;
	return 1;
}

uint32_t
ike_prop_ike_lifetime(struct store *st, const char *tvr,
    const char *local_addr, const struct ike_prop *chosen)
{
	struct ike_prop	 props[IKE_MAX_PROPOSALS];
	uint32_t	 life[IKE_MAX_PROPOSALS];
	size_t		 i, n;

	if (prop_ike_list(st, tvr, local_addr, props, life, nitems(props), &n,
	    NULL, 0) == -1)
		return PROP_DEFAULT_LIFETIME;
	for (i = 0; i < n; i++)
		if (prop_contains(&props[i], chosen))
			return life[i];
	return PROP_DEFAULT_LIFETIME;
}

/* ---- child SA proposals from a transform set ---- */

/* One transform-set member as an ESP or AH proposal (RFC 7296 3.3.3:
 * ESP: ENCR, optional INTEG, ESN; AH: INTEG, ESN; either: optional DH). */
static int
prop_child_one(const char *name, uint16_t pfs, const uint8_t spi[4],
    struct ike_prop *p, char *why, size_t whylen)
{
	const struct prop_encr *e = NULL;
	const struct prop_hash *h = NULL;
	struct transform t;

	if (transform_lookup(name, &t) == -1) {
		prop_why(why, whylen, "transform %s is unknown", name);
		return -1;
	}
	if ((t.cipher != NULL && (e = prop_encr_by_name(t.cipher)) == NULL) ||
	    (t.integ != NULL && (h = prop_hash_by_name(t.integ)) == NULL)) {
		prop_why(why, whylen, "transform %s is not offered with IKEv2 "
		    "(%s)", name, t.cipher != NULL && e == NULL ? t.cipher :
		    t.integ);
		return -1;
	}
	memset(p, 0, sizeof(*p));
	p->proto = t.proto == TRANSFORM_AH ? IKE_PROTO_AH : IKE_PROTO_ESP;
	p->spi_len = 4;
	memcpy(p->spi, spi, 4);
	if (e != NULL)
		prop_add(p, IKE_XF_ENCR, e->id, e->keylen);
	if (h != NULL)
		prop_add(p, IKE_XF_INTEG, h->integ, 0);
	if (pfs != 0)
		prop_add(p, IKE_XF_DH, pfs, 0);
	prop_add(p, IKE_XF_ESN, IKE_ESN_NO, 0);
	return 0;
}

static void
prop_child_add(const char *name, uint16_t pfs, const uint8_t spi[4],
    struct ike_prop *out, size_t max, size_t *n, char *why, size_t whylen)
{
	if (*n >= max) {
		prop_why(why, whylen, "transform %s: more than %zu proposals",
		    name, max);
		return;
	}
	if (prop_child_one(name, pfs, spi, &out[*n], why, whylen) == 0) {
		out[*n].num = (uint8_t)(*n + 1);
		(*n)++;
	}
}

int
ike_prop_child(struct store *st, const char *set, uint16_t pfs_group,
    const uint8_t proto_spi[4], struct ike_prop *out, size_t max, size_t *n,
    char *why, size_t whylen)
{
	sqlite3_stmt *q;
	size_t	 i;
	int	 rc = SQLITE_DONE;

	*n = 0;
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (pfs_group != 0 && !ike_dh_supported(pfs_group)) {
		prop_why(why, whylen, "pfs group %u is not supported",
		    pfs_group);
		return -1;
	}
	if (set == NULL || *set == '\0') {
		for (i = 0; i < nitems(prop_default_child); i++)
			prop_child_add(prop_default_child[i], pfs_group,
			    proto_spi, out, max, n, why, whylen);
		return *n > 0 ? 0 : -1;
	}
	if (store_int(st, 0, "SELECT count(*) FROM transform_set WHERE "
	    "name = ?", "s", set) == 0) {
		prop_why(why, whylen, "transform-set %s does not exist", set);
		return -1;
	}
	q = store_query(st, "SELECT transform FROM transform_set_member WHERE "
	    "set_name = ? ORDER BY position", "s", set);
	while (q != NULL && (rc = sqlite3_step(q)) == SQLITE_ROW)
		prop_child_add(store_col(q, 0), pfs_group, proto_spi, out, max,
		    n, why, whylen);
	store_finalize(st, q);
	if (q == NULL || rc != SQLITE_DONE) {
		*n = 0;
		prop_why(why, whylen, "cannot read transform-set %s", set);
		return -1;
	}
	if (*n == 0) {
		prop_why(why, whylen, "transform-set %s has no transform to "
		    "offer", set);
		return -1;
	}
	return 0;
}

/* ---- the responder's choice (RFC 7296 2.7, 3.3.6) ---- */

/* Of ours' transforms of type, in our order, the first the offer has. */
static const struct ike_xform *
prop_pick_ours(const struct ike_prop *off, const struct ike_prop *ours,
    uint8_t type)
{
	const struct ike_xform *x;
	size_t	 i;

	for (i = 0; i < ours->nxf; i++)
		if (ours->xf[i].type == type && (x = prop_find(off,
		    type, ours->xf[i].id, ours->xf[i].keylen)) != NULL)
			return x;
	return NULL;
}

/* A type the offer has and ours lacks: acceptable as its NONE (3.3.2:
 * INTEG NONE beside an AEAD cipher, DH NONE for optional PFS), or for DH
 * with any_dh, the peer's first group we can do. ENCR and PRF have no
 * NONE. */
static const struct ike_xform *
prop_pick_extra(const struct ike_prop *off, uint8_t type, int any_dh)
{
	size_t	 i;

	if (type == IKE_XF_ENCR || type == IKE_XF_PRF)
		return NULL;
	for (i = 0; i < off->nxf; i++) {
		const struct ike_xform *x = &off->xf[i];

		if (x->type != type || x->id == IKE_XF_ID_UNUSABLE ||
		    x->keylen != 0)
			continue;
		if (x->id == 0 || (type == IKE_XF_DH && any_dh &&
		    ike_dh_supported(x->id)))
			return x;
	}
	return NULL;
}

static int
prop_match(const struct ike_prop *off, const struct ike_prop *ours,
    int any_dh, struct ike_prop *chosen)
{
	const struct ike_xform *x;
	uint8_t	 has[256];
	size_t	 i;
	unsigned t;

	if (off->proto != ours->proto || (off->proto != IKE_PROTO_IKE &&
	    off->spi_len != 4))
		return -1;
	memset(has, 0, sizeof(has));
	for (i = 0; i < ours->nxf; i++)
		has[ours->xf[i].type] |= 1;
	for (i = 0; i < off->nxf; i++)
		has[off->xf[i].type] |= 2;
	memset(chosen, 0, sizeof(*chosen));
	chosen->num = off->num;
	chosen->proto = off->proto;
	chosen->spi_len = off->spi_len;
	memcpy(chosen->spi, off->spi, sizeof(chosen->spi));
	for (t = 0; t < nitems(has); t++) {
		if (has[t] == 0)
			continue;
		x = (has[t] & 1) ? prop_pick_ours(off, ours, (uint8_t)t) :
		    prop_pick_extra(off, (uint8_t)t, any_dh);
		if (x == NULL)
			return -1;
		chosen->xf[chosen->nxf++] = *x;
	}
	return 0;
}

int
ike_prop_select(const struct ike_prop *offered, size_t noff,
    const struct ike_prop *ours, size_t nours, int any_dh,
    struct ike_prop *chosen)
{
	size_t	 i, j;

	for (i = 0; i < nours; i++)
		for (j = 0; j < noff; j++)
			if (prop_match(&offered[j], &ours[i], any_dh,
			    chosen) == 0)
				return 0;
	memset(chosen, 0, sizeof(*chosen));
	return -1;
}

/* ---- the initiator's check (RFC 7296 3.3.6) ---- */

int
ike_prop_accept(const struct ike_prop *ours, size_t nours,
    const struct ike_prop *reply, size_t nreply, struct ike_prop *chosen)
{
	const struct ike_prop *o = NULL;
	uint8_t	 seen[256];
	size_t	 i;

	if (nreply != 1)
		return -1;
	for (i = 0; i < nours && o == NULL; i++)
		if (ours[i].num == reply->num && ours[i].proto == reply->proto)
			o = &ours[i];
	if (o == NULL || reply->spi_len != o->spi_len)
		return -1;
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < reply->nxf; i++) {
		const struct ike_xform *x = &reply->xf[i];

		if (seen[x->type]++ ||
		    prop_find(o, x->type, x->id, x->keylen) == NULL)
			return -1;
	}
	for (i = 0; i < o->nxf; i++)
		if (!seen[o->xf[i].type])
			return -1;
	*chosen = *reply;
	return 0;
}

/* ---- a chosen proposal, used ---- */

#define PROP_NONE	(-1)	/* prop_one: no transform of the type */
#define PROP_MANY	(-2)	/* ... more than one: not a chosen one */

/* The single transform of type in p: its id, PROP_NONE or PROP_MANY. */
static int
prop_one(const struct ike_prop *p, uint8_t type, uint16_t *keylen)
{
	size_t	 i;
	int	 id = PROP_NONE;

	for (i = 0; i < p->nxf; i++) {
		if (p->xf[i].type != type)
			continue;
		if (id != PROP_NONE)
			return PROP_MANY;
		id = p->xf[i].id;
		if (keylen != NULL)
			*keylen = p->xf[i].keylen;
	}
	return id;
}

int
ike_prop_suite(const struct ike_prop *p, struct ike_suite *s)
{
	const struct prop_encr *e;
	uint16_t keylen = 0;
	int	 encr, prf, integ, dh;

	memset(s, 0, sizeof(*s));
	if (p->proto != IKE_PROTO_IKE)
		return -1;
	encr = prop_one(p, IKE_XF_ENCR, &keylen);
	prf = prop_one(p, IKE_XF_PRF, NULL);
	integ = prop_one(p, IKE_XF_INTEG, NULL);
	dh = prop_one(p, IKE_XF_DH, NULL);
	if (encr < 0 || prf < 0 || dh <= 0 || integ == PROP_MANY ||
	    (e = prop_encr_by_id((uint16_t)encr, keylen)) == NULL)
		return -1;
	if (integ == PROP_NONE)
		integ = IKE_INTEG_NONE;
	/* RFC 7296 3.3: AEAD has no integrity transform (or NONE); the
	 * others need one */
	if (e->aead != (integ == IKE_INTEG_NONE))
		return -1;
	s->encr = (uint16_t)encr;
	s->encr_keybits = keylen;
	s->prf = (uint16_t)prf;
	s->integ = (uint16_t)integ;
	s->dh = (uint16_t)dh;
	return 0;
}

uint16_t
ike_prop_dh(const struct ike_prop *p)
{
	int	 dh = prop_one(p, IKE_XF_DH, NULL);

	return dh > 0 && dh != IKE_XF_ID_UNUSABLE ? (uint16_t)dh : 0;
}

int
ike_prop_child_sa(const struct ike_prop *p, struct transform *t)
{
	const struct prop_encr *e = NULL;
	const struct prop_hash *h = NULL;
	char	 name[40];
	uint16_t keylen = 0;
	int	 encr, integ, esn;

	encr = prop_one(p, IKE_XF_ENCR, &keylen);
	integ = prop_one(p, IKE_XF_INTEG, NULL);
	esn = prop_one(p, IKE_XF_ESN, NULL);
	/* only "no ESN" is offered; no ESN at all is taken as that */
	if (esn > 0 || esn == PROP_MANY || encr == PROP_MANY ||
	    integ == PROP_MANY || (encr >= 0 &&
	    (e = prop_encr_by_id((uint16_t)encr, keylen)) == NULL) ||
	    (integ > 0 && (h = prop_hash_by_integ((uint16_t)integ)) == NULL))
		return -1;
	if (p->proto == IKE_PROTO_AH && e == NULL && h != NULL)
		snprintf(name, sizeof(name), "ah-%s", h->name);
	else if (p->proto == IKE_PROTO_ESP && e != NULL && h != NULL)
		snprintf(name, sizeof(name), "esp-%s-%s", e->name, h->name);
	else if (p->proto == IKE_PROTO_ESP && e != NULL)
		snprintf(name, sizeof(name), "esp-%s", e->name);
	else
		return -1;
	/* transform_lookup refuses what the CLI refuses (AEAD with INTEG) */
	return transform_lookup(name, t);
}

int
ike_prop_text(const struct ike_prop *p, char *out, size_t len)
{
	size_t	 i, used = 0;
	int	 w;

	if (len == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < p->nxf; i++) {
		const struct ike_xform *x = &p->xf[i];

		if (x->type == IKE_XF_ESN && x->id == IKE_ESN_NO)
			continue;
		w = snprintf(out + used, len - used, "%s%s", used ? "/" : "",
		    ike_xform_name(x->type, x->id));
		if (w >= 0 && (size_t)w < len - used && x->keylen != 0) {
			used += (size_t)w;
			w = snprintf(out + used, len - used, "_%u", x->keylen);
		}
		if (w < 0 || (size_t)w >= len - used)
			return -1;
		used += (size_t)w;
	}
	return 0;
}

/* ---- traffic selectors (RFC 7296 2.9, 3.13.1) ---- */

static size_t
ts_alen(const struct ike_ts *ts)
{
	return ts->type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;
}

static void
ts_init(struct ike_ts *ts, int family)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = family == AF_INET6 ? IKE_TS_IPV6_ADDR_RANGE :
	    IKE_TS_IPV4_ADDR_RANGE;
	ts->sport = 0;
	ts->eport = 65535;
}

/* ADDR/LEN as a range: host bits cleared in start, set in end. */
static int
ts_prefix(const char *text, struct ike_ts *ts)
{
	char	 buf[ADDR_TEXT_LEN], *slash, *end;
	unsigned char a[16];
	unsigned long plen;
	size_t	 i, alen;
	int	 fam;

	if (str_copy(buf, text, sizeof(buf)) >= sizeof(buf) ||
	    (slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash++ = '\0';
	plen = strtoul(slash, &end, 10);
	if (*slash == '\0' || *end != '\0' ||
	    parse_addr_bytes(buf, &fam, a) == -1)
		return -1;
	ts_init(ts, fam);
	alen = ts_alen(ts);
	if (plen > alen * 8)
		return -1;
	for (i = 0; i < alen; i++) {
		unsigned bit = (unsigned)i * 8;
		unsigned char keep = bit >= plen ? 0 : plen - bit >= 8 ? 0xff :
		    (unsigned char)(0xff << (8 - (plen - bit)));

		ts->start[i] = a[i] & keep;
		ts->end[i] = a[i] | (unsigned char)~keep;
	}
	return 0;
}

/* A-B or a single address. */
static int
ts_range(const char *text, struct ike_ts *ts)
{
	char	 buf[ADDR_TEXT_LEN], *dash;
	unsigned char a[16], b[16];
	int	 fa, fb;

	if (str_copy(buf, text, sizeof(buf)) >= sizeof(buf))
		return -1;
	if ((dash = strchr(buf, '-')) != NULL)
		*dash++ = '\0';
	if (parse_addr_bytes(buf, &fa, a) == -1 ||
	    parse_addr_bytes(dash ? dash : buf, &fb, b) == -1 || fa != fb)
		return -1;
	ts_init(ts, fa);
	memcpy(ts->start, a, ts_alen(ts));
	memcpy(ts->end, b, ts_alen(ts));
	return memcmp(a, b, ts_alen(ts)) > 0 ? -1 : 0;
}

int
ike_ts_from_text(const char *sel, struct ike_ts *out, size_t max, size_t *n)
{
	*n = 0;
	if (sel == NULL || *sel == '\0' || strcmp(sel, "any") == 0) {
		if (max < 2)
			return -1;
		ts_init(&out[0], AF_INET);
		memset(out[0].end, 0xff, 4);
		ts_init(&out[1], AF_INET6);
		memset(out[1].end, 0xff, 16);
		*n = 2;
		return 0;
	}
	if (max < 1 || (strchr(sel, '/') != NULL ? ts_prefix(sel, out) :
	    ts_range(sel, out)) == -1)
		return -1;
	*n = 1;
	return 0;
}

/* a and b's intersection into out; 0, or -1 when it is empty. */
static int
ts_intersect(const struct ike_ts *a, const struct ike_ts *b,
    struct ike_ts *out)
{
	size_t	 alen = ts_alen(a);

	if (a->type != b->type || (a->ipproto != 0 && b->ipproto != 0 &&
	    a->ipproto != b->ipproto))
		return -1;
	memset(out, 0, sizeof(*out));
	out->type = a->type;
	out->ipproto = a->ipproto != 0 ? a->ipproto : b->ipproto;
	out->sport = a->sport > b->sport ? a->sport : b->sport;
	out->eport = a->eport < b->eport ? a->eport : b->eport;
	memcpy(out->start, memcmp(a->start, b->start, alen) > 0 ? a->start :
	    b->start, alen);
	memcpy(out->end, memcmp(a->end, b->end, alen) < 0 ? a->end : b->end,
	    alen);
	if (out->sport > out->eport || memcmp(out->start, out->end, alen) > 0)
		return -1;
	return 0;
}

int
ike_ts_narrow(const struct ike_ts *offered, size_t noff,
    const struct ike_ts *ours, size_t nours, struct ike_ts *out, size_t max,
    size_t *n)
{
	size_t	 i, j;

	*n = 0;
	for (i = 0; i < noff; i++)
		for (j = 0; j < nours && *n < max; j++)
			if (ts_intersect(&offered[i], &ours[j],
			    &out[*n]) == 0)
				(*n)++;
	return *n > 0 ? 0 : -1;
}

static int
ts_inside(const struct ike_ts *g, const struct ike_ts *o)
{
	size_t	 alen = ts_alen(g);

	return g->type == o->type &&
	    (o->ipproto == 0 || o->ipproto == g->ipproto) &&
	    o->sport <= g->sport && g->sport <= g->eport &&
	    g->eport <= o->eport &&
	    memcmp(o->start, g->start, alen) <= 0 &&
	    memcmp(g->start, g->end, alen) <= 0 &&
	    memcmp(g->end, o->end, alen) <= 0;
}

int
ike_ts_within(const struct ike_ts *got, size_t ngot,
    const struct ike_ts *ours, size_t nours)
{
	size_t	 i, j;

	if (ngot == 0)
		return 0;
	for (i = 0; i < ngot; i++) {
		for (j = 0; j < nours; j++)
			if (ts_inside(&got[i], &ours[j]))
				break;
		if (j == nours)
			return 0;
	}
	return 1;
}

/* The prefix length when start-end is exactly a prefix, else -1. */
static int
ts_plen(const struct ike_ts *ts)
{
	size_t	 alen = ts_alen(ts), i;
	int	 plen = -1;

	for (i = 0; i < alen * 8; i++) {
		int	 sb = (ts->start[i / 8] >> (7 - i % 8)) & 1;
		int	 eb = (ts->end[i / 8] >> (7 - i % 8)) & 1;

		if (plen == -1 && sb != eb)
			plen = (int)i;
		if (plen != -1 && (sb != 0 || eb != 1))
			return -1;
	}
	return plen == -1 ? (int)alen * 8 : plen;
}

int
ike_ts_text(const struct ike_ts *ts, char *out, size_t len)
{
	char	 a[ADDR_LEN], b[ADDR_LEN], ports[32] = "", proto[16] = "";
	int	 af = ts->type == IKE_TS_IPV6_ADDR_RANGE ? AF_INET6 : AF_INET;
	int	 plen = ts_plen(ts), w;

	inet_ntop(af, ts->start, a, sizeof(a));
	inet_ntop(af, ts->end, b, sizeof(b));
	if (ts->ipproto != 0)
		snprintf(proto, sizeof(proto), " proto %u", ts->ipproto);
	if (ts->sport == ts->eport)
		snprintf(ports, sizeof(ports), " port %u", ts->sport);
	else if (ts->sport != 0 || ts->eport != 65535)
		snprintf(ports, sizeof(ports), " port %u-%u", ts->sport,
		    ts->eport);
	if (plen >= 0)
		w = snprintf(out, len, "%s/%d%s%s", a, plen, proto, ports);
	else
		w = snprintf(out, len, "%s-%s%s%s", a, b, proto, ports);
	return w < 0 || (size_t)w >= len ? -1 : 0;
}
