/* check_ike_codec: IKEv2 messages on the wire (lib/ike_codec.c) and their
 * names (lib/ike_names.c): every payload through encode and decode, an
 * IKE_SA_INIT request laid out as strongSwan 5.9 sends it, every
 * truncation and single-byte mutation of the sample messages, the
 * payload table of RFC 7296 1.2-1.5, malformed bodies one by one, the
 * encoder's limits, and SK payloads sealed and opened with ike_crypto.
 *
 * SECTUN_WRITE_CORPUS=DIR tests/check_ike_codec writes the samples as
 * fuzzing seeds into DIR/msg and DIR/sk (tests/fuzz/corpus in git). */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>

#include "ike_codec.h"
#include "ike_const.h"
#include "ike_crypto.h"
#include "util.h"

#include "fuzz/ike_fuzz.h"

/* hex_decode, where "" is 0 bytes */
static long
hexd(const char *hex, uint8_t *out, size_t size)
{
	return *hex == '\0' ? 0 : hex_decode(hex, out, size);
}

/* ---- sample payload contents ---- */

static const struct ike_prop sa_ike[] = {
	{ 1, IKE_PROTO_IKE, 0, { 0 }, {
		{ IKE_XF_ENCR, IKE_ENCR_AES_CBC, 256 },
		{ IKE_XF_ENCR, IKE_ENCR_AES_CBC, 128 },
		{ IKE_XF_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
		{ IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0 },
		{ IKE_XF_DH, IKE_DH_ECP256, 0 },
		{ IKE_XF_DH, IKE_DH_MODP2048, 0 } }, 6 },
	{ 2, IKE_PROTO_IKE, 0, { 0 }, {
		{ IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 256 },
		{ IKE_XF_PRF, IKE_PRF_HMAC_SHA2_384, 0 },
		{ IKE_XF_DH, IKE_DH_CURVE25519, 0 } }, 3 },
};
static const struct ike_prop sa_esp[] = {
	{ 1, IKE_PROTO_ESP, 4, { 0xc0, 0xff, 0xee, 0x01 }, {
		{ IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 256 },
		{ IKE_XF_ESN, IKE_ESN_NO, 0 } }, 2 },
};
/* an IKE SA rekey (1.3.2): the new SA's SPI, 8 bytes */
static const struct ike_prop sa_rekey[] = {
	{ 1, IKE_PROTO_IKE, 8, { 1, 2, 3, 4, 5, 6, 7, 8 }, {
		{ IKE_XF_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0 },
		{ IKE_XF_PRF, IKE_PRF_HMAC_SHA2_512, 0 },
		{ IKE_XF_DH, IKE_DH_ECP384, 0 } }, 3 },
};
static const struct ike_ts ts_i[] = {
	{ IKE_TS_IPV4_ADDR_RANGE, 0, 0, 65535, { 10, 1, 0, 0 },
	    { 10, 1, 255, 255 } },
	{ IKE_TS_IPV6_ADDR_RANGE, 6, 443, 443,
	    { 0x20, 0x01, 0x0d, 0xb8 }, { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xff,
	    [15] = 0xff } },
};
static const struct ike_ts ts_r[] = {
	{ IKE_TS_IPV4_ADDR_RANGE, 17, 65535, 0, { 10, 2, 0, 0 },
	    { 10, 2, 255, 255 } },			/* OPAQUE ports */
};
static const char id_fqdn[] = "alice.example.org";
static const uint8_t id_v4[] = { 192, 0, 2, 1 };
static const uint8_t esp_spis[] = { 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef,
	0xff, 0xff, 0xff, 0xff };
static const char vendor[] = "sectun-test";
static uint8_t ke_data[64], nonce[32], auth_data[32], notify_data[64];

static void
samples_init(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(ke_data); i++)
		ke_data[i] = (uint8_t)(0x41 + i);
	for (i = 0; i < sizeof(nonce); i++)
		nonce[i] = (uint8_t)(0xa0 ^ i);
	for (i = 0; i < sizeof(auth_data); i++)
		auth_data[i] = (uint8_t)(7 * i);
	for (i = 0; i < sizeof(notify_data); i++)
		notify_data[i] = (uint8_t)(0x30 + i);
}

/* Notification data of the right size for each type. */
static size_t
notify_len(uint16_t type)
{
	switch (type) {
	case IKE_N_COOKIE:
		return 8;
	case IKE_N_INVALID_KE_PAYLOAD:
		return 2;
	case IKE_N_NAT_DETECTION_SOURCE_IP:
	case IKE_N_NAT_DETECTION_DESTINATION_IP:
		return 20;
	case IKE_N_SET_WINDOW_SIZE:
		return 4;
	case IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD:
		return 1;
	default:
		return 0;
	}
}

/* ---- messages from token lists ----
 * A token: the payload type in the low byte, a notify type above it, and
 * the critical flag on top. Types without an encoder go in raw. */
#define N(t)		(IKE_PL_NOTIFY | (uint32_t)(t) << 8)
#define CRIT		0x80000000u
#define REKEY		0x40000000u	/* SA: the IKE rekey proposal */

struct spec {
	const char	*name;
	uint8_t		 exchange, flags;
	int		 sk;		/* an SK payload after the outer ones */
	uint32_t	 outer[10], inner[14];
};

/* A 4-byte body of any type: ike_enc_vendor's, retyped. */
static void
put_raw(struct ike_enc *e, uint8_t type)
{
	static const uint8_t body[4] = { 1, 0, 0, 0 };
	size_t	 prev = e->np;
	uint8_t	 first = e->first;

	ike_enc_vendor(e, body, sizeof(body));
	if (e->err)
		return;
	if (prev < e->len)
		e->buf[prev] = type;
	if (first == IKE_PL_NONE)
		e->first = type;
}

static void
put_token(struct ike_enc *e, uint8_t exchange, uint32_t tok)
{
	uint8_t		 type = tok & 0xff;
	uint16_t	 nt = (tok >> 8) & 0xffff;

	if (type == IKE_PL_SA && (tok & REKEY))
		ike_enc_sa(e, sa_rekey, 1);
	else if (type == IKE_PL_SA && exchange == IKE_SA_INIT)
		ike_enc_sa(e, sa_ike, 2);
	else if (type == IKE_PL_SA)
		ike_enc_sa(e, sa_esp, 1);
	else if (type == IKE_PL_KE)
		ike_enc_ke(e, IKE_DH_ECP256, ke_data, sizeof(ke_data));
	else if (type == IKE_PL_NONCE)
		ike_enc_nonce(e, nonce, sizeof(nonce));
	else if (type == IKE_PL_IDI)
		ike_enc_id(e, type, IKE_ID_FQDN, (const uint8_t *)id_fqdn,
		    strlen(id_fqdn));
	else if (type == IKE_PL_IDR)
		ike_enc_id(e, type, IKE_ID_IPV4_ADDR, id_v4, sizeof(id_v4));
	else if (type == IKE_PL_AUTH)
		ike_enc_auth(e, IKE_AUTH_PSK, auth_data, sizeof(auth_data));
	else if (type == IKE_PL_NOTIFY && nt == IKE_N_REKEY_SA)
		ike_enc_notify(e, IKE_PROTO_ESP, sa_esp[0].spi, 4, nt, NULL, 0);
	else if (type == IKE_PL_NOTIFY)
		ike_enc_notify(e, 0, NULL, 0, nt, notify_data, notify_len(nt));
	else if (type == IKE_PL_DELETE)
		ike_enc_delete(e, IKE_PROTO_ESP, 4, esp_spis, 3);
	else if (type == IKE_PL_TSI)
		ike_enc_ts(e, type, ts_i, 2);
	else if (type == IKE_PL_TSR)
		ike_enc_ts(e, type, ts_r, 1);
	else if (type == IKE_PL_VENDOR)
		ike_enc_vendor(e, (const uint8_t *)vendor, strlen(vendor));
	else
		put_raw(e, type);
	if ((tok & CRIT) && !e->err)
		e->buf[e->start + 1] = IKE_PL_CRITICAL;
}

static const uint8_t spi_i[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t spi_r[8] = { 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18 };

/* The message of a spec; SK holds the inner chain in plaintext. */
static long
spec_build(const struct spec *s, uint8_t *buf, size_t cap)
{
	struct ike_enc	 e, in;
	struct ike_hdr	 h;
	uint8_t		 plain[4096], *body;
	long		 plen = 0;
	size_t		 i;

	memset(&h, 0, sizeof(h));
	memcpy(h.spi_i, spi_i, 8);
	if (s->exchange != IKE_SA_INIT || (s->flags & IKE_FLAG_RESPONSE))
		memcpy(h.spi_r, spi_r, 8);
	h.exchange = s->exchange;
	h.flags = s->flags;
	h.msgid = s->exchange == IKE_SA_INIT ? 0 : 0x01020304;
	ike_enc_chain(&in, plain, sizeof(plain));
	for (i = 0; i < nitems(s->inner) && s->inner[i] != 0; i++)
		put_token(&in, s->exchange, s->inner[i]);
	if (s->sk)
		plen = ike_enc_finish(&in);
	ck_assert_int_ge(plen, 0);
	ike_enc_msg(&e, buf, cap, &h);
	for (i = 0; i < nitems(s->outer) && s->outer[i] != 0; i++)
		put_token(&e, s->exchange, s->outer[i]);
	if (s->sk) {
		ike_enc_sk_header(&e, in.first, (size_t)plen);
		if ((body = ike_enc_reserve(&e, (size_t)plen)) != NULL)
			memcpy(body, plain, (size_t)plen);
	}
	return ike_enc_finish(&e);
}

#define I	IKE_FLAG_INITIATOR
#define R	IKE_FLAG_RESPONSE

/* Valid messages: the seeds of the fuzzers and the inputs of the
 * truncation and mutation tests. */
static const struct spec samples[] = {
	{ "init_req", IKE_SA_INIT, I, 0, { IKE_PL_SA, IKE_PL_KE, IKE_PL_NONCE,
	    N(IKE_N_NAT_DETECTION_SOURCE_IP),
	    N(IKE_N_NAT_DETECTION_DESTINATION_IP),
	    N(IKE_N_FRAGMENTATION_SUPPORTED), IKE_PL_VENDOR }, { 0 } },
	{ "init_resp", IKE_SA_INIT, R, 0, { IKE_PL_SA, IKE_PL_KE,
	    IKE_PL_NONCE, IKE_PL_CERTREQ, N(IKE_N_NAT_DETECTION_SOURCE_IP),
	    N(IKE_N_NAT_DETECTION_DESTINATION_IP) }, { 0 } },
	{ "init_cookie", IKE_SA_INIT, R, 0, { N(IKE_N_COOKIE) }, { 0 } },
	{ "auth_req", IKE_AUTH, I, 1, { 0 }, { IKE_PL_IDI,
	    N(IKE_N_INITIAL_CONTACT), IKE_PL_IDR, IKE_PL_AUTH, IKE_PL_SA,
	    IKE_PL_TSI, IKE_PL_TSR } },
	{ "auth_resp", IKE_AUTH, R, 1, { 0 }, { IKE_PL_IDR, IKE_PL_AUTH,
	    IKE_PL_SA, IKE_PL_TSI, IKE_PL_TSR } },
	{ "child_req", IKE_CREATE_CHILD_SA, I, 1, { 0 },
	    { N(IKE_N_REKEY_SA), IKE_PL_SA, IKE_PL_NONCE, IKE_PL_KE,
	    IKE_PL_TSI, IKE_PL_TSR } },
	{ "rekey_resp", IKE_CREATE_CHILD_SA, R, 1, { 0 },
	    { IKE_PL_SA | REKEY, IKE_PL_NONCE, IKE_PL_KE } },
	{ "info_delete", IKE_INFORMATIONAL, I, 1, { 0 },
	    { IKE_PL_DELETE, N(IKE_N_SET_WINDOW_SIZE) } },
	{ "info_empty", IKE_INFORMATIONAL, I | R, 1, { 0 }, { 0 } },
};

/* An IKE_SA_INIT request laid out byte by byte as strongSwan 5.9 sends
 * it for proposals = aes256-sha256-modp2048, from RFC 7296 3.1-3.10 and
 * not from our encoder: "[ SA KE No N(NATD_S_IP) N(NATD_D_IP)
 * N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]". Fills stand for the random
 * parts (KE data, nonce, NAT-D hashes). */
static const struct {
	const char	*hex;
	size_t		 fill;
	uint8_t		 byte;
} swan_parts[] = {
	/* SPIi, SPIr 0, next SA, 2.0, IKE_SA_INIT, Initiator, id 0, 464 */
	{ "a1b2c3d4e5f60718" "0000000000000000" "21" "20" "22" "08"
	    "00000000" "000001d0", 0, 0 },
	/* SA (48): one proposal (44), IKE, 4 transforms */
	{ "22000030" "0000002c" "01010004"
	    "0300000c" "0100000c" "800e0100"	/* ENCR AES_CBC 256 */
	    "03000008" "0300000c"		/* INTEG HMAC_SHA2_256_128 */
	    "03000008" "02000005"		/* PRF HMAC_SHA2_256 */
	    "00000008" "0400000e", 0, 0 },	/* DH MODP_2048 */
	{ "28000108" "000e0000", 256, 0x5a },	/* KE (264): group 14 */
	{ "29000024", 32, 0x4e },		/* Nonce (36) */
	{ "2900001c" "00004004", 20, 0x11 },	/* N(NATD_S_IP) */
	{ "2900001c" "00004005", 20, 0x22 },	/* N(NATD_D_IP) */
	{ "29000008" "0000402e", 0, 0 },	/* N(FRAG_SUP) */
	{ "29000010" "0000402f" "0002000300040005", 0, 0 }, /* N(HASH_ALG) */
	{ "00000008" "00004016", 0, 0 },	/* N(REDIR_SUP) */
};

static size_t
swan_build(uint8_t *buf, size_t cap)
{
	size_t	 i, n = 0;
	long	 k;

	for (i = 0; i < nitems(swan_parts); i++) {
		k = hexd(swan_parts[i].hex, buf + n, cap - n);
		ck_assert_int_gt(k, 0);
		n += (size_t)k;
		ck_assert_uint_le(swan_parts[i].fill, cap - n);
		memset(buf + n, swan_parts[i].byte, swan_parts[i].fill);
		n += swan_parts[i].fill;
	}
	return n;
}

/* Sample i (the strongSwan one last) into buf; its length. */
#define NSAMPLES	(nitems(samples) + 1)
static size_t
sample_build(size_t i, uint8_t *buf, size_t cap)
{
	long	 n;

	if (i == nitems(samples))
		return swan_build(buf, cap);
	n = spec_build(&samples[i], buf, cap);
	ck_assert_msg(n > 0, "%s", samples[i].name);
	return (size_t)n;
}

static const char *
sample_name(size_t i)
{
	return i == nitems(samples) ? "strongswan_init_req" : samples[i].name;
}

/* Decode a message, its SK body as plaintext, and check it: 0 accepted,
 * 1 refused by the table, 2 refused by decoding. */
#define OK	0
#define TABLE	1
#define DECODE	2
static int
msg_run(const uint8_t *buf, size_t len, struct ike_msg *m,
    struct ike_err *err)
{
	const struct ike_pl	*sk;

	memset(err, 0, sizeof(*err));
	if (ike_msg_decode(buf, len, m, err) == -1)
		return DECODE;
	if (m->sk >= 0) {
		sk = &m->pl[m->sk];
		if (ike_msg_decode_inner(m, sk->body, sk->len, err) == -1)
			return DECODE;
	}
	return ike_msg_check(m, err) == 0 ? OK : TABLE;
}

/* ---- names ---- */

static void *
names_thread(void *arg)
{
	return (void *)ike_notify_name(60001);
}

START_TEST(test_names)
{
	const char	*mine;
	pthread_t	 t;
	void		*theirs;

	ck_assert_str_eq(ike_exchange_name(IKE_SA_INIT), "IKE_SA_INIT");
	ck_assert_str_eq(ike_exchange_name(IKE_CREATE_CHILD_SA),
	    "CREATE_CHILD_SA");
	ck_assert_str_eq(ike_exchange_name(IKE_INFORMATIONAL), "INFORMATIONAL");
	ck_assert_str_eq(ike_exchange_name(99), "99");
	ck_assert_str_eq(ike_payload_name(IKE_PL_SA), "SA");
	ck_assert_str_eq(ike_payload_name(IKE_PL_IDI), "IDi");
	ck_assert_str_eq(ike_payload_name(IKE_PL_SK), "SK");
	ck_assert_str_eq(ike_payload_name(200), "200");
	ck_assert_str_eq(ike_notify_name(IKE_N_NO_PROPOSAL_CHOSEN),
	    "NO_PROPOSAL_CHOSEN");
	ck_assert_str_eq(ike_notify_name(IKE_N_NAT_DETECTION_SOURCE_IP),
	    "NAT_DETECTION_SOURCE_IP");
	ck_assert_str_eq(ike_notify_name(IKE_N_COOKIE), "COOKIE");
	ck_assert_str_eq(ike_notify_name(12345), "12345");
	ck_assert_str_eq(ike_xform_name(IKE_XF_DH, IKE_DH_MODP2048),
	    "MODP_2048");
	ck_assert_str_eq(ike_xform_name(IKE_XF_DH, IKE_DH_ECP256), "ECP_256");
	ck_assert_str_eq(ike_xform_name(IKE_XF_DH, IKE_DH_CURVE25519),
	    "CURVE25519");
	ck_assert_str_eq(ike_xform_name(IKE_XF_ENCR, IKE_ENCR_AES_CBC),
	    "AES_CBC");
	ck_assert_str_eq(ike_xform_name(IKE_XF_ENCR, IKE_ENCR_AES_GCM_16),
	    "AES_GCM_16");
	ck_assert_str_eq(ike_xform_name(IKE_XF_INTEG,
	    IKE_INTEG_HMAC_SHA2_256_128), "HMAC_SHA2_256_128");
	ck_assert_str_eq(ike_xform_name(IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256),
	    "PRF_HMAC_SHA2_256");
	ck_assert_str_eq(ike_xform_name(IKE_XF_ESN, IKE_ESN_YES), "ESN");
	ck_assert_str_eq(ike_xform_name(IKE_XF_ENCR, 1000), "1000");
	ck_assert_str_eq(ike_xform_name(9, 12), "12");
	ck_assert_str_eq(ike_xform_name(0, 3), "3");
	ck_assert_str_eq(ike_id_type_name(IKE_ID_IPV4_ADDR), "ID_IPV4_ADDR");
	ck_assert_str_eq(ike_id_type_name(IKE_ID_FQDN), "ID_FQDN");
	ck_assert_str_eq(ike_id_type_name(250), "250");
	/* unknown values: one buffer per thread */
	mine = ike_notify_name(60000);
	ck_assert_int_eq(pthread_create(&t, NULL, names_thread, NULL), 0);
	ck_assert_int_eq(pthread_join(t, &theirs), 0);
	ck_assert_ptr_ne(mine, theirs);
	ck_assert_str_eq(mine, "60000");
}
END_TEST

/* ---- round trips ---- */

static void
prop_eq(const struct ike_prop *a, const struct ike_prop *b)
{
	size_t	 j;

	ck_assert_uint_eq(a->num, b->num);
	ck_assert_uint_eq(a->proto, b->proto);
	ck_assert_uint_eq(a->spi_len, b->spi_len);
	ck_assert_mem_eq(a->spi, b->spi, a->spi_len);
	ck_assert_uint_eq(a->nxf, b->nxf);
	for (j = 0; j < a->nxf; j++) {
		ck_assert_uint_eq(a->xf[j].type, b->xf[j].type);
		ck_assert_uint_eq(a->xf[j].id, b->xf[j].id);
		ck_assert_uint_eq(a->xf[j].keylen, b->xf[j].keylen);
	}
}

static const struct ike_pl *
must_find(const struct ike_msg *m, uint8_t type, size_t *from)
{
	const struct ike_pl	*p = ike_msg_find(m, type, from);

	ck_assert_msg(p != NULL, "no %s payload", ike_payload_name(type));
	return p;
}

/* Every payload type in one message (an INFORMATIONAL, its SK body in
 * plaintext), decoded field by field by the tests below. */
static const uint8_t rt_v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t rt_spi8[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };

static void
rt_build(struct ike_msg *m)
{
	static uint8_t	 buf[4096], plain[4096];
	struct ike_enc	 e, in;
	struct ike_hdr	 h;
	struct ike_err	 err;
	uint8_t		*body;
	long		 plen, len;
	size_t		 i;

	ike_enc_chain(&in, plain, sizeof(plain));
	ike_enc_sa(&in, sa_ike, 2);
	ike_enc_sa(&in, sa_rekey, 1);
	ike_enc_sa(&in, sa_esp, 1);
	ike_enc_ke(&in, IKE_DH_MODP2048, ke_data, sizeof(ke_data));
	ike_enc_nonce(&in, nonce, sizeof(nonce));
	ike_enc_id(&in, IKE_PL_IDI, IKE_ID_FQDN, (const uint8_t *)id_fqdn,
	    strlen(id_fqdn));
	ike_enc_id(&in, IKE_PL_IDR, IKE_ID_IPV6_ADDR, rt_v6, sizeof(rt_v6));
	ike_enc_auth(&in, IKE_AUTH_PSK, auth_data, sizeof(auth_data));
	ike_enc_notify(&in, IKE_PROTO_ESP, esp_spis, 4, IKE_N_REKEY_SA, NULL,
	    0);
	ike_enc_notify(&in, IKE_PROTO_IKE, rt_spi8, 8, IKE_N_COOKIE, nonce, 8);
	ike_enc_delete(&in, IKE_PROTO_IKE, 0, NULL, 0);
	ike_enc_delete(&in, IKE_PROTO_ESP, 4, esp_spis, 3);
	ike_enc_ts(&in, IKE_PL_TSI, ts_i, 2);
	ike_enc_ts(&in, IKE_PL_TSR, ts_r, 1);
	ike_enc_vendor(&in, (const uint8_t *)vendor, strlen(vendor));
	plen = ike_enc_finish(&in);
	ck_assert_int_gt(plen, 0);
	ck_assert_uint_eq(in.first, IKE_PL_SA);

	memset(&h, 0, sizeof(h));
	memcpy(h.spi_i, spi_i, 8);
	memcpy(h.spi_r, spi_r, 8);
	h.exchange = IKE_INFORMATIONAL;
	h.flags = IKE_FLAG_INITIATOR;
	h.msgid = 0xfedcba98;
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_sk_header(&e, in.first, (size_t)plen);
	ck_assert_ptr_nonnull(body = ike_enc_reserve(&e, (size_t)plen));
	memcpy(body, plain, (size_t)plen);
	len = ike_enc_finish(&e);
	ck_assert_int_eq(len, IKE_HDR_LEN + 4 + plen);

	ck_assert_int_eq(ike_msg_decode(buf, (size_t)len, m, &err), 0);
	ck_assert_mem_eq(m->h.spi_i, spi_i, 8);
	ck_assert_mem_eq(m->h.spi_r, spi_r, 8);
	ck_assert_uint_eq(m->h.next, IKE_PL_SK);
	ck_assert_uint_eq(m->h.version, IKE_VERSION);
	ck_assert_uint_eq(m->h.exchange, IKE_INFORMATIONAL);
	ck_assert_uint_eq(m->h.flags, IKE_FLAG_INITIATOR);
	ck_assert_uint_eq(m->h.msgid, 0xfedcba98);
	ck_assert_uint_eq(m->h.length, (uint32_t)len);
	ck_assert_int_eq(m->sk, 0);
	ck_assert_uint_eq(m->sk_next, IKE_PL_SA);
	ck_assert_uint_eq(m->pl[0].len, (size_t)plen);
	ck_assert_int_eq(ike_msg_decode_inner(m, m->pl[0].body, m->pl[0].len,
	    &err), 0);
	ck_assert_uint_eq(m->ninner, 15);
	ck_assert_uint_eq(m->npl, 16);
	for (i = 1; i < m->npl; i++)
		ck_assert_uint_eq(m->inner[i], 1);
}

START_TEST(test_roundtrip_sa)
{
	struct ike_msg		 m;
	struct ike_err		 err;
	struct ike_prop		 props[IKE_MAX_PROPOSALS];
	const struct ike_pl	*p;
	size_t			 from = 0, cnt;

	rt_build(&m);
	p = must_find(&m, IKE_PL_SA, &from);
	ck_assert_int_eq(ike_sa_decode(p, props, IKE_MAX_PROPOSALS, &cnt,
	    &err), 0);
	ck_assert_uint_eq(cnt, 2);
	prop_eq(&props[0], &sa_ike[0]);
	prop_eq(&props[1], &sa_ike[1]);
	p = must_find(&m, IKE_PL_SA, &from);
	ck_assert_int_eq(ike_sa_decode(p, props, 1, &cnt, &err), 0);
	prop_eq(&props[0], &sa_rekey[0]);
	p = must_find(&m, IKE_PL_SA, &from);
	ck_assert_int_eq(ike_sa_decode(p, props, 1, &cnt, &err), 0);
	prop_eq(&props[0], &sa_esp[0]);
	ck_assert_ptr_null(ike_msg_find(&m, IKE_PL_SA, &from));
}
END_TEST

START_TEST(test_roundtrip_simple)
{
	struct ike_msg		 m;
	struct ike_err		 err;
	struct ike_ke		 ke;
	struct ike_id		 id;
	struct ike_auth		 auth;
	const struct ike_pl	*p;
	const uint8_t		*data;
	size_t			 cnt;

	rt_build(&m);
	ck_assert_int_eq(ike_ke_decode(must_find(&m, IKE_PL_KE, NULL), &ke,
	    &err), 0);
	ck_assert_uint_eq(ke.group, IKE_DH_MODP2048);
	ck_assert_uint_eq(ke.len, sizeof(ke_data));
	ck_assert_mem_eq(ke.data, ke_data, sizeof(ke_data));
	ck_assert_int_eq(ike_nonce_decode(must_find(&m, IKE_PL_NONCE, NULL),
	    &data, &cnt, &err), 0);
	ck_assert_uint_eq(cnt, sizeof(nonce));
	ck_assert_mem_eq(data, nonce, sizeof(nonce));
	ck_assert_int_eq(ike_id_decode(must_find(&m, IKE_PL_IDI, NULL), &id,
	    &err), 0);
	ck_assert_uint_eq(id.type, IKE_ID_FQDN);
	ck_assert_uint_eq(id.len, strlen(id_fqdn));
	ck_assert_mem_eq(id.data, id_fqdn, id.len);
	ck_assert_uint_eq(id.bodylen, 4 + strlen(id_fqdn));
	ck_assert_ptr_eq(id.data, id.body + 4);
	ck_assert_int_eq(ike_id_decode(must_find(&m, IKE_PL_IDR, NULL), &id,
	    &err), 0);
	ck_assert_uint_eq(id.type, IKE_ID_IPV6_ADDR);
	ck_assert_uint_eq(id.len, 16);
	ck_assert_mem_eq(id.data, rt_v6, 16);
	ck_assert_int_eq(ike_auth_decode(must_find(&m, IKE_PL_AUTH, NULL),
	    &auth, &err), 0);
	ck_assert_uint_eq(auth.method, IKE_AUTH_PSK);
	ck_assert_uint_eq(auth.len, sizeof(auth_data));
	ck_assert_mem_eq(auth.data, auth_data, sizeof(auth_data));
	p = must_find(&m, IKE_PL_VENDOR, NULL);
	ck_assert_uint_eq(p->len, strlen(vendor));
	ck_assert_mem_eq(p->body, vendor, p->len);
	ck_assert_uint_eq(p->critical, 0);
}
END_TEST

START_TEST(test_roundtrip_notify_delete)
{
	struct ike_msg		 m;
	struct ike_err		 err;
	struct ike_notify	 n;
	struct ike_delete	 d;
	size_t			 from = 0;

	rt_build(&m);
	ck_assert_int_eq(ike_notify_decode(must_find(&m, IKE_PL_NOTIFY,
	    &from), &n, &err), 0);
	ck_assert_uint_eq(n.proto, IKE_PROTO_ESP);
	ck_assert_uint_eq(n.spi_len, 4);
	ck_assert_mem_eq(n.spi, esp_spis, 4);
	ck_assert_uint_eq(n.type, IKE_N_REKEY_SA);
	ck_assert_uint_eq(n.len, 0);
	ck_assert_int_eq(ike_notify_decode(must_find(&m, IKE_PL_NOTIFY,
	    &from), &n, &err), 0);
	ck_assert_uint_eq(n.proto, IKE_PROTO_IKE);
	ck_assert_uint_eq(n.spi_len, 8);
	ck_assert_mem_eq(n.spi, rt_spi8, 8);
	ck_assert_uint_eq(n.type, IKE_N_COOKIE);
	ck_assert_uint_eq(n.len, 8);
	ck_assert_mem_eq(n.data, nonce, 8);
	ck_assert_ptr_null(ike_msg_find(&m, IKE_PL_NOTIFY, &from));
	ck_assert_ptr_eq(ike_msg_notify(&m, IKE_N_COOKIE), &m.pl[10]);
	ck_assert_ptr_null(ike_msg_notify(&m, IKE_N_INITIAL_CONTACT));

	from = 0;
	ck_assert_int_eq(ike_delete_decode(must_find(&m, IKE_PL_DELETE,
	    &from), &d, &err), 0);
	ck_assert_uint_eq(d.proto, IKE_PROTO_IKE);
	ck_assert_uint_eq(d.spi_len, 0);
	ck_assert_uint_eq(d.nspi, 0);
	ck_assert_int_eq(ike_delete_decode(must_find(&m, IKE_PL_DELETE,
	    &from), &d, &err), 0);
	ck_assert_uint_eq(d.proto, IKE_PROTO_ESP);
	ck_assert_uint_eq(d.spi_len, 4);
	ck_assert_uint_eq(d.nspi, 3);
	ck_assert_mem_eq(d.spis, esp_spis, 12);
}
END_TEST

START_TEST(test_roundtrip_ts)
{
	struct ike_msg	 m;
	struct ike_err	 err;
	struct ike_ts	 ts[IKE_MAX_TS];
	size_t		 cnt;

	rt_build(&m);
	ck_assert_int_eq(ike_ts_decode(must_find(&m, IKE_PL_TSI, NULL), ts,
	    IKE_MAX_TS, &cnt, &err), 0);
	ck_assert_uint_eq(cnt, 2);
	ck_assert_mem_eq(ts, ts_i, sizeof(ts_i));
	ck_assert_int_eq(ike_ts_decode(must_find(&m, IKE_PL_TSR, NULL), ts,
	    IKE_MAX_TS, &cnt, &err), 0);
	ck_assert_uint_eq(cnt, 1);
	ck_assert_mem_eq(ts, ts_r, sizeof(ts_r));
	/* no more room than the caller gives */
	ck_assert_int_eq(ike_ts_decode(must_find(&m, IKE_PL_TSI, NULL), ts, 1,
	    &cnt, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "2 selectors, 1 to 1"));
}
END_TEST

/* Each sample decodes to its token list, and the table accepts it. */
START_TEST(test_roundtrip_samples)
{
	const struct spec	*s = &samples[_i];
	uint8_t			 buf[4096];
	struct ike_msg		 m;
	struct ike_err		 err;
	size_t			 len, i, k = 0;

	len = sample_build((size_t)_i, buf, sizeof(buf));
	ck_assert_msg(msg_run(buf, len, &m, &err) == OK, "%s: %s", s->name,
	    err.text);
	ck_assert_uint_eq(m.h.exchange, s->exchange);
	ck_assert_uint_eq(m.h.flags, s->flags);
	for (i = 0; i < nitems(s->outer) && s->outer[i] != 0; i++, k++) {
		ck_assert_uint_eq(m.pl[k].type, s->outer[i] & 0xff);
		ck_assert_uint_eq(m.inner[k], 0);
	}
	if (s->sk) {
		ck_assert_int_eq(m.sk, (int)k);
		ck_assert_uint_eq(m.pl[k].type, IKE_PL_SK);
		ck_assert_uint_eq(m.sk_next, s->inner[0] & 0xff);
		k++;
	} else
		ck_assert_int_eq(m.sk, -1);
	for (i = 0; i < nitems(s->inner) && s->inner[i] != 0; i++, k++) {
		ck_assert_uint_eq(m.pl[k].type, s->inner[i] & 0xff);
		ck_assert_uint_eq(m.inner[k], 1);
	}
	ck_assert_uint_eq(m.npl, k);
	ck_assert_uint_eq(m.ninner, i);
	ck_assert_int_eq(fuzz_message(buf, len), 0);
}
END_TEST

/* The strongSwan layout: every field where RFC 7296 puts it. */
START_TEST(test_strongswan_init)
{
	static const uint16_t xf[][3] = {
		{ IKE_XF_ENCR, IKE_ENCR_AES_CBC, 256 },
		{ IKE_XF_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
		{ IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0 },
		{ IKE_XF_DH, IKE_DH_MODP2048, 0 },
	};
	static const uint16_t nt[] = { IKE_N_NAT_DETECTION_SOURCE_IP,
		IKE_N_NAT_DETECTION_DESTINATION_IP,
		IKE_N_FRAGMENTATION_SUPPORTED, IKE_N_SIGNATURE_HASH_ALGORITHMS,
		16406 };
	static const uint8_t hash_alg[] = { 0, 2, 0, 3, 0, 4, 0, 5 };
	uint8_t			 buf[1024];
	struct ike_msg		 m;
	struct ike_err		 err;
	struct ike_prop		 props[4];
	struct ike_ke		 ke;
	struct ike_notify	 n;
	const uint8_t		*data;
	size_t			 len, cnt, i;

	len = swan_build(buf, sizeof(buf));
	ck_assert_uint_eq(len, 464);
	ck_assert_int_eq(msg_run(buf, len, &m, &err), OK);
	ck_assert_uint_eq(m.h.exchange, IKE_SA_INIT);
	ck_assert_uint_eq(m.h.flags, IKE_FLAG_INITIATOR);
	ck_assert_uint_eq(m.h.msgid, 0);
	ck_assert_uint_eq(m.npl, 8);
	ck_assert_int_eq(m.sk, -1);
	ck_assert_int_eq(ike_sa_decode(&m.pl[0], props, 4, &cnt, &err), 0);
	ck_assert_uint_eq(cnt, 1);
	ck_assert_uint_eq(props[0].num, 1);
	ck_assert_uint_eq(props[0].proto, IKE_PROTO_IKE);
	ck_assert_uint_eq(props[0].spi_len, 0);
	ck_assert_uint_eq(props[0].nxf, 4);
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(props[0].xf[i].type, xf[i][0]);
		ck_assert_uint_eq(props[0].xf[i].id, xf[i][1]);
		ck_assert_uint_eq(props[0].xf[i].keylen, xf[i][2]);
	}
	ck_assert_uint_eq(m.pl[1].type, IKE_PL_KE);
	ck_assert_int_eq(ike_ke_decode(&m.pl[1], &ke, &err), 0);
	ck_assert_uint_eq(ke.group, IKE_DH_MODP2048);
	ck_assert_uint_eq(ke.len, 256);
	ck_assert_uint_eq(ke.data[0], 0x5a);
	ck_assert_int_eq(ike_nonce_decode(&m.pl[2], &data, &cnt, &err), 0);
	ck_assert_uint_eq(cnt, 32);
	for (i = 0; i < nitems(nt); i++) {
		ck_assert_uint_eq(m.pl[3 + i].type, IKE_PL_NOTIFY);
		ck_assert_int_eq(ike_notify_decode(&m.pl[3 + i], &n, &err), 0);
		ck_assert_uint_eq(n.type, nt[i]);
		ck_assert_uint_eq(n.spi_len, 0);
	}
	ck_assert_int_eq(ike_notify_decode(&m.pl[6], &n, &err), 0);
	ck_assert_uint_eq(n.len, sizeof(hash_alg));
	ck_assert_mem_eq(n.data, hash_alg, sizeof(hash_alg));
	ck_assert_str_eq(ike_notify_name(16406), "REDIRECT_SUPPORTED");
	ck_assert_int_eq(fuzz_message(buf, len), 0);
}
END_TEST

/* ---- truncation and mutation ---- */

/* buf[0..len) in a block of exactly len bytes: a read past it is caught
 * by AddressSanitizer. */
static uint8_t *
exact_copy(const uint8_t *buf, size_t len)
{
	uint8_t	*p = malloc(len > 0 ? len : 1);

	ck_assert_ptr_nonnull(p);
	memcpy(p, buf, len);
	return p;
}

static void
set_len(uint8_t *buf, size_t len)
{
	buf[24] = (uint8_t)(len >> 24);
	buf[25] = (uint8_t)(len >> 16);
	buf[26] = (uint8_t)(len >> 8);
	buf[27] = (uint8_t)len;
}

/* Every prefix of a sample is refused: as received (the length field
 * disagrees) and with the length field made to agree; the same for every
 * prefix of its SK plaintext. */
START_TEST(test_truncated)
{
	uint8_t			 buf[4096], *cut;
	struct ike_msg		 m;
	struct ike_err		 err;
	const struct ike_pl	*sk;
	size_t			 len, n;

	len = sample_build((size_t)_i, buf, sizeof(buf));
	for (n = 0; n < len; n++) {
		cut = exact_copy(buf, n);
		ck_assert_msg(fuzz_message(cut, n) == -1, "%s cut at %zu",
		    sample_name((size_t)_i), n);
		if (n >= IKE_HDR_LEN) {
			set_len(cut, n);
			ck_assert_msg(fuzz_message(cut, n) == -1, "%s cut at "
			    "%zu with its length", sample_name((size_t)_i), n);
		}
		free(cut);
	}
	ck_assert_int_eq(ike_msg_decode(buf, len, &m, &err), 0);
	if (m.sk < 0)
		return;
	sk = &m.pl[m.sk];
	for (n = 0; n < sk->len; n++) {
		cut = exact_copy(sk->body, n);
		m.npl = (size_t)m.sk + 1;
		m.ninner = 0;
		ck_assert_msg(ike_msg_decode_inner(&m, cut, n, &err) == -1,
		    "%s: SK plaintext cut at %zu", sample_name((size_t)_i), n);
		ck_assert(err.text[0] != '\0');
		free(cut);
	}
}
END_TEST

/* Every byte of every sample set to each of its 255 other values: the
 * message decodes or is refused, without a crash, an out-of-bounds read
 * or a broken invariant (ike_fuzz.h). */
START_TEST(test_mutated)
{
	uint8_t		 buf[4096], *mut;
	size_t		 len, pos, ok = 0, refused = 0;
	unsigned	 v;
	uint8_t		 orig;

	len = sample_build((size_t)_i, buf, sizeof(buf));
	mut = exact_copy(buf, len);
	for (pos = 0; pos < len; pos++) {
		orig = mut[pos];
		for (v = 0; v < 256; v++) {
			if (v == orig)
				continue;
			mut[pos] = (uint8_t)v;
			if (fuzz_message(mut, len) == 0)
				ok++;
			else
				refused++;
		}
		mut[pos] = orig;
	}
	free(mut);
	ck_assert_uint_eq(ok + refused, len * 255);
	/* bytes of data (nonce, KE, ...) change nothing that is checked */
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_gt(refused, 0);
}
END_TEST

/* ---- the payload table ---- */

static const struct {
	struct spec	 s;
	int		 want;		/* OK, TABLE or DECODE */
	uint16_t	 notify;
} table_cases[] = {
	/* IKE_SA_INIT request (1.2) */
	{ { "init_req", IKE_SA_INIT, I, 0, { IKE_PL_SA, IKE_PL_KE,
	    IKE_PL_NONCE, N(IKE_N_COOKIE), IKE_PL_VENDOR }, { 0 } }, OK, 0 },
	{ { "init_req no SA", IKE_SA_INIT, I, 0, { IKE_PL_KE, IKE_PL_NONCE },
	    { 0 } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "init_req no KE", IKE_SA_INIT, I, 0, { IKE_PL_SA, IKE_PL_NONCE },
	    { 0 } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "init_req no Nonce", IKE_SA_INIT, I, 0, { IKE_PL_SA, IKE_PL_KE },
	    { 0 } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "init_req 2 KE", IKE_SA_INIT, I, 0, { IKE_PL_SA, IKE_PL_KE,
	    IKE_PL_KE, IKE_PL_NONCE }, { 0 } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "init_req 2 SA", IKE_SA_INIT, I, 0, { IKE_PL_SA, IKE_PL_SA,
	    IKE_PL_KE, IKE_PL_NONCE }, { 0 } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "init_req IDi", IKE_SA_INIT, I, 0, { IKE_PL_SA, IKE_PL_KE,
	    IKE_PL_NONCE, IKE_PL_IDI }, { 0 } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "init_req SK", IKE_SA_INIT, I, 1, { IKE_PL_SA, IKE_PL_KE,
	    IKE_PL_NONCE }, { IKE_PL_VENDOR } }, TABLE,
	    IKE_N_INVALID_SYNTAX },
	{ { "init_req error notify", IKE_SA_INIT, I, 0,
	    { N(IKE_N_INVALID_SYNTAX) }, { 0 } }, OK, 0 },
	/* unknown payloads (2.5) */
	{ { "init_req unknown", IKE_SA_INIT, I, 0, { IKE_PL_SA, 99,
	    IKE_PL_KE, IKE_PL_NONCE, 200 }, { 0 } }, OK, 0 },
	{ { "init_req unknown critical", IKE_SA_INIT, I, 0, { IKE_PL_SA,
	    99 | CRIT, IKE_PL_KE, IKE_PL_NONCE }, { 0 } }, DECODE,
	    IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD },
	{ { "init_req SKF", IKE_SA_INIT, I, 0, { IKE_PL_SA, IKE_PL_KE,
	    IKE_PL_NONCE, IKE_PL_SKF | CRIT }, { 0 } }, DECODE,
	    IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD },
	{ { "init_req known critical", IKE_SA_INIT, I, 0, { IKE_PL_SA | CRIT,
	    IKE_PL_KE, IKE_PL_NONCE }, { 0 } }, OK, 0 },
	/* IKE_SA_INIT response (1.2, 2.6) */
	{ { "init_resp", IKE_SA_INIT, R, 0, { IKE_PL_SA, IKE_PL_KE,
	    IKE_PL_NONCE, IKE_PL_CERTREQ, IKE_PL_CERTREQ, N(16430) },
	    { 0 } }, OK, 0 },
	{ { "init_resp no KE", IKE_SA_INIT, R, 0, { IKE_PL_SA, IKE_PL_NONCE },
	    { 0 } }, TABLE, 0 },
	{ { "init_resp COOKIE", IKE_SA_INIT, R, 0, { N(IKE_N_COOKIE) },
	    { 0 } }, OK, 0 },
	{ { "init_resp INVALID_KE", IKE_SA_INIT, R, 0,
	    { N(IKE_N_INVALID_KE_PAYLOAD) }, { 0 } }, OK, 0 },
	{ { "init_resp NO_PROPOSAL_CHOSEN", IKE_SA_INIT, R, 0,
	    { N(IKE_N_NO_PROPOSAL_CHOSEN), IKE_PL_VENDOR }, { 0 } }, OK, 0 },
	{ { "init_resp status notify only", IKE_SA_INIT, R, 0,
	    { N(IKE_N_NAT_DETECTION_SOURCE_IP) }, { 0 } }, TABLE, 0 },
	{ { "init_resp COOKIE 2 SA", IKE_SA_INIT, R, 0, { N(IKE_N_COOKIE),
	    IKE_PL_SA, IKE_PL_SA }, { 0 } }, TABLE, 0 },
	/* IKE_AUTH request (1.2) */
	{ { "auth_req", IKE_AUTH, I, 1, { 0 }, { IKE_PL_IDI, IKE_PL_CERT,
	    IKE_PL_CERT, IKE_PL_CERTREQ, IKE_PL_IDR, IKE_PL_AUTH, IKE_PL_CP,
	    IKE_PL_SA, IKE_PL_TSI, IKE_PL_TSR, N(IKE_N_INITIAL_CONTACT),
	    IKE_PL_VENDOR } }, OK, 0 },
	{ { "auth_req childless", IKE_AUTH, I, 1, { 0 }, { IKE_PL_IDI,
	    IKE_PL_AUTH } }, OK, 0 },
	{ { "auth_req no IDi", IKE_AUTH, I, 1, { 0 }, { IKE_PL_AUTH,
	    IKE_PL_SA, IKE_PL_TSI, IKE_PL_TSR } }, TABLE,
	    IKE_N_INVALID_SYNTAX },
	{ { "auth_req no AUTH", IKE_AUTH, I, 1, { 0 }, { IKE_PL_IDI,
	    IKE_PL_SA, IKE_PL_TSI, IKE_PL_TSR } }, TABLE,
	    IKE_N_INVALID_SYNTAX },
	{ { "auth_req 2 IDr", IKE_AUTH, I, 1, { 0 }, { IKE_PL_IDI, IKE_PL_IDR,
	    IKE_PL_IDR, IKE_PL_AUTH } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "auth_req 2 TSi", IKE_AUTH, I, 1, { 0 }, { IKE_PL_IDI,
	    IKE_PL_AUTH, IKE_PL_TSI, IKE_PL_TSI } }, TABLE,
	    IKE_N_INVALID_SYNTAX },
	{ { "auth_req EAP", IKE_AUTH, I, 1, { 0 }, { IKE_PL_IDI, IKE_PL_AUTH,
	    IKE_PL_EAP } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "auth_req KE", IKE_AUTH, I, 1, { 0 }, { IKE_PL_IDI, IKE_PL_AUTH,
	    IKE_PL_KE } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "auth_req plaintext", IKE_AUTH, I, 0, { IKE_PL_IDI,
	    IKE_PL_AUTH }, { 0 } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "auth_req plaintext notify", IKE_AUTH, I, 1,
	    { N(IKE_N_INITIAL_CONTACT) }, { IKE_PL_IDI, IKE_PL_AUTH } },
	    TABLE, IKE_N_INVALID_SYNTAX },
	{ { "auth_req error notify", IKE_AUTH, I, 1, { 0 },
	    { N(IKE_N_INVALID_SYNTAX) } }, OK, 0 },
	{ { "auth_req SK in SK", IKE_AUTH, I, 1, { 0 }, { IKE_PL_IDI,
	    IKE_PL_AUTH, IKE_PL_SK } }, DECODE, IKE_N_INVALID_SYNTAX },
	{ { "auth_req critical unknown inside", IKE_AUTH, I, 1, { 0 },
	    { IKE_PL_IDI, 120 | CRIT, IKE_PL_AUTH } }, DECODE,
	    IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD },
	{ { "auth_req unknown inside", IKE_AUTH, I, 1, { 0 },
	    { IKE_PL_IDI, 120, IKE_PL_AUTH } }, OK, 0 },
	/* IKE_AUTH response (1.2, 2.21.2) */
	{ { "auth_resp", IKE_AUTH, R, 1, { 0 }, { IKE_PL_IDR, IKE_PL_CERT,
	    IKE_PL_AUTH, IKE_PL_CP, IKE_PL_SA, IKE_PL_TSI, IKE_PL_TSR,
	    IKE_PL_VENDOR } }, OK, 0 },
	{ { "auth_resp child failed", IKE_AUTH, R, 1, { 0 }, { IKE_PL_IDR,
	    IKE_PL_AUTH, N(IKE_N_TS_UNACCEPTABLE) } }, OK, 0 },
	{ { "auth_resp AUTHENTICATION_FAILED", IKE_AUTH, R, 1, { 0 },
	    { N(IKE_N_AUTHENTICATION_FAILED) } }, OK, 0 },
	{ { "auth_resp no IDr", IKE_AUTH, R, 1, { 0 }, { IKE_PL_AUTH,
	    IKE_PL_SA, IKE_PL_TSI, IKE_PL_TSR } }, TABLE, 0 },
	{ { "auth_resp no AUTH", IKE_AUTH, R, 1, { 0 }, { IKE_PL_IDR,
	    N(IKE_N_INITIAL_CONTACT) } }, TABLE, 0 },
	{ { "auth_resp 2 AUTH", IKE_AUTH, R, 1, { 0 }, { IKE_PL_IDR,
	    IKE_PL_AUTH, IKE_PL_AUTH } }, TABLE, 0 },
	{ { "auth_resp IDi", IKE_AUTH, R, 1, { 0 }, { IKE_PL_IDI, IKE_PL_IDR,
	    IKE_PL_AUTH } }, TABLE, 0 },
	{ { "auth_resp CERTREQ", IKE_AUTH, R, 1, { 0 }, { IKE_PL_IDR,
	    IKE_PL_AUTH, IKE_PL_CERTREQ } }, TABLE, 0 },
	/* CREATE_CHILD_SA (1.3) */
	{ { "child_req", IKE_CREATE_CHILD_SA, I, 1, { 0 }, { N(IKE_N_REKEY_SA),
	    IKE_PL_SA, IKE_PL_NONCE, IKE_PL_KE, IKE_PL_TSI, IKE_PL_TSR } },
	    OK, 0 },
	{ { "child_req IKE rekey", IKE_CREATE_CHILD_SA, I, 1, { 0 },
	    { IKE_PL_SA | REKEY, IKE_PL_NONCE, IKE_PL_KE } }, OK, 0 },
	{ { "child_req no SA", IKE_CREATE_CHILD_SA, I, 1, { 0 },
	    { IKE_PL_NONCE, IKE_PL_TSI, IKE_PL_TSR } }, TABLE,
	    IKE_N_INVALID_SYNTAX },
	{ { "child_req no Nonce", IKE_CREATE_CHILD_SA, I, 1, { 0 },
	    { IKE_PL_SA, IKE_PL_TSI, IKE_PL_TSR } }, TABLE,
	    IKE_N_INVALID_SYNTAX },
	{ { "child_req 2 KE", IKE_CREATE_CHILD_SA, I, 1, { 0 }, { IKE_PL_SA,
	    IKE_PL_NONCE, IKE_PL_KE, IKE_PL_KE } }, TABLE,
	    IKE_N_INVALID_SYNTAX },
	{ { "child_req 2 Nonce", IKE_CREATE_CHILD_SA, I, 1, { 0 },
	    { IKE_PL_SA, IKE_PL_NONCE, IKE_PL_NONCE } }, TABLE,
	    IKE_N_INVALID_SYNTAX },
	{ { "child_req AUTH", IKE_CREATE_CHILD_SA, I, 1, { 0 }, { IKE_PL_SA,
	    IKE_PL_NONCE, IKE_PL_AUTH } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "child_req no SK", IKE_CREATE_CHILD_SA, I, 0, { N(IKE_N_REKEY_SA) },
	    { 0 } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "child_resp", IKE_CREATE_CHILD_SA, R, 1, { 0 }, { IKE_PL_SA,
	    IKE_PL_NONCE, IKE_PL_TSI, IKE_PL_TSR,
	    N(IKE_N_ADDITIONAL_TS_POSSIBLE) } }, OK, 0 },
	{ { "child_resp NO_PROPOSAL_CHOSEN", IKE_CREATE_CHILD_SA, R, 1,
	    { 0 }, { N(IKE_N_NO_PROPOSAL_CHOSEN) } }, OK, 0 },
	{ { "child_resp status only", IKE_CREATE_CHILD_SA, R, 1, { 0 },
	    { N(IKE_N_ADDITIONAL_TS_POSSIBLE) } }, TABLE, 0 },
	{ { "child_resp no Nonce", IKE_CREATE_CHILD_SA, R, 1, { 0 },
	    { IKE_PL_SA, IKE_PL_TSI, IKE_PL_TSR } }, TABLE, 0 },
	/* INFORMATIONAL (1.4) */
	{ { "info empty", IKE_INFORMATIONAL, I, 1, { 0 }, { 0 } }, OK, 0 },
	{ { "info", IKE_INFORMATIONAL, I, 1, { 0 }, { IKE_PL_DELETE,
	    IKE_PL_DELETE, N(IKE_N_INITIAL_CONTACT), IKE_PL_CP,
	    IKE_PL_VENDOR } }, OK, 0 },
	{ { "info resp", IKE_INFORMATIONAL, R, 1, { 0 }, { IKE_PL_DELETE } },
	    OK, 0 },
	{ { "info 2 CP", IKE_INFORMATIONAL, I, 1, { 0 }, { IKE_PL_CP,
	    IKE_PL_CP } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "info SA", IKE_INFORMATIONAL, I, 1, { 0 }, { IKE_PL_SA } }, TABLE,
	    IKE_N_INVALID_SYNTAX },
	{ { "info no SK", IKE_INFORMATIONAL, I, 0, { IKE_PL_DELETE },
	    { 0 } }, TABLE, IKE_N_INVALID_SYNTAX },
	{ { "info nothing", IKE_INFORMATIONAL, I, 0, { 0 }, { 0 } }, TABLE,
	    IKE_N_INVALID_SYNTAX },
	{ { "info plaintext delete", IKE_INFORMATIONAL, I, 1,
	    { IKE_PL_DELETE }, { IKE_PL_DELETE } }, TABLE,
	    IKE_N_INVALID_SYNTAX },
	{ { "info resp plaintext notify", IKE_INFORMATIONAL, R, 1,
	    { N(IKE_N_INVALID_SYNTAX) }, { 0 } }, TABLE, 0 },
	/* no such exchange */
	{ { "exchange 40", 40, I, 0, { IKE_PL_NONCE }, { 0 } }, TABLE,
	    IKE_N_INVALID_SYNTAX },
	{ { "exchange 33 resp", 33, R, 0, { IKE_PL_NONCE }, { 0 } }, TABLE, 0 },
};

START_TEST(test_table)
{
	uint8_t		 buf[4096];
	struct ike_msg	 m;
	struct ike_err	 err;
	long		 len;
	int		 got;

	len = spec_build(&table_cases[_i].s, buf, sizeof(buf));
	ck_assert_int_gt(len, 0);
	got = msg_run(buf, (size_t)len, &m, &err);
	ck_assert_msg(got == table_cases[_i].want, "%s: %d, want %d (%s)",
	    table_cases[_i].s.name, got, table_cases[_i].want, err.text);
	if (got != OK) {
		ck_assert_msg(err.notify == table_cases[_i].notify,
		    "%s: notify %u, want %u (%s)", table_cases[_i].s.name,
		    err.notify, table_cases[_i].notify, err.text);
		ck_assert(err.text[0] != '\0');
	}
	(void)fuzz_message(buf, (size_t)len);
}
END_TEST

/* ---- the header and the chain ---- */

static size_t
init_req(uint8_t *buf, size_t cap)
{
	return sample_build(0, buf, cap);
}

static int
decode_err(const uint8_t *buf, size_t len, struct ike_err *err)
{
	struct ike_msg	 m;

	memset(err, 0, sizeof(*err));
	return ike_msg_decode(buf, len, &m, err);
}

START_TEST(test_header)
{
	uint8_t		 buf[IKE_MSG_LIMIT + 64], copy[4096];
	struct ike_msg	 m;
	struct ike_err	 err;
	size_t		 len;

	len = init_req(buf, sizeof(buf));
	/* 3.1: another major version, whatever its length says */
	memcpy(copy, buf, len);
	copy[17] = 0x30;
	ck_assert_int_eq(decode_err(copy, len, &err), -1);
	ck_assert_uint_eq(err.notify, IKE_N_INVALID_MAJOR_VERSION);
	copy[17] = 0x10;	/* IKEv1 */
	set_len(copy, 999);
	ck_assert_int_eq(decode_err(copy, len, &err), -1);
	ck_assert_uint_eq(err.notify, IKE_N_INVALID_MAJOR_VERSION);
	ck_assert_ptr_nonnull(strstr(err.text, "major version 1"));
	/* a minor version and reserved flag bits are ignored */
	memcpy(copy, buf, len);
	copy[17] = 0x27;
	copy[19] |= 0xc7;
	ck_assert_int_eq(ike_msg_decode(copy, len, &m, &err), 0);
	ck_assert_uint_eq(m.h.version, 0x27);
	/* the length field is the datagram's, exactly */
	memcpy(copy, buf, len);
	set_len(copy, len + 1);
	ck_assert_int_eq(decode_err(copy, len, &err), -1);
	ck_assert_uint_eq(err.notify, IKE_N_INVALID_SYNTAX);
	ck_assert_msg(strstr(err.text, "length field") != NULL, "%s", err.text);
	set_len(copy, len - 1);
	ck_assert_int_eq(decode_err(copy, len, &err), -1);
	/* bytes past the length field do not make it right */
	set_len(copy, len);
	ck_assert_int_eq(decode_err(copy, len + 1, &err), -1);
	/* too short for a header: nothing to answer */
	ck_assert_int_eq(decode_err(buf, IKE_HDR_LEN - 1, &err), -1);
	ck_assert_uint_eq(err.notify, 0);
	ck_assert_int_eq(ike_hdr_decode(buf, len, &m.h, &err), 0);
	ck_assert_uint_eq(m.h.length, len);
	/* IKE_MSG_LIMIT, and not a byte more: one big Vendor ID */
	for (len = IKE_MSG_LIMIT; len <= IKE_MSG_LIMIT + 1; len++) {
		memset(buf + IKE_HDR_LEN, 0, sizeof(buf) - IKE_HDR_LEN);
		buf[16] = IKE_PL_VENDOR;
		buf[IKE_HDR_LEN + 2] = (uint8_t)((len - IKE_HDR_LEN) >> 8);
		buf[IKE_HDR_LEN + 3] = (uint8_t)(len - IKE_HDR_LEN);
		set_len(buf, len);
		ck_assert_int_eq(decode_err(buf, len, &err),
		    len > IKE_MSG_LIMIT ? -1 : 0);
	}
	ck_assert_uint_eq(err.notify, 0);
	ck_assert_msg(strstr(err.text, "limit") != NULL, "%s", err.text);
}
END_TEST

/* A message of a header and raw payload bytes. */
static size_t
raw_msg(uint8_t *buf, uint8_t first, const char *hex)
{
	struct ike_hdr	 h;
	struct ike_enc	 e;
	long		 n;

	memset(&h, 0, sizeof(h));
	memcpy(h.spi_i, spi_i, 8);
	h.exchange = IKE_INFORMATIONAL;
	ike_enc_msg(&e, buf, 1024, &h);
	ck_assert_int_eq(ike_enc_finish(&e), IKE_HDR_LEN);
	buf[16] = first;
	n = hexd(hex, buf + IKE_HDR_LEN, 1024 - IKE_HDR_LEN);
	ck_assert_int_ge(n, 0);
	set_len(buf, IKE_HDR_LEN + (size_t)n);
	return IKE_HDR_LEN + (size_t)n;
}

static const struct {
	uint8_t		 first;
	const char	*hex;
	const char	*text;		/* in the error; NULL: it decodes */
} chain_cases[] = {
	{ IKE_PL_NONE, "", NULL },
	{ IKE_PL_NONE, "00", "1 bytes after the last payload" },
	{ IKE_PL_VENDOR, "00000004", NULL },
	{ IKE_PL_VENDOR, "000000", "3 bytes left < 4-byte header" },
	{ IKE_PL_VENDOR, "00000003", "length 3 < 4" },
	{ IKE_PL_VENDOR, "00000009aabbccdd", "length 9 > 8 bytes left" },
	{ IKE_PL_VENDOR, "2b000004", "0 bytes left < 4-byte header" },
	{ IKE_PL_VENDOR, "00000004" "00000004", "4 bytes after the last" },
	/* SK last (3.14) */
	{ IKE_PL_SK, "21000008aabbccdd", NULL },
	{ IKE_PL_SK, "21000004" "00000004", "4 bytes after the SK payload" },
	{ IKE_PL_VENDOR, "2e000004" "00000004", NULL },
	/* unknown: skipped, or refused when critical (2.5) */
	{ 77, "2b000008aabbccdd" "00000004", NULL },
	{ 77, "2b800008aabbccdd" "00000004",
	    "type 77 is unknown and critical" },
	{ IKE_PL_VENDOR, "4d000004" "00000004", NULL },
	{ IKE_PL_VENDOR, "4d000004" "00000003", "77 payload: length 3 < 4" },
};

START_TEST(test_chain)
{
	uint8_t		 buf[1024];
	struct ike_msg	 m;
	struct ike_err	 err;
	size_t		 len;
	int		 rc;

	len = raw_msg(buf, chain_cases[_i].first, chain_cases[_i].hex);
	memset(&err, 0, sizeof(err));
	rc = ike_msg_decode(buf, len, &m, &err);
	if (chain_cases[_i].text == NULL) {
		ck_assert_msg(rc == 0, "%s: %s", chain_cases[_i].hex,
		    err.text);
		return;
	}
	ck_assert_msg(rc == -1, "%s decoded", chain_cases[_i].hex);
	ck_assert_msg(strstr(err.text, chain_cases[_i].text) != NULL,
	    "%s: \"%s\", want \"%s\"", chain_cases[_i].hex, err.text,
	    chain_cases[_i].text);
	ck_assert_uint_eq(err.notify, strstr(err.text, "critical") != NULL ?
	    IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD : IKE_N_INVALID_SYNTAX);
}
END_TEST

/* k Vendor ID payloads of 4 bytes as a chain. */
static size_t
vendor_chain(uint8_t *p, size_t k)
{
	size_t	 i;

	for (i = 0; i < k; i++)
		memcpy(p + 4 * i, i + 1 < k ? "\x2b\x00\x00\x04" :
		    "\x00\x00\x00\x04", 4);
	return 4 * k;
}

START_TEST(test_chain_limits)
{
	uint8_t		 buf[1024], plain[256];
	char		 hex[2 * 4 * 40 + 1];
	struct ike_msg	 m;
	struct ike_err	 err;
	size_t		 len, i;

	/* IKE_MAX_PAYLOADS, then one more */
	for (i = 0; i < IKE_MAX_PAYLOADS; i++)
		memcpy(hex + 8 * i, i + 1 < IKE_MAX_PAYLOADS ? "2b000004" :
		    "00000004", 9);
	len = raw_msg(buf, IKE_PL_VENDOR, hex);
	ck_assert_int_eq(ike_msg_decode(buf, len, &m, &err), 0);
	ck_assert_uint_eq(m.npl, IKE_MAX_PAYLOADS);
	memcpy(hex + 8 * (IKE_MAX_PAYLOADS - 1), "2b000004" "00000004", 17);
	len = raw_msg(buf, IKE_PL_VENDOR, hex);
	ck_assert_int_eq(ike_msg_decode(buf, len, &m, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "more than 32 payloads"));
	/* outer and inner count together: V, SK and 30 inside */
	len = raw_msg(buf, IKE_PL_VENDOR, "2e000004" "00000004");
	ck_assert_int_eq(ike_msg_decode(buf, len, &m, &err), 0);
	m.sk_next = IKE_PL_VENDOR;
	ck_assert_int_eq(ike_msg_decode_inner(&m, plain,
	    vendor_chain(plain, IKE_MAX_PAYLOADS - 2), &err), 0);
	ck_assert_uint_eq(m.npl, IKE_MAX_PAYLOADS);
	ck_assert_uint_eq(m.ninner, IKE_MAX_PAYLOADS - 2);
	ck_assert_int_eq(ike_msg_decode_inner(&m, plain, 4, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "already decoded"));
	m.npl = 2;
	m.ninner = 0;
	ck_assert_int_eq(ike_msg_decode_inner(&m, plain,
	    vendor_chain(plain, IKE_MAX_PAYLOADS - 1), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "more than 32 payloads"));
	/* no SK: no inner chain */
	len = raw_msg(buf, IKE_PL_NONE, "");
	ck_assert_int_eq(ike_msg_decode(buf, len, &m, &err), 0);
	ck_assert_int_eq(ike_msg_decode_inner(&m, plain, 0, &err), -1);
	/* an empty SK plaintext; trailing bytes after it are not */
	len = raw_msg(buf, IKE_PL_SK, "00000004");
	ck_assert_int_eq(ike_msg_decode(buf, len, &m, &err), 0);
	ck_assert_int_eq(ike_msg_decode_inner(&m, plain, 1, &err), -1);
	ck_assert_int_eq(ike_msg_decode_inner(&m, plain, 0, &err), 0);
	ck_assert_uint_eq(m.ninner, 0);
}
END_TEST

/* ---- bodies, one malformation at a time ---- */

static const struct {
	uint8_t		 type;
	const char	*hex;
	const char	*text;		/* in the error; NULL: it decodes */
} body_cases[] = {
	/* SA (3.3): proposal 00 00 len num proto spisize nxf, transform
	 * 00|03 00 len type 00 id [attributes] */
	{ IKE_PL_SA, "0000001001010001" "000000080100000c", NULL },
	{ IKE_PL_SA, "", "no proposals" },
	{ IKE_PL_SA, "000000", "3 bytes < 8-byte proposal header" },
	{ IKE_PL_SA, "0000000601010001", "proposal length 6 < 8" },
	{ IKE_PL_SA, "0000003401010001" "000000080100000c",
	    "proposal length 52 > 16 bytes left" },
	{ IKE_PL_SA, "0200001001010001" "000000080100000c",
	    "marked not last but 0 bytes follow" },
	{ IKE_PL_SA, "0000001001010001" "000000080100000c" "00",
	    "marked last but 1 bytes follow" },
	{ IKE_PL_SA, "0100001001010001" "000000080100000c",
	    "last-substructure 1, not 0 or 2" },
	{ IKE_PL_SA, "0000001000010001" "000000080100000c",
	    "proposal number 0" },
	{ IKE_PL_SA, "0200001001010001" "000000080100000c"
	    "0000001003010001" "000000080100000c",
	    "proposal number 3 after 1" },
	{ IKE_PL_SA, "0200001001010001" "000000080100000c"
	    "0000001002010001" "000000080100000c", NULL },
	{ IKE_PL_SA, "0000001001040001" "000000080100000c",
	    "protocol 4 unknown" },
	{ IKE_PL_SA, "0000001401010401" "aabbccdd" "000000080100000c",
	    "SPI size 4 wrong for protocol 1" },
	{ IKE_PL_SA, "0000001001030001" "000000080100000c",
	    "SPI size 0 wrong for protocol 3" },
	{ IKE_PL_SA, "0000001401030401" "aabbccdd" "000000080100000c", NULL },
	{ IKE_PL_SA, "0000001801010801" "0102030405060708" "000000080100000c",
	    NULL },
	{ IKE_PL_SA, "0000000a01030401" "aabb", "SPI size 4 > 2 bytes left" },
	{ IKE_PL_SA, "0000000801010000", "0 transforms, 1 to 32" },
	{ IKE_PL_SA, "0000001001010002" "030000080100000c",
	    "2 transforms declared, 1 present" },
	{ IKE_PL_SA, "0000001801010001" "000000080100000c" "000000080300000c",
	    "8 bytes after its 1 transforms" },
	{ IKE_PL_SA, "0000000b01010001" "000000", "transform 1: 3 bytes < 8" },
	{ IKE_PL_SA, "0000001001010001" "000000060100000c",
	    "transform 1: length 6 < 8" },
	{ IKE_PL_SA, "0000001001010001" "0000000c0100000c",
	    "transform 1: length 12 > 8 bytes left" },
	{ IKE_PL_SA, "0000001001010001" "030000080100000c",
	    "last-substructure 3, not 0" },
	{ IKE_PL_SA, "0000001801010002" "000000080100000c" "000000080200000c",
	    "transform 1: last-substructure 0, not 3" },
	/* attributes (3.3.5) */
	{ IKE_PL_SA, "0000001301010001" "0000000b0100000c" "800e00",
	    "attribute: 3 bytes < 4" },
	{ IKE_PL_SA, "0000001301010001" "0000000b0100000c" "000100",
	    "attribute: 3 bytes < 4" },
	{ IKE_PL_SA, "0000001401010001" "0000000c0100000c" "00010004",
	    "attribute length 4 > 0 bytes left" },
	/* ---- KE (3.4) ---- */
	{ IKE_PL_KE, "0013000001", NULL },
	{ IKE_PL_KE, "00130000", "KE payload: 4 bytes < 5" },
	{ IKE_PL_KE, "00", "KE payload: 1 bytes < 5" },
	/* ---- ID (3.5) ---- */
	{ IKE_PL_IDI, "01000000c0000201", NULL },
	{ IKE_PL_IDI, "01000000c000020101", "ID_IPV4_ADDR of 5 bytes, not 4" },
	{ IKE_PL_IDR, "0500000020010db8000000000000000000000001", NULL },
	{ IKE_PL_IDR, "0500000020010db8", "ID_IPV6_ADDR of 4 bytes, not 16" },
	{ IKE_PL_IDI, "0200000061", NULL },
	{ IKE_PL_IDI, "02000000", "ID payload: 4 bytes < 5" },
	/* ---- AUTH (3.8) ---- */
	{ IKE_PL_AUTH, "0200000001", NULL },
	{ IKE_PL_AUTH, "020000", "AUTH payload: 3 bytes < 5" },
	/* ---- Nonce (2.10) ---- */
	{ IKE_PL_NONCE, "000102030405060708090a0b0c0d0e",
	    "15 bytes, 16 to 256" },
	{ IKE_PL_NONCE, "000102030405060708090a0b0c0d0e0f", NULL },
	/* ---- Notify (3.10) ---- */
	{ IKE_PL_NOTIFY, "00004000", NULL },
	{ IKE_PL_NOTIFY, "000040", "Notify payload: 3 bytes < 4" },
	{ IKE_PL_NOTIFY, "0304400900112233", NULL },
	{ IKE_PL_NOTIFY, "0204400900112233", NULL },
	{ IKE_PL_NOTIFY, "0303400900112233",
	    "SPI size 3 wrong for protocol 3" },
	{ IKE_PL_NOTIFY, "0004400900112233",
	    "SPI size 4 wrong for protocol 0" },
	{ IKE_PL_NOTIFY, "0104400900112233",
	    "REKEY_SA: SPI size 4 wrong for protocol 1" },
	{ IKE_PL_NOTIFY, "0108000e0011223344556677", NULL },
	{ IKE_PL_NOTIFY, "0308000e0011223344556677",
	    "SPI size 8 wrong for protocol 3" },
	{ IKE_PL_NOTIFY, "03044009001122", "SPI size 4 > 3 bytes left" },
	{ IKE_PL_NOTIFY, "00004006", "COOKIE: 0 bytes of data, 1 to 64" },
	{ IKE_PL_NOTIFY, "0000001100", "INVALID_KE_PAYLOAD: 1 bytes of data" },
	{ IKE_PL_NOTIFY, "000000110013", NULL },
	{ IKE_PL_NOTIFY, "00004004" "00112233445566778899001122334455667788",
	    "NAT_DETECTION_SOURCE_IP: 19 bytes of data, 20 to 20" },
	/* ---- Delete (3.11) ---- */
	{ IKE_PL_DELETE, "01000000", NULL },
	{ IKE_PL_DELETE, "010000", "Delete payload: 3 bytes < 4" },
	{ IKE_PL_DELETE, "01040001aabbccdd", "IKE with SPI size 4 and 1 SPIs" },
	{ IKE_PL_DELETE, "01000001", "IKE with SPI size 0 and 1 SPIs" },
	{ IKE_PL_DELETE, "01000000aa", "length 5, 0 SPIs of 0 need 4" },
	{ IKE_PL_DELETE, "03040002aabbccdd11223344", NULL },
	{ IKE_PL_DELETE, "02040001aabbccdd", NULL },
	{ IKE_PL_DELETE, "03040002aabbccdd", "length 8, 2 SPIs of 4 need 12" },
	{ IKE_PL_DELETE, "03040001aabbccdd11",
	    "length 9, 1 SPIs of 4 need 8" },
	{ IKE_PL_DELETE, "03080001aabbccdd11223344", "SPI size 8, not 4" },
	{ IKE_PL_DELETE, "09040001aabbccdd", "protocol 9 unknown" },
	{ IKE_PL_DELETE, "03040041", "65 SPIs > 64" },
	/* ---- TS (3.13) ---- */
	{ IKE_PL_TSI, "01000000" "070000100000ffff0a0000000a0000ff", NULL },
	{ IKE_PL_TSI, "010000", "TS payload: 3 bytes < 4" },
	{ IKE_PL_TSI, "00000000", "0 selectors, 1 to 16" },
	{ IKE_PL_TSI, "11000000", "17 selectors, 1 to 16" },
	{ IKE_PL_TSI, "02000000" "070000100000ffff0a0000000a0000ff",
	    "selector 2: 0 bytes < 4-byte header" },
	{ IKE_PL_TSI, "01000000" "070000100000ffff0a0000000a0000ff" "00",
	    "1 bytes after 1 selectors" },
	{ IKE_PL_TSI, "01000000" "070000280000ffff0a0000000a0000ff",
	    "selector 1: length 40, not 16" },
	{ IKE_PL_TSI, "01000000" "080000100000ffff0a0000000a0000ff",
	    "selector 1: length 16, not 40" },
	{ IKE_PL_TSI, "01000000" "090000100000ffff0a0000000a0000ff",
	    "selector 1: type 9 unknown" },
	{ IKE_PL_TSI, "01000000" "070000100000ffff0a0000000a00",
	    "selector 1: length 16 > 14 bytes left" },
	{ IKE_PL_TSI, "01000000" "070000100000ffff0a0000010a000000",
	    "start address > end address" },
	{ IKE_PL_TSI, "01000000" "07060010004000500a0000000a0000ff",
	    NULL },
	{ IKE_PL_TSI, "01000000" "07060010005000400a0000000a0000ff",
	    "ports 80 > 64" },
	{ IKE_PL_TSR, "01000000" "07110010ffff00000a0000000a0000ff", NULL },
	{ IKE_PL_TSR, "01000000" "08000028" "0000ffff"
	    "20010db8000000000000000000000000"
	    "20010db8ffffffffffffffffffffffff", NULL },
};

START_TEST(test_bodies)
{
	uint8_t			 bytes[512], *exact;
	struct ike_pl		 p;
	struct ike_err		 err;
	struct ike_prop		 props[2];
	struct ike_ts		 ts[IKE_MAX_TS];
	struct ike_ke		 ke;
	struct ike_id		 id;
	struct ike_auth		 auth;
	struct ike_notify	 n;
	struct ike_delete	 d;
	const uint8_t		*data;
	size_t			 cnt;
	long			 len;
	int			 rc = -1;

	len = hexd(body_cases[_i].hex, bytes, sizeof(bytes));
	ck_assert_msg(len >= 0, "bad hex %s", body_cases[_i].hex);
	exact = exact_copy(bytes, (size_t)len);
	p.type = body_cases[_i].type;
	p.critical = 0;
	p.body = exact;
	p.len = (size_t)len;
	memset(&err, 0, sizeof(err));
	switch (p.type) {
	case IKE_PL_SA:
		rc = ike_sa_decode(&p, props, 2, &cnt, &err);
		break;
	case IKE_PL_KE:
		rc = ike_ke_decode(&p, &ke, &err);
		break;
	case IKE_PL_IDI:
	case IKE_PL_IDR:
		rc = ike_id_decode(&p, &id, &err);
		break;
	case IKE_PL_AUTH:
		rc = ike_auth_decode(&p, &auth, &err);
		break;
	case IKE_PL_NONCE:
		rc = ike_nonce_decode(&p, &data, &cnt, &err);
		break;
	case IKE_PL_NOTIFY:
		rc = ike_notify_decode(&p, &n, &err);
		break;
	case IKE_PL_DELETE:
		rc = ike_delete_decode(&p, &d, &err);
		break;
	case IKE_PL_TSI:
	case IKE_PL_TSR:
		rc = ike_ts_decode(&p, ts, IKE_MAX_TS, &cnt, &err);
		break;
	}
	if (body_cases[_i].text == NULL)
		ck_assert_msg(rc == 0, "%s: %s", body_cases[_i].hex, err.text);
	else {
		ck_assert_msg(rc == -1, "%s decoded", body_cases[_i].hex);
		ck_assert_msg(strstr(err.text, body_cases[_i].text) != NULL,
		    "%s: \"%s\", want \"%s\"", body_cases[_i].hex, err.text,
		    body_cases[_i].text);
		ck_assert_uint_eq(err.notify, IKE_N_INVALID_SYNTAX);
	}
	fuzz_body(&p);
	free(exact);
}
END_TEST

/* 3.3.5, 3.3.6: unknown attributes make a transform unusable. */
START_TEST(test_sa_attributes)
{
	static const struct {
		const char	*hex;	/* attributes of an ENCR AES_CBC */
		uint16_t	 id, keylen;
	} cases[] = {
		{ "", IKE_ENCR_AES_CBC, 0 },
		{ "800e0080", IKE_ENCR_AES_CBC, 128 },
		{ "800e0100", IKE_ENCR_AES_CBC, 256 },
		{ "800e0000", 0xffff, 0 },		/* key length 0 */
		{ "800e0080800e0100", 0xffff, 128 },	/* twice */
		{ "800f0080", 0xffff, 0 },		/* unknown TV */
		{ "000e00020100", 0xffff, 0 },		/* Key Length as TLV */
		{ "00050003aabbcc800e0080", 0xffff, 128 }, /* unknown TLV */
		{ "00050000", 0xffff, 0 },		/* empty TLV */
	};
	uint8_t		 body[64];
	char		 hex[128];
	struct ike_pl	 p;
	struct ike_prop	 prop;
	struct ike_err	 err;
	size_t		 i, n, alen;
	long		 len;

	for (i = 0; i < nitems(cases); i++) {
		alen = strlen(cases[i].hex) / 2;
		snprintf(hex, sizeof(hex), "%08zx01010001%08zx0100000c%s",
		    (size_t)(16 + alen), (size_t)(8 + alen), cases[i].hex);
		len = hexd(hex, body, sizeof(body));
		ck_assert_int_gt(len, 0);
		p.type = IKE_PL_SA;
		p.body = body;
		p.len = (size_t)len;
		ck_assert_msg(ike_sa_decode(&p, &prop, 1, &n, &err) == 0,
		    "%s: %s", cases[i].hex, err.text);
		ck_assert_uint_eq(prop.nxf, 1);
		ck_assert_msg(prop.xf[0].id == cases[i].id, "%s: id %u",
		    cases[i].hex, prop.xf[0].id);
		ck_assert_uint_eq(prop.xf[0].keylen, cases[i].keylen);
	}
	/* transform types we do not know are kept, for the matcher */
	len = hexd("0000001001010001" "0000000807000001", body,
	    sizeof(body));
	p.len = (size_t)len;
	ck_assert_int_eq(ike_sa_decode(&p, &prop, 1, &n, &err), 0);
	ck_assert_uint_eq(prop.xf[0].type, 7);
	/* more proposals than room */
	len = hexd("0200001001010001" "000000080100000c"
	    "0000001002010001" "000000080100000c", body, sizeof(body));
	p.len = (size_t)len;
	ck_assert_int_eq(ike_sa_decode(&p, &prop, 1, &n, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "more than 1 proposals"));
}
END_TEST

/* ---- the encoder ---- */

/* Every sample into every smaller buffer (of exactly that size): refused,
 * nothing written outside. */
START_TEST(test_encode_overflow)
{
	uint8_t		 buf[4096], *small;
	size_t		 len, cap;

	len = sample_build((size_t)_i, buf, sizeof(buf));
	if ((size_t)_i == nitems(samples))
		return;		/* not from the encoder */
	for (cap = 0; cap < len; cap++) {
		small = malloc(cap > 0 ? cap : 1);
		ck_assert_ptr_nonnull(small);
		ck_assert_int_eq(spec_build(&samples[_i], small, cap), -1);
		free(small);
	}
	small = exact_copy(buf, len);
	ck_assert_int_eq(spec_build(&samples[_i], small, len), (long)len);
	ck_assert_mem_eq(small, buf, len);
	free(small);
}
END_TEST

/* Bad arguments are errors, and errors are sticky. */
START_TEST(test_encode_errors)
{
	static const struct ike_ts bad_ts = { 9, 0, 0, 0, { 0 }, { 0 } };
	struct ike_prop	 prop;
	uint8_t		 buf[256];
	struct ike_enc	 e;
	struct ike_hdr	 h;

	memset(&h, 0, sizeof(h));
	h.exchange = IKE_INFORMATIONAL;
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ck_assert_int_eq(ike_enc_finish(&e), IKE_HDR_LEN);
	ck_assert_uint_eq(buf[16], IKE_PL_NONE);
	ck_assert_uint_eq(buf[17], IKE_VERSION);
	/* errors are sticky */
	ike_enc_id(&e, IKE_PL_SA, IKE_ID_FQDN, (const uint8_t *)"a", 1);
	ike_enc_vendor(&e, (const uint8_t *)"a", 1);
	ck_assert_int_eq(ike_enc_finish(&e), -1);
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_ts(&e, IKE_PL_TSI, &bad_ts, 1);
	ck_assert_int_eq(ike_enc_finish(&e), -1);
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_ts(&e, IKE_PL_AUTH, ts_i, 1);
	ck_assert_int_eq(ike_enc_finish(&e), -1);
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_ts(&e, IKE_PL_TSR, ts_i, 0);
	ck_assert_int_eq(ike_enc_finish(&e), -1);
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_sa(&e, sa_ike, 0);
	ck_assert_int_eq(ike_enc_finish(&e), -1);
	prop = sa_esp[0];
	prop.nxf = 0;
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_sa(&e, &prop, 1);
	ck_assert_int_eq(ike_enc_finish(&e), -1);
	prop.nxf = 1;
	prop.spi_len = 9;
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_sa(&e, &prop, 1);
	ck_assert_int_eq(ike_enc_finish(&e), -1);
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_notify(&e, 0, NULL, 0, IKE_N_COOKIE, NULL, 4);
	ck_assert_int_eq(ike_enc_finish(&e), -1);
}
END_TEST

/* SK ends the message, its body is reserved exactly, and the whole fits
 * IKE_MSG_LIMIT. */
START_TEST(test_encode_sk_limit)
{
	uint8_t		 buf[IKE_MSG_LIMIT + 64], big[IKE_MSG_LIMIT];
	struct ike_enc	 e;
	struct ike_hdr	 h;
	uint8_t		*body;

	memset(&h, 0, sizeof(h));
	h.exchange = IKE_INFORMATIONAL;
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_sk_header(&e, IKE_PL_NONE, 16);
	ck_assert_ptr_nonnull(ike_enc_reserve(&e, 16));
	ike_enc_vendor(&e, (const uint8_t *)"a", 1);
	ck_assert_int_eq(ike_enc_finish(&e), -1);
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_sk_header(&e, IKE_PL_NONE, 16);
	ck_assert_ptr_nonnull(ike_enc_reserve(&e, 15));
	ck_assert_int_eq(ike_enc_finish(&e), -1);
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_sk_header(&e, IKE_PL_NOTIFY, 16);
	ck_assert_ptr_nonnull(body = ike_enc_reserve(&e, 16));
	ck_assert_ptr_eq(body, buf + IKE_HDR_LEN + 4);
	ck_assert_int_eq(ike_enc_finish(&e), IKE_HDR_LEN + 4 + 16);
	ck_assert_uint_eq(buf[16], IKE_PL_SK);
	ck_assert_uint_eq(buf[IKE_HDR_LEN], IKE_PL_NOTIFY);
	ck_assert_uint_eq(buf[IKE_HDR_LEN + 3], 20);
	/* no more than IKE_MSG_LIMIT */
	memset(big, 0, sizeof(big));
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_vendor(&e, big, IKE_MSG_LIMIT - IKE_HDR_LEN - 4);
	ck_assert_int_eq(ike_enc_finish(&e), IKE_MSG_LIMIT);
	ike_enc_msg(&e, buf, sizeof(buf), &h);
	ike_enc_vendor(&e, big, IKE_MSG_LIMIT - IKE_HDR_LEN - 3);
	ck_assert_int_eq(ike_enc_finish(&e), -1);
	/* no buffer */
	ike_enc_msg(&e, NULL, 100, &h);
	ck_assert_int_eq(ike_enc_finish(&e), -1);
	ck_assert_ptr_null(ike_enc_reserve(&e, 1));
}
END_TEST

/* A chain has no header: its first type is recorded, and each payload's
 * next-payload field names the one after it. */
START_TEST(test_encode_chain)
{
	uint8_t		 buf[256];
	struct ike_enc	 e;

	ike_enc_chain(&e, buf, sizeof(buf));
	ck_assert_int_eq(ike_enc_finish(&e), 0);
	ck_assert_uint_eq(e.first, IKE_PL_NONE);
	ike_enc_nonce(&e, nonce, 16);
	ike_enc_notify(&e, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_enc_vendor(&e, (const uint8_t *)"x", 1);
	ck_assert_int_eq(ike_enc_finish(&e), 20 + 8 + 5);
	ck_assert_uint_eq(e.first, IKE_PL_NONCE);
	ck_assert_uint_eq(buf[0], IKE_PL_NOTIFY);
	ck_assert_uint_eq(buf[3], 20);
	ck_assert_uint_eq(buf[20], IKE_PL_VENDOR);
	ck_assert_uint_eq(buf[28], IKE_PL_NONE);
	ck_assert_uint_eq(buf[31], 5);
}
END_TEST

/* ---- SK with ike_crypto: sealed, opened, decoded ---- */

/* Sample i's inner chain sealed with suite which into buf: a message
 * whose SK payload ike_sk_open accepts with the same keys. */
static long
sk_build(size_t i, unsigned which, uint8_t *buf, size_t cap)
{
	const struct spec	*s = &samples[i];
	struct ike_suite	 suite;
	struct ike_sk_key	 k;
	struct ike_enc		 e, in;
	struct ike_hdr		 h;
	uint8_t			 plain[4096], iv[IKE_IV_MAX], *body;
	size_t			 j, blen;
	long			 plen, len;

	fuzz_sk_suite(which, &suite, &k);
	ike_enc_chain(&in, plain, sizeof(plain));
	for (j = 0; j < nitems(s->inner) && s->inner[j] != 0; j++)
		put_token(&in, s->exchange, s->inner[j]);
	ck_assert_int_ge(plen = ike_enc_finish(&in), 0);
	memset(&h, 0, sizeof(h));
	memcpy(h.spi_i, spi_i, 8);
	memcpy(h.spi_r, spi_r, 8);
	h.exchange = s->exchange;
	h.flags = s->flags;
	h.msgid = (uint32_t)i;
	blen = ike_sk_len(&suite, (size_t)plen);
	ck_assert_uint_gt(blen, (size_t)plen);
	ike_enc_msg(&e, buf, cap, &h);
	ike_enc_sk_header(&e, in.first, blen);
	ck_assert_ptr_nonnull(body = ike_enc_reserve(&e, blen));
	ck_assert_int_gt(len = ike_enc_finish(&e), 0);
	memset(iv, (int)(0x60 + i), sizeof(iv));
	ck_assert_int_eq(ike_sk_seal(&suite, &k, buf, (size_t)(body - buf),
	    plain, (size_t)plen, iv, body, blen), 0);
	return len;
}

START_TEST(test_sk_crypto)
{
	uint8_t		 buf[4096], *copy;
	size_t		 i;
	unsigned	 which;
	long		 len;

	for (i = 0; i < nitems(samples); i++) {
		if (!samples[i].sk)
			continue;
		for (which = 0; which < 2; which++) {
			len = sk_build(i, which, buf, sizeof(buf));
			copy = exact_copy(buf, (size_t)len);
			ck_assert_msg(fuzz_sk_message(which, copy,
			    (size_t)len) == 0, "%s suite %u", samples[i].name,
			    which);
			/* the other suite's keys, a flipped bit: refused */
			ck_assert_int_eq(fuzz_sk_message(which ^ 1, copy,
			    (size_t)len), -1);
			copy[len - 1] ^= 1;
			ck_assert_int_eq(fuzz_sk_message(which, copy,
			    (size_t)len), -1);
			copy[len - 1] ^= 1;
			copy[20] ^= 0x80;	/* the message ID: in the AAD */
			ck_assert_int_eq(fuzz_sk_message(which, copy,
			    (size_t)len), -1);
			free(copy);
		}
	}
}
END_TEST

/* ---- fuzzing seeds ---- */

static void
seed_write(const char *dir, const char *sub, const char *name,
    const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	char	 path[1024];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	ck_assert(mkdir(path, 0755) == 0 || errno == EEXIST);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(a, 1, alen, f), alen);
	if (blen > 0)
		ck_assert_uint_eq(fwrite(b, 1, blen, f), blen);
	ck_assert_int_eq(fclose(f), 0);
}

static void
seeds_write(const char *dir)
{
	uint8_t		 buf[4096], sel;
	char		 name[64];
	size_t		 i, len;
	long		 n;

	for (i = 0; i < NSAMPLES; i++) {
		len = sample_build(i, buf, sizeof(buf));
		seed_write(dir, "msg", sample_name(i), buf, len, NULL, 0);
	}
	for (i = 0; i < nitems(samples); i++) {
		if (!samples[i].sk)
			continue;
		for (sel = 0; sel < 2; sel++) {
			n = sk_build(i, sel, buf, sizeof(buf));
			snprintf(name, sizeof(name), "%s_%s", samples[i].name,
			    sel ? "cbc" : "gcm");
			seed_write(dir, "sk", name, &sel, 1, buf, (size_t)n);
		}
		/* fuzz_ike_sk's mode 1: plaintext to seal */
		sel = (uint8_t)(2 | (i & 1));
		len = sample_build(i, buf, sizeof(buf));
		snprintf(name, sizeof(name), "%s_seal", samples[i].name);
		seed_write(dir, "sk", name, &sel, 1, buf, len);
	}
}

/* The committed seeds still decode (msg) and open (sk). */
static size_t
seeds_check(const char *dir, int sk)
{
	uint8_t		 buf[IKE_MSG_LIMIT + 2], *copy;
	char		 path[1024];
	struct dirent	*de;
	DIR		*d;
	FILE		*f;
	size_t		 len, n = 0;

	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		ck_assert_ptr_nonnull(f = fopen(path, "rb"));
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		copy = exact_copy(buf, len);
		if (sk && len > 1 && (copy[0] & 2))
			ck_assert_msg(fuzz_message(copy + 1, len - 1) == 0,
			    "%s", path);
		else if (sk)
			ck_assert_msg(len > 1 && fuzz_sk_message(copy[0],
			    copy + 1, len - 1) == 0, "%s", path);
		else
			ck_assert_msg(fuzz_message(copy, len) == 0, "%s", path);
		free(copy);
		n++;
	}
	closedir(d);
	return n;
}

START_TEST(test_seeds)
{
	const char	*out = getenv("SECTUN_WRITE_CORPUS");
	const char	*top = getenv("top_srcdir");
	char		 dir[1024];

	if (out != NULL && *out != '\0')
		seeds_write(out);
	if (top == NULL)
		return;		/* run outside make check */
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/msg", top);
	ck_assert_uint_ge(seeds_check(dir, 0), NSAMPLES);
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/sk", top);
	ck_assert_uint_ge(seeds_check(dir, 1), 2);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("ike_codec");
	TCase	*tc = tcase_create("codec"), *slow = tcase_create("mutation");
	SRunner	*sr;
	int	 failed;

	samples_init();
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_roundtrip_sa);
	tcase_add_test(tc, test_roundtrip_simple);
	tcase_add_test(tc, test_roundtrip_notify_delete);
	tcase_add_test(tc, test_roundtrip_ts);
	tcase_add_loop_test(tc, test_roundtrip_samples, 0,
	    (int)nitems(samples));
	tcase_add_test(tc, test_strongswan_init);
	tcase_add_loop_test(tc, test_truncated, 0, (int)NSAMPLES);
	tcase_add_loop_test(tc, test_table, 0, (int)nitems(table_cases));
	tcase_add_test(tc, test_header);
	tcase_add_loop_test(tc, test_chain, 0, (int)nitems(chain_cases));
	tcase_add_test(tc, test_chain_limits);
	tcase_add_loop_test(tc, test_bodies, 0, (int)nitems(body_cases));
	tcase_add_test(tc, test_sa_attributes);
	tcase_add_loop_test(tc, test_encode_overflow, 0, (int)NSAMPLES);
	tcase_add_test(tc, test_encode_errors);
	tcase_add_test(tc, test_encode_sk_limit);
	tcase_add_test(tc, test_encode_chain);
	tcase_add_test(tc, test_sk_crypto);
	tcase_add_test(tc, test_seeds);
	suite_add_tcase(s, tc);
	/* some 80,000 messages each: room for sanitizers on a busy host */
	tcase_set_timeout(slow, 120);
	tcase_add_loop_test(slow, test_mutated, 0, (int)NSAMPLES);
	suite_add_tcase(s, slow);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
