/* cmd: registers the areas' command tables with libcli, dispatches every
 * command under the daemon lock (configuration commands in one transaction),
 * and provides the output filters, "do", "end" and the shared helpers. */
#include <stdarg.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "transform.h"
#include "util.h"

/* Help for the intermediate words of command paths. */
static const struct {
	const char	*path;
	const char	*help;
} cmd_node_help[] = {
	{ "no", "Negate a command or set its defaults" },
	{ "show", "Show running system information" },
	{ "show ipsec", "IPsec information" },
	{ "show ip", "IP information" },
	{ "clear", "Reset functions" },
	{ "clear ipsec", "IPsec" },
	{ "request", "Request an operation" },
	{ "request ipsec", "IPsec" },
	{ "request ipsec rekey", "Rekey SAs now" },
	{ "debug", "Debugging functions" },
	{ "undebug", "Disable debugging functions" },
	{ "ipsec", "IPsec configuration" },
	{ "ipsec key", "IPsec keys" },
	{ "ip", "IP configuration" },
	{ "ipv6", "IPv6 configuration" },
	{ "interface", "Select an interface to configure" },
	{ "tunnel", "Tunnel configuration" },
	{ "tunnel sa", "Security associations" },
	{ "tunnel pfs", "Perfect forward secrecy" },
	{ "tunnel local", "Local end" },
	{ "tunnel peer", "Peer end" },
};

static const struct cmd_spec *const cmd_tables[] = {
	cmd_exec_specs, cmd_system_specs, cmd_route_specs, cmd_ipsec_specs,
	cmd_ike_specs, cmd_tunnel_specs,
};

/* Full command name -> spec, built once for all sessions. */
struct cmd_entry {
	char		 name[96];
	int		 mode;
	int		 no;
	int		 to_config;	/* a global "no" offered in a sub-mode */
	const struct cmd_spec *spec;
};
static struct cmd_entry cmd_entries[512];
static size_t cmd_nentries;

/* Nodes made while building one session's tree. */
struct cmd_node {
	char		 path[96];
	int		 mode;
	struct cli_command *cmd;
};
struct cmd_build {
	struct cli_def	*cli;
	struct cmd_node	 nodes[512];
	size_t		 n;
};

static int cmd_dispatch(struct cli_def *, const char *, char **, int);

static const char *
cmd_node_help_for(const char *path, const char *word)
{
	size_t	 i;

	for (i = 0; i < nitems(cmd_node_help); i++)
		if (strcmp(cmd_node_help[i].path, path) == 0)
			return cmd_node_help[i].help;
	if (strncmp(path, "no ", 3) == 0)
		return cmd_node_help_for(path + 3, word);
	return word;
}

static struct cli_command *
cmd_node(struct cmd_build *b, const char *path, int mode, int priv,
    const char *help, int final)
{
	struct cli_command *parent = NULL, *c;
	char	 prefix[96];
	const char *word = strrchr(path, ' ');
	size_t	 i;

	for (i = 0; i < b->n; i++)
		if (b->nodes[i].mode == mode &&
		    strcmp(b->nodes[i].path, path) == 0) {
			c = b->nodes[i].cmd;
			if (!final && priv < c->privilege)
				c->privilege = priv;
			if (final) {
				c->callback = cmd_dispatch;
				free(c->help);
				c->help = strdup(help);
				c->privilege = priv;
			}
			return c;
		}
	if (word != NULL) {
		str_copy(prefix, path, sizeof(prefix));
		prefix[word - path] = '\0';
		parent = cmd_node(b, prefix, mode, priv, NULL, 0);
		word++;
	} else
		word = path;
	if (!final)
		help = cmd_node_help_for(path, word);
	c = cli_register_command(b->cli, parent, word,
	    final ? cmd_dispatch : NULL, priv, mode, help);
	if (b->n < nitems(b->nodes)) {
		str_copy(b->nodes[b->n].path, path, sizeof(b->nodes[0].path));
		b->nodes[b->n].mode = mode;
		b->nodes[b->n++].cmd = c;
	}
	return c;
}

static void
cmd_register_opts(struct cli_command *c, const struct cmd_opt *o, int priv,
    int mode)
{
	for (; o->name != NULL; o++)
		cli_register_optarg(c, o->name, o->flags, priv, mode, o->help,
		    o->complete, NULL, NULL);
}

static void
cmd_entry_add(const char *name, int mode, int no, const struct cmd_spec *spec)
{
	if (cmd_nentries >= nitems(cmd_entries))
		fatal("cmd: too many commands");
	str_copy(cmd_entries[cmd_nentries].name, name,
	    sizeof(cmd_entries[0].name));
	cmd_entries[cmd_nentries].mode = mode;
	cmd_entries[cmd_nentries].no = no;
	cmd_entries[cmd_nentries++].spec = spec;
}

static const struct cmd_entry *cmd_entry_exact(const char *, int);

/* A sub-mode has its own "no", which hides the global "no" forms from
 * libcli's fallback to config mode: offer those in the sub-modes too. */
static void
cmd_entries_add_global_no(void)
{
	static const int submodes[] = { MODE_CONFIG_IF, MODE_CONFIG_IKE };
	size_t	 i, n = cmd_nentries, m;

	for (i = 0; i < n; i++) {
		if (!cmd_entries[i].no || cmd_entries[i].mode != MODE_CONFIG)
			continue;
		for (m = 0; m < nitems(submodes); m++) {
			if (cmd_entry_exact(cmd_entries[i].name, submodes[m]))
				continue;
			cmd_entry_add(cmd_entries[i].name, submodes[m], 1,
			    cmd_entries[i].spec);
			cmd_entries[cmd_nentries - 1].to_config = 1;
		}
	}
}

static void
cmd_entries_build(void)
{
	const struct cmd_spec *sp;
	char	 name[96];
	size_t	 t;

	for (t = 0; t < nitems(cmd_tables); t++)
		for (sp = cmd_tables[t]; sp->path != NULL; sp++) {
			cmd_entry_add(sp->path, sp->mode, 0, sp);
			if (sp->no_fn != NULL) {
				snprintf(name, sizeof(name), "no %s", sp->path);
				cmd_entry_add(name, sp->mode, 1, sp);
			}
		}
	cmd_entries_add_global_no();
}

static const struct cmd_entry *
cmd_entry_exact(const char *name, int mode)
{
	size_t	 i;

	for (i = 0; i < cmd_nentries; i++)
		if (cmd_entries[i].mode == mode &&
		    strcmp(cmd_entries[i].name, name) == 0)
			return &cmd_entries[i];
	return NULL;
}

static const struct cmd_entry *
cmd_entry_find(const char *name, int mode)
{
	const struct cmd_entry *found = NULL;
	size_t	 i;

	for (i = 0; i < cmd_nentries; i++) {
		if (strcmp(cmd_entries[i].name, name) != 0)
			continue;
		if (cmd_entries[i].mode == mode)
			return &cmd_entries[i];
		if (found == NULL)
			found = &cmd_entries[i];
	}
	return found;
}

static void
cmd_register_spec(struct cmd_build *b, const struct cmd_spec *sp)
{
	struct cli_command *c;
	char	 path[96];
	int	 priv = sp->priv == CMD_PRIV_USER ? PRIVILEGE_UNPRIVILEGED :
		    PRIVILEGE_PRIVILEGED;

	c = cmd_node(b, sp->path, sp->mode, priv, sp->help, 1);
	cmd_register_opts(c, sp->opts, priv, sp->mode);
	if (sp->no_fn == NULL)
		return;
	snprintf(path, sizeof(path), "no %s", sp->path);
	c = cmd_node(b, path, sp->mode, priv, sp->help, 1);
	cmd_register_opts(c, sp->no_opts, priv, sp->mode);
}

/* ---- output filters: libcli's include/exclude/grep decide from the typed
 * word, so "| inc x" prints nothing (API-NOTES.md 1.7). Ours don't. ---- */

enum filter_kind { FILTER_INCLUDE, FILTER_EXCLUDE, FILTER_BEGIN, FILTER_COUNT };

struct filter_state {
	enum filter_kind kind;
	char		*text;
	int		 begun;
	int		 count;
};

static int
cmd_filter(struct cli_def *cli, const char *line, void *data)
{
	struct filter_state *f = data;
	int	 match;

	if (line == NULL) {
		if (f->kind == FILTER_COUNT && cli->client != NULL)
			fprintf(cli->client, "%d\r\n", f->count);
		free(f->text);
		free(f);
		return CLI_OK;
	}
	match = f->text != NULL && strstr(line, f->text) != NULL;
	switch (f->kind) {
	case FILTER_INCLUDE:
		return match ? CLI_OK : CLI_ERROR;
	case FILTER_EXCLUDE:
		return match ? CLI_ERROR : CLI_OK;
	case FILTER_BEGIN:
		f->begun |= match;
		return f->begun ? CLI_OK : CLI_ERROR;
	case FILTER_COUNT:
		if (line[strspn(line, " \t")] != '\0')
			f->count++;
		return CLI_ERROR;
	}
	return CLI_ERROR;
}

static int
cmd_filter_init(struct cli_def *cli, int argc, char **argv,
    struct cli_filter *filt)
{
	static const char *const kinds[] = { "include", "exclude", "begin",
	    "count", NULL };
	struct filter_state *f;
	const char *text = cli_get_optarg_value(cli, "text", NULL);
	size_t	 k;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return CLI_ERROR;
	/* argv[0] is the word as typed, possibly abbreviated: match by prefix */
	for (k = 0; kinds[k] != NULL; k++)
		if (argc > 0 && strncmp(kinds[k], argv[0], strlen(argv[0])) == 0)
			break;
	f->kind = kinds[k] ? (enum filter_kind)k : FILTER_INCLUDE;
	if (text != NULL)
		f->text = strdup(text);
	filt->filter = cmd_filter;
	filt->data = f;
	return CLI_OK;
}

static void
cmd_filters_register(struct cli_def *cli)
{
	static const struct {
		const char *name, *help;
		int	 text;
	} filters[] = {
		{ "include", "Show only lines that contain TEXT", 1 },
		{ "exclude", "Hide lines that contain TEXT", 1 },
		{ "begin", "Begin with the first line that contains TEXT", 1 },
		{ "count", "Count the lines", 0 },
	};
	static const char *const builtin[] = { "include", "exclude", "begin",
	    "between", "count", "grep", "egrep" };
	struct cli_command *c;
	size_t	 i;

	for (i = 0; i < nitems(builtin); i++)
		cli_unregister_filter(cli, builtin[i]);
	for (i = 0; i < nitems(filters); i++) {
		c = cli_register_filter(cli, filters[i].name, cmd_filter_init,
		    cmd_filter, PRIVILEGE_UNPRIVILEGED, MODE_ANY,
		    filters[i].help);
		if (filters[i].text)
			cli_register_optarg(c, "text", CLI_CMD_ARGUMENT |
			    CLI_CMD_REMAINDER_OF_LINE, PRIVILEGE_UNPRIVILEGED,
			    MODE_ANY, "TEXT", NULL, NULL, NULL);
	}
}

/* ---- modes ---- */

void
cmd_set_mode(struct cli_def *cli, int mode)
{
	const char *desc = mode == MODE_CONFIG_IF ? "if" :
	    mode == MODE_CONFIG_IKE ? "ike-policy" :
	    mode == MODE_CONFIG ? "" : NULL;

	cli_set_configmode(cli, mode, desc);
}

static int
cmd_end(struct cmd_ctx *c)
{
	cmd_set_mode(c->cli, MODE_EXEC);
	return 0;
}

static int
cmd_do(struct cmd_ctx *c)
{
	const char *line = cmd_opt(c, "command");
	int	 mode = c->cli->mode, rc;
	char	*copy;

	if (line == NULL || (copy = strdup(line)) == NULL)
		return cmd_err(c, "Incomplete command");
	cmd_set_mode(c->cli, MODE_EXEC);
	rc = cli_run_command(c->cli, copy);
	free(copy);
	cmd_set_mode(c->cli, mode);
	return rc == CLI_OK ? 0 : -1;
}

static const struct cmd_opt cmd_do_opts[] = {
	{ "command", CLI_CMD_ARGUMENT | CLI_CMD_REMAINDER_OF_LINE,
	    "An exec command", NULL },
	{ NULL, 0, NULL, NULL },
};

static const int cmd_builtin_modes[] = { MODE_CONFIG, MODE_CONFIG_IF,
    MODE_CONFIG_IKE };
static struct cmd_spec cmd_builtin_specs[nitems(cmd_builtin_modes) * 2];

/* "end" and "do" in every configuration mode; runs once, before any session. */
static void
cmd_builtins_build(void)
{
	size_t	 i;

	for (i = 0; i < nitems(cmd_builtin_modes); i++) {
		struct cmd_spec *end = &cmd_builtin_specs[2 * i];
		struct cmd_spec *doo = &cmd_builtin_specs[2 * i + 1];

		*end = (struct cmd_spec){ .path = "end",
		    .help = "Exit to privileged exec mode",
		    .mode = cmd_builtin_modes[i], .fn = cmd_end };
		*doo = (struct cmd_spec){ .path = "do",
		    .help = "Run an exec command", .mode = cmd_builtin_modes[i],
		    .flags = CMD_NOLOCK, .fn = cmd_do };
		memcpy(doo->opts, cmd_do_opts, sizeof(cmd_do_opts));
		cmd_entry_add("end", end->mode, 0, end);
		cmd_entry_add("do", doo->mode, 0, doo);
	}
}

/* ---- dispatch ---- */

static void
cmd_refresh_hostname(struct cli_def *cli, struct session *s)
{
	char	 host[64];

	daemon_hostname(s->d, host, sizeof(host));
	if (cli->hostname == NULL || strcmp(cli->hostname, host) != 0)
		cli_set_hostname(cli, host);
}

static int
cmd_leftover(struct cmd_ctx *c)
{
	const struct cmd_opt *o = c->no ? c->spec->no_opts : c->spec->opts;

	/* libcli leaves the words a remainder-of-line argument took in argv */
	for (; o->name != NULL; o++)
		if (o->flags & CLI_CMD_REMAINDER_OF_LINE)
			return 0;
	if (c->argc == 0)
		return 0;
	return cmd_err(c, "Invalid input at '%s'", c->argv[0]);
}

/* A query that failed is an error, never "no rows": a show must not print
 * an empty configuration, nor a check pass, because the database was busy. */
static int
cmd_read_ok(struct cmd_ctx *c, int rc)
{
	if (rc == 0 && c->st->read_failed) {
		log_err("configuration store: %s", c->st->errmsg);
		return cmd_err(c, "The configuration could not be read: %s",
		    c->st->errmsg);
	}
	return rc;
}

/* What a committed change makes the kernel redo (DESIGN.md, Config flow):
 * by command, else config-if commands redo their tunnel. */
enum apply_scope { APPLY_NONE, APPLY_ALL, APPLY_ROUTES, APPLY_TUNNEL, APPLY_DPD };
static const struct {
	const char	*path;
	int		 mode;
	enum apply_scope scope;
} cmd_apply_scopes[] = {
	{ "virtual-router", MODE_CONFIG, APPLY_ALL },
	{ "ip route", -1, APPLY_ROUTES },
	{ "ipv6 route", -1, APPLY_ROUTES },
	{ "interface tunnel", MODE_CONFIG, APPLY_TUNNEL },
	{ "ipsec dpd", MODE_CONFIG, APPLY_DPD },
};

static void
cmd_apply(struct cmd_ctx *c, const struct cmd_spec *sp)
{
	struct runtime	*rt = c->s->d->rt;
	enum apply_scope scope = sp->mode == MODE_CONFIG_IF ? APPLY_TUNNEL :
	    APPLY_NONE;
	const char	*tunnel = c->s->tunnel, *p, *nl;
	size_t		 i;
	int		 errors;

	if (rt == NULL)
		return;
	for (i = 0; i < nitems(cmd_apply_scopes); i++)
		if (strcmp(sp->path, cmd_apply_scopes[i].path) == 0 &&
		    (cmd_apply_scopes[i].mode == -1 ||
		    cmd_apply_scopes[i].mode == sp->mode)) {
			scope = cmd_apply_scopes[i].scope;
			if (scope == APPLY_TUNNEL)
				tunnel = c->apply_tunnel;
		}
	rt->k->debug = (c->s->d->debug & DEBUG_KERNEL) != 0;
	if (scope == APPLY_DPD) {	/* the IKE SAs up now follow it */
		if (c->s->d->ike != NULL)
			ike_dpd_refresh(c->s->d->ike);
		return;
	}
	if (scope == APPLY_ALL)
		errors = runtime_sync_all(rt);
	else if (scope == APPLY_ROUTES)
		errors = runtime_sync_routes(rt);
	else if (scope == APPLY_TUNNEL && *tunnel != '\0')
		errors = runtime_sync_tunnel(rt, tunnel);
	else
		return;
	if (c->s->d->ike != NULL && scope == APPLY_ALL) {
		ike_io_refresh(c->s->d->io);
		ike_sync_all(c->s->d->ike);
	} else if (c->s->d->ike != NULL && scope == APPLY_TUNNEL &&
	    *tunnel != '\0')
		ike_tunnel_sync(c->s->d->ike, tunnel);
	/* stored (the user's intent, retried); the refusal is said */
	for (p = rt->report; errors > 0 && *p != '\0'; p = nl + (*nl != '\0')) {
		nl = p + strcspn(p, "\n");
		cli_error(c->cli, "%% Saved, but the kernel refused: %.*s",
		    (int)(nl - p), p);
	}
}

static int
cmd_run(struct cmd_ctx *c, const struct cmd_spec *sp, cmd_fn fn)
{
	int	 rc;

	if (!(sp->flags & (c->no ? CMD_EXTRA_NO : CMD_EXTRA)) &&
	    cmd_leftover(c) == -1)
		return -1;
	if (sp->flags & CMD_NOLOCK)	/* "do": the command it runs checks */
		return fn(c);
	c->st->read_failed = c->st->busy = 0;
	if (!(sp->flags & CMD_WRITE))
		return cmd_read_ok(c, fn(c));
	if (store_begin(c->st) == -1)
		return cmd_store_err(c);
	if ((rc = cmd_read_ok(c, fn(c))) == -1) {
		store_rollback(c->st);
		return -1;
	}
	if (store_commit(c->st) == -1)
		return cmd_store_err(c);
	cmd_apply(c, sp);
	return 0;
}

/* libcli adds each line to the session's history before running it, so a
 * key typed at the prompt would be shown by "history" and recalled by the
 * arrow keys: the newest entry is replaced by the command without it. */
static void
cmd_history_redact(struct cmd_ctx *c)
{
	char	**h = c->cli->history, text[192];
	const char *first = cmd_opt(c, c->spec->opts[0].name);
	int	 i;

	for (i = MAX_HISTORY - 1; i >= 0 && h[i] == NULL; i--)
		;
	if (i < 0)
		return;
	snprintf(text, sizeof(text), "%s%s %s (key not kept in history)",
	    c->no ? "no " : "", c->spec->path, first ? first : "");
	OPENSSL_cleanse(h[i], strlen(h[i]));
	free(h[i]);
	h[i] = strdup(text);
}

/* libcli hands a "?" it cannot place to the command: help, never a run. */
static int
cmd_help(struct cmd_ctx *c)
{
	const struct cmd_opt *o = c->no ? c->spec->no_opts : c->spec->opts;

	cli_error(c->cli, "  %-20s %s", c->spec->path, c->spec->help);
	for (; o->name != NULL; o++)
		cli_error(c->cli, "  %-20s %s", o->name, o->help);
	cli_error(c->cli, "  <cr>");
	return CLI_OK;
}

static int
cmd_dispatch(struct cli_def *cli, const char *command, char **argv, int argc)
{
	struct session *s = cli_get_context(cli);
	const struct cmd_entry *e = cmd_entry_find(command, cli->mode);
	struct cmd_ctx c = { .cli = cli, .s = s, .st = s->d->st,
	    .argv = argv, .argc = argc };
	FILE	*real = cli->client, *mem = NULL;
	char	*buf = NULL;
	size_t	 len = 0;
	int	 rc;

	if (e == NULL) {
		cli_error(cli, "%% Command '%s' is not available", command);
		return CLI_ERROR;
	}
	c.no = e->no;
	c.spec = e->spec;
	if (argc > 0 && strcmp(argv[argc - 1], "?") == 0)
		return cmd_help(&c);
	if ((e->to_config || (e->spec->flags & CMD_TO_CONFIG)) &&
	    cli->mode != MODE_CONFIG)
		cmd_set_mode(cli, MODE_CONFIG);
	if (e->spec->flags & CMD_NOLOCK)
		return cmd_run(&c, e->spec, e->spec->fn) == 0 ? CLI_OK :
		    CLI_ERROR;
	if ((e->spec->flags & CMD_SECRET) && !e->no && !s->batch)
		cmd_history_redact(&c);
	/* Output is gathered under the lock and sent after it: a terminal
	 * that stops reading must not hold every other session. */
	if (!s->batch && real != NULL &&
	    (mem = open_memstream(&buf, &len)) != NULL)
		cli->client = mem;
	pthread_mutex_lock(&s->d->lock);
	rc = cmd_run(&c, e->spec, e->no ? e->spec->no_fn : e->spec->fn);
	cmd_refresh_hostname(cli, s);
	pthread_mutex_unlock(&s->d->lock);
	if (mem != NULL) {
		cli->client = real;
		fclose(mem);
		if (len > 0 && fwrite(buf, 1, len, real) != len)
			log_debug("control socket: session output cut short");
		fflush(real);
		secure_free(buf, len);
	}
	return rc == 0 ? CLI_OK : CLI_ERROR;
}

static void
cmd_entries_once(void)
{
	cmd_builtins_build();
	cmd_entries_build();
}

struct cli_def *
cmd_cli_new(struct session *s)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct cmd_build *b;
	struct cli_def *cli;
	size_t	 t;
	const struct cmd_spec *sp;

	pthread_once(&once, cmd_entries_once);
	if ((cli = cli_init()) == NULL || (b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->cli = cli;
	cli_set_context(cli, s);
	for (t = 0; t < nitems(cmd_builtin_specs); t++)
		cmd_register_spec(b, &cmd_builtin_specs[t]);
	for (t = 0; t < nitems(cmd_tables); t++)
		for (sp = cmd_tables[t]; sp->path != NULL; sp++)
			cmd_register_spec(b, sp);
	for (t = 0; t < cmd_nentries; t++)
		if (cmd_entries[t].to_config)
			cmd_register_opts(cmd_node(b, cmd_entries[t].name,
			    cmd_entries[t].mode, PRIVILEGE_PRIVILEGED,
			    cmd_entries[t].spec->help, 1),
			    cmd_entries[t].spec->no_opts, PRIVILEGE_PRIVILEGED,
			    cmd_entries[t].mode);
	free(b);
	cmd_filters_register(cli);
	pthread_mutex_lock(&s->d->lock);
	cmd_refresh_hostname(cli, s);
	pthread_mutex_unlock(&s->d->lock);
	return cli;
}

/* ---- helpers for handlers ---- */

const char *
cmd_opt(struct cmd_ctx *c, const char *name)
{
	return cli_get_optarg_value(c->cli, name, NULL);
}

int
cmd_err(struct cmd_ctx *c, const char *fmt, ...)
{
	char	 buf[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cli_error(c->cli, "%% %s", buf);
	return -1;
}

void
cmd_out(struct cmd_ctx *c, const char *fmt, ...)
{
	char	 buf[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cli_print(c->cli, "%s", buf);
	c->lines++;
}

int
cmd_store_err(struct cmd_ctx *c)
{
	log_err("configuration store: %s", c->st->errmsg);
	return cmd_err(c, "Configuration not saved: %s", c->st->errmsg);
}

int
cmd_uint(struct cmd_ctx *c, const char *name, uint64_t min, uint64_t max,
    int64_t *out)
{
	const char *v = cmd_opt(c, name);
	char	 err[ERR_LEN];
	uint64_t u;

	if (v == NULL)
		return 0;
	if (parse_uint(v, name, min, max, &u, err) == -1)
		return cmd_err(c, "%s", err);
	*out = (int64_t)u;
	return 0;
}

/* ---- completors ---- */

int
cmd_complete_words(struct cli_comphelp *ch, const char *word,
    const char *const *words)
{
	size_t	 n = word ? strlen(word) : 0;

	for (; *words != NULL; words++)
		if (n == 0 || strncmp(*words, word, n) == 0)
			cli_add_comphelp_entry(ch, *words);
	return CLI_OK;
}

static int
cmd_complete_query(struct cli_def *cli, const char *word,
    struct cli_comphelp *ch, const char *sql, const char *prefix)
{
	struct session *s = cli_get_context(cli);
	sqlite3_stmt *q;
	char	 entry[128];
	size_t	 n = word ? strlen(word) : 0;

	pthread_mutex_lock(&s->d->lock);
	if ((q = store_query(s->d->st, sql, "")) != NULL) {
		while (sqlite3_step(q) == SQLITE_ROW) {
			snprintf(entry, sizeof(entry), "%s%s", prefix,
			    store_col(q, 0));
			if (n == 0 || strncmp(entry, word, n) == 0)
				cli_add_comphelp_entry(ch, entry);
		}
		store_finalize(s->d->st, q);
	}
	pthread_mutex_unlock(&s->d->lock);
	return CLI_OK;
}

int
cmd_complete_vr(struct cli_def *cli, const char *name, const char *word,
    struct cli_comphelp *ch)
{
	return cmd_complete_query(cli, word, ch,
	    "SELECT name FROM virtual_router ORDER BY name", "");
}

int
cmd_complete_transform_set(struct cli_def *cli, const char *name,
    const char *word, struct cli_comphelp *ch)
{
	return cmd_complete_query(cli, word, ch,
	    "SELECT name FROM transform_set ORDER BY name", "");
}

int
cmd_complete_tunnel(struct cli_def *cli, const char *name, const char *word,
    struct cli_comphelp *ch)
{
	return cmd_complete_query(cli, word, ch,
	    "SELECT name FROM tunnel ORDER BY name", "ipsec:");
}

int
cmd_complete_transform(struct cli_def *cli, const char *name,
    const char *word, struct cli_comphelp *ch)
{
	size_t	 i, n = word ? strlen(word) : 0;
	const char *t;

	for (i = 0; (t = transform_name_at(i)) != NULL; i++)
		if (n == 0 || strncmp(t, word, n) == 0)
			cli_add_comphelp_entry(ch, t);
	return CLI_OK;
}

/* ---- shared rules ---- */

/* The objects a command may name, and how a missing one is reported. */
static const struct {
	const char	*sql;
	const char	*what;
} cmd_kinds[] = {
	{ "SELECT count(*) FROM virtual_router WHERE name = ?",
	    "Virtual router " },
	{ "SELECT count(*) FROM transform_set WHERE name = ?",
	    "Transform set " },
	{ "SELECT count(*) FROM tunnel WHERE name = ?", "Tunnel ipsec:" },
};

static int
cmd_exists(struct cmd_ctx *c, size_t kind, const char *name)
{
	if (store_int(c->st, 0, cmd_kinds[kind].sql, "s", name) > 0)
		return 0;
	return cmd_err(c, "%s%s does not exist", cmd_kinds[kind].what, name);
}

int
cmd_vr_exists(struct cmd_ctx *c, const char *vr)
{
	return cmd_exists(c, 0, vr);
}

int
cmd_transform_set_exists(struct cmd_ctx *c, const char *set)
{
	return cmd_exists(c, 1, set);
}

int
cmd_tunnel_exists(struct cmd_ctx *c, const char *name)
{
	return cmd_exists(c, 2, name);
}

int
cmd_tunnel_name(struct cmd_ctx *c, const char *word, char *name)
{
	char	 err[ERR_LEN];

	if (strncmp(word, "ipsec:", 6) != 0)
		return cmd_err(c, "Tunnel '%s' must be given as ipsec:NAME",
		    word);
	if (parse_name(word + 6, "tunnel name", err) == -1)
		return cmd_err(c, "%s", err);
	str_copy(name, word + 6, NAME_MAX_LEN + 1);
	return 0;
}

/* ---- keyword arguments ---- */

static int
cmd_kw_index(const struct cmd_kw *kws, const char *word)
{
	int	 i;

	for (i = 0; kws[i].name != NULL; i++)
		if (strcmp(kws[i].name, word) == 0)
			return i;
	return -1;
}

int
cmd_kw_parse(struct cmd_ctx *c, const struct cmd_kw *kws,
    struct cmd_kwval *vals)
{
	int	 i, a = 0, k;

	for (i = 0; kws[i].name != NULL; i++) {
		vals[i].value = cmd_opt(c, kws[i].name);
		vals[i].encrypted = 0;
		if (vals[i].value == NULL || kws[i].kind != KW_SECRET ||
		    strcmp(vals[i].value, "encrypted") != 0)
			continue;
		/* libcli stops at the first word it cannot place: the blob */
		if (a >= c->argc)
			return cmd_err(c, "%s encrypted needs the encrypted "
			    "BLOB", kws[i].name);
		vals[i].value = c->argv[a++];
		vals[i].encrypted = 1;
	}
	while (a < c->argc) {
		if ((k = cmd_kw_index(kws, c->argv[a])) == -1)
			return cmd_err(c, "Invalid input at '%s'", c->argv[a]);
		if (vals[k].value != NULL)
			return cmd_err(c, "'%s' is given twice", kws[k].name);
		if (kws[k].kind == KW_FLAG) {
			vals[k].value = c->argv[a++];
			continue;
		}
		if (kws[k].kind == KW_SECRET && a + 1 < c->argc &&
		    strcmp(c->argv[a + 1], "encrypted") == 0) {
			vals[k].encrypted = 1;
			a++;
		}
		if (a + 1 >= c->argc)
			return cmd_err(c, "'%s' needs a value", kws[k].name);
		vals[k].value = c->argv[a + 1];
		a += 2;
	}
	return 0;
}

int
cmd_identity(struct cmd_ctx *c, char *type, char *value)
{
	static const char *const types[] = { "address", "fqdn", "user-fqdn",
	    "dn", NULL };
	const char *v = NULL;
	char	 err[ERR_LEN];
	enum id_type t;
	int	 i, n = 0, which = -1, fam;

	for (i = 0; types[i] != NULL; i++)
		if (cmd_opt(c, types[i]) != NULL) {
			which = i;
			v = cmd_opt(c, types[i]);
			n++;
		}
	if (n != 1)
		return cmd_err(c, "Give exactly one of address, fqdn, "
		    "user-fqdn or dn");
	str_copy(type, types[which], 16);
	if (strlen(v) > IDENTITY_MAX_LEN)
		return cmd_err(c, "Identity is longer than %d characters",
		    IDENTITY_MAX_LEN);
	switch (which) {
	case 0:
		return parse_addr(v, 0, value, &fam, err) == -1 ?
		    cmd_err(c, "%s", err) : 0;
	case 1:
	case 2:
		if (parse_identity(v, value, &t, err) == -1)
			return cmd_err(c, "%s", err);
		if (t != (which == 1 ? ID_TYPE_FQDN : ID_TYPE_USER_FQDN))
			return cmd_err(c, "'%s' is not a valid %s", v,
			    which == 1 ? "fqdn" : "user@fqdn");
		return 0;
	default:
		if (*v == '\0' || strchr(v, '"') != NULL)
			return cmd_err(c, "A dn must be non-empty and "
			    "contain no '\"'");
		str_copy(value, v, IDENTITY_MAX_LEN + 1);
		return 0;
	}
}
