/* ike_io: the IKE engine wired into the daemon: UDP sockets per transport
 * VR (ports 500 and 4500, IPv4 and IPv6, bound to the VR's VRF), the
 * engine's timer, and the kernel's ACQUIRE events. Every callback takes
 * the daemon lock, as CLI sessions do. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <event2/event.h>

#include "daemon.h"
#include "ike.h"
#include "ike_net.h"
#include "log.h"
#include "trap.h"
#include "tunnel_ike.h"
#include "util.h"

#define IO_SOCKS_MAX	256
#define IO_TICK_MS	250

struct io_sock {
	char		 tvr[NAME_MAX_LEN + 1];
	int		 family;
	uint16_t	 port;
	int		 fd;
	struct event	*ev;
	struct ike_io	*io;
};

struct ike_io {
	struct daemon	*d;
	int		 resolvers;	/* threads running (under the lock) */
	struct event_base *base;
	struct io_sock	 socks[IO_SOCKS_MAX];
	size_t		 nsocks;
	struct event	*tick;
	struct kernel_mon *mon;
	struct event	*mon_ev;
};

static int64_t
io_now(void *arg)
{
	struct timespec	 ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sockaddr_set(struct sockaddr_storage *ss, int family, const uint8_t *addr,
    uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, addr, 16);
		s6->sin6_port = htons(port);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, addr, 4);
		s4->sin_port = htons(port);
	}
}

static struct io_sock *
io_find(struct ike_io *io, const char *tvr, int family, uint16_t port)
{
	size_t	 i;

	for (i = 0; i < io->nsocks; i++)
		if (io->socks[i].family == family &&
		    io->socks[i].port == port &&
		    strcmp(io->socks[i].tvr, tvr) == 0)
			return &io->socks[i];
	return NULL;
}

static int
io_send(void *arg, const struct ike_path *p, const uint8_t *buf, size_t len)
{
	struct ike_io	*io = arg;
	struct io_sock	*s = io_find(io, p->tvr, p->family, p->lport);
	struct sockaddr_storage from, to;

	if (s == NULL) {
		log_warn("IKE: no socket in virtual-router %s for port %u",
		    p->tvr, p->lport);
		return -1;
	}
	sockaddr_set(&from, p->family, p->local, p->lport);
	sockaddr_set(&to, p->family, p->peer, p->pport);
	if (len == 1 && buf[0] == 0xff)	/* RFC 3948 4: keepalive */
		return ike_net_keepalive(s->fd, &to);
	if (ike_net_send(s->fd, p->lport == IKE_NATT_PORT, &from, &to, buf,
	    len) == -1) {
		log_info("IKE: send to port %u: %s", p->pport, strerror(errno));
		return -1;
	}
	return 0;
}

static void
path_from(struct ike_path *p, const struct io_sock *s,
    const struct sockaddr_storage *from, const struct sockaddr_storage *to)
{
	memset(p, 0, sizeof(*p));
	str_copy(p->tvr, s->tvr, sizeof(p->tvr));
	p->family = s->family;
	if (s->family == AF_INET6) {
		const struct sockaddr_in6 *f = (const void *)from;
		const struct sockaddr_in6 *t = (const void *)to;

		memcpy(p->peer, &f->sin6_addr, 16);
		memcpy(p->local, &t->sin6_addr, 16);
		p->pport = ntohs(f->sin6_port);
	} else {
		const struct sockaddr_in *f = (const void *)from;
		const struct sockaddr_in *t = (const void *)to;

		memcpy(p->peer, &f->sin_addr, 4);
		memcpy(p->local, &t->sin_addr, 4);
		p->pport = ntohs(f->sin_port);
	}
	p->lport = s->port;
}

static void
on_udp(evutil_socket_t fd, short what, void *arg)
{
	struct io_sock	*s = arg;
	struct daemon	*d = s->io->d;
	struct sockaddr_storage from, to;
	struct ike_path	 p;
	uint8_t		 buf[IKE_MSG_LIMIT];
	ssize_t		 n;
	int		 i;

	(void)what;
	pthread_mutex_lock(&d->lock);
	d->ike->debug = (d->debug & DEBUG_IKE) != 0;
	for (i = 0; i < 32; i++) {	/* a burst, then let others run */
		n = ike_net_recv(fd, s->port == IKE_NATT_PORT, buf,
		    sizeof(buf), &from, &to);
		if (n == -1)
			break;
		if (n == 0)
			continue;
		path_from(&p, s, &from, &to);
		ike_recv(d->ike, &p, buf, (size_t)n);
	}
	pthread_mutex_unlock(&d->lock);
}

static void
io_open(struct ike_io *io, const char *tvr, const char *vrf, int family,
    uint16_t port)
{
	struct io_sock	*s;
	char		 err[256];
	int		 fd;

	if (io_find(io, tvr, family, port) != NULL ||
	    io->nsocks == IO_SOCKS_MAX)
		return;
	if ((fd = ike_net_open(family, port, vrf, port == IKE_NATT_PORT, err,
	    sizeof(err))) == -1) {
		log_warn("IKE: virtual-router %s: %s", tvr, err);
		return;
	}
	s = &io->socks[io->nsocks++];
	memset(s, 0, sizeof(*s));
	str_copy(s->tvr, tvr, sizeof(s->tvr));
	s->family = family;
	s->port = port;
	s->fd = fd;
	s->io = io;
	s->ev = event_new(io->base, fd, EV_READ | EV_PERSIST, on_udp, s);
	event_add(s->ev, NULL);
}

/* Sockets for every VR the kernel has (new VRs included). Lock held. */
void
ike_io_refresh(struct ike_io *io)
{
	static const int families[] = { AF_INET, AF_INET6 };
	static const uint16_t ports[] = { IKE_PORT, IKE_NATT_PORT };
	struct vr_rt	*vr;
	size_t		 f, p;

	if (io == NULL || io->d->rt == NULL)
		return;
	for (vr = io->d->rt->vrs; vr != NULL; vr = vr->next) {
		if (vr->table == 0)
			continue;
		for (f = 0; f < nitems(families); f++)
			for (p = 0; p < nitems(ports); p++)
				io_open(io, vr->name, vr->ifname, families[f],
				    ports[p]);
	}
}

/* Name resolution blocks (seconds, in a VRF our own DNS client): one
 * short-lived thread per question; the answer goes to the engine under
 * the daemon lock. */
struct resolve_job {
	struct ike_io	*io;
	char		 tunnel[NAME_MAX_LEN + 1];
	char		 name[IDENTITY_MAX_LEN + 1];
	char		 vrf[IFNAMSIZ];
};

static void *
resolve_thread(void *arg)
{
	struct resolve_job *j = arg;
	struct sockaddr_storage ss;
	struct daemon	*d = j->io->d;
	char		 err[256] = "";
	uint8_t		 addr[16] = { 0 };
	int		 family = 0;

	if (ike_net_resolve(j->name, j->vrf, AF_UNSPEC, &ss, err,
	    sizeof(err)) == 0) {
		family = ss.ss_family;
		if (family == AF_INET6)
			memcpy(addr, &((struct sockaddr_in6 *)&ss)->sin6_addr,
			    16);
		else
			memcpy(addr, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	}
	pthread_mutex_lock(&d->lock);
	if (d->ike != NULL)
		ike_resolved(d->ike, j->tunnel, j->name, family, addr, err);
	j->io->resolvers--;
	pthread_mutex_unlock(&d->lock);
	free(j);
	return NULL;
}

static void
io_resolve(void *arg, const char *tunnel, const char *tvr, const char *name)
{
	struct ike_io	*io = arg;
	struct resolve_job *j;
	struct vr_rt	*vr = runtime_vr(io->d->rt, tvr);
	pthread_attr_t	 at;
	pthread_t	 th;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return;
	j->io = io;
	str_copy(j->tunnel, tunnel, sizeof(j->tunnel));
	str_copy(j->name, name, sizeof(j->name));
	if (vr != NULL)
		str_copy(j->vrf, vr->ifname, sizeof(j->vrf));
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &at, resolve_thread, j) != 0) {
		free(j);
		ike_resolved(io->d->ike, tunnel, name, 0, NULL,
		    "cannot start the resolver");
	} else
		io->resolvers++;
	pthread_attr_destroy(&at);
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct ike_io	*io = arg;

	(void)fd;
	(void)what;
	pthread_mutex_lock(&io->d->lock);
	io->d->ike->debug = (io->d->debug & DEBUG_IKE) != 0;
	io->d->ike->dpd_debug = (io->d->debug & DEBUG_DPD) != 0;
	ike_tick(io->d->ike);
	if (io->d->rt->traps != NULL) {
		trap_set_debug(io->d->rt->traps,
		    (io->d->debug & DEBUG_HOOKS) != 0);
		trap_reap(io->d->rt->traps, io_now(NULL));
	}
	pthread_mutex_unlock(&io->d->lock);
}

static void
on_kevent(const struct kevent *ev, void *arg)
{
	struct ike_io	*io = arg;

	if (ev->type == KEVENT_ACQUIRE && ev->if_id != 0)
		ike_acquire(io->d->ike, ev->if_id);
	else if (ev->type == KEVENT_EXPIRE && ev->spi != 0 &&
	    KERNEL_REQID_IS_OURS(ev->reqid))
		ike_expire(io->d->ike, ev->proto, ev->spi, ev->family,
		    ev->daddr, ev->hard);
}

static void
on_mon(evutil_socket_t fd, short what, void *arg)
{
	struct ike_io	*io = arg;

	(void)fd;
	(void)what;
	pthread_mutex_lock(&io->d->lock);
	if (kernel_mon_read(io->mon, on_kevent, io) == -1 && errno != EAGAIN)
		log_warn("kernel events: %s", strerror(errno));
	pthread_mutex_unlock(&io->d->lock);
}

struct ike_io *
ike_io_start(struct daemon *d, struct event_base *base)
{
	static const struct timeval every = { 0, IO_TICK_MS * 1000 };
	struct ike_ops	 ops;
	struct ike_io	*io;
	struct kerr	 e = { 0 };

	if (d->rt == NULL || (io = calloc(1, sizeof(*io))) == NULL)
		return NULL;
	io->d = d;
	io->base = base;
	memset(&ops, 0, sizeof(ops));
	ops.arg = io;
	ops.kernel_arg = d->rt;
	ops.send = io_send;
	ops.now = io_now;
	ops.resolve = io_resolve;
	/* the kernel side takes the runtime: a small adapter table */
	ops.spi_alloc = tunnel_ike_spi_alloc;
	ops.spi_free = tunnel_ike_spi_free;
	ops.child_up = tunnel_ike_child_up;
	ops.child_down = tunnel_ike_child_down;
	ops.child_retire = tunnel_ike_child_retire;
	ops.child_out_up = tunnel_ike_child_out_up;
	ops.child_stats = tunnel_ike_child_stats;
	ops.event = tunnel_ike_event;
	ops.tunnel_failed = tunnel_ike_failed;
	if ((d->ike = ike_new(d->st, &ops)) == NULL)
		fatal("IKE: cannot start the engine");
	d->rt->ike = d->ike;
	io->tick = event_new(base, -1, EV_PERSIST, on_tick, io);
	event_add(io->tick, &every);
	if ((io->mon = kernel_mon_open(&e)) == NULL)
		log_warn("kernel events (on-traffic tunnels): %s", e.msg);
	else {
		io->mon_ev = event_new(base, kernel_mon_fd(io->mon),
		    EV_READ | EV_PERSIST, on_mon, io);
		event_add(io->mon_ev, NULL);
	}
	pthread_mutex_lock(&d->lock);
	ike_io_refresh(io);
	ike_sync_all(d->ike);
	pthread_mutex_unlock(&d->lock);
	return io;
}

void
ike_io_stop(struct ike_io *io)
{
	size_t	 i;

	if (io == NULL)
		return;
	pthread_mutex_lock(&io->d->lock);
	for (i = 0; io->resolvers > 0 && i < 100; i++) {	/* <= 10 s */
		pthread_mutex_unlock(&io->d->lock);
		usleep(100000);
		pthread_mutex_lock(&io->d->lock);
	}
	ike_shutdown(io->d->ike);
	ike_free(io->d->ike);
	io->d->ike = NULL;
	io->d->rt->ike = NULL;
	for (i = 0; trap_running(io->d->rt->traps) > 0 && i < 20; i++) {
		usleep(50000);	/* the stop's hooks get 1 s, then are killed */
		trap_reap(io->d->rt->traps, io_now(NULL));
	}
	trap_free(io->d->rt->traps);
	io->d->rt->traps = NULL;
	pthread_mutex_unlock(&io->d->lock);
	for (i = 0; i < io->nsocks; i++) {
		event_free(io->socks[i].ev);
		close(io->socks[i].fd);
	}
	if (io->mon_ev != NULL)
		event_free(io->mon_ev);
	kernel_mon_close(io->mon);
	event_free(io->tick);
	free(io);
}
