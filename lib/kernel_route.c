/* kernel_route: interface addresses and the routes sectun installs
 * (rtnetlink; ours carry protocol KERNEL_RTPROT, and dumps ask the kernel
 * to filter on it: NETLINK_GET_STRICT_CHK). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/rtnetlink.h>

#include "kernel.h"
#include "log.h"

struct addr_walk {
	int	 ifindex;
	int	(*cb)(const struct kaddr *, void *);
	void	*arg;
};

static int
addr_dump_cb(struct nlmsghdr *h, void *arg)
{
	struct addr_walk *w = arg;
	struct ifaddrmsg *ifa;
	struct nlattr	*tb[IFA_MAX + 1], *a;
	struct kaddr	 ka = { 0 };

	if (h->nlmsg_type != RTM_NEWADDR ||
	    nlmsg_parse(h, sizeof(*ifa), tb, IFA_MAX, NULL) < 0)
		return 0;
	ifa = nlmsg_data(h);
	if ((int)ifa->ifa_index != w->ifindex ||
	    ifa->ifa_scope != RT_SCOPE_UNIVERSE)
		return 0;
	a = tb[IFA_LOCAL] != NULL ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (a == NULL || nla_len(a) != (int)kernel_addr_len(ifa->ifa_family))
		return 0;
	ka.family = ifa->ifa_family;
	ka.plen = ifa->ifa_prefixlen;
	memcpy(ka.addr, nla_data(a), kernel_addr_len(ka.family));
	return w->cb(&ka, w->arg);
}

int
kernel_addr_dump(struct kernel *k, int ifindex,
    int (*cb)(const struct kaddr *, void *), void *arg, struct kerr *e)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_UNSPEC,
	    .ifa_index = (unsigned)ifindex };
	struct addr_walk w = { ifindex, cb, arg };
	struct nl_msg	*m;

	if ((m = nlmsg_alloc_simple(RTM_GETADDR, NLM_F_DUMP)) == NULL ||
	    nlmsg_append(m, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(m);
		return nlk_fail(e, -ENOMEM, "out of memory");
	}
	return nlk_request(k->rt, m, addr_dump_cb, &w, e, "list addresses");
}

int
kernel_addr_change(struct kernel *k, int add, int ifindex,
    const struct kaddr *a, struct kerr *e)
{
	struct ifaddrmsg ifa = { .ifa_family = (unsigned char)a->family,
	    .ifa_prefixlen = (unsigned char)a->plen,
	    .ifa_index = (unsigned)ifindex, .ifa_scope = RT_SCOPE_UNIVERSE };
	struct nl_msg	*m;
	char		 text[INET6_ADDRSTRLEN], what[96];

	inet_ntop(a->family, a->addr, text, sizeof(text));
	snprintf(what, sizeof(what), "%s address %s/%d", add ? "add" :
	    "remove", text, a->plen);
	m = nlmsg_alloc_simple(add ? RTM_NEWADDR : RTM_DELADDR,
	    add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	if (m == NULL || nlmsg_append(m, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0 ||
	    nla_put(m, IFA_LOCAL, (int)kernel_addr_len(a->family), a->addr) < 0 ||
	    nla_put(m, IFA_ADDRESS, (int)kernel_addr_len(a->family), a->addr) < 0) {
		nlmsg_free(m);
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	}
	if (k->debug)
		log_info("kernel: %s on ifindex %d", what, ifindex);
	return nlk_request(k->rt, m, NULL, NULL, e, what);
}

struct route_walk {
	int	(*cb)(const struct kroute *, void *);
	void	*arg;
};

static int
route_dump_cb(struct nlmsghdr *h, void *arg)
{
	struct route_walk *w = arg;
	struct rtmsg	*rtm;
	struct nlattr	*tb[RTA_MAX + 1];
	struct kroute	 r = { 0 };
	size_t		 alen;

	if (h->nlmsg_type != RTM_NEWROUTE ||
	    nlmsg_parse(h, sizeof(*rtm), tb, RTA_MAX, NULL) < 0)
		return 0;
	rtm = nlmsg_data(h);
	if (rtm->rtm_protocol != KERNEL_RTPROT)
		return 0;	/* an older kernel that does not filter */
	r.family = rtm->rtm_family;
	alen = kernel_addr_len(r.family);
	r.plen = rtm->rtm_dst_len;
	r.table = tb[RTA_TABLE] != NULL ? nla_get_u32(tb[RTA_TABLE]) :
	    rtm->rtm_table;
	if (tb[RTA_DST] != NULL && nla_len(tb[RTA_DST]) == (int)alen)
		memcpy(r.dst, nla_data(tb[RTA_DST]), alen);
	if (tb[RTA_OIF] != NULL)
		r.oif = (int)nla_get_u32(tb[RTA_OIF]);
	if (tb[RTA_GATEWAY] != NULL && nla_len(tb[RTA_GATEWAY]) == (int)alen) {
		r.has_gw = 1;
		memcpy(r.gw, nla_data(tb[RTA_GATEWAY]), alen);
	}
	if (tb[RTA_PRIORITY] != NULL)
		r.metric = nla_get_u32(tb[RTA_PRIORITY]);
	return w->cb(&r, w->arg);
}

static int
route_dump_family(struct kernel *k, int family, struct route_walk *w,
    struct kerr *e)
{
	struct rtmsg	 rtm = { .rtm_family = (unsigned char)family,
	    .rtm_protocol = KERNEL_RTPROT };
	struct nl_msg	*m;

	if ((m = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_DUMP)) == NULL ||
	    nlmsg_append(m, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(m);
		return nlk_fail(e, -ENOMEM, "out of memory");
	}
	return nlk_request(k->rt, m, route_dump_cb, w, e, "list routes");
}

int
kernel_route_dump(struct kernel *k, int (*cb)(const struct kroute *, void *),
    void *arg, struct kerr *e)
{
	struct route_walk w = { cb, arg };

	if (route_dump_family(k, AF_INET, &w, e) == -1)
		return -1;
	return route_dump_family(k, AF_INET6, &w, e);
}

int
kernel_route_change(struct kernel *k, int add, const struct kroute *r,
    struct kerr *e)
{
	struct rtmsg	 rtm = { .rtm_family = (unsigned char)r->family,
	    .rtm_dst_len = (unsigned char)r->plen,
	    .rtm_table = r->table < 256 ? (unsigned char)r->table : RT_TABLE_UNSPEC,
	    .rtm_protocol = KERNEL_RTPROT, .rtm_type = RTN_UNICAST,
	    .rtm_scope = r->has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK };
	size_t		 alen = kernel_addr_len(r->family);
	struct nl_msg	*m;
	char		 text[INET6_ADDRSTRLEN], what[128];

	inet_ntop(r->family, r->dst, text, sizeof(text));
	snprintf(what, sizeof(what), "%s route %s/%d in table %u",
	    add ? "add" : "remove", text, r->plen, r->table);
	/* IPv4 keeps same-key routes as alternates only with APPEND; IPv6
	 * makes them multipath siblings on its own */
	m = nlmsg_alloc_simple(add ? RTM_NEWROUTE : RTM_DELROUTE, !add ? 0 :
	    r->family == AF_INET ? NLM_F_CREATE | NLM_F_APPEND : NLM_F_CREATE);
	if (m == NULL || nlmsg_append(m, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(m, RTA_TABLE, r->table) < 0 ||
	    nla_put(m, RTA_DST, (int)alen, r->dst) < 0 ||
	    nla_put_u32(m, RTA_PRIORITY, r->metric) < 0 ||
	    (r->oif > 0 && nla_put_u32(m, RTA_OIF, (uint32_t)r->oif) < 0) ||
	    (r->has_gw && nla_put(m, RTA_GATEWAY, (int)alen, r->gw) < 0)) {
		nlmsg_free(m);
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	}
	if (k->debug)
		log_info("kernel: %s", what);
	return nlk_request(k->rt, m, NULL, NULL, e, what);
}
