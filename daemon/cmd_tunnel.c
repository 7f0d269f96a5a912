/* cmd_tunnel: "interface tunnel ipsec:NAME" and its sub-mode, the tunnel's
 * running-config and "show ipsec tunnel". Simple column settings share one
 * table-driven handler; the rest have their own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cmd.h"
#include "transform.h"
#include "util.h"

#define TUNNEL_DESCR_MAX	80

/* ---- the tunnel the session is configuring ---- */

static int
cmd_tunnel_cur(struct cmd_ctx *c)
{
	if (c->s->tunnel[0] != '\0' && store_int(c->st, 0, "SELECT count(*) "
	    "FROM tunnel WHERE name = ?", "s", c->s->tunnel) > 0)
		return 0;
	return cmd_err(c, "Tunnel ipsec:%s no longer exists", c->s->tunnel);
}

static int
cmd_tunnel_set(struct cmd_ctx *c, const char *sql_set, const char *fmt,
    const char *a, const char *b)
{
	char	 sql[256];
	char	 f[8];

	snprintf(sql, sizeof(sql), "UPDATE tunnel SET %s WHERE name = ?",
	    sql_set);
	snprintf(f, sizeof(f), "%ss", fmt);
	if ((fmt[0] == '\0' ? store_exec(c->st, sql, f, c->s->tunnel) :
	    fmt[1] == '\0' ? store_exec(c->st, sql, f, a, c->s->tunnel) :
	    store_exec(c->st, sql, f, a, b, c->s->tunnel)) == -1)
		return cmd_store_err(c);
	return 0;
}

/* Linux name of the tunnel's xfrm interface: deterministic from the if_id. */
static void
cmd_tunnel_ifname(int64_t if_id, char *out, size_t size)
{
	snprintf(out, size, "ipsec%lld", (long long)if_id);
}

/* ---- interface tunnel ipsec:NAME ---- */

static int
cmd_interface_tunnel(struct cmd_ctx *c)
{
	char	 name[NAME_MAX_LEN + 1];
	int64_t	 if_id;

	if (cmd_tunnel_name(c, cmd_opt(c, "name"), name) == -1)
		return -1;
	if (store_int(c->st, 0, "SELECT count(*) FROM tunnel WHERE name = ?",
	    "s", name) == 0) {
		/* the if_id ties the kernel's interface and SAs to this
		 * tunnel across restarts: allocate once, never reuse */
		if_id = store_int(c->st, 1, "SELECT next_if_id FROM system", "");
		if (store_exec(c->st, "INSERT INTO tunnel (name, if_id) VALUES "
		    "(?, ?)", "si", name, if_id) == -1 ||
		    store_exec(c->st, "UPDATE system SET next_if_id = ?", "i",
		    if_id + 1) == -1)
			return cmd_store_err(c);
		str_copy(c->apply_tunnel, name, sizeof(c->apply_tunnel));
	}
	str_copy(c->s->tunnel, name, sizeof(c->s->tunnel));
	cmd_set_mode(c->cli, MODE_CONFIG_IF);
	return 0;
}

static int
cmd_no_interface_tunnel(struct cmd_ctx *c)
{
	char	 name[NAME_MAX_LEN + 1];
	int64_t	 routes;

	if (cmd_tunnel_name(c, cmd_opt(c, "name"), name) == -1)
		return -1;
	routes = store_int(c->st, 0, "SELECT count(*) FROM route WHERE "
	    "tunnel = ?", "s", name);
	if (store_exec(c->st, "DELETE FROM tunnel WHERE name = ?", "s",
	    name) == -1)
		return cmd_store_err(c);
	if (store_changes(c->st) == 0)
		return cmd_err(c, "Tunnel ipsec:%s does not exist", name);
	str_copy(c->apply_tunnel, name, sizeof(c->apply_tunnel));
	if (routes > 0)
		cmd_out(c, "%% Removed %lld static route(s) into ipsec:%s",
		    (long long)routes, name);
	return 0;
}

/* ---- simple settings: one handler, a descriptor per command ---- */

enum tset_kind {
	TSET_VR,		/* an existing virtual router */
	TSET_TRANSFORM_SET,	/* an existing transform set */
	TSET_KEYWORD,		/* one of words[] */
	TSET_UINT,		/* min..max */
	TSET_SELECTOR,		/* any | prefix | range; any is the default */
	TSET_TEXT,		/* description */
	TSET_FLAG,		/* shutdown, ip unnumbered */
};

struct tset {
	const char	*column;
	enum tset_kind	 kind;
	const char	*opt;		/* the optarg holding the value */
	const char	*dflt;		/* SQL literal for the "no" form */
	const char *const *words;
	uint64_t	 min, max;
};

static const char *const tset_groups[] = { "1", "2", "5", "14", "15", "16",
    "19", "20", "21", "31", NULL };
static const char *const tset_ike_versions[] = { "1", "2", NULL };
static const char *const tset_establish[] = { "immediately", "on-traffic",
    "responder-only", NULL };

static const struct tset tset_vr = { "vr", TSET_VR, "vr", "'default'" };
static const struct tset tset_tvr = { "tvr", TSET_VR, "vr", "NULL" };
static const struct tset tset_pfs = { "pfs_group", TSET_KEYWORD, "group",
    "NULL", tset_groups };
static const struct tset tset_ike = { "ike_version", TSET_KEYWORD,
    "version", "2", tset_ike_versions };
static const struct tset tset_est = { "establish", TSET_KEYWORD, "mode",
    "'immediately'", tset_establish };
static const struct tset tset_mtu = { "mtu", TSET_UINT, "mtu", "NULL", NULL,
    160, 9000 };
static const struct tset tset_lsel = { "local_selector", TSET_SELECTOR,
    "selector", "NULL" };
static const struct tset tset_psel = { "peer_selector", TSET_SELECTOR,
    "selector", "NULL" };
static const struct tset tset_descr = { "description", TSET_TEXT, "text",
    "NULL" };
static const struct tset tset_shut = { "shutdown", TSET_FLAG, NULL, "0" };

static int
cmd_tset_check_text(struct cmd_ctx *c, const char *v)
{
	if (strlen(v) > TUNNEL_DESCR_MAX)
		return cmd_err(c, "A description is at most %d characters",
		    TUNNEL_DESCR_MAX);
	if (strpbrk(v, "\"\\") != NULL)
		return cmd_err(c, "A description cannot contain '\"' or '\\'");
	return 0;
}

/* Validates v for t; canonical value into out. */
static int
cmd_tset_check(struct cmd_ctx *c, const struct tset *t, const char *v,
    char *out)
{
	char	 err[ERR_LEN];
	uint64_t u;

	str_copy(out, v, ADDR_TEXT_LEN);
	switch (t->kind) {
	case TSET_VR:
		return cmd_vr_exists(c, v);
	case TSET_KEYWORD:
		return parse_keyword(v, t->opt, t->words, err) == -1 ?
		    cmd_err(c, "%s", err) : 0;
	case TSET_UINT:
		return parse_uint(v, t->opt, t->min, t->max, &u, err) == -1 ?
		    cmd_err(c, "%s", err) : 0;
	case TSET_SELECTOR:
		return parse_selector(v, out, err) == -1 ?
		    cmd_err(c, "%s", err) : 0;
	case TSET_TEXT:
		return cmd_tset_check_text(c, v);
	default:
		return 0;
	}
}

static int
cmd_tset(struct cmd_ctx *c)
{
	const struct tset *t = c->spec->data;
	char	 val[ADDR_TEXT_LEN], set[128];
	const char *v;

	if (cmd_tunnel_cur(c) == -1)
		return -1;
	if (c->no) {
		snprintf(set, sizeof(set), "%s = %s", t->column, t->dflt);
		return cmd_tunnel_set(c, set, "", NULL, NULL);
	}
	snprintf(set, sizeof(set), "%s = ?", t->column);
	if (t->kind == TSET_FLAG)
		return cmd_tunnel_set(c, set, "s", "1", NULL);
	v = cmd_opt(c, t->opt);
	if (cmd_tset_check(c, t, v, val) == -1)
		return -1;
	/* "any" is the default, stored as NULL */
	if (t->kind == TSET_SELECTOR && strcmp(val, "any") == 0)
		return cmd_tunnel_set(c, set, "s", NULL, NULL);
	return cmd_tunnel_set(c, set, "s", val, NULL);
}

/* ---- endpoints: source, destination, backup ---- */

enum endpoint { EP_SOURCE, EP_DESTINATION, EP_BACKUP };
static const char *const endpoint_columns[] = { "source", "destination",
    "backup" };

static enum id_type
cmd_endpoint_type(struct cmd_ctx *c, enum endpoint ep)
{
	char	 sql[96], v[IDENTITY_MAX_LEN + 1], out[IDENTITY_MAX_LEN + 1],
		 err[ERR_LEN];
	enum id_type t;

	snprintf(sql, sizeof(sql), "SELECT %s FROM tunnel WHERE name = ?",
	    endpoint_columns[ep]);
	if (store_text(c->st, v, sizeof(v), sql, "s", c->s->tunnel) == -1 ||
	    parse_identity(v, out, &t, err) == -1)
		return ID_TYPE_NONE;
	return t;
}

static int
cmd_is_addr(enum id_type t)
{
	return t == ID_TYPE_IPV4 || t == ID_TYPE_IPV6;
}

/* Cross-endpoint rules: a backup has the destination's type; source and
 * destination addresses are of one family. */
static int
cmd_endpoint_rules(struct cmd_ctx *c, enum endpoint ep, enum id_type t)
{
	enum id_type src = ep == EP_SOURCE ? t : cmd_endpoint_type(c, EP_SOURCE);
	enum id_type dst = ep == EP_DESTINATION ? t :
	    cmd_endpoint_type(c, EP_DESTINATION);
	enum id_type bak = ep == EP_BACKUP ? t : cmd_endpoint_type(c, EP_BACKUP);

	if (ep == EP_BACKUP && dst == ID_TYPE_NONE)
		return cmd_err(c, "Configure tunnel destination before its "
		    "backup");
	if (bak != ID_TYPE_NONE && dst != bak)
		return cmd_err(c, "The backup destination (%s) must be of the "
		    "destination's type (%s)", id_type_name(bak),
		    id_type_name(dst));
	if (cmd_is_addr(src) && cmd_is_addr(dst) && src != dst)
		return cmd_err(c, "Source and destination must be of one "
		    "address family (%s, %s)", id_type_name(src),
		    id_type_name(dst));
	return 0;
}

static int
cmd_endpoint(struct cmd_ctx *c)
{
	enum endpoint ep = *(const enum endpoint *)c->spec->data;
	char	 v[IDENTITY_MAX_LEN + 1], err[ERR_LEN], set[64];
	enum id_type t;

	if (cmd_tunnel_cur(c) == -1)
		return -1;
	snprintf(set, sizeof(set), "%s = ?", endpoint_columns[ep]);
	if (c->no) {
		if (ep == EP_DESTINATION &&
		    cmd_endpoint_type(c, EP_BACKUP) != ID_TYPE_NONE)
			return cmd_err(c, "Remove the backup destination "
			    "first");
		return cmd_tunnel_set(c, set, "s", NULL, NULL);
	}
	if (parse_identity(cmd_opt(c, "endpoint"), v, &t, err) == -1)
		return cmd_err(c, "%s", err);
	if (cmd_endpoint_rules(c, ep, t) == -1)
		return -1;
	return cmd_tunnel_set(c, set, "s", v, NULL);
}

static const enum endpoint ep_source = EP_SOURCE;
static const enum endpoint ep_destination = EP_DESTINATION;
static const enum endpoint ep_backup = EP_BACKUP;

/* ---- transform set and manual SAs ---- */

static int64_t
cmd_set_size(struct cmd_ctx *c, const char *set)
{
	return store_int(c->st, 0, "SELECT count(*) FROM transform_set_member "
	    "WHERE set_name = ?", "s", set);
}

static int
cmd_tunnel_is_manual(struct cmd_ctx *c)
{
	return store_int(c->st, 0, "SELECT count(*) FROM tunnel_sa_manual "
	    "WHERE tunnel = ?", "s", c->s->tunnel) > 0;
}

static int
cmd_tunnel_transform_set(struct cmd_ctx *c)
{
	const char *set = cmd_opt(c, "name");

	if (cmd_tunnel_cur(c) == -1)
		return -1;
	if (c->no)
		return cmd_tunnel_set(c, "transform_set = NULL", "", NULL, NULL);
	if (cmd_transform_set_exists(c, set) == -1)
		return -1;
	if (cmd_tunnel_is_manual(c) && cmd_set_size(c, set) != 1)
		return cmd_err(c, "A manual tunnel's transform set must have "
		    "exactly one transform; %s has %lld", set,
		    (long long)cmd_set_size(c, set));
	if (cmd_tunnel_is_manual(c) && store_int(c->st, 0, "SELECT count(*) "
	    "FROM tunnel_sa_manual m WHERE m.tunnel = ? AND m.transform <> "
	    "(SELECT transform FROM transform_set_member WHERE set_name = ?)",
	    "ss", c->s->tunnel, set) > 0)
		return cmd_err(c, "Transform set %s does not hold the transform "
		    "of the tunnel's manual SAs", set);
	return cmd_tunnel_set(c, "transform_set = ?", "s", set, NULL);
}

static const char *const sa_directions[] = { "inbound", "outbound", NULL };

static const struct cmd_kw sa_kws[] = {
	{ "spi", KW_VALUE },
	{ "transform", KW_VALUE },
	{ "encryption-key", KW_SECRET },
	{ "authentication-key", KW_SECRET },
	{ NULL, 0 },
};

/* One manual key: checked against the transform's length and encrypted
 * (the clear text stored is the canonical lower-case hex). */
static int
cmd_sa_key(struct cmd_ctx *c, const struct cmd_kwval *v, const char *what,
    size_t need, const char *dir, const char *tname, char **blob)
{
	unsigned char raw[128];
	char	 hex[2 * sizeof(raw) + 1], aad[128];
	long	 n;
	int	 rc;

	*blob = NULL;
	if (need == 0 && v->value != NULL)
		return cmd_err(c, "Transform %s takes no %s", tname, what);
	if (need == 0)
		return 0;
	if (v->value == NULL)
		return cmd_err(c, "Transform %s needs %s (%zu bytes, %zu hex "
		    "digits)", tname, what, need, 2 * need);
	snprintf(aad, sizeof(aad), "sa|%s|%s|%s", c->s->tunnel, dir, what);
	if (v->encrypted)	/* the clear text is hex: 2 digits a byte */
		return cmd_secret_blob(c, v->value, 1, aad, blob, 2 * need);
	n = hex_decode(v->value, raw, sizeof(raw));
	if (n < 0 || (size_t)n != need) {
		OPENSSL_cleanse(raw, sizeof(raw));
		return cmd_err(c, "%s for %s must be %zu hex digits (%zu bytes)",
		    what, tname, 2 * need, need);
	}
	hex_encode(raw, need, hex);
	rc = cmd_secret_blob(c, hex, 0, aad, blob, 0);
	OPENSSL_cleanse(raw, sizeof(raw));
	OPENSSL_cleanse(hex, sizeof(hex));
	return rc;
}

static int
cmd_sa_rules(struct cmd_ctx *c, const char *dir, int64_t spi,
    const char *transform)
{
	char	 set[NAME_MAX_LEN + 1], other[NAME_MAX_LEN + 1], t[40];

	if (store_text(c->st, set, sizeof(set), "SELECT transform_set FROM "
	    "tunnel WHERE name = ?", "s", c->s->tunnel) == 0) {
		if (cmd_set_size(c, set) != 1)
			return cmd_err(c, "A manual tunnel's transform set must "
			    "have exactly one transform; %s has %lld", set,
			    (long long)cmd_set_size(c, set));
		store_text(c->st, t, sizeof(t), "SELECT transform FROM "
		    "transform_set_member WHERE set_name = ?", "s", set);
		if (strcmp(t, transform) != 0)
			return cmd_err(c, "The SA's transform %s is not the "
			    "tunnel's transform set %s (%s)", transform, set, t);
	}
	if (store_text(c->st, other, sizeof(other), "SELECT tunnel FROM "
	    "tunnel_sa_manual WHERE direction = ? AND spi = ? AND tunnel <> ?",
	    "sis", dir, spi, c->s->tunnel) == 0)
		return cmd_err(c, "SPI %lld is already used by tunnel ipsec:%s "
		    "(%s)", (long long)spi, other, dir);
	return 0;
}

static int
cmd_sa_manual(struct cmd_ctx *c)
{
	const char *dir = cmd_opt(c, "direction");
	struct cmd_kwval v[5];
	struct transform t;
	char	 err[ERR_LEN], *ekey = NULL, *akey = NULL;
	uint64_t spi;
	int	 rc = -1;

	if (cmd_tunnel_cur(c) == -1)
		return -1;
	if (parse_keyword(dir, "direction", sa_directions, err) == -1)
		return cmd_err(c, "%s", err);
	if (c->no) {
		if (store_exec(c->st, "DELETE FROM tunnel_sa_manual WHERE "
		    "tunnel = ? AND direction = ?", "ss", c->s->tunnel,
		    dir) == -1)
			return cmd_store_err(c);
		return store_changes(c->st) ? 0 : cmd_err(c, "No manual %s SA",
		    dir);
	}
	if (cmd_kw_parse(c, sa_kws, v) == -1)
		return -1;
	if (v[0].value == NULL || v[1].value == NULL)
		return cmd_err(c, "Incomplete command: give spi <256-4294967295> "
		    "and transform T");
	if (parse_uint(v[0].value, "spi", 256, 4294967295ULL, &spi, err) == -1)
		return cmd_err(c, "%s", err);
	if (transform_lookup(v[1].value, &t) == -1)
		return cmd_err(c, "Unknown transform '%s'", v[1].value);
	if (cmd_sa_rules(c, dir, (int64_t)spi, t.name) == -1 ||
	    cmd_sa_key(c, &v[2], "encryption-key", t.enc_key_len, dir, t.name,
	    &ekey) == -1 ||
	    cmd_sa_key(c, &v[3], "authentication-key", t.auth_key_len, dir,
	    t.name, &akey) == -1)
		goto done;
	if (store_exec(c->st, "INSERT OR REPLACE INTO tunnel_sa_manual (tunnel,"
	    " direction, spi, transform, enc_key, auth_key) VALUES (?, ?, ?, ?,"
	    " ?, ?)", "ssisss", c->s->tunnel, dir, (int64_t)spi, t.name, ekey,
	    akey) == -1) {
		cmd_store_err(c);
		goto done;
	}
	rc = 0;
done:
	free(ekey);
	free(akey);
	return rc;
}

/* ---- lifetime, identities, DPD ---- */

static int
cmd_tunnel_lifetime(struct cmd_ctx *c)
{
	const char *secs, *kb;

	if (cmd_tunnel_cur(c) == -1)
		return -1;
	if (c->no)
		return cmd_tunnel_set(c, "lifetime_seconds = NULL, "
		    "lifetime_kilobytes = NULL", "", NULL, NULL);
	if (cmd_lifetime_args(c, &secs, &kb) == -1)
		return -1;
	return cmd_tunnel_set(c, "lifetime_seconds = coalesce(?, "
	    "lifetime_seconds), lifetime_kilobytes = coalesce(?, "
	    "lifetime_kilobytes)", "ss", secs, kb);
}

static int
cmd_tunnel_identity(struct cmd_ctx *c)
{
	const char *which = c->spec->data;	/* "local" or "peer" */
	char	 type[16], value[IDENTITY_MAX_LEN + 1], set[96];

	if (cmd_tunnel_cur(c) == -1)
		return -1;
	snprintf(set, sizeof(set), "%s_id_type = ?, %s_id = ?", which, which);
	if (c->no)
		return cmd_tunnel_set(c, set, "ss", NULL, NULL);
	if (cmd_identity(c, type, value) == -1)
		return -1;
	return cmd_tunnel_set(c, set, "ss", type, value);
}

/* As "ipsec dpd": what is not given keeps its value (defaults at first). */
static int
cmd_tunnel_dpd(struct cmd_ctx *c)
{
	const char *mode;
	int64_t	 interval = -1, threshold = -1;

	if (cmd_tunnel_cur(c) == -1)
		return -1;
	if (c->no)
		return cmd_tunnel_set(c, "dpd_set = 0, dpd_mode = NULL, "
		    "dpd_interval = NULL, dpd_threshold = NULL", "", NULL, NULL);
	if (cmd_dpd_args(c, &mode, &interval, &threshold) == -1)
		return -1;
	if (store_exec(c->st, "UPDATE tunnel SET dpd_set = 1, dpd_mode = "
	    "coalesce(?, dpd_mode, 'optimized'), dpd_interval = coalesce("
	    "nullif(?, -1), dpd_interval, 10), dpd_threshold = coalesce("
	    "nullif(?, -1), dpd_threshold, 5) WHERE name = ?", "siis", mode,
	    interval, threshold, c->s->tunnel) == -1)
		return cmd_store_err(c);
	return 0;
}

/* ---- addresses ---- */

/* ip address A.B.C.D/LEN | A.B.C.D MASK; "no" takes either, or nothing */
static int
cmd_ip_address(struct cmd_ctx *c)
{
	const char *addr = cmd_opt(c, "address");
	char	 out[ADDR_TEXT_LEN], cur[ADDR_TEXT_LEN] = "", err[ERR_LEN];
	int	 a = 0, words;

	if (cmd_tunnel_cur(c) == -1)
		return -1;
	if (addr == NULL && c->argc > 0)	/* the "no" form's words */
		addr = c->argv[a++];
	words = a + (addr != NULL && strchr(addr, '/') == NULL);
	if (c->argc > words)
		return cmd_err(c, "Invalid input at '%s'", c->argv[words]);
	if (addr != NULL && (c->argc > a ? parse_addr_mask(addr, c->argv[a],
	    out, err) : parse_prefix(addr, 4, 0, out, NULL, err)) == -1)
		return cmd_err(c, "%s", err);
	if (!c->no)
		return cmd_tunnel_set(c, "ipv4_address = ?, unnumbered = 0",
		    "s", out, NULL);
	store_text(c->st, cur, sizeof(cur), "SELECT ipv4_address FROM tunnel "
	    "WHERE name = ?", "s", c->s->tunnel);
	if (addr != NULL && strcmp(cur, out) != 0)
		return cmd_err(c, "Address %s is not configured", out);
	return cmd_tunnel_set(c, "ipv4_address = NULL", "", NULL, NULL);
}

static int
cmd_ip_unnumbered(struct cmd_ctx *c)
{
	if (cmd_tunnel_cur(c) == -1)
		return -1;
	if (c->no)
		return cmd_tunnel_set(c, "unnumbered = 0", "", NULL, NULL);
	return cmd_tunnel_set(c, "unnumbered = 1, ipv4_address = NULL", "",
	    NULL, NULL);
}

static int
cmd_ipv6_address(struct cmd_ctx *c)
{
	const char *p = cmd_opt(c, "prefix");
	char	 out[ADDR_TEXT_LEN], err[ERR_LEN];
	int	 extra = p == NULL && c->argc > 0;	/* "no" form's prefix */

	if (cmd_tunnel_cur(c) == -1)
		return -1;
	if (extra)
		p = c->argv[0];
	if (c->argc > extra)
		return cmd_err(c, "Invalid input at '%s'", c->argv[extra]);
	if (p != NULL && parse_prefix(p, 6, 0, out, NULL, err) == -1)
		return cmd_err(c, "%s", err);
	if (!c->no && p == NULL)
		return cmd_err(c, "Incomplete command: give X:X::X/LEN");
	if (c->no) {
		if (store_exec(c->st, "DELETE FROM tunnel_ipv6_address WHERE "
		    "tunnel = ? AND (? IS NULL OR prefix = ?)", "sss",
		    c->s->tunnel, p ? out : NULL, p ? out : NULL) == -1)
			return cmd_store_err(c);
		return store_changes(c->st) || p == NULL ? 0 :
		    cmd_err(c, "Address %s is not configured", out);
	}
	if (store_exec(c->st, "INSERT OR IGNORE INTO tunnel_ipv6_address "
	    "(tunnel, prefix) VALUES (?, ?)", "ss", c->s->tunnel, out) == -1)
		return cmd_store_err(c);
	return 0;
}

/* ---- running-config ---- */

/* The tunnel's columns, in the order of running-config. */
#define TUNNEL_COLUMNS "name, if_id, description, vr, tvr, source, " \
	"destination, backup, transform_set, pfs_group, lifetime_seconds, " \
	"lifetime_kilobytes, local_id_type, local_id, peer_id_type, peer_id, " \
	"local_selector, peer_selector, ike_version, establish, dpd_set, " \
	"dpd_mode, dpd_interval, dpd_threshold, mtu, ipv4_address, " \
	"unnumbered, shutdown"
/* show adds the global lifetime after the tunnel's columns */
#define TUNNEL_SHOW_COLUMNS TUNNEL_COLUMNS ", (SELECT lifetime_seconds FROM " \
	"system), (SELECT lifetime_kilobytes FROM system)"
enum {
	TC_NAME, TC_IF_ID, TC_DESCR, TC_VR, TC_TVR, TC_SOURCE, TC_DEST,
	TC_BACKUP, TC_TSET, TC_PFS, TC_LSECS, TC_LKB, TC_LIDT, TC_LID,
	TC_PIDT, TC_PID, TC_LSEL, TC_PSEL, TC_IKEV, TC_EST, TC_DPD,
	TC_DPDMODE, TC_DPDINT, TC_DPDTHR, TC_MTU, TC_IPV4, TC_UNNUM, TC_SHUT,
	TC_COUNT
};

static int
col_set(sqlite3_stmt *q, int col)
{
	return sqlite3_column_type(q, col) != SQLITE_NULL;
}

/* "tunnel X VALUE" lines for the columns that map one to one. */
static const struct {
	int		 col;
	const char	*cmd;
	const char	*quote;
	const char	*dflt;		/* not printed when equal */
} tunnel_lines[] = {
	{ TC_DESCR, "description", "\"", NULL },
	{ TC_VR, "virtual-router", "", "default" },
	{ TC_TVR, "tunnel transport-virtual-router", "", NULL },
	{ TC_SOURCE, "tunnel source", "", NULL },
	{ TC_DEST, "tunnel destination", "", NULL },
	{ TC_BACKUP, "tunnel destination backup", "", NULL },
	{ TC_TSET, "tunnel transform-set", "", NULL },
	{ TC_PFS, "tunnel pfs group", "", NULL },
};

static void
cmd_tunnel_running_one(struct cmd_ctx *c, sqlite3_stmt *q)
{
	char	 text[128];
	size_t	 i;

	cmd_out(c, "interface tunnel ipsec:%s", store_col(q, TC_NAME));
	for (i = 0; i < nitems(tunnel_lines); i++)
		if (col_set(q, tunnel_lines[i].col) && (tunnel_lines[i].dflt ==
		    NULL || strcmp(tunnel_lines[i].dflt,
		    store_col(q, tunnel_lines[i].col)) != 0))
			cmd_out(c, " %s %s%s%s", tunnel_lines[i].cmd,
			    tunnel_lines[i].quote,
			    store_col(q, tunnel_lines[i].col),
			    tunnel_lines[i].quote);
	if (col_set(q, TC_LSECS) && col_set(q, TC_LKB))
		cmd_out(c, " tunnel lifetime seconds %s kilobytes %s",
		    store_col(q, TC_LSECS), store_col(q, TC_LKB));
	else if (col_set(q, TC_LSECS) || col_set(q, TC_LKB))
		cmd_out(c, " tunnel lifetime %s %s", col_set(q, TC_LSECS) ?
		    "seconds" : "kilobytes", col_set(q, TC_LSECS) ?
		    store_col(q, TC_LSECS) : store_col(q, TC_LKB));
	if (col_set(q, TC_LIDT)) {
		cmd_identity_text(store_col(q, TC_LIDT), store_col(q, TC_LID),
		    text, sizeof(text));
		cmd_out(c, " tunnel local-identity %s", text);
	}
	if (col_set(q, TC_PIDT)) {
		cmd_identity_text(store_col(q, TC_PIDT), store_col(q, TC_PID),
		    text, sizeof(text));
		cmd_out(c, " tunnel peer-identity %s", text);
	}
	if (col_set(q, TC_LSEL))
		cmd_out(c, " tunnel local selector %s", store_col(q, TC_LSEL));
	if (col_set(q, TC_PSEL))
		cmd_out(c, " tunnel peer selector %s", store_col(q, TC_PSEL));
	if (sqlite3_column_int(q, TC_IKEV) != 2)
		cmd_out(c, " tunnel ike-version %s", store_col(q, TC_IKEV));
	if (strcmp(store_col(q, TC_EST), "immediately") != 0)
		cmd_out(c, " tunnel establish %s", store_col(q, TC_EST));
	if (sqlite3_column_int(q, TC_DPD))
		cmd_out(c, " tunnel dpd mode %s interval %s threshold %s",
		    store_col(q, TC_DPDMODE), store_col(q, TC_DPDINT),
		    store_col(q, TC_DPDTHR));
}

static void
cmd_tunnel_running_rest(struct cmd_ctx *c, sqlite3_stmt *q)
{
	const char *name = store_col(q, TC_NAME);
	sqlite3_stmt *r;

	r = store_query(c->st, "SELECT direction, spi, transform, enc_key, "
	    "auth_key FROM tunnel_sa_manual WHERE tunnel = ? ORDER BY "
	    "direction", "s", name);
	while (r != NULL && sqlite3_step(r) == SQLITE_ROW)
		cmd_out(c, " tunnel sa manual %s spi %s transform %s%s%s%s%s",
		    store_col(r, 0), store_col(r, 1), store_col(r, 2),
		    col_set(r, 3) ? " encryption-key encrypted " : "",
		    store_col(r, 3),
		    col_set(r, 4) ? " authentication-key encrypted " : "",
		    store_col(r, 4));
	store_finalize(c->st, r);
	if (col_set(q, TC_MTU))
		cmd_out(c, " tunnel mtu %s", store_col(q, TC_MTU));
	if (col_set(q, TC_IPV4))
		cmd_out(c, " ip address %s", store_col(q, TC_IPV4));
	if (sqlite3_column_int(q, TC_UNNUM))
		cmd_out(c, " ip unnumbered");
	r = store_query(c->st, "SELECT prefix FROM tunnel_ipv6_address WHERE "
	    "tunnel = ? ORDER BY prefix", "s", name);
	while (r != NULL && sqlite3_step(r) == SQLITE_ROW)
		cmd_out(c, " ipv6 address %s", store_col(r, 0));
	store_finalize(c->st, r);
	if (sqlite3_column_int(q, TC_SHUT))
		cmd_out(c, " shutdown");
	cmd_out(c, "exit");
}

void
cmd_tunnel_running(struct cmd_ctx *c)
{
	sqlite3_stmt *q;

	q = store_query(c->st, "SELECT " TUNNEL_COLUMNS " FROM tunnel ORDER BY "
	    "name", "");
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		cmd_tunnel_running_one(c, q);
		cmd_tunnel_running_rest(c, q);
	}
	store_finalize(c->st, q);
}

/* ---- show ipsec tunnel [ipsec:NAME] [detail | summary] ---- */

static const char *
cmd_tunnel_kind(struct cmd_ctx *c, const char *name)
{
	return store_int(c->st, 0, "SELECT count(*) FROM tunnel_sa_manual "
	    "WHERE tunnel = ?", "s", name) > 0 ? "manual" : "signaled";
}

static const char *
cmd_tunnel_state(struct cmd_ctx *c, sqlite3_stmt *q)
{
	return cmd_tunnel_oper(c, store_col(q, TC_NAME),
	    sqlite3_column_int(q, TC_SHUT));
}

static const char *
or_none(sqlite3_stmt *q, int col, const char *none)
{
	return col_set(q, col) ? store_col(q, col) : none;
}

static void
cmd_tunnel_detail_identities(struct cmd_ctx *c, sqlite3_stmt *q)
{
	char	 text[128];

	if (col_set(q, TC_LIDT))
		cmd_identity_text(store_col(q, TC_LIDT), store_col(q, TC_LID),
		    text, sizeof(text));
	else
		str_copy(text, "global, else the source address", sizeof(text));
	cmd_out(c, "  Local identity: %s", text);
	if (col_set(q, TC_PIDT))
		cmd_identity_text(store_col(q, TC_PIDT), store_col(q, TC_PID),
		    text, sizeof(text));
	else
		str_copy(text, "any (as proven)", sizeof(text));
	cmd_out(c, "  Peer identity: %s", text);
}

static void
cmd_tunnel_detail(struct cmd_ctx *c, sqlite3_stmt *q)
{
	const char *name = store_col(q, TC_NAME);
	char	 ifname[32];

	cmd_tunnel_ifname(sqlite3_column_int64(q, TC_IF_ID), ifname,
	    sizeof(ifname));
	cmd_out(c, "Tunnel ipsec:%s", name);
	cmd_out(c, "  Description: %s", or_none(q, TC_DESCR, "none"));
	cmd_out(c, "  Admin state: %s, operational state: %s",
	    sqlite3_column_int(q, TC_SHUT) ? "down" : "up",
	    cmd_tunnel_state(c, q));
	cmd_out(c, "  Kind: %s, IKE version %s, establish %s",
	    cmd_tunnel_kind(c, name), store_col(q, TC_IKEV),
	    store_col(q, TC_EST));
	cmd_out(c, "  Operational VR: %s, transport VR: %s",
	    store_col(q, TC_VR), or_none(q, TC_TVR, store_col(q, TC_VR)));
	if (!cmd_tunnel_detail_kernel(c, name))
		cmd_out(c, "  Linux interface: %s (not created), if_id %s",
		    ifname, store_col(q, TC_IF_ID));
	cmd_out(c, "  Source: %s", or_none(q, TC_SOURCE, "not set"));
	cmd_out(c, "  Destination: %s (active: %s)", or_none(q, TC_DEST,
	    "not set"), cmd_tunnel_active(c, name));
	cmd_out(c, "  Backup destination: %s", or_none(q, TC_BACKUP, "none"));
	cmd_tunnel_detail_identities(c, q);
	cmd_out(c, "  Transform set: %s, PFS group: %s",
	    or_none(q, TC_TSET, "none"), or_none(q, TC_PFS, "none"));
	cmd_out(c, "  Selectors: local %s, peer %s", or_none(q, TC_LSEL, "any"),
	    or_none(q, TC_PSEL, "any"));
	cmd_out(c, "  Lifetime: %s seconds (%s), %s kilobytes (%s)",
	    col_set(q, TC_LSECS) ? store_col(q, TC_LSECS) : store_col(q,
	    TC_COUNT), col_set(q, TC_LSECS) ? "tunnel" : "global",
	    col_set(q, TC_LKB) ? store_col(q, TC_LKB) : store_col(q,
	    TC_COUNT + 1), col_set(q, TC_LKB) ? "tunnel" : "global");
	if (sqlite3_column_int(q, TC_DPD))
		cmd_out(c, "  DPD: tunnel: mode %s, interval %s s, threshold %s",
		    store_col(q, TC_DPDMODE), store_col(q, TC_DPDINT),
		    store_col(q, TC_DPDTHR));
	else
		cmd_out(c, "  DPD: global");
	cmd_out(c, "  MTU: %s, IPv4 address: %s", or_none(q, TC_MTU, "default"),
	    sqlite3_column_int(q, TC_UNNUM) ? "unnumbered" :
	    or_none(q, TC_IPV4, "none"));
	if (strcmp(cmd_tunnel_kind(c, name), "manual") == 0)
		cmd_out(c, "  Negotiated: nothing (manual keys)");
	else
		cmd_out(c, "  Negotiated: %s", cmd_tunnel_negotiated(c, name));
	cmd_tunnel_detail_kernel_tail(c, name);
}

static int
cmd_show_tunnel_args(struct cmd_ctx *c, char *name, int *detail, int *summary)
{
	int	 i;

	name[0] = '\0';
	*detail = cmd_opt(c, "detail") != NULL;
	*summary = cmd_opt(c, "summary") != NULL;
	for (i = 0; i < c->argc; i++) {
		if (strcmp(c->argv[i], "detail") == 0)
			*detail = 1;
		else if (strcmp(c->argv[i], "summary") == 0)
			*summary = 1;
		else if (name[0] == '\0' && strncmp(c->argv[i], "ipsec:", 6) == 0) {
			if (cmd_tunnel_name(c, c->argv[i], name) == -1)
				return -1;
		} else
			return cmd_err(c, "Invalid input at '%s'", c->argv[i]);
	}
	if (*detail && *summary)
		return cmd_err(c, "Give detail or summary, not both");
	if (name[0] != '\0' && cmd_tunnel_exists(c, name) == -1)
		return -1;
	return 0;
}

static void
cmd_show_tunnel_summary(struct cmd_ctx *c, const char *name)
{
	cmd_out(c, "Tunnels configured: %lld", (long long)store_int(c->st, 0,
	    "SELECT count(*) FROM tunnel WHERE ?1 = '' OR name = ?1", "s",
	    name));
	int	 up = cmd_tunnels_up(c, name);

	cmd_out(c, "  up: %d, shut down: %lld, %s: %lld", up,
	    (long long)store_int(c->st, 0, "SELECT count(*) FROM tunnel WHERE "
	    "shutdown AND (?1 = '' OR name = ?1)", "s", name),
	    c->s->d->rt == NULL ? "not negotiated" : "down",
	    (long long)store_int(c->st, 0, "SELECT count(*) FROM tunnel WHERE "
	    "NOT shutdown AND (?1 = '' OR name = ?1)", "s", name) - up);
}

static int
cmd_show_tunnel(struct cmd_ctx *c)
{
	char	 name[NAME_MAX_LEN + 1];
	int	 detail, summary;
	sqlite3_stmt *q;

	if (cmd_show_tunnel_args(c, name, &detail, &summary) == -1)
		return -1;
	if (summary) {
		cmd_show_tunnel_summary(c, name);
		return 0;
	}
	if (!detail)
		cmd_out(c, "%-20s %-5s %-16s %-8s %-12s %-12s %s", "Tunnel",
		    "Admin", "State", "Kind", "VR", "Transport VR",
		    "Destination");
	q = store_query(c->st, "SELECT " TUNNEL_SHOW_COLUMNS " FROM tunnel "
	    "WHERE ?1 = '' OR name = ?1 ORDER BY name", "s", name);
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		char	 tname[NAME_MAX_LEN + 8];

		if (detail) {
			cmd_tunnel_detail(c, q);
			continue;
		}
		snprintf(tname, sizeof(tname), "ipsec:%s", store_col(q, TC_NAME));
		cmd_out(c, "%-20s %-5s %-16s %-8s %-12s %-12s %s", tname,
		    sqlite3_column_int(q, TC_SHUT) ? "down" : "up",
		    cmd_tunnel_state(c, q), cmd_tunnel_kind(c, store_col(q,
		    TC_NAME)), store_col(q, TC_VR), or_none(q, TC_TVR,
		    store_col(q, TC_VR)), or_none(q, TC_DEST, "-"));
	}
	store_finalize(c->st, q);
	return 0;
}

/* ---- the command table ---- */

static int
cmd_complete_group(struct cli_def *cli, const char *n, const char *w,
    struct cli_comphelp *ch)
{
	return cmd_complete_words(ch, w, tset_groups);
}

static int
cmd_complete_establish(struct cli_def *cli, const char *n, const char *w,
    struct cli_comphelp *ch)
{
	return cmd_complete_words(ch, w, tset_establish);
}

static int
cmd_complete_direction(struct cli_def *cli, const char *n, const char *w,
    struct cli_comphelp *ch)
{
	return cmd_complete_words(ch, w, sa_directions);
}

#define IF	MODE_CONFIG_IF
#define W	CMD_WRITE
#define OPT_EP	{ { "endpoint", CLI_CMD_ARGUMENT, \
	    "A.B.C.D | X:X::X | FQDN | USER@FQDN" } }
#define OPT_VR	{ { "vr", CLI_CMD_ARGUMENT, "Virtual router", cmd_complete_vr } }
#define OPT_SEL	{ { "selector", CLI_CMD_ARGUMENT, \
	    "any | PREFIX/LEN | A.B.C.D-A.B.C.D" } }
#define OPT_LIFETIME { { "seconds", CLI_CMD_OPTIONAL_ARGUMENT, \
	    "<1800-864000>" }, { "kilobytes", CLI_CMD_OPTIONAL_ARGUMENT, \
	    "<102400-4294967295>" } }

const struct cmd_spec cmd_tunnel_specs[] = {
	{ "interface tunnel", "A secure IP interface (ipsec:NAME)",
	    MODE_CONFIG, W, cmd_interface_tunnel,
	    { { "name", CLI_CMD_ARGUMENT, "ipsec:NAME", cmd_complete_tunnel } },
	    cmd_no_interface_tunnel,
	    { { "name", CLI_CMD_ARGUMENT, "ipsec:NAME", cmd_complete_tunnel } } },
	{ "description", "Describe the tunnel", IF, W, cmd_tset,
	    { { "text", CLI_CMD_ARGUMENT | CLI_CMD_REMAINDER_OF_LINE,
		  "Text, up to 80 characters" } }, cmd_tset,
	    .data = &tset_descr },
	{ "virtual-router", "Operational virtual router", IF, W, cmd_tset,
	    OPT_VR, cmd_tset, .data = &tset_vr },
	{ "tunnel transport-virtual-router", "Virtual router of the endpoints",
	    IF, W, cmd_tset, OPT_VR, cmd_tset, .data = &tset_tvr },
	{ "tunnel source", "Local endpoint", IF, W, cmd_endpoint, OPT_EP,
	    cmd_endpoint, .data = &ep_source },
	{ "tunnel destination", "Peer endpoint", IF, W, cmd_endpoint, OPT_EP,
	    cmd_endpoint, .data = &ep_destination },
	{ "tunnel destination backup", "Backup peer endpoint", IF, W,
	    cmd_endpoint, OPT_EP, cmd_endpoint, .data = &ep_backup },
	{ "tunnel transform-set", "Transform set of the tunnel", IF, W,
	    cmd_tunnel_transform_set,
	    { { "name", CLI_CMD_ARGUMENT, "Transform set",
		  cmd_complete_transform_set } }, cmd_tunnel_transform_set },
	{ "tunnel pfs group", "Diffie-Hellman group for PFS", IF, W, cmd_tset,
	    { { "group", CLI_CMD_ARGUMENT, "1 | 2 | 5 | 14 | 15 | 16 | 19 | 20 "
		  "| 21 | 31", cmd_complete_group } }, cmd_tset,
	    .data = &tset_pfs },
	{ "tunnel lifetime", "IPsec SA lifetime of this tunnel", IF, W,
	    cmd_tunnel_lifetime, OPT_LIFETIME, cmd_tunnel_lifetime },
	{ "tunnel local-identity", "Local IKE identity", IF, W,
	    cmd_tunnel_identity, { OPT_ID_CHOICES }, cmd_tunnel_identity,
	    .data = "local" },
	{ "tunnel peer-identity", "Required peer IKE identity", IF, W,
	    cmd_tunnel_identity, { OPT_ID_CHOICES }, cmd_tunnel_identity,
	    .data = "peer" },
	{ "tunnel local selector", "Local traffic selector", IF, W, cmd_tset,
	    OPT_SEL, cmd_tset, .data = &tset_lsel },
	{ "tunnel peer selector", "Peer traffic selector", IF, W, cmd_tset,
	    OPT_SEL, cmd_tset, .data = &tset_psel },
	{ "tunnel ike-version", "IKE version", IF, W, cmd_tset,
	    { { "version", CLI_CMD_ARGUMENT, "1 | 2" } }, cmd_tset,
	    .data = &tset_ike },
	{ "tunnel establish", "When to set the tunnel up", IF, W, cmd_tset,
	    { { "mode", CLI_CMD_ARGUMENT, "immediately | on-traffic | "
		  "responder-only", cmd_complete_establish } }, cmd_tset,
	    .data = &tset_est },
	{ "tunnel dpd", "Dead peer detection for this tunnel", IF, W,
	    cmd_tunnel_dpd, { OPT_DPD }, cmd_tunnel_dpd },
	{ "tunnel sa manual", "Manually keyed SA", IF,
	    W | CMD_EXTRA | CMD_SECRET,
	    cmd_sa_manual,
	    { { "direction", CLI_CMD_ARGUMENT, "inbound | outbound",
		  cmd_complete_direction },
	      { "spi", CLI_CMD_OPTIONAL_ARGUMENT, "<256-4294967295>" },
	      { "transform", CLI_CMD_OPTIONAL_ARGUMENT, "Transform",
		  cmd_complete_transform },
	      { "encryption-key", CLI_CMD_OPTIONAL_ARGUMENT,
		  "HEX | encrypted BLOB" },
	      { "authentication-key", CLI_CMD_OPTIONAL_ARGUMENT,
		  "HEX | encrypted BLOB" } },
	    cmd_sa_manual,
	    { { "direction", CLI_CMD_ARGUMENT, "inbound | outbound",
		  cmd_complete_direction } } },
	{ "tunnel mtu", "Interface MTU", IF, W, cmd_tset,
	    { { "mtu", CLI_CMD_ARGUMENT, "<160-9000>" } }, cmd_tset,
	    .data = &tset_mtu },
	{ "ip address", "IPv4 address of the tunnel", IF,
	    W | CMD_EXTRA | CMD_EXTRA_NO,
	    cmd_ip_address,
	    { { "address", CLI_CMD_ARGUMENT, "A.B.C.D/LEN | A.B.C.D MASK" } },
	    cmd_ip_address },
	{ "ip unnumbered", "No IPv4 address of its own", IF, W,
	    cmd_ip_unnumbered, { { NULL } }, cmd_ip_unnumbered },
	{ "ipv6 address", "IPv6 address of the tunnel", IF,
	    W | CMD_EXTRA | CMD_EXTRA_NO,
	    cmd_ipv6_address,
	    { { "prefix", CLI_CMD_ARGUMENT, "X:X::X/LEN" } }, cmd_ipv6_address },
	{ "shutdown", "Take the tunnel administratively down", IF, W, cmd_tset,
	    { { NULL } }, cmd_tset, .data = &tset_shut },
	{ "show ipsec tunnel", "Secure tunnels", MODE_EXEC, CMD_EXTRA,
	    cmd_show_tunnel,
	    { { "detail", CLI_CMD_OPTIONAL_FLAG, "Everything about each" },
	      { "summary", CLI_CMD_OPTIONAL_FLAG, "Counts" } },
	    .priv = CMD_PRIV_USER },
	{ NULL },
};
