/* fuzz_ike_sk: libFuzzer on SK payloads (RFC 7296 3.14) with a fixed
 * suite and fixed keys (ike_fuzz.h), then on what they decrypt to.
 *
 * The first byte chooses: bit 0 the suite (0: AES-GCM-16-256, 1:
 * AES-CBC-256 with HMAC-SHA2-256-128); bit 1 the mode.
 * Mode 0: the rest is a protected message: ike_sk_open on its SK payload
 * (the AAD is the message up to the SK body), then the inner chain is
 * decoded and checked like fuzz_ike_msg's. Random bytes rarely pass the
 * ICV, so this mostly drives the length, padding and ICV checks.
 * Mode 1: the rest is a message whose SK body is plaintext: it is sealed
 * with ike_sk_seal, must open to the same bytes, and the sealed message
 * goes through mode 0, so the fuzzer reaches the decrypted path too. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ike_fuzz.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
seal_then_open(unsigned which, const uint8_t *data, size_t size)
{
	static const uint8_t	 iv[IKE_IV_MAX] = { 0x42 };
	struct ike_suite	 s;
	struct ike_sk_key	 k;
	struct ike_msg		 m;
	struct ike_err		 err;
	const struct ike_pl	*sk;
	uint8_t			*buf, *out;
	size_t			 aadlen, plen, blen, olen = 0, total;

	if (ike_msg_decode(data, size, &m, &err) == -1 || m.sk < 0)
		return;
	fuzz_sk_suite(which, &s, &k);
	sk = &m.pl[m.sk];
	aadlen = (size_t)(sk->body - data);
	plen = sk->len;
	blen = ike_sk_len(&s, plen);
	FUZZ_CHECK(blen > plen);
	total = aadlen + blen;
	if (total > IKE_MSG_LIMIT)
		return;
	if ((buf = malloc(total)) == NULL || (out = malloc(blen)) == NULL)
		abort();
	memcpy(buf, data, aadlen);
	/* the lengths as they will be: SK's generic header, the header */
	buf[aadlen - 2] = (uint8_t)((IKE_PAYLOAD_HDR_LEN + blen) >> 8);
	buf[aadlen - 1] = (uint8_t)(IKE_PAYLOAD_HDR_LEN + blen);
	buf[24] = (uint8_t)(total >> 24);
	buf[25] = (uint8_t)(total >> 16);
	buf[26] = (uint8_t)(total >> 8);
	buf[27] = (uint8_t)total;
	FUZZ_CHECK(ike_sk_seal(&s, &k, buf, aadlen, sk->body, plen, iv,
	    buf + aadlen, blen) == 0);
	FUZZ_CHECK(ike_sk_open(&s, &k, buf, aadlen, buf + aadlen, blen, out,
	    &olen) == 0);
	FUZZ_CHECK(olen == plen && (plen == 0 ||
	    memcmp(out, sk->body, plen) == 0));
	(void)fuzz_sk_message(which, buf, total);
	free(out);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 2)
		seal_then_open(data[0] & 1, data + 1, size - 1);
	else
		(void)fuzz_sk_message(data[0] & 1, data + 1, size - 1);
	return 0;
}
