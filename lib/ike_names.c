/* ike_names: names of IKEv2 protocol numbers for logs, as the IANA
 * "IKEv2 Parameters" registry spells them. An unknown value prints as its
 * number into a buffer per table and per thread (CLI sessions run on
 * threads), valid until the next call for that table on that thread. */
#include <stdio.h>

#include "ike_const.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

struct ike_name {
	unsigned	 v;
	const char	*name;
};

static const struct ike_name exchange_names[] = {
	{ IKE_SA_INIT,		"IKE_SA_INIT" },
	{ IKE_AUTH,		"IKE_AUTH" },
	{ IKE_CREATE_CHILD_SA,	"CREATE_CHILD_SA" },
	{ IKE_INFORMATIONAL,	"INFORMATIONAL" },
};

/* RFC 7296 3.2, with the notation of its exchanges (1.2-1.5) */
static const struct ike_name payload_names[] = {
	{ IKE_PL_NONE,		"NONE" },
	{ IKE_PL_SA,		"SA" },
	{ IKE_PL_KE,		"KE" },
	{ IKE_PL_IDI,		"IDi" },
	{ IKE_PL_IDR,		"IDr" },
	{ IKE_PL_CERT,		"CERT" },
	{ IKE_PL_CERTREQ,	"CERTREQ" },
	{ IKE_PL_AUTH,		"AUTH" },
	{ IKE_PL_NONCE,		"Nonce" },
	{ IKE_PL_NOTIFY,	"Notify" },
	{ IKE_PL_DELETE,	"Delete" },
	{ IKE_PL_VENDOR,	"Vendor ID" },
	{ IKE_PL_TSI,		"TSi" },
	{ IKE_PL_TSR,		"TSr" },
	{ IKE_PL_SK,		"SK" },
	{ IKE_PL_CP,		"CP" },
	{ IKE_PL_EAP,		"EAP" },
	{ IKE_PL_SKF,		"SKF" },
};

/* RFC 7296 3.10.1 and later RFCs */
static const struct ike_name notify_names[] = {
	{ IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, "UNSUPPORTED_CRITICAL_PAYLOAD" },
	{ IKE_N_INVALID_IKE_SPI,	"INVALID_IKE_SPI" },
	{ IKE_N_INVALID_MAJOR_VERSION,	"INVALID_MAJOR_VERSION" },
	{ IKE_N_INVALID_SYNTAX,		"INVALID_SYNTAX" },
	{ IKE_N_INVALID_MESSAGE_ID,	"INVALID_MESSAGE_ID" },
	{ IKE_N_INVALID_SPI,		"INVALID_SPI" },
	{ IKE_N_NO_PROPOSAL_CHOSEN,	"NO_PROPOSAL_CHOSEN" },
	{ IKE_N_INVALID_KE_PAYLOAD,	"INVALID_KE_PAYLOAD" },
	{ IKE_N_AUTHENTICATION_FAILED,	"AUTHENTICATION_FAILED" },
	{ IKE_N_SINGLE_PAIR_REQUIRED,	"SINGLE_PAIR_REQUIRED" },
	{ IKE_N_NO_ADDITIONAL_SAS,	"NO_ADDITIONAL_SAS" },
	{ IKE_N_INTERNAL_ADDRESS_FAILURE, "INTERNAL_ADDRESS_FAILURE" },
	{ IKE_N_FAILED_CP_REQUIRED,	"FAILED_CP_REQUIRED" },
	{ IKE_N_TS_UNACCEPTABLE,	"TS_UNACCEPTABLE" },
	{ IKE_N_INVALID_SELECTORS,	"INVALID_SELECTORS" },
	{ IKE_N_TEMPORARY_FAILURE,	"TEMPORARY_FAILURE" },
	{ IKE_N_CHILD_SA_NOT_FOUND,	"CHILD_SA_NOT_FOUND" },
	{ IKE_N_INITIAL_CONTACT,	"INITIAL_CONTACT" },
	{ IKE_N_SET_WINDOW_SIZE,	"SET_WINDOW_SIZE" },
	{ IKE_N_ADDITIONAL_TS_POSSIBLE,	"ADDITIONAL_TS_POSSIBLE" },
	{ IKE_N_IPCOMP_SUPPORTED,	"IPCOMP_SUPPORTED" },
	{ IKE_N_NAT_DETECTION_SOURCE_IP, "NAT_DETECTION_SOURCE_IP" },
	{ IKE_N_NAT_DETECTION_DESTINATION_IP, "NAT_DETECTION_DESTINATION_IP" },
	{ IKE_N_COOKIE,			"COOKIE" },
	{ IKE_N_USE_TRANSPORT_MODE,	"USE_TRANSPORT_MODE" },
	{ IKE_N_HTTP_CERT_LOOKUP_SUPPORTED, "HTTP_CERT_LOOKUP_SUPPORTED" },
	{ IKE_N_REKEY_SA,		"REKEY_SA" },
	{ IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED,
	    "ESP_TFC_PADDING_NOT_SUPPORTED" },
	{ IKE_N_NON_FIRST_FRAGMENTS_ALSO, "NON_FIRST_FRAGMENTS_ALSO" },
	{ IKE_N_MOBIKE_SUPPORTED,	"MOBIKE_SUPPORTED" },
	{ 16404,			"MULTIPLE_AUTH_SUPPORTED" }, /* 4739 */
	{ 16406,			"REDIRECT_SUPPORTED" }, /* 5685 */
	{ 16418,		"CHILDLESS_IKEV2_SUPPORTED" },	/* 6023 */
	{ IKE_N_EAP_ONLY_AUTHENTICATION, "EAP_ONLY_AUTHENTICATION" },
	{ IKE_N_IKEV2_MESSAGE_ID_SYNC_SUPPORTED,
	    "IKEV2_MESSAGE_ID_SYNC_SUPPORTED" },
	{ IKE_N_FRAGMENTATION_SUPPORTED, "IKEV2_FRAGMENTATION_SUPPORTED" },
	{ IKE_N_SIGNATURE_HASH_ALGORITHMS, "SIGNATURE_HASH_ALGORITHMS" },
};

/* Transform IDs per type (IANA "Transform Type N - ... IDs") */
static const struct ike_name encr_names[] = {
	{ IKE_ENCR_3DES,		"3DES" },
	{ IKE_ENCR_NULL,		"NULL" },
	{ IKE_ENCR_AES_CBC,		"AES_CBC" },
	{ 13,				"AES_CTR" },
	{ 14,				"AES_CCM_8" },
	{ 15,				"AES_CCM_12" },
	{ 16,				"AES_CCM_16" },
	{ 18,				"AES_GCM_8" },
	{ 19,				"AES_GCM_12" },
	{ IKE_ENCR_AES_GCM_16,		"AES_GCM_16" },
	{ IKE_ENCR_CHACHA20_POLY1305,	"CHACHA20_POLY1305" },
};
static const struct ike_name prf_names[] = {
	{ IKE_PRF_HMAC_MD5,		"PRF_HMAC_MD5" },
	{ IKE_PRF_HMAC_SHA1,		"PRF_HMAC_SHA1" },
	{ 4,				"PRF_AES128_XCBC" },
	{ IKE_PRF_HMAC_SHA2_256,	"PRF_HMAC_SHA2_256" },
	{ IKE_PRF_HMAC_SHA2_384,	"PRF_HMAC_SHA2_384" },
	{ IKE_PRF_HMAC_SHA2_512,	"PRF_HMAC_SHA2_512" },
	{ 8,				"PRF_AES128_CMAC" },
};
static const struct ike_name integ_names[] = {
	{ IKE_INTEG_NONE,		"NONE" },
	{ IKE_INTEG_HMAC_MD5_96,	"HMAC_MD5_96" },
	{ IKE_INTEG_HMAC_SHA1_96,	"HMAC_SHA1_96" },
	{ 5,				"AES_XCBC_96" },
	{ 8,				"AES_CMAC_96" },
	{ IKE_INTEG_HMAC_SHA2_256_128,	"HMAC_SHA2_256_128" },
	{ IKE_INTEG_HMAC_SHA2_384_192,	"HMAC_SHA2_384_192" },
	{ IKE_INTEG_HMAC_SHA2_512_256,	"HMAC_SHA2_512_256" },
};
static const struct ike_name dh_names[] = {
	{ IKE_DH_NONE,		"NONE" },
	{ IKE_DH_MODP768,	"MODP_768" },
	{ IKE_DH_MODP1024,	"MODP_1024" },
	{ IKE_DH_MODP1536,	"MODP_1536" },
	{ IKE_DH_MODP2048,	"MODP_2048" },
	{ IKE_DH_MODP3072,	"MODP_3072" },
	{ IKE_DH_MODP4096,	"MODP_4096" },
	{ 17,			"MODP_6144" },
	{ 18,			"MODP_8192" },
	{ IKE_DH_ECP256,	"ECP_256" },
	{ IKE_DH_ECP384,	"ECP_384" },
	{ IKE_DH_ECP521,	"ECP_521" },
	{ IKE_DH_CURVE25519,	"CURVE25519" },
	{ 32,			"CURVE448" },
};
static const struct ike_name esn_names[] = {
	{ IKE_ESN_NO,		"NO_ESN" },
	{ IKE_ESN_YES,		"ESN" },
};

static const struct {
	const struct ike_name	*names;
	size_t			 n;
} xform_names[IKE_XF_TYPES + 1] = {
	[IKE_XF_ENCR] =		{ encr_names, nitems(encr_names) },
	[IKE_XF_PRF] =		{ prf_names, nitems(prf_names) },
	[IKE_XF_INTEG] =	{ integ_names, nitems(integ_names) },
	[IKE_XF_DH] =		{ dh_names, nitems(dh_names) },
	[IKE_XF_ESN] =		{ esn_names, nitems(esn_names) },
};

/* RFC 7296 3.5 */
static const struct ike_name id_type_names[] = {
	{ IKE_ID_IPV4_ADDR,	"ID_IPV4_ADDR" },
	{ IKE_ID_FQDN,		"ID_FQDN" },
	{ IKE_ID_RFC822_ADDR,	"ID_RFC822_ADDR" },
	{ IKE_ID_IPV6_ADDR,	"ID_IPV6_ADDR" },
	{ IKE_ID_DER_ASN1_DN,	"ID_DER_ASN1_DN" },
	{ 10,			"ID_DER_ASN1_GN" },
	{ IKE_ID_KEY_ID,	"ID_KEY_ID" },
	{ 12,			"ID_FC_NAME" },
	{ 13,			"ID_NULL" },	/* RFC 7619 */
};

/* v's name in t, or v as a number in buf. */
static const char *
name_of(const struct ike_name *t, size_t n, unsigned v, char *buf,
    size_t size)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	snprintf(buf, size, "%u", v);
	return buf;
}

const char *
ike_exchange_name(unsigned v)
{
	static __thread char	 buf[16];

	return name_of(exchange_names, nitems(exchange_names), v, buf,
	    sizeof(buf));
}

const char *
ike_payload_name(unsigned v)
{
	static __thread char	 buf[16];

	return name_of(payload_names, nitems(payload_names), v, buf,
	    sizeof(buf));
}

const char *
ike_notify_name(unsigned v)
{
	static __thread char	 buf[16];

	return name_of(notify_names, nitems(notify_names), v, buf,
	    sizeof(buf));
}

const char *
ike_id_type_name(unsigned v)
{
	static __thread char	 buf[16];

	return name_of(id_type_names, nitems(id_type_names), v, buf,
	    sizeof(buf));
}

/* An unknown type prints the id alone. */
const char *
ike_xform_name(unsigned type, unsigned id)
{
	static __thread char	 buf[16];

	if (type < 1 || type > IKE_XF_TYPES)
		return name_of(NULL, 0, id, buf, sizeof(buf));
	return name_of(xform_names[type].names, xform_names[type].n, id, buf,
	    sizeof(buf));
}

