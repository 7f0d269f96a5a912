/* parse: strict validators for everything a user types. Each returns 0 on
 * success or -1 with a reason in err (ERR_LEN bytes) naming the bad value. */
#ifndef SECTUN_PARSE_H
#define SECTUN_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define ERR_LEN		512
#define NAME_MAX_LEN	32
#define IDENTITY_MAX_LEN 80
#define ADDR_TEXT_LEN	100	/* enough for an IPv6 prefix or range */
#define ADDR_LEN	46	/* INET6_ADDRSTRLEN: one address */

enum id_type {
	ID_TYPE_NONE,
	ID_TYPE_IPV4,
	ID_TYPE_IPV6,
	ID_TYPE_FQDN,
	ID_TYPE_USER_FQDN,
	ID_TYPE_DN,
};

const char *id_type_name(enum id_type t);

int	 parse_uint(const char *s, const char *what, uint64_t min, uint64_t max,
	    uint64_t *out, char *err);
int	 parse_name(const char *s, const char *what, char *err);
/* Address of either family (family 0) or of one (4 or 6); canonical text out. */
int	 parse_addr(const char *s, int family, char *out, int *fam, char *err);
/* An IPv4 or IPv6 address (canonical or not) into its bytes; *af is
 * AF_INET or AF_INET6. 0, or -1 when s is no address. */
int	 parse_addr_bytes(const char *s, int *af, unsigned char *out);
/* PREFIX/LEN; strict: no host bits set. Canonical text out. */
int	 parse_prefix(const char *s, int family, int strict, char *out,
	    int *fam, char *err);
/* A.B.C.D MASK -> A.B.C.D/LEN */
int	 parse_addr_mask(const char *addr, const char *mask, char *out,
	    char *err);
/* any | PREFIX/LEN | A.B.C.D-A.B.C.D (or IPv6 range). */
int	 parse_selector(const char *s, char *out, char *err);
int	 parse_fqdn(const char *s, char *err);
/* A.B.C.D | X:X::X | FQDN | USER@FQDN: classifies it, canonical text out. */
int	 parse_identity(const char *s, char *out, enum id_type *type, char *err);
/* One of the words in a NULL-terminated list; returns its index or -1. */
int	 parse_keyword(const char *s, const char *what, const char *const *words,
	    char *err);

#endif
