/* check_store: the SQLite configuration database of lib/store.c and the
 * schema of schema/001-initial.sql. */
#define _GNU_SOURCE		/* nftw */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "parse.h"
#include "store.h"
#include "util.h"
#include "tmpdir.h"

static char dbpath[512], keypath[512];

static void
tmpdir_make(void)
{
	tmp_dir_make();
	snprintf(dbpath, sizeof(dbpath), "%s/sectun.db", tmp_dir);
	snprintf(keypath, sizeof(keypath), "%s/device.key", tmp_dir);
}

static struct store *
open_ok(void)
{
	struct store *st;
	char	 err[ERR_LEN] = "";

	st = store_open(dbpath, keypath, err);
	ck_assert_msg(st != NULL, "store_open: %s", err);
	return st;
}

static unsigned char *
read_all(const char *path, size_t *len)
{
	unsigned char *buf;
	struct stat sb;
	int	 fd;

	fd = open(path, O_RDONLY);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(fstat(fd, &sb), 0);
	*len = (size_t)sb.st_size;
	buf = malloc(*len + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(read(fd, buf, *len), (ssize_t)*len);
	close(fd);
	return buf;
}

static void
write_all(const char *path, const unsigned char *buf, size_t len)
{
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

static int
max_migration(void)
{
	const struct store_migration *m;
	int	 v = 0;

	for (m = store_migrations; m->sql != NULL; m++) {
		ck_assert_ptr_nonnull(m->name);
		/* strictly increasing */
		ck_assert_int_gt(m->version, v);
		v = m->version;
	}
	return v;
}

static int64_t
count(struct store *st, const char *table)
{
	char	 sql[128];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return store_int(st, -1, sql, "");
}

/* ------------------------------------------------------------------ */
/* opening and migrations */

static const char *const tables[] = {
	"system", "virtual_router", "transform_set", "transform_set_member",
	"ike_policy_rule", "psk", "trap_hook", "tunnel", "tunnel_ipv6_address",
	"tunnel_sa_manual", "route",
};

START_TEST(test_open_new)
{
	struct store *st;
	char	 text[64];
	size_t	 i;
	struct stat sb;

	ck_assert_int_eq(access(dbpath, F_OK), -1);
	st = open_ok();
	ck_assert_int_ge(max_migration(), 1);
	ck_assert_int_eq(store_version(st), max_migration());
	ck_assert_int_eq(store_int(st, -1, "PRAGMA user_version", ""),
	    max_migration());
	for (i = 0; i < nitems(tables); i++)
		ck_assert_msg(store_int(st, 0, "SELECT count(*) FROM "
		    "sqlite_master WHERE type = 'table' AND name = ?", "s",
		    tables[i]) == 1, "no table %s", tables[i]);
	ck_assert_int_eq(store_int(st, 0, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", ""),
	    (int64_t)nitems(tables));
	/* the default VR is the main table */
	ck_assert_int_eq(count(st, "virtual_router"), 1);
	ck_assert_int_eq(store_int(st, -1, "SELECT table_id FROM "
	    "virtual_router WHERE name = 'default'", ""), 254);
	/* the one system row, with the documented defaults */
	ck_assert_int_eq(count(st, "system"), 1);
	ck_assert_int_eq(store_int(st, -1, "SELECT id FROM system", ""), 1);
	ck_assert_int_eq(store_text(st, text, sizeof(text),
	    "SELECT hostname FROM system", ""), -1);
	ck_assert_int_eq(store_int(st, -1, "SELECT lifetime_seconds FROM "
	    "system",
	    ""), 28800);
	ck_assert_int_eq(store_int(st, -1,
	    "SELECT lifetime_kilobytes FROM system", ""), 102400);
	ck_assert_int_eq(store_int(st, -1, "SELECT dpd_enabled FROM system",
	    ""), 0);
	ck_assert_int_eq(store_text(st, text, sizeof(text),
	    "SELECT dpd_mode FROM system", ""), 0);
	ck_assert_str_eq(text, "optimized");
	ck_assert_int_eq(store_int(st, -1, "SELECT dpd_interval FROM system",
	    ""), 10);
	ck_assert_int_eq(store_int(st, -1, "SELECT dpd_threshold FROM system",
	    ""), 5);
	ck_assert_int_eq(store_int(st, -1, "SELECT next_if_id FROM system", ""),
	    1);
	/* everything else is empty */
	for (i = 2; i < nitems(tables); i++)
		ck_assert_msg(count(st, tables[i]) == 0, "%s not empty",
		    tables[i]);
	/* the settings the durability promise rests on */
	ck_assert_int_eq(store_int(st, -1, "PRAGMA foreign_keys", ""), 1);
	ck_assert_int_eq(store_int(st, -1, "PRAGMA synchronous", ""), 2);
	ck_assert_int_eq(store_text(st, text, sizeof(text),
	    "PRAGMA journal_mode", ""), 0);
	ck_assert_str_eq(text, "delete");
	/* the device key was created beside it */
	ck_assert_int_eq(stat(keypath, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0600);
	ck_assert_int_eq(sb.st_size, SECRET_KEY_LEN);
	store_close(st);
	store_close(NULL);
}
END_TEST

START_TEST(test_reopen_keeps_data)
{
	struct store *st;
	unsigned char key1[SECRET_KEY_LEN];
	char	 text[64];
	int	 v;

	st = open_ok();
	v = store_version(st);
	memcpy(key1, st->key, sizeof(key1));
	ck_assert_int_eq(store_exec(st, "UPDATE system SET hostname = ?, "
	    "next_if_id = ?", "sd", "r1", 42), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO virtual_router (name, "
	    "table_id) VALUES (?, ?)", "si", "red", (int64_t)100), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set (name) "
	    "VALUES (?)", "s", "ts1"), 0);
	store_close(st);

	st = open_ok();
	ck_assert_int_eq(store_version(st), v);
	ck_assert_mem_eq(st->key, key1, sizeof(key1));
	ck_assert_int_eq(count(st, "system"), 1);
	ck_assert_int_eq(count(st, "virtual_router"), 2);
	ck_assert_int_eq(store_text(st, text, sizeof(text),
	    "SELECT hostname FROM system", ""), 0);
	ck_assert_str_eq(text, "r1");
	ck_assert_int_eq(store_int(st, -1, "SELECT next_if_id FROM system", ""),
	    42);
	ck_assert_int_eq(store_int(st, -1, "SELECT table_id FROM "
	    "virtual_router WHERE name = ?", "s", "red"), 100);
	ck_assert_int_eq(count(st, "transform_set"), 1);
	store_close(st);

	/* a third time, to be sure nothing accumulates */
	st = open_ok();
	ck_assert_int_eq(store_version(st), v);
	ck_assert_int_eq(count(st, "system"), 1);
	ck_assert_int_eq(count(st, "virtual_router"), 2);
	store_close(st);
}
END_TEST

START_TEST(test_migration_is_atomic)
{
	struct store *st;
	sqlite3	*db;
	char	 err[ERR_LEN] = "";

	/* A version-0 database in which migration 1 cannot apply: store_open
	 * refuses it and leaves none of the migration behind. */
	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE route (x);", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = store_open(dbpath, keypath, err);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, "migration 001-initial.sql failed") != NULL,
	    "error: %s", err);
	ck_assert_msg(strstr(err, "route") != NULL, "error: %s", err);
	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	{
		sqlite3_stmt *s;
		ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT (SELECT "
		    "count(*) FROM sqlite_master), (SELECT user_version FROM "
		    "pragma_user_version)", -1, &s, NULL), SQLITE_OK);
		ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
		ck_assert_int_eq(sqlite3_column_int(s, 0), 1);
		ck_assert_int_eq(sqlite3_column_int(s, 1), 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}
END_TEST

START_TEST(test_open_errors)
{
	char	 err[ERR_LEN] = "", path[600];
	struct store *st;

	/* no directory for the database */
	snprintf(path, sizeof(path), "%s/nodir/sectun.db", tmp_dir);
	st = store_open(path, keypath, err);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, "cannot open database") != NULL, "%s", err);
	ck_assert_ptr_nonnull(strstr(err, path));
	/* an unusable key refuses the store before the database is made */
	snprintf(path, sizeof(path), "%s/nodir/device.key", tmp_dir);
	err[0] = '\0';
	st = store_open(dbpath, path, err);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, "device key") != NULL, "%s", err);
	ck_assert_int_eq(access(dbpath, F_OK), -1);
	/* a key others can read */
	st = open_ok();
	store_close(st);
	ck_assert_int_eq(chmod(keypath, 0644), 0);
	err[0] = '\0';
	ck_assert_ptr_null(store_open(dbpath, keypath, err));
	ck_assert_msg(strstr(err, "mode 0600") != NULL, "%s", err);
}
END_TEST

/* ------------------------------------------------------------------ */
/* damage */

enum damage { DMG_HEADER, DMG_SCHEMA, DMG_PAGES, DMG_ONE_PAGE, DMG_TRUNCATE,
    DMG_TEXT };
static const char *const damage_names[] = { "header", "schema page",
    "pages 2..n", "one table page", "truncated", "text file" };

START_TEST(test_damaged_refused)
{
	struct store *st;
	unsigned char *buf, *after;
	char	 err[ERR_LEN] = "", copy[600];
	size_t	 len, alen, i, page = 4096, off;
	unsigned seed = 12345;

	st = open_ok();
	/* some data in every table so the pages are real b-tree pages */
	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set VALUES "
	    "('ts1')", ""), 0);
	for (i = 0; i < 200; i++)
		ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel (name, "
		    "if_id, description) VALUES (printf('t%d', ?1), ?1, "
		    "printf('%.200c', 'x'))", "d", (int)i), 0);
	page = (size_t)store_int(st, 4096, "PRAGMA page_size", "");
	store_close(st);

	buf = read_all(dbpath, &len);
	ck_assert_uint_ge(len, 4 * page);
	switch (_i) {
	case DMG_HEADER:
		for (i = 0; i < 100; i++)
			buf[i] = (unsigned char)(i * 37 + 11);
		break;
	case DMG_SCHEMA:
		for (i = 100; i < page; i++)
			buf[i] = (unsigned char)(i * 37 + 11);
		break;
	case DMG_PAGES:
		for (i = page; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			buf[i] = (unsigned char)(seed >> 16);
		}
		break;
	case DMG_ONE_PAGE:
		/* the last page: somewhere in the tunnel table */
		off = len - page;
		for (i = 0; i < page; i++) {
			seed = seed * 1103515245 + 12345;
			buf[off + i] = (unsigned char)(seed >> 16);
		}
		break;
	case DMG_TRUNCATE:
		len = len / 2 + 100;
		break;
	case DMG_TEXT:
		len = (size_t)snprintf((char *)buf, len, "this is not a "
		    "database but it is long enough to look like one if "
		    "you squint %0500d\n", 0);
		break;
	}
	snprintf(copy, sizeof(copy), "%s/damaged.db", tmp_dir);
	write_all(copy, buf, len);

	st = store_open(copy, keypath, err);
	ck_assert_msg(st == NULL, "damage '%s' not noticed", damage_names[_i]);
	ck_assert_msg(err[0] != '\0', "damage '%s': no error text",
	    damage_names[_i]);
	ck_assert_msg(strstr(err, copy) != NULL || strstr(err, "damaged") !=
	    NULL || strstr(err, "malformed") != NULL || strstr(err,
	    "not a database") != NULL, "damage '%s': error '%s' does not say "
	    "what is wrong", damage_names[_i], err);
	/* refusing it did not change it */
	after = read_all(copy, &alen);
	ck_assert_uint_eq(alen, len);
	ck_assert_msg(memcmp(after, buf, len) == 0, "damage '%s': the file "
	    "was modified by the failed open", damage_names[_i]);
	free(after);
	free(buf);

	/* the undamaged original still opens */
	st = open_ok();
	ck_assert_int_eq(count(st, "tunnel"), 200);
	store_close(st);
}
END_TEST

/* A damaged file should be reported as damaged, not as a failed
 * migration: the message is what an operator acts on. */
START_TEST(test_damaged_message)
{
	struct store *st;
	unsigned char *buf;
	char	 err[ERR_LEN] = "", copy[600];
	size_t	 len, i, page;

	st = open_ok();
	page = (size_t)store_int(st, 4096, "PRAGMA page_size", "");
	store_close(st);
	buf = read_all(dbpath, &len);
	for (i = 100; i < page; i++)
		buf[i] = (unsigned char)(i * 37 + 11);
	snprintf(copy, sizeof(copy), "%s/damaged.db", tmp_dir);
	write_all(copy, buf, len);
	free(buf);
	ck_assert_ptr_null(store_open(copy, keypath, err));
	ck_assert_msg(strstr(err, "migration") == NULL,
	    "a damaged file reported as a migration failure: %s", err);
}
END_TEST

/* ------------------------------------------------------------------ */
/* foreign keys and constraints */

START_TEST(test_foreign_keys)
{
	struct store *st = open_ok();

	st->errmsg[0] = '\0';
	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel (name, if_id, vr) "
	    "VALUES ('t1', 1, 'nope')", ""), -1);
	ck_assert_msg(strstr(st->errmsg, "FOREIGN KEY constraint failed") !=
	    NULL, "errmsg: %s", st->errmsg);
	ck_assert_int_eq(count(st, "tunnel"), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel (name, if_id, tvr) "
	    "VALUES ('t1', 1, 'nope')", ""), -1);
	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel (name, if_id, "
	    "transform_set) VALUES ('t1', 1, 'nope')", ""), -1);
	ck_assert_int_eq(store_exec(st, "INSERT INTO psk VALUES ('p', 'nope', "
	    "'00')", ""), -1);
	ck_assert_int_eq(store_exec(st, "INSERT INTO ike_policy_rule "
	    "(priority, match_tvr) VALUES (1, 'nope')", ""), -1);
	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set_member "
	    "VALUES ('nope', 1, 'esp-aes128-sha')", ""), -1);
	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel_ipv6_address "
	    "VALUES ('nope', '2001:db8::1/64')", ""), -1);
	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel_sa_manual (tunnel, "
	    "direction, spi, transform) VALUES ('nope', 'inbound', 256, "
	    "'esp-aes128-sha')", ""), -1);
	ck_assert_int_eq(store_exec(st, "INSERT INTO route (family, vr, "
	    "prefix, nexthop) VALUES (4, 'nope', '10.0.0.0/8', '192.0.2.1')",
	    ""), -1);
	ck_assert_int_eq(store_exec(st, "INSERT INTO route (family, vr, "
	    "prefix, tunnel) VALUES (4, 'default', '10.0.0.0/8', 'nope')", ""),
	    -1);
	/* the default VR (vr's default) is valid; deleting a referenced VR is
	 * refused */
	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel (name, if_id) "
	    "VALUES ('t1', 1)", ""), 0);
	ck_assert_int_eq(store_exec(st, "DELETE FROM virtual_router WHERE "
	    "name = 'default'", ""), -1);
	ck_assert_ptr_nonnull(strstr(st->errmsg, "FOREIGN KEY"));
	ck_assert_int_eq(count(st, "virtual_router"), 1);
	store_close(st);
}
END_TEST

START_TEST(test_cascades)
{
	struct store *st = open_ok();

	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set VALUES "
	    "('ts1')", ""), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set_member "
	    "VALUES ('ts1', 1, 'esp-aes128-sha'), ('ts1', 2, 'esp-3des-md5')",
	    ""), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel (name, if_id) "
	    "VALUES ('t1', 1), ('t2', 2)", ""), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel_ipv6_address "
	    "VALUES ('t1', '2001:db8::1/64'), ('t2', '2001:db8:1::1/64')", ""),
	    0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel_sa_manual (tunnel, "
	    "direction, spi, transform) VALUES ('t1', 'inbound', 256, "
	    "'esp-aes128-sha'), ('t1', 'outbound', 257, 'esp-aes128-sha')", ""),
	    0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO route (family, vr, "
	    "prefix, tunnel) VALUES (4, 'default', '10.1.0.0/16', 't1'), "
	    "(4, 'default', '10.2.0.0/16', 't2')", ""), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO route (family, vr, "
	    "prefix, nexthop) VALUES (4, 'default', '10.3.0.0/16', "
	    "'192.0.2.1')", ""), 0);
	ck_assert_int_eq(store_exec(st, "DELETE FROM tunnel WHERE name = 't1'",
	    ""), 0);
	ck_assert_int_eq(store_changes(st), 1);
	ck_assert_int_eq(count(st, "tunnel_ipv6_address"), 1);
	ck_assert_int_eq(count(st, "tunnel_sa_manual"), 0);
	ck_assert_int_eq(count(st, "route"), 2);
	ck_assert_int_eq(store_int(st, 0, "SELECT count(*) FROM route WHERE "
	    "tunnel = 't1'", ""), 0);
	/* a set in use by a tunnel cannot go; an unused one takes its
	 * members with it */
	ck_assert_int_eq(store_exec(st, "UPDATE tunnel SET transform_set = "
	    "'ts1' WHERE name = 't2'", ""), 0);
	ck_assert_int_eq(store_exec(st, "DELETE FROM transform_set", ""), -1);
	ck_assert_int_eq(count(st, "transform_set_member"), 2);
	ck_assert_int_eq(store_exec(st, "UPDATE tunnel SET transform_set = "
	    "NULL", ""), 0);
	ck_assert_int_eq(store_exec(st, "DELETE FROM transform_set", ""), 0);
	ck_assert_int_eq(count(st, "transform_set_member"), 0);
	store_close(st);
}
END_TEST

static const struct {
	const char	*sql;
	const char	*err;
} constraint_cases[] = {
	{ "INSERT INTO system (id) VALUES (2)", "CHECK constraint failed" },
	{ "INSERT INTO system (id) VALUES (1)", "UNIQUE constraint failed" },
	{ "INSERT INTO virtual_router VALUES ('default', 7)",
	    "UNIQUE constraint failed" },
	{ "INSERT INTO virtual_router VALUES ('main2', 254)",
	    "UNIQUE constraint failed" },
	{ "INSERT INTO ike_policy_rule (priority) VALUES (0)",
	    "CHECK constraint failed" },
	{ "INSERT INTO ike_policy_rule (priority) VALUES (10001)",
	    "CHECK constraint failed" },
	{ "INSERT INTO tunnel (name) VALUES ('t9')", "NOT NULL constraint "
	    "failed" },
	{ "INSERT INTO tunnel (name, if_id) VALUES ('t9', 1)",
	    "UNIQUE constraint failed: tunnel.if_id" },
	{ "INSERT INTO tunnel (name, if_id) VALUES ('t1', 9)",
	    "UNIQUE constraint failed: tunnel.name" },
	{ "INSERT INTO tunnel_sa_manual (tunnel, direction, spi, transform) "
	    "VALUES ('t1', 'sideways', 256, 'esp-aes128-sha')",
	    "CHECK constraint failed" },
	{ "INSERT INTO tunnel_sa_manual (tunnel, direction, spi, transform) "
	    "VALUES ('t1', 'inbound', 256, 'esp-aes128-sha'), "
	    "('t1', 'inbound', 257, 'esp-aes128-sha')",
	    "UNIQUE constraint failed" },
	{ "INSERT INTO route (family, vr, prefix, tunnel) VALUES "
	    "(5, 'default', '10.0.0.0/8', 't1')", "CHECK constraint failed" },
	{ "INSERT INTO route (family, vr, prefix, tunnel, nexthop) VALUES "
	    "(4, 'default', '10.0.0.0/8', 't1', '192.0.2.1')",
	    "CHECK constraint failed" },
	{ "INSERT INTO route (family, vr, prefix) VALUES "
	    "(4, 'default', '10.0.0.0/8')", "CHECK constraint failed" },
	{ "INSERT INTO route (family, vr, prefix, nexthop) VALUES "
	    "(4, 'default', '10.0.0.0/8', '192.0.2.1'), "
	    "(4, 'default', '10.0.0.0/8', '192.0.2.1')",
	    "UNIQUE constraint failed" },
	/* The schema's UNIQUE (vr, prefix, tunnel, nexthop) is meant to stop
	 * the same route twice; exactly one of tunnel/nexthop is always NULL
	 * and SQLite treats NULLs as distinct in UNIQUE. */
	{ "INSERT INTO route (family, vr, prefix, tunnel) VALUES "
	    "(4, 'default', '10.0.0.0/8', 't1'), "
	    "(4, 'default', '10.0.0.0/8', 't1')",
	    "UNIQUE constraint failed" },
	{ "INSERT INTO psk VALUES ('p', 'default', 'aa'), "
	    "('p', 'default', 'bb')", "UNIQUE constraint failed" },
	{ "INSERT INTO psk (peer, tvr) VALUES ('p', 'default')",
	    "NOT NULL constraint failed" },
	{ "INSERT INTO trap_hook (path) VALUES ('/bin/true')",
	    "NOT NULL constraint failed" },
	{ "INSERT INTO transform_set_member VALUES ('ts1', 1, 'a'), "
	    "('ts1', 1, 'b')", "UNIQUE constraint failed" },
};

START_TEST(test_constraints)
{
	struct store *st = open_ok();
	int64_t	 before[nitems(tables)];
	size_t	 i;

	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set VALUES "
	    "('ts1')", ""), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel (name, if_id) "
	    "VALUES ('t1', 1)", ""), 0);
	for (i = 0; i < nitems(tables); i++)
		before[i] = count(st, tables[i]);
	st->errmsg[0] = '\0';
	ck_assert_msg(store_exec(st, constraint_cases[_i].sql, "") == -1,
	    "accepted: %s", constraint_cases[_i].sql);
	ck_assert_msg(strstr(st->errmsg, constraint_cases[_i].err) != NULL,
	    "errmsg '%s' lacks '%s'", st->errmsg, constraint_cases[_i].err);
	for (i = 0; i < nitems(tables); i++)
		ck_assert_msg(count(st, tables[i]) == before[i],
		    "%s changed by a failed statement", tables[i]);
	store_close(st);
}
END_TEST

/* ------------------------------------------------------------------ */
/* transactions */

START_TEST(test_commit_persists)
{
	struct store *st = open_ok();

	ck_assert_int_eq(store_begin(st), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set VALUES (?)",
	    "s", "ts1"), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set_member "
	    "VALUES (?, ?, ?)", "sds", "ts1", 1, "esp-aes256-gcm"), 0);
	ck_assert_int_eq(store_exec(st, "UPDATE system SET hostname = ?", "s",
	    "committed"), 0);
	ck_assert_int_eq(store_commit(st), 0);
	ck_assert(sqlite3_get_autocommit(st->db));
	store_close(st);
	ck_assert_int_eq(access(dbpath, F_OK), 0);

	st = open_ok();
	ck_assert_int_eq(count(st, "transform_set_member"), 1);
	{
		char text[64];
		ck_assert_int_eq(store_text(st, text, sizeof(text), "SELECT "
		    "transform FROM transform_set_member WHERE set_name = ?",
		    "s", "ts1"), 0);
		ck_assert_str_eq(text, "esp-aes256-gcm");
		ck_assert_int_eq(store_text(st, text, sizeof(text), "SELECT "
		    "hostname FROM system", ""), 0);
		ck_assert_str_eq(text, "committed");
	}
	store_close(st);
}
END_TEST

START_TEST(test_rollback_discards)
{
	struct store *st = open_ok();

	ck_assert_int_eq(store_begin(st), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set VALUES (?)",
	    "s", "gone"), 0);
	/* visible inside the transaction */
	ck_assert_int_eq(count(st, "transform_set"), 1);
	store_rollback(st);
	ck_assert(sqlite3_get_autocommit(st->db));
	ck_assert_int_eq(count(st, "transform_set"), 0);
	/* rollback with no transaction open is harmless */
	store_rollback(st);
	ck_assert_int_eq(count(st, "virtual_router"), 1);
	/* a commit with nothing to commit fails and says why */
	st->errmsg[0] = '\0';
	ck_assert_int_eq(store_commit(st), -1);
	ck_assert_msg(st->errmsg[0] != '\0', "no errmsg");
	/* a transaction inside a transaction is refused, the outer one
	 * still works */
	ck_assert_int_eq(store_begin(st), 0);
	st->errmsg[0] = '\0';
	ck_assert_int_eq(store_begin(st), -1);
	ck_assert_ptr_nonnull(strstr(st->errmsg, "transaction"));
	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set VALUES (?)",
	    "s", "kept"), 0);
	ck_assert_int_eq(store_commit(st), 0);
	store_close(st);
	st = open_ok();
	ck_assert_int_eq(count(st, "transform_set"), 1);
	store_close(st);
}
END_TEST

/* A failed statement in a transaction does not commit half a command when
 * the caller rolls back. */
START_TEST(test_rollback_after_error)
{
	struct store *st = open_ok();

	ck_assert_int_eq(store_begin(st), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set VALUES (?)",
	    "s", "half"), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel (name, if_id, vr) "
	    "VALUES ('t', 1, 'nope')", ""), -1);
	store_rollback(st);
	store_close(st);
	st = open_ok();
	ck_assert_int_eq(count(st, "transform_set"), 0);
	store_close(st);
}
END_TEST

START_TEST(test_rollback_byte_identical)
{
	struct store *st = open_ok();
	unsigned char *before, *mid, *after;
	size_t	 blen, mlen, alen;
	char	 journal[600];
	int	 i;

	/* some committed configuration to delete in the transaction */
	ck_assert_int_eq(store_exec(st, "INSERT INTO virtual_router VALUES "
	    "('red', 10)", ""), 0);
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel (name, "
		    "if_id, vr, description) VALUES (printf('keep%d', ?1), "
		    "?1, 'red', 'committed')", "d", i), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO route (family, vr, "
	    "prefix, tunnel) VALUES (4, 'red', '10.0.0.0/8', 'keep1')", ""), 0);
	/* a small cache, so the transaction spills into the file and the
	 * rollback has to put pages back from the journal */
	ck_assert_int_eq(store_exec(st, "PRAGMA cache_size = 4", ""), 0);
	before = read_all(dbpath, &blen);
	snprintf(journal, sizeof(journal), "%s-journal", dbpath);
	ck_assert_int_eq(access(journal, F_OK), -1);

	ck_assert_int_eq(store_begin(st), 0);
	for (i = 0; i < 2000; i++)
		ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel (name, "
		    "if_id, description) VALUES (printf('new%d', ?1), "
		    "?1 + 1000, printf('%.300c', 'n'))", "d", i), 0);
	ck_assert_int_eq(store_exec(st, "DELETE FROM tunnel WHERE name LIKE "
	    "'keep%'", ""), 0);
	ck_assert_int_eq(store_changes(st), 20);
	ck_assert_int_eq(store_exec(st, "DELETE FROM route", ""), 0);
	ck_assert_int_eq(store_exec(st, "DELETE FROM virtual_router WHERE "
	    "name = 'red'", ""), 0);
	ck_assert_int_eq(store_exec(st, "UPDATE system SET hostname = 'gone', "
	    "next_if_id = 99999", ""), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO trap_hook VALUES "
	    "('/x', 'up down')", ""), 0);
	/* the transaction did reach the file */
	mid = read_all(dbpath, &mlen);
	ck_assert_msg(mlen != blen || memcmp(mid, before, blen) != 0,
	    "the transaction never touched the file: the test proves little");
	free(mid);
	store_rollback(st);

	after = read_all(dbpath, &alen);
	ck_assert_uint_eq(alen, blen);
	ck_assert_msg(memcmp(after, before, blen) == 0,
	    "file differs after rollback");
	ck_assert_int_eq(access(journal, F_OK), -1);
	free(after);
	ck_assert_int_eq(count(st, "tunnel"), 20);
	ck_assert_int_eq(count(st, "route"), 1);
	ck_assert_int_eq(count(st, "trap_hook"), 0);
	store_close(st);
	after = read_all(dbpath, &alen);
	ck_assert_uint_eq(alen, blen);
	ck_assert_msg(memcmp(after, before, blen) == 0,
	    "file differs after close");
	free(after);
	free(before);
}
END_TEST

/* ------------------------------------------------------------------ */
/* query helpers */

START_TEST(test_store_int)
{
	struct store *st = open_ok();

	/* no row, NULL, a value */
	ck_assert_int_eq(store_int(st, -5, "SELECT 1 WHERE 0", ""), -5);
	ck_assert_int_eq(store_int(st, -5, "SELECT NULL", ""), -5);
	ck_assert_int_eq(store_int(st, -5, "SELECT 0", ""), 0);
	ck_assert_int_eq(store_int(st, 7, "SELECT table_id FROM virtual_router "
	    "WHERE name = ?", "s", "nope"), 7);
	ck_assert_int_eq(store_int(st, 7, "SELECT table_id FROM virtual_router "
	    "WHERE name = ?", "s", "default"), 254);
	/* the first row's first column */
	ck_assert_int_eq(store_int(st, 0, "SELECT 3, 4 UNION ALL SELECT 5, 6",
	    ""), 3);
	/* 64-bit values both ways */
	ck_assert_int_eq(store_int(st, 0, "SELECT ?", "i", (int64_t)INT64_MAX),
	    INT64_MAX);
	ck_assert_int_eq(store_int(st, 0, "SELECT ?", "i", (int64_t)INT64_MIN),
	    INT64_MIN);
	ck_assert_int_eq(store_int(st, 0, "SELECT ?", "i",
	    (int64_t)4294967295LL), 4294967295LL);
	ck_assert_int_eq(store_int(st, 0, "SELECT ?", "d", -1), -1);
	ck_assert_int_eq(store_int(st, 0, "SELECT ? + ?", "dd", 40, 2), 42);
	ck_assert_int_eq(store_int(st, 0, "SELECT ?2 - ?1", "id",
	    (int64_t)10, 30), 20);
	/* NULL text is SQL NULL, empty text is not */
	ck_assert_int_eq(store_int(st, 9, "SELECT ? IS NULL", "s", NULL), 1);
	ck_assert_int_eq(store_int(st, 9, "SELECT ? IS NULL", "s", ""), 0);
	ck_assert_int_eq(store_int(st, 9, "SELECT length(?)", "s", "abc"), 3);
	/* bad SQL: the default, and the reason kept */
	st->errmsg[0] = '\0';
	ck_assert_int_eq(store_int(st, -3, "SELEC 1", ""), -3);
	ck_assert_msg(strstr(st->errmsg, "syntax error") != NULL, "%s",
	    st->errmsg);
	st->errmsg[0] = '\0';
	ck_assert_int_eq(store_int(st, -3, "SELECT x FROM nope", ""), -3);
	ck_assert_msg(strstr(st->errmsg, "no such table") != NULL, "%s",
	    st->errmsg);
	/* more parameters than placeholders */
	st->errmsg[0] = '\0';
	ck_assert_int_eq(store_int(st, -3, "SELECT ?", "dd", 1, 2), -3);
	ck_assert_msg(st->errmsg[0] != '\0', "no errmsg");
	store_close(st);
}
END_TEST

START_TEST(test_store_text)
{
	struct store *st = open_ok();
	char	 out[8], big[300];

	strcpy(out, "keep");
	ck_assert_int_eq(store_text(st, out, sizeof(out), "SELECT 'x' WHERE 0",
	    ""), -1);
	ck_assert_str_eq(out, "keep");
	ck_assert_int_eq(store_text(st, out, sizeof(out), "SELECT NULL", ""),
	    -1);
	ck_assert_str_eq(out, "keep");
	ck_assert_int_eq(store_text(st, out, sizeof(out), "SELECT ''", ""), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(store_text(st, out, sizeof(out), "SELECT ?", "s",
	    "abc"), 0);
	ck_assert_str_eq(out, "abc");
	/* truncated to the buffer, NUL-terminated */
	ck_assert_int_eq(store_text(st, out, sizeof(out), "SELECT ?", "s",
	    "0123456789"), 0);
	ck_assert_str_eq(out, "0123456");
	/* numbers come back as text */
	ck_assert_int_eq(store_text(st, out, sizeof(out), "SELECT ?", "i",
	    (int64_t)-42), 0);
	ck_assert_str_eq(out, "-42");
	ck_assert_int_eq(store_text(st, big, sizeof(big), "SELECT name FROM "
	    "virtual_router", ""), 0);
	ck_assert_str_eq(big, "default");
	/* bad SQL */
	strcpy(out, "keep");
	st->errmsg[0] = '\0';
	ck_assert_int_eq(store_text(st, out, sizeof(out), "SELECT FROM", ""),
	    -1);
	ck_assert_str_eq(out, "keep");
	ck_assert_msg(st->errmsg[0] != '\0', "no errmsg");
	store_close(st);
}
END_TEST

START_TEST(test_store_exec_errors)
{
	struct store *st = open_ok();

	st->errmsg[0] = '\0';
	ck_assert_int_eq(store_exec(st, "INSERT INTO nope VALUES (1)", ""), -1);
	ck_assert_msg(strstr(st->errmsg, "no such table: nope") != NULL, "%s",
	    st->errmsg);
	st->errmsg[0] = '\0';
	ck_assert_int_eq(store_exec(st, "this is not sql", ""), -1);
	ck_assert_msg(strstr(st->errmsg, "syntax error") != NULL, "%s",
	    st->errmsg);
	st->errmsg[0] = '\0';
	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set (nope) "
	    "VALUES (1)", ""), -1);
	ck_assert_msg(strstr(st->errmsg, "no column named nope") != NULL, "%s",
	    st->errmsg);
	st->errmsg[0] = '\0';
	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set VALUES (?)",
	    "ss", "a", "b"), -1);
	ck_assert_msg(st->errmsg[0] != '\0', "no errmsg");
	ck_assert_int_eq(count(st, "transform_set"), 0);
	/* a statement that is fine after all those */
	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set VALUES (?)",
	    "s", "ok"), 0);
	ck_assert_int_eq(store_changes(st), 1);
	ck_assert_int_eq(store_exec(st, "UPDATE transform_set SET name = ? "
	    "WHERE name = ?", "ss", "ok2", "nope"), 0);
	ck_assert_int_eq(store_changes(st), 0);
	/* an unbound parameter is NULL, which a NOT NULL column refuses */
	st->errmsg[0] = '\0';
	ck_assert_int_eq(store_exec(st, "INSERT INTO trap_hook VALUES (?, ?)",
	    "s", "/x"), -1);
	ck_assert_ptr_nonnull(strstr(st->errmsg, "NOT NULL"));
	/* a SELECT through store_exec runs to the end */
	ck_assert_int_eq(store_exec(st, "SELECT * FROM virtual_router", ""), 0);
	store_close(st);
}
END_TEST

START_TEST(test_bad_format_is_fatal)
{
	struct store *st = open_ok();

	/* a programming error: the process ends (exit 1) */
	store_exec(st, "SELECT ?", "x", 1);
	store_close(st);
}
END_TEST

START_TEST(test_store_query_and_col)
{
	struct store *st = open_ok();
	sqlite3_stmt *q;
	int	 n = 0;

	ck_assert_int_eq(store_exec(st, "INSERT INTO virtual_router VALUES "
	    "('blue', NULL), ('red', 10)", ""), 0);
	q = store_query(st, "SELECT name, table_id FROM virtual_router WHERE "
	    "name <> ? ORDER BY name", "s", "default");
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_str_eq(store_col(q, 0), "blue");
	ck_assert_str_eq(store_col(q, 1), "");	/* NULL */
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_str_eq(store_col(q, 0), "red");
	ck_assert_str_eq(store_col(q, 1), "10");
	ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	q = store_query(st, "SELECT name FROM virtual_router", "");
	ck_assert_ptr_nonnull(q);
	while (sqlite3_step(q) == SQLITE_ROW)
		n++;
	sqlite3_finalize(q);
	ck_assert_int_eq(n, 3);
	st->errmsg[0] = '\0';
	ck_assert_ptr_null(store_query(st, "SELECT * FROM nope", ""));
	ck_assert_ptr_nonnull(strstr(st->errmsg, "no such table"));
	store_close(st);
}
END_TEST

/* ------------------------------------------------------------------ */
/* every table's row, every column */

struct col {
	const char	*name;
	const char	*text;
	int		 isint;
};

static void
check_row(struct store *st, const char *table, const char *where,
    const char *arg, const struct col *cols, size_t ncols)
{
	sqlite3_stmt *q;
	char	 sql[256];
	size_t	 j, seen = 0;
	int	 i;

	/* the expected columns are exactly the table's */
	snprintf(sql, sizeof(sql), "SELECT name FROM pragma_table_info('%s')",
	    table);
	q = store_query(st, sql, "");
	ck_assert_ptr_nonnull(q);
	while (sqlite3_step(q) == SQLITE_ROW) {
		for (j = 0; j < ncols; j++)
			if (strcmp(store_col(q, 0), cols[j].name) == 0)
				break;
		ck_assert_msg(j < ncols, "%s.%s not covered by the test", table,
		    store_col(q, 0));
		seen++;
	}
	sqlite3_finalize(q);
	ck_assert_msg(seen == ncols, "%s: %zu columns, test has %zu", table,
	    seen, ncols);

	snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE %s", table, where);
	q = store_query(st, sql, "s", arg);
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_count(q), (int)ncols);
	for (i = 0; i < sqlite3_column_count(q); i++) {
		const char *name = sqlite3_column_name(q, i);
		for (j = 0; j < ncols; j++)
			if (strcmp(name, cols[j].name) == 0)
				break;
		ck_assert(j < ncols);
		ck_assert_msg(sqlite3_column_type(q, i) == (cols[j].isint ?
		    SQLITE_INTEGER : SQLITE_TEXT), "%s.%s: type %d", table,
		    name, sqlite3_column_type(q, i));
		ck_assert_msg(strcmp(store_col(q, i), cols[j].text) == 0,
		    "%s.%s: '%s', expected '%s'", table, name, store_col(q, i),
		    cols[j].text);
	}
	ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
}

START_TEST(test_round_trip_all_tables)
{
	struct store *st = open_ok();
	char	*blob;
	static const char key_text[] = "a pre-shared key";
	static const char long_desc[] = "to branch 7 \xe2\x80\x94 \"quoted\", "
	    "'single', back\\slash, 100% done; DROP TABLE tunnel; --";

	blob = secret_encrypt(st->key, "psk", (const unsigned char *)key_text,
	    strlen(key_text));
	ck_assert_ptr_nonnull(blob);

	/* system: the one row, every column changed */
	ck_assert_int_eq(store_exec(st, "UPDATE system SET hostname = ?, "
	    "lifetime_seconds = ?, lifetime_kilobytes = ?, local_id_type = ?, "
	    "local_id = ?, dpd_enabled = ?, dpd_mode = ?, dpd_interval = ?, "
	    "dpd_threshold = ?, next_if_id = ? WHERE id = ?", "siissdsddid",
	    "edge-1", (int64_t)864000, (int64_t)4294967295LL, "fqdn",
	    "edge-1.example.com", 1, "periodic", 30, 10,
	    (int64_t)4000000000LL, 1), 0);
	ck_assert_int_eq(store_changes(st), 1);
	{
		static const struct col c[] = {
			{ "id", "1", 1 }, { "hostname", "edge-1", 0 },
			{ "lifetime_seconds", "864000", 1 },
			{ "lifetime_kilobytes", "4294967295", 1 },
			{ "local_id_type", "fqdn", 0 },
			{ "local_id", "edge-1.example.com", 0 },
			{ "dpd_enabled", "1", 1 },
			{ "dpd_mode", "periodic", 0 },
			{ "dpd_interval", "30", 1 },
			{ "dpd_threshold", "10", 1 },
			{ "next_if_id", "4000000000", 1 },
		};
		check_row(st, "system", "id = ?", "1", c, nitems(c));
	}

	ck_assert_int_eq(store_exec(st, "INSERT INTO virtual_router (name, "
	    "table_id) VALUES (?, ?)", "si", "red", (int64_t)4294967294LL), 0);
	{
		static const struct col c[] = {
			{ "name", "red", 0 }, { "table_id", "4294967294", 1 },
		};
		check_row(st, "virtual_router", "name = ?", "red", c,
		    nitems(c));
	}

	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set (name) "
	    "VALUES (?)", "s", "strong"), 0);
	{
		static const struct col c[] = { { "name", "strong", 0 } };
		check_row(st, "transform_set", "name = ?", "strong", c,
		    nitems(c));
	}

	ck_assert_int_eq(store_exec(st, "INSERT INTO transform_set_member "
	    "(set_name, position, transform) VALUES (?, ?, ?)", "sds",
	    "strong", 6, "esp-chacha20-poly1305"), 0);
	{
		static const struct col c[] = {
			{ "set_name", "strong", 0 }, { "position", "6", 1 },
			{ "transform", "esp-chacha20-poly1305", 0 },
		};
		check_row(st, "transform_set_member", "set_name = ?", "strong",
		    c, nitems(c));
	}

	ck_assert_int_eq(store_exec(st, "INSERT INTO ike_policy_rule "
	    "(priority, authentication, encryption, hash, dh_group, lifetime, "
	    "aggressive_mode, match_local, match_tvr) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?)", "dsssddsss", 10000, "ecdsa-sig",
	    "chacha20-poly1305", "sha512", 31, 86400, "required",
	    "2001:db8::1", "red"), 0);
	{
		static const struct col c[] = {
			{ "priority", "10000", 1 },
			{ "authentication", "ecdsa-sig", 0 },
			{ "encryption", "chacha20-poly1305", 0 },
			{ "hash", "sha512", 0 }, { "dh_group", "31", 1 },
			{ "lifetime", "86400", 1 },
			{ "aggressive_mode", "required", 0 },
			{ "match_local", "2001:db8::1", 0 },
			{ "match_tvr", "red", 0 },
		};
		check_row(st, "ike_policy_rule", "priority = ?", "10000", c,
		    nitems(c));
	}

	ck_assert_int_eq(store_exec(st, "INSERT INTO psk (peer, tvr, blob) "
	    "VALUES (?, ?, ?)", "sss", "Alice@example.com", "red", blob), 0);
	{
		const struct col c[] = {
			{ "peer", "Alice@example.com", 0 }, { "tvr", "red", 0 },
			{ "blob", blob, 0 },
		};
		check_row(st, "psk", "peer = ?", "Alice@example.com", c,
		    nitems(c));
	}
	/* and the stored blob still decrypts to the key */
	{
		char	 stored[1024];
		unsigned char *pt;
		size_t	 len;
		ck_assert_int_eq(store_text(st, stored, sizeof(stored),
		    "SELECT blob FROM psk", ""), 0);
		ck_assert_int_eq(secret_decrypt(st->key, "psk", stored, &pt,
		    &len), 0);
		ck_assert_uint_eq(len, strlen(key_text));
		ck_assert_mem_eq(pt, key_text, len);
		secure_free(pt, len);
	}

	ck_assert_int_eq(store_exec(st, "INSERT INTO trap_hook (path, events) "
	    "VALUES (?, ?)", "ss", "/usr/local/bin/on event", "tunnel-up "
	    "tunnel-down"), 0);
	{
		static const struct col c[] = {
			{ "path", "/usr/local/bin/on event", 0 },
			{ "events", "tunnel-up tunnel-down", 0 },
		};
		check_row(st, "trap_hook", "path = ?",
		    "/usr/local/bin/on event", c, nitems(c));
	}

	ck_assert_int_eq(count(st, "tunnel"), 0);
	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel (name, if_id, "
	    "description, vr, tvr, source, destination, backup, transform_set, "
	    "pfs_group, lifetime_seconds, lifetime_kilobytes, local_id_type, "
	    "local_id, peer_id_type, peer_id, local_selector, peer_selector, "
	    "ike_version, establish, dpd_set, dpd_mode, dpd_interval, "
	    "dpd_threshold, mtu, ipv4_address, unnumbered, shutdown) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?)", "sisssssssdiissssssdsdsdddsdd",
	    "to-branch.7", (int64_t)4294967295LL, long_desc, "red", "default",
	    "192.0.2.1", "198.51.100.7", "2001:db8::7", "strong", 21,
	    (int64_t)1800, (int64_t)4294967295LL, "user-fqdn",
	    "hq@example.com", "ipv6", "2001:db8::7", "10.0.0.0/8",
	    "10.7.0.1-10.7.0.9", 1, "on-traffic", 1, "periodic", 3600, 255,
	    9000, "10.255.0.1/30", 1, 1), 0);
	{
		const struct col c[] = {
			{ "name", "to-branch.7", 0 },
			{ "if_id", "4294967295", 1 },
			{ "description", long_desc, 0 },
			{ "vr", "red", 0 }, { "tvr", "default", 0 },
			{ "source", "192.0.2.1", 0 },
			{ "destination", "198.51.100.7", 0 },
			{ "backup", "2001:db8::7", 0 },
			{ "transform_set", "strong", 0 },
			{ "pfs_group", "21", 1 },
			{ "lifetime_seconds", "1800", 1 },
			{ "lifetime_kilobytes", "4294967295", 1 },
			{ "local_id_type", "user-fqdn", 0 },
			{ "local_id", "hq@example.com", 0 },
			{ "peer_id_type", "ipv6", 0 },
			{ "peer_id", "2001:db8::7", 0 },
			{ "local_selector", "10.0.0.0/8", 0 },
			{ "peer_selector", "10.7.0.1-10.7.0.9", 0 },
			{ "ike_version", "1", 1 },
			{ "establish", "on-traffic", 0 },
			{ "dpd_set", "1", 1 }, { "dpd_mode", "periodic", 0 },
			{ "dpd_interval", "3600", 1 },
			{ "dpd_threshold", "255", 1 }, { "mtu", "9000", 1 },
			{ "ipv4_address", "10.255.0.1/30", 0 },
			{ "unnumbered", "1", 1 }, { "shutdown", "1", 1 },
		};
		check_row(st, "tunnel", "name = ?", "to-branch.7", c,
		    nitems(c));
	}

	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel_ipv6_address "
	    "(tunnel, prefix) VALUES (?, ?)", "ss", "to-branch.7",
	    "2001:db8:7::1/64"), 0);
	{
		static const struct col c[] = {
			{ "tunnel", "to-branch.7", 0 },
			{ "prefix", "2001:db8:7::1/64", 0 },
		};
		check_row(st, "tunnel_ipv6_address", "tunnel = ?",
		    "to-branch.7", c, nitems(c));
	}

	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel_sa_manual (tunnel, "
	    "direction, spi, transform, enc_key, auth_key) VALUES "
	    "(?, ?, ?, ?, ?, ?)", "ssisss", "to-branch.7", "outbound",
	    (int64_t)4294967295LL, "esp-aes256-sha512", blob, "0badc0de"), 0);
	{
		const struct col c[] = {
			{ "tunnel", "to-branch.7", 0 },
			{ "direction", "outbound", 0 },
			{ "spi", "4294967295", 1 },
			{ "transform", "esp-aes256-sha512", 0 },
			{ "enc_key", blob, 0 }, { "auth_key", "0badc0de", 0 },
		};
		check_row(st, "tunnel_sa_manual", "tunnel = ?", "to-branch.7",
		    c, nitems(c));
	}

	ck_assert_int_eq(store_exec(st, "INSERT INTO route (family, vr, "
	    "prefix, tunnel, nexthop, distance) VALUES (?, ?, ?, ?, ?, ?)",
	    "dsssss", 6, "red", "2001:db8:70::/48", "to-branch.7", NULL,
	    "255"), 0);
	{
		/* distance was bound as text: INTEGER affinity stores 255 */
		static const struct col c[] = {
			{ "family", "6", 1 }, { "vr", "red", 0 },
			{ "prefix", "2001:db8:70::/48", 0 },
			{ "tunnel", "to-branch.7", 0 },
			{ "nexthop", "", 0 }, { "distance", "255", 1 },
		};
		sqlite3_stmt *q;
		/* nexthop is NULL here: check it is, then skip it below */
		ck_assert_int_eq(store_int(st, 0, "SELECT nexthop IS NULL FROM "
		    "route WHERE tunnel = ?", "s", "to-branch.7"), 1);
		q = store_query(st, "SELECT family, vr, prefix, tunnel, "
		    "distance FROM route WHERE tunnel = ?", "s", "to-branch.7");
		ck_assert_ptr_nonnull(q);
		ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
		ck_assert_int_eq(sqlite3_column_type(q, 0), SQLITE_INTEGER);
		ck_assert_str_eq(store_col(q, 0), c[0].text);
		ck_assert_str_eq(store_col(q, 1), c[1].text);
		ck_assert_str_eq(store_col(q, 2), c[2].text);
		ck_assert_str_eq(store_col(q, 3), c[3].text);
		ck_assert_int_eq(sqlite3_column_type(q, 4), SQLITE_INTEGER);
		ck_assert_str_eq(store_col(q, 4), c[5].text);
		ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
		sqlite3_finalize(q);
	}
	ck_assert_int_eq(store_exec(st, "INSERT INTO route (family, vr, "
	    "prefix, tunnel, nexthop, distance) VALUES (?, ?, ?, ?, ?, ?)",
	    "dsssss", 4, "default", "10.7.0.0/16", NULL, "192.0.2.254",
	    "200"), 0);
	ck_assert_int_eq(store_int(st, 0, "SELECT count(*) FROM route WHERE "
	    "family = 4 AND vr = 'default' AND prefix = '10.7.0.0/16' AND "
	    "tunnel IS NULL AND nexthop = '192.0.2.254' AND distance = 200",
	    ""), 1);
	/* the default distance */
	ck_assert_int_eq(store_exec(st, "INSERT INTO route (family, vr, "
	    "prefix, nexthop) VALUES (4, 'default', '0.0.0.0/0', "
	    "'192.0.2.254')", ""),
	    0);
	ck_assert_int_eq(store_int(st, 0, "SELECT distance FROM route WHERE "
	    "prefix = '0.0.0.0/0'", ""), 1);
	ck_assert_int_eq(count(st, "route"), 3);

	/* everything survives a close and reopen */
	store_close(st);
	st = open_ok();
	ck_assert_int_eq(count(st, "tunnel"), 1);
	ck_assert_int_eq(store_int(st, 0, "SELECT if_id FROM tunnel", ""),
	    4294967295LL);
	{
		char	 text[256];
		ck_assert_int_eq(store_text(st, text, sizeof(text),
		    "SELECT description FROM tunnel", ""), 0);
		ck_assert_str_eq(text, long_desc);
		ck_assert_int_eq(store_text(st, text, sizeof(text),
		    "SELECT enc_key FROM tunnel_sa_manual", ""), 0);
		ck_assert_str_eq(text, blob);
	}
	ck_assert_int_eq(count(st, "route"), 3);
	store_close(st);
	free(blob);
}
END_TEST

/* The column defaults a bare row gets. */
START_TEST(test_defaults)
{
	struct store *st = open_ok();
	char	 text[64];

	ck_assert_int_eq(store_exec(st, "INSERT INTO tunnel (name, if_id) "
	    "VALUES ('t', 5)", ""), 0);
	ck_assert_int_eq(store_text(st, text, sizeof(text), "SELECT vr FROM "
	    "tunnel", ""), 0);
	ck_assert_str_eq(text, "default");
	ck_assert_int_eq(store_int(st, -1, "SELECT ike_version FROM tunnel",
	    ""), 2);
	ck_assert_int_eq(store_text(st, text, sizeof(text), "SELECT establish "
	    "FROM tunnel", ""), 0);
	ck_assert_str_eq(text, "immediately");
	ck_assert_int_eq(store_int(st, -1, "SELECT dpd_set + unnumbered + "
	    "shutdown FROM tunnel", ""), 0);
	ck_assert_int_eq(store_int(st, -1, "SELECT count(*) FROM tunnel WHERE "
	    "tvr IS NULL AND mtu IS NULL AND transform_set IS NULL", ""), 1);
	ck_assert_int_eq(store_exec(st, "INSERT INTO ike_policy_rule "
	    "(priority) VALUES (1)", ""), 0);
	ck_assert_int_eq(store_int(st, 0, "SELECT count(*) FROM "
	    "ike_policy_rule WHERE authentication = 'pre-share' AND "
	    "encryption = 'aes256' AND hash = 'sha256' AND dh_group = 14 AND "
	    "lifetime = 28800 AND "
	    "aggressive_mode = 'not-allowed' AND match_local IS NULL AND "
	    "match_tvr IS NULL", ""), 1);
	store_close(st);
}
END_TEST

static TCase *
tc_new(const char *name)
{
	TCase	*tc = tcase_create(name);

	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, tmp_base_make, tmp_base_remove);
	tcase_add_checked_fixture(tc, tmpdir_make, tmp_dir_remove);
	return tc;
}

static Suite *
store_suite(void)
{
	Suite	*s = suite_create("store");
	TCase	*tc;

	tc = tc_new("open");
	tcase_add_test(tc, test_open_new);
	tcase_add_test(tc, test_reopen_keeps_data);
	tcase_add_test(tc, test_migration_is_atomic);
	tcase_add_test(tc, test_open_errors);
	tcase_add_loop_test(tc, test_damaged_refused, 0,
	    (int)nitems(damage_names));
	tcase_add_test(tc, test_damaged_message);
	suite_add_tcase(s, tc);

	tc = tc_new("schema");
	tcase_add_test(tc, test_foreign_keys);
	tcase_add_test(tc, test_cascades);
	tcase_add_loop_test(tc, test_constraints, 0,
	    (int)nitems(constraint_cases));
	tcase_add_test(tc, test_round_trip_all_tables);
	tcase_add_test(tc, test_defaults);
	suite_add_tcase(s, tc);

	tc = tc_new("transaction");
	tcase_add_test(tc, test_commit_persists);
	tcase_add_test(tc, test_rollback_discards);
	tcase_add_test(tc, test_rollback_after_error);
	tcase_add_test(tc, test_rollback_byte_identical);
	suite_add_tcase(s, tc);

	tc = tc_new("query");
	tcase_add_test(tc, test_store_int);
	tcase_add_test(tc, test_store_text);
	tcase_add_test(tc, test_store_exec_errors);
	tcase_add_exit_test(tc, test_bad_format_is_fatal, 1);
	tcase_add_test(tc, test_store_query_and_col);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(store_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
