/* cmd_route: static routes into tunnels or to next hops, per virtual
 * router, and "show ip route". */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

struct route_args {
	int		 family;
	const char	*vr;
	char		 prefix[ADDR_TEXT_LEN];
	char		 tunnel[NAME_MAX_LEN + 1];	/* "" for a next hop */
	char		 nexthop[ADDR_TEXT_LEN];	/* "" for a tunnel */
	int64_t		 distance;
};

static const struct cmd_kw route_kws[] = {
	{ "distance", KW_VALUE },
	{ NULL, 0 },
};

/* [virtual-router VR] PREFIX/LEN {tunnel ipsec:NAME | NEXTHOP} [distance N];
 * for the "no" form the target and distance may be left out. */
static int
cmd_route_args(struct cmd_ctx *c, struct route_args *r)
{
	const char *t = cmd_opt(c, "tunnel"), *nh = NULL;
	char	 err[ERR_LEN];
	struct cmd_kwval v[2];
	uint64_t d;

	r->family = *(const int *)c->spec->data;
	r->vr = cmd_opt(c, "virtual-router") ? cmd_opt(c, "virtual-router") :
	    "default";
	r->tunnel[0] = r->nexthop[0] = '\0';
	r->distance = -1;
	if (cmd_vr_exists(c, r->vr) == -1)
		return -1;
	if (parse_prefix(cmd_opt(c, "prefix"), r->family, 1, r->prefix, NULL,
	    err) == -1)
		return cmd_err(c, "%s", err);
	/* the next hop is the first word no argument took */
	if (c->argc > 0 && strcmp(c->argv[0], "distance") != 0) {
		nh = c->argv[0];
		c->argv++;
		c->argc--;
	}
	if (cmd_kw_parse(c, route_kws, v) == -1)
		return -1;
	if (t != NULL && nh != NULL)
		return cmd_err(c, "Give a tunnel or a next hop, not both");
	if (t != NULL && cmd_tunnel_name(c, t, r->tunnel) == -1)
		return -1;
	if (nh != NULL && parse_addr(nh, r->family, r->nexthop, NULL, err) == -1)
		return cmd_err(c, "%s", err);
	if (v[0].value != NULL) {
		if (parse_uint(v[0].value, "distance", 1, 255, &d, err) == -1)
			return cmd_err(c, "%s", err);
		r->distance = (int64_t)d;
	}
	return 0;
}

static int
cmd_route(struct cmd_ctx *c)
{
	struct route_args r;

	if (cmd_route_args(c, &r) == -1)
		return -1;
	if (r.tunnel[0] == '\0' && r.nexthop[0] == '\0')
		return cmd_err(c, "Incomplete command: give tunnel ipsec:NAME "
		    "or a next-hop address");
	if (r.tunnel[0] != '\0' && cmd_tunnel_exists(c, r.tunnel) == -1)
		return -1;
	if (store_exec(c->st, "DELETE FROM route WHERE vr = ? AND prefix = ? "
	    "AND tunnel IS ? AND nexthop IS ?", "ssss", r.vr, r.prefix,
	    r.tunnel[0] ? r.tunnel : NULL,
	    r.nexthop[0] ? r.nexthop : NULL) == -1 ||
	    store_exec(c->st, "INSERT INTO route (family, vr, prefix, tunnel, "
	    "nexthop, distance) VALUES (?, ?, ?, ?, ?, ?)", "dssssi", r.family,
	    r.vr, r.prefix, r.tunnel[0] ? r.tunnel : NULL,
	    r.nexthop[0] ? r.nexthop : NULL,
	    r.distance == -1 ? (int64_t)1 : r.distance) == -1)
		return cmd_store_err(c);
	return 0;
}

static int
cmd_no_route(struct cmd_ctx *c)
{
	struct route_args r;
	int	 any = 0;

	if (cmd_route_args(c, &r) == -1)
		return -1;
	any = r.tunnel[0] == '\0' && r.nexthop[0] == '\0';
	if (store_exec(c->st, "DELETE FROM route WHERE vr = ? AND prefix = ? "
	    "AND (? OR (tunnel IS ? AND nexthop IS ?))", "ssdss", r.vr,
	    r.prefix, any, r.tunnel[0] ? r.tunnel : NULL,
	    r.nexthop[0] ? r.nexthop : NULL) == -1)
		return cmd_store_err(c);
	if (store_changes(c->st) == 0)
		return cmd_err(c, "No such route to %s in virtual-router %s",
		    r.prefix, r.vr);
	return 0;
}

static void
cmd_route_print(struct cmd_ctx *c, sqlite3_stmt *q, int show,
    const struct routes *have)
{
	char	 vr[NAME_MAX_LEN + 24] = "", target[NAME_MAX_LEN + 16],
		 dist[24] = "";
	int	 family = sqlite3_column_int(q, 0);

	if (sqlite3_column_type(q, 3) != SQLITE_NULL)
		snprintf(target, sizeof(target), "tunnel ipsec:%s",
		    store_col(q, 3));
	else
		str_copy(target, store_col(q, 4), sizeof(target));
	if (show) {
		cmd_out(c, "S   %-24s [%s] via %s (%s)", store_col(q, 2),
		    store_col(q, 5), target, c->s->d->rt == NULL ?
		    "not installed" : runtime_route_status(c->s->d->rt, q,
		    have));
		return;
	}
	if (strcmp(store_col(q, 1), "default") != 0)
		snprintf(vr, sizeof(vr), "virtual-router %s ", store_col(q, 1));
	if (sqlite3_column_int(q, 5) != 1)
		snprintf(dist, sizeof(dist), " distance %s", store_col(q, 5));
	cmd_out(c, "%s route %s%s %s%s", family == 4 ? "ip" : "ipv6", vr,
	    store_col(q, 2), target, dist);
}

#define ROUTE_COLUMNS "family, vr, prefix, tunnel, nexthop, distance"

void
cmd_route_running(struct cmd_ctx *c)
{
	sqlite3_stmt *q;

	q = store_query(c->st, "SELECT " ROUTE_COLUMNS " FROM route ORDER BY "
	    "family, vr <> 'default', vr, prefix, tunnel, nexthop", "");
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW)
		cmd_route_print(c, q, 0, NULL);
	store_finalize(c->st, q);
}

static int
cmd_show_route(struct cmd_ctx *c)
{
	const char *vr = cmd_opt(c, "virtual-router");
	sqlite3_stmt *q;
	struct routes *have;

	if (vr == NULL)
		vr = "default";
	if (cmd_vr_exists(c, vr) == -1)
		return -1;
	cmd_out(c, "Static routes in virtual-router %s (configured)", vr);
	q = store_query(c->st, "SELECT " ROUTE_COLUMNS " FROM route WHERE vr = ?"
	    " ORDER BY family, prefix, tunnel, nexthop", "s", vr);
	have = runtime_routes_load(c->s->d->rt);
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW)
		cmd_route_print(c, q, 1, have);
	store_finalize(c->st, q);
	runtime_routes_free(have);
	return 0;
}

static const int family4 = 4, family6 = 6;

#define ROUTE_OPTS(what) \
	{ { "virtual-router", CLI_CMD_OPTIONAL_ARGUMENT, "Virtual router", \
	    cmd_complete_vr }, \
	  { "prefix", CLI_CMD_ARGUMENT, what }, \
	  { "tunnel", CLI_CMD_OPTIONAL_ARGUMENT, "Into tunnel ipsec:NAME", \
	    cmd_complete_tunnel }, \
	  { "distance", CLI_CMD_OPTIONAL_ARGUMENT, "Distance <1-255>" } }
#define ROUTE_SPEC(path, help, mode, fam, what) \
	{ path, help, mode, CMD_WRITE | CMD_EXTRA | CMD_EXTRA_NO | CMD_TO_CONFIG, cmd_route, \
	    ROUTE_OPTS(what), cmd_no_route, ROUTE_OPTS(what), .data = fam }

/* Also in config-if, where "ip address" would hide the global "ip route". */
const struct cmd_spec cmd_route_specs[] = {
	ROUTE_SPEC("ip route", "Static IPv4 route", MODE_CONFIG, &family4,
	    "PREFIX/LEN, then tunnel ipsec:NAME or A.B.C.D"),
	ROUTE_SPEC("ipv6 route", "Static IPv6 route", MODE_CONFIG, &family6,
	    "PREFIX/LEN, then tunnel ipsec:NAME or X:X::X"),
	ROUTE_SPEC("ip route", "Static IPv4 route", MODE_CONFIG_IF, &family4,
	    "PREFIX/LEN, then tunnel ipsec:NAME or A.B.C.D"),
	ROUTE_SPEC("ipv6 route", "Static IPv6 route", MODE_CONFIG_IF, &family6,
	    "PREFIX/LEN, then tunnel ipsec:NAME or X:X::X"),
	{ "show ip route", "Static routes", MODE_EXEC, 0, cmd_show_route,
	    { { "virtual-router", CLI_CMD_OPTIONAL_ARGUMENT, "Virtual router",
		  cmd_complete_vr } }, .priv = CMD_PRIV_USER },
	{ NULL },
};
