/* log: stderr with a timestamp in the foreground, syslog otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>
#include <pthread.h>

#include "log.h"

static int log_stderr = 1;
static int log_debug_on;
static int log_startup;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct {
	int	 prio;
	const char *name;
} log_levels[] = {
	[LOG_LEVEL_ERR] = { LOG_ERR, "error" },
	[LOG_LEVEL_WARN] = { LOG_WARNING, "warning" },
	[LOG_LEVEL_INFO] = { LOG_INFO, "info" },
	[LOG_LEVEL_DEBUG] = { LOG_DEBUG, "debug" },
};

void
log_startup_errors(int on)
{
	log_startup = on;
}

void
log_init(const char *ident, int to_stderr, int debug)
{
	log_stderr = to_stderr;
	log_debug_on = debug;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static void
log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	char	 ts[32];
	time_t	 now;
	struct tm tm;

	if (lvl == LOG_LEVEL_DEBUG && !log_debug_on)
		return;
	if (!log_stderr) {
		va_list	 copy;

		va_copy(copy, ap);
		vsyslog(log_levels[lvl].prio, fmt, copy);
		va_end(copy);
		if (!log_startup || lvl != LOG_LEVEL_ERR)
			return;
		fprintf(stderr, "sectund: ");
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		return;
	}
	if (log_startup && lvl == LOG_LEVEL_ERR) {	/* as any command would */
		pthread_mutex_lock(&log_lock);
		fprintf(stderr, "sectund: ");
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		pthread_mutex_unlock(&log_lock);
		return;
	}
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	pthread_mutex_lock(&log_lock);
	fprintf(stderr, "%s %s: ", ts, log_levels[lvl].name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&log_lock);
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LEVEL_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
