/* cmd_system: hostname, virtual routers and show running-config. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

/* ---- hostname ---- */

static int
cmd_hostname(struct cmd_ctx *c)
{
	const char *name = cmd_opt(c, "name");
	size_t	 i, n = strlen(name);

	if (n == 0 || n > 63 || !isalnum((unsigned char)name[0]))
		return cmd_err(c, "Hostname '%s' must be 1-63 characters "
		    "starting with a letter or digit", name);
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' &&
		    name[i] != '.' && name[i] != '_')
			return cmd_err(c, "Hostname '%s' may contain only "
			    "letters, digits, '-', '_' and '.'", name);
	if (store_exec(c->st, "UPDATE system SET hostname = ?", "s", name))
		return cmd_store_err(c);
	return 0;
}

static int
cmd_no_hostname(struct cmd_ctx *c)
{
	if (store_exec(c->st, "UPDATE system SET hostname = NULL", ""))
		return cmd_store_err(c);
	return 0;
}

void
cmd_system_running(struct cmd_ctx *c)
{
	char	 host[64];

	if (store_text(c->st, host, sizeof(host),
	    "SELECT hostname FROM system", "") == 0)
		cmd_out(c, "hostname %s", host);
}

/* ---- virtual routers ---- */

#define VR_NAME_MAX	11	/* "vrf-" + 11 = IFNAMSIZ - 1 */

/* Linux reserves 253 (default), 254 (main) and 255 (local). */
static int
cmd_vr_table_ok(struct cmd_ctx *c, const char *name, int64_t table)
{
	char	 other[NAME_MAX_LEN + 1];

	if (table >= 253 && table <= 255)
		return cmd_err(c, "Table %lld is reserved by Linux (253 default,"
		    " 254 main, 255 local)", (long long)table);
	if (store_text(c->st, other, sizeof(other), "SELECT name FROM "
	    "virtual_router WHERE table_id = ? AND name <> ?", "is", table,
	    name) == 0)
		return cmd_err(c, "Table %lld is already used by "
		    "virtual-router %s", (long long)table, other);
	return 0;
}

static int
cmd_vr(struct cmd_ctx *c)
{
	const char *name = cmd_opt(c, "name");
	char	 err[ERR_LEN];
	int64_t	 table = -1;

	if (parse_name(name, "virtual-router name", err) == -1)
		return cmd_err(c, "%s", err);
	if (strlen(name) > VR_NAME_MAX)
		return cmd_err(c, "virtual-router name '%s' is longer than %d "
		    "characters (its VRF device vrf-NAME must fit Linux's 15)",
		    name, VR_NAME_MAX);
	if (cmd_uint(c, "table", 1, 4294967294ULL, &table) == -1)
		return -1;
	if (strcmp(name, "default") == 0) {
		if (table != -1)
			return cmd_err(c, "virtual-router default is the main "
			    "table; its table cannot be set");
		return 0;
	}
	if (table != -1 && cmd_vr_table_ok(c, name, table) == -1)
		return -1;
	if (store_exec(c->st, "INSERT INTO virtual_router (name) VALUES (?) "
	    "ON CONFLICT (name) DO NOTHING", "s", name) == -1)
		return cmd_store_err(c);
	if (table != -1 && store_exec(c->st, "UPDATE virtual_router SET "
	    "table_id = ? WHERE name = ?", "is", table, name) == -1)
		return cmd_store_err(c);
	return 0;
}

/* Who uses a VR, for the refusal's text. */
static const struct {
	const char	*what;
	const char	*sql;
} cmd_vr_users[] = {
	{ "tunnel ipsec:", "SELECT name FROM tunnel WHERE vr = ?1 OR tvr = ?1 "
	    "ORDER BY name" },
	{ "route to ", "SELECT prefix FROM route WHERE vr = ?1 ORDER BY prefix" },
	{ "pre-shared key for ", "SELECT peer FROM psk WHERE tvr = ?1 "
	    "ORDER BY peer" },
	{ "ike-policy-rule ", "SELECT priority FROM ike_policy_rule WHERE "
	    "match_tvr = ?1 ORDER BY priority" },
};

static int
cmd_no_vr(struct cmd_ctx *c)
{
	const char *name = cmd_opt(c, "name");
	char	 user[128];
	size_t	 i;

	if (strcmp(name, "default") == 0)
		return cmd_err(c, "virtual-router default cannot be removed");
	if (cmd_vr_exists(c, name) == -1)
		return -1;
	for (i = 0; i < nitems(cmd_vr_users); i++)
		if (store_text(c->st, user, sizeof(user), cmd_vr_users[i].sql,
		    "s", name) == 0)
			return cmd_err(c, "Virtual router %s is in use by %s%s",
			    name, cmd_vr_users[i].what, user);
	if (store_exec(c->st, "DELETE FROM virtual_router WHERE name = ?", "s",
	    name) == -1)
		return cmd_store_err(c);
	return 0;
}

void
cmd_vr_running(struct cmd_ctx *c)
{
	sqlite3_stmt *q;

	q = store_query(c->st, "SELECT name, table_id FROM virtual_router "
	    "WHERE name <> 'default' ORDER BY name", "");
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		if (sqlite3_column_type(q, 1) == SQLITE_NULL)
			cmd_out(c, "virtual-router %s", store_col(q, 0));
		else
			cmd_out(c, "virtual-router %s table %s",
			    store_col(q, 0), store_col(q, 1));
	}
	store_finalize(c->st, q);
}

static int
cmd_show_vr(struct cmd_ctx *c)
{
	sqlite3_stmt *q;

	cmd_out(c, "%-20s %-12s %-20s %s", "Virtual router", "Table",
	    "Linux device", "Tunnels");
	q = store_query(c->st, "SELECT v.name, v.table_id, (SELECT count(*) "
	    "FROM tunnel t WHERE t.vr = v.name) FROM virtual_router v "
	    "ORDER BY v.name <> 'default', v.name", "");
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		const char *name = store_col(q, 0), *error;
		char	 dev[48], table[16];

		if (strcmp(name, "default") == 0)
			str_copy(dev, "(main table)", sizeof(dev));
		else
			snprintf(dev, sizeof(dev), "vrf-%s", name);
		str_copy(table, sqlite3_column_type(q, 1) == SQLITE_NULL ?
		    "auto" : store_col(q, 1), sizeof(table));
		cmd_vr_kernel(c, name, dev, sizeof(dev), table, sizeof(table),
		    &error);
		cmd_out(c, "%-20s %-12s %-20s %s", name, table, dev,
		    store_col(q, 2));
		if (error != NULL)
			cmd_out(c, "  %% not in the kernel: %s", error);
	}
	store_finalize(c->st, q);
	return 0;
}

/* ---- running-config: canonical order, so replaying it gives it back ---- */

static int
cmd_show_running(struct cmd_ctx *c)
{
	static void (*const sections[])(struct cmd_ctx *) = {
		cmd_system_running, cmd_vr_running, cmd_ipsec_running,
		cmd_ike_running, cmd_ipsec_keys_running, cmd_tunnel_running,
		cmd_route_running,
	};
	size_t	 i;

	cmd_out(c, "!");
	for (i = 0; i < nitems(sections); i++) {
		int before = c->lines;

		sections[i](c);
		if (c->lines > before)
			cmd_out(c, "!");
	}
	cmd_out(c, "end");
	return 0;
}

const struct cmd_spec cmd_system_specs[] = {
	{ "hostname", "Set the system's network name", MODE_CONFIG, CMD_WRITE,
	    cmd_hostname,
	    { { "name", CLI_CMD_ARGUMENT, "This system's network name" } },
	    cmd_no_hostname },
	{ "virtual-router", "Configure a virtual router (a Linux VRF)",
	    MODE_CONFIG, CMD_WRITE, cmd_vr,
	    { { "name", CLI_CMD_ARGUMENT, "Virtual router name",
		  cmd_complete_vr },
	      { "table", CLI_CMD_OPTIONAL_ARGUMENT,
		  "Routing table <1-4294967294>" } },
	    cmd_no_vr,
	    { { "name", CLI_CMD_ARGUMENT, "Virtual router name",
		  cmd_complete_vr } } },
	{ "show virtual-router", "Virtual routers", MODE_EXEC, 0, cmd_show_vr,
	    .priv = CMD_PRIV_USER },
	{ "show running-config", "The current configuration", MODE_EXEC, 0,
	    cmd_show_running },
	{ NULL },
};
