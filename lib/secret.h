/* secret: the device key and the encryption of stored secrets (pre-shared
 * keys, manual SA keys). A blob is hex of: version(1) nonce(12) ct tag(16),
 * AES-256-GCM with the object's identity as AAD, so a blob only decrypts on
 * the device that made it and for the object it was made for. */
#ifndef SECTUN_SECRET_H
#define SECTUN_SECRET_H

#include <stddef.h>

#define SECRET_KEY_LEN	32
#define SECRET_MAX_LEN	256	/* longest clear secret accepted */

/* Load the device key from path, creating it (mode 0600) when missing:
 * 0 loaded, 1 created, -1 refused (a key file others can read, say). */
int	 secret_key_load(const char *path, unsigned char *key, char *err);
/* Returns a malloc'd blob, or NULL. */
char	*secret_encrypt(const unsigned char *key, const char *aad,
	    const unsigned char *pt, size_t len);
/* Decrypts into a malloc'd buffer (free with secure_free(*out, *len)). */
int	 secret_decrypt(const unsigned char *key, const char *aad,
	    const char *blob, unsigned char **out, size_t *len);

#endif
