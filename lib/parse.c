/* parse: strict validators for everything a user types. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "util.h"

static const char *const id_type_names[] = {
	[ID_TYPE_NONE] = "none",
	[ID_TYPE_IPV4] = "ipv4",
	[ID_TYPE_IPV6] = "ipv6",
	[ID_TYPE_FQDN] = "fqdn",
	[ID_TYPE_USER_FQDN] = "user-fqdn",
	[ID_TYPE_DN] = "dn",
};

const char *
id_type_name(enum id_type t)
{
	return id_type_names[t];
}

static int
perr(char *err, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(err, ERR_LEN, fmt, ap);
	va_end(ap);
	return -1;
}

int
parse_uint(const char *s, const char *what, uint64_t min, uint64_t max,
    uint64_t *out, char *err)
{
	const char *p;
	unsigned long long v;
	char	*end;

	for (p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			break;
	if (*s == '\0' || *p != '\0' || strlen(s) > 20)
		return perr(err, "%s '%s' is not a number", what, s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || v < min || v > max)
		return perr(err, "%s %s is out of range <%llu-%llu>", what, s,
		    (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int
parse_name(const char *s, const char *what, char *err)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n > NAME_MAX_LEN)
		return perr(err, "%s '%s' must be 1-%d characters", what, s,
		    NAME_MAX_LEN);
	if (!isalnum((unsigned char)s[0]))
		return perr(err, "%s '%s' must start with a letter or digit",
		    what, s);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '_' && c != '-' && c != '.')
			return perr(err, "%s '%s' may contain only letters, "
			    "digits, '_', '-' and '.'", what, s);
	}
	return 0;
}

static int
addr_pton(const char *s, int family, unsigned char *buf, int *fam)
{
	if ((family == 0 || family == 4) && inet_pton(AF_INET, s, buf) == 1) {
		*fam = 4;
		return 0;
	}
	if ((family == 0 || family == 6) && inet_pton(AF_INET6, s, buf) == 1) {
		*fam = 6;
		return 0;
	}
	return -1;
}

int
parse_addr_bytes(const char *s, int *af, unsigned char *out)
{
	int	 fam;

	if (addr_pton(s, 0, out, &fam) == -1)
		return -1;
	*af = fam == 4 ? AF_INET : AF_INET6;
	return 0;
}

static const char *
family_word(int family)
{
	return family == 4 ? "IPv4 address" : family == 6 ? "IPv6 address" :
	    "IP address";
}

int
parse_addr(const char *s, int family, char *out, int *fam, char *err)
{
	unsigned char buf[16];
	int	 f;

	if (addr_pton(s, family, buf, &f) == -1)
		return perr(err, "'%s' is not a valid %s", s,
		    family_word(family));
	inet_ntop(f == 4 ? AF_INET : AF_INET6, buf, out, ADDR_LEN);
	if (fam != NULL)
		*fam = f;
	return 0;
}

static int
host_bits_set(const unsigned char *buf, int bytes, unsigned len)
{
	int	 i;

	for (i = 0; i < bytes; i++) {
		unsigned bit = (unsigned)i * 8;
		unsigned char keep = bit >= len ? 0 :
		    len - bit >= 8 ? 0xff : (unsigned char)(0xff << (8 - (len - bit)));
		if (buf[i] & (unsigned char)~keep)
			return 1;
	}
	return 0;
}

int
parse_prefix(const char *s, int family, int strict, char *out, int *fam,
    char *err)
{
	char	 addr[ADDR_TEXT_LEN], text[ADDR_LEN];
	const char *slash = strchr(s, '/');
	unsigned char buf[16];
	uint64_t len;
	char	 lerr[ERR_LEN];
	int	 f;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(addr))
		return perr(err, "'%s' is not a valid %s prefix (PREFIX/LEN)",
		    s, family == 6 ? "IPv6" : family == 4 ? "IPv4" : "IP");
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (addr_pton(addr, family, buf, &f) == -1)
		return perr(err, "'%s' is not a valid %s prefix (PREFIX/LEN)",
		    s, family == 6 ? "IPv6" : family == 4 ? "IPv4" : "IP");
	if (parse_uint(slash + 1, "prefix length", 0, f == 4 ? 32 : 128, &len,
	    lerr) == -1)
		return perr(err, "'%s': %s", s, lerr);
	if (strict && host_bits_set(buf, f == 4 ? 4 : 16, (unsigned)len))
		return perr(err, "'%s' has host bits set beyond /%u", s,
		    (unsigned)len);
	inet_ntop(f == 4 ? AF_INET : AF_INET6, buf, text, sizeof(text));
	snprintf(out, ADDR_TEXT_LEN, "%s/%u", text, (unsigned)len);
	if (fam != NULL)
		*fam = f;
	return 0;
}

int
parse_addr_mask(const char *addr, const char *mask, char *out, char *err)
{
	char	 a[ADDR_LEN];
	struct in_addr m;
	uint32_t v;
	unsigned len = 0;

	if (parse_addr(addr, 4, a, NULL, err) == -1)
		return -1;
	if (inet_pton(AF_INET, mask, &m) != 1)
		return perr(err, "'%s' is not a valid network mask", mask);
	v = ntohl(m.s_addr);
	while (len < 32 && (v & (0x80000000u >> len)))
		len++;
	if (len < 32 && (v << len) != 0)
		return perr(err, "'%s' is not a contiguous network mask", mask);
	snprintf(out, ADDR_TEXT_LEN, "%s/%u", a, len);
	return 0;
}

int
parse_selector(const char *s, char *out, char *err)
{
	char	 lo[ADDR_TEXT_LEN], hi[ADDR_TEXT_LEN], a[ADDR_LEN],
		 b[ADDR_LEN];
	unsigned char x[16], y[16];
	const char *dash;
	int	 fa, fb;

	if (strcmp(s, "any") == 0) {
		str_copy(out, "any", ADDR_TEXT_LEN);
		return 0;
	}
	if (strchr(s, '/') != NULL)
		return parse_prefix(s, 0, 1, out, NULL, err);
	dash = strchr(s, '-');
	if (dash == NULL || (size_t)(dash - s) >= sizeof(lo) ||
	    strlen(dash + 1) >= sizeof(hi))
		return perr(err, "'%s' is not a selector (any, PREFIX/LEN or "
		    "A.B.C.D-A.B.C.D)", s);
	memcpy(lo, s, (size_t)(dash - s));
	lo[dash - s] = '\0';
	str_copy(hi, dash + 1, sizeof(hi));
	if (parse_addr(lo, 0, a, &fa, err) == -1 ||
	    parse_addr(hi, fa, b, &fb, err) == -1)
		return -1;
	addr_pton(a, fa, x, &fa);
	addr_pton(b, fb, y, &fb);
	if (memcmp(x, y, fa == 4 ? 4 : 16) > 0)
		return perr(err, "range '%s' ends before it starts", s);
	snprintf(out, ADDR_TEXT_LEN, "%s-%s", a, b);
	return 0;
}

int
parse_fqdn(const char *s, char *err)
{
	size_t	 n = strlen(s), label = 0, i;
	int	 alpha_last = 0;

	if (n == 0 || n > IDENTITY_MAX_LEN)
		return perr(err, "name '%s' must be 1-%d characters", s,
		    IDENTITY_MAX_LEN);
	for (i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return perr(err, "'%s' is not a valid domain "
				    "name", s);
			if (c == '\0' && !alpha_last)
				return perr(err, "'%s' is not a valid domain "
				    "name or address", s);
			label = 0;
			alpha_last = 0;
			continue;
		}
		if (!isalnum(c) && c != '-')
			return perr(err, "'%s' is not a valid domain name", s);
		if (label == 0 && c == '-')
			return perr(err, "'%s' is not a valid domain name", s);
		if (!isdigit(c))
			alpha_last = 1;
		label++;
	}
	return 0;
}

int
parse_identity(const char *s, char *out, enum id_type *type, char *err)
{
	const char *at;
	char	 lerr[ERR_LEN];
	int	 fam;

	if (strlen(s) > IDENTITY_MAX_LEN)
		return perr(err, "identity '%.20s...' is longer than %d "
		    "characters", s, IDENTITY_MAX_LEN);
	if (parse_addr(s, 0, out, &fam, lerr) == 0) {
		*type = fam == 4 ? ID_TYPE_IPV4 : ID_TYPE_IPV6;
		return 0;
	}
	at = strchr(s, '@');
	if (at != NULL) {
		const char *p;
		if (at == s || strchr(at + 1, '@') != NULL)
			return perr(err, "'%s' is not a valid user@fqdn", s);
		/* a plain word, so it prints and replays unquoted */
		for (p = s; p < at; p++)
			if (!isalnum((unsigned char)*p) &&
			    strchr("._%+=-", *p) == NULL)
				return perr(err, "'%s' is not a valid "
				    "user@fqdn (user: letters, digits and "
				    "._%%+=-)", s);
		if (parse_fqdn(at + 1, lerr) == -1)
			return perr(err, "'%s' is not a valid user@fqdn: %s",
			    s, lerr);
		str_copy(out, s, IDENTITY_MAX_LEN + 1);
		str_lower(out + (at - s) + 1);
		*type = ID_TYPE_USER_FQDN;
		return 0;
	}
	if (parse_fqdn(s, err) == -1)
		return -1;
	str_copy(out, s, IDENTITY_MAX_LEN + 1);
	str_lower(out);
	*type = ID_TYPE_FQDN;
	return 0;
}

int
parse_keyword(const char *s, const char *what, const char *const *words,
    char *err)
{
	char	 list[ERR_LEN] = "";
	int	 i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return i;
	for (i = 0; words[i] != NULL; i++) {
		if (i > 0)
			strncat(list, " | ", sizeof(list) - strlen(list) - 1);
		strncat(list, words[i], sizeof(list) - strlen(list) - 1);
	}
	perr(err, "%s '%s' is not one of: %s", what, s, list);
	return -1;
}
