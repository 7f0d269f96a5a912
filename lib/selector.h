/* selector: a tunnel's stored selector (any, PREFIX/LEN or A-B) as the
 * prefixes the kernel's policies take (RFC 4301 4.4.1: a range is a
 * selector; XFRM selectors are prefixes, so a range becomes the fewest
 * prefixes covering exactly it). */
#ifndef SECTUN_SELECTOR_H
#define SECTUN_SELECTOR_H

struct sel {
	int		 family;	/* AF_INET, AF_INET6 */
	unsigned char	 addr[16];
	int		 plen;
};

/* lo..hi (network byte order, family's length) as prefixes into out:
 * their number, or -1 when more than max are needed. */
int	 selector_range(int family, const unsigned char *lo,
	    const unsigned char *hi, struct sel *out, int max);
/* A stored selector's prefixes of one family: "" or "any" is the whole
 * family; a prefix or range of the other family gives 0; -1 past max. */
int	 selector_expand(const char *text, int family, struct sel *out,
	    int max);

#endif
