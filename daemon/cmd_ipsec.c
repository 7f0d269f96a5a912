/* cmd_ipsec: global IPsec settings: transform sets, lifetime, local identity,
 * DPD, pre-shared keys and trap hooks, with their show commands. */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "secret.h"
#include "transform.h"
#include "util.h"

#define TRANSFORM_SET_MAX	6

/* ---- transform sets ---- */

static int
cmd_transform_list(struct cmd_ctx *c, const char **list, size_t *n)
{
	const char *first = cmd_opt(c, "transform");
	struct transform t;
	enum transform_proto proto = TRANSFORM_ESP;
	size_t	 i, j;

	if (first == NULL)
		return cmd_err(c, "Incomplete command: give transform T1 "
		    "[T2 ... T6]");
	list[0] = first;
	*n = 1;
	for (i = 0; i < (size_t)c->argc; i++) {
		if (*n == TRANSFORM_SET_MAX)
			return cmd_err(c, "A transform set holds at most %d "
			    "transforms", TRANSFORM_SET_MAX);
		list[(*n)++] = c->argv[i];
	}
	for (i = 0; i < *n; i++) {
		if (transform_lookup(list[i], &t) == -1)
			return cmd_err(c, "Unknown transform '%s'", list[i]);
		if (i > 0 && t.proto != proto)
			return cmd_err(c, "AH and ESP transforms cannot be "
			    "mixed in one transform set");
		proto = t.proto;
		for (j = 0; j < i; j++)
			if (strcmp(list[i], list[j]) == 0)
				return cmd_err(c, "Transform %s is given "
				    "twice", list[i]);
	}
	return 0;
}

static int
cmd_transform_set(struct cmd_ctx *c)
{
	const char *name = cmd_opt(c, "name");
	const char *list[TRANSFORM_SET_MAX];
	char	 err[ERR_LEN], user[NAME_MAX_LEN + 1];
	struct transform t;
	size_t	 n = 0, i;

	if (parse_name(name, "transform set name", err) == -1)
		return cmd_err(c, "%s", err);
	if (cmd_transform_list(c, list, &n) == -1)
		return -1;
	if (n > 1 && store_text(c->st, user, sizeof(user), "SELECT DISTINCT "
	    "t.name FROM tunnel t JOIN tunnel_sa_manual m ON m.tunnel = t.name"
	    " WHERE t.transform_set = ? ORDER BY t.name", "s", name) == 0)
		return cmd_err(c, "Transform set %s is used by manual tunnel "
		    "ipsec:%s and must have exactly one transform", name, user);
	if (store_text(c->st, user, sizeof(user), "SELECT DISTINCT t.name FROM "
	    "tunnel t JOIN tunnel_sa_manual m ON m.tunnel = t.name WHERE "
	    "t.transform_set = ? AND m.transform <> ? ORDER BY t.name", "ss",
	    name, list[0]) == 0)
		return cmd_err(c, "Transform set %s is used by manual tunnel "
		    "ipsec:%s, whose SAs use another transform", name, user);
	if (store_exec(c->st, "INSERT INTO transform_set (name) VALUES (?) "
	    "ON CONFLICT DO NOTHING", "s", name) == -1 ||
	    store_exec(c->st, "DELETE FROM transform_set_member WHERE "
	    "set_name = ?", "s", name) == -1)
		return cmd_store_err(c);
	for (i = 0; i < n; i++) {
		if (store_exec(c->st, "INSERT INTO transform_set_member "
		    "(set_name, position, transform) VALUES (?, ?, ?)", "sds",
		    name, (int)i + 1, list[i]) == -1)
			return cmd_store_err(c);
		transform_lookup(list[i], &t);
		if (transform_lacks_integrity(&t))
			cmd_out(c, "%% Warning: %s has no integrity protection",
			    list[i]);
	}
	return 0;
}

static int
cmd_no_transform_set(struct cmd_ctx *c)
{
	const char *name = cmd_opt(c, "name");
	char	 user[NAME_MAX_LEN + 1];

	if (cmd_transform_set_exists(c, name) == -1)
		return -1;
	if (store_text(c->st, user, sizeof(user), "SELECT name FROM tunnel "
	    "WHERE transform_set = ? ORDER BY name", "s", name) == 0)
		return cmd_err(c, "Transform set %s is in use by tunnel "
		    "ipsec:%s", name, user);
	if (store_exec(c->st, "DELETE FROM transform_set WHERE name = ?", "s",
	    name) == -1)
		return cmd_store_err(c);
	return 0;
}

/* "esp-aes128-sha esp-3des-sha" for a set, into out. */
static void
cmd_transform_set_text(struct cmd_ctx *c, const char *name, char *out,
    size_t size)
{
	sqlite3_stmt *q;

	out[0] = '\0';
	q = store_query(c->st, "SELECT transform FROM transform_set_member "
	    "WHERE set_name = ? ORDER BY position", "s", name);
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		if (out[0] != '\0')
			strncat(out, " ", size - strlen(out) - 1);
		strncat(out, store_col(q, 0), size - strlen(out) - 1);
	}
	store_finalize(c->st, q);
}

static void
cmd_transform_sets_print(struct cmd_ctx *c, const char *only, int show)
{
	sqlite3_stmt *q;
	char	 text[512];

	q = store_query(c->st, "SELECT name FROM transform_set WHERE ?1 IS NULL"
	    " OR name = ?1 ORDER BY name", "s", only);
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		cmd_transform_set_text(c, store_col(q, 0), text, sizeof(text));
		if (show)
			cmd_out(c, "%-20s %s", store_col(q, 0), text);
		else
			cmd_out(c, "ipsec transform-set %s transform %s",
			    store_col(q, 0), text);
	}
	store_finalize(c->st, q);
}

static int
cmd_show_transform_set(struct cmd_ctx *c)
{
	const char *only = c->argc > 0 ? c->argv[0] : NULL;

	if (c->argc > 1)
		return cmd_err(c, "Invalid input at '%s'", c->argv[1]);
	if (only != NULL && cmd_transform_set_exists(c, only) == -1)
		return -1;
	cmd_out(c, "%-20s %s", "Transform set", "Transforms (in priority order)");
	cmd_transform_sets_print(c, only, 1);
	return 0;
}

/* ---- lifetime ---- */

/* [seconds <1800-864000>] [kilobytes <102400-4294967295>], at least one;
 * for "ipsec lifetime" and "tunnel lifetime". Absent ones are NULL. */
int
cmd_lifetime_args(struct cmd_ctx *c, const char **secs, const char **kb)
{
	int64_t	 v = -1;

	*secs = cmd_opt(c, "seconds");
	*kb = cmd_opt(c, "kilobytes");
	if (cmd_uint(c, "seconds", 1800, 864000, &v) == -1 ||
	    cmd_uint(c, "kilobytes", 102400, 4294967295ULL, &v) == -1)
		return -1;
	if (*secs == NULL && *kb == NULL)
		return cmd_err(c, "Incomplete command: give seconds and/or "
		    "kilobytes");
	return 0;
}

static int
cmd_lifetime(struct cmd_ctx *c)
{
	const char *secs, *kb;

	if (cmd_lifetime_args(c, &secs, &kb) == -1)
		return -1;
	if (store_exec(c->st, "UPDATE system SET lifetime_seconds = "
	    "coalesce(?, lifetime_seconds), lifetime_kilobytes = "
	    "coalesce(?, lifetime_kilobytes)", "ss", secs, kb) == -1)
		return cmd_store_err(c);
	return 0;
}

static int
cmd_no_lifetime(struct cmd_ctx *c)
{
	if (store_exec(c->st, "UPDATE system SET lifetime_seconds = 28800, "
	    "lifetime_kilobytes = 102400", "") == -1)
		return cmd_store_err(c);
	return 0;
}

static int
cmd_show_lifetime(struct cmd_ctx *c)
{
	cmd_out(c, "IPsec SA lifetime (global): %lld seconds, %lld kilobytes",
	    (long long)store_int(c->st, 0, "SELECT lifetime_seconds FROM "
	    "system", ""), (long long)store_int(c->st, 0,
	    "SELECT lifetime_kilobytes FROM system", ""));
	cmd_out(c, "Tunnels with their own lifetime: %lld",
	    (long long)store_int(c->st, 0, "SELECT count(*) FROM tunnel WHERE "
	    "lifetime_seconds IS NOT NULL OR lifetime_kilobytes IS NOT NULL",
	    ""));
	return 0;
}

/* ---- local identity ---- */

static int
cmd_local_identity(struct cmd_ctx *c)
{
	char	 type[16], value[IDENTITY_MAX_LEN + 1];

	if (cmd_identity(c, type, value) == -1)
		return -1;
	if (store_exec(c->st, "UPDATE system SET local_id_type = ?, "
	    "local_id = ?", "ss", type, value) == -1)
		return cmd_store_err(c);
	return 0;
}

static int
cmd_no_local_identity(struct cmd_ctx *c)
{
	if (store_exec(c->st, "UPDATE system SET local_id_type = NULL, "
	    "local_id = NULL", "") == -1)
		return cmd_store_err(c);
	return 0;
}

/* "fqdn vpn.example.com" or "dn "CN=x"" for type and value. */
void
cmd_identity_text(const char *type, const char *value, char *out, size_t size)
{
	snprintf(out, size, strcmp(type, "dn") == 0 ? "%s \"%s\"" : "%s %s",
	    type, value);
}

static int
cmd_show_local_identity(struct cmd_ctx *c)
{
	char	 type[16], value[IDENTITY_MAX_LEN + 1], text[128];

	if (store_text(c->st, type, sizeof(type), "SELECT local_id_type FROM "
	    "system", "") == -1) {
		cmd_out(c, "Local identity: not configured (each tunnel uses its"
		    " own, else its source address)");
		return 0;
	}
	store_text(c->st, value, sizeof(value), "SELECT local_id FROM system",
	    "");
	cmd_identity_text(type, value, text, sizeof(text));
	cmd_out(c, "Local identity: %s", text);
	return 0;
}

/* ---- dead peer detection ---- */

static const char *const cmd_dpd_modes[] = { "optimized", "probe-idle",
    "always-send", NULL };

int
cmd_complete_dpd_mode(struct cli_def *cli, const char *name, const char *word,
    struct cli_comphelp *ch)
{
	return cmd_complete_words(ch, word, cmd_dpd_modes);
}

/* Parses mode/interval/threshold for "ipsec dpd" and "tunnel dpd". */
int
cmd_dpd_args(struct cmd_ctx *c, const char **mode, int64_t *interval,
    int64_t *threshold)
{
	char	 err[ERR_LEN];

	*mode = cmd_opt(c, "mode");
	if (*mode != NULL && parse_keyword(*mode, "DPD mode", cmd_dpd_modes,
	    err) == -1)
		return cmd_err(c, "%s", err);
	if (cmd_uint(c, "interval", 2, 3600, interval) == -1 ||
	    cmd_uint(c, "threshold", 1, 10, threshold) == -1)
		return -1;
	return 0;
}

static int
cmd_dpd(struct cmd_ctx *c)
{
	const char *mode;
	int64_t	 interval = -1, threshold = -1;

	if (cmd_dpd_args(c, &mode, &interval, &threshold) == -1)
		return -1;
	if (store_exec(c->st, "UPDATE system SET dpd_enabled = 1, dpd_mode = "
	    "coalesce(?, dpd_mode), dpd_interval = coalesce(nullif(?, -1), "
	    "dpd_interval), dpd_threshold = coalesce(nullif(?, -1), "
	    "dpd_threshold)", "sii", mode, interval, threshold) == -1)
		return cmd_store_err(c);
	return 0;
}

static int
cmd_no_dpd(struct cmd_ctx *c)
{
	if (store_exec(c->st, "UPDATE system SET dpd_enabled = 0, dpd_mode = "
	    "'optimized', dpd_interval = 10, dpd_threshold = 5", "") == -1)
		return cmd_store_err(c);
	return 0;
}

/* ---- pre-shared keys ---- */

/* The AAD ties a blob to its peer and VR: it decrypts for nothing else. */
static void
cmd_psk_aad(const char *peer, const char *tvr, char *aad, size_t size)
{
	snprintf(aad, size, "psk|%s|%s", peer, tvr);
}

/* Encrypts a clear secret, or checks that an encrypted one decrypts here. */
int
cmd_secret_blob(struct cmd_ctx *c, const char *value, int encrypted,
    const char *aad, char **blob, size_t expect_len)
{
	unsigned char *pt;
	size_t	 len;

	if (encrypted) {
		if (secret_decrypt(c->st->key, aad, value, &pt, &len) == -1)
			return cmd_err(c, "The encrypted key does not decrypt "
			    "on this device (made elsewhere, for another "
			    "object, or damaged)");
		secure_free(pt, len);
		/* only manual SA keys have a length: hex, 2 digits a byte */
		if (expect_len != 0 && len != expect_len)
			return cmd_err(c, "The encrypted key is %zu bytes; "
			    "the transform needs %zu", len / 2, expect_len / 2);
		*blob = strdup(value);
	} else
		*blob = secret_encrypt(c->st->key, aad,
		    (const unsigned char *)value, strlen(value));
	if (*blob == NULL)
		return cmd_err(c, "Cannot encrypt the key");
	return 0;
}

static const struct cmd_kw cmd_psk_kws[] = {
	{ "transport-virtual-router", KW_VALUE },
	{ "key", KW_SECRET },
	{ NULL, 0 },
};

static int
cmd_psk(struct cmd_ctx *c)
{
	struct cmd_kwval v[3];
	char	 peer[IDENTITY_MAX_LEN + 1], err[ERR_LEN], aad[256];
	const char *tvr;
	char	*blob;
	enum id_type type;
	int	 rc;

	if (parse_identity(cmd_opt(c, "peer"), peer, &type, err) == -1)
		return cmd_err(c, "%s", err);
	if (cmd_kw_parse(c, cmd_psk_kws, v) == -1)
		return -1;
	tvr = v[0].value ? v[0].value : "default";
	if (cmd_vr_exists(c, tvr) == -1)
		return -1;
	if (v[1].value == NULL)
		return cmd_err(c, "Incomplete command: give key SECRET or key "
		    "encrypted BLOB");
	if (!v[1].encrypted && (strlen(v[1].value) == 0 ||
	    strlen(v[1].value) > SECRET_MAX_LEN))
		return cmd_err(c, "A pre-shared key is 1-%d characters",
		    SECRET_MAX_LEN);
	cmd_psk_aad(peer, tvr, aad, sizeof(aad));
	if (cmd_secret_blob(c, v[1].value, v[1].encrypted, aad, &blob, 0) == -1)
		return -1;
	rc = store_exec(c->st, "INSERT INTO psk (peer, tvr, blob) VALUES "
	    "(?, ?, ?) ON CONFLICT (peer, tvr) DO UPDATE SET blob = "
	    "excluded.blob", "sss", peer, tvr, blob);
	free(blob);
	return rc == -1 ? cmd_store_err(c) : 0;
}

static int
cmd_no_psk(struct cmd_ctx *c)
{
	struct cmd_kwval v[3];
	char	 peer[IDENTITY_MAX_LEN + 1], err[ERR_LEN];
	enum id_type type;
	const char *tvr;

	if (parse_identity(cmd_opt(c, "peer"), peer, &type, err) == -1)
		return cmd_err(c, "%s", err);
	if (cmd_kw_parse(c, cmd_psk_kws, v) == -1)
		return -1;
	tvr = v[0].value ? v[0].value : "default";
	if (store_exec(c->st, "DELETE FROM psk WHERE peer = ? AND tvr = ?",
	    "ss", peer, tvr) == -1)
		return cmd_store_err(c);
	if (store_changes(c->st) == 0)
		return cmd_err(c, "No pre-shared key for %s in virtual-router "
		    "%s", peer, tvr);
	return 0;
}

/* ---- trap hooks ---- */

static const char *const cmd_trap_events[] = { "tunnel-up", "tunnel-down",
    "failover", "peer-dead", "ike-up", "ike-down", "auth-failure",
    "negotiation-failure", "rekey", "all", NULL };
#define TRAP_ALL	9

static int
cmd_complete_event(struct cli_def *cli, const char *name, const char *word,
    struct cli_comphelp *ch)
{
	return cmd_complete_words(ch, word, cmd_trap_events);
}

/* Canonical event list: table order, no duplicates, "all" alone. */
static int
cmd_trap_events_text(struct cmd_ctx *c, char *out, size_t size)
{
	int	 seen[TRAP_ALL + 1] = { 0 }, i, k, any = 0;
	const char *first = cmd_opt(c, "event");
	char	 err[ERR_LEN];

	for (i = -1; i < c->argc; i++) {
		const char *w = i < 0 ? first : c->argv[i];
		if (w == NULL)
			continue;
		if ((k = parse_keyword(w, "event", cmd_trap_events, err)) == -1)
			return cmd_err(c, "%s", err);
		seen[k] = any = 1;
	}
	out[0] = '\0';
	if (!any || seen[TRAP_ALL]) {
		str_copy(out, "all", size);
		return 0;
	}
	for (i = 0; i < TRAP_ALL; i++)
		if (seen[i]) {
			if (out[0] != '\0')
				strncat(out, " ", size - strlen(out) - 1);
			strncat(out, cmd_trap_events[i], size - strlen(out) - 1);
		}
	return 0;
}

static int
cmd_trap_hook(struct cmd_ctx *c)
{
	const char *path = cmd_opt(c, "path");
	char	 events[256];
	struct stat st;

	if (path[0] != '/' || strlen(path) > 255 ||
	    strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/._+-") != strlen(path))
		return cmd_err(c, "A trap hook is an absolute path of at most "
		    "255 characters of letters, digits and / . _ + -");
	if (c->argc > 0 && cmd_opt(c, "event") == NULL)
		return cmd_err(c, "Invalid input at '%s'", c->argv[0]);
	if (cmd_trap_events_text(c, events, sizeof(events)) == -1)
		return -1;
	if (store_exec(c->st, "INSERT INTO trap_hook (path, events) VALUES "
	    "(?, ?) ON CONFLICT (path) DO UPDATE SET events = excluded.events",
	    "ss", path, events) == -1)
		return cmd_store_err(c);
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode) ||
	    access(path, X_OK) == -1)
		cmd_out(c, "%% Warning: %s is not an executable file (yet)",
		    path);
	return 0;
}

static int
cmd_no_trap_hook(struct cmd_ctx *c)
{
	const char *path = cmd_opt(c, "path");

	if (store_exec(c->st, "DELETE FROM trap_hook WHERE path = ?", "s",
	    path) == -1)
		return cmd_store_err(c);
	if (store_changes(c->st) == 0)
		return cmd_err(c, "No trap hook %s", path);
	return 0;
}

/* ---- running-config ---- */

void
cmd_ipsec_running(struct cmd_ctx *c)
{
	sqlite3_stmt *q;
	char	 text[128];

	q = store_query(c->st, "SELECT lifetime_seconds, lifetime_kilobytes, "
	    "local_id_type, local_id, dpd_enabled, dpd_mode, dpd_interval, "
	    "dpd_threshold FROM system", "");
	if (q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		if (sqlite3_column_int64(q, 0) != 28800 ||
		    sqlite3_column_int64(q, 1) != 102400)
			cmd_out(c, "ipsec lifetime seconds %s kilobytes %s",
			    store_col(q, 0), store_col(q, 1));
		if (sqlite3_column_type(q, 2) != SQLITE_NULL) {
			cmd_identity_text(store_col(q, 2), store_col(q, 3),
			    text, sizeof(text));
			cmd_out(c, "ipsec local-identity %s", text);
		}
		if (sqlite3_column_int(q, 4))
			cmd_out(c, "ipsec dpd mode %s interval %s threshold %s",
			    store_col(q, 5), store_col(q, 6), store_col(q, 7));
	}
	store_finalize(c->st, q);
	cmd_transform_sets_print(c, NULL, 0);
}

void
cmd_ipsec_keys_running(struct cmd_ctx *c)
{
	sqlite3_stmt *q;

	q = store_query(c->st, "SELECT peer, tvr, blob FROM psk ORDER BY "
	    "tvr <> 'default', tvr, peer", "");
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		if (strcmp(store_col(q, 1), "default") == 0)
			cmd_out(c, "ipsec key pre-share %s key encrypted %s",
			    store_col(q, 0), store_col(q, 2));
		else
			cmd_out(c, "ipsec key pre-share %s "
			    "transport-virtual-router %s key encrypted %s",
			    store_col(q, 0), store_col(q, 1), store_col(q, 2));
	}
	store_finalize(c->st, q);
	q = store_query(c->st, "SELECT path, events FROM trap_hook ORDER BY "
	    "path", "");
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		if (strcmp(store_col(q, 1), "all") == 0)
			cmd_out(c, "ipsec trap-hook %s", store_col(q, 0));
		else
			cmd_out(c, "ipsec trap-hook %s event %s",
			    store_col(q, 0), store_col(q, 1));
	}
	store_finalize(c->st, q);
}

const struct cmd_spec cmd_ipsec_specs[] = {
	{ "ipsec transform-set", "Define a set of IPsec transforms",
	    MODE_CONFIG, CMD_WRITE | CMD_EXTRA, cmd_transform_set,
	    { { "name", CLI_CMD_ARGUMENT, "Transform set name",
		  cmd_complete_transform_set },
	      { "transform", CLI_CMD_OPTIONAL_ARGUMENT,
		  "Transforms T1 [T2 ... T6] in priority order",
		  cmd_complete_transform } },
	    cmd_no_transform_set,
	    { { "name", CLI_CMD_ARGUMENT, "Transform set name",
		  cmd_complete_transform_set } } },
	{ "ipsec lifetime", "Global IPsec SA lifetime", MODE_CONFIG,
	    CMD_WRITE, cmd_lifetime,
	    { { "seconds", CLI_CMD_OPTIONAL_ARGUMENT, "<1800-864000>" },
	      { "kilobytes", CLI_CMD_OPTIONAL_ARGUMENT,
		  "<102400-4294967295>" } },
	    cmd_no_lifetime },
	{ "ipsec local-identity", "This router's IKE identity", MODE_CONFIG,
	    CMD_WRITE, cmd_local_identity, { OPT_ID_CHOICES },
	    cmd_no_local_identity },
	{ "ipsec dpd", "Dead peer detection default", MODE_CONFIG, CMD_WRITE,
	    cmd_dpd, { OPT_DPD }, cmd_no_dpd },
	{ "ipsec key pre-share", "Pre-shared key for a peer", MODE_CONFIG,
	    CMD_WRITE | CMD_EXTRA | CMD_SECRET, cmd_psk,
	    { { "peer", CLI_CMD_ARGUMENT,
		  "A.B.C.D | X:X::X | FQDN | USER@FQDN" },
	      { "transport-virtual-router", CLI_CMD_OPTIONAL_ARGUMENT,
		  "Virtual router of the peer", cmd_complete_vr },
	      { "key", CLI_CMD_OPTIONAL_ARGUMENT,
		  "SECRET | encrypted BLOB" } },
	    cmd_no_psk,
	    { { "peer", CLI_CMD_ARGUMENT,
		  "A.B.C.D | X:X::X | FQDN | USER@FQDN" },
	      { "transport-virtual-router", CLI_CMD_OPTIONAL_ARGUMENT,
		  "Virtual router of the peer", cmd_complete_vr } } },
	{ "ipsec trap-hook", "Run a script on events", MODE_CONFIG,
	    CMD_WRITE | CMD_EXTRA, cmd_trap_hook,
	    { { "path", CLI_CMD_ARGUMENT, "Absolute path of the script" },
	      { "event", CLI_CMD_OPTIONAL_ARGUMENT,
		  "tunnel-up | tunnel-down | failover | peer-dead | ike-up | "
		  "ike-down | auth-failure | negotiation-failure | rekey | all",
		  cmd_complete_event } },
	    cmd_no_trap_hook,
	    { { "path", CLI_CMD_ARGUMENT, "Absolute path of the script" } } },
	{ "show ipsec transform-set", "Transform sets", MODE_EXEC, CMD_EXTRA,
	    cmd_show_transform_set, .priv = CMD_PRIV_USER },
	{ "show ipsec lifetime", "Global IPsec SA lifetime", MODE_EXEC, 0,
	    cmd_show_lifetime, .priv = CMD_PRIV_USER },
	{ "show ipsec local-identity", "This router's IKE identity",
	    MODE_EXEC, 0, cmd_show_local_identity, .priv = CMD_PRIV_USER },
	{ NULL },
};
