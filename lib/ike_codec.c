/* ike_codec: IKEv2 messages on the wire (RFC 7296 section 3): the
 * header, the payload chains, the payload table and the encoder. The
 * payload bodies are decoded in ike_payload.c.
 *
 * Decoding reads through a cursor (struct rd, ike_rd.h) that cannot
 * overrun: every read is checked, each payload is carved as a sub-view of
 * exactly its declared length, and each chain ends with an "anything
 * left?" check. Every error says which sizes disagreed. The payload table
 * (ike_msg_check) runs before any handler sees a message.
 *
 * Encoding appends to a caller's buffer; an overflow or a bad argument is
 * recorded once in e->err and checked by ike_enc_finish. */
#include <stdio.h>
#include <string.h>

#include "ike_codec.h"
#include "ike_rd.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- header and payload chains ---- */

int
ike_hdr_decode(const uint8_t *buf, size_t len, struct ike_hdr *h,
    struct ike_err *err)
{
	struct rd	 r;

	/* Too short to name the SAs: nothing to answer. */
	if (len < IKE_HDR_LEN)
		return fail(err, 0, "message: %zu bytes < %d-byte header",
		    len, IKE_HDR_LEN);
	rd_init(&r, buf, len);
	if (rd_copy(&r, h->spi_i, 8) == -1 || rd_copy(&r, h->spi_r, 8) == -1 ||
	    rd_u8(&r, &h->next) == -1 || rd_u8(&r, &h->version) == -1 ||
	    rd_u8(&r, &h->exchange) == -1 || rd_u8(&r, &h->flags) == -1 ||
	    rd_u32(&r, &h->msgid) == -1 || rd_u32(&r, &h->length) == -1)
		return fail(err, 0, "message: %zu bytes < %d-byte header",
		    len, IKE_HDR_LEN);
	/* 3.1: the minor version and the reserved flag bits are ignored;
	 * another major version is refused before its length is trusted. */
	if (h->version >> 4 != IKE_VERSION >> 4)
		return fail(err, IKE_N_INVALID_MAJOR_VERSION,
		    "message: major version %u, not %u", h->version >> 4,
		    IKE_VERSION >> 4);
	if (h->length != len)
		return fail(err, SYNTAX, "message: length field %u != %zu "
		    "bytes received", h->length, len);
	if (h->length > IKE_MSG_LIMIT)
		return fail(err, 0, "message: %u bytes > limit %d", h->length,
		    IKE_MSG_LIMIT);
	return 0;
}

/* Payload types of RFC 7296 3.2 (SA..EAP): anything else is unknown. */
static int
pl_known(uint8_t type)
{
	return type >= IKE_PL_SA && type <= IKE_PL_EAP;
}

static int
pl_add(struct ike_msg *m, uint8_t type, uint8_t flags, const struct rd *body,
    int inner, struct ike_err *err)
{
	struct ike_pl	*p;

	if (m->npl == IKE_MAX_PAYLOADS)
		return fail(err, SYNTAX, "message: more than %d payloads",
		    IKE_MAX_PAYLOADS);
	p = &m->pl[m->npl];
	p->type = type;
	p->critical = (flags & IKE_PL_CRITICAL) != 0;
	p->body = body->p;
	p->len = body->left;
	m->inner[m->npl] = (uint8_t)inner;
	m->npl++;
	if (inner)
		m->ninner++;
	return 0;
}

/* A payload chain starting with type next (RFC 7296 3.2), into m->pl.
 * Outer: stops at SK, which must end the message (3.14). Inner: the
 * decrypted payloads, where SK cannot appear. */
static int
chain_walk(struct ike_msg *m, struct rd *r, uint8_t next, int inner,
    struct ike_err *err)
{
	const char	*where = inner ? "SK plaintext" : "message";
	struct rd	 body;
	uint8_t		 type, flags;
	uint16_t	 len;
	size_t		 left;

	while (next != IKE_PL_NONE) {
		type = next;
		left = r->left;
		if (rd_u8(r, &next) == -1 || rd_u8(r, &flags) == -1 ||
		    rd_u16(r, &len) == -1)
			return fail(err, SYNTAX, "%s: %s payload: %zu bytes "
			    "left < %d-byte header", where,
			    ike_payload_name(type), left, IKE_PAYLOAD_HDR_LEN);
		if (len < IKE_PAYLOAD_HDR_LEN)
			return fail(err, SYNTAX, "%s: %s payload: length %u "
			    "< %d", where, ike_payload_name(type), len,
			    IKE_PAYLOAD_HDR_LEN);
		if (len > left)
			return fail(err, SYNTAX, "%s: %s payload: length %u "
			    "> %zu bytes left", where, ike_payload_name(type),
			    len, left);
		if (rd_sub(r, len - IKE_PAYLOAD_HDR_LEN, &body) == -1)
			return fail(err, SYNTAX, "%s: %s payload cut", where,
			    ike_payload_name(type));
		if (!pl_known(type)) {
			/* 2.5: skip what we do not know, unless critical */
			if (flags & IKE_PL_CRITICAL)
				return fail(err,
				    IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD,
				    "%s: payload type %u is unknown and "
				    "critical", where, type);
			continue;
		}
		if (type == IKE_PL_SK && inner)
			return fail(err, SYNTAX, "SK plaintext: SK payload "
			    "inside SK");
		if (pl_add(m, type, flags, &body, inner, err) == -1)
			return -1;
		if (type == IKE_PL_SK) {
			/* 3.14: SK is the last payload; its next-payload
			 * field names the first one inside. */
			if (r->left != 0)
				return fail(err, SYNTAX, "message: %zu bytes "
				    "after the SK payload (it must be last)",
				    r->left);
			m->sk = (int)m->npl - 1;
			m->sk_next = next;
			return 0;
		}
	}
	if (r->left != 0)
		return fail(err, SYNTAX, "%s: %zu bytes after the last "
		    "payload", where, r->left);
	return 0;
}

int
ike_msg_decode(const uint8_t *buf, size_t len, struct ike_msg *m,
    struct ike_err *err)
{
	struct rd	 r;

	memset(m, 0, sizeof(*m));
	m->sk = -1;
	if (ike_hdr_decode(buf, len, &m->h, err) == -1)
		return -1;
	m->raw = buf;
	m->rawlen = len;
	rd_init(&r, buf + IKE_HDR_LEN, len - IKE_HDR_LEN);
	return chain_walk(m, &r, m->h.next, 0, err);
}

int
ike_msg_decode_inner(struct ike_msg *m, const uint8_t *plain, size_t len,
    struct ike_err *err)
{
	struct rd	 r;

	if (m->sk < 0)
		return fail(err, SYNTAX, "SK plaintext: the message has no "
		    "SK payload");
	if (m->npl != (size_t)m->sk + 1)
		return fail(err, SYNTAX, "SK plaintext: already decoded");
	rd_init(&r, plain, len);
	return chain_walk(m, &r, m->sk_next, 1, err);
}

const struct ike_pl *
ike_msg_find(const struct ike_msg *m, uint8_t type, size_t *from)
{
	size_t	 i;

	for (i = from != NULL ? *from : 0; i < m->npl; i++)
		if (m->pl[i].type == type) {
			if (from != NULL)
				*from = i + 1;
			return &m->pl[i];
		}
	return NULL;
}

const struct ike_pl *
ike_msg_notify(const struct ike_msg *m, uint16_t type)
{
	const struct ike_pl	*p;
	struct ike_notify	 n;
	size_t			 from = 0;

	while ((p = ike_msg_find(m, IKE_PL_NOTIFY, &from)) != NULL)
		if (ike_notify_decode(p, &n, NULL) == 0 && n.type == type)
			return p;
	return NULL;
}

/* ---- the payload table (RFC 7296 1.2-1.5) ----
 * One list per exchange and direction: each payload allowed, how often
 * (min, max) and whether it travels inside SK. Any payload not listed is
 * refused. Notify and Vendor ID may come with any message (3.10, 3.12). */

#define ANY	IKE_MAX_PAYLOADS	/* no limit but the message's */
#define PLAIN	0
#define ENC	1

struct pl_rule {
	uint8_t		 type;
	uint8_t		 min, max;
	uint8_t		 enc;
};

/* 1.2: HDR, SAi1, KEi, Ni -->, with N(COOKIE) (2.6), N(NAT-D) (2.23) */
static const struct pl_rule rules_sa_init_req[] = {
	{ IKE_PL_SA,		1, 1,	PLAIN },
	{ IKE_PL_KE,		1, 1,	PLAIN },
	{ IKE_PL_NONCE,		1, 1,	PLAIN },
	{ IKE_PL_NOTIFY,	0, ANY,	PLAIN },
	{ IKE_PL_VENDOR,	0, ANY,	PLAIN },
	{ IKE_PL_NONE,		0, 0,	0 }
};
/* 1.2: <-- HDR, SAr1, KEr, Nr, [CERTREQ] (3.7: one per kind of key);
 * 2.6: <-- HDR, N(COOKIE); 1.2: <-- HDR, N(INVALID_KE_PAYLOAD) */
static const struct pl_rule rules_sa_init_resp[] = {
	{ IKE_PL_SA,		1, 1,	PLAIN },
	{ IKE_PL_KE,		1, 1,	PLAIN },
	{ IKE_PL_NONCE,		1, 1,	PLAIN },
	{ IKE_PL_CERTREQ,	0, ANY,	PLAIN },
	{ IKE_PL_NOTIFY,	0, ANY,	PLAIN },
	{ IKE_PL_VENDOR,	0, ANY,	PLAIN },
	{ IKE_PL_NONE,		0, 0,	0 }
};
/* 1.2: HDR, SK {IDi, [CERT,] [CERTREQ,] [IDr,] AUTH, SAi2, TSi, TSr} -->
 * AUTH is required: no EAP here. SAi2/TSi/TSr may be left out for an
 * IKE SA without a Child SA (RFC 6023). CERT: a chain (3.6); CP: 3.15. */
static const struct pl_rule rules_auth_req[] = {
	{ IKE_PL_SK,		1, 1,	PLAIN },
	{ IKE_PL_IDI,		1, 1,	ENC },
	{ IKE_PL_CERT,		0, ANY,	ENC },
	{ IKE_PL_CERTREQ,	0, ANY,	ENC },
	{ IKE_PL_IDR,		0, 1,	ENC },
	{ IKE_PL_AUTH,		1, 1,	ENC },
	{ IKE_PL_SA,		0, 1,	ENC },
	{ IKE_PL_TSI,		0, 1,	ENC },
	{ IKE_PL_TSR,		0, 1,	ENC },
	{ IKE_PL_CP,		0, 1,	ENC },
	{ IKE_PL_NOTIFY,	0, ANY,	ENC },
	{ IKE_PL_VENDOR,	0, ANY,	ENC },
	{ IKE_PL_NONE,		0, 0,	0 }
};
/* 1.2: <-- HDR, SK {IDr, [CERT,] AUTH, SAr2, TSi, TSr}; without the
 * Child SA parts when its creation failed (2.21.2). */
static const struct pl_rule rules_auth_resp[] = {
	{ IKE_PL_SK,		1, 1,	PLAIN },
	{ IKE_PL_IDR,		1, 1,	ENC },
	{ IKE_PL_CERT,		0, ANY,	ENC },
	{ IKE_PL_AUTH,		1, 1,	ENC },
	{ IKE_PL_SA,		0, 1,	ENC },
	{ IKE_PL_TSI,		0, 1,	ENC },
	{ IKE_PL_TSR,		0, 1,	ENC },
	{ IKE_PL_CP,		0, 1,	ENC },
	{ IKE_PL_NOTIFY,	0, ANY,	ENC },
	{ IKE_PL_VENDOR,	0, ANY,	ENC },
	{ IKE_PL_NONE,		0, 0,	0 }
};
/* Request and response carry the same payloads:
 * 1.3.1: HDR, SK {SA, Ni, [KEi], TSi, TSr} --> (a Child SA)
 *        <-- HDR, SK {SA, Nr, [KEr], TSi, TSr}
 * 1.3.2: HDR, SK {SA, Ni, KEi} --> (IKE SA rekey: no TS)
 *        <-- HDR, SK {SA, Nr, KEr}
 * 1.3.3: HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr} --> */
static const struct pl_rule rules_child[] = {
	{ IKE_PL_SK,		1, 1,	PLAIN },
	{ IKE_PL_SA,		1, 1,	ENC },
	{ IKE_PL_NONCE,		1, 1,	ENC },
	{ IKE_PL_KE,		0, 1,	ENC },
	{ IKE_PL_TSI,		0, 1,	ENC },
	{ IKE_PL_TSR,		0, 1,	ENC },
	{ IKE_PL_NOTIFY,	0, ANY,	ENC },
	{ IKE_PL_VENDOR,	0, ANY,	ENC },
	{ IKE_PL_NONE,		0, 0,	0 }
};
/* 1.4: HDR, SK {[N,] [D,] [CP,] ...} <--> (empty: liveness, 2.4) */
static const struct pl_rule rules_info[] = {
	{ IKE_PL_SK,		1, 1,	PLAIN },
	{ IKE_PL_NOTIFY,	0, ANY,	ENC },
	{ IKE_PL_DELETE,	0, ANY,	ENC },
	{ IKE_PL_CP,		0, 1,	ENC },
	{ IKE_PL_VENDOR,	0, ANY,	ENC },
	{ IKE_PL_NONE,		0, 0,	0 }
};

static const struct {
	uint8_t			 exchange;
	uint8_t			 response;
	const struct pl_rule	*rules;
} msg_rules[] = {
	{ IKE_SA_INIT,		0, rules_sa_init_req },
	{ IKE_SA_INIT,		1, rules_sa_init_resp },
	{ IKE_AUTH,		0, rules_auth_req },
	{ IKE_AUTH,		1, rules_auth_resp },
	{ IKE_CREATE_CHILD_SA,	0, rules_child },
	{ IKE_CREATE_CHILD_SA,	1, rules_child },
	{ IKE_INFORMATIONAL,	0, rules_info },
	{ IKE_INFORMATIONAL,	1, rules_info },
};

static const struct pl_rule *
rule_find(const struct pl_rule *rules, uint8_t type)
{
	for (; rules->type != IKE_PL_NONE; rules++)
		if (rules->type == type)
			return rules;
	return NULL;
}

/* Does the message carry an error notify (< 16384: 3.10.1), or, in an
 * IKE_SA_INIT response, a COOKIE (2.6)? Then minimums are waived. */
static int
check_waived(const struct ike_msg *m, int resp, int *waived,
    struct ike_err *err)
{
	struct ike_notify	 n;
	size_t			 i;

	*waived = 0;
	for (i = 0; i < m->npl; i++) {
		if (m->pl[i].type != IKE_PL_NOTIFY)
			continue;
		if (ike_notify_decode(&m->pl[i], &n, err) == -1)
			return -1;
		if ((n.type != 0 && n.type <= IKE_N_ERROR_MAX) ||
		    (m->h.exchange == IKE_SA_INIT && resp &&
		    n.type == IKE_N_COOKIE))
			*waived = 1;
	}
	return 0;
}

int
ike_msg_check(const struct ike_msg *m, struct ike_err *err)
{
	const struct pl_rule	*rules = NULL, *r;
	unsigned		 count[256];
	const char		*dir;
	uint16_t		 bad;
	int			 resp, waived;
	size_t			 i;

	resp = (m->h.flags & IKE_FLAG_RESPONSE) != 0;
	dir = resp ? "response" : "request";
	bad = resp ? 0 : SYNTAX;	/* a response is never answered */
	for (i = 0; i < nitems(msg_rules); i++)
		if (msg_rules[i].exchange == m->h.exchange &&
		    msg_rules[i].response == resp)
			rules = msg_rules[i].rules;
	if (rules == NULL)
		return fail(err, bad, "exchange type %u unknown",
		    m->h.exchange);
	memset(count, 0, sizeof(count));
	for (i = 0; i < m->npl; i++) {
		const struct ike_pl *p = &m->pl[i];

		if ((r = rule_find(rules, p->type)) == NULL)
			return fail(err, bad, "%s %s: %s payload not allowed",
			    ike_exchange_name(m->h.exchange), dir,
			    ike_payload_name(p->type));
		if (r->enc != m->inner[i])
			return fail(err, bad, "%s %s: %s payload %s SK",
			    ike_exchange_name(m->h.exchange), dir,
			    ike_payload_name(p->type),
			    r->enc ? "outside" : "inside");
		if (++count[p->type] > r->max)
			return fail(err, bad, "%s %s: %u %s payloads > %u",
			    ike_exchange_name(m->h.exchange), dir,
			    count[p->type], ike_payload_name(p->type), r->max);
	}
	if (check_waived(m, resp, &waived, err) == -1) {
		if (err != NULL)
			err->notify = bad;
		return -1;
	}
	for (r = rules; r->type != IKE_PL_NONE; r++) {
		if (waived && r->type != IKE_PL_SK)
			continue;
		if (count[r->type] < r->min)
			return fail(err, bad, "%s %s: %u %s payloads < %u",
			    ike_exchange_name(m->h.exchange), dir,
			    count[r->type], ike_payload_name(r->type), r->min);
	}
	return 0;
}

/* ---- encoding ---- */

#define NP_NONE		SIZE_MAX	/* no payload yet to patch */
#define NP_SEALED	(SIZE_MAX - 1)	/* SK written: nothing follows */

static void
enc_put(struct ike_enc *e, const void *p, size_t n)
{
	if (e->err)
		return;
	if (n > e->cap - e->len || (p == NULL && n > 0)) {
		e->err = 1;
		return;
	}
	if (n > 0)
		memcpy(e->buf + e->len, p, n);
	e->len += n;
}

static void
enc_u8(struct ike_enc *e, unsigned v)
{
	uint8_t	 b = (uint8_t)v;

	enc_put(e, &b, 1);
}

static void
enc_u16(struct ike_enc *e, unsigned v)
{
	uint8_t	 b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	enc_put(e, b, 2);
}

static void
enc_zero(struct ike_enc *e, size_t n)
{
	static const uint8_t zero[4];

	enc_put(e, zero, n);
}

/* A 16-bit length at off (already written): the bytes from start on. */
static void
enc_patch_len(struct ike_enc *e, size_t off, size_t start)
{
	size_t	 n;

	if (e->err)
		return;
	n = e->len - start;
	if (n > 0xffff) {
		e->err = 1;
		return;
	}
	e->buf[off] = (uint8_t)(n >> 8);
	e->buf[off + 1] = (uint8_t)n;
}

void
ike_enc_msg(struct ike_enc *e, uint8_t *buf, size_t cap,
    const struct ike_hdr *h)
{
	memset(e, 0, sizeof(*e));
	e->buf = buf;
	e->cap = buf != NULL ? cap : 0;
	e->hdr = 1;
	e->np = 16;
	enc_put(e, h->spi_i, 8);
	enc_put(e, h->spi_r, 8);
	enc_u8(e, IKE_PL_NONE);
	enc_u8(e, h->version != 0 ? h->version : IKE_VERSION);
	enc_u8(e, h->exchange);
	enc_u8(e, h->flags);
	enc_u16(e, h->msgid >> 16);
	enc_u16(e, h->msgid & 0xffff);
	enc_zero(e, 4);			/* length: ike_enc_finish */
}

void
ike_enc_chain(struct ike_enc *e, uint8_t *buf, size_t cap)
{
	memset(e, 0, sizeof(*e));
	e->buf = buf;
	e->cap = buf != NULL ? cap : 0;
	e->np = NP_NONE;
}

/* The generic header (3.2): the previous next-payload byte becomes type;
 * next 0, not critical (2.5: 0 for the types of RFC 7296). */
static void
enc_open(struct ike_enc *e, uint8_t type)
{
	if (e->err)
		return;
	if (e->np == NP_SEALED) {
		e->err = 1;
		return;
	}
	if (e->first == IKE_PL_NONE)
		e->first = type;
	if (e->np != NP_NONE)
		e->buf[e->np] = type;
	e->start = e->len;
	e->np = e->len;
	enc_u8(e, IKE_PL_NONE);
	enc_u8(e, 0);
	enc_u16(e, 0);
}

static void
enc_close(struct ike_enc *e)
{
	enc_patch_len(e, e->start + 2, e->start);
}

/* 3.3.2, 3.3.5 */
static void
enc_xform(struct ike_enc *e, const struct ike_xform *xf, int last)
{
	size_t	 start = e->len;

	enc_u8(e, last ? 0 : 3);
	enc_u8(e, 0);
	enc_u16(e, 0);
	enc_u8(e, xf->type);
	enc_u8(e, 0);
	enc_u16(e, xf->id);
	if (xf->keylen != 0) {
		enc_u16(e, IKE_ATTR_TV | IKE_ATTR_KEY_LENGTH);
		enc_u16(e, xf->keylen);
	}
	enc_patch_len(e, start + 2, start);
}

/* 3.3.1 */
static void
enc_prop(struct ike_enc *e, const struct ike_prop *p, int last)
{
	size_t	 start = e->len, i;

	if (p->spi_len > sizeof(p->spi) || p->nxf == 0 ||
	    p->nxf > IKE_MAX_XFORMS) {
		e->err = 1;
		return;
	}
	enc_u8(e, last ? 0 : 2);
	enc_u8(e, 0);
	enc_u16(e, 0);
	enc_u8(e, p->num);
	enc_u8(e, p->proto);
	enc_u8(e, p->spi_len);
	enc_u8(e, (unsigned)p->nxf);
	enc_put(e, p->spi, p->spi_len);
	for (i = 0; i < p->nxf; i++)
		enc_xform(e, &p->xf[i], i + 1 == p->nxf);
	enc_patch_len(e, start + 2, start);
}

void
ike_enc_sa(struct ike_enc *e, const struct ike_prop *p, size_t n)
{
	size_t	 i;

	if (n == 0 || p == NULL) {
		e->err = 1;
		return;
	}
	enc_open(e, IKE_PL_SA);
	for (i = 0; i < n; i++)
		enc_prop(e, &p[i], i + 1 == n);
	enc_close(e);
}

void
ike_enc_ke(struct ike_enc *e, uint16_t group, const uint8_t *data,
    size_t len)
{
	enc_open(e, IKE_PL_KE);
	enc_u16(e, group);
	enc_u16(e, 0);
	enc_put(e, data, len);
	enc_close(e);
}

void
ike_enc_nonce(struct ike_enc *e, const uint8_t *n, size_t len)
{
	enc_open(e, IKE_PL_NONCE);
	enc_put(e, n, len);
	enc_close(e);
}

void
ike_enc_id(struct ike_enc *e, uint8_t type, uint8_t id_type,
    const uint8_t *data, size_t len)
{
	if (type != IKE_PL_IDI && type != IKE_PL_IDR) {
		e->err = 1;
		return;
	}
	enc_open(e, type);
	enc_u8(e, id_type);
	enc_zero(e, 3);
	enc_put(e, data, len);
	enc_close(e);
}

void
ike_enc_auth(struct ike_enc *e, uint8_t method, const uint8_t *data,
    size_t len)
{
	enc_open(e, IKE_PL_AUTH);
	enc_u8(e, method);
	enc_zero(e, 3);
	enc_put(e, data, len);
	enc_close(e);
}

void
ike_enc_notify(struct ike_enc *e, uint8_t proto, const uint8_t *spi,
    size_t spi_len, uint16_t type, const uint8_t *data, size_t len)
{
	if (spi_len > 0xff) {
		e->err = 1;
		return;
	}
	enc_open(e, IKE_PL_NOTIFY);
	enc_u8(e, proto);
	enc_u8(e, (unsigned)spi_len);
	enc_u16(e, type);
	enc_put(e, spi, spi_len);
	enc_put(e, data, len);
	enc_close(e);
}

void
ike_enc_delete(struct ike_enc *e, uint8_t proto, uint8_t spi_len,
    const uint8_t *spis, uint16_t nspi)
{
	enc_open(e, IKE_PL_DELETE);
	enc_u8(e, proto);
	enc_u8(e, spi_len);
	enc_u16(e, nspi);
	enc_put(e, spis, (size_t)spi_len * nspi);
	enc_close(e);
}

void
ike_enc_ts(struct ike_enc *e, uint8_t type, const struct ike_ts *ts,
    size_t n)
{
	size_t	 i, alen;

	if ((type != IKE_PL_TSI && type != IKE_PL_TSR) || n == 0 || n > 0xff) {
		e->err = 1;
		return;
	}
	enc_open(e, type);
	enc_u8(e, (unsigned)n);
	enc_zero(e, 3);
	for (i = 0; i < n; i++) {
		if (ts[i].type == IKE_TS_IPV4_ADDR_RANGE)
			alen = 4;
		else if (ts[i].type == IKE_TS_IPV6_ADDR_RANGE)
			alen = 16;
		else {
			e->err = 1;
			return;
		}
		enc_u8(e, ts[i].type);
		enc_u8(e, ts[i].ipproto);
		enc_u16(e, (unsigned)(8 + 2 * alen));
		enc_u16(e, ts[i].sport);
		enc_u16(e, ts[i].eport);
		enc_put(e, ts[i].start, alen);
		enc_put(e, ts[i].end, alen);
	}
	enc_close(e);
}

void
ike_enc_vendor(struct ike_enc *e, const uint8_t *id, size_t len)
{
	enc_open(e, IKE_PL_VENDOR);
	enc_put(e, id, len);
	enc_close(e);
}

/* 3.14: the SK payload ends the message; its next-payload field names
 * the first payload inside. */
void
ike_enc_sk_header(struct ike_enc *e, uint8_t inner_first, size_t body_len)
{
	if (body_len > 0xffff - IKE_PAYLOAD_HDR_LEN) {
		e->err = 1;
		return;
	}
	enc_open(e, IKE_PL_SK);
	if (e->err)
		return;
	e->buf[e->start] = inner_first;
	e->buf[e->start + 2] = (uint8_t)((IKE_PAYLOAD_HDR_LEN + body_len) >> 8);
	e->buf[e->start + 3] = (uint8_t)(IKE_PAYLOAD_HDR_LEN + body_len);
	e->np = NP_SEALED;
}

uint8_t *
ike_enc_reserve(struct ike_enc *e, size_t len)
{
	uint8_t	*p;

	if (e->err)
		return NULL;
	if (len > e->cap - e->len) {
		e->err = 1;
		return NULL;
	}
	p = e->buf + e->len;
	memset(p, 0, len);
	e->len += len;
	return p;
}

long
ike_enc_finish(struct ike_enc *e)
{
	size_t	 sklen;

	if (e->err)
		return -1;
	if (e->np == NP_SEALED) {
		sklen = (size_t)e->buf[e->start + 2] << 8 |
		    e->buf[e->start + 3];
		if (e->len != e->start + sklen) {
			e->err = 1;
			return -1;
		}
	}
	if (!e->hdr)
		return (long)e->len;
	if (e->len > IKE_MSG_LIMIT) {
		e->err = 1;
		return -1;
	}
	e->buf[24] = (uint8_t)(e->len >> 24);
	e->buf[25] = (uint8_t)(e->len >> 16);
	e->buf[26] = (uint8_t)(e->len >> 8);
	e->buf[27] = (uint8_t)e->len;
	return (long)e->len;
}
