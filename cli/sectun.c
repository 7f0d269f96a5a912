/* sectun: the CLI client. A terminal relay to sectund's control socket, or
 * the batch protocol (ctlproto.h) for -c commands and piped files. */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ctlproto.h"
#include "util.h"

#define EXIT_UNREACHABLE 2

static struct termios saved_tty;

static void
usage(FILE *f)
{
	fprintf(f, "usage: sectun [--socket PATH] [-c COMMAND]...\n"
	    "       sectun [--socket PATH] < FILE\n");
}

static int
ctl_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int	 fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "sectun: socket path %s is too long\n", path);
		exit(EXIT_UNREACHABLE);
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "sectun: cannot reach sectund at %s: %s\n",
		    path, strerror(errno));
		exit(EXIT_UNREACHABLE);
	}
	return fd;
}

static int
read_full(int fd, char *buf, size_t len)
{
	ssize_t	 r;

	while (len > 0) {
		if ((r = read(fd, buf, len)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

static int
read_header(int fd, int *status, size_t *len)
{
	char	 hdr[64];
	size_t	 n = 0;

	while (n + 1 < sizeof(hdr)) {
		if (read_full(fd, &hdr[n], 1) == -1)
			return -1;
		if (hdr[n] == '\n')
			break;
		n++;
	}
	hdr[n] = '\0';
	return sscanf(hdr, "%d %zu", status, len) == 2 ? 0 : -1;
}

/* Sends one command, prints its output (stderr if it failed, after the
 * line's name when lineno is not 0). Returns the CTL_STATUS_*, or -1 when
 * the daemon went away. */
static int
batch_command(int fd, const char *cmd, unsigned long lineno)
{
	char	*out;
	size_t	 len;
	int	 status;

	if (strchr(cmd, '\n') != NULL || strlen(cmd) >= CTL_LINE_MAX) {
		if (lineno != 0)
			fprintf(stderr, "sectun: line %lu: ", lineno);
		fprintf(stderr, "sectun: a command is at most %d characters on "
		    "one line\n", CTL_LINE_MAX - 1);
		return CTL_STATUS_ERROR;
	}
	if (fd_write_all(fd, cmd, strlen(cmd)) == -1 ||
	    fd_write_all(fd, "\n", 1) == -1 ||
	    read_header(fd, &status, &len) == -1)
		return -1;
	if ((out = malloc(len + 1)) == NULL || read_full(fd, out, len) == -1) {
		free(out);
		return -1;
	}
	if (status == CTL_STATUS_ERROR && lineno != 0)
		fprintf(stderr, "sectun: line %lu: %s\n", lineno, cmd);
	fwrite(out, 1, len, status == CTL_STATUS_ERROR ? stderr : stdout);
	fflush(stdout);
	free(out);
	return status;
}

static int
lost(void)
{
	fprintf(stderr, "sectun: connection to sectund lost\n");
	return EXIT_UNREACHABLE;
}

static int
run_commands(int fd, char **cmds, int n)
{
	int	 i, st;

	for (i = 0; i < n; i++) {
		if ((st = batch_command(fd, cmds[i], 0)) == -1)
			return lost();
		if (st == CTL_STATUS_ERROR)
			return 1;
		if (st == CTL_STATUS_END)
			break;
	}
	return 0;
}

static int
run_file(int fd, FILE *in)
{
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 len;
	unsigned long lineno = 0;
	int	 st, rc = 0;

	while ((len = getline(&line, &cap, in)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if ((st = batch_command(fd, line, lineno)) == -1) {
			rc = lost();
			break;
		}
		if (st == CTL_STATUS_ERROR) {
			rc = 1;
			break;
		}
		if (st == CTL_STATUS_END)
			break;
	}
	secure_free(line, cap);	/* lines may carry keys */
	return rc;
}

static void
tty_restore(void)
{
	tcsetattr(0, TCSANOW, &saved_tty);
}

/* A raw terminal both ways: libcli does the editing, echo and prompts. */
static int
run_interactive(int fd)
{
	struct termios raw;
	struct pollfd p[2] = { { .fd = 0, .events = POLLIN },
	    { .fd = fd, .events = POLLIN } };
	char	 buf[4096];
	ssize_t	 n;

	if (tcgetattr(0, &saved_tty) == 0) {
		raw = saved_tty;
		cfmakeraw(&raw);
		raw.c_oflag |= OPOST | ONLCR;
		tcsetattr(0, TCSANOW, &raw);
		atexit(tty_restore);
	}
	for (;;) {
		if (poll(p, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (p[0].revents & (POLLIN | POLLHUP)) {
			if ((n = read(0, buf, sizeof(buf))) <= 0) {
				shutdown(fd, SHUT_WR);
				p[0].fd = -1;
			} else if (fd_write_all(fd, buf, (size_t)n) == -1)
				return 0;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((n = read(fd, buf, sizeof(buf))) <= 0)
				return 0;	/* the session ended */
			/* the daemon sends "\r\n"; raw mode adds none */
			if (fd_write_all(1, buf, (size_t)n) == -1)
				return 0;
		}
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "command", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = getenv("SECTUN_SOCKET");
	char	**cmds;
	int	 ncmds = 0, ch, fd, interactive, rc;
	const char *hello;

	if (path == NULL)
		path = CTL_DEFAULT_SOCKET;
	if ((cmds = calloc((size_t)argc, sizeof(*cmds))) == NULL)
		return 1;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': path = optarg; break;
		case 'c': cmds[ncmds++] = optarg; break;
		case 'h': usage(stdout); free(cmds); return 0;
		default: usage(stderr); free(cmds); return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		free(cmds);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	interactive = ncmds == 0 && isatty(0);
	fd = ctl_connect(path);
	hello = interactive ? CTL_HELLO_INTERACTIVE "\n" : CTL_HELLO_BATCH "\n";
	if (fd_write_all(fd, hello, strlen(hello)) == -1)
		rc = lost();
	else if (interactive)
		rc = run_interactive(fd);
	else if (ncmds > 0)
		rc = run_commands(fd, cmds, ncmds);
	else
		rc = run_file(fd, stdin);
	free(cmds);
	close(fd);
	return rc;
}
