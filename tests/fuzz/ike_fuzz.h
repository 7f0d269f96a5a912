/* ike_fuzz.h: what the libFuzzer harnesses (fuzz_ike_msg.c, fuzz_ike_sk.c)
 * and tests/check_ike_codec.c run on every input: decode a message, its
 * SK body as a plaintext chain, every payload body and the payload table,
 * and check what must hold whatever the input (an abort is a finding).
 * Decoded SA, TS, Notify and Delete bodies are encoded again and must
 * decode to the same thing. Also the fixed suites and keys of the SK
 * harness and its seeds. Static functions: included by one file each. */
#ifndef SECTUN_IKE_FUZZ_H
#define SECTUN_IKE_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_codec.h"
#include "ike_crypto.h"

#define FUZZ_CHECK(x) do {						\
	if (!(x)) {							\
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #x);	\
		abort();						\
	}								\
} while (0)

#define FUZZ_UNUSED	__attribute__((unused))

/* A refusal says why, with the notify body decoders use. */
static void
fuzz_refused(const struct ike_err *err)
{
	FUZZ_CHECK(err->text[0] != '\0');
	FUZZ_CHECK(err->notify == IKE_N_INVALID_SYNTAX);
}

/* A view lies inside [base, base + len). */
static int
fuzz_inside(const uint8_t *p, size_t n, const uint8_t *base, size_t len)
{
	return p >= base && n <= len && (size_t)(p - base) <= len - n;
}

/* ptr/len as a payload body of type, for decoding what was encoded. */
static void
fuzz_pl(struct ike_pl *p, uint8_t type, const uint8_t *buf, long len)
{
	FUZZ_CHECK(len >= IKE_PAYLOAD_HDR_LEN);
	p->type = type;
	p->critical = 0;
	p->body = buf + IKE_PAYLOAD_HDR_LEN;
	p->len = (size_t)len - IKE_PAYLOAD_HDR_LEN;
}

static void
fuzz_sa(const struct ike_pl *p)
{
	static struct ike_prop	 a[IKE_MAX_PROPOSALS], b[IKE_MAX_PROPOSALS];
	static uint8_t		 buf[IKE_MSG_MAX];
	struct ike_err		 err;
	struct ike_enc		 e;
	struct ike_pl		 again;
	size_t			 n, m, i, j;

	memset(&err, 0, sizeof(err));
	if (ike_sa_decode(p, a, IKE_MAX_PROPOSALS, &n, &err) == -1) {
		fuzz_refused(&err);
		return;
	}
	FUZZ_CHECK(n >= 1 && n <= IKE_MAX_PROPOSALS);
	ike_enc_chain(&e, buf, sizeof(buf));
	ike_enc_sa(&e, a, n);
	fuzz_pl(&again, IKE_PL_SA, buf, ike_enc_finish(&e));
	FUZZ_CHECK(ike_sa_decode(&again, b, IKE_MAX_PROPOSALS, &m, &err) == 0);
	FUZZ_CHECK(m == n);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(a[i].num == b[i].num && a[i].proto == b[i].proto);
		FUZZ_CHECK(a[i].spi_len == b[i].spi_len && a[i].nxf ==
		    b[i].nxf && a[i].nxf >= 1);
		FUZZ_CHECK(memcmp(a[i].spi, b[i].spi, a[i].spi_len) == 0);
		for (j = 0; j < a[i].nxf; j++)
			FUZZ_CHECK(a[i].xf[j].type == b[i].xf[j].type &&
			    a[i].xf[j].id == b[i].xf[j].id &&
			    a[i].xf[j].keylen == b[i].xf[j].keylen);
	}
}

static void
fuzz_ts(const struct ike_pl *p)
{
	static uint8_t	 buf[IKE_MSG_MAX];
	struct ike_ts	 a[IKE_MAX_TS], b[IKE_MAX_TS];
	struct ike_err	 err;
	struct ike_enc	 e;
	struct ike_pl	 again;
	size_t		 n, m;

	memset(&err, 0, sizeof(err));
	if (ike_ts_decode(p, a, IKE_MAX_TS, &n, &err) == -1) {
		fuzz_refused(&err);
		return;
	}
	FUZZ_CHECK(n >= 1 && n <= IKE_MAX_TS);
	ike_enc_chain(&e, buf, sizeof(buf));
	ike_enc_ts(&e, p->type, a, n);
	fuzz_pl(&again, p->type, buf, ike_enc_finish(&e));
	FUZZ_CHECK(ike_ts_decode(&again, b, IKE_MAX_TS, &m, &err) == 0);
	FUZZ_CHECK(m == n && memcmp(a, b, n * sizeof(a[0])) == 0);
}

static void
fuzz_notify(const struct ike_pl *p)
{
	static uint8_t		 buf[IKE_MSG_MAX];
	struct ike_notify	 a, b;
	struct ike_err		 err;
	struct ike_enc		 e;
	struct ike_pl		 again;

	memset(&err, 0, sizeof(err));
	if (ike_notify_decode(p, &a, &err) == -1) {
		fuzz_refused(&err);
		return;
	}
	FUZZ_CHECK(fuzz_inside(a.spi, a.spi_len, p->body, p->len));
	FUZZ_CHECK(fuzz_inside(a.data, a.len, p->body, p->len));
	ike_enc_chain(&e, buf, sizeof(buf));
	ike_enc_notify(&e, a.proto, a.spi, a.spi_len, a.type, a.data, a.len);
	fuzz_pl(&again, IKE_PL_NOTIFY, buf, ike_enc_finish(&e));
	FUZZ_CHECK(ike_notify_decode(&again, &b, &err) == 0);
	FUZZ_CHECK(a.proto == b.proto && a.spi_len == b.spi_len &&
	    a.type == b.type && a.len == b.len);
	FUZZ_CHECK(memcmp(a.spi, b.spi, a.spi_len) == 0);
	FUZZ_CHECK(a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

static void
fuzz_delete(const struct ike_pl *p)
{
	static uint8_t		 buf[IKE_MSG_MAX];
	struct ike_delete	 a, b;
	struct ike_err		 err;
	struct ike_enc		 e;
	struct ike_pl		 again;

	memset(&err, 0, sizeof(err));
	if (ike_delete_decode(p, &a, &err) == -1) {
		fuzz_refused(&err);
		return;
	}
	FUZZ_CHECK(a.nspi <= IKE_MAX_DELETE_SPIS);
	FUZZ_CHECK(fuzz_inside(a.spis, (size_t)a.nspi * a.spi_len, p->body,
	    p->len));
	ike_enc_chain(&e, buf, sizeof(buf));
	ike_enc_delete(&e, a.proto, a.spi_len, a.spis, a.nspi);
	fuzz_pl(&again, IKE_PL_DELETE, buf, ike_enc_finish(&e));
	FUZZ_CHECK(ike_delete_decode(&again, &b, &err) == 0);
	FUZZ_CHECK(a.proto == b.proto && a.spi_len == b.spi_len &&
	    a.nspi == b.nspi);
	FUZZ_CHECK(memcmp(a.spis, b.spis, (size_t)a.nspi * a.spi_len) == 0);
}

/* The simple bodies: a view of their data inside the payload. */
static void
fuzz_simple(const struct ike_pl *p)
{
	struct ike_err	 err;
	struct ike_ke	 ke;
	struct ike_id	 id;
	struct ike_auth	 auth;
	const uint8_t	*data = NULL;
	size_t		 len = 0;
	int		 rc = 0;

	memset(&err, 0, sizeof(err));
	if (p->type == IKE_PL_KE && (rc = ike_ke_decode(p, &ke, &err)) == 0) {
		data = ke.data;
		len = ke.len;
	} else if ((p->type == IKE_PL_IDI || p->type == IKE_PL_IDR) &&
	    (rc = ike_id_decode(p, &id, &err)) == 0) {
		data = id.data;
		len = id.len;
		FUZZ_CHECK(id.body == p->body && id.bodylen == p->len);
	} else if (p->type == IKE_PL_AUTH &&
	    (rc = ike_auth_decode(p, &auth, &err)) == 0) {
		data = auth.data;
		len = auth.len;
	} else if (p->type == IKE_PL_NONCE &&
	    (rc = ike_nonce_decode(p, &data, &len, &err)) == 0)
		FUZZ_CHECK(len >= IKE_NONCE_MIN && len <= IKE_NONCE_MAX);
	if (rc == -1) {
		fuzz_refused(&err);
		return;
	}
	if (data != NULL)
		FUZZ_CHECK(len >= 1 && fuzz_inside(data, len, p->body, p->len));
}

static void
fuzz_body(const struct ike_pl *p)
{
	if (p->type == IKE_PL_SA)
		fuzz_sa(p);
	else if (p->type == IKE_PL_TSI || p->type == IKE_PL_TSR)
		fuzz_ts(p);
	else if (p->type == IKE_PL_NOTIFY)
		fuzz_notify(p);
	else if (p->type == IKE_PL_DELETE)
		fuzz_delete(p);
	else
		fuzz_simple(p);
}

/* Payloads, table, lookups of a decoded message (inner chain added when
 * it has one). 0: the table accepts it. */
static int
fuzz_payloads(const struct ike_msg *m)
{
	struct ike_err		 err;
	size_t			 i, from = 0, n = 0;

	FUZZ_CHECK(m->npl <= IKE_MAX_PAYLOADS);
	for (i = 0; i < m->npl; i++)
		fuzz_body(&m->pl[i]);
	while (ike_msg_find(m, IKE_PL_NOTIFY, &from) != NULL)
		n++;
	FUZZ_CHECK(n <= m->npl);
	(void)ike_msg_notify(m, IKE_N_COOKIE);
	memset(&err, 0, sizeof(err));
	if (ike_msg_check(m, &err) == 0)
		return 0;
	FUZZ_CHECK(err.text[0] != '\0');
	FUZZ_CHECK(err.notify == 0 || err.notify == IKE_N_INVALID_SYNTAX);
	return -1;
}

/* A whole message whose SK body, if any, is taken as plaintext. 0: it
 * decoded and the payload table accepts it. */
static FUZZ_UNUSED int
fuzz_message(const uint8_t *buf, size_t len)
{
	struct ike_msg		 m;
	struct ike_err		 err;
	const struct ike_pl	*sk;
	size_t			 i;

	memset(&err, 0, sizeof(err));
	if (ike_msg_decode(buf, len, &m, &err) == -1) {
		FUZZ_CHECK(err.text[0] != '\0');
		return -1;
	}
	FUZZ_CHECK(m.raw == buf && m.rawlen == len && m.h.length == len);
	for (i = 0; i < m.npl; i++)
		FUZZ_CHECK(fuzz_inside(m.pl[i].body, m.pl[i].len, buf, len));
	if (m.sk >= 0) {
		FUZZ_CHECK((size_t)m.sk == m.npl - 1);
		sk = &m.pl[m.sk];
		if (ike_msg_decode_inner(&m, sk->body, sk->len, &err) == -1) {
			FUZZ_CHECK(err.text[0] != '\0');
			return -1;
		}
		FUZZ_CHECK(m.ninner == m.npl - (size_t)m.sk - 1);
	}
	return fuzz_payloads(&m);
}

/* ---- the SK harness: fixed suites and keys ---- */

/* which & 1: 0 = AES-GCM-16-256, 1 = AES-CBC-256 with HMAC-SHA2-256-128 */
static FUZZ_UNUSED void
fuzz_sk_suite(unsigned which, struct ike_suite *s, struct ike_sk_key *k)
{
	size_t	 i;

	memset(s, 0, sizeof(*s));
	memset(k, 0, sizeof(*k));
	s->prf = IKE_PRF_HMAC_SHA2_256;
	s->dh = IKE_DH_ECP256;
	s->encr_keybits = 256;
	if ((which & 1) == 0) {
		s->encr = IKE_ENCR_AES_GCM_16;
		s->integ = IKE_INTEG_NONE;
		k->elen = 32 + 4;		/* key | salt (RFC 5282) */
	} else {
		s->encr = IKE_ENCR_AES_CBC;
		s->integ = IKE_INTEG_HMAC_SHA2_256_128;
		k->elen = 32;
		k->alen = 32;
	}
	for (i = 0; i < sizeof(k->ekey); i++) {
		k->ekey[i] = (uint8_t)(0x10 + i);
		k->akey[i] = (uint8_t)(0x80 + i);
	}
}

/* A message protected with suite which: open its SK payload, decode the
 * plaintext and run everything on it. 0: it opened and the table
 * accepts it; -1 otherwise. */
static FUZZ_UNUSED int
fuzz_sk_message(unsigned which, const uint8_t *buf, size_t len)
{
	struct ike_suite	 s;
	struct ike_sk_key	 k;
	struct ike_msg		 m;
	struct ike_err		 err;
	const struct ike_pl	*sk;
	uint8_t			*plain, *exact;
	size_t			 plen = 0;
	int			 rc = -1;

	memset(&err, 0, sizeof(err));
	if (ike_msg_decode(buf, len, &m, &err) == -1 || m.sk < 0)
		return -1;
	fuzz_sk_suite(which, &s, &k);
	sk = &m.pl[m.sk];
	if ((plain = malloc(sk->len > 0 ? sk->len : 1)) == NULL)
		abort();
	if (ike_sk_open(&s, &k, buf, (size_t)(sk->body - buf), sk->body,
	    sk->len, plain, &plen) == 0) {
		FUZZ_CHECK(plen <= sk->len);
		/* exactly plen bytes, so a read past them is caught */
		if ((exact = malloc(plen > 0 ? plen : 1)) == NULL)
			abort();
		memcpy(exact, plain, plen);
		if (ike_msg_decode_inner(&m, exact, plen, &err) == 0)
			rc = fuzz_payloads(&m);
		else
			FUZZ_CHECK(err.text[0] != '\0');
		free(exact);
	}
	free(plain);
	return rc;
}

#endif
