/* store: the SQLite configuration database. Every configuration command runs
 * in one transaction (store_begin .. store_commit), committed with
 * synchronous=FULL before the command is acknowledged. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "log.h"
#include "parse.h"
#include "store.h"
#include "util.h"

/* Records the connection's last error in st. */
static void
store_failed(struct store *st)
{
	int	 code = sqlite3_errcode(st->db) & 0xff;

	snprintf(st->errmsg, sizeof(st->errmsg), "%s", sqlite3_errmsg(st->db));
	st->read_failed = 1;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		st->busy = 1;
}

static int
store_sql(struct store *st, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(st->errmsg, sizeof(st->errmsg), "%s",
		    msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
store_version(struct store *st)
{
	return (int)store_int(st, -1, "PRAGMA user_version", "");
}

static int
store_migrate(struct store *st, char *err)
{
	const struct store_migration *m;
	char	 pragma[64];
	int	 cur = store_version(st), newest = 0;

	for (m = store_migrations; m->sql != NULL; m++)
		newest = m->version;
	if (cur > newest) {
		snprintf(err, ERR_LEN, "database schema %d is newer than this "
		    "sectund knows (%d): refusing to downgrade", cur, newest);
		return -1;
	}
	for (m = store_migrations; m->sql != NULL; m++) {
		if (m->version <= cur)
			continue;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		    m->version);
		if (store_sql(st, "BEGIN IMMEDIATE") == -1 ||
		    store_sql(st, m->sql) == -1 || store_sql(st, pragma) == -1 ||
		    store_sql(st, "COMMIT") == -1) {
			snprintf(err, ERR_LEN, "migration %s failed: %s",
			    m->name, st->errmsg);
			store_sql(st, "ROLLBACK");
			return -1;
		}
		log_info("database migrated to version %d (%s)", m->version,
		    m->name);
	}
	return 0;
}

struct store *
store_open(const char *path, const char *keypath, char *err)
{
	struct store *st;
	int64_t	 secrets;
	int	 created;

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, ERR_LEN, "out of memory");
		return NULL;
	}
	if ((created = secret_key_load(keypath, st->key, err)) == -1)
		goto fail;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, ERR_LEN, "cannot open database %s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	/* Rollback journal, fsync'd on every commit: an acknowledged command
	 * survives kill -9 and power loss; a rolled back one leaves the file
	 * as it was. */
	if (store_sql(st, "PRAGMA journal_mode = DELETE") == -1 ||
	    store_sql(st, "PRAGMA synchronous = FULL") == -1 ||
	    store_sql(st, "PRAGMA foreign_keys = ON") == -1) {
		snprintf(err, ERR_LEN, "database %s: %s", path, st->errmsg);
		goto fail;
	}
	if (store_text(st, st->errmsg, sizeof(st->errmsg), "PRAGMA quick_check",
	    "") == 0 && strcmp(st->errmsg, "ok") != 0) {
		char *nl;

		while ((nl = strchr(st->errmsg, '\n')) != NULL)
			*nl = ' ';
		snprintf(err, ERR_LEN, "database %s is damaged: %s", path,
		    st->errmsg);
		goto fail;
	}
	if (store_migrate(st, err) == -1)
		goto fail;
	st->read_failed = st->busy = 0;
	secrets = store_int(st, 0, "SELECT (SELECT count(*) FROM psk) + "
	    "(SELECT count(*) FROM tunnel_sa_manual)", "");
	if (created && secrets > 0)
		log_warn("device key %s was missing and is new: the %lld stored "
		    "keys cannot be decrypted any more; enter them again",
		    keypath, (long long)secrets);
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->db != NULL)
		sqlite3_close(st->db);
	OPENSSL_cleanse(st->key, sizeof(st->key));
	free(st);
}

int
store_begin(struct store *st)
{
	return store_sql(st, "BEGIN IMMEDIATE");
}

int
store_commit(struct store *st)
{
	if (store_sql(st, "COMMIT") == -1) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3_stmt *
store_vprepare(struct store *st, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *s;
	int	 i, rc = SQLITE_OK;

	if (st->busy)	/* the command fails already: don't wait again */
		return NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		store_failed(st);
		log_err("store: %s: %s", sql, st->errmsg);
		return NULL;
	}
	for (i = 0; fmt[i] != '\0' && rc == SQLITE_OK; i++) {
		const char *t;
		switch (fmt[i]) {
		case 's':
			t = va_arg(ap, const char *);
			rc = t ? sqlite3_bind_text(s, i + 1, t, -1,
			    SQLITE_TRANSIENT) : sqlite3_bind_null(s, i + 1);
			break;
		case 'i':
			rc = sqlite3_bind_int64(s, i + 1, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = sqlite3_bind_int(s, i + 1, va_arg(ap, int));
			break;
		default:
			fatal("store: bad format '%c' for %s", fmt[i], sql);
		}
	}
	if (rc != SQLITE_OK) {
		snprintf(st->errmsg, sizeof(st->errmsg), "%s",
		    sqlite3_errmsg(st->db));
		sqlite3_finalize(s);
		st->read_failed = 1;
		return NULL;
	}
	return s;
}

void
store_finalize(struct store *st, sqlite3_stmt *q)
{
	if (q == NULL) {
		st->read_failed = 1;
		return;
	}
	/* sqlite3_finalize reports the last step's error, if any */
	if (sqlite3_finalize(q) != SQLITE_OK)
		store_failed(st);
}

sqlite3_stmt *
store_query(struct store *st, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *s;
	va_list	 ap;

	va_start(ap, fmt);
	s = store_vprepare(st, sql, fmt, ap);
	va_end(ap);
	return s;
}

int
store_exec(struct store *st, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *s;
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	s = store_vprepare(st, sql, fmt, ap);
	va_end(ap);
	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		store_failed(st);
		log_err("store: %s: %s", sql, st->errmsg);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int64_t
store_int(struct store *st, int64_t dflt, const char *sql, const char *fmt,
    ...)
{
	sqlite3_stmt *s;
	va_list	 ap;
	int64_t	 v = dflt;

	va_start(ap, fmt);
	s = store_vprepare(st, sql, fmt, ap);
	va_end(ap);
	if (s == NULL)
		return dflt;
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(s, 0);
	store_finalize(st, s);
	return v;
}

int
store_text(struct store *st, char *out, size_t size, const char *sql,
    const char *fmt, ...)
{
	sqlite3_stmt *s;
	va_list	 ap;
	int	 found = -1;

	va_start(ap, fmt);
	s = store_vprepare(st, sql, fmt, ap);
	va_end(ap);
	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL) {
		str_copy(out, (const char *)sqlite3_column_text(s, 0), size);
		found = 0;
	}
	store_finalize(st, s);
	return found;
}

int
store_changes(struct store *st)
{
	return sqlite3_changes(st->db);
}

const char *
store_col(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return t ? (const char *)t : "";
}
