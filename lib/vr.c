/* vr: virtual routers as Linux VRF devices "vrf-NAME" (the "default" VR is
 * the main table and has no device). A VRF sectun creates carries the
 * alias "sectun virtual-router NAME"; one that already existed is adopted
 * (used, never changed or removed). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net/if.h>

#include "log.h"
#include "runtime.h"
#include "util.h"

#define VR_ALIAS	KERNEL_ALIAS_PREFIX "virtual-router "
#define VR_TABLE_FIRST	1000	/* tables chosen for VRs configured without */

struct vr_rt *
runtime_vr(struct runtime *rt, const char *name)
{
	struct vr_rt *v;

	for (v = rt->vrs; v != NULL; v = v->next)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

static struct vr_rt *
vr_get(struct runtime *rt, const char *name)
{
	struct vr_rt *v;

	if ((v = runtime_vr(rt, name)) != NULL)
		return v;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	str_copy(v->name, name, sizeof(v->name));
	v->next = rt->vrs;
	rt->vrs = v;
	return v;
}

static int
vr_is_vrf(const struct klink *l, void *arg)
{
	return strcmp(l->kind, "vrf") == 0;
}

static const struct klink *
vr_find(const struct klinks *c, const char *ifname)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->l[i].name, ifname) == 0)
			return &c->l[i];
	return NULL;
}

/* Lowest table from VR_TABLE_FIRST used by no configured VR and no VRF. */
static uint32_t
vr_free_table(struct runtime *rt, const struct klinks *c)
{
	uint32_t t;
	size_t	 i;
	int	 used;

	for (t = VR_TABLE_FIRST; ; t++) {
		used = store_int(rt->st, 0, "SELECT count(*) FROM "
		    "virtual_router WHERE table_id = ?", "i", (int64_t)t) > 0;
		for (i = 0; i < c->n && !used; i++)
			used = c->l[i].vrf_table == t;
		if (!used)
			return t;
	}
}

static int
vr_create(struct runtime *rt, struct vr_rt *v, uint32_t table,
    struct kerr *e)
{
	struct klink	 l;
	char		 alias[128];

	snprintf(alias, sizeof(alias), VR_ALIAS "%s", v->name);
	if (kernel_vrf_add(rt->k, v->ifname, table, alias, e) == -1)
		return -1;
	if (kernel_link_get(rt->k, v->ifname, &l, e) != 1)
		return -1;
	if (kernel_link_set(rt->k, l.ifindex, 0, 0, 1, e) == -1)
		return -1;
	v->ifindex = l.ifindex;
	v->table = table;
	v->owned = 1;
	log_info("virtual-router %s: created %s (table %u)", v->name,
	    v->ifname, table);
	return 0;
}

/* One VR: adopt the VRF of its name, or create it. */
static int
vr_sync_one(struct runtime *rt, struct vr_rt *v, int64_t want,
    const struct klinks *c)
{
	const struct klink *l = vr_find(c, v->ifname);
	struct kerr	 e = { 0 };

	v->error[0] = '\0';
	v->table = 0;
	v->ifindex = 0;
	if (l != NULL) {
		v->owned = strncmp(l->alias, VR_ALIAS, strlen(VR_ALIAS)) == 0;
		if (want <= 0 || (uint32_t)want == l->vrf_table) {
			v->ifindex = l->ifindex;
			v->table = l->vrf_table;
			if (v->owned && !(l->flags & IFF_UP) &&
			    kernel_link_set(rt->k, l->ifindex, 0, 0, 1, &e) == -1)
				goto refused;
			return 0;
		}
		if (!v->owned) {
			nlk_fail(&e, -EEXIST, "%s exists with table %u, not "
			    "%lld, and is not sectun's: left alone", v->ifname,
			    l->vrf_table, (long long)want);
			goto refused;
		}
		/* a VRF's table cannot change: make it again */
		if (kernel_link_del(rt->k, l->ifindex, &e) == -1)
			goto refused;
	}
	if (vr_create(rt, v, want > 0 ? (uint32_t)want : vr_free_table(rt, c),
	    &e) == 0)
		return 0;
refused:
	runtime_refused(rt, v->error, &e);
	return 1;
}

int
vr_sync_all(struct runtime *rt)
{
	struct klinks	 c;
	struct kerr	 e = { 0 };
	struct vr_rt	*v;
	sqlite3_stmt	*q;
	int		 errors = 0;

	if (kernel_link_list(rt->k, vr_is_vrf, NULL, &c, &e) == -1) {
		free(c.l);
		runtime_refused(rt, NULL, &e);
		return 1;
	}
	q = store_query(rt->st, "SELECT name, ifnull(table_id, 0) FROM "
	    "virtual_router", "");
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		if ((v = vr_get(rt, store_col(q, 0))) == NULL)
			continue;
		if (strcmp(v->name, "default") == 0) {
			v->table = 254;		/* RT_TABLE_MAIN */
			continue;
		}
		/* names are at most 11 characters (the CLI's rule), so
		 * vrf-NAME fits IFNAMSIZ */
		memcpy(v->ifname, "vrf-", 4);
		str_copy(v->ifname + 4, v->name, sizeof(v->ifname) - 4);
		errors += vr_sync_one(rt, v, sqlite3_column_int64(q, 1), &c);
	}
	store_finalize(rt->st, q);
	free(c.l);
	return errors;
}

static int
vr_configured(struct runtime *rt, const char *name)
{
	return store_int(rt->st, 0, "SELECT count(*) FROM virtual_router "
	    "WHERE name = ?", "s", name) > 0;
}

/* Ours (by alias) and no longer configured under that name. */
static int
vr_is_stale(struct runtime *rt, const struct klink *l)
{
	const char	*name;

	if (strcmp(l->kind, "vrf") != 0 ||
	    strncmp(l->alias, VR_ALIAS, strlen(VR_ALIAS)) != 0)
		return 0;
	name = l->alias + strlen(VR_ALIAS);
	return !vr_configured(rt, name) || strncmp(l->name, "vrf-", 4) != 0 ||
	    strcmp(l->name + 4, name) != 0;
}

/* Our VRFs of VRs no longer configured; forget their records. */
int
vr_remove_stale(struct runtime *rt, const struct klinks *c)
{
	struct vr_rt	**p, *v;
	struct kerr	 e = { 0 };
	size_t		 i;
	int		 errors = 0;

	for (p = &rt->vrs; (v = *p) != NULL; ) {
		if (vr_configured(rt, v->name)) {
			p = &v->next;
			continue;
		}
		*p = v->next;
		free(v);
	}
	for (i = 0; i < c->n; i++) {
		if (!vr_is_stale(rt, &c->l[i]))
			continue;
		if (kernel_link_del(rt->k, c->l[i].ifindex, &e) == -1) {
			runtime_refused(rt, NULL, &e);
			errors++;
		} else
			log_info("removed %s: its virtual-router is no longer "
			    "configured", c->l[i].name);
	}
	return errors;
}
