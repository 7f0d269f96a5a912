/* runtime: the order of a sync, refusals, and the records' lifetimes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "runtime.h"
#include "util.h"

struct runtime *
runtime_new(struct store *st, struct kernel *k)
{
	struct runtime *rt;

	if ((rt = calloc(1, sizeof(*rt))) == NULL)
		return NULL;
	rt->st = st;
	rt->k = k;
	return rt;
}

void
runtime_free(struct runtime *rt)
{
	struct vr_rt	*v;
	struct tunnel_rt *t;

	if (rt == NULL)
		return;
	while ((v = rt->vrs) != NULL) {
		rt->vrs = v->next;
		free(v);
	}
	while ((t = rt->tunnels) != NULL) {
		rt->tunnels = t->next;
		free(t);
	}
	free(rt);
}

/* A kernel refusal: logged, kept in slot (the object's error), added to
 * this sync's report, and retried later. */
void
runtime_refused(struct runtime *rt, char *slot, const struct kerr *e)
{
	size_t	 len = strlen(rt->report);

	log_warn("kernel: %s", e->msg);
	if (slot != NULL)
		str_copy(slot, e->msg, KERR_LEN);
	if (len + strlen(e->msg) + 2 < sizeof(rt->report))
		snprintf(rt->report + len, sizeof(rt->report) - len, "%s%s",
		    len > 0 ? "\n" : "", e->msg);
	rt->pending = 1;
}

static void
runtime_begin(struct runtime *rt)
{
	rt->report[0] = '\0';
}

int
runtime_sync_routes(struct runtime *rt)
{
	if (rt->k == NULL)
		return 0;
	runtime_begin(rt);
	return route_sync(rt);
}

int
runtime_sync_tunnel(struct runtime *rt, const char *name)
{
	struct tunnel_rt *t;
	int	 errors;

	if (rt->k == NULL)
		return 0;
	runtime_begin(rt);
	if ((t = runtime_tunnel(rt, name)) != NULL)
		t->neg_error[0] = '\0';	/* changed: a fresh start */
	errors = tunnel_sync(rt, name);
	return errors + route_sync(rt);
}

static int
runtime_marked(const struct klink *l, void *arg)
{
	return strncmp(l->alias, KERNEL_ALIAS_PREFIX,
	    strlen(KERNEL_ALIAS_PREFIX)) == 0;
}

int
runtime_sync_all(struct runtime *rt)
{
	struct tunnel_rt *t, *next;
	struct klinks	 ours;
	struct kerr	 e = { 0 };
	sqlite3_stmt	*q;
	int		 errors;

	if (rt->k == NULL)
		return 0;
	runtime_begin(rt);
	rt->pending = 0;
	errors = vr_sync_all(rt);
	for (t = rt->tunnels; t != NULL; t = t->next)
		t->seen = 0;
	q = store_query(rt->st, "SELECT name FROM tunnel ORDER BY name", "");
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW)
		errors += tunnel_sync(rt, store_col(q, 0));
	store_finalize(rt->st, q);
	for (t = rt->tunnels; t != NULL; t = next) {
		next = t->next;
		if (!t->seen)	/* removed while a sync failed */
			errors += tunnel_sync(rt, t->name);
	}
	if (kernel_link_list(rt->k, runtime_marked, NULL, &ours, &e) == -1) {
		runtime_refused(rt, NULL, &e);
		errors++;
	} else {
		errors += tunnel_remove_stale(rt, &ours);
		errors += vr_remove_stale(rt, &ours);
	}
	free(ours.l);
	errors += route_sync(rt);
	return errors;
}

int
runtime_retry(struct runtime *rt)
{
	if (rt->k == NULL || !rt->pending)
		return 0;
	return runtime_sync_all(rt);
}
