/* check_selector: stored selectors as the kernel's prefixes (lib/selector.c),
 * and the kernel algorithm names of every transform (lib/transform.c). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "selector.h"
#include "transform.h"

static const struct {
	const char	*in;
	int		 family;
	int		 n;		/* prefixes, -1 too many */
	const char	*first;		/* "ADDR/LEN" of the first */
	const char	*last;
} sel_cases[] = {
	{ "any", AF_INET, 1, "0.0.0.0/0", "0.0.0.0/0" },
	{ "", AF_INET6, 1, "::/0", "::/0" },
	{ "10.0.0.0/8", AF_INET, 1, "10.0.0.0/8", "10.0.0.0/8" },
	{ "10.0.0.0/8", AF_INET6, 0, NULL, NULL },	/* other family */
	{ "2001:db8::/32", AF_INET, 0, NULL, NULL },
	{ "10.0.0.0-10.0.0.255", AF_INET, 1, "10.0.0.0/24", "10.0.0.0/24" },
	{ "10.0.0.1-10.0.0.6", AF_INET, 4, "10.0.0.1/32", "10.0.0.6/32" },
	{ "10.0.0.7-10.0.0.7", AF_INET, 1, "10.0.0.7/32", "10.0.0.7/32" },
	{ "0.0.0.0-255.255.255.255", AF_INET, 1, "0.0.0.0/0", "0.0.0.0/0" },
	{ "0.0.0.1-255.255.255.254", AF_INET, 62, "0.0.0.1/32",
	    "255.255.255.254/32" },
	{ "192.0.2.0-192.0.3.255", AF_INET, 1, "192.0.2.0/23",
	    "192.0.2.0/23" },
	{ "2001:db8::-2001:db8::ffff", AF_INET6, 1, "2001:db8::/112",
	    "2001:db8::/112" },
	{ "2001:db8::1-2001:db8::2", AF_INET6, 2, "2001:db8::1/128",
	    "2001:db8::2/128" },
	/* the whole IPv6 space as a range: two halves (no 2^128 block) */
	{ "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AF_INET6, 2, "::/1",
	    "8000::/1" },
	{ "10.0.0.1-10.0.0.6", AF_INET6, 0, NULL, NULL },
};

static void
sel_text(const struct sel *s, char *out, size_t size)
{
	char	 a[INET6_ADDRSTRLEN];

	inet_ntop(s->family, s->addr, a, sizeof(a));
	snprintf(out, size, "%s/%d", a, s->plen);
}

START_TEST(test_selector_cases)
{
	struct sel	 out[64];
	char		 text[64];
	int		 n;

	n = selector_expand(sel_cases[_i].in, sel_cases[_i].family, out, 64);
	ck_assert_msg(n == sel_cases[_i].n, "%s: %d prefixes, want %d",
	    sel_cases[_i].in, n, sel_cases[_i].n);
	if (n <= 0)
		return;
	ck_assert_int_eq(out[0].family, sel_cases[_i].family);
	sel_text(&out[0], text, sizeof(text));
	ck_assert_str_eq(text, sel_cases[_i].first);
	sel_text(&out[n - 1], text, sizeof(text));
	ck_assert_str_eq(text, sel_cases[_i].last);
}
END_TEST

START_TEST(test_selector_max)
{
	struct sel	 out[8];

	ck_assert_int_eq(selector_expand("0.0.0.1-255.255.255.254", AF_INET,
	    out, 8), -1);
	ck_assert_int_eq(selector_expand("10.0.0.1-10.0.0.6", AF_INET, out,
	    4), 4);
	ck_assert_int_eq(selector_expand("10.0.0.1-10.0.0.6", AF_INET, out,
	    3), -1);
}
END_TEST

static uint32_t
v4(const struct sel *s)
{
	uint32_t a;

	memcpy(&a, s->addr, 4);
	return ntohl(a);
}

/* Any range: the prefixes are aligned, in order, touching, and cover
 * exactly lo..hi; none could merge with its neighbour into one. */
START_TEST(test_selector_random_ranges)
{
	struct sel	 out[64];
	uint32_t	 lo, hi, next, size;
	unsigned char	 a[4], b[4];
	int		 n, i, round;

	srandom(7);
	for (round = 0; round < 2000; round++) {
		lo = (uint32_t)random() ^ ((uint32_t)random() << 16);
		hi = lo + ((uint32_t)random() >> (random() % 31));
		if (hi < lo)
			hi = UINT32_MAX;
		lo = htonl(lo);
		memcpy(a, &lo, 4);
		lo = ntohl(lo);
		hi = htonl(hi);
		memcpy(b, &hi, 4);
		hi = ntohl(hi);
		n = selector_range(AF_INET, a, b, out, 64);
		ck_assert_int_gt(n, 0);
		ck_assert_int_le(n, 62);
		next = lo;
		for (i = 0; i < n; i++) {
			size = out[i].plen == 0 ? 0 :
			    (uint32_t)1 << (32 - out[i].plen);
			ck_assert_uint_eq(v4(&out[i]), next);
			if (size != 0)
				ck_assert_uint_eq(v4(&out[i]) & (size - 1), 0);
			next = v4(&out[i]) + size - 1;
			if (i + 1 < n) {
				ck_assert(out[i].plen != out[i + 1].plen ||
				    (v4(&out[i]) & size) != 0 ||
				    v4(&out[i + 1]) != next + 1);
				next++;
			}
		}
		ck_assert_uint_eq(next, hi);
	}
}
END_TEST

/* Every transform has the kernel's names and lengths for an SA. */
START_TEST(test_transform_kernel_names)
{
	struct transform t;
	const char	*name;
	size_t		 i;

	for (i = 0; (name = transform_name_at(i)) != NULL; i++) {
		ck_assert_int_eq(transform_lookup(name, &t), 0);
		if (t.proto == TRANSFORM_ESP)
			ck_assert_msg(t.xfrm_cipher != NULL, "%s", name);
		else
			ck_assert_ptr_null(t.xfrm_cipher);
		if (t.aead) {
			ck_assert_uint_eq(t.icv_bits, 128);
			ck_assert_ptr_null(t.xfrm_integ);
		}
		if (t.integ != NULL) {
			ck_assert_msg(t.xfrm_integ != NULL, "%s", name);
			/* RFC 2403/2404: 96 bits; RFC 4868: half the hash */
			ck_assert_uint_eq(t.trunc_bits, strcmp(t.integ, "md5") == 0 ||
			    strcmp(t.integ, "sha") == 0 ? 96 :
			    (unsigned)t.auth_key_len * 4);
		}
	}
	ck_assert_int_eq(transform_lookup("esp-aes256-gcm", &t), 0);
	ck_assert_str_eq(t.xfrm_cipher, "rfc4106(gcm(aes))");
	ck_assert_int_eq(transform_lookup("esp-chacha20-poly1305", &t), 0);
	ck_assert_str_eq(t.xfrm_cipher, "rfc7539esp(chacha20,poly1305)");
	ck_assert_int_eq(transform_lookup("esp-3des-sha512", &t), 0);
	ck_assert_str_eq(t.xfrm_cipher, "cbc(des3_ede)");
	ck_assert_str_eq(t.xfrm_integ, "hmac(sha512)");
	ck_assert_int_eq(transform_lookup("esp-null-sha", &t), 0);
	ck_assert_str_eq(t.xfrm_cipher, "ecb(cipher_null)");
	ck_assert_int_eq(transform_lookup("ah-sha384", &t), 0);
	ck_assert_str_eq(t.xfrm_integ, "hmac(sha384)");
	ck_assert_uint_eq(t.trunc_bits, 192);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("selector");
	TCase	*tc = tcase_create("selector");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_selector_cases, 0,
	    (int)(sizeof(sel_cases) / sizeof(sel_cases[0])));
	tcase_add_test(tc, test_selector_max);
	tcase_add_test(tc, test_selector_random_ranges);
	tcase_add_test(tc, test_transform_kernel_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
