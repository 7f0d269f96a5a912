/* util: small string and buffer helpers used everywhere. */
#include <ctype.h>
#include <errno.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "util.h"

size_t
str_copy(char *dst, const char *src, size_t size)
{
	size_t	 n = strlen(src);

	if (size > 0) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

void
str_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

void
hex_encode(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t	 i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

static int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

long
hex_decode(const char *in, unsigned char *out, size_t outsize)
{
	size_t	 len, i;

	if (in[0] == '0' && (in[1] == 'x' || in[1] == 'X'))
		in += 2;
	len = strlen(in);
	if (len == 0 || len % 2 != 0 || len / 2 > outsize)
		return -1;
	for (i = 0; i < len / 2; i++) {
		int hi = hex_digit((unsigned char)in[2 * i]);
		int lo = hex_digit((unsigned char)in[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return (long)(len / 2);
}

void
secure_free(void *p, size_t len)
{
	if (p == NULL)
		return;
	OPENSSL_cleanse(p, len);
	free(p);
}

int
fd_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t	 w;

	while (len > 0) {
		if ((w = write(fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

void *
array_add(void *basep, size_t *n, size_t *cap, size_t elem)
{
	void	*base, *grown;
	size_t	 want;

	memcpy(&base, basep, sizeof(base));
	if (*n == *cap) {
		want = *cap ? 2 * *cap : 16;
		if ((grown = realloc(base, want * elem)) == NULL)
			return NULL;
		base = grown;
		*cap = want;
		memcpy(basep, &base, sizeof(base));
	}
	return (char *)base + (*n)++ * elem;
}
