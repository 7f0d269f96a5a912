/* check_ike_conf: the IKEv2 negotiation policy of lib/ike_prop.c and
 * lib/ike_conf.c against a real store: proposals from ike-policy-rules
 * and transform sets, the responder's choice and the initiator's check
 * (RFC 7296 2.7, 3.3.6), traffic selectors (2.9), identities (3.5),
 * pre-shared key lookup and the tunnels a responder answers with. The
 * configuration is written with SQL in the stored form the CLI writes
 * (PSK blobs encrypted with the CLI's AAD). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "ike_conf.h"
#include "ike_crypto.h"
#include "ike_prop.h"
#include "parse.h"
#include "secret.h"
#include "store.h"
#include "tmpdir.h"
#include "transform.h"
#include "util.h"

static struct store *st;

static void
setup(void)
{
	char	 db[512], key[512], err[ERR_LEN] = "";

	tmp_dir_make();
	snprintf(db, sizeof(db), "%s/sectun.db", tmp_dir);
	snprintf(key, sizeof(key), "%s/device.key", tmp_dir);
	st = store_open(db, key, err);
	ck_assert_msg(st != NULL, "store_open: %s", err);
}

static void
teardown(void)
{
	if (st != NULL)
		store_close(st);
	st = NULL;
	tmp_dir_remove();
}

static void
sql(const char *text)
{
	ck_assert_msg(store_exec(st, text, "") == 0, "%s: %s", text,
	    st->errmsg);
}

/* As "ipsec key pre-share PEER [transport-virtual-router VR] key S":
 * the blob's AAD is "psk|PEER|VR" (daemon/cmd_ipsec.c). */
static void
psk_add_aad(const char *peer, const char *tvr, const char *secret,
    const char *aad_peer)
{
	char	 aad[256], *blob;

	snprintf(aad, sizeof(aad), "psk|%s|%s", aad_peer, tvr);
	blob = secret_encrypt(st->key, aad, (const unsigned char *)secret,
	    strlen(secret));
	ck_assert_ptr_nonnull(blob);
	ck_assert_int_eq(store_exec(st, "INSERT INTO psk (peer, tvr, blob) "
	    "VALUES (?, ?, ?)", "sss", peer, tvr, blob), 0);
	free(blob);
}

static void
psk_add(const char *peer, const char *tvr, const char *secret)
{
	psk_add_aad(peer, tvr, secret, peer);
}

/* ---- proposals in a compact text: "E12.256 P5 I12 D14 N0" ---- */

static const char prop_letters[] = " EPIDN";	/* by transform type */

static struct ike_prop
mkprop(uint8_t num, uint8_t proto, const char *spec)
{
	struct ike_prop p;
	const char *s = spec;
	char	*end;

	memset(&p, 0, sizeof(p));
	p.num = num;
	p.proto = proto;
	if (proto != IKE_PROTO_IKE) {
		p.spi_len = 4;
		memcpy(p.spi, "\x11\x22\x33\x44", 4);
	}
	while (*s != '\0') {
		const char *l = strchr(prop_letters, *s);

		ck_assert_msg(l != NULL && *s != ' ', "bad spec %s", spec);
		p.xf[p.nxf].type = (uint8_t)(l - prop_letters);
		p.xf[p.nxf].id = (uint16_t)strtoul(s + 1, &end, 10);
		if (*end == '.')
			p.xf[p.nxf].keylen = (uint16_t)strtoul(end + 1, &end,
			    10);
		p.nxf++;
		s = end;
		while (*s == ' ')
			s++;
	}
	return p;
}

static const char *
spec(const struct ike_prop *p)
{
	static char buf[512];
	size_t	 i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < p->nxf; i++) {
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
		    "%s%c%u", i ? " " : "", p->xf[i].type <= 5 ?
		    prop_letters[p->xf[i].type] : '?', p->xf[i].id);
		if (p->xf[i].keylen)
			used += (size_t)snprintf(buf + used, sizeof(buf) - used,
			    ".%u", p->xf[i].keylen);
	}
	return buf;
}

/* ------------------------------------------------------------------ */
/* IKE SA proposals */

START_TEST(test_ike_default)
{
	struct ike_prop p[IKE_MAX_PROPOSALS];
	char	 why[IKE_PROP_WHY_LEN];
	size_t	 n = 99;

	ck_assert_int_eq(ike_prop_ike(st, "default", "192.0.2.1", p,
	    nitems(p), &n, why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(why, "");
	ck_assert_str_eq(spec(&p[0]), "E12.256 P5 I12 D14");
	ck_assert_str_eq(spec(&p[1]), "E12.256 P5 I12 D19");
	ck_assert_uint_eq(p[0].num, 1);
	ck_assert_uint_eq(p[1].num, 2);
	ck_assert_uint_eq(p[0].proto, IKE_PROTO_IKE);
	ck_assert_uint_eq(p[0].spi_len, 0);
	/* max is respected */
	ck_assert_int_eq(ike_prop_ike(st, "default", NULL, p, 1, &n, why,
	    sizeof(why)), 0);
	ck_assert_uint_eq(n, 1);
}
END_TEST

static void
rules_for_order(void)
{
	sql("INSERT INTO virtual_router (name) VALUES ('red')");
	sql("INSERT INTO ike_policy_rule (priority, encryption, hash, "
	    "dh_group) VALUES (20, 'aes128', 'sha', 19)");
	sql("INSERT INTO ike_policy_rule (priority, encryption, hash, "
	    "dh_group, match_tvr) VALUES (10, 'aes256-gcm', 'sha384', 20, "
	    "'red')");
	sql("INSERT INTO ike_policy_rule (priority, match_local) VALUES "
	    "(5, '192.0.2.1')");
	sql("INSERT INTO ike_policy_rule (priority, encryption, match_local, "
	    "match_tvr) VALUES (30, 'aes192', '2001:db8::1', 'default')");
}

START_TEST(test_ike_rule_order_and_match)
{
	struct ike_prop p[IKE_MAX_PROPOSALS];
	char	 why[IKE_PROP_WHY_LEN];
	size_t	 n;

	rules_for_order();
	ck_assert_int_eq(ike_prop_ike(st, "default", "192.0.2.1", p,
	    nitems(p), &n, why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(spec(&p[0]), "E12.256 P5 I12 D14");	/* rule 5 */
	ck_assert_str_eq(spec(&p[1]), "E12.128 P2 I2 D19");	/* rule 20 */
	ck_assert_uint_eq(p[1].num, 2);

	ck_assert_int_eq(ike_prop_ike(st, "red", "192.0.2.9", p, nitems(p),
	    &n, why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(spec(&p[0]), "E20.256 P6 D20");	/* rule 10 */
	ck_assert_str_eq(spec(&p[1]), "E12.128 P2 I2 D19");

	/* an address matches whatever its spelling */
	ck_assert_int_eq(ike_prop_ike(st, "default", "2001:DB8:0::1", p,
	    nitems(p), &n, why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(spec(&p[0]), "E12.128 P2 I2 D19");
	ck_assert_str_eq(spec(&p[1]), "E12.192 P5 I12 D14");	/* rule 30 */

	/* local address unknown: only rules without one */
	ck_assert_int_eq(ike_prop_ike(st, NULL, NULL, p, nitems(p), &n, why,
	    sizeof(why)), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(spec(&p[0]), "E12.128 P2 I2 D19");
}
END_TEST

START_TEST(test_ike_no_rule_fits)
{
	struct ike_prop p[IKE_MAX_PROPOSALS];
	char	 why[IKE_PROP_WHY_LEN];
	size_t	 n;

	sql("INSERT INTO virtual_router (name) VALUES ('red')");
	sql("INSERT INTO ike_policy_rule (priority, encryption, match_tvr) "
	    "VALUES (1, 'aes128', 'red')");
	/* configured rules that do not fit: the built-in default */
	ck_assert_int_eq(ike_prop_ike(st, "default", "192.0.2.1", p,
	    nitems(p), &n, why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(spec(&p[0]), "E12.256 P5 I12 D14");
	ck_assert_int_eq(ike_prop_ike(st, "red", "192.0.2.1", p,
	    nitems(p), &n, why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(spec(&p[0]), "E12.128 P5 I12 D14");
}
END_TEST

START_TEST(test_ike_aead)
{
	struct ike_prop p[IKE_MAX_PROPOSALS];
	char	 why[IKE_PROP_WHY_LEN];
	size_t	 n;

	sql("INSERT INTO ike_policy_rule (priority, encryption, hash, "
	    "dh_group) VALUES (1, 'aes128-gcm', 'sha256', 19), "
	    "(2, 'chacha20-poly1305', 'sha512', 31), "
	    "(3, '3des', 'sha', 14)");
	ck_assert_int_eq(ike_prop_ike(st, "default", NULL, p, nitems(p), &n,
	    why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 3);
	/* RFC 7296 3.3: no INTEG with an AEAD cipher */
	ck_assert_str_eq(spec(&p[0]), "E20.128 P5 D19");
	ck_assert_str_eq(spec(&p[1]), "E28 P7 D31");
	ck_assert_str_eq(spec(&p[2]), "E3 P2 I2 D14");
}
END_TEST

START_TEST(test_ike_unusable_skipped)
{
	struct ike_prop p[IKE_MAX_PROPOSALS];
	char	 why[IKE_PROP_WHY_LEN];
	size_t	 n;

	sql("INSERT INTO ike_policy_rule (priority, encryption) VALUES "
	    "(1, 'des')");
	sql("INSERT INTO ike_policy_rule (priority, hash) VALUES (2, 'md5')");
	sql("INSERT INTO ike_policy_rule (priority, authentication) VALUES "
	    "(3, 'rsa-sig')");
	/* not a group the CLI takes, nor the crypto */
	sql("INSERT INTO ike_policy_rule (priority, dh_group) VALUES (5, 3)");
	ck_assert_int_eq(ike_prop_ike(st, "default", NULL, p, nitems(p), &n,
	    why, sizeof(why)), -1);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(strstr(why, "ike-policy-rule 1: encryption "
	    "des"));
	ck_assert_ptr_nonnull(strstr(why, "ike-policy-rule 2: hash md5"));
	ck_assert_ptr_nonnull(strstr(why, "ike-policy-rule 3: authentication "
	    "rsa-sig"));
	ck_assert_ptr_nonnull(strstr(why, "ike-policy-rule 5: group 3"));
	ck_assert_ptr_nonnull(strstr(why, "no usable"));

	sql("INSERT INTO ike_policy_rule (priority, hash, dh_group) VALUES "
	    "(4, 'sha512', 20)");
	ck_assert_int_eq(ike_prop_ike(st, "default", NULL, p, nitems(p), &n,
	    why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(p[0].num, 1);
	ck_assert_str_eq(spec(&p[0]), "E12.256 P7 I14 D20");
	/* the skipped ones are still named, for a warning */
	ck_assert_ptr_nonnull(strstr(why, "ike-policy-rule 2"));
	ck_assert_ptr_null(strstr(why, "no usable"));
}
END_TEST

START_TEST(test_ike_lifetime)
{
	struct ike_prop p[IKE_MAX_PROPOSALS], c;
	char	 why[IKE_PROP_WHY_LEN];
	size_t	 n;

	sql("INSERT INTO ike_policy_rule (priority, encryption, lifetime) "
	    "VALUES (10, 'aes128', 3600), (20, 'aes256', 7200)");
	ck_assert_int_eq(ike_prop_ike(st, "default", NULL, p, nitems(p), &n,
	    why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 2);
	c = p[1];
	c.num = 7;	/* a responder's choice carries the peer's number */
	ck_assert_uint_eq(ike_prop_ike_lifetime(st, "default", NULL, &c),
	    7200);
	ck_assert_uint_eq(ike_prop_ike_lifetime(st, "default", NULL, &p[0]),
	    3600);
	c = mkprop(1, IKE_PROTO_IKE, "E12.256 P5 I12 D19");
	ck_assert_uint_eq(ike_prop_ike_lifetime(st, "default", NULL, &c),
	    28800);
}
END_TEST

/* ------------------------------------------------------------------ */
/* child SA proposals */

static const uint8_t spi4[4] = { 0xc0, 0xff, 0xee, 0x01 };

START_TEST(test_child_set)
{
	struct ike_prop p[IKE_MAX_PROPOSALS];
	char	 why[IKE_PROP_WHY_LEN];
	size_t	 n, i;

	sql("INSERT INTO transform_set (name) VALUES ('ts1')");
	sql("INSERT INTO transform_set_member VALUES ('ts1', 1, "
	    "'esp-aes128-sha256'), ('ts1', 2, 'esp-aes256-gcm'), "
	    "('ts1', 3, 'esp-chacha20-poly1305'), ('ts1', 4, 'esp-aes192'), "
	    "('ts1', 5, 'esp-3des-sha384')");
	ck_assert_int_eq(ike_prop_child(st, "ts1", 19, spi4, p, nitems(p),
	    &n, why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(why, "");
	ck_assert_str_eq(spec(&p[0]), "E12.128 I12 D19 N0");
	ck_assert_str_eq(spec(&p[1]), "E20.256 D19 N0");
	ck_assert_str_eq(spec(&p[2]), "E28 D19 N0");
	ck_assert_str_eq(spec(&p[3]), "E12.192 D19 N0");
	ck_assert_str_eq(spec(&p[4]), "E3 I13 D19 N0");
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(p[i].num, i + 1);
		ck_assert_uint_eq(p[i].proto, IKE_PROTO_ESP);
		ck_assert_uint_eq(p[i].spi_len, 4);
		ck_assert_mem_eq(p[i].spi, spi4, 4);
	}
	/* without PFS: no DH transform */
	ck_assert_int_eq(ike_prop_child(st, "ts1", 0, spi4, p, nitems(p),
	    &n, why, sizeof(why)), 0);
	ck_assert_str_eq(spec(&p[0]), "E12.128 I12 N0");
	ck_assert_uint_eq(ike_prop_dh(&p[0]), 0);
	/* max */
	ck_assert_int_eq(ike_prop_child(st, "ts1", 0, spi4, p, 2, &n, why,
	    sizeof(why)), 0);
	ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(test_child_default)
{
	struct ike_prop p[IKE_MAX_PROPOSALS];
	char	 why[IKE_PROP_WHY_LEN];
	size_t	 n;

	ck_assert_int_eq(ike_prop_child(st, NULL, 0, spi4, p, nitems(p), &n,
	    why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(spec(&p[0]), "E20.256 N0");
	ck_assert_str_eq(spec(&p[1]), "E12.256 I12 N0");
	ck_assert_int_eq(ike_prop_child(st, "", 14, spi4, p, nitems(p), &n,
	    why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(spec(&p[1]), "E12.256 I12 D14 N0");
	ck_assert_uint_eq(ike_prop_dh(&p[1]), 14);
}
END_TEST

START_TEST(test_child_skipped)
{
	struct ike_prop p[IKE_MAX_PROPOSALS];
	char	 why[IKE_PROP_WHY_LEN];
	size_t	 n;

	sql("INSERT INTO transform_set (name) VALUES ('old'), ('bad'), "
	    "('ah'), ('empty')");
	sql("INSERT INTO transform_set_member VALUES ('old', 1, "
	    "'esp-null-sha'), ('old', 2, 'esp-des-sha256'), "
	    "('old', 3, 'esp-aes128-md5'), ('old', 4, 'esp-aes256-sha512'), "
	    "('bad', 1, 'esp-des'), ('bad', 2, 'ah-md5'), "
	    "('ah', 1, 'ah-sha256'), ('ah', 2, 'ah-md5'), ('ah', 3, 'ah-sha')");
	ck_assert_int_eq(ike_prop_child(st, "old", 0, spi4, p, nitems(p), &n,
	    why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(p[0].num, 1);
	ck_assert_str_eq(spec(&p[0]), "E12.256 I14 N0");
	ck_assert_ptr_nonnull(strstr(why, "esp-null-sha"));
	ck_assert_ptr_nonnull(strstr(why, "esp-des-sha256"));
	ck_assert_ptr_nonnull(strstr(why, "esp-aes128-md5"));

	ck_assert_int_eq(ike_prop_child(st, "bad", 0, spi4, p, nitems(p), &n,
	    why, sizeof(why)), -1);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(strstr(why, "no transform"));

	ck_assert_int_eq(ike_prop_child(st, "ah", 14, spi4, p, nitems(p), &n,
	    why, sizeof(why)), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(p[0].proto, IKE_PROTO_AH);
	ck_assert_str_eq(spec(&p[0]), "I12 D14 N0");
	ck_assert_str_eq(spec(&p[1]), "I2 D14 N0");
	ck_assert_uint_eq(p[1].num, 2);

	ck_assert_int_eq(ike_prop_child(st, "empty", 0, spi4, p, nitems(p),
	    &n, why, sizeof(why)), -1);
	ck_assert_int_eq(ike_prop_child(st, "nosuch", 0, spi4, p, nitems(p),
	    &n, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "does not exist"));
	/* a PFS group the crypto cannot do */
	ck_assert_int_eq(ike_prop_child(st, "ah", 9999, spi4, p, nitems(p),
	    &n, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "pfs group 9999"));
}
END_TEST

/* ------------------------------------------------------------------ */
/* the responder's choice */

START_TEST(test_select_our_order)
{
	struct ike_prop ours[2], off[2], c;

	ours[0] = mkprop(1, IKE_PROTO_ESP, "E20.256 N0");
	ours[1] = mkprop(2, IKE_PROTO_ESP, "E12.128 I12 N0");
	off[0] = mkprop(1, IKE_PROTO_ESP, "E12.128 I12 N0");
	off[1] = mkprop(2, IKE_PROTO_ESP, "E20.256 N0");
	memcpy(off[1].spi, "\xaa\xbb\xcc\xdd", 4);
	ck_assert_int_eq(ike_prop_select(off, 2, ours, 2, 0, &c), 0);
	ck_assert_str_eq(spec(&c), "E20.256 N0");
	/* number and SPI are the peer's */
	ck_assert_uint_eq(c.num, 2);
	ck_assert_uint_eq(c.spi_len, 4);
	ck_assert_mem_eq(c.spi, "\xaa\xbb\xcc\xdd", 4);
	/* only the second of ours is offered */
	ck_assert_int_eq(ike_prop_select(off, 1, ours, 2, 0, &c), 0);
	ck_assert_str_eq(spec(&c), "E12.128 I12 N0");
	ck_assert_uint_eq(c.num, 1);

	/* several of a type in one offer: ours decides */
	ours[0] = mkprop(1, IKE_PROTO_IKE, "E12.256 E12.128 P5 I12 D19 D14");
	off[0] = mkprop(1, IKE_PROTO_IKE, "E12.128 E12.256 P2 P5 I2 I12 "
	    "D14 D19");
	ck_assert_int_eq(ike_prop_select(off, 1, ours, 1, 0, &c), 0);
	ck_assert_str_eq(spec(&c), "E12.256 P5 I12 D19");
}
END_TEST

START_TEST(test_select_keylen)
{
	struct ike_prop ours, off, c;

	ours = mkprop(1, IKE_PROTO_IKE, "E12.256 P5 I12 D14");
	off = mkprop(1, IKE_PROTO_IKE, "E12.128 P5 I12 D14");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), -1);
	off = mkprop(1, IKE_PROTO_IKE, "E12 P5 I12 D14");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), -1);
	off = mkprop(3, IKE_PROTO_IKE, "E12.128 E12.256 P5 I12 D14");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), 0);
	ck_assert_str_eq(spec(&c), "E12.256 P5 I12 D14");
	ck_assert_uint_eq(c.num, 3);
}
END_TEST

START_TEST(test_select_unusable_transform)
{
	struct ike_prop ours, off, c;

	/* ike_sa_decode marks transforms with unknown attributes 0xffff */
	ours = mkprop(1, IKE_PROTO_IKE, "E65535 P5 I12 D14");
	off = mkprop(1, IKE_PROTO_IKE, "E65535 P5 I12 D14");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), -1);
	ours = mkprop(1, IKE_PROTO_ESP, "E20.256 N0");
	off = mkprop(1, IKE_PROTO_ESP, "E20.256 D65535 D19 N0");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 1, &c), 0);
	ck_assert_str_eq(spec(&c), "E20.256 D19 N0");
	off = mkprop(1, IKE_PROTO_ESP, "E20.256 D65535 N0");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 1, &c), -1);
	/* not even as a NONE stand-in */
	off = mkprop(1, IKE_PROTO_ESP, "E20.256 I65535 N0");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 1, &c), -1);
}
END_TEST

START_TEST(test_select_dh)
{
	struct ike_prop ours, off, c;

	/* we ask no PFS, the peer does */
	ours = mkprop(1, IKE_PROTO_ESP, "E12.256 I12 N0");
	off = mkprop(1, IKE_PROTO_ESP, "E12.256 I12 D14 N0");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), -1);
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 1, &c), 0);
	ck_assert_str_eq(spec(&c), "E12.256 I12 D14 N0");
	ck_assert_uint_eq(ike_prop_dh(&c), 14);
	/* the peer's first group, in its order */
	off = mkprop(1, IKE_PROTO_ESP, "E12.256 I12 D19 D14 N0");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 1, &c), 0);
	ck_assert_uint_eq(ike_prop_dh(&c), 19);
	/* PFS optional for the peer (DH NONE offered): NONE */
	off = mkprop(1, IKE_PROTO_ESP, "E12.256 I12 D14 D0 N0");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), 0);
	ck_assert_str_eq(spec(&c), "E12.256 I12 D0 N0");
	ck_assert_uint_eq(ike_prop_dh(&c), 0);
	/* we ask PFS: the peer must offer our group */
	ours = mkprop(1, IKE_PROTO_ESP, "E12.256 I12 D19 N0");
	off = mkprop(1, IKE_PROTO_ESP, "E12.256 I12 N0");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 1, &c), -1);
	off = mkprop(1, IKE_PROTO_ESP, "E12.256 I12 D14 N0");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 1, &c), -1);
	off = mkprop(1, IKE_PROTO_ESP, "E12.256 I12 D14 D19 N0");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), 0);
	ck_assert_uint_eq(ike_prop_dh(&c), 19);
}
END_TEST

START_TEST(test_select_none_and_esn)
{
	struct ike_prop ours, off, c;

	/* INTEG NONE beside an AEAD cipher (RFC 7296 3.3) */
	ours = mkprop(1, IKE_PROTO_ESP, "E20.256 N0");
	off = mkprop(1, IKE_PROTO_ESP, "E20.256 I0 N0");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), 0);
	ck_assert_str_eq(spec(&c), "E20.256 I0 N0");
	/* a type we lack without NONE */
	off = mkprop(1, IKE_PROTO_ESP, "E20.256 I12 N0");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), -1);
	/* ESN: ours is "no ESN" */
	off = mkprop(1, IKE_PROTO_ESP, "E20.256 N1 N0");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), 0);
	ck_assert_str_eq(spec(&c), "E20.256 N0");
	off = mkprop(1, IKE_PROTO_ESP, "E20.256 N1");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), -1);
	off = mkprop(1, IKE_PROTO_ESP, "E20.256");
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), -1);
	/* ESP's SPI is 4 bytes */
	off = mkprop(1, IKE_PROTO_ESP, "E20.256 N0");
	off.spi_len = 8;
	ck_assert_int_eq(ike_prop_select(&off, 1, &ours, 1, 0, &c), -1);
}
END_TEST

START_TEST(test_select_proto)
{
	struct ike_prop ours, off[2], c;

	ours = mkprop(1, IKE_PROTO_AH, "I12 N0");
	off[0] = mkprop(1, IKE_PROTO_ESP, "I12 N0");
	ck_assert_int_eq(ike_prop_select(off, 1, &ours, 1, 0, &c), -1);
	off[1] = mkprop(2, IKE_PROTO_AH, "I12 N0");
	ck_assert_int_eq(ike_prop_select(off, 2, &ours, 1, 0, &c), 0);
	ck_assert_uint_eq(c.num, 2);
	ck_assert_uint_eq(c.proto, IKE_PROTO_AH);
	ours = mkprop(1, IKE_PROTO_IKE, "E12.256 P5 I12 D14");
	off[0] = mkprop(1, IKE_PROTO_ESP, "E12.256 P5 I12 D14");
	ck_assert_int_eq(ike_prop_select(off, 1, &ours, 1, 0, &c), -1);
	ck_assert_int_eq(ike_prop_select(off, 0, &ours, 1, 0, &c), -1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* the initiator's check */

START_TEST(test_accept)
{
	struct ike_prop ours[IKE_MAX_PROPOSALS], r, two[2], c;
	char	 why[IKE_PROP_WHY_LEN];
	size_t	 n;

	ck_assert_int_eq(ike_prop_ike(st, "default", NULL, ours, nitems(ours),
	    &n, why, sizeof(why)), 0);
	r = mkprop(2, IKE_PROTO_IKE, "D19 E12.256 I12 P5");
	ck_assert_int_eq(ike_prop_accept(ours, n, &r, 1, &c), 0);
	ck_assert_uint_eq(c.num, 2);
	ck_assert_uint_eq(ike_prop_dh(&c), 19);
	/* two proposals back, or none */
	two[0] = r;
	two[1] = r;
	ck_assert_int_eq(ike_prop_accept(ours, n, two, 2, &c), -1);
	ck_assert_int_eq(ike_prop_accept(ours, n, two, 0, &c), -1);
	/* an extra transform */
	r = mkprop(2, IKE_PROTO_IKE, "E12.256 P5 I12 D19 D19");
	ck_assert_int_eq(ike_prop_accept(ours, n, &r, 1, &c), -1);
	/* group 19 was offered in proposal 2, not 1 */
	r = mkprop(1, IKE_PROTO_IKE, "E12.256 P5 I12 D19");
	ck_assert_int_eq(ike_prop_accept(ours, n, &r, 1, &c), -1);
	r = mkprop(3, IKE_PROTO_IKE, "E12.256 P5 I12 D14");
	ck_assert_int_eq(ike_prop_accept(ours, n, &r, 1, &c), -1);
	/* not offered at all */
	r = mkprop(1, IKE_PROTO_IKE, "E12.128 P5 I12 D14");
	ck_assert_int_eq(ike_prop_accept(ours, n, &r, 1, &c), -1);
	/* a type missing */
	r = mkprop(1, IKE_PROTO_IKE, "E12.256 P5 D14");
	ck_assert_int_eq(ike_prop_accept(ours, n, &r, 1, &c), -1);
	/* wrong protocol or SPI size */
	r = mkprop(1, IKE_PROTO_ESP, "E12.256 P5 I12 D14");
	ck_assert_int_eq(ike_prop_accept(ours, n, &r, 1, &c), -1);
	r = mkprop(1, IKE_PROTO_IKE, "E12.256 P5 I12 D14");
	r.spi_len = 8;
	ck_assert_int_eq(ike_prop_accept(ours, n, &r, 1, &c), -1);
}
END_TEST

START_TEST(test_accept_child)
{
	struct ike_prop ours[IKE_MAX_PROPOSALS], r, c;
	char	 why[IKE_PROP_WHY_LEN];
	size_t	 n;

	ck_assert_int_eq(ike_prop_child(st, NULL, 0, spi4, ours, nitems(ours),
	    &n, why, sizeof(why)), 0);
	r = mkprop(1, IKE_PROTO_ESP, "E20.256 N0");
	memcpy(r.spi, "\xde\xad\xbe\xef", 4);
	ck_assert_int_eq(ike_prop_accept(ours, n, &r, 1, &c), 0);
	ck_assert_mem_eq(c.spi, "\xde\xad\xbe\xef", 4);	/* the responder's */
	r = mkprop(1, IKE_PROTO_ESP, "E20.256 N1");
	ck_assert_int_eq(ike_prop_accept(ours, n, &r, 1, &c), -1);
	r = mkprop(1, IKE_PROTO_ESP, "E20.256 D14 N0");
	ck_assert_int_eq(ike_prop_accept(ours, n, &r, 1, &c), -1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* chosen proposals, used */

START_TEST(test_suite)
{
	struct ike_prop p;
	struct ike_suite s;

	p = mkprop(1, IKE_PROTO_IKE, "E12.256 P5 I12 D14");
	ck_assert_int_eq(ike_prop_suite(&p, &s), 0);
	ck_assert_uint_eq(s.encr, IKE_ENCR_AES_CBC);
	ck_assert_uint_eq(s.encr_keybits, 256);
	ck_assert_uint_eq(s.prf, IKE_PRF_HMAC_SHA2_256);
	ck_assert_uint_eq(s.integ, IKE_INTEG_HMAC_SHA2_256_128);
	ck_assert_uint_eq(s.dh, 14);
	p = mkprop(1, IKE_PROTO_IKE, "E20.128 P6 D19");
	ck_assert_int_eq(ike_prop_suite(&p, &s), 0);
	ck_assert_uint_eq(s.encr, IKE_ENCR_AES_GCM_16);
	ck_assert_uint_eq(s.encr_keybits, 128);
	ck_assert_uint_eq(s.integ, IKE_INTEG_NONE);
	p = mkprop(1, IKE_PROTO_IKE, "E28 P5 I0 D31");
	ck_assert_int_eq(ike_prop_suite(&p, &s), 0);
	ck_assert_uint_eq(s.encr_keybits, 0);
	ck_assert_uint_eq(s.dh, 31);

	p = mkprop(1, IKE_PROTO_IKE, "E12.256 P5 D14");		/* no INTEG */
	ck_assert_int_eq(ike_prop_suite(&p, &s), -1);
	p = mkprop(1, IKE_PROTO_IKE, "E20.256 P5 I12 D14");	/* AEAD+INTEG */
	ck_assert_int_eq(ike_prop_suite(&p, &s), -1);
	p = mkprop(1, IKE_PROTO_IKE, "E12.256 P5 I12");		/* no DH */
	ck_assert_int_eq(ike_prop_suite(&p, &s), -1);
	p = mkprop(1, IKE_PROTO_IKE, "E12.256 P5 I12 D0");
	ck_assert_int_eq(ike_prop_suite(&p, &s), -1);
	p = mkprop(1, IKE_PROTO_IKE, "E12.256 I12 D14");	/* no PRF */
	ck_assert_int_eq(ike_prop_suite(&p, &s), -1);
	p = mkprop(1, IKE_PROTO_IKE, "E12.256 P5 P2 I12 D14");	/* two */
	ck_assert_int_eq(ike_prop_suite(&p, &s), -1);
	p = mkprop(1, IKE_PROTO_IKE, "E12.100 P5 I12 D14");
	ck_assert_int_eq(ike_prop_suite(&p, &s), -1);
	p = mkprop(1, IKE_PROTO_ESP, "E12.256 P5 I12 D14");
	ck_assert_int_eq(ike_prop_suite(&p, &s), -1);
}
END_TEST

/* Every ESP/AH transform of the CLI: offered as itself and mapped back to
 * the same kernel algorithms, or not offered at all (null, des, md5). */
START_TEST(test_child_sa_every_transform)
{
	struct ike_prop p[IKE_MAX_PROPOSALS];
	struct transform want, got;
	char	 why[IKE_PROP_WHY_LEN];
	const char *name;
	size_t	 i, n, offered = 0;

	sql("INSERT INTO transform_set (name) VALUES ('one')");
	for (i = 0; (name = transform_name_at(i)) != NULL; i++) {
		int	 weak = strstr(name, "null") != NULL ||
			    strncmp(name, "esp-des", 7) == 0 ||
			    strstr(name, "md5") != NULL;

		ck_assert_int_eq(store_exec(st, "DELETE FROM "
		    "transform_set_member", ""), 0);
		ck_assert_int_eq(store_exec(st, "INSERT INTO "
		    "transform_set_member VALUES ('one', 1, ?)", "s", name), 0);
		if (ike_prop_child(st, "one", 0, spi4, p, nitems(p), &n, why,
		    sizeof(why)) == -1) {
			ck_assert_msg(weak, "%s not offered: %s", name, why);
			continue;
		}
		ck_assert_msg(!weak, "%s offered", name);
		offered++;
		ck_assert_int_eq(transform_lookup(name, &want), 0);
		ck_assert_int_eq(ike_prop_child_sa(&p[0], &got), 0);
		ck_assert_str_eq(got.name, name);
		ck_assert_int_eq(got.proto, want.proto);
		ck_assert_ptr_eq(got.xfrm_cipher, want.xfrm_cipher);
		ck_assert_ptr_eq(got.xfrm_integ, want.xfrm_integ);
		ck_assert_uint_eq(got.enc_key_len, want.enc_key_len);
		ck_assert_uint_eq(got.auth_key_len, want.auth_key_len);
		ck_assert_uint_eq(got.trunc_bits, want.trunc_bits);
		ck_assert_uint_eq(got.icv_bits, want.icv_bits);
	}
	/* 3des, aes128/192/256 each with sha, sha256/384/512 or none (20),
	 * 3 AEAD, 4 AH */
	ck_assert_uint_eq(offered, 27);
}
END_TEST

START_TEST(test_child_sa_refused)
{
	struct ike_prop p;
	struct transform t;

	/* what a responder chose with INTEG NONE or DH */
	p = mkprop(1, IKE_PROTO_ESP, "E20.256 I0 D19 N0");
	ck_assert_int_eq(ike_prop_child_sa(&p, &t), 0);
	ck_assert_str_eq(t.name, "esp-aes256-gcm");
	p = mkprop(1, IKE_PROTO_ESP, "E20.256 I12 N0");	/* AEAD + INTEG */
	ck_assert_int_eq(ike_prop_child_sa(&p, &t), -1);
	p = mkprop(1, IKE_PROTO_ESP, "E12.256 I12 N1");	/* ESN */
	ck_assert_int_eq(ike_prop_child_sa(&p, &t), -1);
	p = mkprop(1, IKE_PROTO_AH, "E12.256 I12 N0");	/* AH with ENCR */
	ck_assert_int_eq(ike_prop_child_sa(&p, &t), -1);
	p = mkprop(1, IKE_PROTO_ESP, "I12 N0");		/* ESP without ENCR */
	ck_assert_int_eq(ike_prop_child_sa(&p, &t), -1);
	p = mkprop(1, IKE_PROTO_ESP, "E12.256 I1 N0");	/* MD5 */
	ck_assert_int_eq(ike_prop_child_sa(&p, &t), -1);
	p = mkprop(1, IKE_PROTO_ESP, "E11 I12 N0");	/* NULL */
	ck_assert_int_eq(ike_prop_child_sa(&p, &t), -1);
	p = mkprop(1, IKE_PROTO_ESP, "E12.256 I12 I13 N0");
	ck_assert_int_eq(ike_prop_child_sa(&p, &t), -1);
}
END_TEST

START_TEST(test_prop_text)
{
	struct ike_prop p;
	char	 want[256], got[256];

	p = mkprop(1, IKE_PROTO_IKE, "E20.256 P5 D19");
	snprintf(want, sizeof(want), "%s_256/", ike_xform_name(IKE_XF_ENCR,
	    IKE_ENCR_AES_GCM_16));
	strcat(want, ike_xform_name(IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256));
	strcat(want, "/");
	strcat(want, ike_xform_name(IKE_XF_DH, IKE_DH_ECP256));
	ck_assert_int_eq(ike_prop_text(&p, got, sizeof(got)), 0);
	ck_assert_str_eq(got, want);
	/* "no ESN" left out */
	p = mkprop(1, IKE_PROTO_ESP, "E3 I2 N0");
	snprintf(want, sizeof(want), "%s/", ike_xform_name(IKE_XF_ENCR,
	    IKE_ENCR_3DES));
	strcat(want, ike_xform_name(IKE_XF_INTEG, IKE_INTEG_HMAC_SHA1_96));
	ck_assert_int_eq(ike_prop_text(&p, got, sizeof(got)), 0);
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(ike_prop_text(&p, got, 5), -1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* traffic selectors */

static struct ike_ts
mkts(const char *lo, const char *hi, uint8_t proto, uint16_t sp, uint16_t ep)
{
	struct ike_ts ts;
	int	 fa, fb;

	memset(&ts, 0, sizeof(ts));
	ck_assert_int_eq(parse_addr_bytes(lo, &fa, ts.start), 0);
	ck_assert_int_eq(parse_addr_bytes(hi, &fb, ts.end), 0);
	ck_assert_int_eq(fa, fb);
	ts.type = fa == AF_INET ? IKE_TS_IPV4_ADDR_RANGE :
	    IKE_TS_IPV6_ADDR_RANGE;
	ts.ipproto = proto;
	ts.sport = sp;
	ts.eport = ep;
	return ts;
}

static const char *
tstext(const struct ike_ts *ts)
{
	static char buf[4][128];
	static int k;
	char	*b = buf[k++ % 4];

	ck_assert_int_eq(ike_ts_text(ts, b, 128), 0);
	return b;
}

static void
ts_eq(const struct ike_ts *a, const struct ike_ts *b)
{
	ck_assert_str_eq(tstext(a), tstext(b));
	ck_assert_mem_eq(a, b, sizeof(*a));
}

START_TEST(test_ts_from_text)
{
	struct ike_ts ts[4], w;
	size_t	 n;

	ck_assert_int_eq(ike_ts_from_text("any", ts, 4, &n), 0);
	ck_assert_uint_eq(n, 2);
	w = mkts("0.0.0.0", "255.255.255.255", 0, 0, 65535);
	ts_eq(&ts[0], &w);
	w = mkts("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0, 0, 65535);
	ts_eq(&ts[1], &w);
	ck_assert_int_eq(ike_ts_from_text("", ts, 4, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(ike_ts_from_text("any", ts, 1, &n), -1);

	ck_assert_int_eq(ike_ts_from_text("10.1.0.0/16", ts, 4, &n), 0);
	ck_assert_uint_eq(n, 1);
	w = mkts("10.1.0.0", "10.1.255.255", 0, 0, 65535);
	ts_eq(&ts[0], &w);
	ck_assert_int_eq(ike_ts_from_text("2001:db8::/32", ts, 4, &n), 0);
	w = mkts("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 0, 0,
	    65535);
	ts_eq(&ts[0], &w);
	ck_assert_int_eq(ike_ts_from_text("10.0.0.1-10.0.0.9", ts, 4, &n), 0);
	w = mkts("10.0.0.1", "10.0.0.9", 0, 0, 65535);
	ts_eq(&ts[0], &w);
	ck_assert_int_eq(ike_ts_from_text("2001:db8::1-2001:db8::1:0", ts, 4,
	    &n), 0);
	w = mkts("2001:db8::1", "2001:db8::1:0", 0, 0, 65535);
	ts_eq(&ts[0], &w);
	ck_assert_int_eq(ike_ts_from_text("192.0.2.7/32", ts, 4, &n), 0);
	w = mkts("192.0.2.7", "192.0.2.7", 0, 0, 65535);
	ts_eq(&ts[0], &w);

	ck_assert_int_eq(ike_ts_from_text("10.0.0.9-10.0.0.1", ts, 4, &n), -1);
	ck_assert_int_eq(ike_ts_from_text("10.0.0.0/33", ts, 4, &n), -1);
	ck_assert_int_eq(ike_ts_from_text("10.0.0.0/", ts, 4, &n), -1);
	ck_assert_int_eq(ike_ts_from_text("10.0.0.1-2001:db8::1", ts, 4, &n),
	    -1);
	ck_assert_int_eq(ike_ts_from_text("bogus", ts, 4, &n), -1);
	ck_assert_int_eq(ike_ts_from_text("10.0.0.0/8", ts, 0, &n), -1);
}
END_TEST

START_TEST(test_ts_narrow)
{
	struct ike_ts off[4], ours[4], out[4], w;
	size_t	 noff, nours, n;

	/* the peer offers any: narrowed to ours (a subset) */
	ck_assert_int_eq(ike_ts_from_text("any", off, 4, &noff), 0);
	ck_assert_int_eq(ike_ts_from_text("10.1.0.0/16", ours, 4, &nours), 0);
	ck_assert_int_eq(ike_ts_narrow(off, noff, ours, nours, out, 4, &n), 0);
	ck_assert_uint_eq(n, 1);
	ts_eq(&out[0], &ours[0]);
	/* the peer offers less than ours: kept as offered */
	off[0] = mkts("10.1.2.0", "10.1.2.255", 6, 80, 80);
	ck_assert_int_eq(ike_ts_narrow(off, 1, ours, nours, out, 4, &n), 0);
	ck_assert_uint_eq(n, 1);
	ts_eq(&out[0], &off[0]);
	/* overlapping ranges */
	off[0] = mkts("10.0.255.5", "10.1.0.20", 0, 0, 65535);
	ck_assert_int_eq(ike_ts_narrow(off, 1, ours, nours, out, 4, &n), 0);
	w = mkts("10.1.0.0", "10.1.0.20", 0, 0, 65535);
	ts_eq(&out[0], &w);
	/* disjoint */
	off[0] = mkts("10.2.0.0", "10.2.255.255", 0, 0, 65535);
	ck_assert_int_eq(ike_ts_narrow(off, 1, ours, nours, out, 4, &n), -1);
	ck_assert_uint_eq(n, 0);
	/* other family only */
	off[0] = mkts("2001:db8::", "2001:db8::ffff", 0, 0, 65535);
	ck_assert_int_eq(ike_ts_narrow(off, 1, ours, nours, out, 4, &n), -1);
	/* both families each side */
	ck_assert_int_eq(ike_ts_from_text("any", ours, 4, &nours), 0);
	off[1] = mkts("192.0.2.0", "192.0.2.255", 0, 0, 65535);
	ck_assert_int_eq(ike_ts_narrow(off, 2, ours, nours, out, 4, &n), 0);
	ck_assert_uint_eq(n, 2);
	ts_eq(&out[0], &off[0]);
	ts_eq(&out[1], &off[1]);
	ck_assert_int_eq(ike_ts_narrow(off, 2, ours, nours, out, 1, &n), 0);
	ck_assert_uint_eq(n, 1);
	/* protocols and ports */
	ours[0] = mkts("0.0.0.0", "255.255.255.255", 6, 1000, 2000);
	off[0] = mkts("192.0.2.1", "192.0.2.1", 0, 1500, 65535);
	ck_assert_int_eq(ike_ts_narrow(off, 1, ours, 1, out, 4, &n), 0);
	w = mkts("192.0.2.1", "192.0.2.1", 6, 1500, 2000);
	ts_eq(&out[0], &w);
	off[0] = mkts("192.0.2.1", "192.0.2.1", 0, 0, 1500);
	ck_assert_int_eq(ike_ts_narrow(off, 1, ours, 1, out, 4, &n), 0);
	w = mkts("192.0.2.1", "192.0.2.1", 6, 1000, 1500);
	ts_eq(&out[0], &w);
	off[0] = mkts("192.0.2.1", "192.0.2.1", 17, 0, 65535);
	ck_assert_int_eq(ike_ts_narrow(off, 1, ours, 1, out, 4, &n), -1);
	off[0] = mkts("192.0.2.1", "192.0.2.1", 6, 2001, 3000);
	ck_assert_int_eq(ike_ts_narrow(off, 1, ours, 1, out, 4, &n), -1);
}
END_TEST

START_TEST(test_ts_within)
{
	struct ike_ts ours[4], got[2];
	size_t	 nours;

	ck_assert_int_eq(ike_ts_from_text("10.1.0.0/16", ours, 4, &nours), 0);
	ck_assert_int_eq(ike_ts_within(ours, nours, ours, nours), 1);
	got[0] = mkts("10.1.3.0", "10.1.3.255", 6, 22, 22);
	ck_assert_int_eq(ike_ts_within(got, 1, ours, nours), 1);
	got[1] = mkts("10.1.0.0", "10.2.0.0", 0, 0, 65535);
	ck_assert_int_eq(ike_ts_within(got, 2, ours, nours), 0);
	ck_assert_int_eq(ike_ts_within(got, 0, ours, nours), 0);
	got[0] = mkts("2001:db8::", "2001:db8::1", 0, 0, 65535);
	ck_assert_int_eq(ike_ts_within(got, 1, ours, nours), 0);
	/* start after end is within nothing */
	got[0] = mkts("10.1.0.9", "10.1.0.1", 0, 0, 65535);
	ck_assert_int_eq(ike_ts_within(got, 1, ours, nours), 0);
	/* ours narrows the protocol: the answer must too */
	ours[0].ipproto = 6;
	got[0] = mkts("10.1.0.1", "10.1.0.1", 0, 0, 65535);
	ck_assert_int_eq(ike_ts_within(got, 1, ours, 1), 0);
	got[0].ipproto = 6;
	ck_assert_int_eq(ike_ts_within(got, 1, ours, 1), 1);
	ours[0].sport = 100;
	ck_assert_int_eq(ike_ts_within(got, 1, ours, 1), 0);
}
END_TEST

START_TEST(test_ts_text)
{
	struct ike_ts ts;
	char	 buf[64];

	ts = mkts("10.1.0.0", "10.1.255.255", 0, 0, 65535);
	ck_assert_str_eq(tstext(&ts), "10.1.0.0/16");
	ts = mkts("10.0.0.1", "10.0.0.9", 0, 0, 65535);
	ck_assert_str_eq(tstext(&ts), "10.0.0.1-10.0.0.9");
	ts = mkts("10.0.0.0", "10.0.0.2", 0, 0, 65535);	/* not a prefix */
	ck_assert_str_eq(tstext(&ts), "10.0.0.0-10.0.0.2");
	ts = mkts("0.0.0.0", "255.255.255.255", 0, 0, 65535);
	ck_assert_str_eq(tstext(&ts), "0.0.0.0/0");
	ts = mkts("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0, 0,
	    65535);
	ck_assert_str_eq(tstext(&ts), "::/0");
	ts = mkts("192.0.2.5", "192.0.2.5", 6, 80, 80);
	ck_assert_str_eq(tstext(&ts), "192.0.2.5/32 proto 6 port 80");
	ts = mkts("2001:db8::", "2001:db8::ff", 17, 500, 4500);
	ck_assert_str_eq(tstext(&ts), "2001:db8::/120 proto 17 port 500-4500");
	ck_assert_int_eq(ike_ts_text(&ts, buf, 10), -1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* identities */

START_TEST(test_idv)
{
	struct ike_idv a, b;
	char	 t[300];

	ck_assert_int_eq(ike_idv_from_conf("address", "192.0.2.1", &a), 0);
	ck_assert_uint_eq(a.type, IKE_ID_IPV4_ADDR);
	ck_assert_uint_eq(a.len, 4);
	ck_assert_mem_eq(a.data, "\xc0\x00\x02\x01", 4);
	ck_assert_int_eq(ike_idv_text(&a, t, sizeof(t)), 0);
	ck_assert_str_eq(t, "ipv4:192.0.2.1");
	ck_assert_int_eq(ike_idv_from_addr(AF_INET, a.data, &b), 0);
	ck_assert_int_eq(ike_idv_equal(&a, &b), 1);

	ck_assert_int_eq(ike_idv_from_conf("address", "2001:db8::1", &a), 0);
	ck_assert_uint_eq(a.type, IKE_ID_IPV6_ADDR);
	ck_assert_uint_eq(a.len, 16);
	ck_assert_int_eq(ike_idv_text(&a, t, sizeof(t)), 0);
	ck_assert_str_eq(t, "ipv6:2001:db8::1");
	ck_assert_int_eq(ike_idv_equal(&a, &b), 0);

	ck_assert_int_eq(ike_idv_from_conf("fqdn", "vpn.example.com", &a), 0);
	ck_assert_uint_eq(a.type, IKE_ID_FQDN);
	ck_assert_uint_eq(a.len, 15);
	ck_assert_mem_eq(a.data, "vpn.example.com", 15);
	ck_assert_int_eq(ike_idv_text(&a, t, sizeof(t)), 0);
	ck_assert_str_eq(t, "fqdn:vpn.example.com");
	ck_assert_int_eq(ike_idv_from_conf("fqdn", "VPN.Example.COM", &b), 0);
	ck_assert_int_eq(ike_idv_equal(&a, &b), 1);
	ck_assert_int_eq(ike_idv_from_conf("fqdn", "vpn.example.co", &b), 0);
	ck_assert_int_eq(ike_idv_equal(&a, &b), 0);

	ck_assert_int_eq(ike_idv_from_conf("user-fqdn", "Al@example.com", &b),
	    0);
	ck_assert_uint_eq(b.type, IKE_ID_RFC822_ADDR);
	ck_assert_int_eq(ike_idv_text(&b, t, sizeof(t)), 0);
	ck_assert_str_eq(t, "user-fqdn:Al@example.com");
	ck_assert_int_eq(ike_idv_from_conf("user-fqdn", "al@EXAMPLE.com", &a),
	    0);
	ck_assert_int_eq(ike_idv_equal(&a, &b), 1);
	/* same text, other type */
	ck_assert_int_eq(ike_idv_from_conf("fqdn", "al@example.com", &a), 0);
	ck_assert_int_eq(ike_idv_equal(&a, &b), 0);

	ck_assert_int_eq(ike_idv_from_conf("dn", "CN=x", &a), -1);
	ck_assert_int_eq(ike_idv_from_conf("bogus", "x", &a), -1);
	ck_assert_int_eq(ike_idv_from_conf("address", "vpn.example.com", &a),
	    -1);
	ck_assert_int_eq(ike_idv_from_addr(0, b.data, &a), -1);

	/* a peer's odd bytes never reach a log as they are */
	memset(&a, 0, sizeof(a));
	a.type = IKE_ID_FQDN;
	memcpy(a.data, "a\nb\x01", 4);
	a.len = 4;
	ck_assert_int_eq(ike_idv_text(&a, t, sizeof(t)), 0);
	ck_assert_str_eq(t, "fqdn:a?b?");
	a.type = IKE_ID_KEY_ID;
	ck_assert_int_eq(ike_idv_text(&a, t, sizeof(t)), 0);
	ck_assert_str_eq(t, "key-id:610a6201");
	ck_assert_int_eq(ike_idv_text(&a, t, 8), -1);
	/* type 0 (none) equals nothing */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(ike_idv_equal(&a, &b), 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* pre-shared keys */

static void
idv(const char *type, const char *value, struct ike_idv *id)
{
	ck_assert_int_eq(ike_idv_from_conf(type, value, id), 0);
}

/* The key found for id (and source address src, NULL: none) in tvr, or
 * NULL; a static copy. */
static const char *
psk_get(const char *tvr, const struct ike_idv *id, const char *src)
{
	static char out[SECRET_MAX_LEN + 1];
	uint8_t	*k, a[16];
	size_t	 len;
	int	 fam = 0;

	if (src != NULL)
		ck_assert_int_eq(parse_addr_bytes(src, &fam, a), 0);
	if (ike_conf_psk(st, tvr, id, fam, src ? a : NULL, &k, &len) == -1) {
		ck_assert_ptr_null(k);
		return NULL;
	}
	ck_assert_uint_le(len, SECRET_MAX_LEN);
	memcpy(out, k, len);
	out[len] = '\0';
	secure_free(k, len);
	return out;
}

START_TEST(test_psk_user_fqdn_order)
{
	struct ike_idv id;

	psk_add("alice@example.com", "default", "k-user");
	psk_add("example.com", "default", "k-domain");
	psk_add("other.example", "default", "k-other");
	idv("user-fqdn", "alice@example.com", &id);
	ck_assert_str_eq(psk_get("default", &id, NULL), "k-user");
	idv("user-fqdn", "bob@example.com", &id);
	ck_assert_str_eq(psk_get("default", &id, NULL), "k-domain");
	idv("fqdn", "example.com", &id);
	ck_assert_str_eq(psk_get("default", &id, NULL), "k-domain");
	idv("user-fqdn", "bob@example.net", &id);
	ck_assert_ptr_null(psk_get("default", &id, "192.0.2.1"));
	/* only the fqdn stored: a user there gets it */
	ck_assert_int_eq(store_exec(st, "DELETE FROM psk WHERE peer = "
	    "'alice@example.com'", ""), 0);
	idv("user-fqdn", "alice@example.com", &id);
	ck_assert_str_eq(psk_get("default", &id, NULL), "k-domain");
	/* the user part is not a name to look up */
	idv("fqdn", "alice", &id);
	ck_assert_ptr_null(psk_get("default", &id, NULL));
}
END_TEST

START_TEST(test_psk_address)
{
	struct ike_idv id;

	psk_add("192.0.2.1", "default", "k-id");
	psk_add("198.51.100.7", "default", "k-src");
	psk_add("2001:db8::1", "default", "k-v6");
	idv("address", "192.0.2.1", &id);
	ck_assert_str_eq(psk_get("default", &id, "198.51.100.7"), "k-id");
	idv("address", "192.0.2.99", &id);
	ck_assert_str_eq(psk_get("default", &id, "198.51.100.7"), "k-src");
	ck_assert_ptr_null(psk_get("default", &id, NULL));
	ck_assert_ptr_null(psk_get("default", &id, "198.51.100.8"));
	idv("address", "2001:db8:0:0::1", &id);
	ck_assert_str_eq(psk_get("default", &id, NULL), "k-v6");
	/* no ID yet: the source address */
	ck_assert_str_eq(psk_get("default", NULL, "198.51.100.7"), "k-src");
	/* a name ID does not fall back to the address */
	idv("fqdn", "nokey.example", &id);
	ck_assert_ptr_null(psk_get("default", &id, "198.51.100.7"));
	/* nor does a dn or key-id */
	memset(&id, 0, sizeof(id));
	id.type = IKE_ID_DER_ASN1_DN;
	id.len = 3;
	ck_assert_ptr_null(psk_get("default", &id, "198.51.100.7"));
}
END_TEST

START_TEST(test_psk_tvr)
{
	struct ike_idv id;

	sql("INSERT INTO virtual_router (name) VALUES ('red')");
	psk_add("example.com", "red", "k-red");
	psk_add("example.org", "default", "k-default");
	idv("fqdn", "example.com", &id);
	ck_assert_str_eq(psk_get("red", &id, NULL), "k-red");
	ck_assert_ptr_null(psk_get("default", &id, NULL));
	ck_assert_ptr_null(psk_get(NULL, &id, NULL));
	idv("fqdn", "example.org", &id);
	ck_assert_str_eq(psk_get(NULL, &id, NULL), "k-default");
	ck_assert_ptr_null(psk_get("red", &id, NULL));
}
END_TEST

START_TEST(test_psk_case)
{
	struct ike_idv id;

	/* the CLI stores names lower-case, the user part as typed */
	psk_add("vpn.example.com", "default", "k-vpn");
	psk_add("Alice@example.com", "default", "k-alice");
	psk_add("Bob@example.com", "default", "k-Bob");
	psk_add("bob@example.com", "default", "k-bob");
	idv("fqdn", "VPN.Example.COM", &id);
	ck_assert_str_eq(psk_get("default", &id, NULL), "k-vpn");
	idv("user-fqdn", "alice@EXAMPLE.com", &id);
	ck_assert_str_eq(psk_get("default", &id, NULL), "k-alice");
	/* the exact spelling first */
	idv("user-fqdn", "bob@example.com", &id);
	ck_assert_str_eq(psk_get("default", &id, NULL), "k-bob");
	idv("user-fqdn", "Bob@example.com", &id);
	ck_assert_str_eq(psk_get("default", &id, NULL), "k-Bob");
}
END_TEST

START_TEST(test_psk_bad_blob)
{
	struct ike_idv id;

	/* made for another peer: the AAD does not fit, no key */
	psk_add_aad("example.com", "default", "k-moved", "example.net");
	idv("fqdn", "example.com", &id);
	ck_assert_ptr_null(psk_get("default", &id, NULL));
	/* the next name in the order still counts */
	psk_add_aad("carol@example.net", "default", "k-bad", "x");
	psk_add("example.net", "default", "k-net");
	idv("user-fqdn", "carol@example.net", &id);
	ck_assert_str_eq(psk_get("default", &id, NULL), "k-net");
}
END_TEST

/* ------------------------------------------------------------------ */
/* tunnels */

START_TEST(test_tunnel_load)
{
	struct ike_tunnel t;

	sql("INSERT INTO virtual_router (name) VALUES ('red'), ('blue')");
	sql("INSERT INTO transform_set (name) VALUES ('ts1')");
	/* as the CLI stores them: pfs_group bound as text */
	sql("INSERT INTO tunnel (name, if_id, vr, tvr, source, destination, "
	    "backup, transform_set, pfs_group, lifetime_seconds, local_id_type, "
	    "local_id, peer_id_type, peer_id, local_selector, peer_selector, "
	    "establish) VALUES ('t1', 7, 'blue', 'red', '192.0.2.1', "
	    "'vpn.example.com', 'backup.example.com', 'ts1', '19', 3600, "
	    "'fqdn', 'hq.example.com', 'user-fqdn', 'branch@example.com', "
	    "'10.1.0.0/16', '10.2.0.1-10.2.0.9', 'on-traffic')");
	ck_assert_int_eq(ike_conf_tunnel(st, "t1", &t), 1);
	ck_assert_str_eq(t.name, "t1");
	ck_assert_uint_eq(t.if_id, 7);
	ck_assert_str_eq(t.vr, "blue");
	ck_assert_str_eq(t.tvr, "red");
	ck_assert_str_eq(t.source, "192.0.2.1");
	ck_assert_int_eq(t.src_is_addr, 1);
	ck_assert_int_eq(t.src_family, AF_INET);
	ck_assert_mem_eq(t.src_addr, "\xc0\x00\x02\x01", 4);
	ck_assert_uint_eq(t.src_id.type, 0);
	ck_assert_str_eq(t.destination, "vpn.example.com");
	ck_assert_int_eq(t.dst_is_addr, 0);
	ck_assert_uint_eq(t.dst_id.type, IKE_ID_FQDN);
	ck_assert_uint_eq(t.dst_id.len, 15);
	ck_assert_mem_eq(t.dst_id.data, "vpn.example.com", 15);
	ck_assert_str_eq(t.backup, "backup.example.com");
	ck_assert_uint_eq(t.bak_id.type, IKE_ID_FQDN);
	ck_assert_str_eq(t.transform_set, "ts1");
	ck_assert_uint_eq(t.pfs_group, 19);
	ck_assert_uint_eq(t.life_seconds, 3600);
	ck_assert_int_eq(t.life_seconds_tunnel, 1);
	ck_assert_uint_eq(t.life_kilobytes, 102400);	/* global */
	ck_assert_int_eq(t.life_kilobytes_tunnel, 0);
	ck_assert_uint_eq(t.local_id.type, IKE_ID_FQDN);
	ck_assert_uint_eq(t.peer_id.type, IKE_ID_RFC822_ADDR);
	ck_assert_mem_eq(t.peer_id.data, "branch@example.com", 18);
	ck_assert_str_eq(t.local_selector, "10.1.0.0/16");
	ck_assert_str_eq(t.peer_selector, "10.2.0.1-10.2.0.9");
	ck_assert_int_eq(t.establish, IKE_ESTABLISH_ON_TRAFFIC);
	ck_assert_int_eq(t.ike_version, 2);
	ck_assert_int_eq(t.shutdown, 0);
	ck_assert_int_eq(t.manual, 0);
	ck_assert_str_eq(t.why, "");

	/* defaults: tvr is the VR, global lifetime, no identities */
	sql("UPDATE system SET lifetime_seconds = 4000, lifetime_kilobytes = "
	    "200000");
	sql("INSERT INTO tunnel (name, if_id, vr, source, destination, "
	    "lifetime_kilobytes, establish, shutdown) VALUES ('t2', 8, 'red', "
	    "'2001:db8::1', 'branch@example.com', 300000, 'responder-only', "
	    "1)");
	ck_assert_int_eq(ike_conf_tunnel(st, "t2", &t), 1);
	ck_assert_str_eq(t.tvr, "red");
	ck_assert_int_eq(t.src_family, AF_INET6);
	ck_assert_uint_eq(t.dst_id.type, IKE_ID_RFC822_ADDR);
	ck_assert_str_eq(t.backup, "");
	ck_assert_int_eq(t.bak_is_addr, 0);
	ck_assert_uint_eq(t.bak_id.type, 0);
	ck_assert_str_eq(t.transform_set, "");
	ck_assert_uint_eq(t.pfs_group, 0);
	ck_assert_uint_eq(t.life_seconds, 4000);
	ck_assert_int_eq(t.life_seconds_tunnel, 0);
	ck_assert_uint_eq(t.life_kilobytes, 300000);
	ck_assert_int_eq(t.life_kilobytes_tunnel, 1);
	ck_assert_uint_eq(t.local_id.type, 0);
	ck_assert_uint_eq(t.peer_id.type, 0);
	ck_assert_str_eq(t.local_selector, "");
	ck_assert_int_eq(t.establish, IKE_ESTABLISH_RESPONDER_ONLY);
	ck_assert_int_eq(t.shutdown, 1);

	/* manual SAs; a dn identity */
	sql("INSERT INTO tunnel (name, if_id, destination, peer_id_type, "
	    "peer_id, ike_version) VALUES ('t3', 9, '198.51.100.7', 'dn', "
	    "'CN=peer', 1)");
	sql("INSERT INTO tunnel_sa_manual (tunnel, direction, spi, transform) "
	    "VALUES ('t3', 'inbound', 300, 'esp-aes128-sha')");
	ck_assert_int_eq(ike_conf_tunnel(st, "t3", &t), 1);
	ck_assert_str_eq(t.tvr, "default");
	ck_assert_int_eq(t.dst_is_addr, 1);
	ck_assert_int_eq(t.dst_family, AF_INET);
	ck_assert_mem_eq(t.dst_addr, "\xc6\x33\x64\x07", 4);
	ck_assert_int_eq(t.establish, IKE_ESTABLISH_IMMEDIATELY);
	ck_assert_int_eq(t.manual, 1);
	ck_assert_int_eq(t.ike_version, 1);
	ck_assert_uint_eq(t.peer_id.type, IKE_ID_DER_ASN1_DN);
	ck_assert_ptr_nonnull(strstr(t.why, "peer-identity dn"));

	ck_assert_int_eq(ike_conf_tunnel(st, "nosuch", &t), 0);
}
END_TEST

START_TEST(test_tunnels_list)
{
	char	 names[4][NAME_MAX_LEN + 1];
	size_t	 n;

	sql("INSERT INTO tunnel (name, if_id) VALUES ('t-d', 4)");
	sql("UPDATE tunnel SET shutdown = 1 WHERE name = 't-d'");
	sql("INSERT INTO tunnel (name, if_id) VALUES ('t-a', 1), ('t-b', 2)");
	sql("INSERT INTO tunnel (name, if_id, ike_version) VALUES "
	    "('t-c', 3, 1)");
	sql("INSERT INTO tunnel_sa_manual (tunnel, direction, spi, transform) "
	    "VALUES ('t-b', 'outbound', 300, 'esp-aes128-sha')");
	ck_assert_int_eq(ike_conf_tunnels(st, names, 4, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(names[0], "t-a");
	ck_assert_str_eq(names[1], "t-d");
	ck_assert_int_eq(ike_conf_tunnels(st, names, 1, &n), -1);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(names[0], "t-a");
}
END_TEST

START_TEST(test_local_id)
{
	struct ike_tunnel t;
	struct ike_idv id;
	const uint8_t a[4] = { 192, 0, 2, 1 };
	char	 text[300];

	sql("INSERT INTO tunnel (name, if_id, source, destination) VALUES "
	    "('t1', 1, '192.0.2.1', '198.51.100.7'), "
	    "('t2', 2, 'src.example.com', '198.51.100.7')");
	ck_assert_int_eq(ike_conf_tunnel(st, "t1", &t), 1);
	/* nothing configured: the address */
	ck_assert_int_eq(ike_conf_local_id(st, &t, AF_INET, a, &id), 0);
	ck_assert_int_eq(ike_idv_text(&id, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "ipv4:192.0.2.1");
	ck_assert_int_eq(ike_conf_local_id(st, &t, AF_INET, NULL, &id), -1);
	/* the global identity */
	sql("UPDATE system SET local_id_type = 'fqdn', local_id = "
	    "'gw.example.com'");
	ck_assert_int_eq(ike_conf_local_id(st, &t, AF_INET, a, &id), 0);
	ck_assert_int_eq(ike_idv_text(&id, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "fqdn:gw.example.com");
	memset(text, 0, sizeof(text));
	ck_assert_int_eq(ike_conf_local_id(st, NULL, AF_INET, a, &id), 0);
	ck_assert_int_eq(ike_idv_text(&id, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "fqdn:gw.example.com");
	/* a source given as a name is the tunnel's identity */
	ck_assert_int_eq(ike_conf_tunnel(st, "t2", &t), 1);
	ck_assert_int_eq(ike_conf_local_id(st, &t, AF_INET, a, &id), 0);
	ck_assert_int_eq(ike_idv_text(&id, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "fqdn:src.example.com");
	/* the tunnel's own local-identity first */
	sql("UPDATE tunnel SET local_id_type = 'user-fqdn', local_id = "
	    "'me@example.com'");
	ck_assert_int_eq(ike_conf_tunnel(st, "t2", &t), 1);
	ck_assert_int_eq(ike_conf_local_id(st, &t, AF_INET, a, &id), 0);
	ck_assert_int_eq(ike_idv_text(&id, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "user-fqdn:me@example.com");
	sql("UPDATE tunnel SET local_id_type = 'address', local_id = "
	    "'2001:db8::5'");
	ck_assert_int_eq(ike_conf_tunnel(st, "t2", &t), 1);
	ck_assert_int_eq(ike_conf_local_id(st, &t, AF_INET, a, &id), 0);
	ck_assert_int_eq(ike_idv_text(&id, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "ipv6:2001:db8::5");
	/* a dn cannot be used */
	sql("UPDATE tunnel SET local_id_type = 'dn', local_id = 'CN=me'");
	ck_assert_int_eq(ike_conf_tunnel(st, "t2", &t), 1);
	ck_assert_int_eq(ike_conf_local_id(st, &t, AF_INET, a, &id), -1);
	sql("UPDATE system SET local_id_type = 'dn', local_id = 'CN=gw'");
	ck_assert_int_eq(ike_conf_local_id(st, NULL, AF_INET, a, &id), -1);
}
END_TEST

static void
match(const struct ike_idv *id, const char *local, const char *peer,
    const char *want)
{
	char	 names[16][NAME_MAX_LEN + 1], got[512] = "";
	uint8_t	 l[16], p[16];
	size_t	 i, n;
	int	 fam = AF_INET, f2;

	if (local != NULL)
		ck_assert_int_eq(parse_addr_bytes(local, &fam, l), 0);
	if (peer != NULL)
		ck_assert_int_eq(parse_addr_bytes(peer, &f2, p), 0);
	ck_assert_int_eq(ike_conf_match(st, "default", fam, local ? l : NULL,
	    peer ? p : NULL, id, names, nitems(names), &n), 0);
	for (i = 0; i < n; i++) {
		strcat(got, i ? " " : "");
		strcat(got, names[i]);
	}
	ck_assert_str_eq(got, want);
}

START_TEST(test_match)
{
	struct ike_idv id;
	char	 names[2][NAME_MAX_LEN + 1];
	uint8_t	 l[4] = { 192, 0, 2, 1 }, p[4] = { 198, 51, 100, 7 };
	size_t	 n;

	sql("INSERT INTO virtual_router (name) VALUES ('red')");
	sql("INSERT INTO tunnel (name, if_id, source, destination, backup, "
	    "tvr, shutdown, ike_version, peer_id_type, peer_id) VALUES "
	    "('z-addr', 1, '192.0.2.1', '198.51.100.7', NULL, NULL, 0, 2, "
	    "NULL, NULL), "
	    "('a-id', 2, '192.0.2.1', 'branch.example.com', NULL, NULL, 0, 2, "
	    "NULL, NULL), "
	    "('m-bak', 3, NULL, '203.0.113.1', '198.51.100.7', NULL, 0, 2, "
	    "NULL, NULL), "
	    "('n-wrongsrc', 4, '192.0.2.99', '198.51.100.7', NULL, NULL, 0, "
	    "2, NULL, NULL), "
	    "('o-srcname', 5, 'gw.example.com', '198.51.100.7', NULL, NULL, "
	    "0, 2, NULL, NULL), "
	    "('p-shut', 6, NULL, '198.51.100.7', NULL, NULL, 1, 2, NULL, "
	    "NULL), "
	    "('q-red', 7, NULL, '198.51.100.7', NULL, 'red', 0, 2, NULL, "
	    "NULL), "
	    "('r-peerid', 8, NULL, '198.51.100.7', NULL, NULL, 0, 2, 'fqdn', "
	    "'other.example.com'), "
	    "('s-peerid', 9, NULL, '198.51.100.7', NULL, NULL, 0, 2, 'fqdn', "
	    "'branch.example.com'), "
	    "('u-manual', 10, NULL, '198.51.100.7', NULL, NULL, 0, 2, NULL, "
	    "NULL), "
	    "('v-ikev1', 11, NULL, '198.51.100.7', NULL, NULL, 0, 1, NULL, "
	    "NULL), "
	    "('w-user', 12, NULL, 'user@branch.example.com', NULL, NULL, 0, 2, "
	    "NULL, NULL), "
	    "('x-dn', 13, NULL, '198.51.100.7', NULL, NULL, 0, 2, 'dn', "
	    "'CN=branch'), "
	    "('y-v6', 14, NULL, '2001:db8::7', NULL, NULL, 0, 2, NULL, NULL)");
	sql("INSERT INTO tunnel_sa_manual (tunnel, direction, spi, transform) "
	    "VALUES ('u-manual', 'inbound', 300, 'esp-aes128-sha')");

	/* address matches first, then the identity ones; the peer's
	 * identity any case */
	idv("fqdn", "BRANCH.example.com", &id);
	match(&id, "192.0.2.1", "198.51.100.7",
	    "m-bak o-srcname s-peerid z-addr a-id");
	/* from another local address: tunnels with that source drop out */
	match(&id, "192.0.2.2", "198.51.100.7", "m-bak o-srcname s-peerid");
	/* a dynamic peer: the identity only */
	match(&id, "192.0.2.1", "203.0.113.50", "a-id");
	idv("user-fqdn", "user@branch.example.com", &id);
	match(&id, "192.0.2.1", "203.0.113.50", "w-user");
	/* an identity no tunnel has; peer-identity mismatches excluded */
	idv("fqdn", "stranger.example.com", &id);
	match(&id, "192.0.2.1", "198.51.100.7", "m-bak o-srcname z-addr");
	idv("address", "198.51.100.7", &id);
	match(&id, "192.0.2.1", "198.51.100.7", "m-bak o-srcname z-addr");
	/* before IKE_AUTH: addresses only, peer-identity unchecked */
	match(NULL, "192.0.2.1", "198.51.100.7",
	    "m-bak o-srcname r-peerid s-peerid z-addr");
	match(NULL, "192.0.2.1", NULL, "");
	match(NULL, "2001:db8::1", "2001:db8::7", "y-v6");
	/* other families never match */
	match(NULL, "2001:db8::1", "::ffff:198.51.100.7", "");

	/* the transport VR */
	ck_assert_int_eq(ike_conf_match(st, "red", AF_INET, l, p, NULL, names,
	    2, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(names[0], "q-red");
	/* max */
	ck_assert_int_eq(ike_conf_match(st, NULL, AF_INET, l, p, NULL, names,
	    2, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(names[1], "o-srcname");
}
END_TEST

/* ------------------------------------------------------------------ */

static TCase *
tc_new(const char *name)
{
	TCase	*tc = tcase_create(name);

	tcase_add_unchecked_fixture(tc, tmp_base_make, tmp_base_remove);
	tcase_add_checked_fixture(tc, setup, teardown);
	return tc;
}

static Suite *
ike_conf_suite(void)
{
	Suite	*s = suite_create("ike_conf");
	TCase	*tc;

	tc = tc_new("proposals");
	tcase_add_test(tc, test_ike_default);
	tcase_add_test(tc, test_ike_rule_order_and_match);
	tcase_add_test(tc, test_ike_no_rule_fits);
	tcase_add_test(tc, test_ike_aead);
	tcase_add_test(tc, test_ike_unusable_skipped);
	tcase_add_test(tc, test_ike_lifetime);
	tcase_add_test(tc, test_child_set);
	tcase_add_test(tc, test_child_default);
	tcase_add_test(tc, test_child_skipped);
	suite_add_tcase(s, tc);

	tc = tc_new("choice");
	tcase_add_test(tc, test_select_our_order);
	tcase_add_test(tc, test_select_keylen);
	tcase_add_test(tc, test_select_unusable_transform);
	tcase_add_test(tc, test_select_dh);
	tcase_add_test(tc, test_select_none_and_esn);
	tcase_add_test(tc, test_select_proto);
	tcase_add_test(tc, test_accept);
	tcase_add_test(tc, test_accept_child);
	tcase_add_test(tc, test_suite);
	tcase_add_test(tc, test_child_sa_every_transform);
	tcase_add_test(tc, test_child_sa_refused);
	tcase_add_test(tc, test_prop_text);
	suite_add_tcase(s, tc);

	tc = tc_new("selectors");
	tcase_add_test(tc, test_ts_from_text);
	tcase_add_test(tc, test_ts_narrow);
	tcase_add_test(tc, test_ts_within);
	tcase_add_test(tc, test_ts_text);
	suite_add_tcase(s, tc);

	tc = tc_new("identities");
	tcase_add_test(tc, test_idv);
	tcase_add_test(tc, test_psk_user_fqdn_order);
	tcase_add_test(tc, test_psk_address);
	tcase_add_test(tc, test_psk_tvr);
	tcase_add_test(tc, test_psk_case);
	tcase_add_test(tc, test_psk_bad_blob);
	suite_add_tcase(s, tc);

	tc = tc_new("tunnels");
	tcase_add_test(tc, test_tunnel_load);
	tcase_add_test(tc, test_tunnels_list);
	tcase_add_test(tc, test_local_id);
	tcase_add_test(tc, test_match);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(ike_conf_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
