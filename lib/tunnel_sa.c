/* tunnel_sa: a manual tunnel's SA pair and its policies (RFC 4301 4.5:
 * manual keying), tied to the tunnel's xfrm interface by its if_id and
 * marked ours by reqid KERNEL_REQID(if_id). Policies are "any <-> any" per
 * inner family, or the tunnel's selectors; they only see traffic routed
 * through the interface (the if_id is part of their key). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/xfrm.h>
#include <netinet/in.h>

#include <openssl/crypto.h>

#include "log.h"
#include "runtime.h"
#include "secret.h"
#include "selector.h"
#include "transform.h"
#include "util.h"

#define SP_PRIORITY	1000

enum { SA_IN, SA_OUT };
static const char *const sa_dirs[] = { "inbound", "outbound" };

static int
sa_down(struct tunnel_rt *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
sa_down(struct tunnel_rt *t, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(t->down_reason, sizeof(t->down_reason), fmt, ap);
	va_end(ap);
	return -1;
}

/* A stored key (hex, encrypted) into out; 0, or -1 with the reason. */
static int
sa_key(struct runtime *rt, struct tunnel_rt *t, const char *dir,
    const char *what, const char *blob, unsigned char *out, size_t need)
{
	unsigned char	*pt = NULL;
	size_t		 len = 0;
	char		 aad[128], hex[2 * KSA_KEY_MAX + 1];
	long		 n = -1;

	if (need == 0)
		return 0;
	snprintf(aad, sizeof(aad), "sa|%s|%s|%s", t->name, dir, what);
	if (secret_decrypt(rt->st->key, aad, blob, &pt, &len) == 0 &&
	    len < sizeof(hex)) {
		memcpy(hex, pt, len);
		hex[len] = '\0';
		n = hex_decode(hex, out, KSA_KEY_MAX);
		OPENSSL_cleanse(hex, sizeof(hex));
	}
	secure_free(pt, len);
	if (n < 0 || (size_t)n != need)
		return sa_down(t, "the %s cannot be decrypted with this "
		    "device's key", what);
	return 0;
}

/* One direction's SA from its stored row. */
static int
sa_build(struct runtime *rt, struct tunnel_rt *t, sqlite3_stmt *q, int dir,
    int family, const unsigned char *src, const unsigned char *dst,
    struct ksa *sa)
{
	struct transform tr;
	size_t	 alen = kernel_addr_len(family);

	memset(sa, 0, sizeof(*sa));
	if (transform_lookup(store_col(q, 2), &tr) == -1)
		return sa_down(t, "unknown transform %s", store_col(q, 2));
	sa->family = family;
	sa->proto = tr.proto == TRANSFORM_AH ? IPPROTO_AH : IPPROTO_ESP;
	sa->spi = (uint32_t)sqlite3_column_int64(q, 1);
	memcpy(sa->saddr, dir == SA_OUT ? src : dst, alen);
	memcpy(sa->daddr, dir == SA_OUT ? dst : src, alen);
	sa->reqid = KERNEL_REQID(t->if_id);
	sa->if_id = t->if_id;
	sa->aead = tr.aead;
	sa->icv_bits = tr.icv_bits;
	sa->trunc_bits = tr.trunc_bits;
	sa->enc_len = tr.enc_key_len;
	sa->auth_len = tr.auth_key_len;
	if (tr.xfrm_cipher != NULL)
		str_copy(sa->enc_alg, tr.xfrm_cipher, sizeof(sa->enc_alg));
	if (tr.xfrm_integ != NULL)
		str_copy(sa->auth_alg, tr.xfrm_integ, sizeof(sa->auth_alg));
	if (sa_key(rt, t, sa_dirs[dir], "encryption-key", store_col(q, 3),
	    sa->enc_key, sa->enc_len) == -1 ||
	    sa_key(rt, t, sa_dirs[dir], "authentication-key", store_col(q, 4),
	    sa->auth_key, sa->auth_len) == -1) {
		ksa_clear(sa);
		return -1;
	}
	return 0;
}

/* The kernel's SA is exactly the one configured (keys included). */
static int
sa_same(const struct ksa *a, const struct ksa *b)
{
	size_t	 alen = kernel_addr_len(a->family);

	return a->family == b->family && a->proto == b->proto &&
	    memcmp(a->saddr, b->saddr, alen) == 0 && a->reqid == b->reqid &&
	    a->if_id == b->if_id && a->aead == b->aead &&
	    strcmp(a->enc_alg, b->enc_alg) == 0 && a->enc_len == b->enc_len &&
	    CRYPTO_memcmp(a->enc_key, b->enc_key, a->enc_len) == 0 &&
	    strcmp(a->auth_alg, b->auth_alg) == 0 &&
	    a->auth_len == b->auth_len &&
	    CRYPTO_memcmp(a->auth_key, b->auth_key, a->auth_len) == 0 &&
	    (a->aead ? a->icv_bits == b->icv_bits :
	    a->auth_alg[0] == '\0' || a->trunc_bits == b->trunc_bits);
}

void
tunnel_sa_forget(struct runtime *rt, struct tunnel_rt *t, int dir)
{
	struct kerr	 e = { 0 };
	struct sa_key	*k = &t->sas[dir];

	if (!t->sa_ok[dir])
		return;
	t->sa_ok[dir] = 0;
	if (kernel_sa_del(rt->k, k->family, k->daddr, k->spi, k->proto,
	    &e) == -1 && e.code != -ESRCH && e.code != -ENOENT)
		runtime_refused(rt, t->error, &e);
}

/* Install sa unless the kernel already has it exactly (a restart adopts it,
 * and traffic keeps flowing); never replace an SA that is not ours. */
static int
sa_install(struct runtime *rt, struct tunnel_rt *t, int dir,
    const struct ksa *sa)
{
	struct kerr	 e = { 0 };
	struct ksa	 cur;
	struct sa_key	*k = &t->sas[dir];
	int		 rc;

	if (t->sa_ok[dir] && (k->spi != sa->spi || k->proto != sa->proto ||
	    memcmp(k->daddr, sa->daddr, 16) != 0))
		tunnel_sa_forget(rt, t, dir);
	rc = kernel_sa_get(rt->k, sa->family, sa->daddr, sa->spi, sa->proto,
	    &cur, &e);
	if (rc == 1 && sa_same(&cur, sa))
		goto installed;
	if (rc == 1 && !KERNEL_REQID_IS_OURS(cur.reqid)) {
		nlk_fail(&e, -EEXIST, "%s SA spi 0x%08x: the kernel has an SA "
		    "with this SPI and destination that is not sectun's",
		    sa_dirs[dir], sa->spi);
		rc = -1;
	} else if (rc == 1 && kernel_sa_del(rt->k, sa->family, sa->daddr,
	    sa->spi, sa->proto, &e) == -1)
		rc = -1;
	if (rc == -1 || kernel_sa_add(rt->k, sa, &e) == -1) {
		ksa_clear(&cur);
		runtime_refused(rt, t->error, &e);
		return sa_down(t, "%s", t->error);
	}
	tunnel_event(t, "%s SA spi 0x%08x installed", sa_dirs[dir], sa->spi);
installed:
	ksa_clear(&cur);
	k->family = sa->family;
	memcpy(k->daddr, sa->daddr, 16);
	k->spi = sa->spi;
	k->proto = sa->proto;
	t->sa_ok[dir] = 1;
	return 0;
}

/* ---- policies ---- */

static int
sp_push(struct ksp *sps, int *n, const struct ksp *base, int dir,
    const struct sel *src, const struct sel *dst)
{
	struct ksp	*sp;

	if (*n == TUNNEL_MAX_SPS)
		return -1;
	sp = &sps[(*n)++];
	*sp = *base;
	sp->family = src->family;
	sp->dir = dir;
	memcpy(sp->saddr, src->addr, 16);
	memcpy(sp->daddr, dst->addr, 16);
	sp->splen = src->plen;
	sp->dplen = dst->plen;
	if (dir != XFRM_POLICY_OUT) {	/* template: peer -> us */
		memcpy(sp->tmpl_saddr, base->tmpl_daddr, 16);
		memcpy(sp->tmpl_daddr, base->tmpl_saddr, 16);
	}
	return 0;
}

/* Out from local to peer selectors; in and fwd back, per family. */
static int
sp_build(const struct tunnel_conf *tc, const struct ksp *base,
    struct ksp *sps)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct sel	 l[TUNNEL_MAX_SPS], p[TUNNEL_MAX_SPS];
	int		 f, i, j, nl, np, n = 0;

	for (f = 0; f < 2; f++) {
		nl = selector_expand(tc->lsel, families[f], l, TUNNEL_MAX_SPS);
		np = selector_expand(tc->psel, families[f], p, TUNNEL_MAX_SPS);
		if (nl < 0 || np < 0)
			return -1;
		for (i = 0; i < nl; i++)
			for (j = 0; j < np; j++)
				if (sp_push(sps, &n, base, XFRM_POLICY_OUT,
				    &l[i], &p[j]) == -1 ||
				    sp_push(sps, &n, base, XFRM_POLICY_IN,
				    &p[j], &l[i]) == -1 ||
				    sp_push(sps, &n, base, XFRM_POLICY_FWD,
				    &p[j], &l[i]) == -1)
					return -1;
	}
	return n;
}

static int
sp_same(const struct ksp *a, const struct ksp *b)
{
	return a->family == b->family && a->dir == b->dir &&
	    a->splen == b->splen && a->dplen == b->dplen &&
	    a->if_id == b->if_id && memcmp(a->saddr, b->saddr, 16) == 0 &&
	    memcmp(a->daddr, b->daddr, 16) == 0;
}

static void
sp_forget_all(struct runtime *rt, struct tunnel_rt *t)
{
	struct kerr	 e = { 0 };
	int		 i;

	for (i = 0; i < t->nsps; i++)
		if (kernel_sp_del(rt->k, &t->sps[i], &e) == -1 &&
		    e.code != -ENOENT)
			runtime_refused(rt, t->error, &e);
	t->nsps = 0;
}

int
tunnel_sp_install(struct runtime *rt, struct tunnel_rt *t,
    const struct tunnel_conf *tc, int family, const unsigned char *src,
    const unsigned char *dst, uint8_t proto)
{
	struct ksp	 base, *want;
	struct kerr	 e = { 0 };
	int		 i, j, n, rc = 0;

	memset(&base, 0, sizeof(base));
	base.if_id = t->if_id;
	base.priority = SP_PRIORITY;
	base.tmpl_family = family;
	memcpy(base.tmpl_saddr, src, 16);
	memcpy(base.tmpl_daddr, dst, 16);
	base.tmpl_proto = proto;
	base.reqid = KERNEL_REQID(t->if_id);
	if ((want = calloc(TUNNEL_MAX_SPS, sizeof(*want))) == NULL)
		return sa_down(t, "%s", "out of memory");
	if ((n = sp_build(tc, &base, want)) < 0) {
		free(want);
		return sa_down(t, "the selectors need more than %s policies",
		    "64");
	}
	for (i = 0; i < t->nsps; i++) {		/* no longer wanted */
		for (j = 0; j < n && !sp_same(&t->sps[i], &want[j]); j++)
			;
		if (j == n && kernel_sp_del(rt->k, &t->sps[i], &e) == -1 &&
		    e.code != -ENOENT)
			runtime_refused(rt, t->error, &e);
	}
	t->nsps = 0;
	for (i = 0; i < n && rc == 0; i++) {
		if (kernel_sp_update(rt->k, &want[i], &e) == -1) {
			runtime_refused(rt, t->error, &e);
			rc = sa_down(t, "%s", t->error);
		} else
			t->sps[t->nsps++] = want[i];
	}
	free(want);
	return rc;
}

int
tunnel_sa_sync(struct runtime *rt, struct tunnel_rt *t,
    const struct tunnel_conf *tc)
{
	unsigned char	 src[16] = { 0 }, dst[16] = { 0 };
	struct ksa	 sa[2];
	sqlite3_stmt	*q;
	int		 fs, fd, dir, rc = 0, have[2] = { 0, 0 };

	if (parse_addr_bytes(tc->source, &fs, src) == -1)
		return sa_down(t, "%s", tc->source[0] == '\0' ? "no tunnel "
		    "source" : "a manual tunnel's source must be an address");
	if (parse_addr_bytes(tc->dest, &fd, dst) == -1)
		return sa_down(t, "%s", tc->dest[0] == '\0' ? "no tunnel "
		    "destination" : "a manual tunnel's destination must be an "
		    "address");
	q = store_query(rt->st, "SELECT direction, spi, transform, "
	    "ifnull(enc_key, ''), ifnull(auth_key, '') FROM tunnel_sa_manual "
	    "WHERE tunnel = ?", "s", t->name);
	while (rc == 0 && q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		dir = strcmp(store_col(q, 0), "outbound") == 0 ? SA_OUT : SA_IN;
		rc = sa_build(rt, t, q, dir, fs, src, dst, &sa[dir]);
		have[dir] = rc == 0;
	}
	store_finalize(rt->st, q);
	for (dir = 0; dir < 2 && rc == 0; dir++)
		if (!have[dir])
			rc = sa_down(t, "no %s manual SA", sa_dirs[dir]);
	for (dir = 0; dir < 2 && rc == 0; dir++)
		rc = sa_install(rt, t, dir, &sa[dir]);
	if (rc == 0)
		rc = tunnel_sp_install(rt, t, tc, fs, src, dst,
		    sa[SA_OUT].proto);
	for (dir = 0; dir < 2; dir++)
		if (have[dir])
			ksa_clear(&sa[dir]);
	if (rc == -1)
		tunnel_sa_remove(rt, t);
	return rc;
}

void
tunnel_sa_remove(struct runtime *rt, struct tunnel_rt *t)
{
	int	 had = t->sa_ok[SA_IN] || t->sa_ok[SA_OUT];

	sp_forget_all(rt, t);
	tunnel_sa_forget(rt, t, SA_IN);
	tunnel_sa_forget(rt, t, SA_OUT);
	if (had)
		tunnel_event(t, "SAs removed");
}

/* ---- start-up and full sync: ours, but wanted by no configured tunnel ---- */

struct stale {
	struct runtime	*rt;
	struct ksa	*sas;
	struct ksp	*sps;
	size_t		 nsa, nsp, cap_sa, cap_sp;
};

static int
sa_wanted(struct runtime *rt, const struct ksa *sa)
{
	struct tunnel_rt *t;
	int	 d;

	for (t = rt->tunnels; t != NULL; t = t->next)
		for (d = 0; d < 2; d++)
			if (t->sa_ok[d] && t->if_id == sa->if_id &&
			    t->sas[d].spi == sa->spi &&
			    t->sas[d].proto == sa->proto &&
			    memcmp(t->sas[d].daddr, sa->daddr, 16) == 0)
				return 1;
	return 0;
}

static int
sp_wanted(struct runtime *rt, const struct ksp *sp)
{
	struct tunnel_rt *t;
	int	 i;

	for (t = rt->tunnels; t != NULL; t = t->next)
		for (i = 0; i < t->nsps; i++)
			if (sp_same(&t->sps[i], sp))
				return 1;
	return 0;
}

static int
stale_sa_cb(const struct ksa *sa, void *arg)
{
	struct stale	*s = arg;
	struct ksa	*slot;

	if (!KERNEL_REQID_IS_OURS(sa->reqid) || sa_wanted(s->rt, sa))
		return 0;
	if ((slot = array_add(&s->sas, &s->nsa, &s->cap_sa,
	    sizeof(*slot))) == NULL)
		return -1;
	*slot = *sa;
	return 0;
}

static int
stale_sp_cb(const struct ksp *sp, void *arg)
{
	struct stale	*s = arg;
	struct ksp	*slot;

	if (!KERNEL_REQID_IS_OURS(sp->reqid) || sp_wanted(s->rt, sp))
		return 0;
	if ((slot = array_add(&s->sps, &s->nsp, &s->cap_sp,
	    sizeof(*slot))) == NULL)
		return -1;
	*slot = *sp;
	return 0;
}

int
tunnel_sa_remove_stale(struct runtime *rt)
{
	struct stale	 s = { .rt = rt };
	struct kerr	 e = { 0 };
	size_t		 i;
	int		 errors = 0;

	if (kernel_sp_dump(rt->k, stale_sp_cb, &s, &e) == -1 ||
	    kernel_sa_dump(rt->k, stale_sa_cb, &s, &e) == -1) {
		runtime_refused(rt, NULL, &e);
		errors++;
	}
	for (i = 0; i < s.nsp; i++)
		if (kernel_sp_del(rt->k, &s.sps[i], &e) == -1) {
			runtime_refused(rt, NULL, &e);
			errors++;
		}
	for (i = 0; i < s.nsa; i++)
		if (kernel_sa_del(rt->k, s.sas[i].family, s.sas[i].daddr,
		    s.sas[i].spi, s.sas[i].proto, &e) == -1) {
			runtime_refused(rt, NULL, &e);
			errors++;
		}
	if (s.nsa + s.nsp > 0)
		log_info("removed %zu SAs and %zu policies no tunnel wants",
		    s.nsa, s.nsp);
	free(s.sas);
	free(s.sps);
	return errors;
}
