/* transform: the IPsec transforms of "ipsec transform-set" and manual SAs.
 * Names follow JUNOSe: esp-CIPHER-HASH, esp-CIPHER, esp-AEAD, ah-HASH. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "transform.h"
#include "util.h"

static const struct {
	const char	*name;
	size_t		 key_len;
	int		 aead;
	int		 needs_integ;	/* esp-null alone is meaningless */
	const char	*xfrm;		/* the Linux crypto API's name */
} transform_ciphers[] = {
	{ "null", 0, 0, 1, "ecb(cipher_null)" },
	{ "des", 8, 0, 0, "cbc(des)" },
	{ "3des", 24, 0, 0, "cbc(des3_ede)" },
	{ "aes128", 16, 0, 0, "cbc(aes)" },
	{ "aes192", 24, 0, 0, "cbc(aes)" },
	{ "aes256", 32, 0, 0, "cbc(aes)" },
	/* RFC 4106: key || 4-byte salt, 16-byte ICV */
	{ "aes128-gcm", 20, 1, 0, "rfc4106(gcm(aes))" },
	{ "aes256-gcm", 36, 1, 0, "rfc4106(gcm(aes))" },
	/* RFC 7634: key || 4-byte salt */
	{ "chacha20-poly1305", 36, 1, 0, "rfc7539esp(chacha20,poly1305)" },
};

static const struct {
	const char	*name;
	size_t		 key_len;
	const char	*xfrm;
	unsigned	 trunc_bits;
} transform_hashes[] = {
	{ "md5", 16, "hmac(md5)", 96 },		/* RFC 2403 */
	{ "sha", 20, "hmac(sha1)", 96 },	/* RFC 2404: HMAC-SHA1-96 */
	{ "sha256", 32, "hmac(sha256)", 128 },	/* RFC 4868: half the hash */
	{ "sha384", 48, "hmac(sha384)", 192 },
	{ "sha512", 64, "hmac(sha512)", 256 },
};

#define TRANSFORM_MAX	(nitems(transform_ciphers) * (nitems(transform_hashes) + 1) + \
			    nitems(transform_hashes))

static char transform_names[TRANSFORM_MAX][40];
static size_t transform_count;

static void
transform_names_build(void)
{
	size_t	 c, h;

	for (c = 0; c < nitems(transform_ciphers); c++) {
		if (transform_ciphers[c].aead) {
			snprintf(transform_names[transform_count++], 40,
			    "esp-%s", transform_ciphers[c].name);
			continue;
		}
		for (h = 0; h < nitems(transform_hashes); h++)
			snprintf(transform_names[transform_count++], 40,
			    "esp-%s-%s", transform_ciphers[c].name,
			    transform_hashes[h].name);
		if (!transform_ciphers[c].needs_integ)
			snprintf(transform_names[transform_count++], 40,
			    "esp-%s", transform_ciphers[c].name);
	}
	for (h = 0; h < nitems(transform_hashes); h++)
		snprintf(transform_names[transform_count++], 40, "ah-%s",
		    transform_hashes[h].name);
}

const char *
transform_name_at(size_t i)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, transform_names_build);
	return i < transform_count ? transform_names[i] : NULL;
}

static int
transform_fill(const char *name, struct transform *t)
{
	size_t	 c, h;
	const char *rest;

	memset(t, 0, sizeof(*t));
	str_copy(t->name, name, sizeof(t->name));
	if (strncmp(name, "ah-", 3) == 0) {
		t->proto = TRANSFORM_AH;
		for (h = 0; h < nitems(transform_hashes); h++)
			if (strcmp(name + 3, transform_hashes[h].name) == 0) {
				t->integ = transform_hashes[h].name;
				t->auth_key_len = transform_hashes[h].key_len;
				t->xfrm_integ = transform_hashes[h].xfrm;
				t->trunc_bits = transform_hashes[h].trunc_bits;
				return 0;
			}
		return -1;
	}
	t->proto = TRANSFORM_ESP;
	for (c = 0; c < nitems(transform_ciphers); c++) {
		size_t n = strlen(transform_ciphers[c].name);
		if (strncmp(name + 4, transform_ciphers[c].name, n) != 0)
			continue;
		rest = name + 4 + n;
		t->cipher = transform_ciphers[c].name;
		t->enc_key_len = transform_ciphers[c].key_len;
		t->aead = transform_ciphers[c].aead;
		t->xfrm_cipher = transform_ciphers[c].xfrm;
		t->icv_bits = t->aead ? 128 : 0;
		if (*rest == '\0')
			return 0;
		for (h = 0; h < nitems(transform_hashes); h++)
			if (*rest == '-' &&
			    strcmp(rest + 1, transform_hashes[h].name) == 0) {
				t->integ = transform_hashes[h].name;
				t->auth_key_len = transform_hashes[h].key_len;
				t->xfrm_integ = transform_hashes[h].xfrm;
				t->trunc_bits = transform_hashes[h].trunc_bits;
				return 0;
			}
	}
	return -1;
}

int
transform_lookup(const char *name, struct transform *t)
{
	size_t	 i;

	/* Only names in the canonical list: this rules out esp-null alone,
	 * esp-aes128-gcm-sha and friends. */
	for (i = 0; transform_name_at(i) != NULL; i++)
		if (strcmp(transform_name_at(i), name) == 0)
			return transform_fill(name, t);
	return -1;
}

int
transform_lacks_integrity(const struct transform *t)
{
	return t->proto == TRANSFORM_ESP && !t->aead && t->integ == NULL;
}
