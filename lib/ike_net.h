/* ike_net: the IKE daemon's UDP sockets (RFC 7296 2.11, RFC 3948), one
 * set per transport virtual router, and name resolution in a VR.
 *
 * Every socket is bound to the wildcard address and the IKE port, to a
 * VRF device when the VR has one (so each VR has its own port 500 and
 * 4500), and carries an IPsec bypass policy so IKE itself never enters a
 * tunnel. The kernel tells which local address a packet came to, and
 * answers go out from that address. */
#ifndef SECTUN_IKE_NET_H
#define SECTUN_IKE_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#define IKE_NET_PORT		500	/* RFC 7296 2.11 */
#define IKE_NET_PORT_NATT	4500	/* RFC 3948 2.2, RFC 7296 2.23 */
#define IKE_NET_MARKER_LEN	4	/* RFC 3948 2.2: the non-ESP marker */
#define IKE_NET_MIN_LEN		28	/* an IKE header (RFC 7296 3.1) */

/* A UDP socket of family AF_INET or AF_INET6 (IPv6 only) on port, bound
 * to the VRF device vrf ("" = the default VR: no binding), non-blocking,
 * close-on-exec, SO_REUSEADDR, with packet info and a bypass policy in
 * both directions. natt: the kernel decapsulates ESP in UDP arriving on
 * it (UDP_ENCAP_ESPINUDP) and passes on the rest. Needs CAP_NET_ADMIN
 * (bypass policy) and CAP_NET_RAW (SO_BINDTODEVICE). Returns the fd, or
 * -1 with err filled. */
int	 ike_net_open(int family, uint16_t port, const char *vrf, int natt,
	    char *err, size_t errlen);

/* One datagram into buf: its length; 0 when it was dropped (a NAT
 * keepalive, a natt datagram without the non-ESP marker, shorter than an
 * IKE header, larger than cap, or without packet info): call again; -1
 * with errno on error (EAGAIN: nothing queued). The non-ESP marker of a
 * natt socket is removed. from = the peer; to = our address it came to,
 * with the socket's port. */
ssize_t	 ike_net_recv(int fd, int natt, uint8_t *buf, size_t cap,
	    struct sockaddr_storage *from, struct sockaddr_storage *to);

/* Send buf to to, from our local address from (NULL or a wildcard: the
 * kernel chooses); a natt socket prepends the non-ESP marker. 0, or -1
 * with errno. */
int	 ike_net_send(int fd, int natt, const struct sockaddr_storage *from,
	    const struct sockaddr_storage *to, const uint8_t *buf, size_t len);

/* RFC 3948 4: a NAT-keepalive, one 0xff byte, on a natt socket. (The
 * kernel eats those it receives on natt sockets: xfrm4_udp_encap_rcv.) */
int	 ike_net_keepalive(int fd, const struct sockaddr_storage *to);

/* name to an address of family (AF_INET, AF_INET6, or AF_UNSPEC: IPv4
 * first), port 0. An address literal is taken as is. In the default VR
 * (vrf "") this is getaddrinfo(); in a VRF, getaddrinfo's sockets cannot
 * be bound to it, so a minimal DNS client asks the nameservers of
 * /etc/resolv.conf over UDP sockets bound to vrf (RFC 1035; no TCP
 * fallback, no search list). That blocks up to IKE_NET_DNS_TIMEOUT
 * seconds per nameserver and query: call it from a worker thread, never
 * from the event loop. 0, or -1 with err filled. */
#define IKE_NET_DNS_TIMEOUT	2
int	 ike_net_resolve(const char *name, const char *vrf, int family,
	    struct sockaddr_storage *out, char *err, size_t errlen);

#endif
