/* ike_codec: IKEv2 messages on the wire (RFC 7296 section 3), decoded and
 * encoded without I/O or allocation. Decoding gives views into the
 * caller's buffer, each checked against its declared length before use;
 * nothing is read past a length, trailing bytes are errors. Encoding
 * writes into a caller's buffer and records overflow once (checked at
 * the end). */
#ifndef SECTUN_IKE_CODEC_H
#define SECTUN_IKE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "ike_const.h"

#define IKE_MAX_PAYLOADS	32	/* per message (outer + inner) */
#define IKE_MAX_PROPOSALS	16
#define IKE_MAX_XFORMS		32	/* per proposal */
#define IKE_MAX_TS		16
#define IKE_MAX_DELETE_SPIS	64

/* Why a message was refused: a notify to send back (0: just drop) and a
 * text for the log naming the sizes involved. */
struct ike_err {
	uint16_t	 notify;
	char		 text[160];
};

struct ike_hdr {
	uint8_t		 spi_i[8], spi_r[8];
	uint8_t		 next;		/* first payload */
	uint8_t		 version;
	uint8_t		 exchange;
	uint8_t		 flags;
	uint32_t	 msgid;
	uint32_t	 length;
};

/* One payload: generic header fields and a view of its body (after the
 * 4-byte generic header). */
struct ike_pl {
	uint8_t		 type;
	uint8_t		 critical;
	const uint8_t	*body;
	size_t		 len;
};

struct ike_msg {
	struct ike_hdr	 h;
	const uint8_t	*raw;		/* the whole message */
	size_t		 rawlen;
	struct ike_pl	 pl[IKE_MAX_PAYLOADS];
	size_t		 npl;
	/* SK: index in pl of the SK payload, -1 without; its next-payload
	 * field (the first inner payload's type) in sk_next. Inner payloads,
	 * once decrypted and added with ike_msg_decode_inner, follow it in
	 * pl[] with inner = 1. */
	int		 sk;
	uint8_t		 sk_next;
	size_t		 ninner;
	uint8_t		 inner[IKE_MAX_PAYLOADS];	/* per pl: 1 = was encrypted */
};

/* The fixed header only (28 bytes, version and length checked against
 * len). 0 or -1 with err. */
int	 ike_hdr_decode(const uint8_t *buf, size_t len, struct ike_hdr *h,
	    struct ike_err *err);
/* Header and the plain payload chain up to and including SK (which must
 * be last, RFC 7296 3.14). Unknown payloads: skipped unless critical
 * (then err->notify = UNSUPPORTED_CRITICAL_PAYLOAD). */
int	 ike_msg_decode(const uint8_t *buf, size_t len, struct ike_msg *m,
	    struct ike_err *err);
/* The decrypted inner chain starting with type first (m->sk_next);
 * plain must stay valid as long as m is used. */
int	 ike_msg_decode_inner(struct ike_msg *m, const uint8_t *plain,
	    size_t len, struct ike_err *err);

/* The payload table (strongSwan's idea, RFC 7296 1.2-1.5): for each
 * exchange, request or response, the allowed payloads with their minimum
 * and maximum counts, and whether they must be inside SK. Checked before
 * any handler runs; 0 or -1 with err (INVALID_SYNTAX for requests).
 * Minimums do not apply to a message carrying an error notify (< 16384)
 * or, for IKE_SA_INIT responses, a COOKIE or INVALID_KE_PAYLOAD. Call
 * after ike_msg_decode_inner for encrypted exchanges. */
int	 ike_msg_check(const struct ike_msg *m, struct ike_err *err);

/* First payload of a type at or after index *from (then *from = its index
 * + 1); NULL when none. */
const struct ike_pl *ike_msg_find(const struct ike_msg *m, uint8_t type,
	    size_t *from);
/* First notify of a type, or NULL. */
const struct ike_pl *ike_msg_notify(const struct ike_msg *m, uint16_t type);

/* ---- payload bodies ---- */
struct ike_xform {
	uint8_t		 type;		/* enum ike_xform_type */
	uint16_t	 id;
	uint16_t	 keylen;	/* bits; 0 = no Key Length attribute */
};
struct ike_prop {
	uint8_t		 num;		/* proposal number, from 1 */
	uint8_t		 proto;		/* enum ike_proto */
	uint8_t		 spi_len;	/* 0, 4 or 8 */
	uint8_t		 spi[8];
	struct ike_xform xf[IKE_MAX_XFORMS];
	size_t		 nxf;
};
/* SA payload (3.3): proposals in order. Unknown transform attributes make
 * the transform unusable (it is kept with id 0xffff, so it never
 * matches), as 3.3.6 asks. */
int	 ike_sa_decode(const struct ike_pl *p, struct ike_prop *out,
	    size_t max, size_t *n, struct ike_err *err);

struct ike_ke {
	uint16_t	 group;
	const uint8_t	*data;
	size_t		 len;
};
int	 ike_ke_decode(const struct ike_pl *p, struct ike_ke *out,
	    struct ike_err *err);

/* ID payload (3.5): body is the whole payload body (type, reserved,
 * data), the input of the AUTH computation. */
struct ike_id {
	uint8_t		 type;
	const uint8_t	*data;
	size_t		 len;
	const uint8_t	*body;
	size_t		 bodylen;
};
int	 ike_id_decode(const struct ike_pl *p, struct ike_id *out,
	    struct ike_err *err);

struct ike_auth {
	uint8_t		 method;
	const uint8_t	*data;
	size_t		 len;
};
int	 ike_auth_decode(const struct ike_pl *p, struct ike_auth *out,
	    struct ike_err *err);

/* Nonce (3.9): 16 to 256 bytes. */
int	 ike_nonce_decode(const struct ike_pl *p, const uint8_t **data,
	    size_t *len, struct ike_err *err);

struct ike_notify {
	uint8_t		 proto;
	uint8_t		 spi_len;
	const uint8_t	*spi;
	uint16_t	 type;
	const uint8_t	*data;
	size_t		 len;
};
int	 ike_notify_decode(const struct ike_pl *p, struct ike_notify *out,
	    struct ike_err *err);

struct ike_delete {
	uint8_t		 proto;
	uint8_t		 spi_len;	/* 0 for IKE, 4 for ESP/AH */
	uint16_t	 nspi;
	const uint8_t	*spis;		/* nspi * spi_len bytes */
};
int	 ike_delete_decode(const struct ike_pl *p, struct ike_delete *out,
	    struct ike_err *err);

/* Traffic selector (3.13.1); addresses in network order, 4 or 16 bytes
 * used by type. */
struct ike_ts {
	uint8_t		 type;		/* enum ike_ts_type */
	uint8_t		 ipproto;	/* 0 = any */
	uint16_t	 sport, eport;
	uint8_t		 start[16], end[16];
};
int	 ike_ts_decode(const struct ike_pl *p, struct ike_ts *out, size_t max,
	    size_t *n, struct ike_err *err);

/* ---- encoding ---- */
struct ike_enc {
	uint8_t		*buf;
	size_t		 cap, len;
	int		 err;		/* overflow or bad argument: sticky */
	size_t		 np;		/* offset of the next-payload byte to
					 * fill with the next payload's type */
	uint8_t		 first;		/* type of the first payload */
	size_t		 start;		/* offset of the open payload */
	int		 hdr;		/* 1: a message (ike_enc_msg), 0: a
					 * bare chain (ike_enc_chain) */
};
/* A message: header (length and next payload filled in as payloads are
 * added and by ike_enc_finish). */
void	 ike_enc_msg(struct ike_enc *e, uint8_t *buf, size_t cap,
	    const struct ike_hdr *h);
/* A bare payload chain (the plaintext of an SK payload): e->first tells
 * the SK payload's next-payload value. */
void	 ike_enc_chain(struct ike_enc *e, uint8_t *buf, size_t cap);

void	 ike_enc_sa(struct ike_enc *e, const struct ike_prop *p, size_t n);
void	 ike_enc_ke(struct ike_enc *e, uint16_t group, const uint8_t *data,
	    size_t len);
void	 ike_enc_nonce(struct ike_enc *e, const uint8_t *n, size_t len);
/* type IKE_PL_IDI or IKE_PL_IDR */
void	 ike_enc_id(struct ike_enc *e, uint8_t type, uint8_t id_type,
	    const uint8_t *data, size_t len);
void	 ike_enc_auth(struct ike_enc *e, uint8_t method, const uint8_t *data,
	    size_t len);
void	 ike_enc_notify(struct ike_enc *e, uint8_t proto, const uint8_t *spi,
	    size_t spi_len, uint16_t type, const uint8_t *data, size_t len);
void	 ike_enc_delete(struct ike_enc *e, uint8_t proto, uint8_t spi_len,
	    const uint8_t *spis, uint16_t nspi);
/* type IKE_PL_TSI or IKE_PL_TSR */
void	 ike_enc_ts(struct ike_enc *e, uint8_t type, const struct ike_ts *ts,
	    size_t n);
void	 ike_enc_vendor(struct ike_enc *e, const uint8_t *id, size_t len);
/* The SK payload's generic header, next payload = inner_first, length
 * 4 + body_len; the caller then appends the body (ike_enc_reserve). */
void	 ike_enc_sk_header(struct ike_enc *e, uint8_t inner_first,
	    size_t body_len);
/* len bytes of room at the end, returned for the caller to fill (NULL
 * on overflow). */
uint8_t	*ike_enc_reserve(struct ike_enc *e, size_t len);
/* Sets the header's length; returns the message length or -1 (an error
 * was ever recorded, a payload followed SK, SK's body length was not
 * reserved exactly, or more than IKE_MSG_LIMIT bytes). On a bare chain:
 * its length or -1. With SK, call it after ike_enc_reserve and before
 * sealing: the header is then final, as the SK AAD needs. */
long	 ike_enc_finish(struct ike_enc *e);

#endif
