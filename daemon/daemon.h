/* daemon: the process-wide state shared by the loop and the CLI sessions. */
#ifndef SECTUN_DAEMON_H
#define SECTUN_DAEMON_H

#include <pthread.h>

#include "ike.h"
#include "parse.h"
#include "runtime.h"
#include "store.h"

#define DEBUG_IKE	0x01
#define DEBUG_KERNEL	0x02
#define DEBUG_DPD	0x04
#define DEBUG_HOOKS	0x08

struct daemon {
	pthread_mutex_t	 lock;		/* the one daemon lock (DESIGN.md) */
	struct store	*st;
	char		 default_hostname[64];
	unsigned	 debug;
	struct runtime	*rt;		/* the kernel side; NULL in unit tests */
	struct ike	*ike;		/* IKE engine; NULL without a kernel */
	struct ike_io	*io;
};

struct ike_io;
struct event_base;
/* ike_io.c: the engine on sockets, timers and kernel events. */
struct ike_io	*ike_io_start(struct daemon *d, struct event_base *base);
void		 ike_io_stop(struct ike_io *io);
/* Sockets for virtual routers added since (lock held). */
void		 ike_io_refresh(struct ike_io *io);

struct daemon	*daemon_new(struct store *st, const char *hostname);
void		 daemon_free(struct daemon *d);

/* The name shown in prompts: the configured hostname, else the default. */
void		 daemon_hostname(struct daemon *d, char *out, size_t size);

/* ctl: serve one accepted control-socket connection; blocks until it ends.
 * Meant to run on a session thread. */
void		 ctl_session_run(struct daemon *d, int fd);

#endif
