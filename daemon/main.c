/* sectund: options, start-up (lock, database, socket), the event loop and
 * clean shutdown. The CLI sessions run on threads (ctl.c). */
#define _GNU_SOURCE
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "ctlproto.h"
#include "daemon.h"
#include "log.h"
#include "trap.h"
#include "util.h"

struct opts {
	int		 foreground;
	const char	*db;
	const char	*socket;
	const char	*pidfile;
	const char	*hostname;
	int		 no_kernel;
};

#define SESSIONS_MAX	64	/* each a thread and a libcli tree */

struct loop {
	struct event_base *base;
	struct daemon	*d;
	int		 lfd;
	int		 readyfd;
	struct event	*accept_ev;
	struct event	*retry_ev;	/* re-arms accept after EMFILE */
	struct event	*sync_ev;	/* retries what the kernel refused */
};

static int sessions;		/* live session threads (atomic) */

static void
usage(FILE *f)
{
	fprintf(f, "usage: sectund [-f] [--db PATH] [--socket PATH] "
	    "[--pidfile PATH] [--hostname NAME] [--no-kernel]\n");
}

static void
opts_parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "hostname", required_argument, NULL, 'n' },
		{ "no-kernel", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch;

	while ((ch = getopt_long(argc, argv, "fhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': o->foreground = 1; break;
		case 'd': o->db = optarg; break;
		case 's': o->socket = optarg; break;
		case 'p': o->pidfile = optarg; break;
		case 'n': o->hostname = optarg; break;
		case 'K': o->no_kernel = 1; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("sectund %s\n", PACKAGE_VERSION); exit(0);
		default: usage(stderr); exit(1);
		}
	}
	if (optind != argc) {
		usage(stderr);
		exit(1);
	}
}

/* Creates the directories above path, as mkdir -p; new ones get mode
 * (whatever the umask). Returns 1 when it created the last one. */
static int
mkdir_parent(const char *path, mode_t mode)
{
	int	 made = 0;
	char	 tmp[PATH_MAX], dir[PATH_MAX], *p;

	str_copy(tmp, path, sizeof(tmp));
	str_copy(dir, dirname(tmp), sizeof(dir));
	for (p = dir + 1; ; p++) {
		char c = *p;
		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		made = mkdir(dir, mode) == 0;
		if (!made && errno != EEXIST)
			fatal("cannot create directory %s: %s", dir,
			    strerror(errno));
		if (made && chmod(dir, mode) == -1)
			fatal("cannot chmod %s: %s", dir, strerror(errno));
		*p = c;
		if (c == '\0')
			break;
	}
	return made;
}

/* One daemon per database: an flock on PATH.lock, held for life. */
static int
db_lock(const char *db)
{
	char	 path[PATH_MAX], pid[32] = "";
	int	 fd;
	ssize_t	 n;

	snprintf(path, sizeof(path), "%s.lock", db);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1)
		fatal("cannot open %s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK)
			fatal("cannot lock %s: %s", path, strerror(errno));
		n = read(fd, pid, sizeof(pid) - 1);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		fatal("database %s is in use by sectund pid %s", db,
		    *pid ? pid : "?");
	}
	return fd;
}

static void
db_lock_write_pid(int fd)
{
	char	 pid[32];

	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, pid, strlen(pid), 0) == -1)
		log_warn("cannot record pid in the lock file: %s",
		    strerror(errno));
}

static void
pidfile_write(const char *path)
{
	FILE	*f;
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL)
		fatal("cannot write pid file %s: %s", path, strerror(errno));
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

/* The control socket: 0660, root and the "sectun" group only. */
static int
ctl_listen(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct group *gr = getgrnam("sectun");
	char	 tmp[PATH_MAX];
	struct stat sb;
	mode_t	 old;
	int	 fd, probe;

	if (strlen(path) >= sizeof(sun.sun_path))
		fatal("socket path %s is too long", path);
	str_copy(sun.sun_path, path, sizeof(sun.sun_path));
	str_copy(tmp, path, sizeof(tmp));
	/* a directory we make is root's and the sectun group's, 0750 */
	if (mkdir_parent(path, 0750) && gr != NULL &&
	    chown(dirname(tmp), 0, gr->gr_gid) == -1)
		log_warn("cannot give %s to group sectun: %s", tmp,
		    strerror(errno));
	if ((probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		fatal("socket: %s", strerror(errno));
	if (connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		fatal("socket %s is in use by another sectund", path);
	close(probe);
	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode))
			fatal("%s exists and is not a socket: not replacing it",
			    path);
		unlink(path);	/* left behind by a daemon that is gone */
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		fatal("socket: %s", strerror(errno));
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("cannot bind %s: %s", path, strerror(errno));
	umask(old);
	if (gr != NULL && chown(path, 0, gr->gr_gid) == -1)
		log_warn("cannot give %s to group sectun: %s", path,
		    strerror(errno));
	if (listen(fd, 16) == -1)
		fatal("listen %s: %s", path, strerror(errno));
	return fd;
}

struct session_arg {
	struct daemon	*d;
	int		 fd;
};

static void *
session_thread(void *arg)
{
	struct session_arg a = *(struct session_arg *)arg;

	free(arg);
	ctl_session_run(a.d, a.fd);
	__atomic_sub_fetch(&sessions, 1, __ATOMIC_RELAXED);
	return NULL;
}

/* Out of descriptors: stop accepting for a second rather than spin on a
 * listening socket that stays readable. */
static void
accept_pause(struct loop *l)
{
	struct timeval tv = { .tv_sec = 1 };

	log_warn("control socket: cannot accept: %s; pausing 1 s",
	    strerror(errno));
	event_del(l->accept_ev);
	evtimer_add(l->retry_ev, &tv);
}

static void
on_accept_retry(evutil_socket_t fd, short ev, void *arg)
{
	struct loop *l = arg;

	event_add(l->accept_ev, NULL);
}

static void
on_accept(evutil_socket_t lfd, short ev, void *arg)
{
	static const char busy[] = "% sectund: too many CLI sessions\n";
	struct loop *l = arg;
	struct session_arg *a;
	pthread_t t;
	int	 fd;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM)
			accept_pause(l);
		return;
	}
	/* libcli's select() cannot take fds past FD_SETSIZE */
	if (fd >= FD_SETSIZE || __atomic_load_n(&sessions, __ATOMIC_RELAXED) >=
	    SESSIONS_MAX || (a = malloc(sizeof(*a))) == NULL) {
		log_warn("control socket: too many sessions");
		if (write(fd, busy, sizeof(busy) - 1) == -1)
			log_debug("control socket: %s", strerror(errno));
		close(fd);
		return;
	}
	a->d = l->d;
	a->fd = fd;
	__atomic_add_fetch(&sessions, 1, __ATOMIC_RELAXED);
	if (pthread_create(&t, NULL, session_thread, a) != 0) {
		__atomic_sub_fetch(&sessions, 1, __ATOMIC_RELAXED);
		free(a);
		close(fd);
		return;
	}
	pthread_detach(t);
}

static void
on_signal(evutil_socket_t sig, short ev, void *arg)
{
	struct loop *l = arg;

	log_info("signal %d: shutting down", (int)sig);
	event_base_loopbreak(l->base);
}

/* Detach; the parent returns only once the child is ready (or failed). */
static int
daemonize(void)
{
	int	 p[2];
	char	 ok;
	pid_t	 pid;

	if (pipe2(p, O_CLOEXEC) == -1)
		fatal("pipe: %s", strerror(errno));
	if ((pid = fork()) == -1)
		fatal("fork: %s", strerror(errno));
	if (pid > 0) {
		close(p[1]);
		exit(read(p[0], &ok, 1) == 1 ? 0 : 1);
	}
	close(p[0]);
	setsid();
	return p[1];
}

static void
daemon_ready(int fd)
{
	int	 null;

	log_startup_errors(0);
	if (fd == -1)
		return;
	if ((null = open("/dev/null", O_RDWR)) != -1) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	if (write(fd, "", 1) != 1)
		log_warn("cannot tell the parent we are ready");
	close(fd);
}

/* What the kernel refused is tried again, until it is accepted. */
static const struct timeval sync_every = { RUNTIME_RETRY_SECONDS, 0 };

static void
on_sync_timer(evutil_socket_t fd, short what, void *arg)
{
	struct loop *l = arg;

	pthread_mutex_lock(&l->d->lock);
	if (l->d->rt != NULL) {
		l->d->rt->k->debug = (l->d->debug & DEBUG_KERNEL) != 0;
		runtime_retry(l->d->rt);
	}
	pthread_mutex_unlock(&l->d->lock);
}

/* The kernel brought to the configuration before the first command:
 * adopts what a previous sectund left (traffic keeps flowing), removes
 * what it owns but no longer has in its configuration. */
static void
kernel_start(struct daemon *d, int no_kernel)
{
	struct kernel	*k;
	struct kerr	 e = { 0 };
	int		 errors;

	if (no_kernel) {
		log_info("--no-kernel: configuration only, the kernel is not "
		    "touched");
		return;
	}
	if ((k = kernel_open(&e)) == NULL)
		fatal("%s", e.msg);
	if ((d->rt = runtime_new(d->st, k)) == NULL)
		fatal("out of memory");
	/* before the first sync, so tunnels up at start-up say so */
	if ((d->rt->traps = trap_new(TRAP_TIMEOUT_MS)) == NULL)
		log_warn("trap hooks: cannot start the runner");
	if ((errors = runtime_sync_all(d->rt)) > 0)
		log_warn("start-up: the kernel refused %d change%s; retried "
		    "every %d s", errors, errors > 1 ? "s" : "",
		    RUNTIME_RETRY_SECONDS);
}

/* Signals are handled before the parent hears "ready", so a SIGTERM right
 * after start-up still shuts down cleanly. */
static void
run(struct loop *l)
{
	struct event *sig[2];
	int	 sigs[] = { SIGTERM, SIGINT };
	size_t	 i;

	l->base = event_base_new();
	if (l->base == NULL)
		fatal("libevent: cannot create the event loop");
	l->accept_ev = event_new(l->base, l->lfd, EV_READ | EV_PERSIST,
	    on_accept, l);
	l->retry_ev = evtimer_new(l->base, on_accept_retry, l);
	event_add(l->accept_ev, NULL);
	for (i = 0; i < nitems(sigs); i++) {
		sig[i] = evsignal_new(l->base, sigs[i], on_signal, l);
		event_add(sig[i], NULL);
	}
	l->sync_ev = event_new(l->base, -1, EV_PERSIST, on_sync_timer, l);
	event_add(l->sync_ev, &sync_every);
	l->d->io = ike_io_start(l->d, l->base);
	daemon_ready(l->readyfd);
	event_base_dispatch(l->base);
	ike_io_stop(l->d->io);
	l->d->io = NULL;
	event_free(l->sync_ev);
	for (i = 0; i < nitems(sigs); i++)
		event_free(sig[i]);
	event_free(l->accept_ev);
	event_free(l->retry_ev);
	event_base_free(l->base);
}

int
main(int argc, char **argv)
{
	struct opts o = { .db = CTL_DEFAULT_DB, .socket = CTL_DEFAULT_SOCKET,
	    .pidfile = CTL_DEFAULT_PIDFILE };
	struct loop l = { .readyfd = -1 };
	char	 keypath[PATH_MAX], dir[PATH_MAX], host[64], err[ERR_LEN];
	struct store *st;
	int	 lockfd;

	opts_parse(argc, argv, &o);
	log_init("sectund", 1, 0);
	log_startup_errors(1);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	umask(077);		/* the database and key files are root's alone */
	if (o.hostname == NULL) {
		if (gethostname(host, sizeof(host)) == -1)
			str_copy(host, "sectun", sizeof(host));
		host[sizeof(host) - 1] = '\0';
		o.hostname = host;
	}
	mkdir_parent(o.db, 0700);
	lockfd = db_lock(o.db);
	if (!o.foreground) {
		l.readyfd = daemonize();
		log_init("sectund", 0, 0);
		log_startup_errors(1);
	}
	db_lock_write_pid(lockfd);
	str_copy(dir, o.db, sizeof(dir));
	snprintf(keypath, sizeof(keypath), "%s/device.key", dirname(dir));
	if ((st = store_open(o.db, keypath, err)) == NULL)
		fatal("%s", err);
	if ((l.d = daemon_new(st, o.hostname)) == NULL)
		fatal("out of memory");
	kernel_start(l.d, o.no_kernel);
	l.lfd = ctl_listen(o.socket);
	pidfile_write(o.pidfile);
	log_info("sectund %s ready: database %s (schema %d), socket %s",
	    PACKAGE_VERSION, o.db, store_version(st), o.socket);
	run(&l);

	/* wait for the command in progress, then take everything down */
	pthread_mutex_lock(&l.d->lock);
	close(l.lfd);
	unlink(o.socket);
	unlink(o.pidfile);
	store_close(st);
	log_info("stopped");
	exit(0);
}
