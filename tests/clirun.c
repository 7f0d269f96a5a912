/* clirun: the daemon's command tree in-process, for tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clirun.h"
#include "cmd.h"
#include "ctlproto.h"
#include "util.h"

struct clirun {
	char		 dir[64];
	char		 db[96];
	struct store	*st;
	struct daemon	*d;
	struct session	 s;
	struct cli_def	*cli;
	char		*out;
	int		 owner;
};

static struct clirun *
clirun_open(struct clirun *r)
{
	r->s.d = r->d;
	r->s.batch = 1;
	if ((r->cli = ctl_cli_open(&r->s)) == NULL) {
		clirun_free(r);
		return NULL;
	}
	return r;
}

static struct clirun *
clirun_start(struct clirun *r, const char *dbname)
{
	char	 key[128], err[ERR_LEN];

	snprintf(r->db, sizeof(r->db), "%s/%s", r->dir, dbname);
	snprintf(key, sizeof(key), "%s/device.key", r->dir);
	if ((r->st = store_open(r->db, key, err)) == NULL ||
	    (r->d = daemon_new(r->st, "r1")) == NULL) {
		fprintf(stderr, "clirun: %s\n", err);
		clirun_free(r);
		return NULL;
	}
	return clirun_open(r);
}

struct clirun *
clirun_new(void)
{
	struct clirun *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	str_copy(r->dir, "/tmp/sectun-test-XXXXXX", sizeof(r->dir));
	if (mkdtemp(r->dir) == NULL) {
		free(r);
		return NULL;
	}
	r->owner = 2;
	return clirun_start(r, "sectun.db");
}

struct clirun *
clirun_new_in(const char *dir, const char *dbname)
{
	struct clirun *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	str_copy(r->dir, dir, sizeof(r->dir));
	r->owner = 1;
	return clirun_start(r, dbname);
}

struct clirun *
clirun_session_uid(struct clirun *parent, unsigned uid)
{
	struct clirun *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	*r = (struct clirun){ .st = parent->st, .d = parent->d };
	r->s.uid = uid;
	str_copy(r->dir, parent->dir, sizeof(r->dir));
	str_copy(r->db, parent->db, sizeof(r->db));
	return clirun_open(r);
}

struct clirun *
clirun_session(struct clirun *parent)
{
	return clirun_session_uid(parent, 0);
}

void
clirun_free(struct clirun *r)
{
	char	 cmd[160];

	if (r == NULL)
		return;
	if (r->cli != NULL)
		cli_done(r->cli);
	free(r->out);
	if (r->owner) {
		daemon_free(r->d);
		store_close(r->st);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", r->dir);
		if (r->owner == 2 && system(cmd) != 0)
			fprintf(stderr, "clirun: cannot remove %s\n", r->dir);
	}
	free(r);
}

int
clirun(struct clirun *r, const char *line)
{
	char	*copy = strdup(line);
	size_t	 len;
	int	 st;

	free(r->out);
	r->out = NULL;
	st = ctl_run_line(r->cli, copy, &r->out, &len);
	free(copy);
	if (r->out == NULL)
		r->out = strdup("");
	return st;
}

const char *
clirun_out(struct clirun *r)
{
	return r->out ? r->out : "";
}

int
clirun_all(struct clirun *r, const char *const *lines)
{
	int	 i;

	for (i = 0; lines[i] != NULL; i++)
		if (clirun(r, lines[i]) == CTL_STATUS_ERROR)
			return i + 1;
	return 0;
}

const char *
clirun_dir(struct clirun *r)
{
	return r->dir;
}

const char *
clirun_db(struct clirun *r)
{
	return r->db;
}

struct store *
clirun_store(struct clirun *r)
{
	return r->st;
}
