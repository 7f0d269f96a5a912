/* check_ike_crypto: lib/ike_crypto.c against published test vectors and
 * values computed independently in Python (hmac, pow(), and the
 * "cryptography" package), never by the code under test.
 *
 * Sources: RFC 2202 and RFC 4231 (HMAC); the NIST CAVP SP 800-135 IKEv2
 * KDF sample for HMAC-SHA1 as quoted by libreswan (ike_alg_test_prf.c,
 * and its CAVP driver's output); RFC 5903 section 8 (ECP groups
 * 19-21); RFC 7748 section 6.1 (X25519); McGrew and Viega, "The Galois/
 * Counter Mode of Operation", test case 4 (AES-GCM); RFC 8439 section 2.8.2
 * (ChaCha20-Poly1305); NIST SP 800-38A F.2.1 and F.2.5 (AES-CBC). The
 * rest (prf+, key derivation suites, MODP, SK bodies, PSK AUTH) came from
 * Python: the MODP primes from the RFC 2409 / RFC 3526 formula with pi
 * computed by Machin's formula, checked to be safe primes. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>

#include "ike_crypto.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define HEX_MAX		1024

/* ---- helpers ---- */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t
unhex(const char *s, uint8_t *out, size_t max)
{
	size_t	 n = 0;
	int	 hi, lo;

	for (; s[0] != '\0'; s += 2) {
		ck_assert_msg(s[1] != '\0' && n < max, "bad hex vector");
		hi = hexval(s[0]);
		lo = hexval(s[1]);
		ck_assert_msg(hi >= 0 && lo >= 0, "bad hex vector");
		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	return n;
}

/* buf (len bytes) must be the hex vector. */
static void
check_hex(const char *what, const uint8_t *buf, size_t len, const char *hex)
{
	uint8_t	 exp[HEX_MAX];
	size_t	 n, i;

	n = unhex(hex, exp, sizeof(exp));
	ck_assert_msg(len == n, "%s: %zu bytes, want %zu", what, len, n);
	for (i = 0; i < n; i++)
		ck_assert_msg(buf[i] == exp[i],
		    "%s: byte %zu is %02x, want %02x", what, i, buf[i], exp[i]);
}

static int
all_zero(const uint8_t *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* ---- HMAC / PRF (RFC 2202, RFC 4231) ---- */

struct hmac_case {
	const char	*name;
	const char	*key;		/* hex, or kn bytes of kfill */
	uint8_t		 kfill;
	size_t		 kn;
	const char	*data;		/* text, or dn bytes of dfill */
	uint8_t		 dfill;
	size_t		 dn;
	const char	*mac[4];	/* SHA1, SHA2-256/384/512 or NULL */
};

static const uint16_t hmac_prfs[4] = {
	IKE_PRF_HMAC_SHA1, IKE_PRF_HMAC_SHA2_256, IKE_PRF_HMAC_SHA2_384,
	IKE_PRF_HMAC_SHA2_512
};

static const struct hmac_case hmac_cases[] = {
	{ "RFC 2202 1, RFC 4231 1",
	    NULL, 0x0b, 20,
	    "Hi There", 0, 0,
	    {
	    "b617318655057264e28bc0b6fb378c8ef146be00",
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32"
	    "cff7",
	    "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7ceb"
	    "c59cfaea9ea9076ede7f4af152e8b2fa9cb6",
	    "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e1"
	    "7cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c20"
	    "3a126854" } },
	{ "RFC 2202 2, RFC 4231 2",
	    "4a656665", 0, 0,
	    "what do ya want for nothing?", 0, 0,
	    {
	    "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec"
	    "3843",
	    "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322"
	    "445e8e2240ca5e69e2c78b3239ecfab21649",
	    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea25"
	    "05549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a"
	    "38bce737" } },
	{ "RFC 2202 3, RFC 4231 3",
	    NULL, 0xaa, 20,
	    NULL, 0xdd, 50,
	    {
	    "125d7342b9ac11cd91a39af48aa17b4f63f175d3",
	    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced5"
	    "65fe",
	    "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966"
	    "144b2a5ab39dc13814b94e3ab6e101a34f27",
	    "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b227"
	    "9d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859"
	    "e13292fb" } },
	{ "RFC 2202 4, RFC 4231 4",
	    "0102030405060708090a0b0c0d0e0f10111213141516171819", 0, 0,
	    NULL, 0xcd, 50,
	    {
	    "4c9007f4026250c6bc8414f9bf50c86c2d7235da",
	    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729"
	    "665b",
	    "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f57"
	    "3b4e6801dd23c4a7d679ccf8a386c674cffb",
	    "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361e"
	    "e3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb"
	    "10a298dd" } },
	{ "RFC 2202 5",
	    NULL, 0x0c, 20,
	    "Test With Truncation", 0, 0,
	    {
	    "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04",
	    NULL,
	    NULL,
	    NULL } },
	{ "RFC 2202 6",
	    NULL, 0xaa, 80,
	    "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
	    {
	    "aa4ae5e15272d00e95705637ce8a3b55ed402112",
	    NULL,
	    NULL,
	    NULL } },
	{ "RFC 2202 7",
	    NULL, 0xaa, 80,
	    "Test Using Larger Than Block-Size Key and Larger Than "
	    "One Block-Size Data", 0, 0,
	    {
	    "e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
	    NULL,
	    NULL,
	    NULL } },
	{ "RFC 4231 6",
	    NULL, 0xaa, 131,
	    "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
	    {
	    NULL,
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee3"
	    "7f54",
	    "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033a"
	    "c4c60c2ef6ab4030fe8296248df163f44952",
	    "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8"
	    "f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a98"
	    "5d786598" } },
	{ "RFC 4231 7",
	    NULL, 0xaa, 131,
	    "This is a test using a larger than block-size key and a "
	    "larger than block-size data. The key needs to be hashed "
	    "before being used by the HMAC algorithm.", 0, 0,
	    {
	    NULL,
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a"
	    "35e2",
	    "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e"
	    "99c5a678cc31e799176d3860e6110c46523e",
	    "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cd"
	    "c944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440"
	    "fa8c6a58" } },
	{ "empty key and data (Python hmac)",
	    "", 0, 0,
	    "", 0, 0,
	    {
	    "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d",
	    "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292"
	    "c5ad",
	    "6c1f2ee938fad2e24bd91298474382ca218c75db3d83e114b3d4367776d1"
	    "4d3551289e75e8209cd4b792302840234adc",
	    "b936cee86c9f87aa5d3c6f2e84cb5a4239a5fe50480a6ec66b70ab5b1f4a"
	    "c6730c6c515421b327ec1d69402e53dfb49ad7381eb067b338fd7b0cb222"
	    "47225d47" } },
};

/* ---- prf+ ---- */

struct prfplus_vec {
	uint16_t	 prf;
	size_t		 len;
	const char	*out;
};

/* prf+ (K = 00..1f, S = a0..cf): expected values from Python hmac */
static const struct prfplus_vec prfplus_vecs[] = {
	{ IKE_PRF_HMAC_SHA1, 100,
	    "3b3944feb645facc6c5f287ed3628bc04095af1f9a298d68f61c8b4b600e"
	    "7ce18338d76cdbbcb81704bd68bd62b469bc645757ae3331613114087406"
	    "e05df6711fed079005e52b36be85ab613997635256a4ed80dc2707f62809"
	    "74a3452ddca93264014d" },
	{ IKE_PRF_HMAC_SHA2_256, 100,
	    "ed80f3f07b273b3f1d2c25eaa87facaab7e12e22c683ee61026b4a2adf5f"
	    "e82a1d073fc52a46774b5d160e4ae0f6820a5eb690af8654b78dbfcd06bc"
	    "27fce1afaa01effb7a13075ac3f266f2e20207c07a8fc9c6d37af87a4d4a"
	    "c5f749114b2d300b76c1" },
	{ IKE_PRF_HMAC_SHA2_512, 200,
	    "9edd04d480d6fe82abcd7f33912991e5e8a3b364c4a531e1e5fee7cbe44e"
	    "3f62aeaf01804ee39894541fcabc2cdf7d6254261561cd2b5f941813b44a"
	    "cb8466197833588bcc51c8d5faf623bbe0bc67d676d8cb36dd2b4e4acab8"
	    "afdb3f11be860fae10846d3322b772f1d60f441f98a2765c67c61252cf0d"
	    "f0622e11350c9a0f0d574167968cfa33e924dde29c01e43c2fdb7714b146"
	    "f41751f0887be2d4187fb176131dcb25cb53b4f90a783c8b1c5511262cfc"
	    "9817e04b50664025b6a3a338b58e307f18cc290c" },
};

/* ---- key derivation ---- */

/* NIST CAVP SP 800-135 IKEv2 sample, HMAC-SHA1 (libreswan's copy), with
 * the CHILD_SA DKMs libreswan's CAVP driver printed for it; all of it
 * recomputed with Python hmac before being pasted here. */
static const struct {
	const char	*ni, *nr, *gir, *gir_new, *spii, *spir;
	const char	*skeyseed, *dkm, *dkm_child, *dkm_child_dh;
	const char	*skeyseed_rekey;
} cavp = {
	"32b50d5f4a3763f3",
	"9206a04b26564cb1",
	"4b2c1f971981a8ad8d0abeafabf38cf75fc8349c148142465ed9c8b516b8"
	"be52",
	"863f3c9d06efd39d2b907b97f8699e5dd5251ef64a2a176f36ee40c87d4f"
	"9330",
	"34c9e7c188868785",
	"3ff77d760d2b2199",
	"a9a7b222b59f8f48645f28a1db5b5f5d7479cba7",
	"a14293677cc80ff8f9cc0eee30d895da9d8f405666e30ef0dfcb63c634a4"
	"6002a2a63080e514a062768b76606f9fa5e992204fc5a670bde3f10d6b02"
	"7113936a5c55b648a194ae587b0088d52204b702c979fa280870d2ed41ef"
	"a9c549fd11198af1670b143d384bd275c5f594cf266b05ebadca855e4249"
	"520a441a81157435a7a56cc4",
	"8059e3ee8810e6c3a91bc8bcd2a7a41151b8d0e6ae239c7b38093ad85ef4"
	"c5811a8e7b5d1cdabd9560b2d5e092d1f24e2d4b85eccdf0ad0dc9abd94b"
	"51ee71814ca6dbc8bb51b6309f5b9545c7eb35cf5580b1e521a8fe20754a"
	"2d883ba0c2cf285f524aea6545b33106bc03e614296d319d41d4b50b3f51"
	"0b1c0a22f3e664994d234cb4",
	"bb43244c1860ad65ee1e211ffe8bb3661750c8f89cb9f547df7f4fa61d37"
	"301628190e38c66232eab4b3ab14c400a5197dd3730ed4820a8a10394d51"
	"e1c0400052f63ebd36b0e7ef53aaed31eba4a5080d7d4b5666023a8bbb5f"
	"fb7857240f9a05884d1b7d2f933708450b7b3288f1fc863ab49fa901227c"
	"ffc06e27899c7054d56fd74c",
	"63e81194946ebd05df7df5ebf5d8750056bf1f1d",
};

struct kdf_vec {
	const char		*name;
	struct ike_suite	 suite;
	const char		*ni, *nr, *gir, *spii, *spir;
	const char		*sk_d, *sk_ai, *sk_ar, *sk_ei, *sk_er, *sk_pi;
	const char		*sk_pr;
};

/* CAVP rekey: prf+ (SKEYSEED(Rekey), Ni | Nr | SPIi | SPIr), Python */
static const char cavp_rekey_dkm[] =
	    "25bed3c6e133ce57281cd88cc2de69f5df7316cec5561803d967d94f599f"
	    "630f4b2908e5593bde5789be2017d6ea7832ca65f86d3105f9875ee18209"
	    "cb658fcb7ae3ede88f725c30138b1818e6f4b3eddcdf439bd54c43476b53"
	    "3d3f7f749f82ca284209b74f001b5585840a39a10571759dafaff736ac3d"
	    "e46235506e1e683d157b3de9";

/* Key derivation, expected values from Python hmac (RFC 7296 2.14) */
static const struct kdf_vec kdf_vecs[] = {
	{ "AES-CBC-256/HMAC-SHA2-256/SHA2-256-128",
	    { IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_256,
	        IKE_INTEG_HMAC_SHA2_256_128, IKE_DH_MODP2048 },
	    /* ni */
	    "6d008c9291b024f0165175bad34bf83c04d6bc8d8c08e7ad34832a0abef8"
	    "f39e",
	    /* nr */
	    "843a852cddfcf2b9c96d61aca92360012c107ff6d02a64918b7d25193db0"
	    "21b8",
	    /* gir */
	    "5a7e63684adce693fc031989083e423d839adff3330ea3ed5e33380fd872"
	    "12e8f5028b821acad3386fb2f36565a5741084e79e60efedbcd0cd058861"
	    "6df75dc18f5e3b917da269ea54217577ae49c21d0aee0cc484e013db94f0"
	    "8b19afe77fd113996be6ba06a3284e2821f8aaa1ad1c429601d9d8eb48fd"
	    "b9d3d0c38cab2a03e27f42b65b9052fc67b443a0414295fc8a36c3025733"
	    "884a3b368f5da72546a8a1ea7a8a240ea29e6a3f6e822fbb69ab7e938b9e"
	    "b61bd5f7ed089039216f2cd891cdc57a73851bfa25f2f19d9f5d05fcfb88"
	    "2d55fdf6bbbd9d329631e809eb722b64103a9da70ec198fb6ad956b4afc9"
	    "181d90683ee2cbd8fdafef70fb32b924",
	    /* spii */
	    "c0cd3ce63eb61877",
	    /* spir */
	    "1e0a99d22f7fb931",
	    /* SK_d */
	    "88f5fa09fa7ed94af3f638581682191a46e1a2491828177e7bc8bd046a2d"
	    "70cd",
	    /* SK_ai */
	    "d9aa539a49327291fb421ad237937bddb2050cc829c9fa2db633a391f343"
	    "01b1",
	    /* SK_ar */
	    "a5594db3cd64929d63c8c34d541a8c7e923f79cf923094da3e8eb8f2b963"
	    "f03a",
	    /* SK_ei */
	    "d38b1955cb3cadb66769bf5371af2256da953004cecb1d417239dc078774"
	    "2d5d",
	    /* SK_er */
	    "a5cce0ba498a6926839593dcc6f4510a21769ef804bdb430b15107ac2b16"
	    "90f4",
	    /* SK_pi */
	    "52ab41668a24bdf376f4f3c421030b4a449885d2bc3eb180761da8ba3d3d"
	    "f5c1",
	    /* SK_pr */
	    "723c99a6ec7be3223d05d34a524dd4a6a3d145d40dcbd9721e2e8a284610"
	    "d1fe",
	},
	{ "AES-GCM-16-256/HMAC-SHA2-384",
	    { IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_384,
	        IKE_INTEG_NONE, IKE_DH_ECP384 },
	    /* ni */
	    "bb1e6d81d625d5f70a6e3086e005d83786ad8d68135bceba02444977f4ce"
	    "f76a",
	    /* nr */
	    "b0f1f5782ee75252e4f3b45863608dc184eee911f149d5244516292dd49b"
	    "e80f79a1332d30d4a256d1a3f593ecd80936",
	    /* gir */
	    "12272b33b81989a76b7a8b0e50c77ed10bbf4d0b29013a774f5c6c29e1ca"
	    "a10922841e356c3c27bb45dfc0dde1763bc9",
	    /* spii */
	    "a492bb51acdaeb18",
	    /* spir */
	    "18855d928ca917a6",
	    /* SK_d */
	    "5955d177f2822608c5d15c0821d4d12d1c37c58f69f85e81ecd930d21315"
	    "892540f8cce4f70055f304379153ea877311",
	    /* SK_ai */
	    "",
	    /* SK_ar */
	    "",
	    /* SK_ei */
	    "2ebe5dfca0e71e4ec7ce6f1d3ce6e0b1cf860ae0091173076dae7f6eff3e"
	    "0119452444ed",
	    /* SK_er */
	    "21bfe570ed32596712d0b060d2a3ac78bb227d4bd5bee58c5bd3a7b6ebdf"
	    "31fa83ae0c18",
	    /* SK_pi */
	    "da04867e301ad04268004dca2353bac3076c9561f1208de72e79aeecdff7"
	    "63dc9f87ea7b2262c7d701bfd7258e28d0ea",
	    /* SK_pr */
	    "bff1c4b295c7a8e7d07b497cb607b3ac1ab6dc5db2c2cc6edf2559491844"
	    "609e63f234730b5acb10913fac7d8fef5b2b",
	},
};

/* IKE SA rekey (RFC 7296 2.18): old PRF HMAC-SHA2-256 and SK_d of the
 * first kdf_vecs entry, new suite AES-GCM-16-256/HMAC-SHA2-384; Python */
static const struct kdf_vec rekey_vec = {
	"rekey to AES-GCM-16-256/HMAC-SHA2-384",
	{ IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_384,
	    IKE_INTEG_NONE, IKE_DH_ECP256 },
	/* ni */
	"7fdab1a3314a40f38228be227bf633ba1bee8d27410f3f3c91ec47a8d030"
	    "49a7",
	/* nr */
	"ea36a3ddadda1a4e44e43b54d3f193c1e5d1bb8263ce5a8688474771a5a1"
	    "9bd2",
	/* gir */
	"fda6ea54c28b11adf93582e83bccbf1e6d07c6d607ffbfaba12315e749f9"
	    "b4df",
	/* spii */
	"19d875a94495ae21",
	/* spir */
	"c81da771684a710b",
	/* SK_d */
	"7eadc0383b71c192e7159aa0787e750b26234ff3d63419349ec107ea0ff6"
	    "2eeaf13537ad96528b36b2b38b03767f8c98",
	/* SK_ai */
	"",
	/* SK_ar */
	"",
	/* SK_ei */
	"38a3ca4ae7d6cdd2c994f550a76ede22ca413b05ed18e9a369130482287d"
	    "e280efd08fce",
	/* SK_er */
	"5f67a64da2af0ce7d6c106690fae12393a4699fd50578c1da5f5ad4c9ed9"
	    "373643738fb3",
	/* SK_pi */
	"c9a55ead91905538e1ff85b40885cfff47dc8ec144bc7529991c7ba07e8c"
	    "f9997a1a2ae368a3ed63f851ca9a3113e614",
	/* SK_pr */
	"3bc41d87bce2f2eb42d9446f1957421e0ba958b2a012821ac21134e4de4e"
	    "97b895c1d79d90628641720ad31b9bc9e41f",
};

/* CHILD_SA KEYMAT (RFC 7296 2.17) from the first kdf_vecs entry's SK_d,
 * nonces, and (PFS) rekey_vec's g^ir; Python */
static const char child_keymat[] =
	    "17d59c63909bbfff2f276dcbe425f49fbe97d4bb44229fe5d1d494da8b09"
	    "52759806dcd1e72317055a816e5f44aa8d46710839bc181a95ad1033a71c"
	    "ffa2ddc4ed5f9912d27197b296c7ebacef3e6af263979ea2f8c65e0ee3a8"
	    "4a7da3ccc9950e4f1014d6f97851864674421cf21bf4b3a5b86896019505"
	    "28cd093d4ee50e5a";
static const char child_keymat_pfs[] =
	    "4e68e91e88b3ca67886f26b2a352779947b5a641e0b26d33e8dc905efeeb"
	    "ee618ae05a07c91dd33d45bca82d5be050e32752c68696b93d7f3a249b42"
	    "e5e158d82af9959b709a0f788478d2d8552d4da1bff77d11d086dc718e12"
	    "9f47007b3fc147c50647f5f588affdf79164179e219a4ba0c1cd9ab82077"
	    "d70cce0465a8e4e0";

/* ---- Diffie-Hellman ---- */

/* RFC 5903 section 8: i, g^i = x | y, r, g^r, and g^ir = x. */
static const struct ecp_vec {
	uint16_t	 group;
	const char	*i, *gi, *r, *gr, *gir;
} ecp_vecs[] = {
	{ IKE_DH_ECP256,
	    "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d"
	    "1433",
	    "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c377258"
	    "1180"
	    "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b899"
	    "0bb3",
	    "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476b"
	    "ee53",
	    "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494"
	    "bf63"
	    "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f330398"
	    "72ab",
	    "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b94"
	    "42de" },
	{ IKE_DH_ECP384,
	    "099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f160647b67414dc"
	    "e655e35b538041e649ee3faef896783ab194",
	    "667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c5"
	    "5ee6de3ac808acb4bdb4c88732aee95f41aa"
	    "9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ada024181535a0"
	    "f38eeb9fcff3c2c947dae69b4c634573a81c",
	    "41cb0779b4bdb85d47846725fbec3c9430fab46cc8dc5060855cc9bda0aa"
	    "2942e0308312916b8ed2960e4bd55a7448fc",
	    "e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc"
	    "509d0d1ac43a0336def96fda41d0774a3571"
	    "dcfbec7aacf3196472169e838430367f66eebe3c6e70c416dd5f0c68759d"
	    "d1fff83fa40142209dff5eaad96db9e6386c",
	    "11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156"
	    "c5c4d603135569b9e9d09cf5d4a270f59746" },
	{ IKE_DH_ECP521,
	    "0037ade9319a89f4dabdb3ef411aaccca5123c61acab57b5393dce476081"
	    "72a095aa85a30fe1c2952c6771d937ba9777f5957b2639bab072462f68c2"
	    "7a57382d4a52",
	    "0015417e84dbf28c0ad3c278713349dc7df153c897a1891bd98bab4357c9"
	    "ecbee1e3bf42e00b8e380aeae57c2d107564941885942af5a7f4601723c4"
	    "195d176ced3e"
	    "017cae20b6641d2eeb695786d8c946146239d099e18e1d5a514c739d7cb4"
	    "a10ad8a788015ac405d7799dc75e7b7d5b6cf2261a6a7f1507438bf01beb"
	    "6ca3926f9582",
	    "0145ba99a847af43793fdd0e872e7cdfa16be30fdc780f97bccc3f078380"
	    "201e9c677d600b343757a3bdbf2a3163e4c2f869cca7458aa4a4effc311f"
	    "5cb151685eb9",
	    "00d0b3975ac4b799f5bea16d5e13e9af971d5e9b984c9f39728b5e573973"
	    "5a219b97c356436adc6e95bb0352f6be64a6c2912d4ef2d0433ced2b6171"
	    "640012d9460f"
	    "015c68226383956e3bd066e797b623c27ce0eac2f551a10c2c724d985207"
	    "7b87220b6536c5c408a1d2aebb8e86d678ae49cb57091f4732296579ab44"
	    "fcd17f0fc56a",
	    "01144c7d79ae6956bc8edb8e7c787c4521cb086fa64407f97894e5e6b2d7"
	    "9b04d1427e73ca4baa240a34786859810c06b3c715a3a8cc3151f2bee417"
	    "996d19f3ddea" },
};

/* RFC 7748 section 6.1 */
static const struct {
	const char	*a, *ga, *b, *gb, *gab;
} x25519_vec = {
	"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db9"
	"2c2a",
	"8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b"
	"4e6a",
	"5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88"
	"e0eb",
	"de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f88"
	"2b4f",
	"4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e16"
	"1742",
};

struct modp_vec {
	uint16_t	 group;
	const char	*a, *b, *ga, *gb, *gab;
};

/* MODP: a, b private; g^a, g^b, g^ab by Python pow() with the primes built
 * from the RFC 2409 / RFC 3526 formula (digits of pi). a makes g^a and b
 * makes g^ab start with a zero byte, so padding is proven. */
static const struct modp_vec modp_vecs[] = {
	{ IKE_DH_MODP768,
	    /* a */
	    "be3bf96030e590dd73828f0529a2a2245663371a65f106860a935f62178b"
	    "be71",
	    /* b */
	    "b578d53b469766013fef805e145ed043fed05059b896cdb43976176eff3e"
	    "4f3d",
	    /* g^a */
	    "00a6e979b1c5ac410e9993260c9df5f4b275b8fa36fb2b32a79d59473041"
	    "ce04b829149006f92c0f9f4333fe8645614091afb7fd14f74abc2e07860f"
	    "f276f75880d0a65a3ba0bc7f4bf431711b50278920e7c4acd5c53539280d"
	    "ba25043c19ee",
	    /* g^b */
	    "d7a0e9d57108b935cf9e17f714f19a357b04f44de1c2e07dc84edd3cba1c"
	    "48c9de211c5547d8c73ca6d2dd31058b47e8d53a5b241011e6742369981f"
	    "3ab6723b1972c46db3c5df977cd1bc6d1085f9052d85de0e4b41cfac71ef"
	    "fb28e9ba1a73",
	    /* g^ab */
	    "00ae8fb7f1a050f8182102ea354a18ae0254338889671d907caa72967466"
	    "3f3772e0100795638664a48cd9d2b9ea8d587f63b19db7774fe9a297d31c"
	    "8f27862daba9bbdf29fb6c82716177a7d4dedd97018576b7b2394dab5c56"
	    "492e59b99b75" },
	{ IKE_DH_MODP1024,
	    /* a */
	    "61a6af62ad024fab148378dc0d498288dd738ffeaa17a9e6f8af8fd2213a"
	    "57f9",
	    /* b */
	    "82465f4697a12e15c1ce27f1da800390012c44ff60bdece74a63c5b2b22a"
	    "3d7c",
	    /* g^a */
	    "001ad036826fb5ee79b9c1ff1e4d7d08787b3a0bd7a9b9ab48140b750fab"
	    "c61dfddc4a1ec369fb492d042aedd03b8783b05e097b518cc36b60d57c12"
	    "4c15802b8b44d69c3554fc3fbc8feae89c09f7226db86944d7c193b7dd41"
	    "ec757c2e3ecb6c365c3a6729716b6dda7e98ad6809fea00571c9bf8ed768"
	    "c04e8ca8ed1f3bd0",
	    /* g^b */
	    "1aee07788c39967f2805f029fcf1b5c3fd2078830d22831588ef350d6d51"
	    "4c66c23af0c2b6e9e4e7821251fe31c4b5aaf987198d7cc8e1a38c586850"
	    "8c775c984a80eb6df41c0184ec2ab45436ae8ae6f1c32d47e7f92d409002"
	    "cc77dd35fc66b7ddce0b56090b2bf011fa2150968410c5c24a4c34fb9a30"
	    "adf81b66000f9c3e",
	    /* g^ab */
	    "00ad24ad49b573f9795c6a71adb81ab259e5909c3bfcc71fbc4b2b137fc5"
	    "3399eb711c46b075376f37b997d3879936fd382657485981176a203ab560"
	    "0753a5c0eb1aebebde94092365454d0edc9f442cf3b53f2df75db1cf657f"
	    "63e405b19e51593164c0543153e6fcaec77465b487f5c05fa6620f1a4ace"
	    "6dcf33ace4bb6f66" },
	{ IKE_DH_MODP1536,
	    /* a */
	    "79b0fc7e7db07f3de3a0faaf69ecce84412215554cf86475473c0152aada"
	    "7344",
	    /* b */
	    "f6ee8d36c043743aed74422d4c649baeecb6dd150408a8e83e3596de70d5"
	    "ffd1",
	    /* g^a */
	    "00bc396efc390bb6d7788102443c8f60ae7eceabe816e5469607567996c1"
	    "88791e3c5f8af6344cee6bbb9782d1cb609dcf59d82949da5d9b84ea85c8"
	    "95688af52af4e05b02ed3e79b826d28e25f0913c1e07bf6882179166fb59"
	    "072f543e6676ac1b074ccd1b4d689ad7ef1cdee12b9ffdd50b98f63e17e7"
	    "1d08ba23667c5110c6620ccbf021275edcd2eea9fb8900e61936e1d72cd6"
	    "d4ac51ab51b59416788ca52633cdea14194d252a8c66e4eadf1e76d21fa0"
	    "89e8e2b421c62406050e8c54",
	    /* g^b */
	    "8f3c6cd026e637320c2788c60b0b09c4ca693baacd95a8de1fc13ebad6f8"
	    "4fc4e1ea8f6ca65553da9c1fa2e41454bb9b9310458145f8ef9598e7e197"
	    "e9c83c5dd067e689b98a79b127990992f96cc8206f73827bbec511fbbfe1"
	    "b5920a6babf76c197f5e3a95e046243c7f10cf0448120b7711028748d3fa"
	    "db6ed27d85445ccff59c47a8f89640fdae16729f9eeacd07dd1f5cb4439d"
	    "f2863aabcd15bc30a96cfaf87da473cf2245d4f71da22fcbf9b846d06ba0"
	    "59ff55ea5c0c8ccdb6fffe9a",
	    /* g^ab */
	    "00cb54cc55e4fb4a30b235d7e7593e3f79839c78d29153ed003005fdaa1b"
	    "aa5f60c97dad9e215bb4475810a25e521c912a6a1c9324f4ce9ea902c2e1"
	    "f8bf9ce52ea0e4e91f23dd131ec46b0c4b7c4f221bf76e1c685fc635e447"
	    "abdf422b186a7aac080547a18411f649768ec7a117266273924e8007fcf0"
	    "3e41c3736d2ac252da612c6d7cdf529bfb68bc7e96ed3ee4c001c6703c64"
	    "635b14a1adf325467fe2fb543782358cbf8dec38e59708658c44d2b65781"
	    "622f404ff69ff84115c7db1e" },
	{ IKE_DH_MODP2048,
	    /* a */
	    "8df5fb6342745422e7199991e5b00271adbb2159f5921344da4153042ff6"
	    "15b2",
	    /* b */
	    "a8a376a1be08a54dcbc9e800e0f739194aff881653212805fe384dd0a6a7"
	    "b46a",
	    /* g^a */
	    "001ff56af3d72cc64678f880be687ad65e7e254a6d5fd6ade2b550c17bcd"
	    "6574014db6677f344bb0f71249d4765aade0d0319ead66dcf05f7beb3f84"
	    "27cf9333993d6edb4fc132ccde542926c65e5ae0e1c6af8d91d1859c9a18"
	    "5389c154dee26e47ddf49551d81805e7f66f503aa79922c47601d771b028"
	    "5adb4511a4370a39f3e5a07aceb0953ee39b2196fced04688845ee4af9cb"
	    "817420356b190ad3462b565c2848b08728e17033c24b035b7bc7d9cfc6cb"
	    "a34bdb4a202f531e57c70d002fa550286b807fe1d82bbf461e70b05a0007"
	    "123f16e6f7eac03dc9273b23e575c354f362381aabb41136847536cd5113"
	    "328532a4855ea9a885f7c842e4eb0122",
	    /* g^b */
	    "ce1b773e9ccd74225ad191e452e6a901f6ab1531f38644a8b8cc3f75c0be"
	    "6cb0e33a0c5d6881f2a6b6e306cbdd435f807759967227c1b6c6621737af"
	    "ea3e915e0fd4c8c94d5518fb8f1b418340788a82b2e499c97825cc7b5b0d"
	    "8610b41adeaaa9f56d4b6da9a63549c178446fb67ec8ad2864fab7dd568e"
	    "a4fb454776909a3c3a925eef5d42e7d72fb0dc3a6f8ca6c4455c22f615e1"
	    "c9f597cc327ec2f54db42c3065f645bb4d6d3b56deeea5c19e0ac4ccebb8"
	    "fcac4ac53a3d8069b387e5df0ede9fd51f3fe8f5f5b211823b852fd78e69"
	    "3330ff20a56609c27fc9613d2c11f0321593455a3e2d532d8d4823505383"
	    "8a93ba5f9ed32b7d4b03e01f7d108041",
	    /* g^ab */
	    "00a096659b878dae03b8860f14152561fce2378b8896e4636c9cc6eed6ba"
	    "5cde9955b70a86b6e96c4088a33f5b1b1cd5c188a73caa7e34f7696e6061"
	    "256f27cd8729387467934fa6ea79e9e1cea9153013cb715eb7f4a87d5269"
	    "0dd551c27012e9fcaff1684b20955cafe2781c42d8cc8c83ff4b140b8875"
	    "3d7bf7326463ee710023c1d88265d901b4ca123d135cdfaa031e78e22b50"
	    "35c69b3cee443f34f81e1a16da0f9d9a73303b00e995b118146fa5f9295f"
	    "d2397fc15fbedc90561a05c0fe421a108cfbc5fa0d1785867e51b3215dbc"
	    "8d883675cc92e3a4183b4cccda66880e25a4774fc87ee402b472ad33f10b"
	    "f5109c1e6958ffe260fd8b707f1da7b2" },
	{ IKE_DH_MODP3072,
	    /* a */
	    "de0bc14f6034ccf2a055025db27d7e38322d77a44107355b8fe032423e72"
	    "4fd5",
	    /* b */
	    "cd191b83b604fde2bf35487c4a0d1ef5058fb105a12cca65352aeb94e0c1"
	    "c82c",
	    /* g^a */
	    "003b596861a351135e98144abd0aa410d96a8c0826294745d444c87bc510"
	    "e9a1faccf5118be76c37d0a42af9b0692abbee14cca6628950fe3cf116b0"
	    "070ba6d90c36fa5221fd0fef49df0247394623085c436cc75ce1f4ef257b"
	    "21fdad202bc245d4a2548280b1368b7800e2c8f0487a58b9c450477afe53"
	    "71f5b0ee64c98f5f29f3dffa9fb047f6a5f0dede4031e00228d11c290826"
	    "5b4f034aa18d82c66797c5ea9462bf138668da701a51df28fccc485a93d1"
	    "5f2df47620a8639446e7065d49891882577d1c1b5303d8268ec8a58f5731"
	    "fdfae47735ece780f65ba2cb737918b6992b3500a4eea4281ab56ad69968"
	    "0e14eef42a3f029b8c142b27b52d375c8a3d8ceeea09f010f70ff2fdfc6e"
	    "f29cac68dfe54b239f14ee9ac75809ed043da72ffe7e383a379d82442283"
	    "49cf321b167c9301d665aff217f3d98fda43fbcebffb53e1dc6f3f5522b3"
	    "54675abac30f2d55ce7b5dc7a3ffa880c6ad15a9882236b14fe0b80e7646"
	    "39c57e4216590393f846da7dd246b716aee2702b7f925fa1",
	    /* g^b */
	    "c836ee292eccd877c28b26e46fbf27584ca2bb66e46a665ec5cf25dfb3eb"
	    "0ba13292141421faeb4910a8b611bdf42eda3143b1790151fc75a038ed17"
	    "07bea4a2ff4633ea745164337bbdffacb0149a1925ec382aa713d6c5c5f6"
	    "2afed61abc6bf0a1c0a778bac459e22dbb14aa78abbdc2d0559d421b3d55"
	    "625b865d23cc6355067471f0cd1ec53e3c81551f8c5ad9a45701765d15b4"
	    "6a18ea91f21c4110d39be674d97461246eba3120724849d281f1d85c1a9f"
	    "6f0bf367a1761f79fbafc7e1ee4396e03062c5295d3c04238451ba7256e0"
	    "a6f1b301fee7258224d888a9c3b4a5c47808d8caa229d888d9ed7a4b6444"
	    "547265c9405684688173fb48ae6378cf5d49a59759723e286a7ec047113e"
	    "555ac41f6bee8d5b41a5a2886407488f5979e2d60e965e5f577929a7945b"
	    "2caec9fbc87bf4ceea2bb719c9e5bd8e05edbc11cebcd926858bf374543e"
	    "d1e9022fd1bd94f253aac3bec8e30e476d2ee95db407a2c4d4085210eff9"
	    "963de7c033b66e18c4bf3f63036bcd624112c1ba8f7deb79",
	    /* g^ab */
	    "005c426d9a695a2228c791b3d6dcfe644a5de10b2247b5bb5082aba5b089"
	    "0d838586190995147e45bb4dd651c56e7c7477df7b5372aea535496edaf2"
	    "1ca1678c3ef9228fa1c0bfd70856a20bfa7f601e31672cb333212595645e"
	    "328031c75f4de63d4c967d3aad230268d67ca0d3e33eeaae9fda30ff4aea"
	    "a0838b56e9c7cb1cfef0bc975cfbf43e2627bacd096a20a5db504dd86fe3"
	    "f8850fc1faff5a5940a91f75434e2365d2f63798f9d32f876f0ba0a656f4"
	    "32b677cfbacd4e8798d65240ef09485397f4f75eda419d25a259fe2a02f3"
	    "5375478af63982fad737ffbf1a540363034a6482a074d75dc03545266f1e"
	    "586a1b4bae4075670e5de806d6381b2bcf716745d76700120d0b211ccc43"
	    "1f22074ad01efca7ca79218ebeff2455a245b9aa291ce32f58ab4cdfdfa0"
	    "62db33d6b546008ac2b31987f3602c2986a93fd6d56959f4b3cdf4bc068c"
	    "a9cd2fb3c07e5be49e302ed35551c19cc975fd5a3e457547867bd7f66f82"
	    "8ab487ba54f215eec001abcf229eada10ea8f25b2562ff63" },
	{ IKE_DH_MODP4096,
	    /* a */
	    "268fe6cf6cb0abd934823bf30d20f2069b3706ff1b69cd29e7ce6f5bd549"
	    "1763",
	    /* b */
	    "5fee1fbd50594e7403018cb766192ecb5e202c195d65a3dce7ce94d03408"
	    "1b32",
	    /* g^a */
	    "00126954c0cd2286ea9a9c7522a2f50c1dab608830928351c505672e5bcc"
	    "194ebcd5ab874a08c321e4afcc5b58fb259e20c648ac252c692fd90b0532"
	    "02b4b72b3d5d1437b549d99c955d3834f99fbb9c04e14a7cc6cad4a73466"
	    "62f97faddd39375897a784acd9cc9a0cc35e55c0e89f5101d5cee521e5cd"
	    "bbdbbeca8e7ac7eab988d3d4675738219f6836ab380fe6bbdd9ae10213f5"
	    "2ea416d03353f25cce2d52a1f4cffdf6f36e3931f77109fd48e602f19c5b"
	    "1fe4753b9edbdf3d96ec18879b172a660710fbb07508f5ef333609669df8"
	    "0d895c7986eb479b5dff2a2f50a42bfa7549ac83980cbc346a0cd01d4bbf"
	    "3b9eec81723fb9a6d6530eb452dc1518ac8e6d01ff9ec9628a29f872d5f6"
	    "f0b922ac2fed87a95533f08be7938b934393b0a28bc11d972ce7d7882395"
	    "cb7e537a61f02afe2b4faaffb549e8a55ac4711b08d0a24c7c7093bd326f"
	    "696fff6042b4901ca8c4c02a465fc50e25077e6bc65481240c4a93eb4992"
	    "3cdf14d8a0492d88d315ec39b0e449496ea9fca63ae97aa5a9f494f5a69b"
	    "08acdfdd98b902282a6f2fac95ef79624acf5a3671faf6a33d2b63a56048"
	    "a7ed6b3943e95454b0354ce360c7a1a99794565a8fabc52bc6b2155ad23c"
	    "e80ee75444bbe5a4bd60bb762290dafdb25e51427cbabb528522dc8e0fb7"
	    "b3760a3527762a8e6c8dde3825c287dba9fd5f69be7268880c8bfb8ddf6f"
	    "03dd",
	    /* g^b */
	    "422040c65f92c4c3792c957289f6c05ba2c6c4323d141437b1e989f69cb4"
	    "10a650eb9ab135a1f12f3106e728912fac268eefb4993b4549f26ff2bef9"
	    "87013b780a2878430638b17d12c0602ffdfc8c0168ae9b89a4cf65dc8b13"
	    "f0c144ab9a1b15237eec57785236e1ca131f4fcb88853712ab0a75943d38"
	    "ba22849afe21f10da3c99983d7ae80b28d8dc4630dc25f1b4dca72fdc80a"
	    "c4a6e6a3715f201bbf3c66c611cdf24bbdf74234ab64504eda44c88fc016"
	    "adcda3c872638cb66f88288e9095c5db97885275d47ee66d2726fd6ec71c"
	    "750fc52d7e3a9130b923f5804163fbcc87ab62ab397f94481fb7f5163f2f"
	    "8741136dfb632543f19bbf945643c13f7bab1cb011608575bfbc33f1eb46"
	    "b15869245f63152aadd79d23c50efc95e35b27b467fcabfe76ebcf21028f"
	    "792fc7c71912ce07dd67687be5beec8b2f6b8bc1f42a746a1f9b8677101d"
	    "3c7b6274d90069662b4d7bf64a9a3cde48ad853bc8129b02565c9c136083"
	    "62f0feb58127d87d029f2f23222241ce64fea3a743a25174ede8f7bd6ee9"
	    "72138e4dfd22c0bf076091d5dbb291ad38df17f0dc5065a71ed03abef799"
	    "09c1c7b22bb34097d02965987d738e423c458b850165515e24196a27d4c0"
	    "79a6d08ab953bec9a0924c005d8679e132b3800186a2c0b092eaa8275adc"
	    "c3813e53fc5f1add55bee260813b01b44f6b6b57f7457a8bb0387ca8e8e2"
	    "37be",
	    /* g^ab */
	    "00a826a015dbdfe68e44866631a8d7e17716f6fad79aa035b5d9d24fd82b"
	    "6ebb2d95fc774edcecb7f37737f8aa28db9a8f44809a8f60de20a6cb9e6d"
	    "00e7b6f7067dbf8b16ab1dfcb3ebe5919ebcabd5b94687fcc6a4d364adb9"
	    "ead0b9a717ca399f49971b8e5cdb74e1721c2b0bbc85e1f904319e3c9bc0"
	    "ba6d89cf50e7958b3042720cc5af7450ddcc0848715299f854421209d8df"
	    "046d16739e5df724592f064dec41c1a15a3d52361c80fdb3f752a7de3b13"
	    "e19854b41735df8d702c9ddcbf39f91d888178f695751191aade0c726082"
	    "88d6af6a20786f6c8868d5d9d11db75ea138c87deda2f1365b06fb09e8a3"
	    "c20484a027907380c9b727d414edde71d94685c0e0af359e720b7e772812"
	    "20f15aee9cfa420463a5fff63a5ec364650a52c9c3e26556f755fae4401a"
	    "98db300954dfe1b6ec144f0db0e13a5087d6b1607dc2734d8ca46f1f5e1c"
	    "e1d33dfc1cfc83ed01565d32cffee5cf42b081957882c08c876b0c266c4c"
	    "5bb5d7ac5f01f865112721e75c9b77c2eb4c533defca060f967239944704"
	    "9263217aadbb386c81b165866d7cda8d4906f79995d4e2671664fde5ff17"
	    "e0433fd05cb673583738d079584a76a46e8d89ee06a61c1fa281b2d4ad90"
	    "d5328da88ed115193a83c3c759ba60342cf6bfe2d4fa48e9e92c7465c583"
	    "ee22acc4b28b95aa201fcad0310ef50d0b189c4c28b12ae44f301a5d5e87"
	    "e972" },
};

/* ---- SK payload ---- */

struct sk_vec {
	const char		*name;
	struct ike_suite	 suite;
	const char		*ekey, *akey, *iv, *aad, *body;
};

/* SK payloads: body = IV | ciphertext | ICV computed by Python
 * "cryptography" (AES, 3DES, AES-GCM, ChaCha20-Poly1305) and hmac, for
 * 45 bytes of payloads, zero padding and an IKE_AUTH-like header as aad */
static const struct sk_vec sk_vecs[] = {
	{ "AES-CBC-128/HMAC-SHA2-256-128",
	    { IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
	        IKE_INTEG_HMAC_SHA2_256_128, 0 },
	    /* ekey */
	    "c0c27f3c3c8a28eab68c1e20aba2ce71",
	    /* akey */
	    "cfb056e8816a21c5f3e945a1d368305e44913ccc70e91daf305d82034827"
	    "7d93",
	    /* IV */
	    "08fca8d20cef6c267fa35cd32a5e1552",
	    /* aad */
	    "0123456789abcdeffedcba98765432102e20230800000001000000702300"
	    "0054",
	    /* body */
	    "08fca8d20cef6c267fa35cd32a5e15523eb3652fa3c3305d63bb5e3b0016"
	    "cafc0eb97ea4ea8a380f43b14d7be368ccf48cc8c22218f954d2f3179686"
	    "515f4eb950b747838aa65c46ebb2a564f6eddaf3" },
	{ "AES-CBC-256/HMAC-SHA1-96",
	    { IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA1,
	        IKE_INTEG_HMAC_SHA1_96, 0 },
	    /* ekey */
	    "ef325059d69ad48d0ea785a0b1c320bcd7370374c002ace6d18c109d4fa6"
	    "25e2",
	    /* akey */
	    "0000624498927def4a91eb06ffba559ca367bfde",
	    /* IV */
	    "a937b9cbaf16a6fb451e59c8334a0004",
	    /* aad */
	    "0123456789abcdeffedcba98765432102e202308000000010000006c2300"
	    "0050",
	    /* body */
	    "a937b9cbaf16a6fb451e59c8334a0004cdd3075b51b0fb49f167bba0a729"
	    "724ee097f2daa43787394735b0b39602cc908935d5ab3ce575bcf6115338"
	    "c5240cb5c64284ccab79e379346d4e13" },
	{ "3DES/HMAC-SHA1-96",
	    { IKE_ENCR_3DES, 0, IKE_PRF_HMAC_SHA1, IKE_INTEG_HMAC_SHA1_96, 0 },
	    /* ekey */
	    "b586f89f433716cd9338b40e0d950cd45ccfd39786202760",
	    /* akey */
	    "ad4061ceeda2aaf721311f2cf4cda3c32dced251",
	    /* IV */
	    "2993ac7c35796e72",
	    /* aad */
	    "0123456789abcdeffedcba98765432102e20230800000001000000642300"
	    "0048",
	    /* body */
	    "2993ac7c35796e728a829280fc51cee709b334603430a5134dfffaa1cd26"
	    "ae63178e0574b643fdf58cfadaec20f460e48a953bef37094f84b1d992d3"
	    "6c7d81cfdec847f7" },
	{ "AES-CBC-192/HMAC-SHA2-512-256",
	    { IKE_ENCR_AES_CBC, 192, IKE_PRF_HMAC_SHA2_512,
	        IKE_INTEG_HMAC_SHA2_512_256, 0 },
	    /* ekey */
	    "183a9f0c2d6caa1ed1139aaa4a21dda22465cb3ddb0f772b",
	    /* akey */
	    "1b3fdd79d5c50b9765974fcfe815c7babdf4c4fcd0b8a6502a772e2733b9"
	    "b309cb9f5217bb414359f28853eba74312bb08b562d9ca4ef0b2610ced2c"
	    "fc6c884d",
	    /* IV */
	    "03beea16dfe725cc721e9b819d58c90c",
	    /* aad */
	    "0123456789abcdeffedcba98765432102e20230800000001000000802300"
	    "0064",
	    /* body */
	    "03beea16dfe725cc721e9b819d58c90ca237a17d5df75e3c1769ada90fb7"
	    "4298dab9c7d2dc2aa7e54e7c13393df13854ba5b64e58ab1308d6a81a5d6"
	    "ce9c5093d473e1dabd2fd250ebfcb04708878cb4ef58699080f3597ffc59"
	    "3973b1e20d7f" },
	{ "AES-CBC-256/HMAC-SHA2-384-192",
	    { IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_384,
	        IKE_INTEG_HMAC_SHA2_384_192, 0 },
	    /* ekey */
	    "7ebe9b8a247d0d64221d205165890966f78952fdcc06e8c02f8c5f24545b"
	    "d698",
	    /* akey */
	    "c30aa08dd7489a25dbf4d37eab9458a5f72a7475e39c50e343a8f859365a"
	    "bdea84882c1043e2e44ce3db57b0d1f0b64b",
	    /* IV */
	    "64e06a79b3ecea9ac178169c3a6c2eb3",
	    /* aad */
	    "0123456789abcdeffedcba98765432102e20230800000001000000782300"
	    "005c",
	    /* body */
	    "64e06a79b3ecea9ac178169c3a6c2eb324d2778ba5bca77c19d7d459c1b4"
	    "5a60b66bbeddf503012384c38879a0fcd2ddad3ecc8e30df503e94cc0471"
	    "3887e78a22004d5a597b29c638bf0cdb38549342583e5677aed3bb3e" },
	{ "AES-GCM-16-128",
	    { IKE_ENCR_AES_GCM_16, 128, IKE_PRF_HMAC_SHA2_256,
	        IKE_INTEG_NONE, 0 },
	    /* ekey */
	    "d69851cdd91a38266e6e3568e80c49638c2495fc",
	    /* akey */
	    "",
	    /* IV */
	    "4792966c1e8593ad",
	    /* aad */
	    "0123456789abcdeffedcba98765432102e20230800000001000000662300"
	    "004a",
	    /* body */
	    "4792966c1e8593ada30b9e1ec18146ac492d2545c55b4616306af1ceb198"
	    "09c12417dbc92b877d7842f4e3fb54685f92ea64d128159cc64b5d51cc6c"
	    "66d8b9c96278f1a956bb" },
	{ "AES-GCM-16-256",
	    { IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256,
	        IKE_INTEG_NONE, 0 },
	    /* ekey */
	    "3a71555e331c70188d58a26a2b02a4456682c5385bbae5eb1f8704fea8f6"
	    "ebfd2208e605",
	    /* akey */
	    "",
	    /* IV */
	    "57dc2afd0f7b7c2b",
	    /* aad */
	    "0123456789abcdeffedcba98765432102e20230800000001000000662300"
	    "004a",
	    /* body */
	    "57dc2afd0f7b7c2bb9888dda44dfcb8b660f70e4e28e38d5315f918ab839"
	    "0901b6a1c38874334452087e32286feae9afa73eee141a3d111de1fa473d"
	    "8389decf3c5af7479097" },
	{ "ChaCha20-Poly1305",
	    { IKE_ENCR_CHACHA20_POLY1305, 0, IKE_PRF_HMAC_SHA2_256,
	        IKE_INTEG_NONE, 0 },
	    /* ekey */
	    "613f529499ce55f4a3f99aabd384e95712d56feed6c665d3d3f828f8aa99"
	    "fcd096a4b595",
	    /* akey */
	    "",
	    /* IV */
	    "28571494b05cd56a",
	    /* aad */
	    "0123456789abcdeffedcba98765432102e20230800000001000000662300"
	    "004a",
	    /* body */
	    "28571494b05cd56a6285cafcad5eb1a61a3a45dad37328745ad8f4c3db4c"
	    "cc80d9c12b74452fa468542fd8a896058e192905867cb838a9ab2b4b0159"
	    "925eab2f59af6cdac068" },
};
static const char sk_plain[] =
	    "963e0a1418b81cb711f558e73088764ca1a32b23e09cd3cc9e73f44af675"
	    "80e347c21a831d751ac8030ed9eb04";

/* McGrew/Viega GCM test case 4 (K, IV = salt | IV, P, A, C | T): opened
 * as an IKE SK payload the last plaintext byte, 0x39, is the pad length. */
static const struct {
	const char	*key, *iv, *aad, *plain, *body;
	size_t		 plen;
} gcm_tc4 = {
	"feffe9928665731c6d6a8f9467308308" "cafebabe",
	"facedbaddecaf888",
	"feedfacedeadbeeffeedfacedeadbeefabaddad2",
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a31"
	"8a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	"facedbaddecaf888"
	"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329ac"
	"a12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
	"5bc94fbc3221a5db94fae95ae7121a47",
	60 - 1 - 0x39,
};

/* RFC 8439 2.8.2: nonce = 07000000 | 4041424344454647; the last plaintext
 * byte, '.', is the pad length. */
static const struct {
	const char	*key, *aad, *plain, *body;
	size_t		 plen;
} chacha_rfc8439 = {
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d"
	"9e9f"
	"07000000",
	"50515253c0c1c2c3c4c5c6c7",
	"Ladies and Gentlemen of the class of '99: If I could offer you only "
	    "one tip for the future, sunscreen would be it.",
	"4041424344454647"
	"d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee"
	"62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b6"
	"7ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585"
	"808b4831d7bc3ff4def08e4b7a9de576d26586cec64b61161ae10b594f09"
	"e26a7e902ecbd0600691",
	114 - 1 - '.',
};

/* SP 800-38A F.2.1 and F.2.5 (CBC-AES128/256 encrypt) opened as SK
 * payloads with HMAC-SHA2-256-128 ICVs from Python hmac over aad 40..5f,
 * IV and ciphertext, key 80..9f. The last plaintext byte, 0x10, is the
 * pad length. */
static const char sp800_38a_plain[] =
	"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af"
	"8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417b"
	"e66c3710";
static const struct {
	uint16_t	 keybits;
	const char	*key, *body;
} sp800_38a[] = {
	{ 128, "2b7e151628aed2a6abf7158809cf4f3c",
	    "000102030405060708090a0b0c0d0e0f"
	    "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a9176"
	    "78b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca30"
	    "7586e1a7"
	    "1a3f560c70844ee9c28c60e77e6ac6ec" },
	{ 256, "603deb1015ca71be2b73aef0857d7781"
	    "1f352c073b6108d72d9810a30914dff4",
	    "000102030405060708090a0b0c0d0e0f"
	    "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc670"
	    "2c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c1907"
	    "8c6a9d1b"
	    "96cbc2f97ebb9551bcce660d3e74777f" },
};

struct pad_vec {
	int		 aead;
	int		 padlen;
	int		 ok;
	const char	*body;
};

/* Pad length edge cases: ciphertexts of crafted plaintexts whose last
 * byte is the given pad length, by Python "cryptography" and hmac. The key
 * material is 10..1f (CBC; integrity key 80..9f) or 20..33 (GCM), the aad
 * 40..5f. */
static const struct pad_vec pad_vecs[] = {
	{ 0, 31, 1,
	    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfaacab863c7d17219de7c98e9ea60"
	    "a331fa162a170203ff76b0d9ed92e3cd9650ad9d7aa785b931b67d2065f1"
	    "1a8cd73a" },
	{ 0, 32, 0,
	    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfaacab863c7d17219de7c98e9ea60"
	    "a33164a52b4cd5d70d98f66db0de3a57e41aedd0696695ee983f071e42e3"
	    "03840fa8" },
	{ 0, 255, 0,
	    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfaacab863c7d17219de7c98e9ea60"
	    "a331067c9a751226a5f121f5e9c8d6016c1c28afece52813da564b3bb3aa"
	    "45e6ab49" },
	{ 1, 19, 1,
	    "d0d1d2d3d4d5d6d783ab9e177cbe3bce4322aa06aa733834a5ff3ae9d7ec"
	    "60cb5408cdefbc4d347b921cec3a" },
	{ 1, 20, 0,
	    "d0d1d2d3d4d5d6d783ab9e177cbe3bce4322aa06aa733834a5ff3aee58cd"
	    "ba0c6baa133df33daf081a2b7cb6" },
	{ 1, 255, 0,
	    "d0d1d2d3d4d5d6d783ab9e177cbe3bce4322aa06aa733834a5ff3a0532e2"
	    "dc4d7bbaf88efe9f0b7a5923bcd1" },
};

/* ---- PSK authentication ---- */

struct psk_vec {
	uint16_t	 prf;
	const char	*psk;		/* text */
	const char	*msg, *nonce, *sk_p, *idbody, *auth;
};

/* PSK AUTH (RFC 7296 2.15), expected values from Python hmac */
static const struct psk_vec psk_vecs[] = {
	{ IKE_PRF_HMAC_SHA2_256, "correct horse battery staple",
	    /* message */
	    "0620e3146739457ba85cc851ac3fb45d63f719867f31ad12b0babdfd3150"
	    "f3a3166250c0a211c09e9a3be5cc71ebab238a8f657916b1b2d97713fd48"
	    "9c0e25a358eb85c921ef747f00e318cbf46fe2dc41cd0657240cd7174ef4"
	    "6873d5e6773211b05854459a528f0dfe96a9810ef46ee8bd11d89c648848"
	    "2a66fe4ab9a4fda8ff5253678fda6320b9cfce1f3ad519ae7cc8f0fe4cca"
	    "2d968171d0f01df1a92fa3b26d9015cbf9ce99c7b2983e0c5138598e5b21"
	    "263828d33b1f6c2567f43687cff656b5cc7446be8ce1ca08b9fd23e1f9d2"
	    "366e32ec29ecd8963101a4cad4d22267706d822ccbb66ba2ee0a6b878fa6"
	    "21282daeab4a0697820a43c80d378ec6baab6f0ad14b836f97ce0078d27a"
	    "70cea7c58f8f2bc4e4ee1165b913eb2f52f4f661f9efd35b48849aa0a4d4",
	    /* nonce */
	    "ac941b6a8c58f1efbd627e2794b065f7218e0342d71c485866b3f3525aeb"
	    "e679",
	    /* SK_p */
	    "63d729ba4715752ca069c49129d7dd10a050bdccaad53327c2310af3959c"
	    "09ca",
	    /* ID payload body: FQDN initiator.example.net */
	    "02000000696e69746961746f722e6578616d706c652e6e6574",
	    /* AUTH */
	    "262a513cf7e62a8aef32a41c63bfa4382e0738610170471a7c3e28304f68"
	    "62e2" },
	{ IKE_PRF_HMAC_SHA1, "correct horse battery staple",
	    /* message */
	    "9c7f49edfff7e3d3d841530b4beb9c67410292dea605515e7567057e1dd5"
	    "93841d50418c95fe376bbe875ea78300d6ff72e12d94f550d0d3a2879c1e"
	    "e68ff59d9977c49bdca67a52bad6286b4018a3a9e7e3751033040c4c2360"
	    "ff82eb1d0b6f6cab8176c20683dad4cede84d89c15f1d022332c2bffb87e"
	    "ea1b024dcb81be8b1cbc7ff7764153a7494524bd54b167ccdac04b5674fc"
	    "d6078576598c6dd9c455fd171ddea9e5314a4492a5b52af17c1bf6ff2259"
	    "f2da784d5abb338350d7afc67ae471dd1011a460856a73c4ab7464233c5a"
	    "d95cba114064afac4647b04a2f10fdecc6416efc69d154690e082cab850a"
	    "d9238dc1197d457af1993c02bd64720b3b99faa6f1898fa2acda601723a1"
	    "616576720433e887d91d2de86c7b46cc2b6911a56cf4c85646b4f058be0b",
	    /* nonce */
	    "563cdc4f18bd9bc172c4f4941d6f7721c60501c89473d399c436dc4d0ba4"
	    "fa3b",
	    /* SK_p */
	    "d65cb54768350d69545bf01c8881805e7ae96bbc",
	    /* ID payload body: FQDN initiator.example.net */
	    "02000000696e69746961746f722e6578616d706c652e6e6574",
	    /* AUTH */
	    "825683589f328ee3232c889aae24ff445e6aafd4" },
	{ IKE_PRF_HMAC_SHA2_512, "correct horse battery staple",
	    /* message */
	    "44013484c7f830137400b32b814a0bbca052b2f300bd03a1fff4f76b416e"
	    "16dec7092a9d3e5be9d89a698293e48d672093bdab824db8119e3f7cc582"
	    "c95c9ecf6b211ede6fce9c956030a6e42331efab905525377fd691b77f65"
	    "9bfed9b4ddfe12a2c81934f27cb5f2a7062bf7bca1ca467f37f230d51bad"
	    "b2265210961a1445307b507fb66f9c3b7db158dffc27aee97af105a8da57"
	    "dc333fe5997fc6ca8c73c04a0701f3b53243cc25e9a94d25465f14746597"
	    "96e4d647d602058b63d52340f3c654c705fa069fbc5af00767e6d56d423a"
	    "f4d917df89b90d7578bdb1b7b0df7e5b8224556d290d53e826483435794d"
	    "68eec99507cf708ae19e031c3f24ad2a95d1e9cf9e6824956e303c02a5f9"
	    "ce7e8eda5937858a1b0fdf0a117855e3759a86711cedf3868bc1e0dead29",
	    /* nonce */
	    "320274786bcce51b06efca1b4e3a0921b99477f6674864e2e19f3adbf39e"
	    "9ddf",
	    /* SK_p */
	    "e9a6d670ad7cefe8f121dff29eb70659f8dcaa62f8009d9470ff1e8e3908"
	    "f8d5e516b26c47228921dc9e54b892eb927a3a6b734dc57f53354f3de83f"
	    "380ac51b",
	    /* ID payload body: FQDN initiator.example.net */
	    "02000000696e69746961746f722e6578616d706c652e6e6574",
	    /* AUTH */
	    "0e4746d0cba3842e3fae12e16e9ad6f9f77816a8f7dc57fd51a58f9aaf43"
	    "891e80e5e74e03bca7482328cb0f36c4bcd86b557158020a79d37a1162a9"
	    "9862833c" },
};

/* ======== tests: PRF ======== */

static size_t
case_bytes(const char *hex, const char *text, uint8_t fill, size_t n,
    uint8_t *out, size_t max)
{
	if (hex != NULL)
		return unhex(hex, out, max);
	if (text != NULL) {
		n = strlen(text);
		ck_assert_uint_le(n, max);
		memcpy(out, text, n);
		return n;
	}
	ck_assert_uint_le(n, max);
	memset(out, fill, n);
	return n;
}

START_TEST(test_hmac_vectors)
{
	const struct hmac_case *c = &hmac_cases[_i];
	uint8_t		 key[256], data[256], out[IKE_KEY_MAX];
	size_t		 klen, dlen, j;
	char		 what[96];

	klen = case_bytes(c->key, NULL, c->kfill, c->kn, key, sizeof(key));
	dlen = case_bytes(NULL, c->data, c->dfill, c->dn, data, sizeof(data));
	for (j = 0; j < NITEMS(hmac_prfs); j++) {
		if (c->mac[j] == NULL)
			continue;
		snprintf(what, sizeof(what), "%s, PRF %u", c->name,
		    hmac_prfs[j]);
		ck_assert_int_eq(ike_prf(hmac_prfs[j], key, klen, data, dlen,
		    out), 0);
		check_hex(what, out, ike_prf_len(hmac_prfs[j]), c->mac[j]);
	}
}
END_TEST

START_TEST(test_transform_sizes)
{
	struct ike_encr_info	 ei;

	ck_assert_uint_eq(ike_prf_len(IKE_PRF_HMAC_SHA1), 20);
	ck_assert_uint_eq(ike_prf_len(IKE_PRF_HMAC_SHA2_256), 32);
	ck_assert_uint_eq(ike_prf_len(IKE_PRF_HMAC_SHA2_384), 48);
	ck_assert_uint_eq(ike_prf_len(IKE_PRF_HMAC_SHA2_512), 64);
	ck_assert_uint_eq(ike_prf_len(IKE_PRF_HMAC_MD5), 0);
	ck_assert_uint_eq(ike_prf_len(99), 0);
	ck_assert_uint_eq(ike_integ_key_len(IKE_INTEG_HMAC_SHA1_96), 20);
	ck_assert_uint_eq(ike_integ_icv_len(IKE_INTEG_HMAC_SHA1_96), 12);
	ck_assert_uint_eq(ike_integ_key_len(IKE_INTEG_HMAC_SHA2_256_128), 32);
	ck_assert_uint_eq(ike_integ_icv_len(IKE_INTEG_HMAC_SHA2_256_128), 16);
	ck_assert_uint_eq(ike_integ_key_len(IKE_INTEG_HMAC_SHA2_384_192), 48);
	ck_assert_uint_eq(ike_integ_icv_len(IKE_INTEG_HMAC_SHA2_384_192), 24);
	ck_assert_uint_eq(ike_integ_key_len(IKE_INTEG_HMAC_SHA2_512_256), 64);
	ck_assert_uint_eq(ike_integ_icv_len(IKE_INTEG_HMAC_SHA2_512_256), 32);
	ck_assert_uint_eq(ike_integ_key_len(IKE_INTEG_NONE), 0);
	ck_assert_uint_eq(ike_integ_icv_len(IKE_INTEG_NONE), 0);
	ck_assert(ike_integ_supported(IKE_INTEG_NONE));
	ck_assert(ike_integ_supported(IKE_INTEG_HMAC_SHA2_512_256));
	ck_assert(!ike_integ_supported(IKE_INTEG_HMAC_MD5_96));
	ck_assert_uint_eq(ike_integ_key_len(IKE_INTEG_HMAC_MD5_96), 0);

	ck_assert_int_eq(ike_encr_info(IKE_ENCR_AES_CBC, 192, &ei), 0);
	ck_assert(!ei.aead && ei.key_len == 24 && ei.iv_len == 16 &&
	    ei.block == 16 && ei.salt_len == 0 && ei.icv_len == 0);
	ck_assert_int_eq(ike_encr_info(IKE_ENCR_3DES, 0, &ei), 0);
	ck_assert(!ei.aead && ei.key_len == 24 && ei.iv_len == 8 &&
	    ei.block == 8);
	ck_assert_int_eq(ike_encr_info(IKE_ENCR_AES_GCM_16, 192, &ei), 0);
	ck_assert(ei.aead && ei.key_len == 28 && ei.salt_len == 4 &&
	    ei.iv_len == 8 && ei.icv_len == 16 && ei.block == 1);
	ck_assert_int_eq(ike_encr_info(IKE_ENCR_CHACHA20_POLY1305, 0, &ei), 0);
	ck_assert(ei.aead && ei.key_len == 36 && ei.salt_len == 4 &&
	    ei.iv_len == 8 && ei.icv_len == 16);
	ck_assert_int_eq(ike_encr_info(IKE_ENCR_CHACHA20_POLY1305, 256, &ei),
	    0);
	ck_assert_int_eq(ike_encr_info(IKE_ENCR_CHACHA20_POLY1305, 128, &ei),
	    -1);
	ck_assert_int_eq(ike_encr_info(IKE_ENCR_AES_CBC, 0, &ei), -1);
	ck_assert_int_eq(ike_encr_info(IKE_ENCR_AES_CBC, 64, &ei), -1);
	ck_assert_int_eq(ike_encr_info(IKE_ENCR_AES_GCM_16, 0, &ei), -1);
	ck_assert_int_eq(ike_encr_info(IKE_ENCR_3DES, 192, &ei), -1);
	ck_assert_int_eq(ike_encr_info(IKE_ENCR_NULL, 0, &ei), -1);
}
END_TEST

static void
prfplus_inputs(uint8_t k[32], uint8_t s[48])
{
	int	 i;

	for (i = 0; i < 32; i++)
		k[i] = (uint8_t)i;
	for (i = 0; i < 48; i++)
		s[i] = (uint8_t)(0xa0 + i);
}

START_TEST(test_prf_plus_vectors)
{
	const struct prfplus_vec *v = &prfplus_vecs[_i];
	uint8_t		 k[32], s[48], out[256];

	prfplus_inputs(k, s);
	ck_assert_int_eq(ike_prf_plus(v->prf, k, sizeof(k), s, sizeof(s), out,
	    v->len), 0);
	check_hex("prf+", out, v->len, v->out);
}
END_TEST

/* Shorter outputs are prefixes; 255 blocks is the limit (RFC 7296 2.13). */
START_TEST(test_prf_plus_limits)
{
	uint8_t		 k[32], s[48], part[255 * 32];
	uint8_t		 full[255 * 32 + 1];
	size_t		 n;

	prfplus_inputs(k, s);
	ck_assert_int_eq(ike_prf_plus(IKE_PRF_HMAC_SHA2_256, k, sizeof(k), s,
	    sizeof(s), full, 255 * 32), 0);
	for (n = 1; n < 255 * 32; n += 97) {
		ck_assert_int_eq(ike_prf_plus(IKE_PRF_HMAC_SHA2_256, k,
		    sizeof(k), s, sizeof(s), part, n), 0);
		ck_assert_mem_eq(part, full, n);
	}
	check_hex("prf+ 100", full, 100, prfplus_vecs[1].out);
	memset(full, 0xa5, sizeof(full));
	ck_assert_int_eq(ike_prf_plus(IKE_PRF_HMAC_SHA2_256, k, sizeof(k), s,
	    sizeof(s), full, 255 * 32 + 1), -1);
	ck_assert(all_zero(full, sizeof(full)));
	ck_assert_int_eq(ike_prf_plus(IKE_PRF_HMAC_MD5, k, sizeof(k), s,
	    sizeof(s), part, 16), -1);
	ck_assert_int_eq(ike_prf(99, k, sizeof(k), s, sizeof(s), part), -1);
}
END_TEST

/* ======== tests: key derivation ======== */

static void
keys_concat(const struct ike_keys *k, uint8_t *out, size_t *len)
{
	uint8_t	*p = out;

	memcpy(p, k->sk_d, k->d_len);
	memcpy(p += k->d_len, k->sk_ai, k->a_len);
	memcpy(p += k->a_len, k->sk_ar, k->a_len);
	memcpy(p += k->a_len, k->sk_ei, k->e_len);
	memcpy(p += k->e_len, k->sk_er, k->e_len);
	memcpy(p += k->e_len, k->sk_pi, k->p_len);
	memcpy(p += k->p_len, k->sk_pr, k->p_len);
	*len = (size_t)(p + k->p_len - out);
}

START_TEST(test_kdf_cavp)
{
	const struct ike_suite	 s = { IKE_ENCR_AES_CBC, 128,
				    IKE_PRF_HMAC_SHA1, IKE_INTEG_HMAC_SHA1_96,
				    IKE_DH_MODP2048 };
	struct ike_keys		 k, r;
	uint8_t			 ni[8], nr[8], nn[16], gir[32], girn[32];
	uint8_t			 spii[8], spir[8], seed[20], buf[7 * 64];
	uint8_t			 in[32 + 16];
	size_t			 len;

	ck_assert_uint_eq(unhex(cavp.ni, ni, sizeof(ni)), 8);
	ck_assert_uint_eq(unhex(cavp.nr, nr, sizeof(nr)), 8);
	ck_assert_uint_eq(unhex(cavp.gir, gir, sizeof(gir)), 32);
	ck_assert_uint_eq(unhex(cavp.gir_new, girn, sizeof(girn)), 32);
	ck_assert_uint_eq(unhex(cavp.spii, spii, sizeof(spii)), 8);
	ck_assert_uint_eq(unhex(cavp.spir, spir, sizeof(spir)), 8);
	/* SKEYSEED = prf(Ni | Nr, g^ir) */
	memcpy(nn, ni, 8);
	memcpy(nn + 8, nr, 8);
	ck_assert_int_eq(ike_prf(IKE_PRF_HMAC_SHA1, nn, 16, gir, 32, seed), 0);
	check_hex("SKEYSEED", seed, 20, cavp.skeyseed);
	/* 132 bytes of DKM: SK_d 20, SK_a 2 x 20, SK_e 2 x 16, SK_p 2 x 20 */
	ck_assert_int_eq(ike_keys_derive(&s, ni, 8, nr, 8, gir, 32, spii, spir,
	    &k), 0);
	ck_assert(k.d_len == 20 && k.a_len == 20 && k.e_len == 16 &&
	    k.p_len == 20);
	keys_concat(&k, buf, &len);
	check_hex("DKM", buf, len, cavp.dkm);
	ck_assert_int_eq(ike_child_keymat(IKE_PRF_HMAC_SHA1, k.sk_d, k.d_len,
	    NULL, 0, ni, 8, nr, 8, buf, 132), 0);
	check_hex("DKM(Child SA)", buf, 132, cavp.dkm_child);
	ck_assert_int_eq(ike_child_keymat(IKE_PRF_HMAC_SHA1, k.sk_d, k.d_len,
	    girn, 32, ni, 8, nr, 8, buf, 132), 0);
	check_hex("DKM(Child SA D-H)", buf, 132, cavp.dkm_child_dh);
	/* SKEYSEED(Rekey) = prf(SK_d (old), g^ir (new) | Ni | Nr) */
	memcpy(in, girn, 32);
	memcpy(in + 32, nn, 16);
	ck_assert_int_eq(ike_prf(IKE_PRF_HMAC_SHA1, k.sk_d, k.d_len, in,
	    sizeof(in), seed), 0);
	check_hex("SKEYSEED(Rekey)", seed, 20, cavp.skeyseed_rekey);
	ck_assert_int_eq(ike_keys_rekey(&s, IKE_PRF_HMAC_SHA1, k.sk_d, k.d_len,
	    ni, 8, nr, 8, girn, 32, spii, spir, &r), 0);
	keys_concat(&r, buf, &len);
	check_hex("rekey DKM", buf, len, cavp_rekey_dkm);
	ike_keys_clear(&k);
	ike_keys_clear(&r);
	ck_assert(all_zero((uint8_t *)&k, sizeof(k)));
}
END_TEST

struct kdf_in {
	uint8_t		 ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	uint8_t		 gir[IKE_DH_SECRET_MAX], spii[8], spir[8];
	size_t		 nilen, nrlen, girlen;
};

static void
kdf_in(const struct kdf_vec *v, struct kdf_in *in)
{
	in->nilen = unhex(v->ni, in->ni, sizeof(in->ni));
	in->nrlen = unhex(v->nr, in->nr, sizeof(in->nr));
	in->girlen = unhex(v->gir, in->gir, sizeof(in->gir));
	ck_assert_uint_eq(unhex(v->spii, in->spii, 8), 8);
	ck_assert_uint_eq(unhex(v->spir, in->spir, 8), 8);
}

static void
kdf_check(const struct kdf_vec *v, const struct ike_keys *k)
{
	ck_assert_uint_eq(k->d_len, ike_prf_len(v->suite.prf));
	ck_assert_uint_eq(k->p_len, ike_prf_len(v->suite.prf));
	ck_assert_uint_eq(k->a_len, ike_integ_key_len(v->suite.integ));
	check_hex("SK_d", k->sk_d, k->d_len, v->sk_d);
	check_hex("SK_ai", k->sk_ai, k->a_len, v->sk_ai);
	check_hex("SK_ar", k->sk_ar, k->a_len, v->sk_ar);
	check_hex("SK_ei", k->sk_ei, k->e_len, v->sk_ei);
	check_hex("SK_er", k->sk_er, k->e_len, v->sk_er);
	check_hex("SK_pi", k->sk_pi, k->p_len, v->sk_pi);
	check_hex("SK_pr", k->sk_pr, k->p_len, v->sk_pr);
}

START_TEST(test_kdf_vectors)
{
	const struct kdf_vec	*v = &kdf_vecs[_i];
	struct kdf_in		 in;
	struct ike_keys		 k;

	kdf_in(v, &in);
	ck_assert_int_eq(ike_keys_derive(&v->suite, in.ni, in.nilen, in.nr,
	    in.nrlen, in.gir, in.girlen, in.spii, in.spir, &k), 0);
	kdf_check(v, &k);
}
END_TEST

/* The old SA's PRF makes SKEYSEED, the new suite's PRF expands it. */
START_TEST(test_kdf_rekey)
{
	struct kdf_in		 old, in;
	struct ike_keys		 k, r;
	uint8_t			 d[IKE_KEY_MAX];

	kdf_in(&kdf_vecs[0], &old);
	ck_assert_int_eq(ike_keys_derive(&kdf_vecs[0].suite, old.ni, old.nilen,
	    old.nr, old.nrlen, old.gir, old.girlen, old.spii, old.spir, &k), 0);
	kdf_in(&rekey_vec, &in);
	ck_assert_int_eq(ike_keys_rekey(&rekey_vec.suite,
	    kdf_vecs[0].suite.prf, k.sk_d, k.d_len, in.ni, in.nilen, in.nr,
	    in.nrlen, in.gir, in.girlen, in.spii, in.spir, &r), 0);
	kdf_check(&rekey_vec, &r);
	/* the new PRF for SKEYSEED too gives other keys */
	ck_assert_int_eq(ike_keys_rekey(&rekey_vec.suite,
	    rekey_vec.suite.prf, k.sk_d, k.d_len, in.ni, in.nilen, in.nr,
	    in.nrlen, in.gir, in.girlen, in.spii, in.spir, &r), 0);
	ck_assert_uint_eq(unhex(rekey_vec.sk_d, d, sizeof(d)), r.d_len);
	ck_assert_mem_ne(r.sk_d, d, r.d_len);
	/* no g^ir: refused (RFC 7296 1.3.2) */
	ck_assert_int_eq(ike_keys_rekey(&rekey_vec.suite,
	    kdf_vecs[0].suite.prf, k.sk_d, k.d_len, in.ni, in.nilen, in.nr,
	    in.nrlen, NULL, 0, in.spii, in.spir, &r), -1);
	ck_assert(all_zero((uint8_t *)&r, sizeof(r)));
}
END_TEST

START_TEST(test_child_keymat)
{
	struct kdf_in		 a, rk;
	struct ike_keys		 k;
	uint8_t			 out[128];

	kdf_in(&kdf_vecs[0], &a);
	kdf_in(&rekey_vec, &rk);
	ck_assert_int_eq(ike_keys_derive(&kdf_vecs[0].suite, a.ni, a.nilen,
	    a.nr, a.nrlen, a.gir, a.girlen, a.spii, a.spir, &k), 0);
	ck_assert_int_eq(ike_child_keymat(IKE_PRF_HMAC_SHA2_256, k.sk_d,
	    k.d_len, NULL, 0, a.ni, a.nilen, a.nr, a.nrlen, out,
	    sizeof(out)), 0);
	check_hex("KEYMAT", out, sizeof(out), child_keymat);
	ck_assert_int_eq(ike_child_keymat(IKE_PRF_HMAC_SHA2_256, k.sk_d,
	    k.d_len, rk.gir, rk.girlen, a.ni, a.nilen, a.nr, a.nrlen, out,
	    sizeof(out)), 0);
	check_hex("KEYMAT (PFS)", out, sizeof(out), child_keymat_pfs);
	ck_assert_int_eq(ike_child_keymat(IKE_PRF_HMAC_MD5, k.sk_d, k.d_len,
	    NULL, 0, a.ni, a.nilen, a.nr, a.nrlen, out, sizeof(out)), -1);
	ck_assert(all_zero(out, sizeof(out)));
}
END_TEST

START_TEST(test_kdf_bad_input)
{
	static const struct ike_suite bad[] = {
		/* AEAD with an integrity transform */
		{ IKE_ENCR_AES_GCM_16, 128, IKE_PRF_HMAC_SHA2_256,
		    IKE_INTEG_HMAC_SHA2_256_128, 0 },
		/* CBC without one */
		{ IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
		    IKE_INTEG_NONE, 0 },
		{ IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_MD5,
		    IKE_INTEG_HMAC_SHA2_256_128, 0 },
		{ IKE_ENCR_AES_CBC, 0, IKE_PRF_HMAC_SHA2_256,
		    IKE_INTEG_HMAC_SHA2_256_128, 0 },
		{ IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
		    IKE_INTEG_HMAC_MD5_96, 0 },
	};
	struct kdf_in		 in;
	struct ike_keys		 k;
	size_t			 i;

	kdf_in(&kdf_vecs[0], &in);
	for (i = 0; i < NITEMS(bad); i++) {
		memset(&k, 0xa5, sizeof(k));
		ck_assert_int_eq(ike_keys_derive(&bad[i], in.ni, in.nilen,
		    in.nr, in.nrlen, in.gir, in.girlen, in.spii, in.spir, &k),
		    -1);
		ck_assert(all_zero((uint8_t *)&k, sizeof(k)));
	}
	ck_assert_int_eq(ike_keys_derive(&kdf_vecs[0].suite, in.ni,
	    IKE_NONCE_MAX + 1, in.nr, in.nrlen, in.gir, in.girlen, in.spii,
	    in.spir, &k), -1);
	ck_assert_int_eq(ike_keys_derive(&kdf_vecs[0].suite, in.ni, 0, in.nr,
	    in.nrlen, in.gir, in.girlen, in.spii, in.spir, &k), -1);
	ck_assert_int_eq(ike_keys_derive(&kdf_vecs[0].suite, in.ni, in.nilen,
	    in.nr, in.nrlen, in.gir, 0, in.spii, in.spir, &k), -1);
}
END_TEST

/* ======== tests: Diffie-Hellman ======== */

static const uint16_t all_groups[] = {
	IKE_DH_MODP768, IKE_DH_MODP1024, IKE_DH_MODP1536, IKE_DH_MODP2048,
	IKE_DH_MODP3072, IKE_DH_MODP4096, IKE_DH_ECP256, IKE_DH_ECP384,
	IKE_DH_ECP521, IKE_DH_CURVE25519
};

/* g^ir: as long as p (MODP), x (ECP) or 32 bytes (X25519) */
static size_t
secret_len(uint16_t g)
{
	size_t	 len = ike_dh_public_len(g);

	return g <= IKE_DH_MODP4096 ? len : g == IKE_DH_CURVE25519 ? 32 :
	    len / 2;
}

static struct ike_dh *
dh_from_hex(uint16_t group, const char *priv)
{
	uint8_t		 x[IKE_DH_PUB_MAX];
	struct ike_dh	*dh;

	dh = ike_dh_new_private(group, x, unhex(priv, x, sizeof(x)));
	ck_assert_ptr_nonnull(dh);
	ck_assert_uint_eq(ike_dh_group(dh), group);
	return dh;
}

/* Our public value is pub; with the peer's public value the shared
 * secret is gxy. */
static void
dh_check(struct ike_dh *dh, const char *pub, const char *peer,
    const char *gxy)
{
	uint8_t		 buf[IKE_DH_PUB_MAX], p[IKE_DH_PUB_MAX];
	uint8_t		 s[IKE_DH_SECRET_MAX];
	size_t		 plen, slen, len;

	len = ike_dh_public_len(ike_dh_group(dh));

	ck_assert_int_eq(ike_dh_public(dh, buf, len), 0);
	check_hex("public value", buf, len, pub);
	plen = unhex(peer, p, sizeof(p));
	/* *outlen is the room on entry */
	slen = secret_len(ike_dh_group(dh)) - 1;
	ck_assert_int_eq(ike_dh_shared(dh, p, plen, s, &slen), -1);
	ck_assert_uint_eq(slen, 0);
	slen = secret_len(ike_dh_group(dh));
	ck_assert_int_eq(ike_dh_shared(dh, p, plen, s, &slen), 0);
	check_hex("shared secret", s, slen, gxy);
}

START_TEST(test_dh_ecp_rfc5903)
{
	const struct ecp_vec	*v = &ecp_vecs[_i];
	struct ike_dh		*i, *r;

	i = dh_from_hex(v->group, v->i);
	r = dh_from_hex(v->group, v->r);
	dh_check(i, v->gi, v->gr, v->gir);
	dh_check(r, v->gr, v->gi, v->gir);
	ike_dh_free(i);
	ike_dh_free(r);
}
END_TEST

START_TEST(test_dh_x25519_rfc7748)
{
	struct ike_dh	*a, *b;

	a = dh_from_hex(IKE_DH_CURVE25519, x25519_vec.a);
	b = dh_from_hex(IKE_DH_CURVE25519, x25519_vec.b);
	dh_check(a, x25519_vec.ga, x25519_vec.gb, x25519_vec.gab);
	dh_check(b, x25519_vec.gb, x25519_vec.ga, x25519_vec.gab);
	ike_dh_free(a);
	ike_dh_free(b);
}
END_TEST

/* g^a and g^ab were chosen to start with a zero byte: both must still be
 * as long as p (RFC 7296 3.4, 2.14). */
START_TEST(test_dh_modp_vectors)
{
	const struct modp_vec	*v = &modp_vecs[_i];
	struct ike_dh		*a, *b;
	uint8_t			 ga[IKE_DH_PUB_MAX];
	uint8_t			 gab[IKE_DH_SECRET_MAX];

	unhex(v->ga, ga, sizeof(ga));
	unhex(v->gab, gab, sizeof(gab));
	ck_assert_uint_eq(ga[0], 0);
	ck_assert_uint_eq(gab[0], 0);
	a = dh_from_hex(v->group, v->a);
	b = dh_from_hex(v->group, v->b);
	dh_check(a, v->ga, v->gb, v->gab);
	dh_check(b, v->gb, v->ga, v->gab);
	ike_dh_free(a);
	ike_dh_free(b);
}
END_TEST

START_TEST(test_dh_fresh)
{
	uint16_t	 g = all_groups[_i];
	struct ike_dh	*a, *b;
	uint8_t		 pa[IKE_DH_PUB_MAX], pb[IKE_DH_PUB_MAX];
	uint8_t		 sa[IKE_DH_SECRET_MAX], sb[IKE_DH_SECRET_MAX];
	size_t		 len = ike_dh_public_len(g), la, lb;

	ck_assert(ike_dh_supported(g));
	ck_assert_uint_gt(len, 0);
	ck_assert_ptr_nonnull(a = ike_dh_new(g));
	ck_assert_ptr_nonnull(b = ike_dh_new(g));
	ck_assert_uint_eq(ike_dh_group(a), g);
	ck_assert_int_eq(ike_dh_public(a, pa, len), 0);
	ck_assert_int_eq(ike_dh_public(b, pb, sizeof(pb)), 0);
	ck_assert_int_eq(ike_dh_public(b, pb, len - 1), -1);
	ck_assert_mem_ne(pa, pb, len);
	la = lb = IKE_DH_SECRET_MAX;
	ck_assert_int_eq(ike_dh_shared(a, pb, len, sa, &la), 0);
	ck_assert_int_eq(ike_dh_shared(b, pa, len, sb, &lb), 0);
	ck_assert_uint_eq(la, lb);
	ck_assert_uint_eq(la, secret_len(g));
	ck_assert_mem_eq(sa, sb, la);
	ike_dh_free(a);
	ike_dh_free(b);
}
END_TEST

/* A refused peer value: -1, *outlen 0, out wiped. */
static void
dh_refused(struct ike_dh *dh, const uint8_t *peer, size_t len,
    const char *what)
{
	uint8_t		 s[IKE_DH_SECRET_MAX];
	size_t		 slen = sizeof(s);

	memset(s, 0xa5, sizeof(s));
	ck_assert_msg(ike_dh_shared(dh, peer, len, s, &slen) == -1,
	    "group %u: %s accepted", ike_dh_group(dh), what);
	ck_assert_uint_eq(slen, 0);
	ck_assert_msg(all_zero(s, secret_len(ike_dh_group(dh))),
	    "group %u: %s: out not wiped", ike_dh_group(dh), what);
}

static BIGNUM *
modp_prime(uint16_t group)
{
	switch (group) {
	case IKE_DH_MODP768:
		return BN_get_rfc2409_prime_768(NULL);
	case IKE_DH_MODP1024:
		return BN_get_rfc2409_prime_1024(NULL);
	case IKE_DH_MODP1536:
		return BN_get_rfc3526_prime_1536(NULL);
	case IKE_DH_MODP2048:
		return BN_get_rfc3526_prime_2048(NULL);
	case IKE_DH_MODP3072:
		return BN_get_rfc3526_prime_3072(NULL);
	default:
		return BN_get_rfc3526_prime_4096(NULL);
	}
}

/* RFC 6989 2.1: 1 < y < p - 1, and exactly len(p) bytes. */
START_TEST(test_dh_modp_invalid)
{
	uint16_t	 g = modp_vecs[_i].group;
	size_t		 len = ike_dh_public_len(g);
	struct ike_dh	*dh;
	BIGNUM		*p, *v;
	uint8_t		 y[IKE_DH_PUB_MAX + 1];
	long		 d;

	dh = dh_from_hex(g, modp_vecs[_i].a);
	ck_assert_ptr_nonnull(p = modp_prime(g));
	ck_assert_ptr_nonnull(v = BN_new());
	/* 0, 1, p - 1, p, p + 1 */
	for (d = -2; d <= 2; d++) {
		if (d == -2)
			BN_zero(v);
		else if (d == -1)
			BN_one(v);
		else {
			ck_assert_ptr_nonnull(BN_copy(v, p));
			ck_assert(d == 0 ? BN_sub_word(v, 1) :
			    BN_add_word(v, (BN_ULONG)(d - 1)));
		}
		ck_assert_int_eq(BN_bn2binpad(v, y, (int)len), (int)len);
		dh_refused(dh, y, len, "out of range value");
	}
	memset(y, 0xff, sizeof(y));
	dh_refused(dh, y, len, "all ones");
	/* a good value (g^b) the wrong length */
	unhex(modp_vecs[_i].gb, y + 1, sizeof(y) - 1);
	y[0] = 0;
	dh_refused(dh, y, len + 1, "long value");
	dh_refused(dh, y + 1, len - 1, "short value");
	dh_refused(dh, y + 1, 0, "empty value");
	/* private keys: 0, 1 and p - 1 are no keys */
	ck_assert(BN_sub_word(p, 1));
	ck_assert_int_eq(BN_bn2binpad(p, y, (int)len), (int)len);
	ck_assert_ptr_null(ike_dh_new_private(g, y, len));
	memset(y, 0, len);
	ck_assert_ptr_null(ike_dh_new_private(g, y, len));
	y[len - 1] = 1;
	ck_assert_ptr_null(ike_dh_new_private(g, y, len));
	BN_free(p);
	BN_free(v);
	ike_dh_free(dh);
}
END_TEST

/* RFC 6989 2.3: the point must be on the curve. */
START_TEST(test_dh_ecp_invalid)
{
	const struct ecp_vec	*v = &ecp_vecs[_i];
	size_t			 len = ike_dh_public_len(v->group);
	struct ike_dh		*dh;
	uint8_t			 pt[IKE_DH_PUB_MAX + 1];

	dh = dh_from_hex(v->group, v->i);
	unhex(v->gr, pt, sizeof(pt));
	pt[len - 1] ^= 1;			/* y off by one */
	dh_refused(dh, pt, len, "point off the curve");
	pt[len - 1] ^= 1;
	pt[len / 2 - 1] ^= 1;			/* x off by one */
	dh_refused(dh, pt, len, "point off the curve");
	pt[len / 2 - 1] ^= 1;
	dh_refused(dh, pt, len - 1, "short point");
	dh_refused(dh, pt, len / 2, "x alone");
	pt[len] = 0;
	dh_refused(dh, pt, len + 1, "long point");
	memset(pt, 0, sizeof(pt));
	dh_refused(dh, pt, len, "(0, 0)");
	memset(pt, 0xff, sizeof(pt));
	dh_refused(dh, pt, len, "coordinates beyond p");
	/* private scalars 0 and above the order are no keys */
	memset(pt, 0, sizeof(pt));
	ck_assert_ptr_null(ike_dh_new_private(v->group, pt, len / 2));
	memset(pt, 0xff, sizeof(pt));
	ck_assert_ptr_null(ike_dh_new_private(v->group, pt, len / 2));
	ike_dh_free(dh);
}
END_TEST

/* RFC 8031 2 / RFC 7748 6.1: low-order points give an all-zero secret,
 * which is refused. */
START_TEST(test_dh_x25519_invalid)
{
	static const char *low[] = {
		"00000000000000000000000000000000"
		    "00000000000000000000000000000000",
		"01000000000000000000000000000000"
		    "00000000000000000000000000000000",
		"e0eb7a7c3b41b8ae1656e3faf19fc46a"
		    "da098deb9c32b1fd866205165f49b800",
		"5f9c95bca3508c24b1d0b1559c83ef5b"
		    "04445cc4581c8e86d8224eddd09f1157",
		"ecffffffffffffffffffffffffffffff"
		    "ffffffffffffffffffffffffffffff7f",	/* p - 1 */
	};
	struct ike_dh	*dh;
	uint8_t		 pt[33];
	size_t		 i;

	dh = dh_from_hex(IKE_DH_CURVE25519, x25519_vec.a);
	for (i = 0; i < NITEMS(low); i++) {
		ck_assert_uint_eq(unhex(low[i], pt, sizeof(pt)), 32);
		dh_refused(dh, pt, 32, low[i]);
	}
	unhex(x25519_vec.gb, pt, sizeof(pt));
	dh_refused(dh, pt, 31, "short key");
	pt[32] = 0;
	dh_refused(dh, pt, 33, "long key");
	ck_assert_ptr_null(ike_dh_new_private(IKE_DH_CURVE25519, pt, 31));
	ike_dh_free(dh);
}
END_TEST

START_TEST(test_dh_unsupported)
{
	uint8_t	 x[32] = { 1 };

	ck_assert(!ike_dh_supported(IKE_DH_NONE));
	ck_assert(!ike_dh_supported(22));
	ck_assert(!ike_dh_supported(32));
	ck_assert_uint_eq(ike_dh_public_len(22), 0);
	ck_assert_ptr_null(ike_dh_new(22));
	ck_assert_ptr_null(ike_dh_new_private(22, x, sizeof(x)));
	ck_assert_uint_eq(ike_dh_public_len(IKE_DH_MODP768), 96);
	ck_assert_uint_eq(ike_dh_public_len(IKE_DH_ECP521), 132);
	ck_assert_uint_eq(ike_dh_public_len(IKE_DH_CURVE25519), 32);
	ike_dh_free(NULL);
}
END_TEST

/* ======== tests: SK payload ======== */

struct sk_in {
	struct ike_sk_key	 k;
	uint8_t			 iv[IKE_IV_MAX], aad[64], body[256];
	uint8_t			 plain[256];
	size_t			 aadlen, blen, plen;
};

static void
sk_in(const struct sk_vec *v, struct sk_in *in)
{
	memset(in, 0, sizeof(*in));
	in->k.elen = unhex(v->ekey, in->k.ekey, sizeof(in->k.ekey));
	in->k.alen = unhex(v->akey, in->k.akey, sizeof(in->k.akey));
	unhex(v->iv, in->iv, sizeof(in->iv));
	in->aadlen = unhex(v->aad, in->aad, sizeof(in->aad));
	in->blen = unhex(v->body, in->body, sizeof(in->body));
	in->plen = unhex(sk_plain, in->plain, sizeof(in->plain));
}

START_TEST(test_sk_vectors)
{
	const struct sk_vec	*v = &sk_vecs[_i];
	struct sk_in		 in;
	uint8_t			 body[256], out[256];
	size_t			 n;

	sk_in(v, &in);
	ck_assert_uint_eq(ike_sk_len(&v->suite, in.plen), in.blen);
	ck_assert_int_eq(ike_sk_seal(&v->suite, &in.k, in.aad, in.aadlen,
	    in.plain, in.plen, in.iv, body, in.blen), 0);
	check_hex(v->name, body, in.blen, v->body);
	ck_assert_int_eq(ike_sk_open(&v->suite, &in.k, in.aad, in.aadlen,
	    body, in.blen, out, &n), 0);
	ck_assert_uint_eq(n, in.plen);
	ck_assert_mem_eq(out, in.plain, n);
}
END_TEST

/* A refused body: -1, *plen 0 and the whole output wiped. */
static void
sk_refused(const struct ike_suite *s, const struct ike_sk_key *k,
    const uint8_t *aad, size_t aadlen, const uint8_t *body, size_t blen,
    const char *what, size_t at)
{
	uint8_t		 out[512];
	size_t		 n = 99;

	ck_assert_uint_le(blen, sizeof(out));
	memset(out, 0xa5, sizeof(out));
	ck_assert_msg(ike_sk_open(s, k, aad, aadlen, body, blen, out, &n) == -1,
	    "%s %zu accepted", what, at);
	ck_assert_uint_eq(n, 0);
	ck_assert_msg(all_zero(out, blen), "%s %zu: output not wiped", what,
	    at);
}

/* One flipped bit anywhere in the aad, IV, ciphertext or ICV. */
START_TEST(test_sk_tamper)
{
	const struct sk_vec	*v = &sk_vecs[_i];
	struct sk_in		 in;
	uint8_t			 out[256];
	size_t			 bit, n;

	sk_in(v, &in);
	for (bit = 0; bit < in.aadlen * 8; bit++) {
		in.aad[bit / 8] ^= 1 << (bit % 8);
		sk_refused(&v->suite, &in.k, in.aad, in.aadlen, in.body,
		    in.blen, "aad bit", bit);
		in.aad[bit / 8] ^= 1 << (bit % 8);
	}
	for (bit = 0; bit < in.blen * 8; bit++) {
		in.body[bit / 8] ^= 1 << (bit % 8);
		sk_refused(&v->suite, &in.k, in.aad, in.aadlen, in.body,
		    in.blen, "body bit", bit);
		in.body[bit / 8] ^= 1 << (bit % 8);
	}
	ck_assert_int_eq(ike_sk_open(&v->suite, &in.k, in.aad, in.aadlen,
	    in.body, in.blen, out, &n), 0);
	/* every shorter body, and a wrong key */
	for (n = 0; n < in.blen; n++)
		sk_refused(&v->suite, &in.k, in.aad, in.aadlen, in.body, n,
		    "truncated to", n);
	/* CBC: only the integrity key is checked (3DES ignores parity) */
	if (in.k.alen > 0)
		in.k.akey[0] ^= 1;
	else
		in.k.ekey[0] ^= 1;
	sk_refused(&v->suite, &in.k, in.aad, in.aadlen, in.body, in.blen,
	    "wrong key", 0);
	in.k.elen--;
	sk_refused(&v->suite, &in.k, in.aad, in.aadlen, in.body, in.blen,
	    "short key", 0);
}
END_TEST

/* A CBC ciphertext that is not a whole number of blocks is refused even
 * with a good ICV (made here with ike_prf, i.e. the untruncated HMAC). */
START_TEST(test_sk_cbc_partial_block)
{
	const struct sk_vec	*v = &sk_vecs[0];	/* AES-CBC-128 */
	struct sk_in		 in;
	uint8_t			 mac[IKE_KEY_MAX], buf[512], out[256];
	size_t			 ctlen, cut, n;

	sk_in(v, &in);
	ck_assert_uint_eq(v->suite.integ, IKE_INTEG_HMAC_SHA2_256_128);
	for (cut = 0; cut < 2; cut++) {
		ctlen = in.blen - 16 - 16 - cut;
		memcpy(buf, in.aad, in.aadlen);
		memcpy(buf + in.aadlen, in.body, 16 + ctlen);
		ck_assert_int_eq(ike_prf(IKE_PRF_HMAC_SHA2_256, in.k.akey,
		    in.k.alen, buf, in.aadlen + 16 + ctlen, mac), 0);
		memcpy(in.body + 16 + ctlen, mac, 16);
		if (cut == 0)
			ck_assert_int_eq(ike_sk_open(&v->suite, &in.k, in.aad,
			    in.aadlen, in.body, 16 + ctlen + 16, out, &n), 0);
		else
			sk_refused(&v->suite, &in.k, in.aad, in.aadlen,
			    in.body, 16 + ctlen + 16, "partial block", ctlen);
	}
}
END_TEST

START_TEST(test_sk_pad_length)
{
	static const struct ike_suite s[2] = {
		{ IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
		    IKE_INTEG_HMAC_SHA2_256_128, 0 },
		{ IKE_ENCR_AES_GCM_16, 128, IKE_PRF_HMAC_SHA2_256,
		    IKE_INTEG_NONE, 0 },
	};
	const struct pad_vec	*v = &pad_vecs[_i];
	struct ike_sk_key	 k;
	uint8_t			 aad[32], body[128], out[128];
	size_t			 blen, n, i;

	memset(&k, 0, sizeof(k));
	for (i = 0; i < 32; i++) {
		aad[i] = (uint8_t)(0x40 + i);
		k.akey[i] = (uint8_t)(0x80 + i);
	}
	k.alen = v->aead ? 0 : 32;
	k.elen = v->aead ? 20 : 16;
	for (i = 0; i < k.elen; i++)
		k.ekey[i] = (uint8_t)((v->aead ? 0x20 : 0x10) + i);
	blen = unhex(v->body, body, sizeof(body));
	if (!v->ok) {
		sk_refused(&s[v->aead], &k, aad, sizeof(aad), body, blen,
		    "pad length", (size_t)v->padlen);
		return;
	}
	ck_assert_int_eq(ike_sk_open(&s[v->aead], &k, aad, sizeof(aad), body,
	    blen, out, &n), 0);
	ck_assert_uint_eq(n, 0);	/* all padding, no payloads */
}
END_TEST

/* Published AEAD and CBC vectors decrypt through ike_sk_open. */
START_TEST(test_sk_standard_vectors)
{
	const struct ike_suite	 gcm = { IKE_ENCR_AES_GCM_16, 128,
				    IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, 0 };
	const struct ike_suite	 chacha = { IKE_ENCR_CHACHA20_POLY1305, 0,
				    IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, 0 };
	struct ike_suite	 cbc = { IKE_ENCR_AES_CBC, 128,
				    IKE_PRF_HMAC_SHA2_256,
				    IKE_INTEG_HMAC_SHA2_256_128, 0 };
	struct ike_sk_key	 k;
	uint8_t			 aad[64], body[256], out[256];
	size_t			 aadlen, blen, n, i;

	memset(&k, 0, sizeof(k));
	k.elen = unhex(gcm_tc4.key, k.ekey, sizeof(k.ekey));
	aadlen = unhex(gcm_tc4.aad, aad, sizeof(aad));
	blen = unhex(gcm_tc4.body, body, sizeof(body));
	ck_assert_int_eq(ike_sk_open(&gcm, &k, aad, aadlen, body, blen, out,
	    &n), 0);
	check_hex("GCM test case 4", out, blen - 8 - 16, gcm_tc4.plain);
	ck_assert_uint_eq(n, gcm_tc4.plen);

	k.elen = unhex(chacha_rfc8439.key, k.ekey, sizeof(k.ekey));
	aadlen = unhex(chacha_rfc8439.aad, aad, sizeof(aad));
	blen = unhex(chacha_rfc8439.body, body, sizeof(body));
	ck_assert_int_eq(ike_sk_open(&chacha, &k, aad, aadlen, body, blen, out,
	    &n), 0);
	ck_assert_uint_eq(blen - 8 - 16, strlen(chacha_rfc8439.plain));
	ck_assert_mem_eq(out, chacha_rfc8439.plain, blen - 8 - 16);
	ck_assert_uint_eq(n, chacha_rfc8439.plen);

	for (i = 0; i < 32; i++) {
		aad[i] = (uint8_t)(0x40 + i);
		k.akey[i] = (uint8_t)(0x80 + i);
	}
	k.alen = 32;
	for (i = 0; i < NITEMS(sp800_38a); i++) {
		cbc.encr_keybits = sp800_38a[i].keybits;
		k.elen = unhex(sp800_38a[i].key, k.ekey, sizeof(k.ekey));
		blen = unhex(sp800_38a[i].body, body, sizeof(body));
		ck_assert_int_eq(ike_sk_open(&cbc, &k, aad, 32, body, blen,
		    out, &n), 0);
		check_hex("SP 800-38A", out, 64, sp800_38a_plain);
		ck_assert_uint_eq(n, 64 - 1 - 0x10);
	}
}
END_TEST

static const struct ike_suite roundtrip_suites[] = {
	{ IKE_ENCR_3DES, 0, IKE_PRF_HMAC_SHA1, IKE_INTEG_HMAC_SHA1_96, 0 },
	{ IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
	    IKE_INTEG_HMAC_SHA2_256_128, 0 },
	{ IKE_ENCR_AES_CBC, 192, IKE_PRF_HMAC_SHA2_384,
	    IKE_INTEG_HMAC_SHA2_384_192, 0 },
	{ IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_512,
	    IKE_INTEG_HMAC_SHA2_512_256, 0 },
	{ IKE_ENCR_AES_GCM_16, 128, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, 0 },
	{ IKE_ENCR_AES_GCM_16, 192, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, 0 },
	{ IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, 0 },
	{ IKE_ENCR_CHACHA20_POLY1305, 0, IKE_PRF_HMAC_SHA2_256,
	    IKE_INTEG_NONE, 0 },
	{ IKE_ENCR_CHACHA20_POLY1305, 256, IKE_PRF_HMAC_SHA2_256,
	    IKE_INTEG_NONE, 0 },
};

/* Fresh keys, random IVs, every payload length up to 70 and a long one. */
START_TEST(test_sk_roundtrip)
{
	const struct ike_suite	*s = &roundtrip_suites[_i];
	struct ike_encr_info	 ei;
	struct ike_sk_key	 k;
	uint8_t			 aad[40], plain[1000], out[1100];
	uint8_t			 body[1100], body2[1100];
	size_t			 plen, blen, n;

	ck_assert_int_eq(ike_encr_info(s->encr, s->encr_keybits, &ei), 0);
	memset(&k, 0, sizeof(k));
	k.elen = ei.key_len;
	k.alen = ike_integ_key_len(s->integ);
	ck_assert_int_eq(ike_random(k.ekey, k.elen), 0);
	ck_assert_int_eq(ike_random(k.akey, k.alen), 0);
	ck_assert_int_eq(ike_random(aad, sizeof(aad)), 0);
	ck_assert_int_eq(ike_random(plain, sizeof(plain)), 0);
	for (plen = 0; plen <= 1000; plen = plen < 70 ? plen + 1 : 1000) {
		blen = ike_sk_len(s, plen);
		ck_assert_uint_ge(blen, ei.iv_len + plen + 1 +
		    ike_integ_icv_len(s->integ) + ei.icv_len);
		ck_assert_uint_eq((blen - ei.iv_len - ei.icv_len -
		    ike_integ_icv_len(s->integ)) % ei.block, 0);
		ck_assert_int_eq(ike_sk_seal(s, &k, aad, sizeof(aad), plain,
		    plen, NULL, body, blen), 0);
		ck_assert_int_eq(ike_sk_seal(s, &k, aad, sizeof(aad), plain,
		    plen, NULL, body2, blen), 0);
		ck_assert_mem_ne(body, body2, ei.iv_len);  /* random IVs */
		ck_assert_int_eq(ike_sk_open(s, &k, aad, sizeof(aad), body,
		    blen, out, &n), 0);
		ck_assert_uint_eq(n, plen);
		ck_assert_mem_eq(out, plain, plen);
		if (plen == 1000)
			break;
	}
}
END_TEST

START_TEST(test_sk_lengths)
{
	const struct ike_suite	 cbc = { IKE_ENCR_AES_CBC, 128,
				    IKE_PRF_HMAC_SHA2_256,
				    IKE_INTEG_HMAC_SHA2_256_128, 0 };
	const struct ike_suite	 des = { IKE_ENCR_3DES, 0,
				    IKE_PRF_HMAC_SHA1, IKE_INTEG_HMAC_SHA1_96,
				    0 };
	const struct ike_suite	 gcm = { IKE_ENCR_AES_GCM_16, 256,
				    IKE_PRF_HMAC_SHA2_256, IKE_INTEG_NONE, 0 };
	const struct ike_suite	 bad = { IKE_ENCR_AES_GCM_16, 256,
				    IKE_PRF_HMAC_SHA2_256,
				    IKE_INTEG_HMAC_SHA2_256_128, 0 };
	struct ike_sk_key	 k;
	uint8_t			 plain[16] = { 0 }, body[128];

	ck_assert_uint_eq(ike_sk_len(&cbc, 0), 16 + 16 + 16);
	ck_assert_uint_eq(ike_sk_len(&cbc, 15), 16 + 16 + 16);
	ck_assert_uint_eq(ike_sk_len(&cbc, 16), 16 + 32 + 16);
	ck_assert_uint_eq(ike_sk_len(&des, 7), 8 + 8 + 12);
	ck_assert_uint_eq(ike_sk_len(&des, 8), 8 + 16 + 12);
	ck_assert_uint_eq(ike_sk_len(&gcm, 0), 8 + 1 + 16);
	ck_assert_uint_eq(ike_sk_len(&gcm, 100), 8 + 101 + 16);
	ck_assert_uint_eq(ike_sk_len(&bad, 10), 0);

	memset(&k, 0, sizeof(k));
	k.elen = 16;
	k.alen = 32;
	memset(body, 0xa5, sizeof(body));
	ck_assert_int_eq(ike_sk_seal(&cbc, &k, NULL, 0, plain, 16, NULL,
	    body, 63), -1);
	ck_assert(all_zero(body, 63));
	k.alen = 20;
	ck_assert_int_eq(ike_sk_seal(&cbc, &k, NULL, 0, plain, 16, NULL,
	    body, 64), -1);
	k.alen = 32;
	ck_assert_int_eq(ike_sk_seal(&cbc, &k, NULL, 0, plain, 16, NULL,
	    body, 64), 0);
	ck_assert_int_eq(ike_sk_seal(&cbc, &k, NULL, 0, NULL, 0, NULL,
	    body, 48), 0);
	k.elen = 36;
	k.alen = 0;
	ck_assert_int_eq(ike_sk_seal(&bad, &k, NULL, 0, plain, 10, NULL,
	    body, 35), -1);
}
END_TEST

/* ======== tests: authentication, randomness ======== */

START_TEST(test_psk_auth)
{
	const struct psk_vec	*v = &psk_vecs[_i];
	uint8_t			 msg[512], nonce[64], skp[64], id[64];
	uint8_t			 out[IKE_KEY_MAX];
	size_t			 mlen, nlen, plen, ilen;

	mlen = unhex(v->msg, msg, sizeof(msg));
	nlen = unhex(v->nonce, nonce, sizeof(nonce));
	plen = unhex(v->sk_p, skp, sizeof(skp));
	ilen = unhex(v->idbody, id, sizeof(id));
	ck_assert_int_eq(ike_psk_auth(v->prf, (const uint8_t *)v->psk,
	    strlen(v->psk), msg, mlen, nonce, nlen, skp, plen, id, ilen, out),
	    0);
	check_hex("AUTH", out, ike_prf_len(v->prf), v->auth);
	/* any other secret gives another AUTH */
	ck_assert_int_eq(ike_psk_auth(v->prf, (const uint8_t *)v->psk,
	    strlen(v->psk) - 1, msg, mlen, nonce, nlen, skp, plen, id, ilen,
	    out), 0);
	ck_assert_uint_eq(unhex(v->auth, msg, sizeof(msg)),
	    ike_prf_len(v->prf));
	ck_assert_mem_ne(out, msg, ike_prf_len(v->prf));
	ck_assert_int_eq(ike_psk_auth(IKE_PRF_HMAC_MD5, (const uint8_t *)"x",
	    1, msg, mlen, nonce, nlen, skp, plen, id, ilen, out), -1);
}
END_TEST

START_TEST(test_random)
{
	uint8_t	 a[32], b[32];

	ck_assert_int_eq(ike_random(a, sizeof(a)), 0);
	ck_assert_int_eq(ike_random(b, sizeof(b)), 0);
	ck_assert_mem_ne(a, b, sizeof(a));
	ck_assert_int_eq(ike_random(a, 0), 0);
}
END_TEST

static TCase *
tcase(Suite *s, const char *name)
{
	TCase	*tc = tcase_create(name);

	suite_add_tcase(s, tc);
	return tc;
}

int
main(void)
{
	Suite	*s = suite_create("ike_crypto");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	tc = tcase(s, "prf");
	tcase_add_loop_test(tc, test_hmac_vectors, 0, NITEMS(hmac_cases));
	tcase_add_test(tc, test_transform_sizes);
	tcase_add_loop_test(tc, test_prf_plus_vectors, 0,
	    NITEMS(prfplus_vecs));
	tcase_add_test(tc, test_prf_plus_limits);
	tc = tcase(s, "keys");
	tcase_add_test(tc, test_kdf_cavp);
	tcase_add_loop_test(tc, test_kdf_vectors, 0, NITEMS(kdf_vecs));
	tcase_add_test(tc, test_kdf_rekey);
	tcase_add_test(tc, test_child_keymat);
	tcase_add_test(tc, test_kdf_bad_input);
	tc = tcase(s, "dh");
	tcase_add_loop_test(tc, test_dh_ecp_rfc5903, 0, NITEMS(ecp_vecs));
	tcase_add_test(tc, test_dh_x25519_rfc7748);
	tcase_add_loop_test(tc, test_dh_modp_vectors, 0, NITEMS(modp_vecs));
	tcase_add_loop_test(tc, test_dh_fresh, 0, NITEMS(all_groups));
	tcase_add_loop_test(tc, test_dh_modp_invalid, 0, NITEMS(modp_vecs));
	tcase_add_loop_test(tc, test_dh_ecp_invalid, 0, NITEMS(ecp_vecs));
	tcase_add_test(tc, test_dh_x25519_invalid);
	tcase_add_test(tc, test_dh_unsupported);
	tc = tcase(s, "sk");
	tcase_add_loop_test(tc, test_sk_vectors, 0, NITEMS(sk_vecs));
	tcase_add_loop_test(tc, test_sk_tamper, 0, NITEMS(sk_vecs));
	tcase_add_test(tc, test_sk_cbc_partial_block);
	tcase_add_loop_test(tc, test_sk_pad_length, 0, NITEMS(pad_vecs));
	tcase_add_test(tc, test_sk_standard_vectors);
	tcase_add_loop_test(tc, test_sk_roundtrip, 0,
	    NITEMS(roundtrip_suites));
	tcase_add_test(tc, test_sk_lengths);
	tc = tcase(s, "auth");
	tcase_add_loop_test(tc, test_psk_auth, 0, NITEMS(psk_vecs));
	tcase_add_test(tc, test_random);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
