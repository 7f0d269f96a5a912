/* clirun: the daemon's command tree in-process, on a fresh database in a
 * temporary directory, for tests: run lines as a root session would. */
#ifndef SECTUN_CLIRUN_H
#define SECTUN_CLIRUN_H

#include <stddef.h>

struct clirun;

struct clirun	*clirun_new(void);
/* A daemon on DIR/DBNAME with the key DIR/device.key: a second database on
 * the same device. The directory is not removed by clirun_free. */
struct clirun	*clirun_new_in(const char *dir, const char *dbname);
/* Opens a second session on the same daemon and database. */
struct clirun	*clirun_session(struct clirun *parent);
/* The same, for a session of another user (user exec unless uid 0). */
struct clirun	*clirun_session_uid(struct clirun *parent, unsigned uid);
void		 clirun_free(struct clirun *r);
/* Runs one line; returns CTL_STATUS_OK/ERROR/END. The output stays valid
 * until the next call. */
int		 clirun(struct clirun *r, const char *line);
const char	*clirun_out(struct clirun *r);
/* Runs lines until one fails; returns the number of the failing line
 * (1-based) or 0 when all succeeded. */
int		 clirun_all(struct clirun *r, const char *const *lines);
const char	*clirun_dir(struct clirun *r);
const char	*clirun_db(struct clirun *r);
struct store;
/* The session's database, for tests that read the configuration. */
struct store	*clirun_store(struct clirun *r);

#endif
