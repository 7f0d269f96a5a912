/* transform: the IPsec transforms of "ipsec transform-set" and manual SAs. */
#ifndef SECTUN_TRANSFORM_H
#define SECTUN_TRANSFORM_H

#include <stddef.h>

enum transform_proto { TRANSFORM_ESP, TRANSFORM_AH };

struct transform {
	char		 name[40];
	enum transform_proto proto;
	const char	*cipher;	/* NULL for AH */
	const char	*integ;		/* NULL for AEAD and ESP without integrity */
	int		 aead;
	size_t		 enc_key_len;	/* bytes, with the 4-byte salt for AEAD */
	size_t		 auth_key_len;	/* bytes */
	/* the kernel's view (ip xfrm): algorithm names and lengths in bits */
	const char	*xfrm_cipher;	/* NULL for AH */
	const char	*xfrm_integ;	/* NULL without integrity */
	unsigned	 icv_bits;	/* AEAD */
	unsigned	 trunc_bits;	/* integrity */
};

/* Fill t for a name such as esp-aes128-sha256; -1 if unknown. */
int	 transform_lookup(const char *name, struct transform *t);
/* Every valid name in canonical order, one per call: i = 0, 1, ... until NULL. */
const char *transform_name_at(size_t i);
/* ESP that protects nothing against forgery (a warning, not an error). */
int	 transform_lacks_integrity(const struct transform *t);

#endif
