/* check_parse: the validators of lib/parse.c, the transform table of
 * lib/transform.c and the helpers of lib/util.c. */
#include <check.h>
#include <sys/socket.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "transform.h"
#include "util.h"

/* A value the functions under test never write, to see they left it alone. */
#define CANARY	0x5a

/* ------------------------------------------------------------------ */
/* parse_uint */

static const struct {
	const char	*in;
	uint64_t	 min, max;
	int		 ok;
	uint64_t	 val;
	const char	*err;		/* substring of the error text */
} uint_cases[] = {
	/* min-1, min, max, max+1 */
	{ "0", 1, 65535, 0, 0, "out of range <1-65535>" },
	{ "1", 1, 65535, 1, 1, NULL },
	{ "65535", 1, 65535, 1, 65535, NULL },
	{ "65536", 1, 65535, 0, 0, "out of range <1-65535>" },
	{ "1799", 1800, 864000, 0, 0, "out of range <1800-864000>" },
	{ "1800", 1800, 864000, 1, 1800, NULL },
	{ "864000", 1800, 864000, 1, 864000, NULL },
	{ "864001", 1800, 864000, 0, 0, "out of range" },
	/* u32 */
	{ "4294967295", 0, UINT32_MAX, 1, 4294967295u, NULL },
	{ "4294967296", 0, UINT32_MAX, 0, 0, "out of range <0-4294967295>" },
	{ "0", 0, UINT32_MAX, 1, 0, NULL },
	/* u64: 20 digits is the longest number; one past the top overflows */
	{ "18446744073709551615", 0, UINT64_MAX, 1, UINT64_MAX, NULL },
	{ "18446744073709551616", 0, UINT64_MAX, 0, 0, "out of range" },
	{ "99999999999999999999", 0, UINT64_MAX, 0, 0, "out of range" },
	/* 21 digits, even with a small value */
	{ "100000000000000000000", 0, UINT64_MAX, 0, 0, "is not a number" },
	{ "000000000000000000001", 0, UINT64_MAX, 0, 0, "is not a number" },
	/* leading zeros within 20 digits are just a number */
	{ "007", 0, 10, 1, 7, NULL },
	/* not digits */
	{ "", 0, 100, 0, 0, "is not a number" },
	{ "+1", 0, 100, 0, 0, "is not a number" },
	{ "-1", 0, 100, 0, 0, "is not a number" },
	{ "-0", 0, 100, 0, 0, "is not a number" },
	{ "1a", 0, 100, 0, 0, "is not a number" },
	{ "a1", 0, 100, 0, 0, "is not a number" },
	{ " 1", 0, 100, 0, 0, "is not a number" },
	{ "1 ", 0, 100, 0, 0, "is not a number" },
	{ "0x10", 0, 100, 0, 0, "is not a number" },
	{ "1.5", 0, 100, 0, 0, "is not a number" },
	{ "1e3", 0, 10000, 0, 0, "is not a number" },
};

START_TEST(test_uint_cases)
{
	char	 err[ERR_LEN] = "";
	uint64_t v = 12345;
	int	 rc;

	rc = parse_uint(uint_cases[_i].in, "mtu", uint_cases[_i].min,
	    uint_cases[_i].max, &v, err);
	if (uint_cases[_i].ok) {
		ck_assert_msg(rc == 0, "'%s' refused: %s", uint_cases[_i].in,
		    err);
		ck_assert_uint_eq(v, uint_cases[_i].val);
	} else {
		ck_assert_msg(rc == -1, "'%s' accepted", uint_cases[_i].in);
		ck_assert_uint_eq(v, 12345);	/* out untouched */
		ck_assert_msg(strstr(err, uint_cases[_i].err) != NULL,
		    "'%s': error '%s' lacks '%s'", uint_cases[_i].in, err,
		    uint_cases[_i].err);
		ck_assert_msg(strstr(err, "mtu") != NULL, "no 'what': %s",
		    err);
	}
}
END_TEST

START_TEST(test_uint_error_text)
{
	char	 err[ERR_LEN];
	uint64_t v;

	ck_assert_int_eq(parse_uint("70000", "distance", 1, 255, &v, err), -1);
	ck_assert_str_eq(err, "distance 70000 is out of range <1-255>");
	ck_assert_int_eq(parse_uint("x", "distance", 1, 255, &v, err), -1);
	ck_assert_str_eq(err, "distance 'x' is not a number");
}
END_TEST

/* ------------------------------------------------------------------ */
/* parse_name */

START_TEST(test_name_lengths)
{
	char	 err[ERR_LEN], s[64];

	ck_assert_int_eq(parse_name("a", "tunnel", err), 0);
	ck_assert_int_eq(parse_name("7", "tunnel", err), 0);
	memset(s, 'x', 32);
	s[32] = '\0';
	ck_assert_int_eq(parse_name(s, "tunnel", err), 0);
	s[32] = 'x';
	s[33] = '\0';
	ck_assert_int_eq(parse_name(s, "tunnel", err), -1);
	ck_assert_ptr_nonnull(strstr(err, "must be 1-32 characters"));
	ck_assert_ptr_nonnull(strstr(err, s));
	ck_assert_int_eq(parse_name("", "tunnel", err), -1);
	ck_assert_str_eq(err, "tunnel '' must be 1-32 characters");
}
END_TEST

static const char *const name_good[] = {
	"t1", "T1", "to-branch", "to_branch", "vpn.branch.1", "0abc", "a-",
	"a.", "a_", "A-B_C.D",
};

START_TEST(test_name_good)
{
	char	 err[ERR_LEN] = "";

	ck_assert_msg(parse_name(name_good[_i], "tunnel", err) == 0,
	    "'%s' refused: %s", name_good[_i], err);
}
END_TEST

static const struct {
	const char	*in;
	const char	*err;
} name_bad[] = {
	{ "-a", "must start with a letter or digit" },
	{ "_a", "must start with a letter or digit" },
	{ ".a", "must start with a letter or digit" },
	{ " a", "must start with a letter or digit" },
	{ "a b", "may contain only letters, digits, '_', '-' and '.'" },
	{ "a/b", "may contain only" },
	{ "a:b", "may contain only" },
	{ "a@b", "may contain only" },
	{ "a'b", "may contain only" },
	{ "a\tb", "may contain only" },
	{ "a\xc3\xa9", "may contain only" },	/* UTF-8 e-acute */
	{ "a ", "may contain only" },
};

START_TEST(test_name_bad)
{
	char	 err[ERR_LEN] = "";

	ck_assert_msg(parse_name(name_bad[_i].in, "transform-set", err) == -1,
	    "'%s' accepted", name_bad[_i].in);
	ck_assert_msg(strstr(err, name_bad[_i].err) != NULL,
	    "'%s': error '%s' lacks '%s'", name_bad[_i].in, err,
	    name_bad[_i].err);
	ck_assert_msg(strncmp(err, "transform-set '", 15) == 0,
	    "error does not name the object: %s", err);
}
END_TEST

/* ------------------------------------------------------------------ */
/* parse_addr */

static const struct {
	const char	*in;
	int		 family;	/* restriction */
	const char	*out;		/* NULL: refused */
	int		 fam;
} addr_cases[] = {
	{ "192.0.2.1", 0, "192.0.2.1", 4 },
	{ "192.0.2.1", 4, "192.0.2.1", 4 },
	{ "0.0.0.0", 0, "0.0.0.0", 4 },
	{ "255.255.255.255", 4, "255.255.255.255", 4 },
	{ "2001:DB8:0::1", 0, "2001:db8::1", 6 },
	{ "2001:0db8:0000:0000:0000:0000:0000:0001", 6, "2001:db8::1", 6 },
	{ "2001:db8:0:0:1:0:0:1", 0, "2001:db8::1:0:0:1", 6 },
	{ "::", 6, "::", 6 },
	{ "::1", 0, "::1", 6 },
	{ "FE80::A", 6, "fe80::a", 6 },
	{ "::ffff:192.0.2.1", 0, "::ffff:192.0.2.1", 6 },
	/* family restriction */
	{ "192.0.2.1", 6, NULL, 0 },
	{ "2001:db8::1", 4, NULL, 0 },
	{ "::ffff:192.0.2.1", 4, NULL, 0 },
	/* not addresses */
	{ "", 0, NULL, 0 },
	{ "256.0.0.1", 0, NULL, 0 },
	{ "1.2.3", 0, NULL, 0 },
	{ "1.2.3.4.5", 0, NULL, 0 },
	{ "01.2.3.4", 0, NULL, 0 },
	{ "192.0.2.1 ", 0, NULL, 0 },
	{ " 192.0.2.1", 0, NULL, 0 },
	{ "192.0.2.1/32", 0, NULL, 0 },
	{ "1::2::3", 0, NULL, 0 },
	{ "2001:db8::g", 0, NULL, 0 },
	{ "12345::", 0, NULL, 0 },
	{ "example.com", 0, NULL, 0 },
};

START_TEST(test_addr_cases)
{
	char	 err[ERR_LEN] = "", out[ADDR_LEN];
	int	 fam = -7, rc;

	memset(out, CANARY, sizeof(out));
	rc = parse_addr(addr_cases[_i].in, addr_cases[_i].family, out, &fam,
	    err);
	if (addr_cases[_i].out != NULL) {
		ck_assert_msg(rc == 0, "'%s' refused: %s", addr_cases[_i].in,
		    err);
		ck_assert_str_eq(out, addr_cases[_i].out);
		ck_assert_int_eq(fam, addr_cases[_i].fam);
	} else {
		ck_assert_msg(rc == -1, "'%s' (family %d) accepted as '%s'",
		    addr_cases[_i].in, addr_cases[_i].family, out);
		ck_assert_int_eq(fam, -7);
		ck_assert_ptr_nonnull(strstr(err, addr_cases[_i].in));
		ck_assert_ptr_nonnull(strstr(err, "is not a valid"));
	}
}
END_TEST

START_TEST(test_addr_error_text)
{
	char	 err[ERR_LEN], out[ADDR_LEN];

	ck_assert_int_eq(parse_addr("2001:db8::1", 4, out, NULL, err), -1);
	ck_assert_str_eq(err, "'2001:db8::1' is not a valid IPv4 address");
	ck_assert_int_eq(parse_addr("192.0.2.1", 6, out, NULL, err), -1);
	ck_assert_str_eq(err, "'192.0.2.1' is not a valid IPv6 address");
	ck_assert_int_eq(parse_addr("x", 0, out, NULL, err), -1);
	ck_assert_str_eq(err, "'x' is not a valid IP address");
	/* fam may be NULL */
	ck_assert_int_eq(parse_addr("10.1.1.1", 0, out, NULL, err), 0);
	ck_assert_str_eq(out, "10.1.1.1");
}
END_TEST

/* ------------------------------------------------------------------ */
/* parse_prefix */

static const struct {
	const char	*in;
	int		 family, strict;
	const char	*out;		/* NULL: refused */
	int		 fam;
	const char	*err;
} prefix_cases[] = {
	{ "10.0.0.0/8", 0, 1, "10.0.0.0/8", 4, NULL },
	{ "10.0.0.0/8", 4, 1, "10.0.0.0/8", 4, NULL },
	{ "10.0.0.1/8", 0, 1, NULL, 0, "has host bits set" },
	{ "10.0.0.1/8", 0, 0, "10.0.0.1/8", 4, NULL },
	{ "0.0.0.0/0", 0, 1, "0.0.0.0/0", 4, NULL },
	{ "1.0.0.0/0", 0, 1, NULL, 0, "has host bits set beyond /0" },
	{ "128.0.0.0/0", 4, 1, NULL, 0, "has host bits set" },
	{ "1.0.0.0/0", 0, 0, "1.0.0.0/0", 4, NULL },
	{ "192.0.2.1/32", 0, 1, "192.0.2.1/32", 4, NULL },
	{ "255.255.255.255/32", 0, 1, "255.255.255.255/32", 4, NULL },
	{ "192.0.2.0/33", 0, 1, NULL, 0, "out of range <0-32>" },
	{ "192.0.2.0/33", 0, 0, NULL, 0, "out of range <0-32>" },
	/* host bits inside a byte */
	{ "10.0.0.128/25", 0, 1, "10.0.0.128/25", 4, NULL },
	{ "10.0.0.64/25", 0, 1, NULL, 0, "has host bits set beyond /25" },
	{ "10.0.0.192/26", 0, 1, "10.0.0.192/26", 4, NULL },
	{ "10.0.0.224/26", 0, 1, NULL, 0, "has host bits set" },
	{ "10.0.0.254/31", 0, 1, "10.0.0.254/31", 4, NULL },
	{ "10.0.0.255/31", 0, 1, NULL, 0, "has host bits set" },
	{ "172.16.0.0/12", 0, 1, "172.16.0.0/12", 4, NULL },
	{ "172.24.0.0/12", 0, 1, NULL, 0, "has host bits set" },
	/* leading zeros in the length are canonicalised */
	{ "10.0.0.0/08", 0, 1, "10.0.0.0/8", 4, NULL },
	/* IPv6 */
	{ "::/0", 0, 1, "::/0", 6, NULL },
	{ "::1/0", 6, 1, NULL, 0, "has host bits set" },
	{ "2001:DB8:0:0::/32", 0, 1, "2001:db8::/32", 6, NULL },
	{ "2001:db8::1/64", 6, 1, NULL, 0, "has host bits set beyond /64" },
	{ "2001:db8::1/64", 6, 0, "2001:db8::1/64", 6, NULL },
	{ "2001:db8::1/128", 0, 1, "2001:db8::1/128", 6, NULL },
	{ "2001:db8::/129", 0, 1, NULL, 0, "out of range <0-128>" },
	{ "2001:db8::/129", 0, 0, NULL, 0, "out of range <0-128>" },
	{ "2001:db8:8000::/33", 0, 1, "2001:db8:8000::/33", 6, NULL },
	{ "2001:db8:4000::/33", 0, 1, NULL, 0, "has host bits set" },
	/* an IPv4 length limit does not apply to IPv6 */
	{ "2001:db8::/48", 0, 1, "2001:db8::/48", 6, NULL },
	/* family restriction */
	{ "2001:db8::/32", 4, 1, NULL, 0, "is not a valid IPv4 prefix" },
	{ "10.0.0.0/8", 6, 1, NULL, 0, "is not a valid IPv6 prefix" },
	/* malformed */
	{ "10.0.0.0", 0, 1, NULL, 0, "(PREFIX/LEN)" },
	{ "10.0.0.0/", 0, 1, NULL, 0, "is not a number" },
	{ "/8", 0, 1, NULL, 0, "is not a valid IP prefix" },
	{ "10.0.0.0/-1", 0, 1, NULL, 0, "is not a number" },
	{ "10.0.0.0/+8", 0, 1, NULL, 0, "is not a number" },
	{ "10.0.0.0/8/8", 0, 1, NULL, 0, "is not a number" },
	{ "10.0.0.0/ 8", 0, 1, NULL, 0, "is not a number" },
	{ "10.0.0/8", 0, 1, NULL, 0, "is not a valid" },
	{ "any", 0, 1, NULL, 0, "is not a valid" },
};

START_TEST(test_prefix_cases)
{
	char	 err[ERR_LEN] = "", out[ADDR_TEXT_LEN];
	int	 fam = -7, rc;

	rc = parse_prefix(prefix_cases[_i].in, prefix_cases[_i].family,
	    prefix_cases[_i].strict, out, &fam, err);
	if (prefix_cases[_i].out != NULL) {
		ck_assert_msg(rc == 0, "'%s' refused: %s", prefix_cases[_i].in,
		    err);
		ck_assert_str_eq(out, prefix_cases[_i].out);
		ck_assert_int_eq(fam, prefix_cases[_i].fam);
	} else {
		ck_assert_msg(rc == -1, "'%s' accepted as '%s'",
		    prefix_cases[_i].in, out);
		ck_assert_int_eq(fam, -7);
		ck_assert_msg(strstr(err, prefix_cases[_i].err) != NULL,
		    "'%s': error '%s' lacks '%s'", prefix_cases[_i].in, err,
		    prefix_cases[_i].err);
		ck_assert_msg(strstr(err, prefix_cases[_i].in) != NULL,
		    "error '%s' does not quote the input", err);
	}
}
END_TEST

/* Every length of both families: the network address with only the lowest
 * network bit set is accepted, one more bit below it is refused. */
START_TEST(test_prefix_every_length)
{
	char	 err[ERR_LEN], in[ADDR_TEXT_LEN], out[ADDR_TEXT_LEN];
	unsigned len;

	for (len = 1; len <= 32; len++) {
		uint32_t net = 1u << (32 - len), host = len < 32 ?
		    1u << (31 - len) : 0;
		snprintf(in, sizeof(in), "%u.%u.%u.%u/%u", net >> 24,
		    (net >> 16) & 0xff, (net >> 8) & 0xff, net & 0xff, len);
		ck_assert_msg(parse_prefix(in, 4, 1, out, NULL, err) == 0,
		    "%s refused: %s", in, err);
		ck_assert_str_eq(out, in);
		if (host == 0)
			continue;
		net |= host;
		snprintf(in, sizeof(in), "%u.%u.%u.%u/%u", net >> 24,
		    (net >> 16) & 0xff, (net >> 8) & 0xff, net & 0xff, len);
		ck_assert_msg(parse_prefix(in, 4, 1, out, NULL, err) == -1,
		    "%s accepted", in);
		ck_assert_ptr_nonnull(strstr(err, "has host bits set"));
	}
	for (len = 1; len <= 128; len++) {
		unsigned bit = len - 1;		/* lowest network bit */
		unsigned char b[16] = { 0 };
		char	 a[ADDR_LEN];
		int	 i, n;

		b[bit / 8] |= (unsigned char)(0x80 >> (bit % 8));
		for (i = 0, n = 0; i < 16; i += 2)
			n += snprintf(a + n, sizeof(a) - (size_t)n, "%s%x",
			    i ? ":" : "", b[i] << 8 | b[i + 1]);
		snprintf(in, sizeof(in), "%s/%u", a, len);
		ck_assert_msg(parse_prefix(in, 6, 1, out, NULL, err) == 0,
		    "%s refused: %s", in, err);
		if (len == 128)
			continue;
		bit = len;
		b[bit / 8] |= (unsigned char)(0x80 >> (bit % 8));
		for (i = 0, n = 0; i < 16; i += 2)
			n += snprintf(a + n, sizeof(a) - (size_t)n, "%s%x",
			    i ? ":" : "", b[i] << 8 | b[i + 1]);
		snprintf(in, sizeof(in), "%s/%u", a, len);
		ck_assert_msg(parse_prefix(in, 6, 1, out, NULL, err) == -1,
		    "%s accepted", in);
		ck_assert_ptr_nonnull(strstr(err, "has host bits set"));
	}
}
END_TEST

START_TEST(test_prefix_long_input)
{
	char	 err[ERR_LEN], in[400], out[ADDR_TEXT_LEN];

	/* An address part longer than any buffer is refused, not copied. */
	memset(in, '1', sizeof(in));
	in[300] = '/';
	in[301] = '8';
	in[302] = '\0';
	ck_assert_int_eq(parse_prefix(in, 0, 1, out, NULL, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "(PREFIX/LEN)"));
	memset(in, ':', 120);
	strcpy(in + 120, "/64");
	ck_assert_int_eq(parse_prefix(in, 0, 0, out, NULL, err), -1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* parse_addr_mask */

static const struct {
	const char	*addr, *mask;
	const char	*out;		/* NULL: refused */
	const char	*err;
} mask_cases[] = {
	{ "192.0.2.0", "255.255.255.0", "192.0.2.0/24", NULL },
	{ "0.0.0.0", "0.0.0.0", "0.0.0.0/0", NULL },
	{ "192.0.2.1", "255.255.255.255", "192.0.2.1/32", NULL },
	{ "192.0.2.2", "255.255.255.254", "192.0.2.2/31", NULL },
	{ "10.0.0.0", "255.0.0.0", "10.0.0.0/8", NULL },
	{ "10.0.0.0", "128.0.0.0", "10.0.0.0/1", NULL },
	{ "172.16.0.0", "255.240.0.0", "172.16.0.0/12", NULL },
	{ "10.1.2.3", "255.255.255.192", "10.1.2.3/26", NULL },
	{ "10.0.0.0", "255.0.255.0", NULL, "is not a contiguous network mask" },
	{ "10.0.0.0", "0.255.255.255", NULL, "contiguous" },
	{ "10.0.0.0", "255.255.255.1", NULL, "contiguous" },
	{ "10.0.0.0", "127.255.255.255", NULL, "contiguous" },
	{ "10.0.0.0", "0.0.0.1", NULL, "contiguous" },
	{ "10.0.0.0", "255.255.255", NULL, "is not a valid network mask" },
	{ "10.0.0.0", "24", NULL, "is not a valid network mask" },
	{ "10.0.0.0", "", NULL, "is not a valid network mask" },
	{ "2001:db8::", "255.255.255.0", NULL, "is not a valid IPv4 address" },
	{ "10.0.0.0/24", "255.255.255.0", NULL, "is not a valid IPv4 address" },
};

START_TEST(test_addr_mask_cases)
{
	char	 err[ERR_LEN] = "", out[ADDR_TEXT_LEN] = "";
	int	 rc;

	rc = parse_addr_mask(mask_cases[_i].addr, mask_cases[_i].mask, out,
	    err);
	if (mask_cases[_i].out != NULL) {
		ck_assert_msg(rc == 0, "%s %s refused: %s", mask_cases[_i].addr,
		    mask_cases[_i].mask, err);
		ck_assert_str_eq(out, mask_cases[_i].out);
	} else {
		ck_assert_msg(rc == -1, "%s %s accepted as %s",
		    mask_cases[_i].addr, mask_cases[_i].mask, out);
		ck_assert_msg(strstr(err, mask_cases[_i].err) != NULL,
		    "error '%s' lacks '%s'", err, mask_cases[_i].err);
	}
}
END_TEST

/* All 33 contiguous masks map to their length. */
START_TEST(test_addr_mask_every_length)
{
	char	 err[ERR_LEN], mask[16], out[ADDR_TEXT_LEN], exp[32];
	unsigned len;

	for (len = 0; len <= 32; len++) {
		uint32_t m = len ? 0xffffffffu << (32 - len) : 0;
		snprintf(mask, sizeof(mask), "%u.%u.%u.%u", m >> 24,
		    (m >> 16) & 0xff, (m >> 8) & 0xff, m & 0xff);
		ck_assert_msg(parse_addr_mask("0.0.0.0", mask, out, err) == 0,
		    "%s refused: %s", mask, err);
		snprintf(exp, sizeof(exp), "0.0.0.0/%u", len);
		ck_assert_str_eq(out, exp);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* parse_selector */

static const struct {
	const char	*in;
	const char	*out;		/* NULL: refused */
	const char	*err;
} sel_cases[] = {
	{ "any", "any", NULL },
	{ "10.0.0.0/8", "10.0.0.0/8", NULL },
	{ "0.0.0.0/0", "0.0.0.0/0", NULL },
	{ "2001:DB8::/32", "2001:db8::/32", NULL },
	{ "10.0.0.1/8", NULL, "has host bits set" },
	{ "2001:db8::1/32", NULL, "has host bits set" },
	{ "10.0.0.0/33", NULL, "out of range" },
	{ "10.0.0.1-10.0.0.9", "10.0.0.1-10.0.0.9", NULL },
	{ "10.0.0.1-10.0.0.1", "10.0.0.1-10.0.0.1", NULL },
	{ "0.0.0.0-255.255.255.255", "0.0.0.0-255.255.255.255", NULL },
	{ "10.0.0.255-10.0.1.0", "10.0.0.255-10.0.1.0", NULL },
	{ "2001:DB8:0::1-2001:db8::00ff", "2001:db8::1-2001:db8::ff", NULL },
	{ "10.0.0.9-10.0.0.1", NULL, "range '10.0.0.9-10.0.0.1' ends before it "
	    "starts" },
	{ "10.0.1.0-10.0.0.255", NULL, "ends before it starts" },
	{ "2001:db8::ff-2001:db8::1", NULL, "ends before it starts" },
	{ "2001:db8:1::-2001:db8::ffff", NULL, "ends before it starts" },
	{ "10.0.0.1-2001:db8::1", NULL, "'2001:db8::1' is not a valid IPv4 "
	    "address" },
	{ "2001:db8::1-10.0.0.1", NULL, "'10.0.0.1' is not a valid IPv6 "
	    "address" },
	{ "10.0.0.1-", NULL, "is not a valid" },
	{ "-10.0.0.1", NULL, "is not a valid" },
	{ "10.0.0.1-10.0.0.2-10.0.0.3", NULL, "is not a valid" },
	{ "10.0.0.1", NULL, "is not a selector" },
	{ "ANY", NULL, "is not a selector" },
	{ "", NULL, "is not a selector" },
	{ "anything", NULL, "is not a selector" },
};

START_TEST(test_selector_cases)
{
	char	 err[ERR_LEN] = "", out[ADDR_TEXT_LEN] = "";
	int	 rc;

	rc = parse_selector(sel_cases[_i].in, out, err);
	if (sel_cases[_i].out != NULL) {
		ck_assert_msg(rc == 0, "'%s' refused: %s", sel_cases[_i].in,
		    err);
		ck_assert_str_eq(out, sel_cases[_i].out);
	} else {
		ck_assert_msg(rc == -1, "'%s' accepted as '%s'",
		    sel_cases[_i].in, out);
		ck_assert_msg(strstr(err, sel_cases[_i].err) != NULL,
		    "'%s': error '%s' lacks '%s'", sel_cases[_i].in, err,
		    sel_cases[_i].err);
	}
}
END_TEST

START_TEST(test_selector_long_input)
{
	char	 err[ERR_LEN], in[300], out[ADDR_TEXT_LEN];

	memset(in, '1', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	in[150] = '-';
	ck_assert_int_eq(parse_selector(in, out, err), -1);
	in[150] = '1';
	in[5] = '-';
	ck_assert_int_eq(parse_selector(in, out, err), -1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* parse_fqdn and parse_identity */

static void
fill(char *s, char c, size_t n)
{
	memset(s, c, n);
	s[n] = '\0';
}

static const char *const fqdn_good[] = {
	"a", "localhost", "example.com", "EXAMPLE.com", "vpn-1.example.com",
	"1.example.com", "123.a", "a1", "x.y.z.w.v", "xn--bcher-kva.example",
	"a.b-c",
};

START_TEST(test_fqdn_good)
{
	char	 err[ERR_LEN] = "";

	ck_assert_msg(parse_fqdn(fqdn_good[_i], err) == 0, "'%s' refused: %s",
	    fqdn_good[_i], err);
}
END_TEST

static const char *const fqdn_bad[] = {
	"", ".", ".example.com", "example..com", "example.com.", "-a.com",
	"a-.com", "a.-com", "a.com-", "a_b.com", "a b.com", "a@b.com",
	"1.2.3.4", "a.123", "123", "a.0", "exa*mple.com", "a..", "a/b",
};

START_TEST(test_fqdn_bad)
{
	char	 err[ERR_LEN] = "";

	ck_assert_msg(parse_fqdn(fqdn_bad[_i], err) == -1, "'%s' accepted",
	    fqdn_bad[_i]);
	ck_assert_msg(strstr(err, fqdn_bad[_i]) != NULL,
	    "error '%s' does not quote the input", err);
}
END_TEST

START_TEST(test_fqdn_lengths)
{
	char	 err[ERR_LEN], s[128];

	/* label of 63 ok, 64 refused */
	fill(s, 'a', 63);
	strcat(s, ".com");
	ck_assert_int_eq(parse_fqdn(s, err), 0);
	fill(s, 'a', 64);
	strcat(s, ".com");
	ck_assert_int_eq(parse_fqdn(s, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "is not a valid domain name"));
	/* last label of 64 too */
	strcpy(s, "x.");
	fill(s + 2, 'b', 64);
	ck_assert_int_eq(parse_fqdn(s, err), -1);
	/* whole name: 80 ok, 81 refused */
	fill(s, 'c', 60);
	strcat(s, ".");
	fill(s + 61, 'd', 19);
	ck_assert_uint_eq(strlen(s), 80);
	ck_assert_int_eq(parse_fqdn(s, err), 0);
	strcat(s, "d");
	ck_assert_int_eq(parse_fqdn(s, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "must be 1-80 characters"));
}
END_TEST

static const struct {
	const char	*in;
	const char	*out;
	enum id_type	 type;
} id_good[] = {
	{ "192.0.2.1", "192.0.2.1", ID_TYPE_IPV4 },
	{ "2001:DB8:0::1", "2001:db8::1", ID_TYPE_IPV6 },
	{ "::1", "::1", ID_TYPE_IPV6 },
	{ "VPN.Example.COM", "vpn.example.com", ID_TYPE_FQDN },
	{ "host", "host", ID_TYPE_FQDN },
	{ "Alice@Example.COM", "Alice@example.com", ID_TYPE_USER_FQDN },
	{ "a.B+c@X.y", "a.B+c@x.y", ID_TYPE_USER_FQDN },
	{ "ROOT@host", "ROOT@host", ID_TYPE_USER_FQDN },
	{ "1@1.example.com", "1@1.example.com", ID_TYPE_USER_FQDN },
};

START_TEST(test_identity_good)
{
	char	 err[ERR_LEN] = "", out[IDENTITY_MAX_LEN + 1];
	enum id_type t = ID_TYPE_NONE;

	ck_assert_msg(parse_identity(id_good[_i].in, out, &t, err) == 0,
	    "'%s' refused: %s", id_good[_i].in, err);
	ck_assert_str_eq(out, id_good[_i].out);
	ck_assert_int_eq(t, id_good[_i].type);
}
END_TEST

static const struct {
	const char	*in;
	const char	*err;
} id_bad[] = {
	{ "@x.com", "'@x.com' is not a valid user@fqdn" },
	{ "a@@b.com", "is not a valid user@fqdn" },
	{ "a@b@c.com", "is not a valid user@fqdn" },
	{ "a@", "is not a valid user@fqdn" },
	{ "a b@x.com", "is not a valid user@fqdn" },
	{ "a\t@x.com", "is not a valid user@fqdn" },
	{ "a@x.123", "is not a valid user@fqdn" },
	{ "a@-x.com", "is not a valid user@fqdn" },
	{ "1.2.3.999", "is not a valid domain name or address" },
	{ "10.0.0", "is not a valid domain name or address" },
	{ "-vpn.example.com", "is not a valid domain name" },
	{ "vpn-.example.com", "is not a valid domain name" },
	{ "vpn.example.com-", "is not a valid domain name" },
	{ "vpn..example.com", "is not a valid domain name" },
	{ "vpn_1.example.com", "is not a valid domain name" },
	{ "", "must be 1-80 characters" },
	{ "2001:db8::1/64", "is not a valid domain name" },
};

START_TEST(test_identity_bad)
{
	char	 err[ERR_LEN] = "", out[IDENTITY_MAX_LEN + 1];
	enum id_type t = ID_TYPE_NONE;

	ck_assert_msg(parse_identity(id_bad[_i].in, out, &t, err) == -1,
	    "'%s' accepted as '%s'", id_bad[_i].in, out);
	ck_assert_int_eq(t, ID_TYPE_NONE);
	ck_assert_msg(strstr(err, id_bad[_i].err) != NULL,
	    "'%s': error '%s' lacks '%s'", id_bad[_i].in, err, id_bad[_i].err);
}
END_TEST

START_TEST(test_identity_lengths)
{
	char	 err[ERR_LEN], s[256], out[IDENTITY_MAX_LEN + 1];
	enum id_type t;

	/* FQDN of 80: accepted, lower-cased */
	fill(s, 'A', 40);
	strcat(s, ".");
	fill(s + 41, 'B', 39);
	ck_assert_uint_eq(strlen(s), 80);
	ck_assert_int_eq(parse_identity(s, out, &t, err), 0);
	ck_assert_int_eq(t, ID_TYPE_FQDN);
	ck_assert_uint_eq(strlen(out), 80);
	ck_assert_int_eq(out[0], 'a');
	ck_assert_int_eq(out[79], 'b');
	/* 81 */
	strcat(s, "B");
	ck_assert_int_eq(parse_identity(s, out, &t, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "longer than 80"));
	/* user@fqdn of 80 and 81 */
	fill(s, 'U', 40);
	strcat(s, "@");
	fill(s + 41, 'D', 35);
	strcat(s, ".com");
	ck_assert_uint_eq(strlen(s), 80);
	ck_assert_int_eq(parse_identity(s, out, &t, err), 0);
	ck_assert_int_eq(t, ID_TYPE_USER_FQDN);
	ck_assert_int_eq(out[0], 'U');
	ck_assert_int_eq(out[39], 'U');
	ck_assert_int_eq(out[41], 'd');
	ck_assert_str_eq(out + 76, ".com");
	memmove(s + 1, s, strlen(s) + 1);
	ck_assert_uint_eq(strlen(s), 81);
	ck_assert_int_eq(parse_identity(s, out, &t, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "longer than 80"));
	/* very long input: the error quotes a prefix, not all of it */
	fill(s, 'e', 250);
	ck_assert_int_eq(parse_identity(s, out, &t, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "longer than 80 characters"));
	ck_assert_uint_lt(strlen(err), 100);
	/* label of 64 refused, 63 accepted */
	fill(s, 'l', 64);
	strcat(s, ".com");
	ck_assert_int_eq(parse_identity(s, out, &t, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "is not a valid domain name"));
	s[63] = '\0';
	strcat(s, ".com");
	ck_assert_int_eq(parse_identity(s, out, &t, err), 0);
	/* a 64-character label in the domain of user@fqdn */
	strcpy(s, "u@");
	fill(s + 2, 'l', 64);
	strcat(s, ".com");
	ck_assert_int_eq(parse_identity(s, out, &t, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "user@fqdn"));
}
END_TEST

START_TEST(test_id_type_name)
{
	ck_assert_str_eq(id_type_name(ID_TYPE_NONE), "none");
	ck_assert_str_eq(id_type_name(ID_TYPE_IPV4), "ipv4");
	ck_assert_str_eq(id_type_name(ID_TYPE_IPV6), "ipv6");
	ck_assert_str_eq(id_type_name(ID_TYPE_FQDN), "fqdn");
	ck_assert_str_eq(id_type_name(ID_TYPE_USER_FQDN), "user-fqdn");
	ck_assert_str_eq(id_type_name(ID_TYPE_DN), "dn");
}
END_TEST

/* ------------------------------------------------------------------ */
/* parse_keyword */

START_TEST(test_keyword)
{
	static const char *const words[] = { "immediately", "on-traffic",
	    "responder-only", NULL };
	static const char *const none[] = { NULL };
	char	 err[ERR_LEN];

	ck_assert_int_eq(parse_keyword("immediately", "establish", words, err),
	    0);
	ck_assert_int_eq(parse_keyword("on-traffic", "establish", words, err),
	    1);
	ck_assert_int_eq(parse_keyword("responder-only", "establish", words,
	    err), 2);
	ck_assert_int_eq(parse_keyword("sometimes", "establish", words, err),
	    -1);
	ck_assert_str_eq(err, "establish 'sometimes' is not one of: "
	    "immediately | on-traffic | responder-only");
	/* exact, case-sensitive, no abbreviations */
	ck_assert_int_eq(parse_keyword("Immediately", "establish", words, err),
	    -1);
	ck_assert_int_eq(parse_keyword("on", "establish", words, err), -1);
	ck_assert_int_eq(parse_keyword("", "establish", words, err), -1);
	ck_assert_str_eq(err, "establish '' is not one of: "
	    "immediately | on-traffic | responder-only");
	ck_assert_int_eq(parse_keyword("x", "mode", none, err), -1);
	ck_assert_str_eq(err, "mode 'x' is not one of: ");
}
END_TEST

START_TEST(test_keyword_long_list)
{
	/* A list longer than the error buffer is cut, not overrun. */
	static char buf[100][20];
	const char *words[101];
	char	 err[ERR_LEN];
	int	 i;

	for (i = 0; i < 100; i++) {
		snprintf(buf[i], sizeof(buf[i]), "keyword-number-%02d", i);
		words[i] = buf[i];
	}
	words[100] = NULL;
	ck_assert_int_eq(parse_keyword("keyword-number-99", "k", words, err),
	    99);
	ck_assert_int_eq(parse_keyword("nope", "k", words, err), -1);
	ck_assert_uint_lt(strlen(err), ERR_LEN);
	ck_assert_ptr_nonnull(strstr(err, "k 'nope' is not one of: "
	    "keyword-number-00 | keyword-number-01"));
}
END_TEST

/* ------------------------------------------------------------------ */
/* transform */

/* The grammar of CLI.md, written out independently of lib/transform.c. */
static const struct {
	const char	*name;
	size_t		 key;
	int		 aead;
} exp_ciphers[] = {
	{ "null", 0, 0 }, { "des", 8, 0 }, { "3des", 24, 0 },
	{ "aes128", 16, 0 }, { "aes192", 24, 0 }, { "aes256", 32, 0 },
	{ "aes128-gcm", 20, 1 }, { "aes256-gcm", 36, 1 },
	{ "chacha20-poly1305", 36, 1 },
};
static const struct {
	const char	*name;
	size_t		 key;
} exp_hashes[] = {
	{ "md5", 16 }, { "sha", 20 }, { "sha256", 32 }, { "sha384", 48 },
	{ "sha512", 64 },
};

/* esp-{null,des,3des,aes128,aes192,aes256}-{5 hashes}: 6 * 5 = 30
 * esp-{des,3des,aes128,aes192,aes256}:                      5
 * esp-{aes128-gcm,aes256-gcm,chacha20-poly1305}:            3
 * ah-{5 hashes}:                                            5 */
#define EXP_TRANSFORMS	(6 * 5 + 5 + 3 + 5)

struct exp_transform {
	char	 name[40];
	int	 proto;
	const char *cipher, *integ;
	size_t	 enc, auth;
	int	 aead, lacks;
};

static size_t
exp_transforms(struct exp_transform *e)
{
	size_t	 n = 0, c, h;

	for (c = 0; c < nitems(exp_ciphers); c++) {
		if (exp_ciphers[c].aead) {
			snprintf(e[n].name, 40, "esp-%s", exp_ciphers[c].name);
			e[n].proto = TRANSFORM_ESP;
			e[n].cipher = exp_ciphers[c].name;
			e[n].integ = NULL;
			e[n].enc = exp_ciphers[c].key;
			e[n].auth = 0;
			e[n].aead = 1;
			e[n].lacks = 0;
			n++;
			continue;
		}
		for (h = 0; h < nitems(exp_hashes); h++) {
			snprintf(e[n].name, 40, "esp-%s-%s",
			    exp_ciphers[c].name, exp_hashes[h].name);
			e[n].proto = TRANSFORM_ESP;
			e[n].cipher = exp_ciphers[c].name;
			e[n].integ = exp_hashes[h].name;
			e[n].enc = exp_ciphers[c].key;
			e[n].auth = exp_hashes[h].key;
			e[n].aead = 0;
			e[n].lacks = 0;
			n++;
		}
		if (strcmp(exp_ciphers[c].name, "null") == 0)
			continue;
		snprintf(e[n].name, 40, "esp-%s", exp_ciphers[c].name);
		e[n].proto = TRANSFORM_ESP;
		e[n].cipher = exp_ciphers[c].name;
		e[n].integ = NULL;
		e[n].enc = exp_ciphers[c].key;
		e[n].auth = 0;
		e[n].aead = 0;
		e[n].lacks = 1;
		n++;
	}
	for (h = 0; h < nitems(exp_hashes); h++) {
		snprintf(e[n].name, 40, "ah-%s", exp_hashes[h].name);
		e[n].proto = TRANSFORM_AH;
		e[n].cipher = NULL;
		e[n].integ = exp_hashes[h].name;
		e[n].enc = 0;
		e[n].auth = exp_hashes[h].key;
		e[n].aead = 0;
		e[n].lacks = 0;
		n++;
	}
	return n;
}

START_TEST(test_transform_count)
{
	struct exp_transform e[64];
	size_t	 i, j, n;

	ck_assert_uint_eq(exp_transforms(e), EXP_TRANSFORMS);
	ck_assert_uint_eq(EXP_TRANSFORMS, 43);
	for (n = 0; transform_name_at(n) != NULL; n++)
		ck_assert_uint_lt(n, 1000);
	ck_assert_uint_eq(n, 43);
	ck_assert_ptr_null(transform_name_at(43));
	ck_assert_ptr_null(transform_name_at(44));
	ck_assert_ptr_null(transform_name_at((size_t)-1));
	/* no duplicates; every listed name is in the grammar and back */
	for (i = 0; i < n; i++) {
		int found = 0;
		for (j = i + 1; j < n; j++)
			ck_assert_str_ne(transform_name_at(i),
			    transform_name_at(j));
		for (j = 0; j < EXP_TRANSFORMS; j++)
			if (strcmp(e[j].name, transform_name_at(i)) == 0)
				found++;
		ck_assert_msg(found == 1, "%s is not in the CLI grammar",
		    transform_name_at(i));
	}
	for (j = 0; j < EXP_TRANSFORMS; j++) {
		int found = 0;
		for (i = 0; i < n; i++)
			if (strcmp(e[j].name, transform_name_at(i)) == 0)
				found++;
		ck_assert_msg(found == 1, "%s is not listed", e[j].name);
	}
	/* a stable order: ESP before AH */
	ck_assert_str_eq(transform_name_at(0), "esp-null-md5");
	ck_assert_str_eq(transform_name_at(42), "ah-sha512");
}
END_TEST

/* Every name transform_name_at lists looks up, with the right lengths. */
START_TEST(test_transform_every_listed)
{
	struct exp_transform e[64];
	struct transform t;
	const char *name;
	size_t	 j;

	exp_transforms(e);
	name = transform_name_at((size_t)_i);
	ck_assert_ptr_nonnull(name);
	for (j = 0; j < EXP_TRANSFORMS; j++)
		if (strcmp(e[j].name, name) == 0)
			break;
	ck_assert_msg(j < EXP_TRANSFORMS, "%s unexpected", name);
	memset(&t, CANARY, sizeof(t));
	ck_assert_msg(transform_lookup(name, &t) == 0, "%s does not look up",
	    name);
	ck_assert_str_eq(t.name, name);
	ck_assert_int_eq(t.proto, e[j].proto);
	if (e[j].cipher == NULL)
		ck_assert_ptr_null(t.cipher);
	else {
		ck_assert_ptr_nonnull(t.cipher);
		ck_assert_str_eq(t.cipher, e[j].cipher);
	}
	if (e[j].integ == NULL)
		ck_assert_ptr_null(t.integ);
	else {
		ck_assert_ptr_nonnull(t.integ);
		ck_assert_str_eq(t.integ, e[j].integ);
	}
	ck_assert_int_eq(t.aead, e[j].aead);
	ck_assert_uint_eq(t.enc_key_len, e[j].enc);
	ck_assert_uint_eq(t.auth_key_len, e[j].auth);
	ck_assert_int_eq(transform_lacks_integrity(&t), e[j].lacks);
}
END_TEST

START_TEST(test_transform_key_lengths)
{
	struct transform t;

	ck_assert_int_eq(transform_lookup("esp-aes128-sha256", &t), 0);
	ck_assert_int_eq(t.proto, TRANSFORM_ESP);
	ck_assert_uint_eq(t.enc_key_len, 16);
	ck_assert_uint_eq(t.auth_key_len, 32);
	ck_assert_int_eq(t.aead, 0);

	ck_assert_int_eq(transform_lookup("esp-aes256-gcm", &t), 0);
	ck_assert_uint_eq(t.enc_key_len, 36);
	ck_assert_uint_eq(t.auth_key_len, 0);
	ck_assert_int_eq(t.aead, 1);
	ck_assert_str_eq(t.cipher, "aes256-gcm");
	ck_assert_ptr_null(t.integ);

	ck_assert_int_eq(transform_lookup("esp-aes128-gcm", &t), 0);
	ck_assert_uint_eq(t.enc_key_len, 20);
	ck_assert_str_eq(t.cipher, "aes128-gcm");
	ck_assert_int_eq(t.aead, 1);

	ck_assert_int_eq(transform_lookup("esp-chacha20-poly1305", &t), 0);
	ck_assert_uint_eq(t.enc_key_len, 36);
	ck_assert_uint_eq(t.auth_key_len, 0);
	ck_assert_int_eq(t.aead, 1);

	ck_assert_int_eq(transform_lookup("esp-3des-md5", &t), 0);
	ck_assert_uint_eq(t.enc_key_len, 24);
	ck_assert_uint_eq(t.auth_key_len, 16);
	ck_assert_str_eq(t.cipher, "3des");
	ck_assert_str_eq(t.integ, "md5");

	ck_assert_int_eq(transform_lookup("esp-des-sha", &t), 0);
	ck_assert_uint_eq(t.enc_key_len, 8);
	ck_assert_str_eq(t.cipher, "des");

	ck_assert_int_eq(transform_lookup("ah-sha", &t), 0);
	ck_assert_int_eq(t.proto, TRANSFORM_AH);
	ck_assert_uint_eq(t.enc_key_len, 0);
	ck_assert_uint_eq(t.auth_key_len, 20);
	ck_assert_ptr_null(t.cipher);
	ck_assert_str_eq(t.integ, "sha");

	ck_assert_int_eq(transform_lookup("esp-null-sha512", &t), 0);
	ck_assert_uint_eq(t.enc_key_len, 0);
	ck_assert_uint_eq(t.auth_key_len, 64);
	ck_assert_str_eq(t.cipher, "null");
}
END_TEST

static const char *const transform_bad[] = {
	"esp-null", "esp-aes128-gcm-sha", "ah-aes128", "esp-aes512", "",
	"esp-", "ah-", "esp", "ah", "ESP-AES128-SHA", "esp-AES128",
	"esp-aes128-sha1", "esp-aes128-sha256 ", " esp-aes128",
	"esp-aes128sha256", "esp-aes128-", "ah-sha-md5", "ah-sha256-",
	"esp-aes256-gcm-sha256", "esp-chacha20-poly1305-sha",
	"esp-chacha20", "esp-gcm", "esp-aes-gcm", "esp-aes", "esp-md5",
	"esp-sha256", "ah-null", "ah-", "ip-sha", "esp-aes128-md5-sha",
	"esp-3des-sha224", "xxx-aes128-sha",
};

START_TEST(test_transform_bad)
{
	struct transform t;

	ck_assert_msg(transform_lookup(transform_bad[_i], &t) == -1,
	    "'%s' looked up", transform_bad[_i]);
}
END_TEST

START_TEST(test_transform_lacks_integrity)
{
	struct transform t;

	ck_assert_int_eq(transform_lookup("esp-aes128", &t), 0);
	ck_assert_int_eq(transform_lacks_integrity(&t), 1);
	ck_assert_int_eq(transform_lookup("esp-3des", &t), 0);
	ck_assert_int_eq(transform_lacks_integrity(&t), 1);
	ck_assert_int_eq(transform_lookup("esp-aes128-sha", &t), 0);
	ck_assert_int_eq(transform_lacks_integrity(&t), 0);
	ck_assert_int_eq(transform_lookup("esp-aes128-gcm", &t), 0);
	ck_assert_int_eq(transform_lacks_integrity(&t), 0);
	ck_assert_int_eq(transform_lookup("esp-null-md5", &t), 0);
	ck_assert_int_eq(transform_lacks_integrity(&t), 0);
	ck_assert_int_eq(transform_lookup("ah-md5", &t), 0);
	ck_assert_int_eq(transform_lacks_integrity(&t), 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* util */

START_TEST(test_hex_round_trip)
{
	unsigned char in[256], back[256];
	char	 hex[513];
	size_t	 i, len;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)i;
	for (len = 0; len <= sizeof(in); len++) {
		memset(hex, CANARY, sizeof(hex));
		hex_encode(in, len, hex);
		ck_assert_uint_eq(strlen(hex), 2 * len);
		if (len == 0)
			continue;
		memset(back, 0, sizeof(back));
		ck_assert_int_eq(hex_decode(hex, back, len), (long)len);
		ck_assert_mem_eq(back, in, len);
	}
	hex_encode(in, 256, hex);
	ck_assert_int_eq(strncmp(hex, "000102030405060708090a0b0c0d0e0f10", 34),
	    0);
	ck_assert_str_eq(hex + 500, "fafbfcfdfeff");
}
END_TEST

START_TEST(test_hex_encode_text)
{
	static const unsigned char in[] = { 0x00, 0x01, 0xab, 0xff, 0x5a };
	char	 hex[16];

	hex_encode(in, sizeof(in), hex);
	ck_assert_str_eq(hex, "0001abff5a");
	memset(hex, CANARY, sizeof(hex));
	hex_encode(in, 0, hex);
	ck_assert_str_eq(hex, "");
}
END_TEST

START_TEST(test_hex_decode)
{
	unsigned char out[8];
	static const unsigned char exp[] = { 0xde, 0xad, 0xbe, 0xef };

	ck_assert_int_eq(hex_decode("deadbeef", out, sizeof(out)), 4);
	ck_assert_mem_eq(out, exp, 4);
	ck_assert_int_eq(hex_decode("DEADBEEF", out, sizeof(out)), 4);
	ck_assert_mem_eq(out, exp, 4);
	ck_assert_int_eq(hex_decode("0xDeAdBeEf", out, sizeof(out)), 4);
	ck_assert_mem_eq(out, exp, 4);
	ck_assert_int_eq(hex_decode("0Xdeadbeef", out, sizeof(out)), 4);
	ck_assert_mem_eq(out, exp, 4);
	/* "0x" prefix then nothing; a 00 that only looks like a prefix */
	ck_assert_int_eq(hex_decode("0x", out, sizeof(out)), -1);
	ck_assert_int_eq(hex_decode("00", out, sizeof(out)), 1);
	ck_assert_int_eq(out[0], 0);
	ck_assert_int_eq(hex_decode("0x0x00", out, sizeof(out)), -1);
	/* refused */
	ck_assert_int_eq(hex_decode("", out, sizeof(out)), -1);
	ck_assert_int_eq(hex_decode("abc", out, sizeof(out)), -1);
	ck_assert_int_eq(hex_decode("0xabc", out, sizeof(out)), -1);
	ck_assert_int_eq(hex_decode("0", out, sizeof(out)), -1);
	ck_assert_int_eq(hex_decode("0g", out, sizeof(out)), -1);
	ck_assert_int_eq(hex_decode("g0", out, sizeof(out)), -1);
	ck_assert_int_eq(hex_decode("00 1", out, sizeof(out)), -1);
	ck_assert_int_eq(hex_decode(" 001", out, sizeof(out)), -1);
	ck_assert_int_eq(hex_decode("aa:bb", out, sizeof(out)), -1);
	ck_assert_int_eq(hex_decode("x0", out, sizeof(out)), -1);
	ck_assert_int_eq(hex_decode("-1", out, sizeof(out)), -1);
}
END_TEST

START_TEST(test_hex_decode_bounds)
{
	unsigned char out[6];

	memset(out, CANARY, sizeof(out));
	/* exactly 4 fits in 4 */
	ck_assert_int_eq(hex_decode("01020304", out, 4), 4);
	ck_assert_int_eq(out[4], CANARY);
	/* 5 into 4 is refused and writes nothing beyond */
	memset(out, CANARY, sizeof(out));
	ck_assert_int_eq(hex_decode("0102030405", out, 4), -1);
	ck_assert_int_eq(out[4], CANARY);
	ck_assert_int_eq(hex_decode("0x0102030405", out, 4), -1);
	ck_assert_int_eq(out[4], CANARY);
	ck_assert_int_eq(hex_decode("00", out, 0), -1);
}
END_TEST

START_TEST(test_str_copy)
{
	char	 buf[8];

	memset(buf, CANARY, sizeof(buf));
	ck_assert_uint_eq(str_copy(buf, "abcdef", 4), 6);
	ck_assert_str_eq(buf, "abc");
	ck_assert_int_eq(buf[4], CANARY);
	ck_assert_uint_eq(str_copy(buf, "abc", 4), 3);
	ck_assert_str_eq(buf, "abc");
	ck_assert_uint_eq(str_copy(buf, "abcd", 4), 4);
	ck_assert_str_eq(buf, "abc");
	ck_assert_uint_eq(str_copy(buf, "", 4), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(str_copy(buf, "xyz", 1), 3);
	ck_assert_str_eq(buf, "");
	memset(buf, CANARY, sizeof(buf));
	ck_assert_uint_eq(str_copy(buf, "xyz", 0), 3);
	ck_assert_int_eq(buf[0], CANARY);
	/* truncation is detectable by the caller */
	ck_assert(str_copy(buf, "0123456789", sizeof(buf)) >= sizeof(buf));
	ck_assert_str_eq(buf, "0123456");
}
END_TEST

START_TEST(test_str_lower_and_free)
{
	char	 s[] = "MiXeD-09.Case_Z";
	char	*p;

	str_lower(s);
	ck_assert_str_eq(s, "mixed-09.case_z");
	s[0] = '\0';
	str_lower(s);
	ck_assert_str_eq(s, "");
	secure_free(NULL, 100);		/* a no-op */
	p = strdup("secret");
	ck_assert_ptr_nonnull(p);
	secure_free(p, strlen("secret") + 1);
}
END_TEST

static TCase *
tc_new(const char *name)
{
	TCase	*tc = tcase_create(name);

	tcase_set_timeout(tc, 60);
	return tc;
}

static Suite *
parse_suite(void)
{
	Suite	*s = suite_create("parse");
	TCase	*tc;

	tc = tc_new("uint");
	tcase_add_loop_test(tc, test_uint_cases, 0, (int)nitems(uint_cases));
	tcase_add_test(tc, test_uint_error_text);
	suite_add_tcase(s, tc);

	tc = tc_new("name");
	tcase_add_test(tc, test_name_lengths);
	tcase_add_loop_test(tc, test_name_good, 0, (int)nitems(name_good));
	tcase_add_loop_test(tc, test_name_bad, 0, (int)nitems(name_bad));
	suite_add_tcase(s, tc);

	tc = tc_new("addr");
	tcase_add_loop_test(tc, test_addr_cases, 0, (int)nitems(addr_cases));
	tcase_add_test(tc, test_addr_error_text);
	suite_add_tcase(s, tc);

	tc = tc_new("prefix");
	tcase_add_loop_test(tc, test_prefix_cases, 0,
	    (int)nitems(prefix_cases));
	tcase_add_test(tc, test_prefix_every_length);
	tcase_add_test(tc, test_prefix_long_input);
	tcase_add_loop_test(tc, test_addr_mask_cases, 0,
	    (int)nitems(mask_cases));
	tcase_add_test(tc, test_addr_mask_every_length);
	suite_add_tcase(s, tc);

	tc = tc_new("selector");
	tcase_add_loop_test(tc, test_selector_cases, 0, (int)nitems(sel_cases));
	tcase_add_test(tc, test_selector_long_input);
	suite_add_tcase(s, tc);

	tc = tc_new("identity");
	tcase_add_loop_test(tc, test_fqdn_good, 0, (int)nitems(fqdn_good));
	tcase_add_loop_test(tc, test_fqdn_bad, 0, (int)nitems(fqdn_bad));
	tcase_add_test(tc, test_fqdn_lengths);
	tcase_add_loop_test(tc, test_identity_good, 0, (int)nitems(id_good));
	tcase_add_loop_test(tc, test_identity_bad, 0, (int)nitems(id_bad));
	tcase_add_test(tc, test_identity_lengths);
	tcase_add_test(tc, test_id_type_name);
	suite_add_tcase(s, tc);

	tc = tc_new("keyword");
	tcase_add_test(tc, test_keyword);
	tcase_add_test(tc, test_keyword_long_list);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *
transform_suite(void)
{
	Suite	*s = suite_create("transform");
	TCase	*tc = tc_new("table");

	tcase_add_test(tc, test_transform_count);
	tcase_add_loop_test(tc, test_transform_every_listed, 0,
	    EXP_TRANSFORMS);
	tcase_add_test(tc, test_transform_key_lengths);
	tcase_add_loop_test(tc, test_transform_bad, 0,
	    (int)nitems(transform_bad));
	tcase_add_test(tc, test_transform_lacks_integrity);
	suite_add_tcase(s, tc);
	return s;
}

/* array_add: grows by doubling, keeps what it held, counts each slot. */
START_TEST(test_array_add)
{
	int	*a = NULL, *slot;
	size_t	 n = 0, cap = 0, i;

	for (i = 0; i < 100; i++) {
		slot = array_add(&a, &n, &cap, sizeof(*a));
		ck_assert_ptr_nonnull(slot);
		ck_assert_ptr_eq(slot, &a[i]);
		*slot = (int)i;
		ck_assert_uint_eq(n, i + 1);
		ck_assert_uint_ge(cap, n);
	}
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(a[i], (int)i);
	free(a);
}
END_TEST

START_TEST(test_parse_addr_bytes)
{
	unsigned char	 b[16];
	int		 af = 0;

	ck_assert_int_eq(parse_addr_bytes("192.0.2.1", &af, b), 0);
	ck_assert_int_eq(af, AF_INET);
	ck_assert_int_eq(memcmp(b, "\xc0\x00\x02\x01", 4), 0);
	ck_assert_int_eq(parse_addr_bytes("2001:DB8::1", &af, b), 0);
	ck_assert_int_eq(af, AF_INET6);
	ck_assert_int_eq(b[0], 0x20);
	ck_assert_int_eq(b[15], 1);
	ck_assert_int_eq(parse_addr_bytes("192.0.2.256", &af, b), -1);
	ck_assert_int_eq(parse_addr_bytes("vpn.example.com", &af, b), -1);
	ck_assert_int_eq(parse_addr_bytes("", &af, b), -1);
}
END_TEST

static Suite *
util_suite(void)
{
	Suite	*s = suite_create("util");
	TCase	*tc = tc_new("util");

	tcase_add_test(tc, test_hex_round_trip);
	tcase_add_test(tc, test_hex_encode_text);
	tcase_add_test(tc, test_hex_decode);
	tcase_add_test(tc, test_hex_decode_bounds);
	tcase_add_test(tc, test_str_copy);
	tcase_add_test(tc, test_str_lower_and_free);
	tcase_add_test(tc, test_array_add);
	tcase_add_test(tc, test_parse_addr_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(parse_suite());
	int	 failed;

	srunner_add_suite(sr, transform_suite());
	srunner_add_suite(sr, util_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
