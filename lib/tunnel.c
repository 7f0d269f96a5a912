/* tunnel: a tunnel's xfrm interface "ipsecN" (N = its if_id), enslaved to
 * the operational VR's VRF, with the transport VR's VRF as its underlying
 * link so ESP is routed by the transport VR's table; its addresses, MTU,
 * and operational state: up when admin up and its SAs are installed. The
 * interface carries the alias "sectun tunnel ipsec:NAME". */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <net/if.h>

#include "log.h"
#include "runtime.h"
#include "trap.h"
#include "util.h"

#define TUNNEL_ALIAS	KERNEL_ALIAS_PREFIX "tunnel ipsec:"
#define TUNNEL_MTU	1500	/* the kernel's default for xfrm interfaces */
#define TUNNEL_MAX_ADDRS 64

struct tunnel_rt *
runtime_tunnel(struct runtime *rt, const char *name)
{
	struct tunnel_rt *t;

	for (t = rt->tunnels; t != NULL; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

void
tunnel_event(struct tunnel_rt *t, const char *fmt, ...)
{
	struct tunnel_event *ev = &t->ev[t->nev++ % TUNNEL_EVENTS];
	va_list	 ap;

	ev->when = time(NULL);
	va_start(ap, fmt);
	vsnprintf(ev->text, sizeof(ev->text), fmt, ap);
	va_end(ap);
	log_info("tunnel ipsec:%s: %s", t->name, ev->text);
}

int
tunnel_conf_load(struct runtime *rt, const char *name, struct tunnel_conf *tc)
{
	sqlite3_stmt	*q;
	int		 found = 0;

	memset(tc, 0, sizeof(*tc));
	q = store_query(rt->st, "SELECT name, if_id, vr, ifnull(tvr, vr), "
	    "ifnull(source, ''), ifnull(destination, ''), "
	    "ifnull(local_selector, ''), ifnull(peer_selector, ''), "
	    "ifnull(mtu, 0), ifnull(ipv4_address, ''), shutdown, "
	    "(SELECT count(*) FROM tunnel_sa_manual WHERE tunnel = name), "
	    "establish = 'on-traffic' FROM tunnel WHERE name = ?", "s", name);
	if (q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		found = 1;
		str_copy(tc->name, store_col(q, 0), sizeof(tc->name));
		tc->if_id = (uint32_t)sqlite3_column_int64(q, 1);
		str_copy(tc->vr, store_col(q, 2), sizeof(tc->vr));
		str_copy(tc->tvr, store_col(q, 3), sizeof(tc->tvr));
		str_copy(tc->source, store_col(q, 4), sizeof(tc->source));
		str_copy(tc->dest, store_col(q, 5), sizeof(tc->dest));
		str_copy(tc->lsel, store_col(q, 6), sizeof(tc->lsel));
		str_copy(tc->psel, store_col(q, 7), sizeof(tc->psel));
		tc->mtu = (unsigned)sqlite3_column_int(q, 8);
		str_copy(tc->ipv4, store_col(q, 9), sizeof(tc->ipv4));
		tc->shutdown = sqlite3_column_int(q, 10);
		tc->manual = sqlite3_column_int(q, 11) > 0;
		tc->on_traffic = sqlite3_column_int(q, 12);
	}
	store_finalize(rt->st, q);
	return found;
}

static struct tunnel_rt *
tunnel_get(struct runtime *rt, const struct tunnel_conf *tc)
{
	struct tunnel_rt *t;

	if ((t = runtime_tunnel(rt, tc->name)) != NULL && t->if_id == tc->if_id)
		return t;
	if (t != NULL) {	/* same name, new tunnel: the old one goes */
		tunnel_sa_remove(rt, t);
		t->nev = 0;
	} else {
		if ((t = calloc(1, sizeof(*t))) == NULL)
			return NULL;
		str_copy(t->name, tc->name, sizeof(t->name));
		t->next = rt->tunnels;
		rt->tunnels = t;
	}
	t->if_id = tc->if_id;
	snprintf(t->ifname, sizeof(t->ifname), "ipsec%u", tc->if_id);
	return t;
}

static int
tunnel_ours(const struct klink *l, const char *name)
{
	size_t	 n = strlen(TUNNEL_ALIAS);

	return strcmp(l->kind, "xfrm") == 0 &&
	    strncmp(l->alias, TUNNEL_ALIAS, n) == 0 &&
	    (name == NULL || strcmp(l->alias + n, name) == 0);
}

/* The interface exists, is ours, and has the right underlying link. */
static int
tunnel_link(struct runtime *rt, struct tunnel_rt *t, int link, int master,
    unsigned mtu, struct klink *l, struct kerr *e)
{
	char	 alias[128];
	int	 rc;

	if ((rc = kernel_link_get(rt->k, t->ifname, l, e)) == -1)
		return -1;
	if (rc == 1 && (!tunnel_ours(l, t->name) || l->xfrm_if_id != t->if_id))
		return nlk_fail(e, -EEXIST, "%s exists and is not this "
		    "tunnel's interface: left alone", t->ifname);
	if (rc == 1 && l->xfrm_link != link) {
		/* the kernel does not change an xfrm interface's underlying
		 * link (EINVAL): the transport VR changed, make it again */
		if (kernel_link_del(rt->k, l->ifindex, e) == -1)
			return -1;
		tunnel_event(t, "interface %s removed to move it to another "
		    "transport virtual-router", t->ifname);
		rc = 0;
	}
	if (rc == 0) {
		snprintf(alias, sizeof(alias), TUNNEL_ALIAS "%s", t->name);
		if (kernel_xfrmi_add(rt->k, t->ifname, t->if_id, link, master,
		    mtu, alias, e) == -1 ||
		    kernel_link_get(rt->k, t->ifname, l, e) != 1)
			return -1;
		tunnel_event(t, "interface %s created (ifindex %d)", t->ifname,
		    l->ifindex);
	}
	t->ifindex = l->ifindex;
	return 0;
}

/* ---- addresses ---- */

struct addrs {
	struct kaddr	 a[TUNNEL_MAX_ADDRS];
	int		 n;
};

static int
addr_collect(const struct kaddr *a, void *arg)
{
	struct addrs	*s = arg;

	if (s->n < TUNNEL_MAX_ADDRS)
		s->a[s->n++] = *a;
	return 0;
}

static int
addr_text(const char *text, struct kaddr *a)
{
	char	 buf[ADDR_TEXT_LEN], *slash;

	memset(a, 0, sizeof(*a));
	str_copy(buf, text, sizeof(buf));
	if ((slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash = '\0';
	a->plen = atoi(slash + 1);
	return parse_addr_bytes(buf, &a->family, a->addr);
}

static int
addr_in(const struct addrs *s, const struct kaddr *a)
{
	int	 i;

	for (i = 0; i < s->n; i++)
		if (s->a[i].family == a->family && s->a[i].plen == a->plen &&
		    memcmp(s->a[i].addr, a->addr, 16) == 0)
			return 1;
	return 0;
}

static int
tunnel_addrs(struct runtime *rt, struct tunnel_rt *t,
    const struct tunnel_conf *tc, struct kerr *e)
{
	struct addrs	*want, *have;
	sqlite3_stmt	*q;
	int		 i, rc = -1;

	want = calloc(1, sizeof(*want));
	have = calloc(1, sizeof(*have));
	if (want == NULL || have == NULL) {
		nlk_fail(e, -ENOMEM, "out of memory");
		goto done;
	}
	if (tc->ipv4[0] != '\0' && addr_text(tc->ipv4, &want->a[0]) == 0)
		want->n++;
	q = store_query(rt->st, "SELECT prefix FROM tunnel_ipv6_address "
	    "WHERE tunnel = ?", "s", tc->name);
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW &&
	    want->n < TUNNEL_MAX_ADDRS)
		if (addr_text(store_col(q, 0), &want->a[want->n]) == 0)
			want->n++;
	store_finalize(rt->st, q);
	if (kernel_addr_dump(rt->k, t->ifindex, addr_collect, have, e) == -1)
		goto done;
	for (i = 0; i < have->n; i++)
		if (!addr_in(want, &have->a[i]) &&
		    kernel_addr_change(rt->k, 0, t->ifindex, &have->a[i],
		    e) == -1)
			goto done;
	for (i = 0; i < want->n; i++)
		if (!addr_in(have, &want->a[i]) &&
		    kernel_addr_change(rt->k, 1, t->ifindex, &want->a[i],
		    e) == -1)
			goto done;
	rc = 0;
done:
	free(want);
	free(have);
	return rc;
}

/* ---- the whole tunnel ---- */

/* The operational state changes here only: an event, and the
 * tunnel-up / tunnel-down trap (IF-MIB linkUp / linkDown). */
static void
tunnel_set_up(struct runtime *rt, struct tunnel_rt *t, int up)
{
	int	 was = t->up;

	t->up = up;
	if (up && !was) {
		tunnel_event(t, "up");
		tunnel_trap(rt, TRAP_TUNNEL_UP, t->name, NULL, "up");
	} else if (!up && was) {
		tunnel_event(t, "down: %s", t->down_reason);
		tunnel_trap(rt, TRAP_TUNNEL_DOWN, t->name, NULL,
		    t->down_reason);
	}
}

void
tunnel_not_negotiated(struct tunnel_rt *t)
{
	static const char prefix[] = "not negotiated: ";

	if (t->neg_error[0] == '\0') {
		str_copy(t->down_reason, "not negotiated yet",
		    sizeof(t->down_reason));
		return;
	}
	str_copy(t->down_reason, prefix, sizeof(t->down_reason));
	str_copy(t->down_reason + sizeof(prefix) - 1, t->neg_error,
	    sizeof(t->down_reason) - sizeof(prefix) + 1);
}

/* on-traffic (RFC 4301 5.2: an outbound packet with no SA): the
 * tunnel's policies without SAs and the interface up, so traffic routed
 * into it makes the kernel send an ACQUIRE with the tunnel's if_id, and
 * IKE negotiates. 0 armed, -1 not (no source or destination address). */
static int
tunnel_arm(struct runtime *rt, struct tunnel_rt *t,
    const struct tunnel_conf *tc)
{
	unsigned char	 src[16] = { 0 }, dst[16] = { 0 };
	int		 fs, fd;

	if (parse_addr_bytes(tc->source, &fs, src) == -1 ||
	    parse_addr_bytes(tc->dest, &fd, dst) == -1 || fs != fd)
		return -1;
	if (t->armed && t->nsps > 0)
		return 0;
	return tunnel_sp_install(rt, t, tc, fs, src, dst, IPPROTO_ESP);
}

/* The VRs' devices: master (operational) and link (transport). */
static int
tunnel_vrs(struct runtime *rt, struct tunnel_rt *t,
    const struct tunnel_conf *tc, int *master, int *link)
{
	struct vr_rt	*op = runtime_vr(rt, tc->vr);
	struct vr_rt	*tr = runtime_vr(rt, tc->tvr);

	if (op == NULL || op->table == 0 || tr == NULL || tr->table == 0) {
		struct vr_rt *bad = op == NULL || op->table == 0 ? op : tr;
		int n = snprintf(t->down_reason, sizeof(t->down_reason),
		    "virtual-router %s is not available", bad == op ? tc->vr :
		    tc->tvr);

		if (bad != NULL && bad->error[0] != '\0' && n > 0 &&
		    (size_t)n < sizeof(t->down_reason))
			str_copy(t->down_reason + n, ": ",
			    sizeof(t->down_reason) - (size_t)n);
		if (bad != NULL && bad->error[0] != '\0')
			str_copy(t->down_reason + strlen(t->down_reason),
			    bad->error, sizeof(t->down_reason) -
			    strlen(t->down_reason));
		return -1;
	}
	*master = op->ifindex;
	*link = tr->ifindex;
	return 0;
}

static int
tunnel_apply(struct runtime *rt, struct tunnel_rt *t,
    const struct tunnel_conf *tc)
{
	struct klink	 l;
	struct kerr	 e = { 0 };
	int		 master, link, up = 0;
	unsigned	 mtu = tc->mtu ? tc->mtu : TUNNEL_MTU;

	t->error[0] = '\0';
	t->down_reason[0] = '\0';
	if (tunnel_vrs(rt, t, tc, &master, &link) == -1) {
		tunnel_sa_remove(rt, t);
		tunnel_set_up(rt, t, 0);
		return 1;
	}
	if (tunnel_link(rt, t, link, master, mtu, &l, &e) == -1)
		goto refused;
	if (tc->shutdown) {
		str_copy(t->down_reason, "administratively down (shutdown)",
		    sizeof(t->down_reason));
		tunnel_sa_remove(rt, t);
	} else if (!tc->manual) {	/* SAs come from IKE (tunnel_ike.c) */
		up = t->sa_ok[0] && t->sa_ok[1];
		if (!up)
			tunnel_not_negotiated(t);
		if (!up && tc->on_traffic)
			t->armed = tunnel_arm(rt, t, tc) == 0;
	} else
		up = tunnel_sa_sync(rt, t, tc) == 0;
	if (up || tc->shutdown || tc->manual || !tc->on_traffic)
		t->armed = 0;
	if ((l.master != master || l.mtu != mtu ||
	    !!(l.flags & IFF_UP) != (up || t->armed)) &&
	    kernel_link_set(rt->k, t->ifindex, master, mtu, up || t->armed,
	    &e) == -1)
		goto refused;
	if (tunnel_addrs(rt, t, tc, &e) == -1)
		goto refused;
	tunnel_set_up(rt, t, up);
	return t->error[0] != '\0';
refused:
	runtime_refused(rt, t->error, &e);
	if (t->down_reason[0] == '\0')
		str_copy(t->down_reason, t->error, sizeof(t->down_reason));
	tunnel_set_up(rt, t, 0);
	return 1;
}

/* A tunnel no longer configured: its interface (only if ours), SAs and
 * policies go; the kernel drops the routes through the interface. */
static int
tunnel_remove(struct runtime *rt, struct tunnel_rt *t)
{
	struct tunnel_rt **p;
	struct klink	 l;
	struct kerr	 e = { 0 };
	int		 errors = 0;

	tunnel_sa_remove(rt, t);
	if (kernel_link_get(rt->k, t->ifname, &l, &e) == 1 &&
	    tunnel_ours(&l, t->name) && l.xfrm_if_id == t->if_id) {
		if (kernel_link_del(rt->k, l.ifindex, &e) == -1) {
			runtime_refused(rt, NULL, &e);
			errors++;
		} else
			log_info("tunnel ipsec:%s: removed, interface %s "
			    "deleted", t->name, t->ifname);
	}
	for (p = &rt->tunnels; *p != t; p = &(*p)->next)
		;
	*p = t->next;
	free(t);
	return errors;
}

int
tunnel_sync(struct runtime *rt, const char *name)
{
	struct tunnel_conf tc;
	struct tunnel_rt *t;

	if (!tunnel_conf_load(rt, name, &tc)) {
		if ((t = runtime_tunnel(rt, name)) == NULL)
			return 0;
		return tunnel_remove(rt, t);
	}
	if ((t = tunnel_get(rt, &tc)) == NULL)
		return 1;
	t->seen = 1;
	return tunnel_apply(rt, t, &tc);
}

/* ---- full sync: our interfaces that no configured tunnel has ---- */

int
tunnel_remove_stale(struct runtime *rt, const struct klinks *c)
{
	struct tunnel_rt *t;
	struct kerr	 e = { 0 };
	size_t		 i;
	int		 errors = 0;

	for (i = 0; i < c->n; i++) {
		if (!tunnel_ours(&c->l[i], NULL))
			continue;
		t = runtime_tunnel(rt, c->l[i].alias + strlen(TUNNEL_ALIAS));
		if (t != NULL && t->ifindex == c->l[i].ifindex)
			continue;
		if (kernel_link_del(rt->k, c->l[i].ifindex, &e) == -1) {
			runtime_refused(rt, NULL, &e);
			errors++;
		} else
			log_info("removed %s (%s): no such tunnel is "
			    "configured", c->l[i].name, c->l[i].alias);
	}
	return errors + tunnel_sa_remove_stale(rt);
}
