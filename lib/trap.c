/* trap: the trap hook runner. Each hook is posix_spawn'ed (no shell, no
 * fork of the daemon's memory) with argv { path }, a clean environment,
 * stdin and stdout on /dev/null, stderr on a pipe whose first line goes
 * into the log, no other descriptor, default signal dispositions, an empty
 * signal mask, and a process group of its own so the time limit kills what
 * the hook started too. */
#define _GNU_SOURCE	/* posix_spawn_file_actions_addclosefrom_np */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "store.h"
#include "trap.h"
#include "util.h"

/* The notification OIDs. tunnel-up/down are IF-MIB's (RFC 2863) linkUp and
 * linkDown; the rest are SECTUN-MIB's sectunNotifications, under the
 * placeholder enterprise TRAP_ENTERPRISE_OID. */
static const struct {
	const char	*name;
	const char	*oid;
} trap_events[TRAP_EVENT_COUNT] = {
	[TRAP_TUNNEL_UP] = { "tunnel-up", "1.3.6.1.6.3.1.1.5.4" },
	[TRAP_TUNNEL_DOWN] = { "tunnel-down", "1.3.6.1.6.3.1.1.5.3" },
	[TRAP_FAILOVER] = { "failover", TRAP_ENTERPRISE_OID ".0.1" },
	[TRAP_PEER_DEAD] = { "peer-dead", TRAP_ENTERPRISE_OID ".0.2" },
	[TRAP_IKE_UP] = { "ike-up", TRAP_ENTERPRISE_OID ".0.3" },
	[TRAP_IKE_DOWN] = { "ike-down", TRAP_ENTERPRISE_OID ".0.4" },
	[TRAP_AUTH_FAILURE] = { "auth-failure", TRAP_ENTERPRISE_OID ".0.5" },
	[TRAP_NEGOTIATION_FAILURE] = { "negotiation-failure",
	    TRAP_ENTERPRISE_OID ".0.6" },
	[TRAP_REKEY] = { "rekey", TRAP_ENTERPRISE_OID ".0.7" },
};

#define TRAP_ENV_VARS	17	/* PATH and the 16 SECTUN_* */
#define TRAP_ERRLINE	160	/* what is kept of a hook's stderr */

/* One hook's environment: the strings live in buf. */
struct trap_env {
	char		 buf[sizeof(struct trap_vars) + 1024];
	size_t		 used;
	char		*envp[TRAP_ENV_VARS + 1];
	size_t		 n;
};

struct trap_proc {
	pid_t		 pid;		/* also its process group */
	int		 errfd;		/* read end of its stderr, or -1 */
	int		 killed;	/* at the limit (already logged) */
	int64_t		 start_ms;
	enum trap_event	 ev;
	char		 path[256];
	char		 errline[TRAP_ERRLINE];
	size_t		 errlen;
	int		 errdone;	/* the first line is complete */
};

struct traps {
	unsigned	 timeout_ms;
	int		 debug;
	size_t		 n;
	struct trap_proc procs[TRAP_MAX_RUNNING];
};

const char *
trap_event_name(enum trap_event ev)
{
	if ((unsigned)ev >= TRAP_EVENT_COUNT)
		return NULL;
	return trap_events[ev].name;
}

const char *
trap_event_oid(enum trap_event ev)
{
	if ((unsigned)ev >= TRAP_EVENT_COUNT)
		return NULL;
	return trap_events[ev].oid;
}

/* At most size - 1 bytes of src (which need not be terminated within
 * max bytes), control characters replaced by '?': identities and reasons
 * come from peers. */
static void
trap_sanitize(char *dst, size_t size, const char *src, size_t max)
{
	size_t	 i, len = strnlen(src, max);

	if (size == 0)
		return;
	if (len > size - 1)
		len = size - 1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	dst[len] = '\0';
}

static void
trap_env_add(struct trap_env *e, const char *name, const char *value,
    size_t max)
{
	size_t	 room = sizeof(e->buf) - e->used, nlen = strlen(name);
	char	*s = e->buf + e->used;

	if (e->n == TRAP_ENV_VARS || room < nlen + 2)
		return;		/* cannot happen: buf holds every field */
	memcpy(s, name, nlen);
	s[nlen] = '=';
	trap_sanitize(s + nlen + 1, room - nlen - 1, value, max);
	e->used += nlen + 1 + strlen(s + nlen + 1) + 1;
	e->envp[e->n++] = s;
	e->envp[e->n] = NULL;
}

/* A field holds at most sizeof - 1 characters, terminated or not. */
#define trap_env_field(e, name, v, f) \
	trap_env_add((e), (name), (v)->f, sizeof((v)->f) - 1)

/* A number, or "" for 0 (not applicable). */
static void
trap_env_num(struct trap_env *e, const char *name, unsigned long long n)
{
	char	 num[24] = "";

	if (n != 0)
		snprintf(num, sizeof(num), "%llu", n);
	trap_env_add(e, name, num, sizeof(num));
}

/* RFC 3339, UTC, whole seconds: 2026-01-31T12:00:00Z */
static void
trap_env_time(struct trap_env *e)
{
	char		 ts[32] = "";
	struct timespec	 now;
	struct tm	 tm;

	if (clock_gettime(CLOCK_REALTIME, &now) == 0 &&
	    gmtime_r(&now.tv_sec, &tm) != NULL)
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	trap_env_add(e, "SECTUN_TIME", ts, sizeof(ts));
}

/* CLI.md "Trap hooks": every variable, always; nothing else. */
static void
trap_env_build(struct trap_env *e, const struct trap_vars *v)
{
	e->used = e->n = 0;
	e->envp[0] = NULL;
	trap_env_add(e, "PATH", TRAP_PATH, sizeof(TRAP_PATH));
	trap_env_add(e, "SECTUN_TRAP", trap_event_name(v->event), 64);
	trap_env_add(e, "SECTUN_TRAP_OID", trap_event_oid(v->event), 64);
	trap_env_field(e, "SECTUN_TUNNEL", v, tunnel);
	trap_env_field(e, "SECTUN_IFNAME", v, ifname);
	trap_env_num(e, "SECTUN_IFINDEX", v->ifindex > 0 ?
	    (unsigned long long)v->ifindex : 0);
	trap_env_num(e, "SECTUN_IF_ID", v->if_id);
	trap_env_field(e, "SECTUN_OPERATIONAL_VR", v, ovr);
	trap_env_field(e, "SECTUN_TRANSPORT_VR", v, tvr);
	trap_env_field(e, "SECTUN_LOCAL_ADDR", v, local_addr);
	trap_env_field(e, "SECTUN_PEER_ADDR", v, peer_addr);
	trap_env_num(e, "SECTUN_PEER_PORT", v->peer_port);
	trap_env_field(e, "SECTUN_LOCAL_ID", v, local_id);
	trap_env_field(e, "SECTUN_PEER_ID", v, peer_id);
	trap_env_field(e, "SECTUN_ACTIVE_DESTINATION", v, active);
	trap_env_field(e, "SECTUN_REASON", v, reason);
	trap_env_time(e);
}

/* "all" or a space-separated list of event names. */
static int
trap_events_match(const char *list, const char *name)
{
	size_t	 n, len = strlen(name);

	while (*list != '\0') {
		list += strspn(list, " ");
		n = strcspn(list, " ");
		if ((n == 3 && strncmp(list, "all", 3) == 0) ||
		    (n == len && n > 0 && strncmp(list, name, n) == 0))
			return 1;
		list += n;
	}
	return 0;
}

struct traps *
trap_new(unsigned timeout_ms)
{
	struct traps *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->timeout_ms = timeout_ms;
	return t;
}

/* A NULL struct traps runs nothing (a daemon without hooks, a test). */
void
trap_set_debug(struct traps *t, int on)
{
	if (t != NULL)
		t->debug = on;
}

size_t
trap_running(const struct traps *t)
{
	return t != NULL ? t->n : 0;
}

static const char *
trap_proc_event(const struct trap_proc *p)
{
	return trap_event_name(p->ev);
}

/* Keeps the first line of what the hook wrote on stderr. */
static void
trap_errline_add(struct trap_proc *p, const char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; i < len && !p->errdone; i++) {
		if (buf[i] == '\n' || p->errlen == sizeof(p->errline) - 1) {
			p->errdone = 1;
			break;
		}
		p->errline[p->errlen++] = buf[i];
	}
	p->errline[p->errlen] = '\0';
}

/* Reads what the hook's stderr holds now (never waits); closes it at end
 * of file. What follows the first line is read and dropped, so a chatty
 * hook does not block on a full pipe. */
#define TRAP_DRAIN_READS	16	/* 8 KB a call */

static void
trap_drain(struct trap_proc *p)
{
	char	 buf[512];
	ssize_t	 n;
	int	 reads = 0;

	/* bounded: a hook flooding its stderr must not hold the daemon
	 * here (the rest waits for the next call, or is dropped) */
	while (p->errfd != -1 && reads++ < TRAP_DRAIN_READS) {
		n = read(p->errfd, buf, sizeof(buf));
		if (n > 0) {
			trap_errline_add(p, buf, (size_t)n);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		close(p->errfd);
		p->errfd = -1;
	}
}

static void
trap_proc_close(struct trap_proc *p)
{
	if (p->errfd != -1)
		close(p->errfd);
	p->errfd = -1;
}

static int
trap_spawn_setup(posix_spawn_file_actions_t *fa, posix_spawnattr_t *attr,
    int errfd)
{
	sigset_t	 none, all;
	int		 rc;

	sigemptyset(&none);
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	if ((rc = posix_spawn_file_actions_addopen(fa, 0, "/dev/null",
	    O_RDONLY, 0)) != 0 ||
	    (rc = posix_spawn_file_actions_addopen(fa, 1, "/dev/null",
	    O_WRONLY, 0)) != 0 ||
	    (rc = posix_spawn_file_actions_adddup2(fa, errfd, 2)) != 0 ||
	    (rc = posix_spawn_file_actions_addclosefrom_np(fa, 3)) != 0 ||
	    (rc = posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGDEF |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP)) != 0 ||
	    (rc = posix_spawnattr_setpgroup(attr, 0)) != 0 ||
	    (rc = posix_spawnattr_setsigmask(attr, &none)) != 0 ||
	    (rc = posix_spawnattr_setsigdefault(attr, &all)) != 0)
		return rc;
	return 0;
}

/* 0 with p->pid and p->errfd set, or an errno value. glibc reports a
 * failed exec (missing file, not executable) here, and reaps the child. */
static int
trap_spawn(struct trap_proc *p, char *const envp[])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t	 attr;
	char			*argv[2] = { p->path, NULL };
	int			 pfd[2], rc;

	if (pipe2(pfd, O_CLOEXEC) == -1)
		return errno;
	if (fcntl(pfd[0], F_SETFL, O_NONBLOCK) == -1) {
		rc = errno;
		close(pfd[0]);
		close(pfd[1]);
		return rc;
	}
	if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
		goto done;
	if ((rc = posix_spawnattr_init(&attr)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		goto done;
	}
	if ((rc = trap_spawn_setup(&fa, &attr, pfd[1])) == 0)
		rc = posix_spawn(&p->pid, p->path, &fa, &attr, argv, envp);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
done:
	close(pfd[1]);
	if (rc != 0)
		close(pfd[0]);
	else
		p->errfd = pfd[0];
	return rc;
}

static int
trap_start(struct traps *t, const char *path, const struct trap_vars *v,
    struct trap_env *env, int64_t now_ms)
{
	struct trap_proc *p;
	const char	*name = trap_event_name(v->event);
	char		 tunnel[sizeof(v->tunnel)], reason[sizeof(v->reason)];
	int		 rc;

	if (t->n == TRAP_MAX_RUNNING) {
		log_warn("trap hook %s (%s): not run: %d hooks are running "
		    "already", path, name, TRAP_MAX_RUNNING);
		return -1;
	}
	p = &t->procs[t->n];
	memset(p, 0, sizeof(*p));
	p->errfd = -1;
	p->ev = v->event;
	p->start_ms = now_ms;
	str_copy(p->path, path, sizeof(p->path));
	if ((rc = trap_spawn(p, env->envp)) != 0) {
		log_warn("trap hook %s (%s): cannot run: %s", path, name,
		    strerror(rc));
		return -1;
	}
	t->n++;
	if (t->debug) {
		trap_sanitize(tunnel, sizeof(tunnel), v->tunnel,
		    sizeof(v->tunnel));
		trap_sanitize(reason, sizeof(reason), v->reason,
		    sizeof(v->reason));
		log_info("trap hook %s: %s, tunnel %s, reason %s: pid %d",
		    path, name, tunnel[0] != '\0' ? tunnel : "-",
		    reason[0] != '\0' ? reason : "-", (int)p->pid);
	}
	return 0;
}

int
trap_raise(struct traps *t, struct store *st, const struct trap_vars *v,
    int64_t now_ms)
{
	struct trap_env	 env;
	sqlite3_stmt	*q;
	const char	*name;
	int		 started = 0, failed;

	if (t == NULL)
		return 0;
	if ((name = trap_event_name(v->event)) == NULL) {
		log_warn("trap: no event %d", (int)v->event);
		return 0;
	}
	trap_reap(t, now_ms);	/* the slots of hooks that ended are free */
	trap_env_build(&env, v);
	failed = st->read_failed;	/* a caller's, kept for it */
	st->read_failed = 0;
	q = store_query(st, "SELECT path, events FROM trap_hook ORDER BY path",
	    "");
	while (q != NULL && sqlite3_step(q) == SQLITE_ROW)
		if (trap_events_match(store_col(q, 1), name) &&
		    trap_start(t, store_col(q, 0), v, &env, now_ms) == 0)
			started++;
	store_finalize(st, q);
	if (st->read_failed)
		log_warn("trap: %s: cannot read the trap hooks: %s", name,
		    st->errmsg);
	st->read_failed |= failed;
	return started;
}

/* The end of a hook: said in the log unless it succeeded. */
static void
trap_done(struct traps *t, struct trap_proc *p, int status)
{
	const char *sep, *line;

	trap_drain(p);
	trap_sanitize(p->errline, sizeof(p->errline), p->errline,
	    sizeof(p->errline));
	sep = p->errline[0] != '\0' ? ": " : "";
	line = p->errline;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		if (t->debug)
			log_info("trap hook %s (%s, pid %d): done%s%s",
			    p->path, trap_proc_event(p), (int)p->pid, sep,
			    line);
	} else if (WIFEXITED(status))
		log_warn("trap hook %s (%s, pid %d): exited with status "
		    "%d%s%s", p->path, trap_proc_event(p), (int)p->pid,
		    WEXITSTATUS(status), sep, line);
	else if (!p->killed)
		log_warn("trap hook %s (%s, pid %d): killed by signal %d "
		    "(%s)%s%s", p->path, trap_proc_event(p), (int)p->pid,
		    WTERMSIG(status), strsignal(WTERMSIG(status)), sep, line);
}

/* 1 when the hook is gone (reaped), 0 while it runs. */
static int
trap_wait(struct traps *t, struct trap_proc *p)
{
	int	 status;
	pid_t	 r;

	while ((r = waitpid(p->pid, &status, WNOHANG)) == -1 &&
	    errno == EINTR)
		;
	if (r == 0)
		return 0;
	if (r == -1) {	/* ECHILD: someone else reaped it (SIGCHLD ignored?) */
		log_warn("trap hook %s (%s, pid %d): lost: %s", p->path,
		    trap_proc_event(p), (int)p->pid, strerror(errno));
		return 1;
	}
	trap_done(t, p, status);
	return 1;
}

static void
trap_kill(struct traps *t, struct trap_proc *p)
{
	if (kill(-p->pid, SIGKILL) == -1)
		kill(p->pid, SIGKILL);
	p->killed = 1;
	log_warn("trap hook %s (%s, pid %d): still running after %u ms: "
	    "killed with its process group", p->path, trap_proc_event(p),
	    (int)p->pid, t->timeout_ms);
}

static void
trap_remove(struct traps *t, size_t i)
{
	trap_proc_close(&t->procs[i]);
	if (i != t->n - 1)
		t->procs[i] = t->procs[t->n - 1];
	t->n--;
}

void
trap_reap(struct traps *t, int64_t now_ms)
{
	struct trap_proc *p;
	size_t		 i = 0;

	while (t != NULL && i < t->n) {
		p = &t->procs[i];
		trap_drain(p);
		if (trap_wait(t, p)) {
			trap_remove(t, i);
			continue;
		}
		if (!p->killed &&
		    now_ms - p->start_ms >= (int64_t)t->timeout_ms)
			trap_kill(t, p);
		i++;
	}
}

void
trap_free(struct traps *t)
{
	struct trap_proc *p;
	size_t		 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		p = &t->procs[i];
		if (kill(-p->pid, SIGKILL) == -1)
			kill(p->pid, SIGKILL);
		while (waitpid(p->pid, NULL, 0) == -1 && errno == EINTR)
			;
		trap_proc_close(p);
	}
	free(t);
}
