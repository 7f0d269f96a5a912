/* route: "ip route" / "ipv6 route" in each VR's table. A route into a
 * tunnel is installed while the tunnel is up (a router's static route into
 * a down interface is inactive); routes are ours by protocol KERNEL_RTPROT,
 * so a sync compares the configuration with the kernel's list of ours. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "log.h"
#include "runtime.h"
#include "util.h"

struct routes {
	struct kroute	*r;
	size_t		 n, cap;
};

static int
routes_push(struct routes *s, const struct kroute *r)
{
	struct kroute	*slot;

	if ((slot = array_add(&s->r, &s->n, &s->cap, sizeof(*slot))) == NULL)
		return -1;
	*slot = *r;
	return 0;
}

static int
route_collect(const struct kroute *r, void *arg)
{
	return routes_push(arg, r);
}

static int
route_same(const struct kroute *a, const struct kroute *b)
{
	size_t	 alen = kernel_addr_len(a->family);

	return a->family == b->family && a->table == b->table &&
	    a->plen == b->plen && a->metric == b->metric &&
	    memcmp(a->dst, b->dst, alen) == 0 && a->has_gw == b->has_gw &&
	    (a->has_gw ? memcmp(a->gw, b->gw, alen) == 0 : a->oif == b->oif);
}

static int
route_in(const struct routes *s, const struct kroute *r)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (route_same(&s->r[i], r))
			return 1;
	return 0;
}

/* One configured route, or 0 when it is inactive (tunnel or VR down).
 * q's columns: family, vr, prefix, tunnel, nexthop, distance. */
static int
route_want(struct runtime *rt, sqlite3_stmt *q, struct kroute *r)
{
	struct vr_rt	*v = runtime_vr(rt, store_col(q, 1));
	struct tunnel_rt *t;
	char		 buf[ADDR_TEXT_LEN], *slash;

	memset(r, 0, sizeof(*r));
	r->family = sqlite3_column_int(q, 0) == 6 ? AF_INET6 : AF_INET;
	if (v == NULL || v->table == 0)
		return 0;
	r->table = v->table;
	str_copy(buf, store_col(q, 2), sizeof(buf));
	if ((slash = strchr(buf, '/')) == NULL)
		return 0;
	*slash = '\0';
	r->plen = atoi(slash + 1);
	if (inet_pton(r->family, buf, r->dst) != 1)
		return 0;
	r->metric = (uint32_t)sqlite3_column_int(q, 5);
	if (sqlite3_column_type(q, 3) != SQLITE_NULL) {
		t = runtime_tunnel(rt, store_col(q, 3));
		if (t == NULL || !(t->up || t->armed) || t->ifindex == 0)
			return 0;
		r->oif = t->ifindex;
		return 1;
	}
	r->has_gw = 1;
	return inet_pton(r->family, store_col(q, 4), r->gw) == 1;
}

int
route_sync(struct runtime *rt)
{
	struct routes	 want = { 0 }, have = { 0 };
	struct kroute	 r;
	struct kerr	 e = { 0 };
	sqlite3_stmt	*q;
	size_t		 i;
	int		 errors = 0;

	rt->route_error[0] = '\0';
	q = store_query(rt->st, "SELECT family, vr, prefix, tunnel, "
	    "ifnull(nexthop, ''), distance FROM route", "");
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW)
		if (route_want(rt, q, &r) && !route_in(&want, &r))
			routes_push(&want, &r);
	store_finalize(rt->st, q);
	if (kernel_route_dump(rt->k, route_collect, &have, &e) == -1) {
		runtime_refused(rt, rt->route_error, &e);
		errors++;
		goto done;
	}
	for (i = 0; i < have.n; i++)
		if (!route_in(&want, &have.r[i]) &&
		    kernel_route_change(rt->k, 0, &have.r[i], &e) == -1 &&
		    e.code != -ESRCH) {
			runtime_refused(rt, rt->route_error, &e);
			errors++;
		}
	for (i = 0; i < want.n; i++)
		if (!route_in(&have, &want.r[i]) &&
		    kernel_route_change(rt->k, 1, &want.r[i], &e) == -1) {
			runtime_refused(rt, rt->route_error, &e);
			errors++;
		}
done:
	free(want.r);
	free(have.r);
	return errors;
}

/* ---- for show ip route ---- */

struct routes *
runtime_routes_load(struct runtime *rt)
{
	struct routes	*have;
	struct kerr	 e = { 0 };

	if (rt == NULL || rt->k == NULL ||
	    (have = calloc(1, sizeof(*have))) == NULL)
		return NULL;
	if (kernel_route_dump(rt->k, route_collect, have, &e) == -1)
		log_warn("kernel: %s", e.msg);
	return have;
}

void
runtime_routes_free(struct routes *have)
{
	if (have != NULL)
		free(have->r);
	free(have);
}

const char *
runtime_route_status(struct runtime *rt, sqlite3_stmt *q,
    const struct routes *have)
{
	struct kroute	 r;

	if (rt == NULL || rt->k == NULL)
		return "not installed: configuration only";
	if (!route_want(rt, q, &r))
		return sqlite3_column_type(q, 3) != SQLITE_NULL ?
		    "inactive: the tunnel is down" :
		    "inactive: the virtual-router is not available";
	if (have != NULL && route_in(have, &r))
		return "installed";
	return "not installed: see the log (refused by the kernel)";
}
