/* ike_rd: the bounds-checked cursor of the IKEv2 codec (ike_codec.c,
 * ike_payload.c), private to them. Every read is checked; nested data is
 * carved as a sub-view of exactly its declared length (rd_sub). */
#ifndef SECTUN_IKE_RD_H
#define SECTUN_IKE_RD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ike_codec.h"

#define SYNTAX		IKE_N_INVALID_SYNTAX

struct rd {
	const uint8_t	*p;
	size_t		 left;
};

static inline void
rd_init(struct rd *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->left = len;
}

/* n bytes as a view; -1 when fewer are left. */
static inline int
rd_view(struct rd *r, size_t n, const uint8_t **out)
{
	if (n > r->left)
		return -1;
	*out = r->p;
	r->p += n;
	r->left -= n;
	return 0;
}

/* The next n bytes as a cursor of their own. */
static inline int
rd_sub(struct rd *r, size_t n, struct rd *sub)
{
	const uint8_t	*p;

	if (rd_view(r, n, &p) == -1)
		return -1;
	rd_init(sub, p, n);
	return 0;
}

static inline int
rd_copy(struct rd *r, void *out, size_t n)
{
	const uint8_t	*p;

	if (rd_view(r, n, &p) == -1)
		return -1;
	if (n > 0)
		memcpy(out, p, n);
	return 0;
}

static inline int
rd_u8(struct rd *r, uint8_t *v)
{
	return rd_copy(r, v, 1);
}

static inline int
rd_u16(struct rd *r, uint16_t *v)
{
	const uint8_t	*p;

	if (rd_view(r, 2, &p) == -1)
		return -1;
	*v = (uint16_t)(p[0] << 8 | p[1]);
	return 0;
}

static inline int
rd_u32(struct rd *r, uint32_t *v)
{
	const uint8_t	*p;

	if (rd_view(r, 4, &p) == -1)
		return -1;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	return 0;
}

static inline int	 fail(struct ike_err *, uint16_t, const char *, ...)
			    __attribute__((format(printf, 3, 4)));

/* Record why in err (may be NULL): the notify to send and a text naming
 * the sizes that disagreed. Returns -1. */
static inline int
fail(struct ike_err *err, uint16_t notify, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL)
		return -1;
	err->notify = notify;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return -1;
}

#endif
