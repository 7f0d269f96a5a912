/* ike_const: IKEv2 protocol numbers (RFC 7296 section 3 and the IANA
 * "Internet Key Exchange Version 2 (IKEv2) Parameters" registry), once.
 * Name tables for logs are in ike_names.c. */
#ifndef SECTUN_IKE_CONST_H
#define SECTUN_IKE_CONST_H

#include <stdint.h>

#define IKE_PORT		500
#define IKE_NATT_PORT		4500
#define IKE_VERSION		0x20	/* major 2, minor 0 (RFC 7296 3.1) */
#define IKE_HDR_LEN		28
#define IKE_PAYLOAD_HDR_LEN	4
#define IKE_NON_ESP_MARKER_LEN	4	/* RFC 3948 2.2: port 4500 */
#define IKE_MSG_MAX		65535
/* What we accept and send; RFC 7296 2 asks for at least 1280. */
#define IKE_MSG_LIMIT		8192
#define IKE_NONCE_MIN		16	/* RFC 7296 2.10 */
#define IKE_NONCE_MAX		256
#define IKE_NONCE_LEN		32	/* ours */

/* Header flags (RFC 7296 3.1) */
#define IKE_FLAG_INITIATOR	0x08
#define IKE_FLAG_VERSION	0x10
#define IKE_FLAG_RESPONSE	0x20

/* Exchange types (RFC 7296 3.1) */
enum ike_exchange {
	IKE_SA_INIT = 34,
	IKE_AUTH = 35,
	IKE_CREATE_CHILD_SA = 36,
	IKE_INFORMATIONAL = 37,
};

/* Payload types (RFC 7296 3.2) */
enum ike_payload {
	IKE_PL_NONE = 0,
	IKE_PL_SA = 33,
	IKE_PL_KE = 34,
	IKE_PL_IDI = 35,
	IKE_PL_IDR = 36,
	IKE_PL_CERT = 37,
	IKE_PL_CERTREQ = 38,
	IKE_PL_AUTH = 39,
	IKE_PL_NONCE = 40,
	IKE_PL_NOTIFY = 41,
	IKE_PL_DELETE = 42,
	IKE_PL_VENDOR = 43,
	IKE_PL_TSI = 44,
	IKE_PL_TSR = 45,
	IKE_PL_SK = 46,
	IKE_PL_CP = 47,
	IKE_PL_EAP = 48,
	IKE_PL_SKF = 53,	/* RFC 7383 */
};
#define IKE_PL_CRITICAL		0x80

/* Protocol IDs (RFC 7296 3.3.1) */
enum ike_proto {
	IKE_PROTO_IKE = 1,
	IKE_PROTO_AH = 2,
	IKE_PROTO_ESP = 3,
};

/* Transform types (RFC 7296 3.3.2) */
enum ike_xform_type {
	IKE_XF_ENCR = 1,
	IKE_XF_PRF = 2,
	IKE_XF_INTEG = 3,
	IKE_XF_DH = 4,
	IKE_XF_ESN = 5,
};
#define IKE_XF_TYPES		5

/* Transform IDs used here (IANA) */
enum ike_encr {
	IKE_ENCR_3DES = 3,
	IKE_ENCR_NULL = 11,
	IKE_ENCR_AES_CBC = 12,
	IKE_ENCR_AES_GCM_16 = 20,	/* RFC 5282 */
	IKE_ENCR_CHACHA20_POLY1305 = 28, /* RFC 7634 */
};
enum ike_prf {
	IKE_PRF_HMAC_MD5 = 1,
	IKE_PRF_HMAC_SHA1 = 2,
	IKE_PRF_HMAC_SHA2_256 = 5,	/* RFC 4868 */
	IKE_PRF_HMAC_SHA2_384 = 6,
	IKE_PRF_HMAC_SHA2_512 = 7,
};
enum ike_integ {
	IKE_INTEG_NONE = 0,
	IKE_INTEG_HMAC_MD5_96 = 1,
	IKE_INTEG_HMAC_SHA1_96 = 2,
	IKE_INTEG_HMAC_SHA2_256_128 = 12,
	IKE_INTEG_HMAC_SHA2_384_192 = 13,
	IKE_INTEG_HMAC_SHA2_512_256 = 14,
};
enum ike_dh_group {
	IKE_DH_NONE = 0,
	IKE_DH_MODP768 = 1,
	IKE_DH_MODP1024 = 2,
	IKE_DH_MODP1536 = 5,
	IKE_DH_MODP2048 = 14,
	IKE_DH_MODP3072 = 15,
	IKE_DH_MODP4096 = 16,
	IKE_DH_ECP256 = 19,		/* RFC 5903 */
	IKE_DH_ECP384 = 20,
	IKE_DH_ECP521 = 21,
	IKE_DH_CURVE25519 = 31,		/* RFC 8031 */
};
enum ike_esn {
	IKE_ESN_NO = 0,
	IKE_ESN_YES = 1,
};
/* Transform attribute (RFC 7296 3.3.5): TV format, type 14 */
#define IKE_ATTR_KEY_LENGTH	14
#define IKE_ATTR_TV		0x8000

/* Identification types (RFC 7296 3.5) */
enum ike_id_type {
	IKE_ID_IPV4_ADDR = 1,
	IKE_ID_FQDN = 2,
	IKE_ID_RFC822_ADDR = 3,
	IKE_ID_IPV6_ADDR = 5,
	IKE_ID_DER_ASN1_DN = 9,
	IKE_ID_KEY_ID = 11,
};

/* Authentication methods (RFC 7296 3.8) */
enum ike_auth_method {
	IKE_AUTH_RSA_SIG = 1,
	IKE_AUTH_PSK = 2,		/* Shared Key Message Integrity Code */
	IKE_AUTH_DSS_SIG = 3,
};

/* Traffic selector types (RFC 7296 3.13.1) */
enum ike_ts_type {
	IKE_TS_IPV4_ADDR_RANGE = 7,
	IKE_TS_IPV6_ADDR_RANGE = 8,
};

/* Notify message types (RFC 7296 3.10.1): errors below 16384 */
enum ike_notify_type {
	IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKE_N_INVALID_IKE_SPI = 4,
	IKE_N_INVALID_MAJOR_VERSION = 5,
	IKE_N_INVALID_SYNTAX = 7,
	IKE_N_INVALID_MESSAGE_ID = 9,
	IKE_N_INVALID_SPI = 11,
	IKE_N_NO_PROPOSAL_CHOSEN = 14,
	IKE_N_INVALID_KE_PAYLOAD = 17,
	IKE_N_AUTHENTICATION_FAILED = 24,
	IKE_N_SINGLE_PAIR_REQUIRED = 34,
	IKE_N_NO_ADDITIONAL_SAS = 35,
	IKE_N_INTERNAL_ADDRESS_FAILURE = 36,
	IKE_N_FAILED_CP_REQUIRED = 37,
	IKE_N_TS_UNACCEPTABLE = 38,
	IKE_N_INVALID_SELECTORS = 39,
	IKE_N_TEMPORARY_FAILURE = 43,
	IKE_N_CHILD_SA_NOT_FOUND = 44,
	IKE_N_ERROR_MAX = 16383,
	IKE_N_INITIAL_CONTACT = 16384,
	IKE_N_SET_WINDOW_SIZE = 16385,
	IKE_N_ADDITIONAL_TS_POSSIBLE = 16386,
	IKE_N_IPCOMP_SUPPORTED = 16387,
	IKE_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKE_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKE_N_COOKIE = 16390,
	IKE_N_USE_TRANSPORT_MODE = 16391,
	IKE_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,
	IKE_N_REKEY_SA = 16393,
	IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
	IKE_N_NON_FIRST_FRAGMENTS_ALSO = 16395,
	IKE_N_MOBIKE_SUPPORTED = 16396,
	IKE_N_EAP_ONLY_AUTHENTICATION = 16417,	/* RFC 5998 */
	IKE_N_IKEV2_MESSAGE_ID_SYNC_SUPPORTED = 16420, /* RFC 6311 */
	IKE_N_FRAGMENTATION_SUPPORTED = 16430,	/* RFC 7383 */
	IKE_N_SIGNATURE_HASH_ALGORITHMS = 16431, /* RFC 7427 */
};

/* Name of a value for logs ("IKE_SA_INIT", "NO_PROPOSAL_CHOSEN", ...);
 * unknown values print as their number into a static buffer per table. */
const char	*ike_exchange_name(unsigned v);
const char	*ike_payload_name(unsigned v);
const char	*ike_notify_name(unsigned v);
const char	*ike_xform_name(unsigned type, unsigned id);
const char	*ike_id_type_name(unsigned v);

#endif
