/* ike_net: IKE's UDP sockets per transport VR (RFC 7296 2.11, RFC 3948)
 * and name resolution in a VR.
 *
 * Kernel facts these rest on (proved in tests/lab/scenarios/15-ike-
 * plumbing.sh): sockets bound (SO_BINDTODEVICE, before bind()) to
 * different VRFs share a port, and each gets only its VRF's packets; a
 * per-socket policy (IP_XFRM_POLICY) overrides the global SPD, so IKE
 * stays in the clear under an any <-> any policy; UDP_ENCAP_ESPINUDP makes
 * the kernel take ESP off port 4500 and pass IKE on with its marker. */
#define _GNU_SOURCE	/* struct in6_pktinfo (RFC 3542) */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <linux/xfrm.h>

#include "ike_net.h"

static int
net_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
net_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

static socklen_t
net_salen(int family)
{
	return family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
}

/* As strongSwan's kernel-netlink bypass_socket(): a socket policy, which
 * takes precedence over every SPD entry, that allows everything in each
 * direction, so IKE never enters an SA (RFC 7296 2.11 wants IKE in the
 * clear on these ports). */
static int
net_bypass(int fd, int family)
{
	struct xfrm_userpolicy_info pol;
	int	 level = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
	int	 opt = family == AF_INET6 ? IPV6_XFRM_POLICY : IP_XFRM_POLICY;

	memset(&pol, 0, sizeof(pol));
	pol.action = XFRM_POLICY_ALLOW;
	pol.sel.family = (uint16_t)family;
	pol.dir = XFRM_POLICY_OUT;
	if (setsockopt(fd, level, opt, &pol, sizeof(pol)) == -1)
		return -1;
	pol.dir = XFRM_POLICY_IN;
	return setsockopt(fd, level, opt, &pol, sizeof(pol));
}

static int
net_pktinfo_on(int fd, int family)
{
	int	 one = 1;

	if (family == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one,
		    sizeof(one));
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) == -1)
		return -1;
	return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
	    sizeof(one));
}

static void
net_wildcard(struct sockaddr_storage *ss, int family, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)family;
	if (family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

int
ike_net_open(int family, uint16_t port, const char *vrf, int natt,
    char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	const char *step;
	char	 where[64];
	int	 fd, one = 1, encap = UDP_ENCAP_ESPINUDP;

	snprintf(where, sizeof(where), "UDP/%u %s%s%s", port,
	    family == AF_INET6 ? "IPv6" : "IPv4", *vrf != '\0' ? " in " : "",
	    vrf);
	if (family != AF_INET && family != AF_INET6) {
		errno = EAFNOSUPPORT;
		return net_fail(err, errlen, "%s: family %d", where, family);
	}
	if (strlen(vrf) >= IFNAMSIZ) {
		errno = ENAMETOOLONG;
		return net_fail(err, errlen, "%s: not a device name", where);
	}
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_UDP);
	if (fd == -1)
		return net_fail(err, errlen, "%s: socket: %s", where,
		    strerror(errno));
	step = "SO_REUSEADDR";
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		goto fail;
	step = "packet info";
	if (net_pktinfo_on(fd, family) == -1)
		goto fail;
	/* before bind(): sockets bound to different devices share a port */
	step = "SO_BINDTODEVICE";
	if (*vrf != '\0' && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, vrf,
	    (socklen_t)strlen(vrf) + 1) == -1)
		goto fail;
	step = "IPsec bypass policy";
	if (net_bypass(fd, family) == -1)
		goto fail;
	/* RFC 3948 3: ESP in UDP is the kernel's, the rest (marked) ours */
	step = "UDP_ENCAP";
	if (natt && setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &encap,
	    sizeof(encap)) == -1)
		goto fail;
	step = "bind";
	net_wildcard(&ss, family, port);
	if (bind(fd, (struct sockaddr *)&ss, net_salen(family)) == -1)
		goto fail;
	return fd;
fail:
	net_fail(err, errlen, "%s: %s: %s", where, step, strerror(errno));
	close(fd);
	return -1;
}

/* Our address a datagram came to, from its packet info; -1 if absent. */
static int
net_local(struct msghdr *msg, struct sockaddr_storage *to)
{
	struct cmsghdr	*c;
	struct in_pktinfo pi;
	struct in6_pktinfo pi6;
	struct sockaddr_in *sin = (struct sockaddr_in *)to;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)to;

	for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(pi))) {
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			sin->sin_family = AF_INET;
			/* ipi_addr: the header's destination */
			sin->sin_addr = pi.ipi_addr;
			return 0;
		}
		if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(pi6))) {
			memcpy(&pi6, CMSG_DATA(c), sizeof(pi6));
			sin6->sin6_family = AF_INET6;
			sin6->sin6_addr = pi6.ipi6_addr;
			if (IN6_IS_ADDR_LINKLOCAL(&pi6.ipi6_addr))
				sin6->sin6_scope_id = pi6.ipi6_ifindex;
			return 0;
		}
	}
	return -1;
}

/* The socket's own port into to. */
static int
net_local_port(int fd, struct sockaddr_storage *to)
{
	struct sockaddr_storage me;
	socklen_t len = sizeof(me);

	if (getsockname(fd, (struct sockaddr *)&me, &len) == -1)
		return -1;
	if (me.ss_family == AF_INET6 && to->ss_family == AF_INET6)
		((struct sockaddr_in6 *)to)->sin6_port =
		    ((struct sockaddr_in6 *)&me)->sin6_port;
	else if (me.ss_family == AF_INET && to->ss_family == AF_INET)
		((struct sockaddr_in *)to)->sin_port =
		    ((struct sockaddr_in *)&me)->sin_port;
	else
		return -1;
	return 0;
}

/* RFC 3948 2.2 and 4: what a natt socket may pass on. 1 = an IKE message
 * after a marker, 0 = drop. */
static int
net_natt_ok(const uint8_t *buf, size_t len)
{
	static const uint8_t marker[IKE_NET_MARKER_LEN];

	/* NAT-keepalive: nothing to answer (the kernel eats them on a
	 * UDP_ENCAP socket before they get here; this is the fallback) */
	if (len == 1 && buf[0] == 0xff)
		return 0;
	/* the kernel took ESP (a non-zero SPI, over 8 bytes); a shorter
	 * unmarked datagram comes here, and is not IKE */
	return len >= IKE_NET_MARKER_LEN &&
	    memcmp(buf, marker, sizeof(marker)) == 0;
}

ssize_t
ike_net_recv(int fd, int natt, uint8_t *buf, size_t cap,
    struct sockaddr_storage *from, struct sockaddr_storage *to)
{
	union {
		struct cmsghdr	 h;
		char		 b[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
				    CMSG_SPACE(sizeof(struct in_pktinfo))];
	} cm;
	struct iovec	 iov = { buf, cap };
	struct msghdr	 msg;
	ssize_t		 n;

	memset(&msg, 0, sizeof(msg));
	memset(from, 0, sizeof(*from));
	memset(to, 0, sizeof(*to));
	msg.msg_name = from;
	msg.msg_namelen = sizeof(*from);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.b;
	msg.msg_controllen = sizeof(cm.b);
	if ((n = recvmsg(fd, &msg, MSG_DONTWAIT)) == -1)
		return -1;
	if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0 ||
	    net_local(&msg, to) == -1 || net_local_port(fd, to) == -1)
		return 0;
	if (natt) {
		if (!net_natt_ok(buf, (size_t)n))
			return 0;
		n -= IKE_NET_MARKER_LEN;
		memmove(buf, buf + IKE_NET_MARKER_LEN, (size_t)n);
	}
	if (n < IKE_NET_MIN_LEN)
		return 0;
	return n;
}

static int
net_is_wildcard(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
		    htonl(INADDR_ANY);
	if (ss->ss_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(
		    &((const struct sockaddr_in6 *)ss)->sin6_addr);
	return 1;
}

/* The source address as packet info (ip(7), ipv6(7)): the route is still
 * looked up in the table of the socket's VRF. */
static void
net_set_source(struct msghdr *msg, char *cbuf, size_t cap,
    const struct sockaddr_storage *from)
{
	struct cmsghdr	*c;
	struct in_pktinfo pi;
	struct in6_pktinfo pi6;
	const struct sockaddr_in6 *sin6 = (const void *)from;

	memset(cbuf, 0, cap);
	msg->msg_control = cbuf;
	c = (struct cmsghdr *)cbuf;
	if (from->ss_family == AF_INET) {
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst = ((const struct sockaddr_in *)from)->sin_addr;
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		msg->msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		memset(&pi6, 0, sizeof(pi6));
		pi6.ipi6_addr = sin6->sin6_addr;
		if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
			pi6.ipi6_ifindex = sin6->sin6_scope_id;
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi6));
		memcpy(CMSG_DATA(c), &pi6, sizeof(pi6));
		msg->msg_controllen = CMSG_SPACE(sizeof(pi6));
	}
}

int
ike_net_send(int fd, int natt, const struct sockaddr_storage *from,
    const struct sockaddr_storage *to, const uint8_t *buf, size_t len)
{
	static const uint8_t marker[IKE_NET_MARKER_LEN];
	union {
		struct cmsghdr	 h;
		char		 b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cm;
	struct iovec	 iov[2];
	struct msghdr	 msg;
	ssize_t		 n;
	int		 i = 0;

	if ((to->ss_family != AF_INET && to->ss_family != AF_INET6) ||
	    (from != NULL && !net_is_wildcard(from) &&
	    from->ss_family != to->ss_family)) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = (void *)to;
	msg.msg_namelen = net_salen(to->ss_family);
	if (natt) {	/* RFC 3948 2.2: the non-ESP marker */
		iov[i].iov_base = (void *)marker;
		iov[i++].iov_len = sizeof(marker);
	}
	iov[i].iov_base = (void *)buf;
	iov[i++].iov_len = len;
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)i;
	if (from != NULL && !net_is_wildcard(from))
		net_set_source(&msg, cm.b, sizeof(cm.b), from);
	do
		n = sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if ((size_t)n != len + (natt ? sizeof(marker) : 0)) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

int
ike_net_keepalive(int fd, const struct sockaddr_storage *to)
{
	static const uint8_t ka = 0xff;
	ssize_t	 n;

	do
		n = sendto(fd, &ka, 1, MSG_DONTWAIT | MSG_NOSIGNAL,
		    (const struct sockaddr *)to, net_salen(to->ss_family));
	while (n == -1 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

/* ---- name resolution ---- */

#define DNS_HDR_LEN	12
#define DNS_TYPE_A	1
#define DNS_TYPE_AAAA	28
#define DNS_CLASS_IN	1
#define DNS_MAX_MSG	1232	/* no EDNS: plain answers fit in 512 */
#define DNS_MAX_SERVERS	3	/* MAXNS of resolv.conf(5) */

static int
resolve_literal(const char *name, int family, struct sockaddr_storage *out)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)out;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;

	memset(out, 0, sizeof(*out));
	if (family != AF_INET6 && inet_pton(AF_INET, name, &sin->sin_addr)) {
		sin->sin_family = AF_INET;
		return 0;
	}
	if (family != AF_INET && inet_pton(AF_INET6, name, &sin6->sin6_addr)) {
		sin6->sin6_family = AF_INET6;
		return 0;
	}
	return -1;
}

static int
resolve_default(const char *name, int family, struct sockaddr_storage *out,
    char *err, size_t errlen)
{
	struct addrinfo	 hints, *res = NULL;
	int		 rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	if ((rc = getaddrinfo(name, NULL, &hints, &res)) != 0) {
		if (rc == EAI_SYSTEM)
			return net_fail(err, errlen, "%s: %s", name,
			    strerror(errno));
		errno = ENOENT;
		return net_fail(err, errlen, "%s: %s", name,
		    gai_strerror(rc));
	}
	memset(out, 0, sizeof(*out));
	memcpy(out, res->ai_addr, res->ai_addrlen <= sizeof(*out) ?
	    res->ai_addrlen : sizeof(*out));
	((struct sockaddr_in *)out)->sin_port = 0;	/* same offset in v6 */
	freeaddrinfo(res);
	return 0;
}

/* The nameservers of /etc/resolv.conf, port 53; how many. */
static int
dns_servers(struct sockaddr_storage *srv, int max)
{
	FILE	*f;
	char	 line[256], addr[INET6_ADDRSTRLEN + 16], *pct;
	int	 n = 0;

	if ((f = fopen("/etc/resolv.conf", "re")) == NULL)
		return 0;
	while (n < max && fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, " nameserver %55s", addr) != 1)
			continue;
		if ((pct = strchr(addr, '%')) != NULL)
			*pct = '\0';	/* a scope means nothing in a VRF */
		if (resolve_literal(addr, AF_UNSPEC, &srv[n]) == -1)
			continue;
		((struct sockaddr_in *)&srv[n])->sin_port = htons(53);
		n++;
	}
	fclose(f);
	return n;
}

/* RFC 1035 4.1: a recursive query for name, type qtype. Length or -1. */
static int
dns_query(const char *name, uint16_t id, uint16_t qtype, uint8_t *q,
    size_t cap)
{
	size_t	 pos = DNS_HDR_LEN, l;
	const char *p = name, *dot;

	if (cap < DNS_HDR_LEN + 255 + 5)
		return -1;
	memset(q, 0, DNS_HDR_LEN);
	q[0] = (uint8_t)(id >> 8);
	q[1] = (uint8_t)id;
	q[2] = 0x01;	/* RD */
	q[5] = 1;	/* QDCOUNT */
	while (*p != '\0') {
		dot = strchr(p, '.');
		l = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (l == 0 || l > 63 || pos + 1 + l > DNS_HDR_LEN + 254)
			return -1;
		q[pos++] = (uint8_t)l;
		memcpy(q + pos, p, l);
		pos += l;
		p += l;
		if (*p == '.')
			p++;
	}
	if (pos == DNS_HDR_LEN)
		return -1;
	q[pos++] = 0;
	q[pos++] = (uint8_t)(qtype >> 8);
	q[pos++] = (uint8_t)qtype;
	q[pos++] = 0;
	q[pos++] = DNS_CLASS_IN;
	return (int)pos;
}

/* Past a (possibly compressed, RFC 1035 4.1.4) name at *pos; -1 if it
 * does not fit in len. */
static int
dns_skip_name(const uint8_t *m, size_t len, size_t *pos)
{
	size_t	 p = *pos;

	while (p < len) {
		if ((m[p] & 0xc0) == 0xc0) {
			if (p + 2 > len)
				return -1;
			*pos = p + 2;
			return 0;
		}
		if ((m[p] & 0xc0) != 0)
			return -1;
		if (m[p] == 0) {
			*pos = p + 1;
			return 0;
		}
		p += 1 + (size_t)m[p];
	}
	return -1;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The first record of type qtype in an answer to query id: 0 found (addr
 * filled), 1 none (NXDOMAIN or no data), -1 malformed or not ours. */
static int
dns_answer(const uint8_t *m, size_t len, uint16_t id, uint16_t qtype,
    uint8_t *addr)
{
	size_t	 pos = DNS_HDR_LEN, rdlen, alen = qtype == DNS_TYPE_A ? 4 : 16;
	unsigned ancount, i;

	if (len < DNS_HDR_LEN || get16(m) != id || (m[2] & 0x80) == 0 ||
	    (m[2] & 0x78) != 0 || get16(m + 4) != 1)
		return -1;	/* not a standard answer to our one question */
	if ((m[2] & 0x02) != 0)
		return -1;	/* truncated: no TCP fallback here */
	if ((m[3] & 0x0f) != 0)
		return 1;	/* RCODE: NXDOMAIN, SERVFAIL, ... */
	ancount = get16(m + 6);
	if (dns_skip_name(m, len, &pos) == -1 || pos + 4 > len ||
	    get16(m + pos) != qtype || get16(m + pos + 2) != DNS_CLASS_IN)
		return -1;
	pos += 4;
	for (i = 0; i < ancount; i++) {
		if (dns_skip_name(m, len, &pos) == -1 || pos + 10 > len)
			return -1;
		rdlen = get16(m + pos + 8);
		if (pos + 10 + rdlen > len)
			return -1;
		/* CNAMEs come first; their targets' records follow */
		if (get16(m + pos) == qtype && get16(m + pos + 2) ==
		    DNS_CLASS_IN && rdlen == alen) {
			memcpy(addr, m + pos + 10, alen);
			return 0;
		}
		pos += 10 + rdlen;
	}
	return 1;
}

/* Ask one server over a socket bound to vrf: 0 found, 1 none, -1 no
 * (usable) answer. A connected socket with a random port and ID takes
 * only that server's answer to this query. */
static int
dns_ask(const struct sockaddr_storage *srv, const char *vrf,
    const uint8_t *q, size_t qlen, uint16_t qtype, uint8_t *addr)
{
	uint8_t		 m[DNS_MAX_MSG];
	struct pollfd	 pfd;
	struct timespec	 end, now;
	ssize_t		 n;
	int		 fd, rc = -1, ms;

	fd = socket(srv->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, vrf,
	    (socklen_t)strlen(vrf) + 1) == -1 || connect(fd,
	    (const struct sockaddr *)srv, net_salen(srv->ss_family)) == -1 ||
	    send(fd, q, qlen, MSG_NOSIGNAL) != (ssize_t)qlen)
		goto done;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += IKE_NET_DNS_TIMEOUT;
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (int)((end.tv_sec - now.tv_sec) * 1000 +
		    (end.tv_nsec - now.tv_nsec) / 1000000);
		if (ms <= 0 || poll(&pfd, 1, ms) <= 0)
			break;
		n = recv(fd, m, sizeof(m), MSG_DONTWAIT);
		if (n == -1 && errno == ECONNREFUSED)
			break;		/* no server there: ask the next */
		if (n <= 0)
			continue;
		if ((rc = dns_answer(m, (size_t)n, get16(q), qtype, addr)) !=
		    -1)
			break;
	}
done:
	close(fd);
	return rc;
}

static int
resolve_vrf(const char *name, const char *vrf, int family,
    struct sockaddr_storage *out, char *err, size_t errlen)
{
	struct sockaddr_storage srv[DNS_MAX_SERVERS];
	uint16_t types[2], id;
	uint8_t	 q[DNS_HDR_LEN + 260], addr[16];
	int	 nsrv, ntypes = 0, t, s, qlen, rc, none = 0;

	if (family != AF_INET6)
		types[ntypes++] = DNS_TYPE_A;
	if (family != AF_INET)
		types[ntypes++] = DNS_TYPE_AAAA;
	if ((nsrv = dns_servers(srv, DNS_MAX_SERVERS)) == 0) {
		errno = ENOENT;
		return net_fail(err, errlen, "%s in %s: no nameserver in "
		    "/etc/resolv.conf", name, vrf);
	}
	for (t = 0; t < ntypes; t++) {
		for (s = 0, rc = -1; s < nsrv && rc == -1; s++) {
			id = (uint16_t)arc4random();
			if ((qlen = dns_query(name, id, types[t], q,
			    sizeof(q))) == -1) {
				errno = EINVAL;
				return net_fail(err, errlen, "%s: not a valid "
				    "DNS name", name);
			}
			rc = dns_ask(&srv[s], vrf, q, (size_t)qlen, types[t],
			    addr);
		}
		if (rc == 0) {
			memset(out, 0, sizeof(*out));
			out->ss_family = types[t] == DNS_TYPE_A ? AF_INET :
			    AF_INET6;
			if (out->ss_family == AF_INET)
				memcpy(&((struct sockaddr_in *)out)->sin_addr,
				    addr, 4);
			else
				memcpy(&((struct sockaddr_in6 *)out)->sin6_addr,
				    addr, 16);
			return 0;
		}
		none |= rc == 1;
	}
	errno = none ? ENOENT : ETIMEDOUT;
	return net_fail(err, errlen, "%s in %s: %s", name, vrf, none ?
	    "no such name or no address" : "no answer from the nameservers");
}

int
ike_net_resolve(const char *name, const char *vrf, int family,
    struct sockaddr_storage *out, char *err, size_t errlen)
{
	if (resolve_literal(name, family, out) == 0)
		return 0;
	if (*vrf == '\0')
		return resolve_default(name, family, out, err, errlen);
	if (strlen(vrf) >= IFNAMSIZ) {
		errno = ENAMETOOLONG;
		return net_fail(err, errlen, "%s: not a device name", vrf);
	}
	return resolve_vrf(name, vrf, family, out, err, errlen);
}
