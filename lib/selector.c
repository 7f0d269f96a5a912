/* selector: stored selectors as kernel prefixes. */
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "parse.h"
#include "selector.h"
#include "util.h"

static unsigned __int128
u128_get(const unsigned char *b, size_t len)
{
	unsigned __int128 v = 0;
	size_t	 i;

	for (i = 0; i < len; i++)
		v = (v << 8) | b[i];
	return v;
}

static void
u128_put(unsigned __int128 v, unsigned char *b, size_t len)
{
	size_t	 i;

	for (i = len; i > 0; i--) {
		b[i - 1] = (unsigned char)v;
		v >>= 8;
	}
}

/* lo-hi as the fewest prefixes (a selector is a prefix in the kernel). */
int
selector_range(int family, const unsigned char *a, const unsigned char *b,
    struct sel *out, int max)
{
	size_t	 alen = family == AF_INET6 ? 16 : 4;
	int	 bits = (int)alen * 8, n = 0, k;
	unsigned __int128 lo = u128_get(a, alen), hi = u128_get(b, alen);

	while (lo <= hi) {
		/* the largest aligned block (2^127 at most: no shift by 128) */
		for (k = 0; k < bits && k < 127; k++) {
			unsigned __int128 size = (unsigned __int128)1 << (k + 1);
			if ((lo & (size - 1)) != 0 || lo + size - 1 > hi ||
			    lo + size - 1 < lo)
				break;
		}
		if (n == max)
			return -1;
		out[n].family = family;
		u128_put(lo, out[n].addr, alen);
		out[n].plen = bits - k;
		n++;
		if (lo + ((unsigned __int128)1 << k) - 1 == hi)
			break;
		lo += (unsigned __int128)1 << k;
	}
	return n;
}

/* A stored selector as prefixes of family (0 of them: not that family). */
int
selector_expand(const char *text, int family, struct sel *out, int max)
{
	char		 buf[ADDR_TEXT_LEN], *p;
	unsigned char	 a[16], b[16];
	int		 fa, fb;

	if (*text == '\0' || strcmp(text, "any") == 0) {
		memset(&out[0], 0, sizeof(out[0]));
		out[0].family = family;
		return 1;
	}
	str_copy(buf, text, sizeof(buf));
	if ((p = strchr(buf, '/')) != NULL) {
		*p = '\0';
		if (parse_addr_bytes(buf, &fa, a) == -1 || fa != family)
			return 0;
		out[0].family = family;
		memcpy(out[0].addr, a, 16);
		out[0].plen = atoi(p + 1);
		return 1;
	}
	if ((p = strchr(buf, '-')) == NULL)
		return 0;
	*p = '\0';
	if (parse_addr_bytes(buf, &fa, a) == -1 ||
	    parse_addr_bytes(p + 1, &fb, b) == -1 || fa != family ||
	    fb != family)
		return 0;
	return selector_range(family, a, b, out, max);
}

