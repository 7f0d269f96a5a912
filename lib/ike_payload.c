/* ike_payload: the bodies of IKEv2 payloads (RFC 7296 3.3-3.13), each
 * validated in full before it is interpreted: every length against the
 * bytes left, nested substructures as sub-views of their declared length,
 * and nothing left over. Errors are INVALID_SYNTAX with both sizes. */
#include <stdio.h>
#include <string.h>

#include "ike_codec.h"
#include "ike_rd.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define XF_UNUSABLE	0xffff	/* a transform id that never matches */

/* 3.3.5: Key Length (TV) is the only attribute defined; another, a
 * repeated one or a TLV one makes the transform unusable (3.3.6). */
static int
sa_attrs(struct rd *r, struct ike_xform *xf, const char *where,
    struct ike_err *err)
{
	const uint8_t	*skip;
	uint16_t	 type, val;
	size_t		 left;

	while (r->left > 0) {
		left = r->left;
		if (rd_u16(r, &type) == -1 || rd_u16(r, &val) == -1)
			return fail(err, SYNTAX, "%s: attribute: %zu bytes < 4",
			    where, left);
		if ((type & IKE_ATTR_TV) == 0) {
			if (rd_view(r, val, &skip) == -1)
				return fail(err, SYNTAX, "%s: attribute length "
				    "%u > %zu bytes left", where, val, r->left);
			xf->id = XF_UNUSABLE;
		} else if ((type & ~IKE_ATTR_TV) != IKE_ATTR_KEY_LENGTH ||
		    xf->keylen != 0 || val == 0)
			xf->id = XF_UNUSABLE;
		else
			xf->keylen = val;
	}
	return 0;
}

/* 3.3.2: one transform substructure; last = it is the proposal's last. */
static int
sa_xform(struct rd *r, int last, struct ike_xform *xf, const char *where,
    struct ike_err *err)
{
	struct rd	 sub;
	uint8_t		 more, rsv, type;
	uint16_t	 len, id;
	size_t		 left = r->left;

	if (rd_u8(r, &more) == -1 || rd_u8(r, &rsv) == -1 ||
	    rd_u16(r, &len) == -1)
		return fail(err, SYNTAX, "%s: %zu bytes < 8-byte header",
		    where, left);
	if (len < 8)
		return fail(err, SYNTAX, "%s: length %u < 8", where, len);
	if (len > left)
		return fail(err, SYNTAX, "%s: length %u > %zu bytes left",
		    where, len, left);
	if (rd_sub(r, len - 4, &sub) == -1 || rd_u8(&sub, &type) == -1 ||
	    rd_u8(&sub, &rsv) == -1 || rd_u16(&sub, &id) == -1)
		return fail(err, SYNTAX, "%s: cut at %u bytes", where, len);
	/* 3.3.2: 0 on the last transform, 3 on the others */
	if (more != (last ? 0 : 3))
		return fail(err, SYNTAX, "%s: last-substructure %u, not %u",
		    where, more, last ? 0 : 3);
	xf->type = type;
	xf->id = id;
	xf->keylen = 0;
	return sa_attrs(&sub, xf, where, err);
}

/* 3.3.1: SPI sizes: IKE 0 (IKE_SA_INIT) or 8 (rekey, 1.3.2); AH/ESP 4. */
static int
sa_spi_ok(uint8_t proto, uint8_t spi_len)
{
	if (proto == IKE_PROTO_IKE)
		return spi_len == 0 || spi_len == 8;
	if (proto == IKE_PROTO_AH || proto == IKE_PROTO_ESP)
		return spi_len == 4;
	return 0;
}

static int
sa_prop_body(struct rd *sub, struct ike_prop *p, struct ike_err *err)
{
	char		 where[48];
	uint8_t		 nxf;
	size_t		 i;

	if (rd_u8(sub, &p->num) == -1 || rd_u8(sub, &p->proto) == -1 ||
	    rd_u8(sub, &p->spi_len) == -1 || rd_u8(sub, &nxf) == -1)
		return fail(err, SYNTAX, "SA payload: proposal cut");
	if (p->proto < IKE_PROTO_IKE || p->proto > IKE_PROTO_ESP)
		return fail(err, SYNTAX, "SA payload: proposal %u: protocol "
		    "%u unknown", p->num, p->proto);
	if (!sa_spi_ok(p->proto, p->spi_len))
		return fail(err, SYNTAX, "SA payload: proposal %u: SPI size "
		    "%u wrong for protocol %u", p->num, p->spi_len, p->proto);
	memset(p->spi, 0, sizeof(p->spi));
	if (rd_copy(sub, p->spi, p->spi_len) == -1)
		return fail(err, SYNTAX, "SA payload: proposal %u: SPI size %u "
		    "> %zu bytes left", p->num, p->spi_len, sub->left);
	if (nxf == 0 || nxf > IKE_MAX_XFORMS)
		return fail(err, SYNTAX, "SA payload: proposal %u: %u "
		    "transforms, 1 to %d allowed", p->num, nxf,
		    IKE_MAX_XFORMS);
	for (i = 0; i < nxf; i++) {
		if (sub->left == 0)
			return fail(err, SYNTAX, "SA payload: proposal %u: %u "
			    "transforms declared, %zu present", p->num, nxf, i);
		snprintf(where, sizeof(where), "SA payload: proposal %u "
		    "transform %zu", p->num, i + 1);
		if (sa_xform(sub, i + 1 == nxf, &p->xf[i], where, err) == -1)
			return -1;
	}
	p->nxf = nxf;
	if (sub->left != 0)
		return fail(err, SYNTAX, "SA payload: proposal %u: %zu bytes "
		    "after its %u transforms", p->num, sub->left, nxf);
	return 0;
}

/* 3.3.1: one proposal substructure; *last = it was marked last. */
static int
sa_prop(struct rd *r, uint8_t prev, struct ike_prop *p, int *last,
    struct ike_err *err)
{
	struct rd	 sub;
	uint8_t		 more, rsv;
	uint16_t	 len;
	size_t		 left = r->left;

	if (rd_u8(r, &more) == -1 || rd_u8(r, &rsv) == -1 ||
	    rd_u16(r, &len) == -1)
		return fail(err, SYNTAX, "SA payload: %zu bytes < 8-byte "
		    "proposal header", left);
	if (len < 8)
		return fail(err, SYNTAX, "SA payload: proposal length %u < 8",
		    len);
	if (len > left)
		return fail(err, SYNTAX, "SA payload: proposal length %u > %zu "
		    "bytes left", len, left);
	if (rd_sub(r, len - 4, &sub) == -1 ||
	    sa_prop_body(&sub, p, err) == -1)
		return -1;
	/* 3.3.1: the first is number 1, then one more each (a response
	 * carries the one chosen, with its number) */
	if (p->num == 0 || (prev != 0 && p->num != prev + 1))
		return fail(err, SYNTAX, "SA payload: proposal number %u "
		    "after %u", p->num, prev);
	/* 3.3.1: 0 on the last proposal, 2 on the others */
	if (more != 0 && more != 2)
		return fail(err, SYNTAX, "SA payload: proposal %u: "
		    "last-substructure %u, not 0 or 2", p->num, more);
	*last = more == 0;
	if (*last && r->left != 0)
		return fail(err, SYNTAX, "SA payload: proposal %u is marked "
		    "last but %zu bytes follow", p->num, r->left);
	if (!*last && r->left == 0)
		return fail(err, SYNTAX, "SA payload: proposal %u is marked "
		    "not last but 0 bytes follow", p->num);
	return 0;
}

int
ike_sa_decode(const struct ike_pl *p, struct ike_prop *out, size_t max,
    size_t *n, struct ike_err *err)
{
	struct rd	 r;
	uint8_t		 prev = 0;
	int		 last = 0;

	*n = 0;
	rd_init(&r, p->body, p->len);
	if (r.left == 0)
		return fail(err, SYNTAX, "SA payload: no proposals");
	while (!last) {
		if (*n == max)
			return fail(err, SYNTAX, "SA payload: more than %zu "
			    "proposals", max);
		if (sa_prop(&r, prev, &out[*n], &last, err) == -1)
			return -1;
		prev = out[*n].num;
		(*n)++;
	}
	return 0;
}

/* 3.4 */
int
ike_ke_decode(const struct ike_pl *p, struct ike_ke *out,
    struct ike_err *err)
{
	struct rd	 r;
	uint16_t	 rsv;

	rd_init(&r, p->body, p->len);
	if (rd_u16(&r, &out->group) == -1 || rd_u16(&r, &rsv) == -1 ||
	    r.left == 0)
		return fail(err, SYNTAX, "KE payload: %zu bytes < 5 (group, "
		    "reserved, data)", p->len);
	out->len = r.left;
	return rd_view(&r, r.left, &out->data);
}

/* 3.5; an address has its exact size. */
int
ike_id_decode(const struct ike_pl *p, struct ike_id *out,
    struct ike_err *err)
{
	struct rd	 r;
	const uint8_t	*rsv;
	size_t		 want = 0;

	rd_init(&r, p->body, p->len);
	if (rd_u8(&r, &out->type) == -1 || rd_view(&r, 3, &rsv) == -1 ||
	    r.left == 0)
		return fail(err, SYNTAX, "ID payload: %zu bytes < 5 (type, "
		    "reserved, data)", p->len);
	if (out->type == IKE_ID_IPV4_ADDR)
		want = 4;
	else if (out->type == IKE_ID_IPV6_ADDR)
		want = 16;
	if (want != 0 && r.left != want)
		return fail(err, SYNTAX, "ID payload: %s of %zu bytes, not %zu",
		    ike_id_type_name(out->type), r.left, want);
	out->len = r.left;
	out->body = p->body;
	out->bodylen = p->len;
	return rd_view(&r, r.left, &out->data);
}

/* 3.8 */
int
ike_auth_decode(const struct ike_pl *p, struct ike_auth *out,
    struct ike_err *err)
{
	struct rd	 r;
	const uint8_t	*rsv;

	rd_init(&r, p->body, p->len);
	if (rd_u8(&r, &out->method) == -1 || rd_view(&r, 3, &rsv) == -1 ||
	    r.left == 0)
		return fail(err, SYNTAX, "AUTH payload: %zu bytes < 5 (method, "
		    "reserved, data)", p->len);
	out->len = r.left;
	return rd_view(&r, r.left, &out->data);
}

/* 3.9, 2.10 */
int
ike_nonce_decode(const struct ike_pl *p, const uint8_t **data, size_t *len,
    struct ike_err *err)
{
	if (p->len < IKE_NONCE_MIN || p->len > IKE_NONCE_MAX)
		return fail(err, SYNTAX, "Nonce payload: %zu bytes, %d to %d "
		    "allowed", p->len, IKE_NONCE_MIN, IKE_NONCE_MAX);
	*data = p->body;
	*len = p->len;
	return 0;
}

/* Notification data of a fixed or bounded size (3.10.1 and where each
 * type is defined). */
static const struct {
	uint16_t	 type;
	uint16_t	 min, max;
} notify_sizes[] = {
	{ IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, 1, 1 },	/* 3.10.1 */
	{ IKE_N_INVALID_KE_PAYLOAD, 2, 2 },		/* 1.2: the group */
	{ IKE_N_COOKIE, 1, 64 },			/* 2.6 */
	{ IKE_N_SET_WINDOW_SIZE, 4, 4 },		/* 2.3 */
	{ IKE_N_NAT_DETECTION_SOURCE_IP, 20, 20 },	/* 2.23: SHA-1 */
	{ IKE_N_NAT_DETECTION_DESTINATION_IP, 20, 20 },
};

/* 3.10: an SPI of 4 bytes names an ESP or AH SA; 8 an IKE SA (RFC 7296
 * says the field is empty then, 4306-era peers send it); with no SPI
 * the protocol is ignored. */
int
ike_notify_decode(const struct ike_pl *p, struct ike_notify *out,
    struct ike_err *err)
{
	struct rd	 r;
	size_t		 i;

	rd_init(&r, p->body, p->len);
	if (rd_u8(&r, &out->proto) == -1 || rd_u8(&r, &out->spi_len) == -1 ||
	    rd_u16(&r, &out->type) == -1)
		return fail(err, SYNTAX, "Notify payload: %zu bytes < 4",
		    p->len);
	if (!(out->spi_len == 0 ||
	    (out->spi_len == 4 && (out->proto == IKE_PROTO_AH ||
	    out->proto == IKE_PROTO_ESP)) ||
	    (out->spi_len == 8 && out->proto == IKE_PROTO_IKE)))
		return fail(err, SYNTAX, "Notify %s: SPI size %u wrong for "
		    "protocol %u", ike_notify_name(out->type), out->spi_len,
		    out->proto);
	if (rd_view(&r, out->spi_len, &out->spi) == -1)
		return fail(err, SYNTAX, "Notify %s: SPI size %u > %zu bytes "
		    "left", ike_notify_name(out->type), out->spi_len, r.left);
	out->len = r.left;
	if (rd_view(&r, r.left, &out->data) == -1)
		return -1;
	for (i = 0; i < nitems(notify_sizes); i++)
		if (notify_sizes[i].type == out->type &&
		    (out->len < notify_sizes[i].min ||
		    out->len > notify_sizes[i].max))
			return fail(err, SYNTAX, "Notify %s: %zu bytes of "
			    "data, %u to %u allowed",
			    ike_notify_name(out->type), out->len,
			    notify_sizes[i].min, notify_sizes[i].max);
	return 0;
}

/* 3.11: the IKE SA: no SPIs; ESP/AH: n SPIs of 4 bytes, nothing else. */
int
ike_delete_decode(const struct ike_pl *p, struct ike_delete *out,
    struct ike_err *err)
{
	struct rd	 r;
	size_t		 want;

	rd_init(&r, p->body, p->len);
	if (rd_u8(&r, &out->proto) == -1 || rd_u8(&r, &out->spi_len) == -1 ||
	    rd_u16(&r, &out->nspi) == -1)
		return fail(err, SYNTAX, "Delete payload: %zu bytes < 4",
		    p->len);
	if (out->proto == IKE_PROTO_IKE) {
		if (out->spi_len != 0 || out->nspi != 0)
			return fail(err, SYNTAX, "Delete payload: IKE with "
			    "SPI size %u and %u SPIs, not 0 and 0",
			    out->spi_len, out->nspi);
	} else if (out->proto == IKE_PROTO_AH || out->proto == IKE_PROTO_ESP) {
		if (out->spi_len != 4)
			return fail(err, SYNTAX, "Delete payload: SPI size %u, "
			    "not 4", out->spi_len);
		if (out->nspi > IKE_MAX_DELETE_SPIS)
			return fail(err, SYNTAX, "Delete payload: %u SPIs > %d",
			    out->nspi, IKE_MAX_DELETE_SPIS);
	} else
		return fail(err, SYNTAX, "Delete payload: protocol %u unknown",
		    out->proto);
	want = (size_t)out->spi_len * out->nspi;
	if (rd_view(&r, want, &out->spis) == -1 || r.left != 0)
		return fail(err, SYNTAX, "Delete payload: length %zu, %u SPIs "
		    "of %u need %zu", p->len, out->nspi, out->spi_len,
		    4 + want);
	return 0;
}

/* 3.13.1: one selector; its length is fixed by its type. */
static int
ts_one(struct rd *r, size_t i, struct ike_ts *ts, struct ike_err *err)
{
	struct rd	 sub;
	uint16_t	 len;
	size_t		 alen, left = r->left;

	memset(ts, 0, sizeof(*ts));
	if (rd_u8(r, &ts->type) == -1 || rd_u8(r, &ts->ipproto) == -1 ||
	    rd_u16(r, &len) == -1)
		return fail(err, SYNTAX, "TS payload: selector %zu: %zu bytes "
		    "< 4-byte header", i + 1, left);
	if (ts->type == IKE_TS_IPV4_ADDR_RANGE)
		alen = 4;
	else if (ts->type == IKE_TS_IPV6_ADDR_RANGE)
		alen = 16;
	else
		return fail(err, SYNTAX, "TS payload: selector %zu: type %u "
		    "unknown", i + 1, ts->type);
	if (len != 8 + 2 * alen)
		return fail(err, SYNTAX, "TS payload: selector %zu: length %u, "
		    "not %zu", i + 1, len, 8 + 2 * alen);
	if (len > left)
		return fail(err, SYNTAX, "TS payload: selector %zu: length %u "
		    "> %zu bytes left", i + 1, len, left);
	if (rd_sub(r, len - 4, &sub) == -1 || rd_u16(&sub, &ts->sport) == -1 ||
	    rd_u16(&sub, &ts->eport) == -1 ||
	    rd_copy(&sub, ts->start, alen) == -1 ||
	    rd_copy(&sub, ts->end, alen) == -1 || sub.left != 0)
		return fail(err, SYNTAX, "TS payload: selector %zu cut",
		    i + 1);
	/* 3.13.1: 65535-0 is the OPAQUE port range */
	if (ts->sport > ts->eport && !(ts->sport == 65535 && ts->eport == 0))
		return fail(err, SYNTAX, "TS payload: selector %zu: ports "
		    "%u > %u", i + 1, ts->sport, ts->eport);
	if (memcmp(ts->start, ts->end, alen) > 0)
		return fail(err, SYNTAX, "TS payload: selector %zu: start "
		    "address > end address", i + 1);
	return 0;
}

/* 3.13 */
int
ike_ts_decode(const struct ike_pl *p, struct ike_ts *out, size_t max,
    size_t *n, struct ike_err *err)
{
	struct rd	 r;
	const uint8_t	*rsv;
	uint8_t		 count;
	size_t		 i;

	*n = 0;
	rd_init(&r, p->body, p->len);
	if (rd_u8(&r, &count) == -1 || rd_view(&r, 3, &rsv) == -1)
		return fail(err, SYNTAX, "TS payload: %zu bytes < 4", p->len);
	if (count == 0 || count > max)
		return fail(err, SYNTAX, "TS payload: %u selectors, 1 to %zu "
		    "allowed", count, max);
	for (i = 0; i < count; i++)
		if (ts_one(&r, i, &out[i], err) == -1)
			return -1;
	if (r.left != 0)
		return fail(err, SYNTAX, "TS payload: %zu bytes after %u "
		    "selectors", r.left, count);
	*n = count;
	return 0;
}
