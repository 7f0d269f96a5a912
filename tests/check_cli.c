/* check_cli: the command line as users type it, through the daemon's real
 * command tree on a fresh database in a temporary directory (clirun.c).
 *
 * The contract is /work/shared/CLI.md and sectun-commands(7). One TCase per
 * area:
 *   harness    the fixtures' lengths; clirun_out() is exactly the output
 *   ranges     every numeric range and length limit, both sides
 *   rules      the cross-object consistency rules, with their error texts
 *   atomic     a refused command changes nothing (database bytes and
 *              running-config)
 *   running    running-config: round trip on the same device, independence
 *              from the order of commands, secrets never in clear
 *   modes      modes, do, abbreviations, exec commands, output filters,
 *              "no" forms
 *   sessions   two sessions on one daemon
 * Most rules are rows of a table run by case_run(): setup lines (after
 * "configure terminal"), the command, the status and a substring of the
 * output. Where the daemon disagrees with the contract, the test asserts
 * the contract. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clirun.h"
#include "ctlproto.h"

#define nelems(a)	(sizeof(a) / sizeof((a)[0]))

#define OK	CTL_STATUS_OK
#define ERR	CTL_STATUS_ERROR

/* ------------------------------------------------------------------ */
/* values used throughout */

#define A10	"aaaaaaaaaa"
#define B10	"bbbbbbbbbb"
/* identities of exactly 80 characters (labels within 63), and one more */
#define FQDN80	A10 A10 A10 "aaaaaaaa." B10 B10 B10 "bbbbbbb.com"
#define FQDN81	"c" FQDN80
#define USER80	"vpn@" A10 A10 A10 "aaaa." B10 B10 B10 "bbbbbbb.com"
#define USER81	"vpn1@" A10 A10 A10 "aaaa." B10 B10 B10 "bbbbbbb.com"
#define DN80	"CN=" A10 A10 A10 A10 A10 A10 A10 "aaaaaaa"
#define DN81	DN80 "a"
/* names of 32 characters, and one more */
#define N32	"abcdefghij" "abcdefghij" "abcdefghij" "ab"
#define N33	N32 "c"
#define N11	"abcdefghijk"
#define HOST63	A10 A10 A10 A10 A10 A10 "abc"
#define HOST64	HOST63 "d"
#define N12	N11 "l"
/* hex keys by number of digits */
#define K16	"0123456789abcdef"
#define K30	"0123456789abcdef0123456789abcd"
#define K32	"0123456789abcdeffedcba9876543210"
#define K40	K32 "00112233"
#define K48	K32 "0011223344556677"
#define K64	K32 "8899aabbccddeeff0011223344556677"
#define K72	K64 "8899aabb"
#define K96	K64 K32
#define K128	K64 K64
/* other keys, to tell blobs apart in the round trip */
#define K32B	"a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5"
#define K40B	"5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"

#define TUN	"interface tunnel ipsec:alpha"
#define TUN2	"interface tunnel ipsec:beta"
#define SA_IN(spi) "tunnel sa manual inbound spi " spi \
	" transform esp-aes128-sha encryption-key " K32 \
	" authentication-key " K40
#define TS1	"ipsec transform-set one transform esp-aes128-sha"
#define TS2	"ipsec transform-set two transform esp-aes128-sha esp-aes256-sha"

/* ------------------------------------------------------------------ */
/* harness */

/*
 * ctl_run_line() strips libcli's '\r' in place but does not terminate the
 * shortened text, so clirun_out() can end with a stale copy of the
 * output's last bytes (test_harness_output shows it; reported). main()
 * finds out once whether that happens; if it does, out() recovers the real
 * text: its length j is the unique one with j + (newlines in the first j
 * bytes) == strlen(raw), since each newline lost one '\r'.
 */
static int	 out_stale;
static char	*last_out;

static void
out_set(const char *raw)
{
	size_t	 n = strlen(raw), j, nl = 0;

	free(last_out);
	if (!out_stale) {
		last_out = strdup(raw);
		return;
	}
	for (j = 0; j < n; j++) {
		if (j + nl == n)
			break;
		if (raw[j] == '\n')
			nl++;
	}
	last_out = strndup(raw, j);
}

static const char *
out(void)
{
	return last_out != NULL ? last_out : "";
}

/* Where two texts first differ, for failure messages (Check limits their
 * size, so the texts themselves are not printed whole). */
static const char *
text_diff(const char *a, const char *b)
{
	static char buf[1024];
	const char *la = a, *lb = b;
	int	 line = 1, na, nb;

	while (*a != '\0' && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
			lb = b + 1;
		}
		a++;
		b++;
	}
	na = (int)strcspn(la, "\n");
	nb = (int)strcspn(lb, "\n");
	snprintf(buf, sizeof(buf), "line %d: \"%.*s\"%s vs \"%.*s\"%s",
	    line, na > 300 ? 300 : na, la, *a == '\0' ? " (end)" : "",
	    nb > 300 ? 300 : nb, lb, *b == '\0' ? " (end)" : "");
	return buf;
}

#define ck_same(a, b, what) do {					\
	const char *a_ = (a), *b_ = (b);				\
	ck_assert_msg(strcmp(a_, b_) == 0, "%s: texts differ at %s",	\
	    (what), text_diff(a_, b_));					\
} while (0)

/* Runs one line; its output is out() until the next run(). */
static int
run(struct clirun *r, const char *line)
{
	int	 st = clirun(r, line);

	out_set(clirun_out(r));
	return st;
}

#define ck_ok(r, line) do {						\
	const char *l_ = (line);					\
	int s_ = run((r), l_);						\
	ck_assert_msg(s_ == OK, "'%s': status %d, expected OK; "	\
	    "output:\n%.1500s", l_, s_, out());				\
} while (0)

#define ck_refused(r, line, text) do {					\
	const char *l_ = (line), *t_ = (text);				\
	int s_ = run((r), l_);						\
	ck_assert_msg(s_ == ERR && strstr(out(), t_) != NULL,		\
	    "'%s': status %d, expected a refusal with \"%s\"; "	\
	    "output:\n%.1500s", l_, s_, t_, out());				\
} while (0)

#define ck_has(hay, needle, what) do {					\
	const char *h_ = (hay), *n_ = (needle);				\
	ck_assert_msg(strstr(h_, n_) != NULL, "%s: \"%s\" missing "	\
	    "from:\n%.2500s", (what), n_, h_);				\
} while (0)

#define ck_hasnt(hay, needle, what) do {				\
	const char *h_ = (hay), *n_ = (needle);				\
	ck_assert_msg(strstr(h_, n_) == NULL, "%s: \"%s\" must not "	\
	    "appear in:\n%.2500s", (what), n_, h_);				\
} while (0)

static struct clirun *
cli_new(void)
{
	struct clirun *r = clirun_new();

	ck_assert_msg(r != NULL, "clirun_new failed");
	return r;
}

static struct clirun *
cli_config(void)
{
	struct clirun *r = cli_new();

	ck_ok(r, "configure terminal");
	return r;
}

static void
run_all(struct clirun *r, const char *const *lines)
{
	size_t	 i;

	for (i = 0; lines[i] != NULL; i++)
		ck_ok(r, lines[i]);
}

/* show running-config, read by a separate session so that the mode of r
 * does not matter; the caller frees it. */
static char *
running(struct clirun *r)
{
	struct clirun *obs = clirun_session(r);
	char	*text;
	int	 st;

	ck_assert_msg(obs != NULL, "clirun_session failed");
	st = run(obs, "show running-config");
	ck_assert_msg(st == OK, "show running-config: status %d\n%.1500s", st,
	    out());
	text = strdup(out());
	clirun_free(obs);
	return text;
}

static unsigned char *
file_bytes(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	unsigned char *buf;
	long	 n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert(fseek(f, 0, SEEK_END) == 0);
	n = ftell(f);
	ck_assert_msg(n > 0, "%s is empty", path);
	rewind(f);
	buf = malloc((size_t)n);
	ck_assert(buf != NULL);
	ck_assert_msg(fread(buf, 1, (size_t)n, f) == (size_t)n, "short read "
	    "of %s", path);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* What a refused command must leave alone. */
struct snap {
	char		*running;
	unsigned char	*db;
	size_t		 dblen;
};

static void
snap_take(struct clirun *r, struct snap *s)
{
	s->running = running(r);
	s->db = file_bytes(clirun_db(r), &s->dblen);
}

static void
snap_same(struct clirun *r, struct snap *s, const char *cmd)
{
	char	*now = running(r), journal[512];
	unsigned char *db;
	size_t	 len;

	ck_assert_msg(strcmp(s->running, now) == 0, "refused '%s' changed "
	    "running-config at %s", cmd, text_diff(s->running, now));
	db = file_bytes(clirun_db(r), &len);
	ck_assert_msg(len == s->dblen && memcmp(db, s->db, len) == 0,
	    "refused '%s' changed the database file (%zu -> %zu bytes)", cmd,
	    s->dblen, len);
	snprintf(journal, sizeof(journal), "%s-journal", clirun_db(r));
	ck_assert_msg(access(journal, F_OK) == -1, "refused '%s' left %s",
	    cmd, journal);
	free(db);
	free(now);
	free(s->running);
	free(s->db);
}

/* Runs every line of text (a running-config) in r; each must succeed. */
static void
replay(struct clirun *r, const char *text)
{
	char	*copy = strdup(text), *line, *save = NULL;
	int	 st;

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		st = run(r, line);
		ck_assert_msg(st == OK, "replaying '%s': status %d\n%.1500s", line,
		    st, out());
	}
	free(copy);
}

/* The hex word after "WORD encrypted " on the first line of text that
 * contains has; the caller frees it. */
static char *
blob_of(const char *text, const char *has, const char *word)
{
	const char *line = strstr(text, has), *p, *eol;
	char	 key[64];
	size_t	 n;

	ck_assert_msg(line != NULL, "no line with \"%s\" in:\n%.2500s", has, text);
	while (line > text && line[-1] != '\n')
		line--;
	eol = strchr(line, '\n');
	snprintf(key, sizeof(key), "%s encrypted ", word);
	p = strstr(line, key);
	ck_assert_msg(p != NULL && (eol == NULL || p < eol), "no \"%s\" on "
	    "the line with \"%s\" in:\n%.2500s", key, has, text);
	p += strlen(key);
	n = strspn(p, "0123456789abcdef");
	ck_assert_msg(n >= 32, "short blob after \"%s\"", key);
	return strndup(p, n);
}

/* The lines of text that keep() accepts, each with its "\n". */
static char *
lines_where(const char *text, int (*keep)(const char *line, size_t len,
    const void *arg), const void *arg)
{
	size_t	 cap = strlen(text) + 1, n = 0, len;
	char	*res = malloc(cap);
	const char *p, *eol;

	ck_assert(res != NULL);
	for (p = text; *p != '\0'; p = eol + 1) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p) - 1;
		len = (size_t)(eol - p) + 1;
		if (keep(p, len, arg)) {
			memcpy(res + n, p, len);
			n += len;
		}
		if (eol[1] == '\0')
			break;
	}
	res[n] = '\0';
	return res;
}

static int
line_has(const char *line, size_t len, const void *arg)
{
	const char *s = arg;
	size_t	 k = strlen(s), i;

	for (i = 0; i + k <= len; i++)
		if (memcmp(line + i, s, k) == 0)
			return 1;
	return 0;
}

static int
line_hasnt(const char *line, size_t len, const void *arg)
{
	return !line_has(line, len, arg);
}

/* ------------------------------------------------------------------ */
/* the table runner */

struct cli_case {
	const char	*setup[14];	/* after "configure terminal"; each OK */
	const char	*cmd;
	int		 status;
	const char	*expect;	/* substring of the output; NULL: none */
	const char	*after;		/* accepted: in running-config after */
	const char	*absent;	/* accepted: not in running-config after */
};

static const char *
case_setup(const struct cli_case *c)
{
	static char buf[2048];
	size_t	 i;

	buf[0] = '\0';
	for (i = 0; c->setup[i] != NULL; i++) {
		strncat(buf, c->setup[i], sizeof(buf) - strlen(buf) - 1);
		strncat(buf, " ; ", sizeof(buf) - strlen(buf) - 1);
	}
	return buf;
}

/*
 * A refused command must print the expected error and leave the database
 * and running-config untouched. An accepted one prints nothing (or the
 * expected warning) and shows in running-config.
 */
static void
case_run(const struct cli_case *c)
{
	struct clirun *r = cli_config();
	struct snap s;
	char	*now;
	int	 st;

	run_all(r, c->setup);
	if (c->status == ERR)
		snap_take(r, &s);
	st = run(r, c->cmd);
	ck_assert_msg(st == c->status, "'%s' (after: %s): status %d, expected "
	    "%s; output:\n%.1500s", c->cmd, case_setup(c), st,
	    c->status == OK ? "OK" : "a refusal", out());
	if (c->expect != NULL)
		ck_assert_msg(strstr(out(), c->expect) != NULL, "'%s' (after: "
		    "%s): \"%s\" missing from the output:\n%.1500s", c->cmd,
		    case_setup(c), c->expect, out());
	else
		ck_assert_msg(out()[0] == '\0', "'%s' (after: %s): unexpected "
		    "output:\n%.1500s", c->cmd, case_setup(c), out());
	if (c->status == ERR)
		snap_same(r, &s, c->cmd);
	if (c->after != NULL || c->absent != NULL) {
		now = running(r);
		if (c->after != NULL)
			ck_assert_msg(strstr(now, c->after) != NULL, "after '%s'"
			    ": \"%s\" missing from running-config:\n%.2500s",
			    c->cmd, c->after, now);
		if (c->absent != NULL)
			ck_assert_msg(strstr(now, c->absent) == NULL, "after "
			    "'%s': \"%s\" still in running-config:\n%.2500s",
			    c->cmd, c->absent, now);
		free(now);
	}
	clirun_free(r);
}

/* ------------------------------------------------------------------ */
/* harness checks */

START_TEST(test_harness_fixtures)
{
	ck_assert_uint_eq(strlen(FQDN80), 80);
	ck_assert_uint_eq(strlen(FQDN81), 81);
	ck_assert_uint_eq(strlen(USER80), 80);
	ck_assert_uint_eq(strlen(USER81), 81);
	ck_assert_uint_eq(strlen(DN80), 80);
	ck_assert_uint_eq(strlen(N32), 32);
	ck_assert_uint_eq(strlen(N33), 33);
	ck_assert_uint_eq(strlen(N11), 11);
	ck_assert_uint_eq(strlen(HOST63), 63);
	ck_assert_uint_eq(strlen(HOST64), 64);
	ck_assert_uint_eq(strlen(N12), 12);
	ck_assert_uint_eq(strlen(K16), 16);
	ck_assert_uint_eq(strlen(K30), 30);
	ck_assert_uint_eq(strlen(K32), 32);
	ck_assert_uint_eq(strlen(K40), 40);
	ck_assert_uint_eq(strlen(K48), 48);
	ck_assert_uint_eq(strlen(K64), 64);
	ck_assert_uint_eq(strlen(K72), 72);
	ck_assert_uint_eq(strlen(K96), 96);
	ck_assert_uint_eq(strlen(K128), 128);
	ck_assert_uint_eq(strlen(K32B), 32);
	ck_assert_uint_eq(strlen(K40B), 40);
}
END_TEST

/* clirun_out() must be the command's output and nothing more. */
START_TEST(test_harness_output)
{
	struct clirun *r = cli_new();
	const char *raw;

	ck_assert_int_eq(clirun(r, "show running-config"), OK);
	raw = clirun_out(r);
	ck_assert_msg(strcmp(raw, "!\nend\n") == 0, "clirun_out() of show "
	    "running-config on an empty database is \"%s\" (%zu bytes), "
	    "expected \"!\\nend\\n\": ctl_run_line() does not terminate the "
	    "output after removing '\\r'", raw, strlen(raw));
	ck_assert_int_eq(clirun(r, "configure terminal"), OK);
	ck_assert_str_eq(clirun_out(r), "");
	ck_assert_int_eq(clirun(r, "! a comment"), OK);
	ck_assert_str_eq(clirun_out(r), "");
	clirun_free(r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 1. ranges and lengths */

#define PFS_OK(g) { { TUN }, "tunnel pfs group " g, OK, NULL, \
	" tunnel pfs group " g "\n" }
#define IKE_GROUP_OK(g) { { "ipsec ike-policy-rule 5" }, "group " g, OK, \
	NULL, "ipsec ike-policy-rule 5\n group " g "\n" }

static const struct cli_case range_cases[] = {
	/* virtual-router table <1-4294967294>, 253-255 reserved */
	{ { NULL }, "virtual-router v table 1", OK, NULL,
	    "virtual-router v table 1\n" },
	{ { NULL }, "virtual-router v table 4294967294", OK, NULL,
	    "virtual-router v table 4294967294\n" },
	{ { NULL }, "virtual-router v table 0", ERR,
	    "table 0 is out of range <1-4294967294>" },
	{ { NULL }, "virtual-router v table 4294967295", ERR,
	    "table 4294967295 is out of range <1-4294967294>" },
	{ { NULL }, "virtual-router v table 252", OK, NULL,
	    "virtual-router v table 252\n" },
	{ { NULL }, "virtual-router v table 253", ERR,
	    "Table 253 is reserved by Linux" },
	{ { NULL }, "virtual-router v table 254", ERR,
	    "Table 254 is reserved by Linux" },
	{ { NULL }, "virtual-router v table 255", ERR,
	    "Table 255 is reserved by Linux" },
	{ { NULL }, "virtual-router v table 256", OK, NULL,
	    "virtual-router v table 256\n" },
	{ { "virtual-router v table 100" }, "virtual-router w table 100", ERR,
	    "Table 100 is already used by virtual-router v" },
	{ { NULL }, "virtual-router v table x1", ERR, "is not a number" },

	/* ip/ipv6 route distance <1-255>; 1 is the default, not printed */
	{ { NULL }, "ip route 10.0.0.0/8 192.0.2.1 distance 1", OK, NULL,
	    "ip route 10.0.0.0/8 192.0.2.1\n" },
	{ { NULL }, "ip route 10.0.0.0/8 192.0.2.1 distance 255", OK, NULL,
	    "ip route 10.0.0.0/8 192.0.2.1 distance 255\n" },
	{ { NULL }, "ip route 10.0.0.0/8 192.0.2.1 distance 0", ERR,
	    "distance 0 is out of range <1-255>" },
	{ { NULL }, "ip route 10.0.0.0/8 192.0.2.1 distance 256", ERR,
	    "distance 256 is out of range <1-255>" },
	{ { NULL }, "ipv6 route 2001:db8::/32 2001:db8:ffff::1 distance 255",
	    OK, NULL, "ipv6 route 2001:db8::/32 2001:db8:ffff::1 distance "
	    "255\n" },
	{ { NULL }, "ipv6 route 2001:db8::/32 2001:db8:ffff::1 distance 0",
	    ERR, "distance 0 is out of range <1-255>" },
	{ { NULL }, "ipv6 route 2001:db8::/32 2001:db8:ffff::1 distance 256",
	    ERR, "distance 256 is out of range <1-255>" },
	{ { NULL }, "ip route 10.0.0.0/33 192.0.2.1", ERR,
	    "out of range <0-32>" },

	/* ipsec lifetime seconds <1800-864000> kilobytes <102400-4294967295> */
	{ { NULL }, "ipsec lifetime seconds 1800", OK, NULL,
	    "ipsec lifetime seconds 1800 kilobytes 102400\n" },
	{ { NULL }, "ipsec lifetime seconds 864000", OK, NULL,
	    "ipsec lifetime seconds 864000 kilobytes 102400\n" },
	{ { NULL }, "ipsec lifetime seconds 1799", ERR,
	    "seconds 1799 is out of range <1800-864000>" },
	{ { NULL }, "ipsec lifetime seconds 864001", ERR,
	    "seconds 864001 is out of range <1800-864000>" },
	{ { "ipsec lifetime seconds 3600" }, "ipsec lifetime kilobytes 102400",
	    OK, NULL, "ipsec lifetime seconds 3600 kilobytes 102400\n" },
	{ { NULL }, "ipsec lifetime kilobytes 4294967295", OK, NULL,
	    "ipsec lifetime seconds 28800 kilobytes 4294967295\n" },
	{ { NULL }, "ipsec lifetime kilobytes 102399", ERR,
	    "kilobytes 102399 is out of range <102400-4294967295>" },
	{ { NULL }, "ipsec lifetime kilobytes 4294967296", ERR,
	    "kilobytes 4294967296 is out of range <102400-4294967295>" },
	{ { NULL }, "ipsec lifetime seconds 3600 kilobytes 102399", ERR,
	    "out of range <102400-4294967295>" },

	/* ipsec ike-policy-rule <1-10000> and its settings */
	{ { NULL }, "ipsec ike-policy-rule 1", OK, NULL,
	    "ipsec ike-policy-rule 1\nexit\n" },
	{ { NULL }, "ipsec ike-policy-rule 10000", OK, NULL,
	    "ipsec ike-policy-rule 10000\nexit\n" },
	{ { NULL }, "ipsec ike-policy-rule 0", ERR,
	    "0 is out of range <1-10000>" },
	{ { NULL }, "ipsec ike-policy-rule 10001", ERR,
	    "10001 is out of range <1-10000>" },
	{ { "ipsec ike-policy-rule 5" }, "lifetime 60", OK, NULL,
	    " lifetime 60\n" },
	{ { "ipsec ike-policy-rule 5" }, "lifetime 86400", OK, NULL,
	    " lifetime 86400\n" },
	{ { "ipsec ike-policy-rule 5" }, "lifetime 59", ERR,
	    "lifetime 59 is out of range <60-86400>" },
	{ { "ipsec ike-policy-rule 5" }, "lifetime 86401", ERR,
	    "lifetime 86401 is out of range <60-86400>" },
	IKE_GROUP_OK("1"), IKE_GROUP_OK("2"), IKE_GROUP_OK("5"),
	IKE_GROUP_OK("15"), IKE_GROUP_OK("16"), IKE_GROUP_OK("19"),
	IKE_GROUP_OK("20"), IKE_GROUP_OK("21"), IKE_GROUP_OK("31"),
	/* 14 is the default: accepted, not printed */
	{ { "ipsec ike-policy-rule 5", "group 19" }, "group 14", OK, NULL,
	    "ipsec ike-policy-rule 5\nexit\n" },
	{ { "ipsec ike-policy-rule 5" }, "group 3", ERR,
	    "group '3' is not one of: 1 | 2 | 5 | 14 | 15 | 16 | 19 | 20 | 21 "
	    "| 31" },
	{ { "ipsec ike-policy-rule 5" }, "group 0", ERR, "is not one of" },
	{ { "ipsec ike-policy-rule 5" }, "encryption blowfish", ERR,
	    "'blowfish' is not one of" },
	{ { "ipsec ike-policy-rule 5" }, "hash sha1", ERR,
	    "'sha1' is not one of" },
	{ { "ipsec ike-policy-rule 5" }, "authentication password", ERR,
	    "'password' is not one of" },
	{ { "ipsec ike-policy-rule 5" }, "aggressive-mode sometimes", ERR,
	    "'sometimes' is not one of" },
	{ { "ipsec ike-policy-rule 5" }, "match local-address 192.0.2.300",
	    ERR, "is not a valid" },

	/* ipsec dpd interval <2-3600> threshold <1-10>; tunnel dpd alike */
	{ { NULL }, "ipsec dpd", OK, NULL,
	    "ipsec dpd mode optimized interval 10 threshold 5\n" },
	{ { NULL }, "ipsec dpd interval 2", OK, NULL, "interval 2 threshold" },
	{ { NULL }, "ipsec dpd interval 3600", OK, NULL,
	    "interval 3600 threshold" },
	{ { NULL }, "ipsec dpd interval 1", ERR,
	    "interval 1 is out of range <2-3600>" },
	{ { NULL }, "ipsec dpd interval 3601", ERR,
	    "interval 3601 is out of range <2-3600>" },
	{ { NULL }, "ipsec dpd threshold 1", OK, NULL, " threshold 1\n" },
	{ { NULL }, "ipsec dpd threshold 10", OK, NULL, " threshold 10\n" },
	{ { NULL }, "ipsec dpd threshold 0", ERR,
	    "threshold 0 is out of range <1-10>" },
	{ { NULL }, "ipsec dpd threshold 11", ERR,
	    "threshold 11 is out of range <1-10>" },
	{ { NULL }, "ipsec dpd mode sometimes", ERR,
	    "DPD mode 'sometimes' is not one of: optimized | probe-idle | "
	    "always-send" },
	{ { NULL }, "ipsec dpd mode always-send", OK, NULL,
	    "ipsec dpd mode always-send " },
	{ { TUN }, "tunnel dpd", OK, NULL,
	    " tunnel dpd mode optimized interval 10 threshold 5\n" },
	{ { TUN }, "tunnel dpd interval 2 threshold 10", OK, NULL,
	    " tunnel dpd mode optimized interval 2 threshold 10\n" },
	{ { TUN }, "tunnel dpd interval 1", ERR,
	    "interval 1 is out of range <2-3600>" },
	{ { TUN }, "tunnel dpd interval 3601", ERR,
	    "interval 3601 is out of range <2-3600>" },
	{ { TUN }, "tunnel dpd threshold 0", ERR,
	    "threshold 0 is out of range <1-10>" },
	{ { TUN }, "tunnel dpd threshold 11", ERR,
	    "threshold 11 is out of range <1-10>" },
	{ { TUN }, "tunnel dpd mode sometimes", ERR,
	    "DPD mode 'sometimes' is not one of" },

	/* tunnel mtu <160-9000> */
	{ { TUN }, "tunnel mtu 160", OK, NULL, " tunnel mtu 160\n" },
	{ { TUN }, "tunnel mtu 9000", OK, NULL, " tunnel mtu 9000\n" },
	{ { TUN }, "tunnel mtu 159", ERR, "mtu 159 is out of range <160-9000>" },
	{ { TUN }, "tunnel mtu 9001", ERR,
	    "mtu 9001 is out of range <160-9000>" },

	/* tunnel sa manual ... spi <256-4294967295> */
	{ { TUN }, "tunnel sa manual inbound spi 256 transform esp-null-sha "
	    "authentication-key " K40, OK, NULL,
	    " tunnel sa manual inbound spi 256 transform esp-null-sha "
	    "authentication-key encrypted " },
	{ { TUN }, "tunnel sa manual outbound spi 4294967295 transform "
	    "esp-null-sha authentication-key " K40, OK, NULL,
	    " tunnel sa manual outbound spi 4294967295 transform esp-null-sha "
	    "authentication-key encrypted " },
	{ { TUN }, "tunnel sa manual inbound spi 255 transform esp-null-sha "
	    "authentication-key " K40, ERR,
	    "spi 255 is out of range <256-4294967295>" },
	{ { TUN }, "tunnel sa manual inbound spi 4294967296 transform "
	    "esp-null-sha authentication-key " K40, ERR,
	    "spi 4294967296 is out of range <256-4294967295>" },

	/* tunnel pfs group: each valid group, and 3 */
	PFS_OK("1"), PFS_OK("2"), PFS_OK("5"), PFS_OK("14"), PFS_OK("15"),
	PFS_OK("16"), PFS_OK("19"), PFS_OK("20"), PFS_OK("21"), PFS_OK("31"),
	{ { TUN }, "tunnel pfs group 3", ERR,
	    "group '3' is not one of: 1 | 2 | 5 | 14 | 15 | 16 | 19 | 20 | 21 "
	    "| 31" },
	{ { TUN }, "tunnel pfs group 24", ERR, "'24' is not one of" },

	/* tunnel lifetime, as ipsec lifetime */
	{ { TUN }, "tunnel lifetime seconds 1800", OK, NULL,
	    " tunnel lifetime seconds 1800\n" },
	{ { TUN }, "tunnel lifetime seconds 864000", OK, NULL,
	    " tunnel lifetime seconds 864000\n" },
	{ { TUN }, "tunnel lifetime seconds 1799", ERR,
	    "seconds 1799 is out of range <1800-864000>" },
	{ { TUN }, "tunnel lifetime seconds 864001", ERR,
	    "seconds 864001 is out of range <1800-864000>" },
	{ { TUN }, "tunnel lifetime kilobytes 102400", OK, NULL,
	    " tunnel lifetime kilobytes 102400\n" },
	{ { TUN }, "tunnel lifetime kilobytes 4294967295", OK, NULL,
	    " tunnel lifetime kilobytes 4294967295\n" },
	{ { TUN }, "tunnel lifetime kilobytes 102399", ERR,
	    "kilobytes 102399 is out of range <102400-4294967295>" },
	{ { TUN }, "tunnel lifetime kilobytes 4294967296", ERR,
	    "kilobytes 4294967296 is out of range <102400-4294967295>" },
	{ { TUN, "tunnel lifetime seconds 3600" },
	    "tunnel lifetime kilobytes 200000", OK, NULL,
	    " tunnel lifetime seconds 3600 kilobytes 200000\n" },

	/* names: 1-32 characters */
	/* a VR's name also names its device vrf-NAME: at most 11 */
	{ { NULL }, "virtual-router " N11, OK, NULL,
	    "virtual-router " N11 "\n" },
	{ { NULL }, "virtual-router " N12, ERR,
	    "is longer than 11 characters" },
	{ { NULL }, "virtual-router " N33, ERR, "characters" },
	{ { NULL }, "ipsec transform-set " N32 " transform esp-aes128-sha", OK,
	    NULL, "ipsec transform-set " N32 " transform esp-aes128-sha\n" },
	{ { NULL }, "ipsec transform-set " N33 " transform esp-aes128-sha",
	    ERR, "must be 1-32 characters" },
	{ { NULL }, "interface tunnel ipsec:" N32, OK, NULL,
	    "interface tunnel ipsec:" N32 "\n" },
	{ { NULL }, "interface tunnel ipsec:" N33, ERR,
	    "must be 1-32 characters" },
	{ { NULL }, "virtual-router -blue", ERR,
	    "must start with a letter or digit" },
	{ { NULL }, "interface tunnel ipsec:a/b", ERR, "may contain only" },
	{ { NULL }, "interface tunnel alpha", ERR,
	    "must be given as ipsec:NAME" },

	/* identities: up to 80 characters */
	{ { NULL }, "ipsec key pre-share " FQDN80 " key s3cret", OK, NULL,
	    "ipsec key pre-share " FQDN80 " key encrypted " },
	{ { NULL }, "ipsec key pre-share " FQDN81 " key s3cret", ERR,
	    "longer than 80" },
	{ { NULL }, "ipsec key pre-share " USER80 " key s3cret", OK, NULL,
	    "ipsec key pre-share " USER80 " key encrypted " },
	{ { NULL }, "ipsec key pre-share " USER81 " key s3cret", ERR,
	    "longer than 80" },
	{ { TUN }, "tunnel destination " FQDN80, OK, NULL,
	    " tunnel destination " FQDN80 "\n" },
	{ { TUN }, "tunnel destination " FQDN81, ERR, "longer than 80" },
	{ { TUN }, "tunnel destination " USER81, ERR, "longer than 80" },
	{ { TUN }, "tunnel source " FQDN81, ERR, "longer than 80" },
	{ { TUN, "tunnel destination gw.example.com" },
	    "tunnel destination backup " FQDN81, ERR, "longer than 80" },
	{ { TUN }, "tunnel local-identity fqdn " FQDN80, OK, NULL,
	    " tunnel local-identity fqdn " FQDN80 "\n" },
	{ { TUN }, "tunnel local-identity fqdn " FQDN81, ERR,
	    "longer than 80" },
	{ { TUN }, "tunnel peer-identity user-fqdn " USER80, OK, NULL,
	    " tunnel peer-identity user-fqdn " USER80 "\n" },
	{ { TUN }, "tunnel peer-identity user-fqdn " USER81, ERR,
	    "longer than 80" },
	{ { TUN }, "tunnel local-identity dn \"" DN80 "\"", OK, NULL,
	    " tunnel local-identity dn \"" DN80 "\"\n" },
	{ { TUN }, "tunnel local-identity dn \"" DN81 "\"", ERR,
	    "longer than 80" },
	{ { NULL }, "ipsec local-identity fqdn " FQDN80, OK, NULL,
	    "ipsec local-identity fqdn " FQDN80 "\n" },
	{ { NULL }, "ipsec local-identity fqdn " FQDN81, ERR,
	    "longer than 80" },
	{ { NULL }, "ipsec local-identity dn \"" DN81 "\"", ERR,
	    "longer than 80" },

	/* transform sets: 1 to 6 transforms */
	{ { NULL }, "ipsec transform-set six transform esp-aes128-sha "
	    "esp-aes256-sha esp-3des-sha esp-aes128-gcm esp-aes256-gcm "
	    "esp-aes192-sha256", OK, NULL,
	    "ipsec transform-set six transform esp-aes128-sha esp-aes256-sha "
	    "esp-3des-sha esp-aes128-gcm esp-aes256-gcm esp-aes192-sha256\n" },
	{ { NULL }, "ipsec transform-set seven transform esp-aes128-sha "
	    "esp-aes256-sha esp-3des-sha esp-aes128-gcm esp-aes256-gcm "
	    "esp-aes192-sha256 esp-des-md5", ERR,
	    "at most 6 transforms" },
	{ { NULL }, "ipsec transform-set none", ERR, "Incomplete command" },

	/* descriptions: up to 80 characters, no '"' or '\' */
	{ { TUN }, "description \"" DN80 "\"", OK, NULL,
	    " description \"" DN80 "\"\n" },
	{ { TUN }, "description \"" DN81 "\"", ERR, "at most 80 characters" },
};

START_TEST(test_ranges)
{
	case_run(&range_cases[_i]);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 2. cross-object rules */

#define VRBLUE	"virtual-router blue"
#define RULE7	"ipsec ike-policy-rule 7"

static const struct cli_case rule_cases[] = {
	/* transform sets named by a tunnel */
	{ { TS1, TUN }, "tunnel transform-set nope", ERR,
	    "Transform set nope does not exist" },
	{ { TS1, TUN, "tunnel transform-set one", "exit" },
	    "no ipsec transform-set one", ERR, "ipsec:alpha" },
	{ { TS1, TUN2, "tunnel transform-set one", "exit", TUN,
	    "tunnel transform-set one", "exit" },
	    "no ipsec transform-set one", ERR, "is in use by tunnel ipsec:" },
	{ { NULL }, "no ipsec transform-set nope", ERR,
	    "Transform set nope does not exist" },
	{ { TS1, TUN, "tunnel transform-set one", "no tunnel transform-set",
	    "exit" }, "no ipsec transform-set one", OK, NULL, NULL,
	    "transform-set one" },

	/* virtual routers named anywhere must exist */
	{ { TUN }, "virtual-router nope", ERR,
	    "Virtual router nope does not exist" },
	{ { TUN }, "tunnel transport-virtual-router nope", ERR,
	    "Virtual router nope does not exist" },
	{ { NULL }, "ip route virtual-router nope 10.0.0.0/8 192.0.2.1", ERR,
	    "Virtual router nope does not exist" },
	{ { NULL }, "ipv6 route virtual-router nope 2001:db8::/32 "
	    "2001:db8:ffff::1", ERR, "Virtual router nope does not exist" },
	{ { NULL }, "ipsec key pre-share 192.0.2.1 transport-virtual-router "
	    "nope key s3cret", ERR, "Virtual router nope does not exist" },
	{ { RULE7 }, "match transport-virtual-router nope", ERR,
	    "Virtual router nope does not exist" },
	{ { "end" }, "show ip route virtual-router nope", ERR,
	    "Virtual router nope does not exist" },

	/* a VR in use cannot be removed; the error names the user */
	{ { VRBLUE, TUN, "virtual-router blue", "exit" },
	    "no virtual-router blue", ERR, "in use by tunnel ipsec:alpha" },
	{ { VRBLUE, TUN, "tunnel transport-virtual-router blue", "exit" },
	    "no virtual-router blue", ERR, "in use by tunnel ipsec:alpha" },
	{ { VRBLUE, "ip route virtual-router blue 10.0.0.0/8 192.0.2.1" },
	    "no virtual-router blue", ERR, "in use by route to 10.0.0.0/8" },
	{ { VRBLUE, "ipv6 route virtual-router blue 2001:db8::/32 "
	    "2001:db8:ffff::1" }, "no virtual-router blue", ERR,
	    "in use by route to 2001:db8::/32" },
	{ { VRBLUE, "ipsec key pre-share 192.0.2.1 transport-virtual-router "
	    "blue key s3cret" }, "no virtual-router blue", ERR,
	    "in use by pre-shared key for 192.0.2.1" },
	{ { VRBLUE, RULE7, "match transport-virtual-router blue", "exit" },
	    "no virtual-router blue", ERR, "in use by ike-policy-rule 7" },
	{ { VRBLUE }, "no virtual-router blue", OK, NULL, NULL,
	    "virtual-router blue" },
	{ { NULL }, "no virtual-router nope", ERR,
	    "Virtual router nope does not exist" },
	{ { NULL }, "no virtual-router default", ERR,
	    "virtual-router default cannot be removed" },
	{ { NULL }, "virtual-router default table 100", ERR,
	    "its table cannot be set" },
	{ { NULL }, "virtual-router default", OK, NULL, NULL,
	    "virtual-router default" },

	/* a manual tunnel's transform set has exactly one transform */
	{ { TS2, TUN, "tunnel transform-set two" }, SA_IN("1000"), ERR,
	    "must have exactly one transform; two has 2" },
	{ { TS1, TS2, TUN, "tunnel transform-set one", SA_IN("1000") },
	    "tunnel transform-set two", ERR,
	    "must have exactly one transform; two has 2" },
	{ { TS1, TUN, "tunnel transform-set one", SA_IN("1000"), "exit" },
	    "ipsec transform-set one transform esp-aes128-sha esp-aes256-sha",
	    ERR, "used by manual tunnel ipsec:alpha" },
	/* ... and that transform is the one its manual SAs use */
	{ { TS1, TUN, "tunnel transform-set one", SA_IN("1000"), "exit" },
	    "ipsec transform-set one transform esp-aes256-sha", ERR,
	    "used by manual tunnel ipsec:alpha, whose SAs use another "
	    "transform" },
	{ { TS1, TUN, "tunnel transform-set one", SA_IN("1000"), "exit" },
	    "ipsec transform-set one transform esp-aes128-sha", OK, NULL,
	    "ipsec transform-set one transform esp-aes128-sha\n" },
	{ { "ipsec transform-set three transform esp-aes256-sha", TUN,
	      SA_IN("1000") }, "tunnel transform-set three", ERR,
	    "does not hold the transform of the tunnel's manual SAs" },
	{ { "ipsec transform-set three transform esp-aes256-sha", TUN,
	      "tunnel transform-set three" },
	    "tunnel sa manual inbound spi 1000 transform esp-aes128-sha "
	    "encryption-key 0123456789abcdeffedcba9876543210 "
	    "authentication-key 0123456789abcdeffedcba987654321000112233",
	    ERR, "is not the tunnel's transform set three (esp-aes256-sha)" },
	{ { TS1, TUN, "tunnel transform-set one", SA_IN("1000") },
	    "tunnel transform-set one", OK, NULL,
	    " tunnel transform-set one\n" },

	/* transform sets: one protocol, distinct transforms */
	{ { NULL }, "ipsec transform-set mix transform esp-aes128-sha ah-sha",
	    ERR, "AH and ESP transforms cannot be mixed" },
	{ { NULL }, "ipsec transform-set mix transform ah-sha esp-aes128-sha",
	    ERR, "AH and ESP transforms cannot be mixed" },
	{ { NULL }, "ipsec transform-set dup transform esp-aes128-sha "
	    "esp-3des-sha esp-aes128-sha", ERR,
	    "Transform esp-aes128-sha is given twice" },
	{ { NULL }, "ipsec transform-set ah transform ah-sha256 ah-md5", OK,
	    NULL, "ipsec transform-set ah transform ah-sha256 ah-md5\n" },
	{ { NULL }, "ipsec transform-set x transform esp-rot13-sha", ERR,
	    "Unknown transform 'esp-rot13-sha'" },
	{ { NULL }, "ipsec transform-set x transform esp-null", ERR,
	    "Unknown transform 'esp-null'" },
	{ { NULL }, "ipsec transform-set x transform ah-aes128", ERR,
	    "Unknown transform 'ah-aes128'" },
	/* ESP without integrity: accepted with a warning */
	{ { NULL }, "ipsec transform-set weak transform esp-aes128", OK,
	    "Warning: esp-aes128 has no integrity protection",
	    "ipsec transform-set weak transform esp-aes128\n" },
	{ { NULL }, "ipsec transform-set weak transform esp-aes256-sha256 "
	    "esp-3des", OK, "Warning: esp-3des",
	    "ipsec transform-set weak transform esp-aes256-sha256 esp-3des\n" },

	/* backup destination: after the destination, of its type */
	{ { TUN, "tunnel destination 192.0.2.1" },
	    "tunnel destination backup gw.example.com", ERR,
	    "The backup destination (fqdn) must be of the destination's type "
	    "(ipv4)" },
	{ { TUN, "tunnel destination 192.0.2.1" },
	    "tunnel destination backup 2001:db8::1", ERR,
	    "The backup destination (ipv6) must be of the destination's type "
	    "(ipv4)" },
	{ { TUN, "tunnel destination gw.example.com" },
	    "tunnel destination backup vpn@gw2.example.com", ERR,
	    "must be of the destination's type" },
	{ { TUN, "tunnel destination vpn@gw.example.com" },
	    "tunnel destination backup gw2.example.com", ERR,
	    "must be of the destination's type" },
	{ { TUN, "tunnel destination gw.example.com" },
	    "tunnel destination backup 192.0.2.2", ERR,
	    "must be of the destination's type" },
	{ { TUN, "tunnel destination 2001:db8::1" },
	    "tunnel destination backup 192.0.2.2", ERR,
	    "must be of the destination's type" },
	{ { TUN, "tunnel destination 192.0.2.1" },
	    "tunnel destination backup 192.0.2.2", OK, NULL,
	    " tunnel destination 192.0.2.1\n tunnel destination backup "
	    "192.0.2.2\n" },
	{ { TUN, "tunnel destination gw.example.com" },
	    "tunnel destination backup gw2.example.com", OK, NULL,
	    " tunnel destination backup gw2.example.com\n" },
	{ { TUN, "tunnel destination vpn@gw.example.com" },
	    "tunnel destination backup ops@gw2.example.com", OK, NULL,
	    " tunnel destination backup ops@gw2.example.com\n" },
	{ { TUN }, "tunnel destination backup 192.0.2.2", ERR,
	    "Configure tunnel destination before its backup" },
	{ { TUN, "tunnel destination 192.0.2.1",
	    "tunnel destination backup 192.0.2.2" }, "no tunnel destination",
	    ERR, "Remove the backup destination first" },
	{ { TUN, "tunnel destination 192.0.2.1",
	    "tunnel destination backup 192.0.2.2" },
	    "tunnel destination gw.example.com", ERR,
	    "must be of the destination's type" },
	{ { TUN, "tunnel destination 192.0.2.1",
	    "tunnel destination backup 192.0.2.2" },
	    "tunnel destination 192.0.2.9", OK, NULL,
	    " tunnel destination 192.0.2.9\n tunnel destination backup "
	    "192.0.2.2\n" },
	{ { TUN, "tunnel destination 192.0.2.1",
	    "tunnel destination backup 192.0.2.2" },
	    "no tunnel destination backup", OK, NULL, NULL, "backup" },

	/* source and destination addresses: one family */
	{ { TUN, "tunnel source 192.0.2.1" }, "tunnel destination 2001:db8::1",
	    ERR, "Source and destination must be of one address family" },
	{ { TUN, "tunnel destination 2001:db8::1" }, "tunnel source 192.0.2.1",
	    ERR, "Source and destination must be of one address family" },
	{ { TUN, "tunnel source 2001:db8::2" }, "tunnel destination 2001:db8::1",
	    OK, NULL, " tunnel destination 2001:db8::1\n" },
	{ { TUN, "tunnel source 192.0.2.1" },
	    "tunnel destination gw.example.com", OK, NULL,
	    " tunnel destination gw.example.com\n" },
	{ { TUN }, "tunnel destination 192.0.2.300", ERR, "not a valid" },

	/* routes */
	{ { NULL }, "ip route 10.0.0.0/8 tunnel ipsec:nope", ERR,
	    "Tunnel ipsec:nope does not exist" },
	{ { NULL }, "ipv6 route 2001:db8::/32 tunnel ipsec:nope", ERR,
	    "Tunnel ipsec:nope does not exist" },
	{ { TUN, "exit" }, "ip route 10.0.0.0/8 tunnel alpha", ERR,
	    "must be given as ipsec:NAME" },
	{ { TUN, "exit" }, "ip route 10.0.0.1/8 tunnel ipsec:alpha", ERR,
	    "'10.0.0.1/8' has host bits set beyond /8" },
	{ { NULL }, "ipv6 route 2001:db8::1/32 2001:db8:ffff::1", ERR,
	    "has host bits set beyond /32" },
	{ { NULL }, "ip route 10.0.0.0/8 2001:db8::1", ERR,
	    "'2001:db8::1' is not a valid IPv4 address" },
	{ { NULL }, "ipv6 route 2001:db8::/32 192.0.2.1", ERR,
	    "'192.0.2.1' is not a valid IPv6 address" },
	{ { TUN, "exit" }, "ip route 10.0.0.0/8 tunnel ipsec:alpha 192.0.2.1",
	    ERR, "Give a tunnel or a next hop, not both" },
	{ { NULL }, "ip route 10.0.0.0/8", ERR, "Incomplete command" },
	{ { NULL }, "no ip route 10.0.0.0/8", ERR,
	    "No such route to 10.0.0.0/8 in virtual-router default" },
	{ { TUN, "exit" }, "ip route 10.0.0.0/8 tunnel ipsec:alpha", OK, NULL,
	    "ip route 10.0.0.0/8 tunnel ipsec:alpha\n" },
	{ { TUN, "exit" }, "ipv6 route 2001:db8::/32 tunnel ipsec:alpha "
	    "distance 9", OK, NULL,
	    "ipv6 route 2001:db8::/32 tunnel ipsec:alpha distance 9\n" },

	/* values checked where they are typed */
	{ { "virtual-router v table 100" }, "virtual-router v table 100", OK,
	    NULL, "virtual-router v table 100\n" },
	{ { NULL }, "ipsec key pre-share 192.0.2.1 key \"\"", ERR,
	    "A pre-shared key is 1-256 characters" },
	{ { NULL }, "ipsec key pre-share 192.0.2.1 transport-virtual-router",
	    ERR, "" },
	{ { NULL }, "hostname " HOST63, OK, NULL, "hostname " HOST63 "\n" },
	{ { NULL }, "hostname " HOST64, ERR, "must be 1-63 characters" },
	{ { NULL }, "hostname bad!name", ERR, "may contain only" },
	{ { TUN }, "tunnel local selector 10.0.0.1-2001:db8::1", ERR,
	    "is not a valid IPv4 address" },
	{ { TUN }, "tunnel local selector 2001:db8::1-2001:db8::9", OK, NULL,
	    " tunnel local selector 2001:db8::1-2001:db8::9\n" },
	{ { TUN }, "tunnel peer selector 2001:DB8:0::/32", OK, NULL,
	    " tunnel peer selector 2001:db8::/32\n" },
	{ { TUN }, "tunnel peer selector bogus", ERR, "is not a selector" },
	{ { TUN }, "ip address 172.16.0.1/33", ERR, "out of range <0-32>" },
	{ { TUN }, "ip address 2001:db8::1/64", ERR,
	    "is not a valid IPv4 prefix" },
	{ { TUN }, "ip address 172.16.0.1", ERR, "is not a valid IPv4 prefix" },
	{ { TUN }, "ipv6 address 172.16.0.1/30", ERR,
	    "is not a valid IPv6 prefix" },
	{ { TUN, "ip address 172.16.0.1/30" }, "ip unnumbered", OK, NULL,
	    " ip unnumbered\n", "ip address" },
	{ { TUN, "ip unnumbered" }, "ip address 172.16.0.1/30", OK, NULL,
	    " ip address 172.16.0.1/30\n", "unnumbered" },
	{ { TUN }, "tunnel ike-version 3", ERR, "'3' is not one of: 1 | 2" },
	{ { TUN }, "tunnel establish sometimes", ERR,
	    "'sometimes' is not one of: immediately | on-traffic | "
	    "responder-only" },
	{ { TUN }, "tunnel local-identity fqdn 192.0.2.1", ERR,
	    "is not a valid fqdn" },
	{ { TUN }, "tunnel local-identity address gw.example.com", ERR,
	    "is not a valid IP address" },
	{ { TUN }, "tunnel local-identity dn \"\"", ERR,
	    "A dn must be non-empty" },
	{ { TUN }, "tunnel local-identity fqdn a.example.com dn \"CN=x\"", ERR,
	    "Give exactly one of" },
	{ { RULE7 }, "match", ERR, "Give local-address, "
	    "transport-virtual-router or both" },

	/* unknown words after a command */
	{ { NULL }, "hostname r1 extra", ERR, "Invalid input at 'extra'" },
	{ { NULL }, "virtual-router v table 10 extra", ERR,
	    "Invalid input at 'extra'" },
	{ { NULL }, "ipsec lifetime seconds 2000 extra 3", ERR,
	    "Invalid input at 'extra'" },
	{ { NULL }, "ipsec dpd interval 10 extra", ERR,
	    "Invalid input at 'extra'" },
	{ { NULL }, "ipsec local-identity fqdn a.example.com extra", ERR,
	    "Invalid input at 'extra'" },
	{ { NULL }, "ipsec key pre-share 192.0.2.1 key s3cret extra", ERR,
	    "Invalid input at 'extra'" },
	{ { NULL }, "ipsec trap-hook /bin/true extra", ERR,
	    "Invalid input at 'extra'" },
	/* "no" forms take no words beyond their own */
	{ { "ipsec trap-hook /bin/true" }, "no ipsec trap-hook /bin/true "
	    "event rekey", ERR, "Invalid input at 'event'" },
	{ { TS1 }, "no ipsec transform-set one transform esp-aes128-sha", ERR,
	    "Invalid input" },
	{ { TUN, "ip address 10.0.0.1/30" }, "no ip address 10.0.0.1/30 x",
	    ERR, "Invalid input at 'x'" },
	{ { TUN, "ip address 10.0.0.1/30" }, "no ip address 10.0.0.2/30",
	    ERR, "Address 10.0.0.2/30 is not configured" },
	{ { TUN, "ip address 10.0.0.1/30" },
	    "no ip address 10.0.0.1 255.255.255.252", OK, NULL, NULL,
	    "ip address" },
	{ { TUN, "ip address 10.0.0.1/30" }, "no ip address", OK, NULL, NULL,
	    "ip address" },
	{ { TUN, "ipv6 address 2001:db8::1/64" },
	    "no ipv6 address 2001:db8::1/64", OK, NULL, NULL,
	    "ipv6 address 2001:db8::1/64" },
	{ { TUN, "ipv6 address 2001:db8::1/64" },
	    "no ipv6 address 2001:db8::2/64", ERR, "is not configured" },
	/* a user@fqdn's user part is a plain word, for the same reason */
	{ { NULL }, "ipsec key pre-share \"a|b@example.com\" key k1", ERR,
	    "is not a valid user@fqdn" },
	{ { NULL }, "ipsec key pre-share o.brien+vpn@example.com key k1", OK,
	    NULL, "ipsec key pre-share o.brien+vpn@example.com key encrypted" },
	{ { TUN }, "do show ipsec tunnel ipsec: detail", ERR,
	    "tunnel name '' must be 1-32 characters" },
	/* a trap hook path is one plain word, so running-config replays */
	{ { NULL }, "ipsec trap-hook \"/opt/a b\"", ERR,
	    "letters, digits and / . _ + -" },
	{ { NULL }, "ip route 10.0.0.0/8 192.0.2.1 distance 5 extra", ERR,
	    "Invalid input at 'extra'" },
	{ { NULL }, "ip route 10.0.0.0/8 192.0.2.1 extra", ERR,
	    "Invalid input at 'extra'" },
	{ { NULL }, "interface tunnel ipsec:alpha extra", ERR,
	    "Invalid input at 'extra'" },
	{ { NULL }, "ipsec ike-policy-rule 5 extra", ERR,
	    "Invalid input at 'extra'" },
	{ { TUN }, "tunnel mtu 1400 extra", ERR, "Invalid input at 'extra'" },
	{ { TUN }, "shutdown now", ERR, "Invalid input at 'now'" },
	{ { TUN }, "tunnel destination 192.0.2.1 192.0.2.2", ERR,
	    "Invalid input at '192.0.2.2'" },
	{ { TUN }, "tunnel pfs group 14 15", ERR, "Invalid input at '15'" },
	{ { TUN }, "ip unnumbered extra", ERR, "Invalid input at 'extra'" },
	{ { TUN }, "ip address 172.16.0.1 255.255.255.0 extra", ERR,
	    "Invalid input at 'extra'" },
	{ { TUN }, SA_IN("1000") " extra", ERR, "Invalid input at 'extra'" },
	{ { "ipsec ike-policy-rule 5" }, "group 14 extra", ERR,
	    "Invalid input at 'extra'" },
	{ { "ipsec ike-policy-rule 5" }, "match local-address 192.0.2.1 extra",
	    ERR, "Invalid input at 'extra'" },
	{ { "end" }, "show running-config extra", ERR,
	    "Invalid input at 'extra'" },
	{ { NULL }, "frobnicate the tunnels", ERR, "Invalid" },
};

START_TEST(test_rules)
{
	case_run(&rule_cases[_i]);
}
END_TEST

/* Manual SA keys: exactly the transform's length, only the keys it takes. */
#define SA(t, keys) "tunnel sa manual inbound spi 1000 transform " t " " keys
#define SA_OK(t, keys) { { TUN }, SA(t, keys), OK, NULL, \
	" tunnel sa manual inbound spi 1000 transform " t " " }

static const struct cli_case sa_cases[] = {
	SA_OK("esp-des-md5", "encryption-key " K16 " authentication-key " K32),
	SA_OK("esp-3des-sha", "encryption-key " K48 " authentication-key " K40),
	SA_OK("esp-aes128-sha256", "encryption-key " K32
	    " authentication-key " K64),
	SA_OK("esp-aes192-sha384", "encryption-key " K48
	    " authentication-key " K96),
	SA_OK("esp-aes256-sha512", "encryption-key " K64
	    " authentication-key " K128),
	SA_OK("esp-aes128-gcm", "encryption-key " K40),
	SA_OK("esp-aes256-gcm", "encryption-key " K72),
	SA_OK("esp-chacha20-poly1305", "encryption-key " K72),
	SA_OK("esp-null-sha", "authentication-key " K40),
	SA_OK("esp-null-md5", "authentication-key " K32),
	SA_OK("ah-sha256", "authentication-key " K64),
	SA_OK("ah-md5", "authentication-key " K32),
	SA_OK("esp-aes256", "encryption-key " K64),
	/* upper-case hex is hex */
	SA_OK("esp-des-md5", "encryption-key 0123456789ABCDEF "
	    "authentication-key " K32),
	/* keys in either order */
	SA_OK("esp-3des-sha", "authentication-key " K40 " encryption-key " K48),

	/* wrong lengths name the number of hex digits */
	{ { TUN }, SA("esp-aes128-sha", "encryption-key " K30
	    " authentication-key " K40), ERR,
	    "encryption-key for esp-aes128-sha must be 32 hex digits "
	    "(16 bytes)" },
	{ { TUN }, SA("esp-aes128-sha", "encryption-key " K32 "0"
	    " authentication-key " K40), ERR, "must be 32 hex digits" },
	{ { TUN }, SA("esp-aes128-sha", "encryption-key " K32
	    " authentication-key " K32), ERR,
	    "authentication-key for esp-aes128-sha must be 40 hex digits "
	    "(20 bytes)" },
	{ { TUN }, SA("esp-3des-md5", "encryption-key " K32
	    " authentication-key " K32), ERR, "must be 48 hex digits" },
	{ { TUN }, SA("esp-des-md5", "encryption-key " K32
	    " authentication-key " K32), ERR, "must be 16 hex digits" },
	{ { TUN }, SA("esp-aes192-sha", "encryption-key " K64
	    " authentication-key " K40), ERR, "must be 48 hex digits" },
	{ { TUN }, SA("esp-aes256-sha", "encryption-key " K48
	    " authentication-key " K40), ERR, "must be 64 hex digits" },
	{ { TUN }, SA("esp-aes128-gcm", "encryption-key " K32), ERR,
	    "must be 40 hex digits" },
	{ { TUN }, SA("esp-aes256-gcm", "encryption-key " K64), ERR,
	    "must be 72 hex digits" },
	{ { TUN }, SA("esp-chacha20-poly1305", "encryption-key " K64), ERR,
	    "must be 72 hex digits" },
	{ { TUN }, SA("esp-null-sha256", "authentication-key " K40), ERR,
	    "must be 64 hex digits" },
	{ { TUN }, SA("ah-sha384", "authentication-key " K64), ERR,
	    "must be 96 hex digits" },
	{ { TUN }, SA("ah-sha512", "authentication-key " K96), ERR,
	    "must be 128 hex digits" },
	{ { TUN }, SA("esp-aes128-sha", "encryption-key "
	    "zz23456789abcdeffedcba9876543210 authentication-key " K40), ERR,
	    "must be 32 hex digits" },

	/* a key the transform does not take */
	{ { TUN }, SA("esp-aes128-gcm", "encryption-key " K40
	    " authentication-key " K40), ERR,
	    "Transform esp-aes128-gcm takes no authentication-key" },
	{ { TUN }, SA("esp-null-sha", "encryption-key " K32
	    " authentication-key " K40), ERR,
	    "Transform esp-null-sha takes no encryption-key" },
	{ { TUN }, SA("ah-sha", "encryption-key " K32 " authentication-key "
	    K40), ERR, "Transform ah-sha takes no encryption-key" },
	{ { TUN }, SA("esp-aes128", "encryption-key " K32
	    " authentication-key " K40), ERR,
	    "takes no authentication-key" },

	/* a missing key */
	{ { TUN }, SA("esp-aes128-sha", "encryption-key " K32), ERR,
	    "Transform esp-aes128-sha needs authentication-key (20 bytes, 40 "
	    "hex digits)" },
	{ { TUN }, SA("esp-aes128-sha", "authentication-key " K40), ERR,
	    "Transform esp-aes128-sha needs encryption-key (16 bytes, 32 hex "
	    "digits)" },
	{ { TUN }, SA("ah-sha", ""), ERR, "needs authentication-key" },
	{ { TUN }, SA("esp-aes256-gcm", ""), ERR, "needs encryption-key" },

	/* the rest of the command */
	{ { TUN }, "tunnel sa manual inbound spi 1000 transform esp-rot13-sha",
	    ERR, "Unknown transform 'esp-rot13-sha'" },
	{ { TUN }, "tunnel sa manual inbound spi 1000", ERR,
	    "Incomplete command" },
	{ { TUN }, "tunnel sa manual inbound transform esp-null-sha "
	    "authentication-key " K40, ERR, "Incomplete command" },
	{ { TUN }, "tunnel sa manual sideways spi 1000 transform esp-null-sha "
	    "authentication-key " K40, ERR,
	    "direction 'sideways' is not one of: inbound | outbound" },
	{ { TUN }, "no tunnel sa manual inbound", ERR, "No manual inbound SA" },

	/* SPIs: an inbound SPI belongs to one tunnel */
	{ { TUN, SA_IN("1000"), "exit", TUN2 }, SA_IN("1000"), ERR,
	    "SPI 1000 is already used by tunnel ipsec:alpha (inbound)" },
	{ { TUN, SA_IN("1000"), "exit", TUN2 }, SA_IN("1001"), OK, NULL,
	    "interface tunnel ipsec:beta\n tunnel sa manual inbound spi 1001 " },
	{ { TUN, SA_IN("1000") }, SA_IN("1000"), OK, NULL,
	    " tunnel sa manual inbound spi 1000 " },
	{ { TUN, SA_IN("1000") }, "tunnel sa manual outbound spi 1000 "
	    "transform esp-aes128-sha encryption-key " K32
	    " authentication-key " K40, OK, NULL,
	    " tunnel sa manual outbound spi 1000 " },
};

START_TEST(test_sa_keys)
{
	case_run(&sa_cases[_i]);
}
END_TEST

/* key encrypted BLOB: accepted back on this device, for this peer and VR
 * only; the clear secret never appears. */
START_TEST(test_psk_blob)
{
	struct clirun *r = cli_config(), *other;
	char	*run1, *run2, *blob, *bad, line[1024];
	size_t	 n;

	ck_ok(r, "virtual-router blue");
	ck_ok(r, "ipsec key pre-share 192.0.2.1 key Sup3rS3cretValue");
	ck_ok(r, "ipsec key pre-share vpn@gw.example.com key "
	    "\"two word secret\"");
	run1 = running(r);
	ck_hasnt(run1, "Sup3rS3cretValue", "running-config");
	ck_hasnt(run1, "two word secret", "running-config");
	ck_hasnt(run1, "53757033725333637265745661", "running-config (hex)");
	blob = blob_of(run1, "pre-share 192.0.2.1 ", "key");

	/* the printed line is accepted back, and prints the same */
	ck_ok(r, "no ipsec key pre-share 192.0.2.1");
	run2 = running(r);
	ck_hasnt(run2, "192.0.2.1", "after no ipsec key");
	free(run2);
	snprintf(line, sizeof(line), "ipsec key pre-share 192.0.2.1 key "
	    "encrypted %s", blob);
	ck_ok(r, line);
	run2 = running(r);
	ck_same(run1, run2, "running-config");
	free(run2);

	/* a damaged blob, a truncated one */
	bad = strdup(blob);
	n = strlen(bad);
	bad[n / 2] = bad[n / 2] == '0' ? '1' : '0';
	snprintf(line, sizeof(line), "ipsec key pre-share 192.0.2.1 key "
	    "encrypted %s", bad);
	ck_refused(r, line, "does not decrypt");
	bad[n - 2] = '\0';
	snprintf(line, sizeof(line), "ipsec key pre-share 192.0.2.1 key "
	    "encrypted %s", bad);
	ck_refused(r, line, "does not decrypt");
	ck_refused(r, "ipsec key pre-share 192.0.2.1 key encrypted 00ff",
	    "does not decrypt");
	free(bad);

	/* another peer, the same peer in another VR */
	snprintf(line, sizeof(line), "ipsec key pre-share 192.0.2.2 key "
	    "encrypted %s", blob);
	ck_refused(r, line, "does not decrypt");
	snprintf(line, sizeof(line), "ipsec key pre-share 192.0.2.1 "
	    "transport-virtual-router blue key encrypted %s", blob);
	ck_refused(r, line, "does not decrypt");
	run2 = running(r);
	ck_same(run1, run2, "running-config");
	free(run2);

	/* another device (another device.key) */
	other = cli_config();
	snprintf(line, sizeof(line), "ipsec key pre-share 192.0.2.1 key "
	    "encrypted %s", blob);
	ck_refused(other, line, "does not decrypt");
	clirun_free(other);

	ck_refused(r, "ipsec key pre-share 192.0.2.1 key encrypted",
	    "needs the encrypted BLOB");
	ck_refused(r, "ipsec key pre-share 192.0.2.1", "Incomplete command");
	free(blob);
	free(run1);
	clirun_free(r);
}
END_TEST

/* Manual SA keys: stored encrypted, bound to tunnel, direction and key. */
START_TEST(test_sa_blob)
{
	struct clirun *r = cli_config();
	char	*run1, *run2, *detail, *eblob, *ablob, line[1024];

	ck_ok(r, TUN);
	ck_ok(r, "tunnel sa manual inbound spi 1000 transform esp-aes128-sha "
	    "encryption-key " K32 " authentication-key " K40);
	ck_ok(r, "tunnel sa manual outbound spi 2000 transform esp-aes256-gcm "
	    "encryption-key " K72);
	run1 = running(r);
	ck_hasnt(run1, K32, "running-config");
	ck_hasnt(run1, "00112233", "running-config");
	ck_hasnt(run1, "8899aabb", "running-config");
	ck_ok(r, "do show ipsec tunnel ipsec:alpha detail");
	detail = strdup(out());
	ck_has(detail, "manual", "show ipsec tunnel detail");
	ck_hasnt(detail, K32, "show ipsec tunnel detail");
	ck_hasnt(detail, "8899aabb", "show ipsec tunnel detail");
	free(detail);
	eblob = blob_of(run1, "inbound spi 1000", "encryption-key");
	ablob = blob_of(run1, "inbound spi 1000", "authentication-key");

	/* accepted back as printed */
	snprintf(line, sizeof(line), "tunnel sa manual inbound spi 1000 "
	    "transform esp-aes128-sha encryption-key encrypted %s "
	    "authentication-key encrypted %s", eblob, ablob);
	ck_ok(r, line);
	run2 = running(r);
	ck_same(run1, run2, "running-config");
	free(run2);

	/* the keys swapped: each is bound to its role */
	snprintf(line, sizeof(line), "tunnel sa manual inbound spi 1000 "
	    "transform esp-aes128-sha encryption-key encrypted %s "
	    "authentication-key " K40, ablob);
	ck_refused(r, line, "does not decrypt");
	/* another direction */
	snprintf(line, sizeof(line), "tunnel sa manual outbound spi 2000 "
	    "transform esp-aes128-sha encryption-key encrypted %s "
	    "authentication-key " K40, eblob);
	ck_refused(r, line, "does not decrypt");
	/* a key of the wrong length for the transform (16 of 32 bytes) */
	snprintf(line, sizeof(line), "tunnel sa manual inbound spi 1000 "
	    "transform esp-aes256-sha encryption-key encrypted %s "
	    "authentication-key " K40, eblob);
	ck_refused(r, line, "The encrypted key is 16 bytes");
	/* another tunnel */
	ck_ok(r, "exit");
	ck_ok(r, TUN2);
	snprintf(line, sizeof(line), "tunnel sa manual inbound spi 3000 "
	    "transform esp-aes128-sha encryption-key encrypted %s "
	    "authentication-key " K40, eblob);
	ck_refused(r, line, "does not decrypt");
	run2 = running(r);
	ck_has(run2, "interface tunnel ipsec:beta\nexit\n", "running-config");
	free(run2);
	free(eblob);
	free(ablob);
	free(run1);
	clirun_free(r);
}
END_TEST

/* no interface tunnel takes the routes into it along, and only those. */
START_TEST(test_tunnel_removal_routes)
{
	static const char *const setup[] = {
		"virtual-router blue",
		TUN, "exit", TUN2, "exit",
		"ip route 10.1.0.0/16 tunnel ipsec:alpha",
		"ip route 10.4.0.0/16 tunnel ipsec:alpha distance 7",
		"ipv6 route 2001:db8:1::/48 tunnel ipsec:alpha",
		"ip route virtual-router blue 10.3.0.0/16 tunnel ipsec:alpha",
		"ip route 10.2.0.0/16 tunnel ipsec:beta",
		"ip route 0.0.0.0/0 192.0.2.254",
		NULL,
	};
	struct clirun *r = cli_config();
	char	*text;

	run_all(r, setup);
	ck_ok(r, "no interface tunnel ipsec:alpha");
	ck_has(out(), "Removed 4 static route(s) into ipsec:alpha",
	    "no interface tunnel");
	text = running(r);
	ck_hasnt(text, "ipsec:alpha", "running-config after no interface");
	ck_has(text, "ip route 10.2.0.0/16 tunnel ipsec:beta\n",
	    "running-config after no interface");
	ck_has(text, "ip route 0.0.0.0/0 192.0.2.254\n",
	    "running-config after no interface");
	ck_has(text, "interface tunnel ipsec:beta\n",
	    "running-config after no interface");
	free(text);
	ck_ok(r, "do show ip route");
	ck_hasnt(out(), "alpha", "show ip route");
	ck_has(out(), "10.2.0.0/16", "show ip route");
	ck_refused(r, "no interface tunnel ipsec:alpha",
	    "Tunnel ipsec:alpha does not exist");
	/* a tunnel of the same name later starts without routes */
	ck_ok(r, TUN);
	ck_ok(r, "exit");
	text = running(r);
	ck_has(text, "interface tunnel ipsec:alpha\nexit\n", "running-config");
	ck_hasnt(text, "tunnel ipsec:alpha\n!", "running-config");
	ck_hasnt(text, "route 10.1.0.0/16", "running-config");
	free(text);
	clirun_free(r);
}
END_TEST

/* "tunnel dpd" has "the same meaning and defaults as ipsec dpd": the same
 * sequence of commands gives the same settings. */
START_TEST(test_dpd_same_meaning)
{
	static const char *const steps[] = {
		"dpd",
		"dpd mode always-send interval 30 threshold 4",
		"dpd interval 20",
		"dpd threshold 3",
		"dpd mode probe-idle",
		"dpd",
	};
	struct clirun *r = cli_config();
	char	 line[128], *text, *g, *t, gv[96], tv[96];
	size_t	 i;

	for (i = 0; i < nelems(steps); i++) {
		snprintf(line, sizeof(line), "ipsec %s", steps[i]);
		ck_ok(r, line);
		ck_ok(r, TUN);
		snprintf(line, sizeof(line), "tunnel %s", steps[i]);
		ck_ok(r, line);
		ck_ok(r, "exit");
		text = running(r);
		g = strstr(text, "ipsec dpd ");
		t = strstr(text, " tunnel dpd ");
		ck_assert_msg(g != NULL && t != NULL, "no dpd lines:\n%.2500s",
		    text);
		sscanf(g + strlen("ipsec dpd "), "%95[^\n]", gv);
		sscanf(t + strlen(" tunnel dpd "), "%95[^\n]", tv);
		if (i == 0)
			ck_assert_str_eq(gv,
			    "mode optimized interval 10 threshold 5");
		ck_assert_msg(strcmp(gv, tv) == 0, "after '%s' (step %zu): "
		    "ipsec dpd is \"%s\" but tunnel dpd is \"%s\"", steps[i],
		    i + 1, gv, tv);
		free(text);
	}
	clirun_free(r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 3. refused commands change nothing */

/* A configuration with something of everything, for the tests below. */
static const char *const rich_config[] = {
	"hostname hq-gw",
	"virtual-router wan table 100",
	"virtual-router lan",
	"virtual-router mgmt table 4294967294",
	"ipsec lifetime seconds 7200 kilobytes 500000",
	"ipsec local-identity dn \"CN=hq gw, O=Example Corp, C=DE\"",
	"ipsec dpd mode probe-idle interval 15 threshold 4",
	"ipsec transform-set strong transform esp-aes256-gcm esp-aes256-sha256 "
	    "esp-chacha20-poly1305",
	"ipsec transform-set legacy transform esp-3des-sha esp-aes128",
	"ipsec transform-set auth-only transform ah-sha256 ah-sha",
	"ipsec transform-set m1 transform esp-aes128-sha",
	"ipsec transform-set m2 transform esp-aes256-gcm",
	"ipsec ike-policy-rule 10",
	" authentication ecdsa-sig",
	" encryption aes128-gcm",
	" hash sha384",
	" group 20",
	" lifetime 3600",
	" aggressive-mode requested",
	" match local-address 192.0.2.1 transport-virtual-router wan",
	"exit",
	"ipsec ike-policy-rule 20",
	" group 31",
	" match local-address 2001:db8::1",
	"exit",
	"ipsec ike-policy-rule 10000",
	" encryption 3des",
	" hash sha",
	" group 2",
	" authentication rsa-sig",
	" match transport-virtual-router lan",
	"exit",
	"ipsec key pre-share 198.51.100.2 key \"branch secret 1\"",
	"ipsec key pre-share 2001:db8:ffff::2 key v6-Secret-2",
	"ipsec key pre-share gw.branch.example.com key fqdn-Secret-3",
	"ipsec key pre-share vpn@branch.example.com key user-Secret-4",
	"ipsec key pre-share 203.0.113.9 transport-virtual-router wan key "
	    "wan-Secret-5",
	"ipsec key pre-share peer.example.net transport-virtual-router wan key "
	    "wan-Secret-6",
	"ipsec key pre-share ops@peer.example.net transport-virtual-router "
	    "wan key wan-Secret-7",
	"ipsec trap-hook /usr/local/libexec/sectun/snmptrap event tunnel-up "
	    "tunnel-down failover",
	"ipsec trap-hook /bin/true",
	"ipsec trap-hook /bin/false event peer-dead auth-failure rekey",
	"interface tunnel ipsec:branch",
	" description \"branch | office one\"",
	" virtual-router lan",
	" tunnel transport-virtual-router wan",
	" tunnel source 192.0.2.1",
	" tunnel destination 198.51.100.2",
	" tunnel destination backup 198.51.100.3",
	" tunnel transform-set strong",
	" tunnel pfs group 19",
	" tunnel lifetime seconds 3600 kilobytes 200000",
	" tunnel local-identity fqdn hq.example.com",
	" tunnel peer-identity user-fqdn vpn@branch.example.com",
	" tunnel local selector 10.1.0.0/16",
	" tunnel peer selector 10.2.0.0/16",
	" tunnel ike-version 1",
	" tunnel establish on-traffic",
	" tunnel dpd mode always-send interval 30 threshold 3",
	" tunnel mtu 1400",
	" ip address 172.16.0.1/30",
	" ipv6 address 2001:db8:100::1/64",
	" ipv6 address fd00:1::1/64",
	" ipv6 address 2001:db8:101::1/64",
	"exit",
	"interface tunnel ipsec:roadwarrior",
	" description roaming users, all of them",
	" tunnel destination gw.branch.example.com",
	" tunnel destination backup gw2.branch.example.com",
	" tunnel source hq.example.com",
	" tunnel local-identity user-fqdn hq@example.com",
	" tunnel peer-identity dn \"CN=road warrior, O=Example\"",
	" tunnel local selector any",
	" tunnel peer selector 10.9.0.10-10.9.0.99",
	" tunnel establish responder-only",
	" tunnel lifetime kilobytes 1000000",
	" tunnel transform-set legacy",
	" ip unnumbered",
	" shutdown",
	"exit",
	"interface tunnel ipsec:manual1",
	" tunnel source 2001:db8::1",
	" tunnel destination 2001:db8:ffff::2",
	" tunnel transform-set m1",
	" tunnel sa manual inbound spi 1000 transform esp-aes128-sha "
	    "encryption-key " K32 " authentication-key " K40,
	" tunnel sa manual outbound spi 2000 transform esp-aes128-sha "
	    "encryption-key " K32B " authentication-key " K40B,
	" ip address 172.16.1.1 255.255.255.0",
	" tunnel lifetime seconds 1800",
	" ipv6 address 2001:db8:1::1/127",
	"exit",
	"interface tunnel ipsec:manual2",
	" tunnel transform-set m2",
	" tunnel sa manual inbound spi 4294967295 transform esp-aes256-gcm "
	    "encryption-key " K72,
	" tunnel sa manual outbound spi 256 transform esp-aes256-gcm "
	    "encryption-key " K72,
	" tunnel mtu 160",
	" tunnel pfs group 1",
	" tunnel dpd",
	" tunnel transport-virtual-router mgmt",
	"exit",
	"ip route 0.0.0.0/0 192.0.2.254 distance 250",
	"ip route virtual-router wan 0.0.0.0/0 192.0.2.254",
	"ip route virtual-router lan 10.2.0.0/16 tunnel ipsec:branch",
	"ip route virtual-router lan 10.2.0.0/16 192.0.2.99 distance 200",
	"ip route 10.9.0.0/24 tunnel ipsec:roadwarrior",
	"ipv6 route 2001:db8:200::/48 tunnel ipsec:manual1 distance 5",
	"ipv6 route ::/0 2001:db8::fffe",
	"ipv6 route virtual-router lan 2001:db8:300::/48 tunnel ipsec:branch",
	NULL,
};

/* The clear secrets of rich_config. */
static const char *const rich_secrets[] = {
	"branch secret 1", "v6-Secret-2", "fqdn-Secret-3", "user-Secret-4",
	"wan-Secret-5", "wan-Secret-6", "wan-Secret-7", K32, K40, K32B, K40B,
	K72, "fedcba9876543210", "a5a5a5a5", "5a5a5a5a",
};

/* Refused commands of many kinds, each after entering its mode. */
static const struct {
	const char	*enter;		/* NULL: global configuration */
	const char	*cmd;
	const char	*expect;
} atomic_cases[] = {
	{ NULL, "virtual-router x table 254", "reserved" },
	{ NULL, "virtual-router x table 100", "already used" },
	{ NULL, "no virtual-router wan", "in use by" },
	{ NULL, "no virtual-router lan", "in use by" },
	{ NULL, "no virtual-router default", "cannot be removed" },
	{ NULL, "no ipsec transform-set strong", "ipsec:branch" },
	{ NULL, "ipsec transform-set m1 transform esp-aes128-sha "
	    "esp-aes256-sha", "used by manual tunnel ipsec:manual1" },
	{ NULL, "ipsec transform-set strong transform esp-aes128-sha ah-sha",
	    "cannot be mixed" },
	{ NULL, "ipsec transform-set strong transform esp-aes128-sha "
	    "esp-aes256-sha esp-3des-sha esp-aes128-gcm esp-aes256-gcm "
	    "esp-aes192-sha256 esp-des-md5", "at most 6" },
	{ NULL, "ipsec lifetime seconds 1000 kilobytes 200000",
	    "out of range" },
	{ NULL, "ipsec lifetime seconds 3600 kilobytes 1", "out of range" },
	{ NULL, "ipsec dpd mode optimized interval 1", "out of range" },
	{ NULL, "ipsec key pre-share 198.51.100.2 key encrypted 0011223344",
	    "does not decrypt" },
	{ NULL, "ipsec key pre-share " FQDN81 " key x", "longer than 80" },
	{ NULL, "ip route 10.2.0.1/16 tunnel ipsec:branch", "host bits" },
	{ NULL, "ip route 10.7.0.0/16 tunnel ipsec:nope", "does not exist" },
	{ NULL, "ip route virtual-router nope 10.7.0.0/16 192.0.2.1",
	    "does not exist" },
	{ NULL, "no ip route 10.77.0.0/16", "No such route" },
	{ NULL, "no interface tunnel ipsec:nope", "does not exist" },
	{ NULL, "no ipsec ike-policy-rule 77", "does not exist" },
	{ NULL, "no ipsec key pre-share 192.0.2.77", "No pre-shared key" },
	{ NULL, "no ipsec trap-hook /nonexistent", "No trap hook" },
	{ NULL, "interface tunnel ipsec:" N33, "1-32 characters" },
	{ NULL, "hostname -bad", "must be 1-63 characters" },
	{ NULL, "ipsec trap-hook relative/path", "absolute path" },
	{ "interface tunnel ipsec:branch", "tunnel destination 2001:db8::9",
	    "must be of the destination's type" },
	{ "interface tunnel ipsec:branch", "tunnel source 2001:db8::9",
	    "one address family" },
	{ "interface tunnel ipsec:branch", "no tunnel destination",
	    "backup" },
	{ "interface tunnel ipsec:branch", "tunnel transform-set nope",
	    "does not exist" },
	{ "interface tunnel ipsec:branch", "virtual-router nope",
	    "does not exist" },
	{ "interface tunnel ipsec:branch", "tunnel mtu 9001", "out of range" },
	{ "interface tunnel ipsec:branch", "description \"a \\\"quoted\\\" "
	    "word\"", "cannot contain" },
	{ "interface tunnel ipsec:branch", "tunnel local selector 10.1.0.1/16",
	    "host bits" },
	{ "interface tunnel ipsec:branch", "tunnel peer selector "
	    "10.2.0.99-10.2.0.1", "ends before it starts" },
	{ "interface tunnel ipsec:branch", "ip address 172.16.0.1 "
	    "255.0.255.0", "not a contiguous network mask" },
	{ "interface tunnel ipsec:branch", "tunnel mtu 1500 extra",
	    "Invalid input" },
	{ "interface tunnel ipsec:manual1", "tunnel transform-set strong",
	    "exactly one transform" },
	{ "interface tunnel ipsec:manual1", "tunnel sa manual inbound spi "
	    "1000 transform esp-aes128-sha encryption-key " K30
	    " authentication-key " K40, "must be 32 hex digits" },
	{ "interface tunnel ipsec:manual2", "tunnel sa manual inbound spi "
	    "1000 transform esp-aes256-gcm encryption-key " K72,
	    "already used by tunnel ipsec:manual1" },
	{ "interface tunnel ipsec:manual2", "no tunnel sa manual inbound "
	    "extra", "Invalid input" },
	{ "ipsec ike-policy-rule 10", "group 3", "is not one of" },
	{ "ipsec ike-policy-rule 10", "lifetime 86401", "out of range" },
	{ "ipsec ike-policy-rule 10", "match transport-virtual-router nope",
	    "does not exist" },
};

START_TEST(test_refused_changes_nothing)
{
	struct clirun *r = cli_config();
	struct snap s;
	const char *enter = atomic_cases[_i].enter;
	const char *cmd = atomic_cases[_i].cmd;

	run_all(r, rich_config);
	if (enter != NULL)
		ck_ok(r, enter);
	snap_take(r, &s);
	ck_refused(r, cmd, atomic_cases[_i].expect);
	snap_same(r, &s, cmd);
	clirun_free(r);
}
END_TEST

/* Many refused commands in a row, then the database is still the one the
 * accepted commands made: a second device given the same accepted
 * commands prints the same configuration. */
START_TEST(test_refused_in_a_row)
{
	struct clirun *r = cli_config();
	struct snap s;
	size_t	 i;

	run_all(r, rich_config);
	snap_take(r, &s);
	for (i = 0; i < nelems(atomic_cases); i++) {
		if (atomic_cases[i].enter != NULL)
			ck_ok(r, atomic_cases[i].enter);
		ck_refused(r, atomic_cases[i].cmd, atomic_cases[i].expect);
		ck_ok(r, "end");
		ck_ok(r, "configure terminal");
	}
	snap_same(r, &s, "the refused commands");
	clirun_free(r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 4. running-config */

START_TEST(test_running_rich)
{
	struct clirun *r = cli_config();
	char	*text;
	size_t	 i;

	run_all(r, rich_config);
	text = running(r);
	/* canonical forms and the order of sections */
	ck_has(text, "!\nhostname hq-gw\n!\nvirtual-router lan\n"
	    "virtual-router mgmt table 4294967294\n"
	    "virtual-router wan table 100\n!\n", "running-config");
	ck_has(text, "ipsec lifetime seconds 7200 kilobytes 500000\n"
	    "ipsec local-identity dn \"CN=hq gw, O=Example Corp, C=DE\"\n"
	    "ipsec dpd mode probe-idle interval 15 threshold 4\n",
	    "running-config");
	ck_has(text, "ipsec transform-set strong transform esp-aes256-gcm "
	    "esp-aes256-sha256 esp-chacha20-poly1305\n", "running-config");
	ck_has(text, "ipsec ike-policy-rule 10\n authentication ecdsa-sig\n"
	    " encryption aes128-gcm\n hash sha384\n group 20\n lifetime 3600\n"
	    " aggressive-mode requested\n match local-address 192.0.2.1 "
	    "transport-virtual-router wan\nexit\n", "running-config");
	ck_has(text, "ipsec trap-hook /bin/false event peer-dead auth-failure "
	    "rekey\nipsec trap-hook /bin/true\n", "running-config");
	ck_has(text, " description \"branch | office one\"\n",
	    "running-config");
	ck_has(text, " description \"roaming users, all of them\"\n",
	    "running-config");
	ck_has(text, " ip address 172.16.1.1/24\n", "running-config");
	ck_has(text, " ip unnumbered\n", "running-config");
	ck_has(text, " ipv6 address 2001:db8:100::1/64\n"
	    " ipv6 address 2001:db8:101::1/64\n ipv6 address fd00:1::1/64\n",
	    "running-config");
	ck_has(text, " shutdown\nexit\n", "running-config");
	ck_has(text, " tunnel peer selector 10.9.0.10-10.9.0.99\n",
	    "running-config");
	ck_hasnt(text, "selector any", "running-config");
	ck_has(text, "ip route virtual-router lan 10.2.0.0/16 192.0.2.99 "
	    "distance 200\n", "running-config");
	ck_has(text, "ipv6 route 2001:db8:200::/48 tunnel ipsec:manual1 "
	    "distance 5\n", "running-config");
	ck_has(text, "!\nend\n", "running-config");
	for (i = 0; i < nelems(rich_secrets); i++)
		ck_hasnt(text, rich_secrets[i], "running-config (secret)");
	free(text);
	clirun_free(r);
}
END_TEST

/* Replaying running-config into an empty database on the same device
 * gives the identical running-config. */
START_TEST(test_running_round_trip)
{
	struct clirun *a = cli_config(), *b;
	char	*run1, *run2;

	run_all(a, rich_config);
	run1 = running(a);
	b = clirun_new_in(clirun_dir(a), "replay.db");
	ck_assert_msg(b != NULL, "clirun_new_in failed");
	ck_assert_str_ne(clirun_db(a), clirun_db(b));
	run2 = running(b);
	ck_assert_msg(strstr(run2, "hostname") == NULL, "the second database "
	    "is not empty:\n%.2500s", run2);
	free(run2);
	ck_ok(b, "configure terminal");
	replay(b, run1);
	run2 = running(b);
	ck_same(run1, run2, "running-config replayed (original vs replayed)");
	/* and once more: replaying onto itself changes nothing */
	ck_ok(b, "configure terminal");
	replay(b, run2);
	free(run2);
	run2 = running(b);
	ck_same(run1, run2, "running-config replayed twice");
	free(run1);
	free(run2);
	clirun_free(b);
	clirun_free(a);
}
END_TEST

/* Values a user may type that must survive the round trip: each accepted
 * line must come back from the replay as it was printed. */
static const struct {
	const char	*lines[4];
	int		 must_accept;	/* else refusing it is fine too */
} quoting_cases[] = {
	{ { TUN, "description \"branch | office, it's one\"", "exit" }, 1 },
	{ { TUN, "description \"!important\"", "exit" }, 1 },
	{ { TUN, "description   two   blanks  ", "exit" }, 1 },
	{ { "ipsec local-identity dn \"O=O'Brien | x, CN=a\"" }, 1 },
	{ { TUN, "tunnel peer-identity dn \"CN=peer one, O=X | Y\"",
	    "exit" }, 1 },
	{ { "ipsec key pre-share 192.0.2.1 key \"with | pipe and blanks\"" },
	    1 },
	{ { "ipsec trap-hook \"/opt/sectun hooks/notify\" event rekey" }, 0 },
	{ { "ipsec trap-hook \"/opt/hook|tee\"" }, 0 },
	{ { "ipsec trap-hook \"/opt/it's\"" }, 0 },
};

START_TEST(test_running_round_trip_quoting)
{
	struct clirun *a = cli_config(), *b;
	char	*run1, *run2;
	size_t	 i;
	int	 st;

	for (i = 0; quoting_cases[_i].lines[i] != NULL; i++) {
		st = run(a, quoting_cases[_i].lines[i]);
		if (st != OK && !quoting_cases[_i].must_accept) {
			clirun_free(a);
			return;		/* refused at entry: fine */
		}
		ck_assert_msg(st == OK, "'%s': status %d\n%.1500s",
		    quoting_cases[_i].lines[i], st, out());
	}
	run1 = running(a);
	b = clirun_new_in(clirun_dir(a), "replay.db");
	ck_assert_msg(b != NULL, "clirun_new_in failed");
	ck_ok(b, "configure terminal");
	replay(b, run1);
	run2 = running(b);
	ck_assert_msg(strcmp(run1, run2) == 0, "after '%s' the replay "
	    "differs at %s (original vs replayed)",
	    quoting_cases[_i].lines[quoting_cases[_i].lines[1] ? 1 : 0],
	    text_diff(run1, run2));
	free(run1);
	free(run2);
	clirun_free(b);
	clirun_free(a);
}
END_TEST

/* The output does not depend on the order or spelling of the commands. */
START_TEST(test_running_order_independent)
{
	static const char *const one[] = {
		"hostname hq",
		"virtual-router wan table 100",
		"virtual-router lan",
		"ipsec transform-set ts transform esp-aes256-gcm esp-aes128-sha",
		"ipsec trap-hook /bin/true event peer-dead tunnel-up",
		"ipsec ike-policy-rule 20", "group 19", "exit",
		"ipsec ike-policy-rule 10", "hash sha384", "exit",
		"ipsec dpd mode always-send",
		"ipsec lifetime kilobytes 200000",
		"ipsec lifetime seconds 3600",
		"interface tunnel ipsec:zeta",
		"tunnel destination GW.Example.COM",
		"tunnel local-identity user-fqdn Ops@HQ.Example.COM",
		"exit",
		"interface tunnel ipsec:alpha",
		"ip address 172.16.0.1 255.255.255.252",
		"ipv6 address 2001:DB8:0:0::1/64",
		"ipv6 address 2001:db8:0:1::1/64",
		"tunnel peer selector 10.2.0.0/16",
		"tunnel source 192.0.2.1",
		"tunnel destination 198.51.100.2",
		"shutdown",
		"tunnel mtu 1400",
		"exit",
		"ip route 10.2.0.0/16 tunnel ipsec:alpha",
		"ipv6 route 2001:db8:2::/48 tunnel ipsec:alpha",
		"ip route virtual-router wan 0.0.0.0/0 192.0.2.254",
		"ip route 10.1.0.0/16 192.0.2.2 distance 10",
		NULL,
	};
	static const char *const two[] = {
		"virtual-router lan",
		"virtual-router wan table 100",
		"interface tunnel ipsec:alpha",
		"tunnel mtu 1400",
		"shutdown",
		"tunnel destination 198.51.100.2",
		"tunnel source 192.0.2.1",
		"ipv6 address 2001:db8:0:1::1/64",
		"ipv6 address 2001:db8::1/64",
		"tunnel peer selector 10.2.0.0/16",
		"ip address 172.16.0.1/30",
		"exit",
		"ip route 10.1.0.0/16 192.0.2.2 distance 10",
		"ip route virtual-router wan 0.0.0.0/0 192.0.2.254",
		"ipv6 route 2001:DB8:2::/48 tunnel ipsec:alpha",
		"ip route 10.2.0.0/16 tunnel ipsec:alpha",
		"interface tunnel ipsec:zeta",
		"tunnel local-identity user-fqdn Ops@hq.example.com",
		"tunnel destination gw.example.com",
		"exit",
		"ipsec lifetime seconds 3600 kilobytes 200000",
		"ipsec dpd mode always-send interval 10 threshold 5",
		"ipsec ike-policy-rule 10", "hash sha384", "exit",
		"ipsec ike-policy-rule 20", "group 19", "exit",
		"ipsec trap-hook /bin/true event tunnel-up peer-dead tunnel-up",
		"ipsec transform-set ts transform esp-aes256-gcm esp-aes128-sha",
		"hostname hq",
		NULL,
	};
	struct clirun *a = cli_config(), *b = cli_config();
	char	*run1, *run2;

	run_all(a, one);
	run_all(b, two);
	run1 = running(a);
	run2 = running(b);
	ck_same(run1, run2, "the same configuration typed in another order");
	ck_has(run1, " tunnel destination gw.example.com\n", "running-config");
	ck_has(run1, " ipv6 address 2001:db8::1/64\n", "running-config");
	ck_has(run1, "ipsec trap-hook /bin/true event tunnel-up peer-dead\n",
	    "running-config");
	free(run1);
	free(run2);
	clirun_free(a);
	clirun_free(b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 5. modes, do, abbreviations, filters, "no" forms */

START_TEST(test_modes)
{
	struct clirun *r = cli_new();
	char	*text;

	/* privileged exec: configuration commands are not here */
	ck_refused(r, "virtual-router red", "Invalid");
	ck_ok(r, "show virtual-router");
	ck_ok(r, "configure terminal");
	ck_refused(r, "show running-config", "Invalid");
	ck_refused(r, "description not here", "Invalid");

	/* config-if: its commands; exit returns to config */
	ck_ok(r, "interface tunnel ipsec:x");
	ck_ok(r, "description in config-if");
	ck_ok(r, "virtual-router default");
	ck_ok(r, "exit");
	ck_refused(r, "description again", "Invalid");
	ck_ok(r, "virtual-router blue");	/* global: creates the VR */
	text = running(r);
	ck_has(text, "virtual-router blue\n", "running-config");
	ck_has(text, "interface tunnel ipsec:x\n description \"in config-if\"\n"
	    "exit\n", "running-config");
	free(text);

	/* exit from config returns to exec */
	ck_ok(r, "exit");
	ck_refused(r, "virtual-router red", "Invalid");
	ck_ok(r, "show running-config");
	ck_hasnt(out(), "virtual-router red", "show running-config");
	ck_ok(r, "configure terminal");

	/* end: from config-if straight to exec */
	ck_ok(r, "interface tunnel ipsec:x");
	ck_ok(r, "end");
	ck_refused(r, "description from exec", "Invalid");
	ck_ok(r, "show running-config");
	ck_has(out(), "description \"in config-if\"", "show running-config");

	/* config-ike-policy: its commands; exit returns to config */
	ck_ok(r, "configure terminal");
	ck_ok(r, "ipsec ike-policy-rule 5");
	ck_ok(r, "group 19");
	ck_ok(r, "exit");
	ck_refused(r, "group 20", "Invalid");
	ck_ok(r, "ipsec ike-policy-rule 5");
	ck_ok(r, "end");
	ck_refused(r, "group 20", "Invalid");

	/* exit from exec ends the session */
	ck_assert_int_eq(run(r, "exit"), CTL_STATUS_END);
	clirun_free(r);
}
END_TEST

START_TEST(test_do)
{
	struct clirun *r = cli_config();

	ck_ok(r, "virtual-router blue table 10");
	ck_ok(r, "do show virtual-router");
	ck_has(out(), "blue", "do show virtual-router in config");
	ck_has(out(), "default", "do show virtual-router in config");
	ck_ok(r, "interface tunnel ipsec:x");
	ck_ok(r, "do show virtual-router");
	ck_has(out(), "blue", "do show virtual-router in config-if");
	/* do keeps the mode, even when the exec command fails */
	ck_refused(r, "do show ip route virtual-router nope",
	    "Virtual router nope does not exist");
	ck_ok(r, "description still in config-if");
	ck_ok(r, "do show running-config | include description");
	ck_assert_str_eq(out(), " description \"still in config-if\"\n");
	ck_ok(r, "exit");
	ck_ok(r, "ipsec ike-policy-rule 5");
	ck_ok(r, "do show virtual-router");
	ck_has(out(), "blue", "do show virtual-router in config-ike-policy");
	ck_ok(r, "do show ipsec ike-policy-rule 5");
	ck_has(out(), "ike-policy-rule 5", "do show ipsec ike-policy-rule");
	ck_ok(r, "group 19");
	ck_refused(r, "do frobnicate", "Invalid");
	ck_ok(r, "lifetime 600");
	clirun_free(r);
}
END_TEST

/* A global command typed in a sub-mode is the global command. */
START_TEST(test_global_from_submode)
{
	struct clirun *r = cli_config();
	char	*text;

	ck_ok(r, "interface tunnel ipsec:x");
	ck_ok(r, "ip route 10.9.0.0/16 tunnel ipsec:x");
	ck_ok(r, "interface tunnel ipsec:x");
	ck_ok(r, "ipv6 route 2001:db8:9::/48 tunnel ipsec:x distance 3");
	ck_ok(r, "interface tunnel ipsec:x");
	ck_ok(r, "hostname edge1");
	/* from one tunnel straight into another */
	ck_ok(r, "interface tunnel ipsec:x");
	ck_ok(r, "interface tunnel ipsec:y");
	ck_ok(r, "description for y");
	ck_ok(r, "ipsec ike-policy-rule 5");
	ck_ok(r, "virtual-router green");
	text = running(r);
	ck_has(text, "hostname edge1\n", "running-config");
	ck_has(text, "virtual-router green\n", "running-config");
	ck_has(text, "ip route 10.9.0.0/16 tunnel ipsec:x\n",
	    "running-config");
	ck_has(text, "ipv6 route 2001:db8:9::/48 tunnel ipsec:x distance 3\n",
	    "running-config");
	ck_hasnt(text, " virtual-router green", "running-config (the tunnel)");
	ck_has(text, "interface tunnel ipsec:x\nexit\ninterface tunnel ipsec:y\n"
	    " description \"for y\"\nexit\n", "running-config");
	free(text);
	clirun_free(r);
}
END_TEST

START_TEST(test_abbreviations)
{
	struct clirun *r = cli_new();
	char	*text;

	ck_ok(r, "conf t");
	ck_ok(r, "virt blue tab 10");
	ck_ok(r, "ipsec trans ts trans esp-aes128-sha");
	ck_ok(r, "ipsec life sec 3600");
	ck_ok(r, "int tun ipsec:x");
	ck_ok(r, "desc hello");
	ck_ok(r, "tun dest 192.0.2.1");
	ck_ok(r, "tun mtu 1400");
	ck_ok(r, "end");
	ck_ok(r, "sh run");
	text = strdup(out());
	ck_has(text, "virtual-router blue table 10\n", "sh run");
	ck_has(text, "ipsec lifetime seconds 3600 kilobytes 102400\n",
	    "sh run");
	ck_has(text, "ipsec transform-set ts transform esp-aes128-sha\n",
	    "sh run");
	ck_has(text, "interface tunnel ipsec:x\n description \"hello\"\n"
	    " tunnel destination 192.0.2.1\n tunnel mtu 1400\nexit\n",
	    "sh run");
	ck_ok(r, "show running-config");
	ck_same(out(), text, "show running-config vs sh run");
	free(text);
	ck_ok(r, "sh virt");
	ck_has(out(), "blue", "sh virt");
	/* ambiguous: tunnel or transform-set */
	ck_assert_int_eq(run(r, "show ipsec t"), ERR);
	clirun_free(r);
}
END_TEST

START_TEST(test_unknown_command)
{
	struct clirun *r = cli_new();

	ck_refused(r, "frobnicate", "Invalid");
	ck_refused(r, "show frobnication", "Invalid");
	ck_ok(r, "configure terminal");
	ck_refused(r, "frobnicate", "Invalid");
	ck_refused(r, "ipsec frobnicate", "Invalid");
	ck_ok(r, "interface tunnel ipsec:x");
	ck_refused(r, "tunnel frobnicate", "Invalid");
	clirun_free(r);
}
END_TEST

/* The exec commands of CLI.md that show or change configuration-level
 * state exist and succeed. Those that act on negotiated state (show ipsec
 * ike-sa, show ipsec statistics, clear ipsec ..., request ipsec rekey ...)
 * arrive with the IKE runtime and are tested there. */
static const struct {
	const char	*cmd;
	int		 must_succeed;
} exec_cases[] = {
	{ "show ipsec tunnel", 1 },
	{ "show ipsec tunnel ipsec:alpha", 1 },
	{ "show ipsec tunnel detail", 1 },
	{ "show ipsec tunnel ipsec:alpha detail", 1 },
	{ "show ipsec tunnel summary", 1 },
	{ "show ipsec transform-set", 1 },
	{ "show ipsec transform-set one", 1 },
	{ "show ipsec ike-policy-rule", 1 },
	{ "show ipsec ike-policy-rule 7", 1 },
	{ "show ipsec lifetime", 1 },
	{ "show ipsec local-identity", 1 },
	{ "show virtual-router", 1 },
	{ "show ip route", 1 },
	{ "show ip route virtual-router blue", 1 },
	{ "show running-config", 1 },
	{ "debug ipsec ike", 1 },
	{ "debug ipsec all", 1 },
	{ "undebug all", 1 },
};

START_TEST(test_exec_commands)
{
	static const char *const setup[] = {
		TS1, VRBLUE, RULE7, "exit", TUN, "tunnel transform-set one",
		"tunnel destination 192.0.2.1", "exit",
		"ip route virtual-router blue 10.0.0.0/8 192.0.2.9", "end", NULL,
	};
	struct clirun *r = cli_config();
	const char *cmd = exec_cases[_i].cmd;
	int	 st;

	run_all(r, setup);
	st = run(r, cmd);
	ck_assert_msg(strstr(out(), "Invalid command") == NULL, "'%s' is "
	    "not a command (CLI.md, Exec commands): %.500s", cmd, out());
	if (exec_cases[_i].must_succeed)
		ck_assert_msg(st == OK, "'%s': status %d\n%.1500s", cmd, st,
		    out());
	clirun_free(r);
}
END_TEST

/* Output filters on show running-config, compared with the unfiltered
 * text line by line. */
START_TEST(test_filters)
{
	static const char *const setup[] = {
		"hostname hq", "virtual-router blue",
		TUN, "tunnel destination 192.0.2.1",
		"tunnel destination backup 192.0.2.2", "exit",
		TUN2, "tunnel destination gw.example.com", "exit",
		"ip route 10.2.0.0/16 tunnel ipsec:alpha",
		"end", NULL,
	};
	struct clirun *r = cli_config();
	char	*full, *want, count[32];
	const char *p;
	int	 n = 0;

	run_all(r, setup);
	full = running(r);
	for (p = full; *p != '\0'; p++)
		n += *p == '\n';

	want = lines_where(full, line_has, "destination");
	ck_ok(r, "show running-config | include destination");
	ck_assert_str_eq(out(), want);
	ck_ok(r, "show running-config | inc destination");
	ck_assert_str_eq(out(), want);
	ck_ok(r, "show running-config | i destination");
	ck_assert_str_eq(out(), want);
	free(want);

	want = lines_where(full, line_hasnt, "destination");
	ck_ok(r, "show running-config | exclude destination");
	ck_assert_str_eq(out(), want);
	ck_ok(r, "show running-config | exc destination");
	ck_assert_str_eq(out(), want);
	free(want);

	p = strstr(full, "interface");
	ck_assert(p != NULL);
	ck_ok(r, "show running-config | begin interface");
	ck_assert_str_eq(out(), p);
	ck_ok(r, "show running-config | beg interface");
	ck_assert_str_eq(out(), p);

	snprintf(count, sizeof(count), "%d\n", n);
	ck_ok(r, "show running-config | count");
	ck_assert_str_eq(out(), count);
	ck_ok(r, "show running-config | cou");
	ck_assert_str_eq(out(), count);
	ck_ok(r, "show running-config | include destination | count");
	ck_assert_str_eq(out(), "3\n");

	/* chains, quoted text */
	ck_ok(r, "show running-config | begin interface | include "
	    "destination");
	ck_assert_str_eq(out(), " tunnel destination 192.0.2.1\n"
	    " tunnel destination backup 192.0.2.2\n"
	    " tunnel destination gw.example.com\n");
	ck_ok(r, "show running-config | include \"destination backup\"");
	ck_assert_str_eq(out(), " tunnel destination backup 192.0.2.2\n");
	ck_ok(r, "show running-config | include destination | exclude backup");
	ck_assert_str_eq(out(), " tunnel destination 192.0.2.1\n"
	    " tunnel destination gw.example.com\n");
	/* case-sensitive; nothing matches */
	ck_ok(r, "show running-config | include DESTINATION");
	ck_assert_str_eq(out(), "");
	ck_ok(r, "show running-config | begin no-such-line");
	ck_assert_str_eq(out(), "");

	/* errors are never filtered */
	ck_refused(r, "show ip route virtual-router nope | include zzz",
	    "Virtual router nope does not exist");
	ck_refused(r, "show ip route virtual-router nope | count",
	    "Virtual router nope does not exist");

	/* in a configuration mode, through do */
	ck_ok(r, "configure terminal");
	ck_ok(r, "do show running-config | include hostname");
	ck_assert_str_eq(out(), "hostname hq\n");
	free(full);
	clirun_free(r);
}
END_TEST

/* Each "no" form restores what was there before the command. */
static const struct {
	const char	*context[6];	/* run first; the baseline */
	const char	*set[4];
	const char	*no;
} no_cases[] = {
	{ { NULL }, { "hostname hq" }, "no hostname" },
	{ { NULL }, { "virtual-router blue table 100" }, "no virtual-router blue" },
	{ { NULL }, { "ipsec lifetime seconds 3600 kilobytes 200000" },
	    "no ipsec lifetime" },
	{ { NULL }, { "ipsec local-identity fqdn hq.example.com" },
	    "no ipsec local-identity" },
	{ { NULL }, { "ipsec local-identity dn \"CN=hq, O=X\"" },
	    "no ipsec local-identity" },
	{ { NULL }, { "ipsec dpd mode probe-idle interval 20 threshold 3" },
	    "no ipsec dpd" },
	{ { NULL }, { "ipsec transform-set ts transform esp-aes256-sha256" },
	    "no ipsec transform-set ts" },
	{ { NULL }, { "ipsec ike-policy-rule 10", "group 19", "exit" },
	    "no ipsec ike-policy-rule 10" },
	{ { NULL }, { "ipsec key pre-share 192.0.2.1 key s3cret" },
	    "no ipsec key pre-share 192.0.2.1" },
	{ { "virtual-router blue" }, { "ipsec key pre-share vpn@gw.example.com "
	    "transport-virtual-router blue key s3cret" },
	    "no ipsec key pre-share vpn@gw.example.com transport-virtual-router "
	    "blue" },
	{ { NULL }, { "ipsec trap-hook /bin/true event tunnel-up" },
	    "no ipsec trap-hook /bin/true" },
	{ { NULL }, { TUN, "description x", "exit" },
	    "no interface tunnel ipsec:alpha" },
	{ { TUN, "exit" }, { "ip route 10.2.0.0/16 tunnel ipsec:alpha" },
	    "no ip route 10.2.0.0/16 tunnel ipsec:alpha" },
	{ { NULL }, { "ip route 10.2.0.0/16 192.0.2.254 distance 20" },
	    "no ip route 10.2.0.0/16 192.0.2.254" },
	{ { NULL }, { "ip route 10.2.0.0/16 192.0.2.254 distance 20" },
	    "no ip route 10.2.0.0/16 192.0.2.254 distance 20" },
	{ { "virtual-router blue" },
	    { "ip route virtual-router blue 0.0.0.0/0 192.0.2.254" },
	    "no ip route virtual-router blue 0.0.0.0/0 192.0.2.254" },
	{ { NULL }, { "ipv6 route 2001:db8:2::/48 2001:db8::1" },
	    "no ipv6 route 2001:db8:2::/48 2001:db8::1" },
	{ { NULL }, { "ipv6 route 2001:db8:2::/48 2001:db8::1" },
	    "no ipv6 route 2001:db8:2::/48" },
	/* the IKE policy rule's settings */
	{ { "ipsec ike-policy-rule 10" }, { "authentication rsa-sig" },
	    "no authentication" },
	{ { "ipsec ike-policy-rule 10" }, { "encryption aes128" },
	    "no encryption" },
	{ { "ipsec ike-policy-rule 10" }, { "hash sha512" }, "no hash" },
	{ { "ipsec ike-policy-rule 10" }, { "group 19" }, "no group" },
	{ { "ipsec ike-policy-rule 10" }, { "group 19" }, "no group 19" },
	{ { "ipsec ike-policy-rule 10" }, { "lifetime 3600" }, "no lifetime" },
	{ { "ipsec ike-policy-rule 10" }, { "aggressive-mode accepted" },
	    "no aggressive-mode" },
	{ { "ipsec ike-policy-rule 10" },
	    { "match local-address 192.0.2.1 transport-virtual-router "
	    "default" }, "no match" },
	/* the tunnel's settings */
	{ { TUN }, { "description a b c" }, "no description" },
	{ { "virtual-router blue", TUN }, { "virtual-router blue" },
	    "no virtual-router" },
	{ { "virtual-router blue", TUN },
	    { "tunnel transport-virtual-router blue" },
	    "no tunnel transport-virtual-router" },
	{ { TUN }, { "tunnel source 192.0.2.1" }, "no tunnel source" },
	{ { TUN }, { "tunnel destination gw.example.com" },
	    "no tunnel destination" },
	{ { TUN, "tunnel destination 192.0.2.1" },
	    { "tunnel destination backup 192.0.2.2" },
	    "no tunnel destination backup" },
	{ { "ipsec transform-set ts transform esp-aes128-sha", TUN },
	    { "tunnel transform-set ts" }, "no tunnel transform-set" },
	{ { TUN }, { "tunnel pfs group 19" }, "no tunnel pfs group" },
	{ { TUN }, { "tunnel lifetime seconds 3600 kilobytes 200000" },
	    "no tunnel lifetime" },
	{ { TUN }, { "tunnel local-identity fqdn hq.example.com" },
	    "no tunnel local-identity" },
	{ { TUN }, { "tunnel peer-identity dn \"CN=peer, O=X\"" },
	    "no tunnel peer-identity" },
	{ { TUN }, { "tunnel local selector 10.1.0.0/16" },
	    "no tunnel local selector" },
	{ { TUN }, { "tunnel local selector 10.1.0.0/16" },
	    "tunnel local selector any" },
	{ { TUN }, { "tunnel peer selector 10.2.0.1-10.2.0.9" },
	    "no tunnel peer selector" },
	{ { TUN }, { "tunnel ike-version 1" }, "no tunnel ike-version" },
	{ { TUN }, { "tunnel ike-version 1" }, "tunnel ike-version 2" },
	{ { TUN }, { "tunnel establish responder-only" },
	    "no tunnel establish" },
	{ { TUN }, { "tunnel establish on-traffic" },
	    "tunnel establish immediately" },
	{ { TUN }, { "tunnel dpd mode always-send interval 30 threshold 4" },
	    "no tunnel dpd" },
	{ { TUN }, { SA_IN("1000") }, "no tunnel sa manual inbound" },
	{ { TUN }, { "tunnel sa manual outbound spi 1000 transform "
	    "esp-null-sha authentication-key " K40 },
	    "no tunnel sa manual outbound" },
	{ { TUN }, { "tunnel mtu 1400" }, "no tunnel mtu" },
	{ { TUN }, { "ip address 172.16.0.1/30" }, "no ip address" },
	{ { TUN }, { "ip address 172.16.0.1 255.255.255.252" },
	    "no ip address" },
	{ { TUN }, { "ip unnumbered" }, "no ip unnumbered" },
	{ { TUN }, { "ipv6 address 2001:db8:1::1/64",
	    "ipv6 address 2001:db8:2::1/64" }, "no ipv6 address" },
	{ { TUN, "ipv6 address 2001:db8:2::1/64" },
	    { "ipv6 address 2001:db8:1::1/64" },
	    "no ipv6 address 2001:db8:1::1/64" },
	{ { TUN }, { "shutdown" }, "no shutdown" },
};

START_TEST(test_no_forms)
{
	struct clirun *r = cli_config();
	char	*base, *set, *now;

	run_all(r, no_cases[_i].context);
	base = running(r);
	run_all(r, no_cases[_i].set);
	set = running(r);
	ck_assert_msg(strcmp(base, set) != 0, "'%s' changed nothing",
	    no_cases[_i].set[0]);
	ck_ok(r, no_cases[_i].no);
	ck_assert_msg(out()[0] == '\0' || strncmp(out(), "% Removed", 9) == 0,
	    "'%s': unexpected output:\n%.1500s", no_cases[_i].no, out());
	now = running(r);
	ck_assert_msg(strcmp(base, now) == 0, "'%s' after '%s' does not "
	    "restore the configuration: before vs after differ at %s",
	    no_cases[_i].no, no_cases[_i].set[0], text_diff(base, now));
	free(base);
	free(set);
	free(now);
	clirun_free(r);
}
END_TEST

/* The whole rich configuration undone with "no" forms leaves the running-
 * config of an empty database. */
START_TEST(test_no_everything)
{
	static const char *const undo[] = {
		"no ipv6 route virtual-router lan 2001:db8:300::/48",
		"no ipv6 route ::/0",
		"no ipv6 route 2001:db8:200::/48 tunnel ipsec:manual1",
		"no ip route 10.9.0.0/24",
		"no ip route virtual-router lan 10.2.0.0/16 192.0.2.99",
		"no ip route virtual-router lan 10.2.0.0/16 tunnel ipsec:branch",
		"no ip route virtual-router wan 0.0.0.0/0 192.0.2.254",
		"no ip route 0.0.0.0/0 192.0.2.254",
		"interface tunnel ipsec:manual2",
		"no tunnel transport-virtual-router", "no tunnel dpd",
		"no tunnel pfs group", "no tunnel mtu",
		"no tunnel sa manual outbound", "no tunnel sa manual inbound",
		"no tunnel transform-set", "exit",
		"interface tunnel ipsec:branch",
		"no shutdown", "no ipv6 address", "no ip address",
		"no tunnel mtu", "no tunnel dpd", "no tunnel establish",
		"no tunnel ike-version", "no tunnel peer selector",
		"no tunnel local selector", "no tunnel peer-identity",
		"no tunnel local-identity", "no tunnel lifetime",
		"no tunnel pfs group", "no tunnel transform-set",
		"no tunnel destination backup", "no tunnel destination",
		"no tunnel source", "no tunnel transport-virtual-router",
		"no virtual-router", "no description", "exit",
		"no interface tunnel ipsec:manual1",
		"no interface tunnel ipsec:manual2",
		"no interface tunnel ipsec:roadwarrior",
		"no interface tunnel ipsec:branch",
		"no ipsec trap-hook /bin/false",
		"no ipsec trap-hook /bin/true",
		"no ipsec trap-hook /usr/local/libexec/sectun/snmptrap",
		"no ipsec key pre-share ops@peer.example.net "
		    "transport-virtual-router wan",
		"no ipsec key pre-share peer.example.net "
		    "transport-virtual-router wan",
		"no ipsec key pre-share 203.0.113.9 transport-virtual-router wan",
		"no ipsec key pre-share vpn@branch.example.com",
		"no ipsec key pre-share gw.branch.example.com",
		"no ipsec key pre-share 2001:db8:ffff::2",
		"no ipsec key pre-share 198.51.100.2",
		"ipsec ike-policy-rule 10000", "no match", "exit",
		"no ipsec ike-policy-rule 10",
		"no ipsec ike-policy-rule 20",
		"no ipsec ike-policy-rule 10000",
		"no ipsec transform-set strong", "no ipsec transform-set legacy",
		"no ipsec transform-set auth-only", "no ipsec transform-set m1",
		"no ipsec transform-set m2",
		"no ipsec dpd", "no ipsec local-identity", "no ipsec lifetime",
		"no virtual-router wan", "no virtual-router lan",
		"no virtual-router mgmt",
		"no hostname",
		NULL,
	};
	struct clirun *r = cli_config(), *fresh = cli_new();
	char	*empty = running(fresh), *now;

	run_all(r, rich_config);
	run_all(r, undo);
	now = running(r);
	ck_same(empty, now, "empty running-config vs after undoing everything");
	ck_assert_str_eq(empty, "!\nend\n");
	free(empty);
	free(now);
	clirun_free(fresh);
	clirun_free(r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 6. sessions */

/* A database another process holds locked: commands fail with the reason
 * (a show never prints an empty configuration as if it were the real one),
 * and nothing changes. */
START_TEST(test_database_unreadable)
{
	struct clirun *r = cli_config();
	sqlite3	*db;
	char	*before, *after;

	ck_ok(r, "hostname locked");
	ck_ok(r, "virtual-router red");
	before = running(r);
	ck_assert_int_eq(sqlite3_open(clirun_db(r), &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL),
	    SQLITE_OK);
	ck_refused(r, "do show running-config", "could not be read");
	ck_assert_msg(strstr(out(), "virtual-router") == NULL, "partial "
	    "output: %s", out());
	ck_refused(r, "virtual-router blue", "");
	ck_assert_int_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	after = running(r);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	clirun_free(r);
}
END_TEST

/* A non-root session: user exec, show commands only, enable refused. */
START_TEST(test_user_exec_session)
{
	struct clirun *r = cli_new(), *u = clirun_session_uid(r, 65534);

	ck_assert_msg(u != NULL, "clirun_session_uid failed");
	ck_ok(r, "configure terminal");
	ck_ok(r, "ipsec key pre-share 192.0.2.1 key s3cret");
	ck_ok(u, "show virtual-router");
	ck_ok(u, "show ipsec tunnel");
	ck_ok(u, "show ipsec transform-set");
	ck_refused(u, "configure terminal", "Invalid command");
	ck_refused(u, "show running-config", "Invalid command");
	ck_refused(u, "debug ipsec ike", "Invalid command");
	ck_refused(u, "enable", "Access denied");
	ck_refused(u, "configure terminal", "Invalid command");
	clirun_free(u);
	clirun_free(r);
}
END_TEST

START_TEST(test_sessions_see_each_other)
{
	struct clirun *a = cli_config(), *b = clirun_session(a);

	ck_assert(b != NULL);
	ck_ok(b, "configure terminal");
	ck_ok(b, "virtual-router blue table 10");
	ck_ok(a, "do show virtual-router");
	ck_has(out(), "blue", "session A after B's virtual-router");
	ck_ok(a, "interface tunnel ipsec:alpha");
	ck_ok(a, "description from a");
	ck_ok(b, "do show running-config | include description");
	ck_assert_str_eq(out(), " description \"from a\"\n");
	ck_ok(b, "interface tunnel ipsec:alpha");
	ck_ok(b, "tunnel mtu 1400");
	ck_ok(a, "do show running-config | include mtu");
	ck_assert_str_eq(out(), " tunnel mtu 1400\n");
	/* A's objects are B's to use and protect */
	ck_ok(a, "virtual-router blue");
	ck_ok(b, "exit");
	ck_refused(b, "no virtual-router blue", "in use by tunnel ipsec:alpha");
	ck_ok(a, "hostname shared");
	ck_ok(b, "do show running-config | include hostname");
	ck_assert_str_eq(out(), "hostname shared\n");
	clirun_free(b);
	clirun_free(a);
}
END_TEST

START_TEST(test_sessions_deleted_under_foot)
{
	struct clirun *a = cli_config(), *b = clirun_session(a);
	char	*text;

	ck_assert(b != NULL);
	ck_ok(b, "configure terminal");
	ck_ok(a, "interface tunnel ipsec:alpha");
	ck_ok(a, "description mine");
	ck_ok(b, "no interface tunnel ipsec:alpha");
	ck_refused(a, "description still mine",
	    "Tunnel ipsec:alpha no longer exists");
	ck_refused(a, "tunnel mtu 1400", "Tunnel ipsec:alpha no longer exists");
	ck_refused(a, "tunnel destination 192.0.2.1", "no longer exists");
	ck_refused(a, "shutdown", "no longer exists");
	ck_refused(a, "no shutdown", "no longer exists");
	ck_refused(a, "ip address 172.16.0.1/30", "no longer exists");
	ck_refused(a, "ipv6 address 2001:db8::1/64", "no longer exists");
	ck_refused(a, "tunnel sa manual inbound spi 1000 transform "
	    "esp-null-sha authentication-key " K40, "no longer exists");
	text = running(a);
	ck_hasnt(text, "alpha", "running-config after the refused commands");
	free(text);
	/* re-entering makes it again */
	ck_ok(a, "exit");
	ck_ok(a, "interface tunnel ipsec:alpha");
	ck_ok(a, "description back");

	/* the same for an IKE policy rule */
	ck_ok(a, "exit");
	ck_ok(a, "ipsec ike-policy-rule 7");
	ck_ok(b, "no ipsec ike-policy-rule 7");
	ck_refused(a, "group 19", "ike-policy-rule 7 no longer exists");
	ck_refused(a, "no group", "ike-policy-rule 7 no longer exists");
	ck_refused(a, "match transport-virtual-router default",
	    "ike-policy-rule 7 no longer exists");
	text = running(a);
	ck_hasnt(text, "ike-policy-rule", "running-config");
	free(text);
	clirun_free(b);
	clirun_free(a);
}
END_TEST

/* ------------------------------------------------------------------ */

static TCase *
tcase(Suite *s, const char *name)
{
	TCase	*tc = tcase_create(name);

	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return tc;
}

static Suite *
cli_suite(void)
{
	Suite	*s = suite_create("cli");
	TCase	*tc;

	tc = tcase(s, "harness");
	tcase_add_test(tc, test_harness_fixtures);
	tcase_add_test(tc, test_harness_output);

	tc = tcase(s, "ranges");
	tcase_add_loop_test(tc, test_ranges, 0, (int)nelems(range_cases));

	tc = tcase(s, "rules");
	tcase_add_loop_test(tc, test_rules, 0, (int)nelems(rule_cases));
	tcase_add_loop_test(tc, test_sa_keys, 0, (int)nelems(sa_cases));
	tcase_add_test(tc, test_psk_blob);
	tcase_add_test(tc, test_sa_blob);
	tcase_add_test(tc, test_tunnel_removal_routes);
	tcase_add_test(tc, test_dpd_same_meaning);

	tc = tcase(s, "atomic");
	tcase_add_loop_test(tc, test_refused_changes_nothing, 0,
	    (int)nelems(atomic_cases));
	tcase_add_test(tc, test_refused_in_a_row);

	tc = tcase(s, "running");
	tcase_add_test(tc, test_running_rich);
	tcase_add_test(tc, test_running_round_trip);
	tcase_add_loop_test(tc, test_running_round_trip_quoting, 0,
	    (int)nelems(quoting_cases));
	tcase_add_test(tc, test_running_order_independent);

	tc = tcase(s, "modes");
	tcase_add_test(tc, test_modes);
	tcase_add_test(tc, test_do);
	tcase_add_test(tc, test_global_from_submode);
	tcase_add_test(tc, test_abbreviations);
	tcase_add_test(tc, test_unknown_command);
	tcase_add_loop_test(tc, test_exec_commands, 0, (int)nelems(exec_cases));
	tcase_add_test(tc, test_filters);
	tcase_add_loop_test(tc, test_no_forms, 0, (int)nelems(no_cases));
	tcase_add_test(tc, test_no_everything);

	tc = tcase(s, "sessions");
	tcase_add_test(tc, test_user_exec_session);
	tcase_add_test(tc, test_database_unreadable);
	tcase_add_test(tc, test_sessions_see_each_other);
	tcase_add_test(tc, test_sessions_deleted_under_foot);
	return s;
}

/* Whether clirun_out() carries stale bytes: the output of show running-
 * config has at least two lines, so a stale tail holds a '\r'. */
static int
harness_stale(void)
{
	struct clirun *r = clirun_new();
	int	 stale;

	if (r == NULL) {
		fprintf(stderr, "check_cli: clirun_new failed\n");
		exit(EXIT_FAILURE);
	}
	clirun(r, "show running-config");
	stale = strchr(clirun_out(r), '\r') != NULL;
	clirun_free(r);
	return stale;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	out_stale = harness_stale();
	sr = srunner_create(cli_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free(last_out);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
