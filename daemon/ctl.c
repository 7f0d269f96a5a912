/* ctl: one control-socket session: the hello line, then either libcli's
 * interactive loop or the batch protocol of ctlproto.h. */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/time.h>

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cmd.h"
#include "ctlproto.h"
#include "log.h"
#include "util.h"

struct daemon *
daemon_new(struct store *st, const char *hostname)
{
	struct daemon *d;
	pthread_mutexattr_t attr;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	/* recursive: "do" and completors run commands from inside commands */
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&d->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	d->st = st;
	str_copy(d->default_hostname, hostname, sizeof(d->default_hostname));
	return d;
}

void
daemon_free(struct daemon *d)
{
	if (d == NULL)
		return;
	pthread_mutex_destroy(&d->lock);
	free(d);
}

void
daemon_hostname(struct daemon *d, char *out, size_t size)
{
	if (store_text(d->st, out, size, "SELECT hostname FROM system", "")
	    == -1)
		str_copy(out, d->default_hostname, size);
}

/* cli_loop() starts every session unprivileged (libcli 1.10.7, no option to
 * change it), but root's sessions land in privileged exec (CLI.md). libcli
 * calls cli_set_privilege() through its PLT, so the daemon's definition
 * below is the one it reaches: the session thread arms a one-shot value for
 * the call cli_loop makes at its start. */
static __thread int ctl_priv_once = -1;

int
cli_set_privilege(struct cli_def *cli, int priv)
{
	static int (*real)(struct cli_def *, int);
	int	(*fn)(struct cli_def *, int);

	if ((fn = __atomic_load_n(&real, __ATOMIC_ACQUIRE)) == NULL) {
		*(void **)&fn = dlsym(RTLD_NEXT, "cli_set_privilege");
		if (fn == NULL)
			return cli->privilege;
		__atomic_store_n(&real, fn, __ATOMIC_RELEASE);
	}
	if (ctl_priv_once != -1) {
		priv = ctl_priv_once;
		ctl_priv_once = -1;
	}
	return fn(cli, priv);
}

/* Reads one line (without "\n", "\r") into buf; -1 on EOF or error. */
static int
ctl_read_line(int fd, char *buf, size_t size)
{
	size_t	 n = 0;
	char	 ch;
	ssize_t	 r;

	for (;;) {
		r = read(fd, &ch, 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (n == 0)
				return -1;
			break;		/* a last line without its newline */
		}
		if (ch == '\n')
			break;
		if (n + 1 >= size)
			return -1;	/* longer than any command may be */
		buf[n++] = ch;
	}
	while (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 0;
}

static int
ctl_is_comment(const char *line)
{
	line += strspn(line, " \t");
	return *line == '\0' || *line == '!';
}

int
ctl_run_line(struct cli_def *cli, char *line, char **out, size_t *outlen)
{
	FILE	*f;
	int	 rc;
	size_t	 i, j;

	*out = NULL;
	*outlen = 0;
	if (ctl_is_comment(line))
		return CTL_STATUS_OK;
	if ((f = open_memstream(out, outlen)) == NULL)
		return CTL_STATUS_ERROR;
	cli->client = f;
	rc = cli_run_command(cli, line);
	cli->client = NULL;
	fclose(f);
	for (i = j = 0; i < *outlen; i++)	/* libcli ends lines "\r\n" */
		if ((*out)[i] != '\r')
			(*out)[j++] = (*out)[i];
	if (*out != NULL)
		(*out)[j] = '\0';
	*outlen = j;
	if (rc == CLI_QUIT)
		return CTL_STATUS_END;
	return rc == CLI_OK ? CTL_STATUS_OK : CTL_STATUS_ERROR;
}

static void
ctl_batch(struct cli_def *cli, int fd)
{
	char	 line[CTL_LINE_MAX], hdr[64];
	char	*out;
	size_t	 outlen;
	int	 status, rc;

	while (ctl_read_line(fd, line, sizeof(line)) == 0) {
		status = ctl_run_line(cli, line, &out, &outlen);
		snprintf(hdr, sizeof(hdr), "%d %zu\n", status, outlen);
		rc = fd_write_all(fd, hdr, strlen(hdr)) == -1 ||
		    fd_write_all(fd, out ? out : "", outlen) == -1;
		/* a line may carry a key: leave no copy behind */
		OPENSSL_cleanse(line, sizeof(line));
		secure_free(out, outlen);
		if (rc || status == CTL_STATUS_END)
			break;
	}
	close(fd);
}

/* Non-root members of the socket's group get user exec, without enable:
 * libcli's own enable would take the next batch line as a password. */
static int
ctl_enable_refused(struct cli_def *cli, const char *command, char **argv,
    int argc)
{
	cli_error(cli, "%% Access denied: privileged exec is root's");
	return CLI_ERROR;
}

struct cli_def *
ctl_cli_open(struct session *s)
{
	struct cli_def *cli;

	if ((cli = cmd_cli_new(s)) == NULL)
		return NULL;
	if (s->uid != 0) {
		cli_unregister_command(cli, "enable");
		cli_register_command(cli, NULL, "enable", ctl_enable_refused,
		    PRIVILEGE_UNPRIVILEGED, MODE_EXEC, "Turn on privileged "
		    "commands (root only)");
	}
	/* two privilege changes make libcli compute unique abbreviations,
	 * which cli_run_command alone never does (API-NOTES.md 1.3) */
	cli_set_privilege(cli, PRIVILEGE_PRIVILEGED);
	cli_set_privilege(cli, PRIVILEGE_UNPRIVILEGED);
	if (s->uid == 0)
		cli_set_privilege(cli, PRIVILEGE_PRIVILEGED);
	cmd_set_mode(cli, MODE_EXEC);
	return cli;
}

void
ctl_session_run(struct daemon *d, int fd)
{
	struct session s = { .d = d };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct timeval tv = { .tv_sec = 10 };
	struct cli_def *cli;
	char	 hello[64];

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		close(fd);
		return;
	}
	s.uid = cred.uid;
	/* a client that never says hello does not hold a thread forever */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (ctl_read_line(fd, hello, sizeof(hello)) == -1 ||
	    (strcmp(hello, CTL_HELLO_BATCH) != 0 &&
	    strcmp(hello, CTL_HELLO_INTERACTIVE) != 0)) {
		log_warn("control socket: bad hello from uid %u", s.uid);
		close(fd);
		return;
	}
	/* a batch client idle this long has gone away; an interactive one
	 * gets libcli's idle timeout below */
	tv.tv_sec = CTL_IDLE_TIMEOUT;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* output is written under the daemon lock: a terminal that stops
	 * reading must not stall every other session for more than this */
	tv.tv_sec = 30;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	s.batch = strcmp(hello, CTL_HELLO_BATCH) == 0;
	if ((cli = ctl_cli_open(&s)) == NULL) {
		close(fd);
		return;
	}
	if (s.batch)
		ctl_batch(cli, fd);
	else {
		cli_telnet_protocol(cli, 0);
		cli_set_idle_timeout(cli, CTL_IDLE_TIMEOUT);
		ctl_priv_once = s.uid == 0 ? PRIVILEGE_PRIVILEGED :
		    PRIVILEGE_UNPRIVILEGED;
		cli_loop(cli, fd);	/* closes fd */
	}
	cli_done(cli);
}
