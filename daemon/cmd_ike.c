/* cmd_ike: IKE policy rules: "ipsec ike-policy-rule N" and its sub-mode,
 * "show ipsec ike-policy-rule" and the rules' running-config section.
 * The sub-mode's keyword and number settings share one table-driven
 * handler; "match" has its own because it sets two columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "daemon.h"
#include "util.h"

#define IKE_RULE_MIN	1
#define IKE_RULE_MAX	10000

/* One setting of a rule. column is spliced into SQL, so it only ever comes
 * from this file's table. dflt mirrors schema/001-initial.sql: "no" writes
 * it back and running-config leaves it out. */
struct ike_setting {
	const char	*word;		/* command and running-config keyword */
	const char	*column;
	const char *const *words;	/* allowed values; NULL: a number */
	uint64_t	 min, max;	/* when words is NULL */
	int		 integer;	/* the column is an INTEGER */
	const char	*dflt;
	const char	*unit;		/* show's suffix */
};

static const char *const ike_auth_words[] = { "pre-share", "rsa-sig",
    "ecdsa-sig", NULL };
static const char *const ike_enc_words[] = { "des", "3des", "aes128",
    "aes192", "aes256", "aes128-gcm", "aes256-gcm", "chacha20-poly1305",
    NULL };
static const char *const ike_hash_words[] = { "md5", "sha", "sha256",
    "sha384", "sha512", NULL };
static const char *const ike_group_words[] = { "1", "2", "5", "14", "15",
    "16", "19", "20", "21", "31", NULL };
static const char *const ike_aggr_words[] = { "accepted", "requested",
    "required", "not-allowed", NULL };

/* In show and running-config order; "match" follows. */
static const struct ike_setting ike_settings[] = {
	{ "authentication", "authentication", ike_auth_words, 0, 0, 0,
	    "pre-share", "" },
	{ "encryption", "encryption", ike_enc_words, 0, 0, 0, "aes256", "" },
	{ "hash", "hash", ike_hash_words, 0, 0, 0, "sha256", "" },
	{ "group", "dh_group", ike_group_words, 0, 0, 1, "14", "" },
	{ "lifetime", "lifetime", NULL, 60, 86400, 1, "28800", " seconds" },
	{ "aggressive-mode", "aggressive_mode", ike_aggr_words, 0, 0, 0,
	    "not-allowed", "" },
};
#define IKE_NSETTINGS	nitems(ike_settings)
/* Columns of ike_rules_query(): priority, the settings, then these. */
#define IKE_COL_LOCAL	(1 + IKE_NSETTINGS)
#define IKE_COL_TVR	(2 + IKE_NSETTINGS)

#define IKE_AUTH	(&ike_settings[0])
#define IKE_ENC		(&ike_settings[1])
#define IKE_HASH	(&ike_settings[2])
#define IKE_GROUP	(&ike_settings[3])
#define IKE_LIFETIME	(&ike_settings[4])
#define IKE_AGGR	(&ike_settings[5])

/* TAB completion over each keyword list. */
#define IKE_COMPLETOR(fn, list)						\
static int								\
fn(struct cli_def *cli, const char *name, const char *word,		\
    struct cli_comphelp *ch)						\
{									\
	return cmd_complete_words(ch, word, list);			\
}
IKE_COMPLETOR(ike_complete_auth, ike_auth_words)
IKE_COMPLETOR(ike_complete_enc, ike_enc_words)
IKE_COMPLETOR(ike_complete_hash, ike_hash_words)
IKE_COMPLETOR(ike_complete_group, ike_group_words)
IKE_COMPLETOR(ike_complete_aggr, ike_aggr_words)

/* libcli hands a trailing "?" to a command without optargs (our CMD_EXTRA
 * ones) instead of listing help; answer it here, changing nothing. */
static int
ike_help(struct cmd_ctx *c, const char *what, const char *help)
{
	if (c->argc == 0 || strcmp(c->argv[c->argc - 1], "?") != 0)
		return 0;
	cli_error(c->cli, "  %-20s %s", what, help);
	cli_error(c->cli, "  %s", "<cr>");
	return 1;
}

/* ---- the rule itself ---- */

static int
ike_priority(struct cmd_ctx *c, int64_t *prio)
{
	if (cmd_opt(c, "priority") == NULL)
		return cmd_err(c, "Give the rule's priority <%d-%d>",
		    IKE_RULE_MIN, IKE_RULE_MAX);
	return cmd_uint(c, "priority", IKE_RULE_MIN, IKE_RULE_MAX, prio);
}

static int
cmd_ike_rule(struct cmd_ctx *c)
{
	int64_t	 prio;

	if (ike_priority(c, &prio) == -1)
		return -1;
	/* the columns' defaults come from the schema */
	if (store_exec(c->st, "INSERT INTO ike_policy_rule (priority) "
	    "VALUES (?) ON CONFLICT (priority) DO NOTHING", "i", prio) == -1)
		return cmd_store_err(c);
	c->s->ike_rule = (int)prio;
	cmd_set_mode(c->cli, MODE_CONFIG_IKE);
	return 0;
}

static int
cmd_no_ike_rule(struct cmd_ctx *c)
{
	int64_t	 prio;

	if (ike_priority(c, &prio) == -1)
		return -1;
	if (store_exec(c->st, "DELETE FROM ike_policy_rule WHERE "
	    "priority = ?", "i", prio) == -1)
		return cmd_store_err(c);
	if (store_changes(c->st) == 0)
		return cmd_err(c, "ike-policy-rule %lld does not exist",
		    (long long)prio);
	return 0;
}

/* Another session may have deleted the rule this session is editing. */
static int
ike_rule_check(struct cmd_ctx *c)
{
	if (store_int(c->st, 0, "SELECT count(*) FROM ike_policy_rule WHERE "
	    "priority = ?", "d", c->s->ike_rule) > 0)
		return 0;
	return cmd_err(c, "ike-policy-rule %d no longer exists",
	    c->s->ike_rule);
}

/* ---- the sub-mode's settings ---- */

/* Validate v for set; the canonical text (from the table) into *out. */
static int
ike_setting_parse(struct cmd_ctx *c, const struct ike_setting *set,
    const char *v, const char **out)
{
	char	 err[ERR_LEN];
	uint64_t u;
	int	 i;

	if (set->words == NULL) {
		if (parse_uint(v, set->word, set->min, set->max, &u,
		    err) == -1)
			return cmd_err(c, "%s", err);
		*out = v;	/* digits only, as parse_uint checked */
		return 0;
	}
	if ((i = parse_keyword(v, set->word, set->words, err)) == -1)
		return cmd_err(c, "%s", err);
	*out = set->words[i];
	return 0;
}

static int
ike_setting_store(struct cmd_ctx *c, const struct ike_setting *set,
    const char *v)
{
	char	 sql[128];
	int	 rc;

	snprintf(sql, sizeof(sql), "UPDATE ike_policy_rule SET %s = ? "
	    "WHERE priority = ?", set->column);
	if (set->integer)
		rc = store_exec(c->st, sql, "id",
		    (int64_t)strtoll(v, NULL, 10), c->s->ike_rule);
	else
		rc = store_exec(c->st, sql, "sd", v, c->s->ike_rule);
	return rc == -1 ? cmd_store_err(c) : 0;
}

static int
cmd_ike_set(struct cmd_ctx *c)
{
	const struct ike_setting *set = c->spec->data;
	const char *v = cmd_opt(c, c->spec->opts[0].name);

	/* CMD_EXTRA is for the "no" form's optional value, not this one */
	if (c->argc > 0)
		return cmd_err(c, "Invalid input at '%s'", c->argv[0]);
	if (v == NULL)
		return cmd_err(c, "%s needs a value", set->word);
	if (ike_rule_check(c) == -1 || ike_setting_parse(c, set, v, &v) == -1)
		return -1;
	return ike_setting_store(c, set, v);
}

/* "no X [VALUE]": IOS habit accepts the value; it is checked, not matched. */
static int
cmd_ike_reset(struct cmd_ctx *c)
{
	const struct ike_setting *set = c->spec->data;
	const char *v;
	char	 what[32];

	snprintf(what, sizeof(what), "[<%s>]", c->spec->opts[0].name);
	if (ike_help(c, what, c->spec->opts[0].help))
		return 0;
	if (c->argc > 1)
		return cmd_err(c, "Invalid input at '%s'", c->argv[1]);
	if (ike_rule_check(c) == -1)
		return -1;
	if (c->argc == 1 && ike_setting_parse(c, set, c->argv[0], &v) == -1)
		return -1;
	return ike_setting_store(c, set, set->dflt);
}

/* match replaces the whole match: a part not given matches any. */
static int
cmd_ike_match(struct cmd_ctx *c)
{
	const char *local = cmd_opt(c, "local-address");
	const char *tvr = cmd_opt(c, "transport-virtual-router");
	char	 addr[ADDR_LEN], err[ERR_LEN];

	if (ike_rule_check(c) == -1)
		return -1;
	if (local == NULL && tvr == NULL)
		return cmd_err(c, "Give local-address, transport-virtual-router "
		    "or both");
	if (local != NULL && parse_addr(local, 0, addr, NULL, err) == -1)
		return cmd_err(c, "%s", err);
	if (tvr != NULL && cmd_vr_exists(c, tvr) == -1)
		return -1;
	if (store_exec(c->st, "UPDATE ike_policy_rule SET match_local = ?, "
	    "match_tvr = ? WHERE priority = ?", "ssd", local ? addr : NULL,
	    tvr, c->s->ike_rule) == -1)
		return cmd_store_err(c);
	return 0;
}

static int
cmd_ike_no_match(struct cmd_ctx *c)
{
	if (ike_rule_check(c) == -1)
		return -1;
	if (store_exec(c->st, "UPDATE ike_policy_rule SET match_local = NULL, "
	    "match_tvr = NULL WHERE priority = ?", "d", c->s->ike_rule) == -1)
		return cmd_store_err(c);
	return 0;
}

/* ---- show and running-config, both from the stored rows ---- */

/* All rules (prio 0) or one, with the columns in ike_settings order. */
static sqlite3_stmt *
ike_rules_query(struct cmd_ctx *c, int64_t prio)
{
	char	 sql[512] = "SELECT priority";
	size_t	 i;

	for (i = 0; i < IKE_NSETTINGS; i++) {
		strncat(sql, ", ", sizeof(sql) - strlen(sql) - 1);
		strncat(sql, ike_settings[i].column,
		    sizeof(sql) - strlen(sql) - 1);
	}
	strncat(sql, ", match_local, match_tvr FROM ike_policy_rule",
	    sizeof(sql) - strlen(sql) - 1);
	if (prio > 0)
		strncat(sql, " WHERE priority = ?",
		    sizeof(sql) - strlen(sql) - 1);
	strncat(sql, " ORDER BY priority", sizeof(sql) - strlen(sql) - 1);
	return store_query(c->st, sql, prio > 0 ? "i" : "", prio);
}

static void
ike_show_rule(struct cmd_ctx *c, sqlite3_stmt *q)
{
	const char *local = store_col(q, IKE_COL_LOCAL);
	const char *tvr = store_col(q, IKE_COL_TVR);
	size_t	 i;

	cmd_out(c, "ike-policy-rule %s", store_col(q, 0));
	for (i = 0; i < IKE_NSETTINGS; i++)
		cmd_out(c, "  %s %s%s", ike_settings[i].word,
		    store_col(q, 1 + (int)i), ike_settings[i].unit);
	cmd_out(c, "  match local-address %s transport-virtual-router %s",
	    *local ? local : "any", *tvr ? tvr : "any");
}

static int
cmd_show_ike(struct cmd_ctx *c)
{
	sqlite3_stmt *q;
	char	 err[ERR_LEN];
	uint64_t prio = 0;
	int	 n = 0;

	if (ike_help(c, "[<1-10000>]", "Only this rule"))
		return 0;
	if (c->argc > 1)
		return cmd_err(c, "Invalid input at '%s'", c->argv[1]);
	if (c->argc == 1 && parse_uint(c->argv[0], "ike-policy-rule",
	    IKE_RULE_MIN, IKE_RULE_MAX, &prio, err) == -1)
		return cmd_err(c, "%s", err);
	if ((q = ike_rules_query(c, (int64_t)prio)) == NULL)
		return cmd_store_err(c);
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (n++ > 0)
			cmd_out(c, "%s", "");
		ike_show_rule(c, q);
	}
	store_finalize(c->st, q);
	if (n == 0 && prio > 0)
		return cmd_err(c, "ike-policy-rule %llu does not exist",
		    (unsigned long long)prio);
	if (n == 0)
		cmd_out(c, "No ike-policy-rule configured; the built-in "
		    "default applies: aes256/sha256/group 14, then "
		    "aes256/sha256/group 19, lifetime 28800 s");
	return 0;
}

/* Only what differs from the defaults, so a replay gives the same text. */
void
cmd_ike_running(struct cmd_ctx *c)
{
	sqlite3_stmt *q;
	const char *v, *local, *tvr;
	char	 match[160];
	size_t	 i;

	if ((q = ike_rules_query(c, 0)) == NULL)
		return;
	while (sqlite3_step(q) == SQLITE_ROW) {
		cmd_out(c, "ipsec ike-policy-rule %s", store_col(q, 0));
		for (i = 0; i < IKE_NSETTINGS; i++) {
			v = store_col(q, 1 + (int)i);
			if (strcmp(v, ike_settings[i].dflt) != 0)
				cmd_out(c, " %s %s", ike_settings[i].word, v);
		}
		local = store_col(q, IKE_COL_LOCAL);
		tvr = store_col(q, IKE_COL_TVR);
		if (*local != '\0' || *tvr != '\0') {
			snprintf(match, sizeof(match), " match%s%s%s%s",
			    *local ? " local-address " : "", local,
			    *tvr ? " transport-virtual-router " : "", tvr);
			cmd_out(c, "%s", match);
		}
		cmd_out(c, "exit");
	}
	store_finalize(c->st, q);
}

/* ---- the table ---- */

#define IKE_SET(path, help, opt, ohelp, comp, set)			\
	{ path, help, MODE_CONFIG_IKE, CMD_WRITE | CMD_EXTRA | CMD_EXTRA_NO, cmd_ike_set, \
	    { { opt, CLI_CMD_ARGUMENT, ohelp, comp } }, cmd_ike_reset,	\
	    .data = set }

/* ---- show ipsec ike-sa [detail] ---- */

static void
ike_sa_detail(struct cmd_ctx *c, const struct ike_sa_info *i)
{
	cmd_out(c, "IKE SA %s <-> %s in virtual-router %s", i->local, i->peer,
	    i->tvr);
	cmd_out(c, "  Role: %s, state: %s, age %ld s", i->role, i->state,
	    i->age_s);
	if (i->lifetime_s > 0 && i->rekey_s >= 0)
		cmd_out(c, "  Lifetime: %ld s, %ld s left, rekey in %ld s",
		    i->lifetime_s, i->lifetime_s > i->age_s ? i->lifetime_s -
		    i->age_s : 0, i->rekey_s);
	else if (i->lifetime_s > 0)
		cmd_out(c, "  Lifetime: %ld s, %ld s left", i->lifetime_s,
		    i->lifetime_s > i->age_s ? i->lifetime_s - i->age_s : 0);
	if (i->dpd[0] != '\0')
		cmd_out(c, "  DPD: %s", i->dpd);
	cmd_out(c, "  SPIs: initiator %s, responder %s", i->spi_i, i->spi_r);
	cmd_out(c, "  Algorithms: %s", i->suite[0] ? i->suite : "-");
	cmd_out(c, "  DH group: %u", i->dh_group);
	cmd_out(c, "  Local identity: %s", i->local_id[0] ? i->local_id : "-");
	cmd_out(c, "  Peer identity: %s", i->peer_id[0] ? i->peer_id : "-");
	cmd_out(c, "  NAT: %s", i->nat);
	cmd_out(c, "  Child SAs: %s", i->children[0] ? i->children : "none");
	if (i->error[0] != '\0')
		cmd_out(c, "  Last error: %s", i->error);
}

static int
cmd_show_ike_sa(struct cmd_ctx *c)
{
	struct ike_sa_info i;
	struct ike	*ike = c->s->d->ike;
	int		 detail = c->argc == 1 && strcmp(c->argv[0], "detail") == 0;
	size_t		 n;

	if (ike_help(c, "[detail]", "Every field"))
		return 0;
	if (c->argc > 1 || (c->argc == 1 && !detail))
		return cmd_err(c, "Invalid input at '%s'", c->argv[c->argc - 1]);
	if (ike == NULL) {
		cmd_out(c, "%s", "No IKE SAs: sectund runs without the kernel "
		    "(--no-kernel)");
		return 0;
	}
	if (!detail)
		cmd_out(c, "%-22s %-22s %-12s %-9s %-14s %s", "Peer", "Local",
		    "Transport VR", "Role", "State", "Child SAs");
	for (n = 0; ike_sa_info_at(ike, n, &i) == 0; n++) {
		if (detail) {
			if (n > 0)
				cmd_out(c, "%s", "");
			ike_sa_detail(c, &i);
		} else
			cmd_out(c, "%-22s %-22s %-12s %-9s %-14s %s", i.peer,
			    i.local, i.tvr, i.role, i.state, i.children[0] ?
			    i.children : "-");
	}
	if (n == 0)
		cmd_out(c, "%s", "No IKE SAs");
	return 0;
}

const struct cmd_spec cmd_ike_specs[] = {
	{ "ipsec ike-policy-rule", "Configure an IKE policy rule",
	    MODE_CONFIG, CMD_WRITE, cmd_ike_rule,
	    { { "priority", CLI_CMD_ARGUMENT,
		  "Priority <1-10000>, lowest is tried first" } },
	    cmd_no_ike_rule,
	    { { "priority", CLI_CMD_ARGUMENT, "Priority <1-10000>" } } },
	IKE_SET("authentication", "How the peers authenticate (default "
	    "pre-share)", "method", "pre-share | rsa-sig | ecdsa-sig",
	    ike_complete_auth, IKE_AUTH),
	IKE_SET("encryption", "IKE SA encryption (default aes256)",
	    "algorithm", "des | 3des | aes128 | aes192 | aes256 | aes128-gcm "
	    "| aes256-gcm | chacha20-poly1305", ike_complete_enc, IKE_ENC),
	IKE_SET("hash", "IKE SA integrity and PRF hash (default sha256)",
	    "algorithm", "md5 | sha | sha256 | sha384 | sha512",
	    ike_complete_hash, IKE_HASH),
	IKE_SET("group", "Diffie-Hellman group (default 14)", "group",
	    "1 | 2 | 5 | 14 | 15 | 16 | 19 | 20 | 21 | 31",
	    ike_complete_group, IKE_GROUP),
	IKE_SET("lifetime", "IKE SA lifetime (default 28800 seconds)",
	    "seconds", "Seconds <60-86400>", NULL, IKE_LIFETIME),
	IKE_SET("aggressive-mode", "IKEv1 aggressive mode (default "
	    "not-allowed)", "mode", "accepted | requested | required | "
	    "not-allowed", ike_complete_aggr, IKE_AGGR),
	{ "match", "Which local end the rule applies to", MODE_CONFIG_IKE,
	    CMD_WRITE, cmd_ike_match,
	    { { "local-address", CLI_CMD_OPTIONAL_ARGUMENT,
		  "Local address A.B.C.D | X:X::X" },
	      { "transport-virtual-router", CLI_CMD_OPTIONAL_ARGUMENT,
		  "Transport virtual router", cmd_complete_vr } },
	    cmd_ike_no_match },
	{ "show ipsec ike-policy-rule", "IKE policy rules [N]", MODE_EXEC,
	    CMD_EXTRA, cmd_show_ike, .priv = CMD_PRIV_USER },
	{ "show ipsec ike-sa", "IKE SAs [detail]", MODE_EXEC, CMD_EXTRA,
	    cmd_show_ike_sa, .priv = CMD_PRIV_USER },
	{ NULL },
};
