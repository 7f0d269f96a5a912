/* check_trap: the trap hook runner (lib/trap.c) on hooks configured with
 * real "ipsec trap-hook" commands: the exact environment a hook gets, its
 * descriptors, signals and process group, event filtering, failures, the
 * time limit, the concurrency cap and trap_free. The hooks are small
 * /bin/sh scripts that report what they see through files. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clirun.h"
#include "ctlproto.h"
#include "store.h"
#include "tmpdir.h"
#include "trap.h"
#include "util.h"

static struct clirun	*cr;
static int		 saved_stderr = -1;
static char		 log_path[400];

/* ---- fixtures and helpers ---- */

/* Every test: a daemon on a fresh database, and the log (stderr) in a
 * file of the test's directory. */
static void
setup(void)
{
	int	 fd;

	tmp_dir_make();
	ck_assert_ptr_nonnull(cr = clirun_new());
	ck_assert_int_ne(clirun(cr, "configure terminal"), CTL_STATUS_ERROR);
	snprintf(log_path, sizeof(log_path), "%s/log", tmp_dir);
	fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ne(fd, -1);
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
}

static void
teardown(void)
{
	if (saved_stderr != -1) {
		dup2(saved_stderr, 2);
		close(saved_stderr);
		saved_stderr = -1;
	}
	clirun_free(cr);
	cr = NULL;
	tmp_dir_remove();
}

static int64_t
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec	 ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* tmp_dir/NAME, a /bin/sh script of body (where "@D" stands for tmp_dir),
 * with mode. Returns its path (static storage, one per call slot). */
static const char *
hook_write_mode(const char *name, const char *body, mode_t mode)
{
	static char	 paths[8][400];
	static int	 slot;
	char		*path = paths[slot++ % 8];
	FILE		*f;
	const char	*p;

	snprintf(path, 400, "%s/%s", tmp_dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("#!/bin/sh\n", f);
	for (p = body; *p != '\0'; p++) {
		if (p[0] == '@' && p[1] == 'D') {
			fputs(tmp_dir, f);
			p++;
		} else
			fputc(*p, f);
	}
	fclose(f);
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

static const char *
hook_write(const char *name, const char *body)
{
	return hook_write_mode(name, body, 0755);
}

/* "ipsec trap-hook PATH[ event EVENTS]" through the command line. */
static void
hook_config(const char *path, const char *events)
{
	char	 line[600];

	if (events != NULL)
		snprintf(line, sizeof(line), "ipsec trap-hook %s event %s",
		    path, events);
	else
		snprintf(line, sizeof(line), "ipsec trap-hook %s", path);
	ck_assert_msg(clirun(cr, line) != CTL_STATUS_ERROR, "%s: %s", line,
	    clirun_out(cr));
}

/* Reaps until no hook runs, at most ms; returns how many still run. */
static size_t
reap_until_idle(struct traps *t, int ms)
{
	int64_t	 end = mono_ms() + ms;

	for (;;) {
		trap_reap(t, mono_ms());
		if (trap_running(t) == 0 || mono_ms() >= end)
			return trap_running(t);
		sleep_ms(10);
	}
}

/* The whole of a file (NUL bytes kept) into buf; its length, -1 if none. */
static ssize_t
file_read(const char *path, char *buf, size_t size)
{
	int	 fd;
	ssize_t	 n, len = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((size_t)len < size - 1 &&
	    (n = read(fd, buf + len, size - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return len;
}

static const char *
tmp_file(const char *name)
{
	static char	 paths[4][400];
	static int	 slot;
	char		*p = paths[slot++ % 4];

	snprintf(p, 400, "%s/%s", tmp_dir, name);
	return p;
}

/* Waits for tmp_dir/NAME to exist, at most ms. */
static int
file_wait(const char *name, int ms)
{
	int64_t	 end = mono_ms() + ms;

	while (access(tmp_file(name), F_OK) == -1) {
		if (mono_ms() >= end)
			return -1;
		sleep_ms(10);
	}
	return 0;
}

static char	 logbuf[65536];

static const char *
log_text(void)
{
	if (file_read(log_path, logbuf, sizeof(logbuf)) < 0)
		logbuf[0] = '\0';
	return logbuf;
}

static int
log_has(const char *s)
{
	return strstr(log_text(), s) != NULL;
}

/* A process gone for good: no such pid, or a zombie nobody reaped yet
 * (an orphan whose reaper is slow). */
static int
pid_dead(pid_t pid)
{
	char	 path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (file_read(path, buf, sizeof(buf)) < 0)
		return 1;
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	return p[1] == ' ' && p[2] == 'Z';
}

static int
pid_dead_within(pid_t pid, int ms)
{
	int64_t	 end = mono_ms() + ms;

	while (!pid_dead(pid)) {
		if (mono_ms() >= end)
			return 0;
		sleep_ms(10);
	}
	return 1;
}

static pid_t
pid_from(const char *name)
{
	char	 buf[64];

	if (file_read(tmp_file(name), buf, sizeof(buf)) <= 0)
		return -1;
	return (pid_t)strtol(buf, NULL, 10);
}

static void
vars_full(struct trap_vars *v, enum trap_event ev)
{
	memset(v, 0, sizeof(*v));
	v->event = ev;
	str_copy(v->tunnel, "wan1", sizeof(v->tunnel));
	str_copy(v->ifname, "ipsec-wan1", sizeof(v->ifname));
	v->ifindex = 42;
	v->if_id = 7;
	str_copy(v->ovr, "red", sizeof(v->ovr));
	str_copy(v->tvr, "internet", sizeof(v->tvr));
	str_copy(v->local_addr, "192.0.2.1", sizeof(v->local_addr));
	str_copy(v->peer_addr, "2001:db8::2", sizeof(v->peer_addr));
	v->peer_port = 4500;
	str_copy(v->local_id, "fqdn:r1.example.net", sizeof(v->local_id));
	str_copy(v->peer_id, "user-fqdn:ops@example.net", sizeof(v->peer_id));
	str_copy(v->active, "backup", sizeof(v->active));
	str_copy(v->reason, "DPD: 5 probes unanswered", sizeof(v->reason));
}

static const char mark_hook[] = "echo \"$SECTUN_TRAP\" >> $0.ran\n";

static int
count_lines(const char *path, const char *word)
{
	char	 buf[4096], *p, *nl;
	int	 n = 0;

	if (file_read(path, buf, sizeof(buf)) < 0)
		return 0;
	for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		*nl = '\0';
		n += strcmp(p, word) == 0;
	}
	return n;
}

static int
newlines(const char *s)
{
	int	 n = 0;

	for (; (s = strchr(s, '\n')) != NULL; s++)
		n++;
	return n;
}

static int
ran(const char *hook, const char *event)
{
	char	 p[450];

	snprintf(p, sizeof(p), "%s.ran", hook);
	return count_lines(p, event);
}

/* ---- the environment ---- */

#define ENV_MAX	64

struct envdump {
	char	 buf[16384];
	char	*name[ENV_MAX], *value[ENV_MAX];
	int	 n;
};

/* The hook's environment as the kernel gave it (/proc/PID/environ: what
 * posix_spawn passed, before the shell adds anything). */
static const char env_hook[] =
    "cat /proc/$$/environ > @D/environ.tmp\n"
    "mv @D/environ.tmp @D/environ\n";

static void
env_load(struct envdump *d)
{
	ssize_t	 len, i = 0;
	char	*eq;

	ck_assert_int_eq(file_wait("environ", 5000), 0);
	len = file_read(tmp_file("environ"), d->buf, sizeof(d->buf));
	ck_assert_int_gt(len, 0);
	d->n = 0;
	while (i < len) {
		char *s = d->buf + i;

		i += (ssize_t)strlen(s) + 1;
		ck_assert_int_lt(d->n, ENV_MAX);
		ck_assert_ptr_nonnull(eq = strchr(s, '='));
		*eq = '\0';
		d->name[d->n] = s;
		d->value[d->n++] = eq + 1;
	}
}

static const char *
env_get(const struct envdump *d, const char *name)
{
	int	 i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->name[i], name) == 0)
			return d->value[i];
	return NULL;
}

static const char *const env_names[] = { "PATH", "SECTUN_TRAP",
    "SECTUN_TRAP_OID", "SECTUN_TUNNEL", "SECTUN_IFNAME", "SECTUN_IFINDEX",
    "SECTUN_IF_ID", "SECTUN_OPERATIONAL_VR", "SECTUN_TRANSPORT_VR",
    "SECTUN_LOCAL_ADDR", "SECTUN_PEER_ADDR", "SECTUN_PEER_PORT",
    "SECTUN_LOCAL_ID", "SECTUN_PEER_ID", "SECTUN_ACTIVE_DESTINATION",
    "SECTUN_REASON", "SECTUN_TIME" };

/* Exactly the variables of CLI.md, each once, and PATH. */
static void
env_assert_names(const struct envdump *d)
{
	size_t	 i;
	int	 j, seen;

	ck_assert_int_eq(d->n, (int)nitems(env_names));
	for (i = 0; i < nitems(env_names); i++) {
		seen = 0;
		for (j = 0; j < d->n; j++)
			seen += strcmp(d->name[j], env_names[i]) == 0;
		ck_assert_msg(seen == 1, "%s seen %d times", env_names[i],
		    seen);
	}
}

static void
env_assert_time(const struct envdump *d)
{
	const char	*ts = env_get(d, "SECTUN_TIME");
	regex_t		 re;
	struct tm	 tm;
	time_t		 when;

	ck_assert_ptr_nonnull(ts);
	ck_assert_int_eq(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T"
	    "[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", REG_EXTENDED | REG_NOSUB), 0);
	ck_assert_msg(regexec(&re, ts, 0, NULL, 0) == 0, "SECTUN_TIME %s", ts);
	regfree(&re);
	memset(&tm, 0, sizeof(tm));
	ck_assert_ptr_nonnull(strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm));
	when = timegm(&tm);
	ck_assert_msg(when >= time(NULL) - 10 && when <= time(NULL) + 1,
	    "SECTUN_TIME %s is not now (UTC)", ts);
}

static struct envdump	 env;

START_TEST(test_trap_environment_exact)
{
	struct traps	*t;
	struct trap_vars v;
	const char	*path = hook_write("env", env_hook);
	static const struct {
		const char *name, *value;
	} want[] = {
		{ "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
		    "/sbin:/bin" },
		{ "SECTUN_TRAP", "peer-dead" },
		{ "SECTUN_TRAP_OID", "1.3.6.1.4.1.32473.0.2" },
		{ "SECTUN_TUNNEL", "wan1" },
		{ "SECTUN_IFNAME", "ipsec-wan1" },
		{ "SECTUN_IFINDEX", "42" },
		{ "SECTUN_IF_ID", "7" },
		{ "SECTUN_OPERATIONAL_VR", "red" },
		{ "SECTUN_TRANSPORT_VR", "internet" },
		{ "SECTUN_LOCAL_ADDR", "192.0.2.1" },
		{ "SECTUN_PEER_ADDR", "2001:db8::2" },
		{ "SECTUN_PEER_PORT", "4500" },
		{ "SECTUN_LOCAL_ID", "fqdn:r1.example.net" },
		{ "SECTUN_PEER_ID", "user-fqdn:ops@example.net" },
		{ "SECTUN_ACTIVE_DESTINATION", "backup" },
		{ "SECTUN_REASON", "DPD: 5 probes unanswered" },
	};
	size_t		 i;

	/* nothing of the caller's environment may get through */
	setenv("HOME", "/root", 1);
	setenv("SECTUN_LEAK", "1", 1);
	setenv("LD_PRELOAD", "", 1);
	/* SECTUN_TIME is UTC whatever the daemon's time zone */
	setenv("TZ", "XST-5:30", 1);
	tzset();
	hook_config(path, NULL);
	ck_assert_ptr_nonnull(t = trap_new(5000));
	vars_full(&v, TRAP_PEER_DEAD);
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 1);
	ck_assert_uint_eq(reap_until_idle(t, 5000), 0);
	env_load(&env);
	env_assert_names(&env);
	for (i = 0; i < nitems(want); i++) {
		const char *got = env_get(&env, want[i].name);

		ck_assert_msg(got != NULL && strcmp(got, want[i].value) == 0,
		    "%s=%s, want %s", want[i].name, got ? got : "(unset)",
		    want[i].value);
	}
	env_assert_time(&env);
	ck_assert_msg(!log_has("trap hook"), "a clean run logged: %s",
	    log_text());
	trap_free(t);
}
END_TEST

/* An IKE SA event: every variable is still there, empty when it does not
 * apply; numbers are empty when 0. */
START_TEST(test_trap_environment_empty)
{
	struct traps	*t;
	struct trap_vars v;
	const char	*path = hook_write("env", env_hook);
	size_t		 i;

	hook_config(path, "ike-up");
	ck_assert_ptr_nonnull(t = trap_new(5000));
	memset(&v, 0, sizeof(v));
	v.event = TRAP_IKE_UP;
	str_copy(v.peer_addr, "198.51.100.2", sizeof(v.peer_addr));
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 1);
	ck_assert_uint_eq(reap_until_idle(t, 5000), 0);
	env_load(&env);
	env_assert_names(&env);
	ck_assert_str_eq(env_get(&env, "SECTUN_TRAP"), "ike-up");
	ck_assert_str_eq(env_get(&env, "SECTUN_TRAP_OID"),
	    "1.3.6.1.4.1.32473.0.3");
	ck_assert_str_eq(env_get(&env, "SECTUN_PEER_ADDR"), "198.51.100.2");
	for (i = 0; i < nitems(env_names); i++) {
		const char *n = env_names[i];

		if (strcmp(n, "PATH") == 0 || strcmp(n, "SECTUN_TRAP") == 0 ||
		    strcmp(n, "SECTUN_TRAP_OID") == 0 ||
		    strcmp(n, "SECTUN_PEER_ADDR") == 0 ||
		    strcmp(n, "SECTUN_TIME") == 0)
			continue;
		ck_assert_msg(strcmp(env_get(&env, n), "") == 0, "%s=%s", n,
		    env_get(&env, n));
	}
	env_assert_time(&env);
	trap_free(t);
}
END_TEST

/* Peers choose identities and some reasons: control characters become '?'
 * (a newline must not forge a second line in a log or a trap). */
START_TEST(test_trap_environment_sanitized)
{
	struct traps	*t;
	struct trap_vars v;
	const char	*path = hook_write("env", env_hook);

	hook_config(path, "auth-failure");
	ck_assert_ptr_nonnull(t = trap_new(5000));
	vars_full(&v, TRAP_AUTH_FAILURE);
	str_copy(v.peer_id, "fqdn:evil\n.example\x1b[31m", sizeof(v.peer_id));
	str_copy(v.local_id, "dn:CN=r1\r", sizeof(v.local_id));
	str_copy(v.reason, "bad\tAUTH\x7f from \x01peer\xc3\xa9",
	    sizeof(v.reason));
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 1);
	ck_assert_uint_eq(reap_until_idle(t, 5000), 0);
	env_load(&env);
	env_assert_names(&env);
	ck_assert_str_eq(env_get(&env, "SECTUN_PEER_ID"),
	    "fqdn:evil?.example?[31m");
	ck_assert_str_eq(env_get(&env, "SECTUN_LOCAL_ID"), "dn:CN=r1?");
	/* UTF-8 is not a control character */
	ck_assert_str_eq(env_get(&env, "SECTUN_REASON"),
	    "bad?AUTH? from ?peer\xc3\xa9");
	trap_free(t);
}
END_TEST

/* A field filled to its last byte without a terminator does not run over
 * into the next one. */
START_TEST(test_trap_environment_unterminated)
{
	struct traps	*t;
	struct trap_vars v;
	const char	*path = hook_write("env", env_hook);
	const char	*got;

	hook_config(path, NULL);
	ck_assert_ptr_nonnull(t = trap_new(5000));
	vars_full(&v, TRAP_REKEY);
	memset(v.reason, 'r', sizeof(v.reason));
	memset(v.active, 'a', sizeof(v.active));
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 1);
	ck_assert_uint_eq(reap_until_idle(t, 5000), 0);
	env_load(&env);
	env_assert_names(&env);
	got = env_get(&env, "SECTUN_REASON");
	ck_assert_uint_eq(strlen(got), sizeof(v.reason) - 1);
	ck_assert_uint_eq(strspn(got, "r"), sizeof(v.reason) - 1);
	got = env_get(&env, "SECTUN_ACTIVE_DESTINATION");
	ck_assert_uint_eq(strlen(got), sizeof(v.active) - 1);
	ck_assert_uint_eq(strspn(got, "a"), sizeof(v.active) - 1);
	trap_free(t);
}
END_TEST

/* ---- what else the hook inherits ---- */

/* This program is its own probe hook: run by trap_raise (SECTUN_TRAP is
 * set) it writes to ARGV0.out what it inherited, as an ELF process with no
 * shell in between (a shell resets its signal mask, and has descriptors of
 * its own). */
static int
probe_main(int argc, char **argv)
{
	char		 out[4096], tmp[4100], link[256], path[300];
	char		 status[4096];
	char		*line;
	FILE		*f;
	DIR		*d;
	struct dirent	*de;
	ssize_t		 n;

	snprintf(out, sizeof(out), "%s.out", argv[0]);
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	/* the descriptors first, before stdio opens any */
	if ((d = opendir("/proc/self/fd")) == NULL)
		return 2;
	n = 0;
	link[0] = '\0';
	status[0] = '\0';
	while ((de = readdir(d)) != NULL) {
		char one[600];
		ssize_t len;

		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		if ((len = readlink(path, link, sizeof(link) - 1)) < 0)
			len = 0;
		link[len] = '\0';
		snprintf(one, sizeof(one), "fd %s %s\n", de->d_name, link);
		str_copy(status + n, one, sizeof(status) - (size_t)n);
		n += (ssize_t)strlen(status + n);
	}
	closedir(d);
	if ((f = fopen(tmp, "w")) == NULL)
		return 2;
	fputs(status, f);
	fprintf(f, "argc %d\nargv0 %s\npid %d\npgid %d\n", argc, argv[0],
	    (int)getpid(), (int)getpgid(0));
	if (file_read("/proc/self/status", status, sizeof(status)) > 0)
		for (line = strtok(status, "\n"); line != NULL;
		    line = strtok(NULL, "\n"))
			if (strncmp(line, "SigBlk:", 7) == 0 ||
			    strncmp(line, "SigIgn:", 7) == 0)
				fprintf(f, "%.7s %s\n", line,
				    line + 7 + strspn(line + 7, " \t"));
	fprintf(f, "stdin %zd\n", read(0, link, sizeof(link)));
	fclose(f);
	return rename(tmp, out) == 0 ? 0 : 2;
}

/* A line "KEY VALUE" of the probe's report; NULL if none. */
static const char *
probe_get(char *report, const char *key, char *val, size_t size)
{
	char	*p = report, *nl;
	size_t	 klen = strlen(key);

	for (; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ') {
			size_t len = nl != NULL ? (size_t)(nl - p) - klen - 1 :
			    strlen(p + klen + 1);

			if (len >= size)
				len = size - 1;
			memcpy(val, p + klen + 1, len);
			val[len] = '\0';
			return val;
		}
	}
	return NULL;
}

START_TEST(test_trap_process)
{
	struct traps	*t;
	struct trap_vars v;
	char		 self[400], probe[400], report[4096], val[400];
	char		 want[512], *p;
	int		 leak, lp[2], nfd = 0;
	ssize_t		 n;
	unsigned long long bits;
	sigset_t	 set;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ck_assert_int_gt(n, 0);
	self[n] = '\0';
	snprintf(probe, sizeof(probe), "%s/probe", tmp_dir);
	ck_assert_int_eq(symlink(self, probe), 0);
	hook_config(probe, "tunnel-up");
	/* what the daemon might have open without O_CLOEXEC, and signals it
	 * blocks or ignores: none of it reaches the hook */
	ck_assert_int_ne(leak = open("/dev/null", O_RDONLY), -1);
	ck_assert_int_eq(pipe(lp), 0);
	ck_assert_int_eq(dup2(leak, 77), 77);
	ck_assert_int_eq(dup2(lp[1], 78), 78);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	ck_assert_ptr_nonnull(t = trap_new(5000));
	vars_full(&v, TRAP_TUNNEL_UP);
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 1);
	ck_assert_uint_eq(reap_until_idle(t, 10000), 0);
	ck_assert_msg(!log_has("warning"), "%s", log_text());
	ck_assert_int_eq(file_wait("probe.out", 5000), 0);
	ck_assert_int_gt(file_read(tmp_file("probe.out"), report,
	    sizeof(report)), 0);
	/* argv is { path } */
	ck_assert_str_eq(probe_get(report, "argc", val, sizeof(val)), "1");
	ck_assert_str_eq(probe_get(report, "argv0", val, sizeof(val)), probe);
	/* its own process group */
	ck_assert_str_eq(probe_get(report, "pgid", want, sizeof(want)),
	    probe_get(report, "pid", val, sizeof(val)));
	/* nothing blocked, nothing ignored */
	ck_assert_ptr_nonnull(probe_get(report, "SigBlk:", val, sizeof(val)));
	bits = strtoull(val, NULL, 16);
	ck_assert_msg(bits == 0, "blocked signals %llx", bits);
	ck_assert_ptr_nonnull(probe_get(report, "SigIgn:", val, sizeof(val)));
	/* glibc's posix_spawn leaves its own two internal signals (32 and
	 * 33, below SIGRTMIN) ignored; no application can use them */
	bits = strtoull(val, NULL, 16) & ~(((1ULL << (SIGRTMIN - 1)) - 1) &
	    ~((1ULL << 31) - 1));
	ck_assert_msg(bits == 0, "ignored signals %llx", bits);
	/* 0, 1 and 2 only: /dev/null, /dev/null, the pipe for stderr */
	ck_assert_str_eq(probe_get(report, "fd 0", val, sizeof(val)),
	    "/dev/null");
	ck_assert_str_eq(probe_get(report, "fd 1", val, sizeof(val)),
	    "/dev/null");
	ck_assert_ptr_nonnull(probe_get(report, "fd 2", val, sizeof(val)));
	ck_assert_msg(strncmp(val, "pipe:", 5) == 0, "fd 2 is %s", val);
	for (p = report; (p = strstr(p, "fd ")) != NULL; p++)
		if (p == report || p[-1] == '\n')
			nfd++;
	ck_assert_msg(nfd == 3, "%d descriptors inherited:\n%s", nfd, report);
	/* stdin is at its end at once */
	ck_assert_str_eq(probe_get(report, "stdin", val, sizeof(val)), "0");
	close(77);
	close(78);
	close(leak);
	close(lp[0]);
	close(lp[1]);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	trap_free(t);
}
END_TEST

/* ---- which hooks run ---- */

START_TEST(test_trap_event_filter)
{
	struct traps	*t;
	struct trap_vars v;
	const char	*listed = hook_write("listed", mark_hook);
	const char	*every = hook_write("every", mark_hook);
	const char	*rekey = hook_write("rekey", mark_hook);
	const char	*all_word = hook_write("allword", mark_hook);
	enum trap_event	 ev;
	char		 line[500];

	hook_config(listed, "tunnel-up peer-dead");
	hook_config(every, NULL);
	hook_config(rekey, "rekey");
	hook_config(all_word, "failover all");
	/* a list edited by hand: words match whole names only */
	ck_assert_int_eq(store_exec(clirun_store(cr), "INSERT INTO trap_hook "
	    "(path, events) VALUES (?, ?)", "ss", hook_write("partial",
	    mark_hook), " tunnel ike-u  rekey- al failover-x"), 0);
	ck_assert_ptr_nonnull(t = trap_new(5000));
	for (ev = 0; ev < TRAP_EVENT_COUNT; ev++) {
		int want = 2 + (ev == TRAP_TUNNEL_UP || ev == TRAP_PEER_DEAD) +
		    (ev == TRAP_REKEY);

		vars_full(&v, ev);
		ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v,
		    mono_ms()), want);
		ck_assert_uint_eq(reap_until_idle(t, 5000), 0);
	}
	for (ev = 0; ev < TRAP_EVENT_COUNT; ev++) {
		const char *n = trap_event_name(ev);

		ck_assert_int_eq(ran(every, n), 1);
		ck_assert_int_eq(ran(all_word, n), 1);
		ck_assert_msg(ran(listed, n) == (ev == TRAP_TUNNEL_UP ||
		    ev == TRAP_PEER_DEAD), "listed hook on %s", n);
		ck_assert_msg(ran(rekey, n) == (ev == TRAP_REKEY),
		    "rekey hook on %s", n);
	}
	/* "tunnel-up" does not match "tunnel-down", nor a part of a name */
	ck_assert_int_eq(ran(listed, "tunnel-down"), 0);
	ck_assert_int_eq(access(tmp_file("partial.ran"), F_OK), -1);
	/* removed: runs no more */
	snprintf(line, sizeof(line), "no ipsec trap-hook %s", every);
	ck_assert_int_ne(clirun(cr, line), CTL_STATUS_ERROR);
	vars_full(&v, TRAP_IKE_DOWN);
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 1);
	ck_assert_uint_eq(reap_until_idle(t, 5000), 0);
	ck_assert_int_eq(ran(every, "ike-down"), 1);
	ck_assert_int_eq(ran(all_word, "ike-down"), 2);
	trap_free(t);
}
END_TEST

START_TEST(test_trap_no_hooks)
{
	struct traps	*t;
	struct trap_vars v;

	ck_assert_ptr_nonnull(t = trap_new(5000));
	vars_full(&v, TRAP_TUNNEL_DOWN);
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 0);
	ck_assert_uint_eq(trap_running(t), 0);
	v.event = TRAP_EVENT_COUNT;
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 0);
	/* a table that cannot be read is said, once, and runs nothing */
	v.event = TRAP_PEER_DEAD;
	ck_assert_int_eq(store_exec(clirun_store(cr), "DROP TABLE trap_hook",
	    ""), 0);
	clirun_store(cr)->read_failed = 0;
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 0);
	ck_assert_msg(log_has("warning: trap: peer-dead: cannot read the trap "
	    "hooks: "), "%s", log_text());
	trap_free(t);
	/* NULL runs nothing */
	trap_free(NULL);
	trap_set_debug(NULL, 1);
	trap_reap(NULL, mono_ms());
	ck_assert_uint_eq(trap_running(NULL), 0);
	vars_full(&v, TRAP_TUNNEL_DOWN);
	ck_assert_int_eq(trap_raise(NULL, clirun_store(cr), &v, mono_ms()), 0);
}
END_TEST

/* ---- failures are logged, and nothing else happens ---- */

START_TEST(test_trap_failures)
{
	struct traps	*t;
	struct trap_vars v;
	const char	*fails = hook_write("fails",
	    "echo 'snmptrap: Unknown host (nms.example)' >&2\n"
	    "echo 'second line' >&2\nexit 3\n");
	const char	*sig = hook_write("signal", "kill -TERM $$\nsleep 5\n");
	const char	*noexec = hook_write_mode("noexec", "exit 0\n", 0644);
	const char	*good = hook_write("good", mark_hook);
	char		 missing[400], want[600];

	snprintf(missing, sizeof(missing), "%s/missing", tmp_dir);
	hook_config(fails, NULL);
	hook_config(sig, NULL);
	hook_config(noexec, NULL);
	hook_config(missing, NULL);
	hook_config(good, NULL);
	ck_assert_ptr_nonnull(t = trap_new(5000));
	vars_full(&v, TRAP_FAILOVER);
	/* the two that cannot be run are refused at once */
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 3);
	ck_assert_uint_eq(reap_until_idle(t, 5000), 0);
	ck_assert_int_eq(ran(good, "failover"), 1);
	snprintf(want, sizeof(want), "warning: trap hook %s (failover, pid ",
	    fails);
	ck_assert_msg(log_has(want), "%s", log_text());
	ck_assert_msg(log_has("): exited with status 3: snmptrap: Unknown "
	    "host (nms.example)\n"), "%s", log_text());
	ck_assert_msg(!log_has("second line"), "%s", log_text());
	snprintf(want, sizeof(want), "warning: trap hook %s (failover, pid ",
	    sig);
	ck_assert_msg(log_has(want), "%s", log_text());
	ck_assert_msg(log_has("): killed by signal 15 (Terminated)"), "%s",
	    log_text());
	snprintf(want, sizeof(want), "warning: trap hook %s (failover): cannot "
	    "run: Permission denied", noexec);
	ck_assert_msg(log_has(want), "%s", log_text());
	snprintf(want, sizeof(want), "warning: trap hook %s (failover): cannot "
	    "run: No such file or directory", missing);
	ck_assert_msg(log_has(want), "%s", log_text());
	snprintf(want, sizeof(want), "trap hook %s", good);
	ck_assert_msg(!log_has(want), "%s", log_text());
	/* and the next event runs them all again */
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 3);
	ck_assert_uint_eq(reap_until_idle(t, 5000), 0);
	ck_assert_int_eq(ran(good, "failover"), 2);
	trap_free(t);
}
END_TEST

START_TEST(test_trap_debug)
{
	struct traps	*t;
	struct trap_vars v;
	const char	*good = hook_write("good", "echo 'sent' >&2\n");
	char		 want[600];

	hook_config(good, NULL);
	ck_assert_ptr_nonnull(t = trap_new(5000));
	trap_set_debug(t, 1);
	vars_full(&v, TRAP_PEER_DEAD);
	str_copy(v.reason, "DPD\nforged", sizeof(v.reason));
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 1);
	ck_assert_uint_eq(reap_until_idle(t, 5000), 0);
	snprintf(want, sizeof(want), "info: trap hook %s: peer-dead, tunnel "
	    "wan1, reason DPD?forged: pid ", good);
	ck_assert_msg(log_has(want), "%s", log_text());
	ck_assert_msg(log_has("): done: sent\n"), "%s", log_text());
	ck_assert_msg(!log_has("warning"), "%s", log_text());
	trap_free(t);
}
END_TEST

/* ---- the time limit ---- */

START_TEST(test_trap_timeout_kills_group)
{
	struct traps	*t;
	struct trap_vars v;
	const char	*hang = hook_write("hang",
	    "sleep 1000 &\necho $! > @D/child.tmp; mv @D/child.tmp @D/child\n"
	    "echo $$ > @D/leader.tmp; mv @D/leader.tmp @D/leader\n"
	    "while :; do sleep 1000; done\n");
	int64_t		 start, killed_at = 0, due, end;
	pid_t		 child, leader;
	char		 want[600];

	hook_config(hang, "tunnel-down");
	ck_assert_ptr_nonnull(t = trap_new(300));
	vars_full(&v, TRAP_TUNNEL_DOWN);
	start = mono_ms();
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, start), 1);
	ck_assert_msg(mono_ms() - start < 200, "trap_raise waited %lld ms",
	    (long long)(mono_ms() - start));
	/* no trap_reap meanwhile: it cannot be killed before it has said */
	ck_assert_int_eq(file_wait("child", 5000), 0);
	ck_assert_int_eq(file_wait("leader", 5000), 0);
	child = pid_from("child");
	leader = pid_from("leader");
	ck_assert_int_gt(child, 0);
	ck_assert_int_gt(leader, 0);
	due = start + 300 > mono_ms() ? start + 300 : mono_ms();
	end = due + 3000;
	while (mono_ms() < end) {
		trap_reap(t, mono_ms());
		if (killed_at == 0 && log_has("still running"))
			killed_at = mono_ms();
		if (trap_running(t) == 0)
			break;
		/* not before its time */
		if (mono_ms() - start < 290)
			ck_assert_uint_eq(trap_running(t), 1);
		sleep_ms(20);
	}
	ck_assert_uint_eq(trap_running(t), 0);
	ck_assert_int_ge(killed_at - start, 300);
	ck_assert_int_lt(killed_at - due, 700);	/* at the first reap due */
	snprintf(want, sizeof(want), "warning: trap hook %s (tunnel-down, pid "
	    "%d): still running after 300 ms: killed with its process group",
	    hang, (int)leader);
	ck_assert_msg(log_has(want), "%s", log_text());
	ck_assert_msg(!log_has("killed by signal"), "logged twice: %s",
	    log_text());
	ck_assert_msg(pid_dead(leader), "leader %d alive", (int)leader);
	ck_assert_msg(pid_dead_within(child, 2000), "the hook's child %d "
	    "survived", (int)child);
	trap_free(t);
}
END_TEST

/* The limit counts from the start on the caller's clock, whatever it is. */
START_TEST(test_trap_timeout_clock)
{
	struct traps	*t;
	struct trap_vars v;
	const char	*hang = hook_write("hang", "exec sleep 1000\n");

	hook_config(hang, NULL);
	ck_assert_ptr_nonnull(t = trap_new(TRAP_TIMEOUT_MS));
	vars_full(&v, TRAP_IKE_DOWN);
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, 1000), 1);
	trap_reap(t, 1000 + TRAP_TIMEOUT_MS - 1);
	sleep_ms(50);
	trap_reap(t, 1000 + TRAP_TIMEOUT_MS - 1);
	ck_assert_uint_eq(trap_running(t), 1);
	ck_assert(!log_has("still running"));
	trap_reap(t, 1000 + TRAP_TIMEOUT_MS);
	ck_assert(log_has("still running after 10000 ms"));
	sleep_ms(50);
	trap_reap(t, 1000 + TRAP_TIMEOUT_MS + TRAP_REAP_MS);
	ck_assert_uint_eq(reap_until_idle(t, 2000), 0);
	trap_free(t);
}
END_TEST

/* ---- the cap, and trap_free ---- */

START_TEST(test_trap_cap_and_free)
{
	struct traps	*t;
	struct trap_vars v;
	const char	*hang = hook_write("hang",
	    "sleep 1000 &\necho \"$$ $!\" >> @D/pids\nexec sleep 1000\n");
	char		 buf[8192], *p, want[600];
	int		 i, n = 0;
	int64_t		 start;
	pid_t		 pids[2 * TRAP_MAX_RUNNING + 2];

	hook_config(hang, NULL);
	ck_assert_ptr_nonnull(t = trap_new(60000));
	vars_full(&v, TRAP_IKE_UP);
	start = mono_ms();
	for (i = 0; i < TRAP_MAX_RUNNING; i++)
		ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v,
		    mono_ms()), 1);
	ck_assert_uint_eq(trap_running(t), TRAP_MAX_RUNNING);
	/* one more is refused (and said), not waited for */
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 0);
	ck_assert_msg(mono_ms() - start < 2000, "%lld ms for %d starts",
	    (long long)(mono_ms() - start), TRAP_MAX_RUNNING + 1);
	snprintf(want, sizeof(want), "warning: trap hook %s (ike-up): not run: "
	    "%d hooks are running already", hang, TRAP_MAX_RUNNING);
	ck_assert_msg(log_has(want), "%s", log_text());
	ck_assert_uint_eq(trap_running(t), TRAP_MAX_RUNNING);
	/* every hook has said who it is and what it started */
	for (i = 0; i < 500; i++) {
		if (file_read(tmp_file("pids"), buf, sizeof(buf)) > 0 &&
		    newlines(buf) == TRAP_MAX_RUNNING)
			break;
		sleep_ms(10);
	}
	n = 0;
	for (p = buf; n < (int)nitems(pids); ) {
		char *end;
		long a = strtol(p, &end, 10);

		if (end == p)
			break;
		pids[n++] = (pid_t)a;
		p = end;
	}
	ck_assert_int_eq(n, 2 * TRAP_MAX_RUNNING);
	trap_reap(t, mono_ms());
	ck_assert_uint_eq(trap_running(t), TRAP_MAX_RUNNING);
	trap_free(t);
	for (i = 0; i < n; i++)
		ck_assert_msg(pid_dead_within(pids[i], 2000), "pid %d survived "
		    "trap_free", (int)pids[i]);
	/* the leaders are reaped by trap_free itself, not left as zombies */
	for (i = 0; i < n; i += 2) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d", (int)pids[i]);
		ck_assert_msg(access(path, F_OK) == -1, "leader %d not reaped",
		    (int)pids[i]);
	}
}
END_TEST

/* A slot is free again as soon as its hook has ended. */
START_TEST(test_trap_cap_frees)
{
	struct traps	*t;
	struct trap_vars v;
	const char	*quick = hook_write("quick", "exit 0\n");
	int		 i;

	hook_config(quick, NULL);
	ck_assert_ptr_nonnull(t = trap_new(5000));
	vars_full(&v, TRAP_REKEY);
	for (i = 0; i < 3 * TRAP_MAX_RUNNING; i++) {
		ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v,
		    mono_ms()), 1);
		if (trap_running(t) == TRAP_MAX_RUNNING)
			ck_assert_uint_eq(reap_until_idle(t, 5000), 0);
	}
	ck_assert_uint_eq(reap_until_idle(t, 5000), 0);
	ck_assert_msg(!log_has("warning"), "%s", log_text());
	trap_free(t);
}
END_TEST

/* ---- names and OIDs ---- */

START_TEST(test_trap_names_oids)
{
	static const struct {
		enum trap_event	 ev;
		const char	*name, *oid;
	} want[] = {
		{ TRAP_TUNNEL_UP, "tunnel-up", "1.3.6.1.6.3.1.1.5.4" },
		{ TRAP_TUNNEL_DOWN, "tunnel-down", "1.3.6.1.6.3.1.1.5.3" },
		{ TRAP_FAILOVER, "failover", "1.3.6.1.4.1.32473.0.1" },
		{ TRAP_PEER_DEAD, "peer-dead", "1.3.6.1.4.1.32473.0.2" },
		{ TRAP_IKE_UP, "ike-up", "1.3.6.1.4.1.32473.0.3" },
		{ TRAP_IKE_DOWN, "ike-down", "1.3.6.1.4.1.32473.0.4" },
		{ TRAP_AUTH_FAILURE, "auth-failure", "1.3.6.1.4.1.32473.0.5" },
		{ TRAP_NEGOTIATION_FAILURE, "negotiation-failure",
		    "1.3.6.1.4.1.32473.0.6" },
		{ TRAP_REKEY, "rekey", "1.3.6.1.4.1.32473.0.7" },
	};
	size_t	 i;

	ck_assert_int_eq(nitems(want), TRAP_EVENT_COUNT);
	for (i = 0; i < nitems(want); i++) {
		ck_assert_str_eq(trap_event_name(want[i].ev), want[i].name);
		ck_assert_str_eq(trap_event_oid(want[i].ev), want[i].oid);
	}
	ck_assert_ptr_null(trap_event_name(TRAP_EVENT_COUNT));
	ck_assert_ptr_null(trap_event_oid(TRAP_EVENT_COUNT));
	ck_assert_ptr_null(trap_event_name((enum trap_event)-1));
}
END_TEST

/* ---- the sample hook, through trap_raise ---- */

/* Run by tests/hook_snmp.sh, which names a copy of hooks/sectun-snmptrap
 * (next to a .conf aiming at its snmptrapd) and then looks for the
 * notification: the daemon's clean environment is enough for the hook. */
START_TEST(test_trap_sample_hook)
{
	struct traps	*t;
	struct trap_vars v;
	const char	*hook = getenv("SECTUN_TEST_SNMP_HOOK");

	ck_assert_ptr_nonnull(hook);
	hook_config(hook, "auth-failure");
	ck_assert_ptr_nonnull(t = trap_new(TRAP_TIMEOUT_MS));
	vars_full(&v, TRAP_AUTH_FAILURE);
	str_copy(v.tunnel, "", sizeof(v.tunnel));
	str_copy(v.peer_id, "fqdn:evil\n.example", sizeof(v.peer_id));
	str_copy(v.reason, "AUTHENTICATION_FAILED from 2001:db8::2",
	    sizeof(v.reason));
	ck_assert_int_eq(trap_raise(t, clirun_store(cr), &v, mono_ms()), 1);
	ck_assert_uint_eq(reap_until_idle(t, TRAP_TIMEOUT_MS), 0);
	ck_assert_msg(!log_has("warning"), "%s", log_text());
	trap_free(t);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	if (getenv("SECTUN_TRAP") != NULL)	/* run as a hook */
		return probe_main(argc, argv);
	s = suite_create("trap");
	tc = tcase_create("trap");

	tcase_add_unchecked_fixture(tc, tmp_base_make, tmp_base_remove);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_trap_names_oids);
	tcase_add_test(tc, test_trap_environment_exact);
	tcase_add_test(tc, test_trap_environment_empty);
	tcase_add_test(tc, test_trap_environment_sanitized);
	tcase_add_test(tc, test_trap_environment_unterminated);
	tcase_add_test(tc, test_trap_process);
	tcase_add_test(tc, test_trap_event_filter);
	tcase_add_test(tc, test_trap_no_hooks);
	tcase_add_test(tc, test_trap_failures);
	tcase_add_test(tc, test_trap_debug);
	tcase_add_test(tc, test_trap_timeout_kills_group);
	tcase_add_test(tc, test_trap_timeout_clock);
	tcase_add_test(tc, test_trap_cap_and_free);
	tcase_add_test(tc, test_trap_cap_frees);
	suite_add_tcase(s, tc);
	if (getenv("SECTUN_TEST_SNMP_HOOK") != NULL) {
		tc = tcase_create("snmp");
		tcase_add_unchecked_fixture(tc, tmp_base_make, tmp_base_remove);
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, test_trap_sample_hook);
		suite_add_tcase(s, tc);
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
