/* store: the SQLite configuration database: migrations, transactions and
 * small typed query helpers. Not thread-safe: callers hold the daemon lock. */
#ifndef SECTUN_STORE_H
#define SECTUN_STORE_H

#include <stdint.h>
#include <sqlite3.h>

#include "secret.h"

struct store_migration {
	int		 version;
	const char	*name;
	const char	*sql;
};
extern const struct store_migration store_migrations[];

struct store {
	sqlite3		*db;
	unsigned char	 key[SECRET_KEY_LEN];	/* device key */
	char		 errmsg[256];
	int		 read_failed;	/* a query failed since last cleared */
	int		 busy;		/* ... because the database was locked:
					 * later queries fail at once */
};

/* Open (creating) the database, load the device key beside it, migrate. */
struct store	*store_open(const char *path, const char *keypath, char *err);
void		 store_close(struct store *st);
int		 store_version(struct store *st);

int	 store_begin(struct store *st);
int	 store_commit(struct store *st);
void	 store_rollback(struct store *st);

/* Typed parameters: fmt has one letter per '?': s = const char * (NULL is
 * SQL NULL), i = int64_t, d = int (promoted). */
int	 store_exec(struct store *st, const char *sql, const char *fmt, ...);
sqlite3_stmt *store_query(struct store *st, const char *sql, const char *fmt,
	    ...);
/* First column of the first row as an integer; dflt when there is no row. */
int64_t	 store_int(struct store *st, int64_t dflt, const char *sql,
	    const char *fmt, ...);
/* First column of the first row as text into out; 0 found, -1 none. */
int	 store_text(struct store *st, char *out, size_t size, const char *sql,
	    const char *fmt, ...);
/* Finalizes a statement from store_query (NULL is fine), recording in
 * st->read_failed whether it failed, so a reader cannot take an error for
 * "no rows". */
void	 store_finalize(struct store *st, sqlite3_stmt *q);
/* Number of rows changed by the last store_exec. */
int	 store_changes(struct store *st);
/* Column text or "" for NULL. */
const char *store_col(sqlite3_stmt *s, int col);

#endif
