/* log: one place for the daemon's messages, stderr in the foreground or syslog. */
#ifndef SECTUN_LOG_H
#define SECTUN_LOG_H

#include <stdarg.h>

enum log_level { LOG_LEVEL_ERR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

void log_init(const char *ident, int to_stderr, int debug);
/* Until the daemon is ready, errors go to the caller's stderr as
 * "sectund: MESSAGE" (also to syslog once detached). */
void log_startup_errors(int on);
void log_msg(enum log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#define log_err(...)	log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
