/* util: small string and buffer helpers used everywhere. */
#ifndef SECTUN_UTIL_H
#define SECTUN_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* Copy with truncation; always NUL-terminates. Returns strlen(src). */
size_t	 str_copy(char *dst, const char *src, size_t size);
/* Lower-case in place. */
void	 str_lower(char *s);
/* Hex of len bytes into out (2 * len + 1 bytes). */
void	 hex_encode(const unsigned char *in, size_t len, char *out);
/* Decode hex (even length, optional 0x); returns bytes written or -1. */
long	 hex_decode(const char *in, unsigned char *out, size_t outsize);
/* write(2) all of buf, retrying on EINTR; 0 or -1. */
int	 fd_write_all(int fd, const void *buf, size_t len);
/* Room for one more element in a growable array: basep points to the
 * array's pointer, *n elements used of *cap. Returns the new (last) slot,
 * or NULL when out of memory (the array is then unchanged). */
void	*array_add(void *basep, size_t *n, size_t *cap, size_t elem);
/* Wipe a secret and free it; NULL is a no-op. */
void	 secure_free(void *p, size_t len);

#endif
