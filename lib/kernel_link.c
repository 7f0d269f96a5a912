/* kernel_link: VRF devices, xfrm interfaces, addresses and routes
 * (rtnetlink, RFC 3549; the kinds "vrf" and "xfrm" of Linux's
 * Documentation/networking/vrf.rst and xfrm_device). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <openssl/crypto.h>

#include "kernel.h"
#include "log.h"
#include "util.h"

struct kernel *
kernel_open(struct kerr *e)
{
	struct kernel *k;

	if ((k = calloc(1, sizeof(*k))) == NULL) {
		nlk_fail(e, -ENOMEM, "out of memory");
		return NULL;
	}
	if ((k->rt = nlk_open(NETLINK_ROUTE, e)) == NULL ||
	    (k->xfrm = nlk_open(NETLINK_XFRM, e)) == NULL) {
		kernel_close(k);
		return NULL;
	}
	return k;
}

void
kernel_close(struct kernel *k)
{
	if (k == NULL)
		return;
	if (k->rt != NULL)
		nl_socket_free(k->rt);
	if (k->xfrm != NULL)
		nl_socket_free(k->xfrm);
	free(k);
}

static struct nl_msg *
link_msg(int type, int flags, int ifindex, unsigned change, unsigned iff)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC,
	    .ifi_index = ifindex, .ifi_change = change, .ifi_flags = iff };
	struct nl_msg	*m;

	if ((m = nlmsg_alloc_simple(type, flags)) == NULL)
		return NULL;
	if (nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

static void
link_parse_info(struct klink *l, struct nlattr *info)
{
	struct nlattr	*li[IFLA_INFO_MAX + 1], *d[IFLA_XFRM_MAX + 1];
	struct nlattr	*v[IFLA_VRF_MAX + 1];

	if (nla_parse_nested(li, IFLA_INFO_MAX, info, NULL) < 0 ||
	    li[IFLA_INFO_KIND] == NULL)
		return;
	nla_strlcpy(l->kind, li[IFLA_INFO_KIND], sizeof(l->kind));
	if (li[IFLA_INFO_DATA] == NULL)
		return;
	if (strcmp(l->kind, "vrf") == 0 && nla_parse_nested(v, IFLA_VRF_MAX,
	    li[IFLA_INFO_DATA], NULL) == 0 && v[IFLA_VRF_TABLE] != NULL)
		l->vrf_table = nla_get_u32(v[IFLA_VRF_TABLE]);
	if (strcmp(l->kind, "xfrm") == 0 && nla_parse_nested(d, IFLA_XFRM_MAX,
	    li[IFLA_INFO_DATA], NULL) == 0) {
		if (d[IFLA_XFRM_IF_ID] != NULL)
			l->xfrm_if_id = nla_get_u32(d[IFLA_XFRM_IF_ID]);
		if (d[IFLA_XFRM_LINK] != NULL)
			l->xfrm_link = (int)nla_get_u32(d[IFLA_XFRM_LINK]);
	}
}

static int
link_parse(struct nlmsghdr *h, struct klink *l)
{
	struct ifinfomsg *ifi;
	struct nlattr	*tb[IFLA_MAX + 1];
	struct rtnl_link_stats64 st;

	if (h->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return -1;
	ifi = nlmsg_data(h);
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	if (tb[IFLA_IFNAME] != NULL)
		nla_strlcpy(l->name, tb[IFLA_IFNAME], sizeof(l->name));
	if (tb[IFLA_IFALIAS] != NULL)
		nla_strlcpy(l->alias, tb[IFLA_IFALIAS], sizeof(l->alias));
	if (tb[IFLA_MASTER] != NULL)
		l->master = (int)nla_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_MTU] != NULL)
		l->mtu = nla_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_LINKINFO] != NULL)
		link_parse_info(l, tb[IFLA_LINKINFO]);
	if (tb[IFLA_STATS64] != NULL &&
	    nla_len(tb[IFLA_STATS64]) >= (int)sizeof(st)) {
		memcpy(&st, nla_data(tb[IFLA_STATS64]), sizeof(st));
		l->rx_packets = st.rx_packets;
		l->rx_bytes = st.rx_bytes;
		l->rx_errors = st.rx_errors;
		l->rx_dropped = st.rx_dropped;
		l->tx_packets = st.tx_packets;
		l->tx_bytes = st.tx_bytes;
		l->tx_errors = st.tx_errors;
		l->tx_dropped = st.tx_dropped;
	}
	return 0;
}

static int
link_get_cb(struct nlmsghdr *h, void *arg)
{
	return link_parse(h, arg);
}

int
kernel_link_get(struct kernel *k, const char *name, struct klink *l,
    struct kerr *e)
{
	struct nl_msg	*m;
	char		 what[64];

	if ((m = link_msg(RTM_GETLINK, 0, 0, 0, 0)) == NULL ||
	    nla_put_string(m, IFLA_IFNAME, name) < 0) {
		nlmsg_free(m);
		return nlk_fail(e, -ENOMEM, "out of memory");
	}
	snprintf(what, sizeof(what), "get link %s", name);
	if (nlk_request(k->rt, m, link_get_cb, l, e, what) == -1)
		return e->code == -ENODEV ? 0 : -1;
	return 1;
}

struct link_walk {
	int	(*cb)(const struct klink *, void *);
	void	*arg;
};

static int
link_dump_cb(struct nlmsghdr *h, void *arg)
{
	struct link_walk *w = arg;
	struct klink	 l;

	if (link_parse(h, &l) == -1)
		return 0;
	return w->cb(&l, w->arg);
}

int
kernel_link_dump(struct kernel *k, int (*cb)(const struct klink *, void *),
    void *arg, struct kerr *e)
{
	struct link_walk w = { cb, arg };
	struct nl_msg	*m;

	if ((m = link_msg(RTM_GETLINK, NLM_F_DUMP, 0, 0, 0)) == NULL)
		return nlk_fail(e, -ENOMEM, "out of memory");
	return nlk_request(k->rt, m, link_dump_cb, &w, e, "list links");
}

static int
link_set_alias(struct kernel *k, const char *name, const char *alias,
    struct kerr *e)
{
	struct nl_msg	*m;
	char		 what[64];

	snprintf(what, sizeof(what), "set alias of %s", name);
	m = link_msg(RTM_NEWLINK, 0, 0, 0, 0);
	if (m == NULL || nla_put_string(m, IFLA_IFNAME, name) < 0 ||
	    nla_put_string(m, IFLA_IFALIAS, alias) < 0) {
		nlmsg_free(m);
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	}
	return nlk_request(k->rt, m, NULL, NULL, e, what);
}

/* No IPv6 link-local address on a tunnel interface (addrgenmode none):
 * otherwise the kernel's own router solicitations and MLD reports go into
 * the tunnel, and an on-traffic tunnel would negotiate for them. Set
 * while the new interface is still down, before any address exists. */
static int
link_set_no_ll(struct kernel *k, const char *name, struct kerr *e)
{
	struct nl_msg	*m;
	struct nlattr	*af, *v6;
	char		 what[64];

	snprintf(what, sizeof(what), "set addrgenmode none on %s", name);
	m = link_msg(RTM_NEWLINK, 0, 0, 0, 0);
	if (m == NULL || nla_put_string(m, IFLA_IFNAME, name) < 0 ||
	    (af = nla_nest_start(m, IFLA_AF_SPEC)) == NULL ||
	    (v6 = nla_nest_start(m, AF_INET6)) == NULL ||
	    nla_put_u8(m, IFLA_INET6_ADDR_GEN_MODE,
	    IN6_ADDR_GEN_MODE_NONE) < 0) {
		nlmsg_free(m);
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	}
	nla_nest_end(m, v6);
	nla_nest_end(m, af);
	return nlk_request(k->rt, m, NULL, NULL, e, what);
}

struct link_keep {
	int	(*keep)(const struct klink *, void *);
	void	*arg;
	struct klinks *out;
};

static int
link_keep_cb(const struct klink *l, void *arg)
{
	struct link_keep *w = arg;
	struct klink	*slot;

	if (!w->keep(l, w->arg))
		return 0;
	if ((slot = array_add(&w->out->l, &w->out->n, &w->out->cap,
	    sizeof(*slot))) == NULL)
		return -1;
	*slot = *l;
	return 0;
}

int
kernel_link_list(struct kernel *k, int (*keep)(const struct klink *, void *),
    void *arg, struct klinks *out, struct kerr *e)
{
	struct link_keep w = { keep, arg, out };

	memset(out, 0, sizeof(*out));
	return kernel_link_dump(k, link_keep_cb, &w, e);
}

/* RTM_NEWLINK with IFLA_LINKINFO {kind, data}; data filled by put. */
static int
link_add(struct kernel *k, const char *name, const char *kind, int master,
    unsigned mtu, const char *alias, int (*put)(struct nl_msg *,
    const void *), const void *parg, struct kerr *e)
{
	struct nl_msg	*m;
	struct nlattr	*info, *data;
	char		 what[64];

	snprintf(what, sizeof(what), "create %s %s", kind, name);
	m = link_msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, IFF_UP, 0);
	if (m == NULL || nla_put_string(m, IFLA_IFNAME, name) < 0 ||
	    (alias != NULL && nla_put_string(m, IFLA_IFALIAS, alias) < 0) ||
	    (master > 0 && nla_put_u32(m, IFLA_MASTER, master) < 0) ||
	    (mtu > 0 && nla_put_u32(m, IFLA_MTU, mtu) < 0) ||
	    (info = nla_nest_start(m, IFLA_LINKINFO)) == NULL ||
	    nla_put_string(m, IFLA_INFO_KIND, kind) < 0 ||
	    (data = nla_nest_start(m, IFLA_INFO_DATA)) == NULL ||
	    put(m, parg) < 0) {
		nlmsg_free(m);
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	}
	nla_nest_end(m, data);
	nla_nest_end(m, info);
	if (k->debug)
		log_info("kernel: %s", what);
	if (nlk_request(k->rt, m, NULL, NULL, e, what) == -1)
		return -1;
	if (strcmp(kind, "xfrm") == 0 && link_set_no_ll(k, name, e) == -1)
		return -1;
	/* the kernel ignores IFLA_IFALIAS in a create: set it now */
	return alias != NULL ? link_set_alias(k, name, alias, e) : 0;
}

static int
put_vrf(struct nl_msg *m, const void *arg)
{
	return nla_put_u32(m, IFLA_VRF_TABLE, *(const uint32_t *)arg);
}

int
kernel_vrf_add(struct kernel *k, const char *name, uint32_t table,
    const char *alias, struct kerr *e)
{
	return link_add(k, name, "vrf", 0, 0, alias, put_vrf, &table, e);
}

struct xfrmi_args {
	uint32_t	 if_id;
	int		 link;
};

static int
put_xfrmi(struct nl_msg *m, const void *arg)
{
	const struct xfrmi_args *x = arg;

	if (nla_put_u32(m, IFLA_XFRM_IF_ID, x->if_id) < 0)
		return -1;
	return nla_put_u32(m, IFLA_XFRM_LINK, (uint32_t)x->link);
}

int
kernel_xfrmi_add(struct kernel *k, const char *name, uint32_t if_id, int link,
    int master, unsigned mtu, const char *alias, struct kerr *e)
{
	struct xfrmi_args x = { if_id, link };

	return link_add(k, name, "xfrm", master, mtu, alias, put_xfrmi, &x, e);
}

int
kernel_link_set(struct kernel *k, int ifindex, int master, unsigned mtu,
    int up, struct kerr *e)
{
	struct nl_msg	*m;
	char		 what[64];

	snprintf(what, sizeof(what), "change ifindex %d", ifindex);
	m = link_msg(RTM_NEWLINK, 0, ifindex, IFF_UP, up ? IFF_UP : 0);
	if (m == NULL || nla_put_u32(m, IFLA_MASTER, (uint32_t)master) < 0 ||
	    (mtu > 0 && nla_put_u32(m, IFLA_MTU, mtu) < 0)) {
		nlmsg_free(m);
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	}
	if (k->debug)
		log_info("kernel: %s: master %d mtu %u %s", what, master, mtu,
		    up ? "up" : "down");
	return nlk_request(k->rt, m, NULL, NULL, e, what);
}

int
kernel_link_del(struct kernel *k, int ifindex, struct kerr *e)
{
	struct nl_msg	*m;
	char		 what[64];

	snprintf(what, sizeof(what), "delete ifindex %d", ifindex);
	if ((m = link_msg(RTM_DELLINK, 0, ifindex, 0, 0)) == NULL)
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	if (k->debug)
		log_info("kernel: %s", what);
	return nlk_request(k->rt, m, NULL, NULL, e, what);
}
