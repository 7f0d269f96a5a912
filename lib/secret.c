/* secret: the device key and AES-256-GCM encryption of stored secrets. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "parse.h"
#include "secret.h"
#include "util.h"

#define SECRET_VERSION	1
#define SECRET_NONCE	12
#define SECRET_TAG	16
#define SECRET_HDR	(1 + SECRET_NONCE)

static int
secret_key_create(const char *path, unsigned char *key, char *err)
{
	int	 fd;

	if (RAND_priv_bytes(key, SECRET_KEY_LEN) != 1) {
		snprintf(err, ERR_LEN, "no randomness for the device key");
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		snprintf(err, ERR_LEN, "cannot create device key %s: %s",
		    path, strerror(errno));
		return -1;
	}
	if (write(fd, key, SECRET_KEY_LEN) != SECRET_KEY_LEN ||
	    fsync(fd) == -1) {
		snprintf(err, ERR_LEN, "cannot write device key %s: %s",
		    path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 1;
}

int
secret_key_load(const char *path, unsigned char *key, char *err)
{
	struct stat st;
	ssize_t	 n;
	int	 fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1 && errno == ENOENT)
		return secret_key_create(path, key, err);
	if (fd == -1) {
		snprintf(err, ERR_LEN, "cannot open device key %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (st.st_mode & 077) != 0 || st.st_uid != geteuid()) {
		snprintf(err, ERR_LEN, "device key %s must be a regular file "
		    "owned by uid %u with mode 0600", path,
		    (unsigned)geteuid());
		close(fd);
		return -1;
	}
	n = read(fd, key, SECRET_KEY_LEN);
	close(fd);
	if (n != SECRET_KEY_LEN || st.st_size != SECRET_KEY_LEN) {
		OPENSSL_cleanse(key, SECRET_KEY_LEN);
		snprintf(err, ERR_LEN, "device key %s is not %d bytes", path,
		    SECRET_KEY_LEN);
		return -1;
	}
	return 0;
}

static int
secret_gcm(int enc, const unsigned char *key, const unsigned char *nonce,
    const char *aad, const unsigned char *in, size_t len, unsigned char *out,
    unsigned char *tag)
{
	EVP_CIPHER_CTX *x;
	int	 l, ok = 0;

	if ((x = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	if (EVP_CipherInit_ex2(x, EVP_aes_256_gcm(), key, nonce, enc, NULL) != 1 ||
	    EVP_CipherUpdate(x, NULL, &l, (const unsigned char *)aad,
	    (int)strlen(aad)) != 1)
		goto done;
	if (len > 0 && EVP_CipherUpdate(x, out, &l, in, (int)len) != 1)
		goto done;
	if (!enc && EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_TAG, SECRET_TAG,
	    tag) != 1)
		goto done;
	if (EVP_CipherFinal_ex(x, out + len, &l) != 1)
		goto done;	/* for decryption: the tag did not match */
	if (enc && EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, SECRET_TAG,
	    tag) != 1)
		goto done;
	ok = 1;
done:
	EVP_CIPHER_CTX_free(x);
	return ok ? 0 : -1;
}

char *
secret_encrypt(const unsigned char *key, const char *aad,
    const unsigned char *pt, size_t len)
{
	unsigned char *raw;
	size_t	 rawlen = SECRET_HDR + len + SECRET_TAG;
	char	*blob = NULL;

	if (len > SECRET_MAX_LEN || (raw = calloc(1, rawlen)) == NULL)
		return NULL;
	raw[0] = SECRET_VERSION;
	if (RAND_bytes(raw + 1, SECRET_NONCE) == 1 &&
	    secret_gcm(1, key, raw + 1, aad, pt, len, raw + SECRET_HDR,
	    raw + SECRET_HDR + len) == 0 &&
	    (blob = malloc(2 * rawlen + 1)) != NULL)
		hex_encode(raw, rawlen, blob);
	secure_free(raw, rawlen);
	return blob;
}

int
secret_decrypt(const unsigned char *key, const char *aad, const char *blob,
    unsigned char **out, size_t *len)
{
	unsigned char raw[SECRET_HDR + SECRET_MAX_LEN + SECRET_TAG];
	unsigned char *pt;
	long	 n;

	*out = NULL;
	*len = 0;
	n = hex_decode(blob, raw, sizeof(raw));
	if (n < SECRET_HDR + SECRET_TAG || raw[0] != SECRET_VERSION)
		return -1;
	*len = (size_t)n - SECRET_HDR - SECRET_TAG;
	if ((pt = calloc(1, *len + 1)) == NULL)
		return -1;
	if (secret_gcm(0, key, raw + 1, aad, raw + SECRET_HDR, *len, pt,
	    raw + SECRET_HDR + *len) == -1) {
		secure_free(pt, *len + 1);
		*len = 0;
		return -1;
	}
	*out = pt;
	return 0;
}
