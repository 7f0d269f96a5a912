/* cmd: the command tree. Each area (cmd_*.c) declares its commands as a table
 * of cmd_spec: path, help, handler, arguments, and its "no" form, beside the
 * printer of its running-config section. cmd.c registers the tables with
 * libcli and runs every handler under the daemon lock; a handler of a
 * configuration command runs inside one database transaction, committed only
 * if it succeeds. */
#ifndef SECTUN_CMD_H
#define SECTUN_CMD_H

#include <libcli.h>

#include "daemon.h"

#define MODE_CONFIG_IF		10
#define MODE_CONFIG_IKE		11

#define CMD_WRITE	0x01	/* changes the configuration: one transaction */
#define CMD_EXTRA	0x02	/* words beyond the registered arguments are the handler's */
#define CMD_NOLOCK	0x04	/* runs other commands itself (do) */
#define CMD_EXTRA_NO	0x10	/* CMD_EXTRA for the "no" form too */
#define CMD_SECRET	0x20	/* carries a key: kept out of the history */
#define CMD_TO_CONFIG	0x08	/* a global command also registered in a
				 * sub-mode whose words hide it: leaves the
				 * sub-mode, as libcli's fallback would */

#define CMD_MAX_OPTS	8

struct session {
	struct daemon	*d;
	int		 batch;
	unsigned	 uid;
	char		 tunnel[NAME_MAX_LEN + 1];	/* config-if */
	int		 ike_rule;			/* config-ike-policy */
};

struct cmd_ctx {
	struct cli_def	*cli;
	struct session	*s;
	struct store	*st;
	char		**argv;		/* words no argument consumed */
	int		 argc;
	int		 no;		/* the "no" form */
	const struct cmd_spec *spec;
	int		 lines;		/* lines printed by cmd_out */
	char		 apply_tunnel[NAME_MAX_LEN + 1];	/* created or
					 * removed: the kernel follows */
};

typedef int (*cmd_fn)(struct cmd_ctx *c);
typedef int (*cmd_completor)(struct cli_def *, const char *, const char *,
    struct cli_comphelp *);

struct cmd_opt {
	const char	*name;
	int		 flags;		/* CLI_CMD_ARGUMENT, CLI_CMD_OPTIONAL_* */
	const char	*help;
	cmd_completor	 complete;
};

struct cmd_spec {
	const char	*path;		/* "ipsec transform-set" */
	const char	*help;		/* help of the path's last word */
	int		 mode;
	int		 flags;
	cmd_fn		 fn;
	struct cmd_opt	 opts[CMD_MAX_OPTS];
	cmd_fn		 no_fn;		/* NULL: no "no" form */
	struct cmd_opt	 no_opts[CMD_MAX_OPTS];
	int		 priv;		/* 0 = privileged (the default) */
	const void	*data;		/* for handlers shared by several specs */
};
#define CMD_PRIV_USER	1		/* usable from user exec (HOST>) */

/* Build a session's command tree (one cli_def per session). */
struct cli_def	*cmd_cli_new(struct session *s);
void		 cmd_set_mode(struct cli_def *cli, int mode);

/* ctl.c: a session's CLI (privilege from s->uid), and one command run with
 * its output captured; returns a CTL_STATUS_*. */
struct cli_def	*ctl_cli_open(struct session *s);
int		 ctl_run_line(struct cli_def *cli, char *line, char **out,
		    size_t *outlen);

/* For handlers. */
const char	*cmd_opt(struct cmd_ctx *c, const char *name);
int		 cmd_err(struct cmd_ctx *c, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 cmd_out(struct cmd_ctx *c, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
int		 cmd_store_err(struct cmd_ctx *c);
/* Parse an unsigned option into out when present; -1 with the error printed. */
int		 cmd_uint(struct cmd_ctx *c, const char *name, uint64_t min,
		    uint64_t max, int64_t *out);

/* Keyword arguments a handler parses itself, from libcli's optargs of the
 * same name and then from the leftover words, in any order. */
#define KW_FLAG		0	/* a bare word */
#define KW_VALUE	1	/* word VALUE */
#define KW_SECRET	2	/* word [encrypted] VALUE */
struct cmd_kw {
	const char	*name;
	int		 kind;
};
struct cmd_kwval {
	const char	*value;		/* NULL when absent; the word for KW_FLAG */
	int		 encrypted;	/* KW_SECRET given as "encrypted BLOB" */
};
int	 cmd_kw_parse(struct cmd_ctx *c, const struct cmd_kw *kws,
	    struct cmd_kwval *vals);
/* Parse an identity option: address|fqdn|user-fqdn|dn VALUE. */
int	 cmd_identity(struct cmd_ctx *c, char *type, char *value);

/* Completors over the configuration, for TAB. */
int	 cmd_complete_vr(struct cli_def *, const char *, const char *,
	    struct cli_comphelp *);
int	 cmd_complete_transform_set(struct cli_def *, const char *,
	    const char *, struct cli_comphelp *);
int	 cmd_complete_tunnel(struct cli_def *, const char *, const char *,
	    struct cli_comphelp *);
int	 cmd_complete_transform(struct cli_def *, const char *, const char *,
	    struct cli_comphelp *);
int	 cmd_complete_words(struct cli_comphelp *ch, const char *word,
	    const char *const *words);

/* The areas: their tables and running-config printers. */
extern const struct cmd_spec cmd_system_specs[], cmd_route_specs[],
    cmd_ipsec_specs[], cmd_ike_specs[], cmd_tunnel_specs[], cmd_exec_specs[];
void	 cmd_system_running(struct cmd_ctx *c);
void	 cmd_vr_running(struct cmd_ctx *c);
void	 cmd_route_running(struct cmd_ctx *c);
void	 cmd_ipsec_running(struct cmd_ctx *c);
void	 cmd_ipsec_keys_running(struct cmd_ctx *c);
void	 cmd_ike_running(struct cmd_ctx *c);
void	 cmd_tunnel_running(struct cmd_ctx *c);

/* Shared by cmd_ipsec.c and cmd_tunnel.c. */
/* Argument lists shared by global and per-tunnel commands. */
#define OPT_ID_CHOICES \
	{ "address", CLI_CMD_OPTIONAL_ARGUMENT, "A.B.C.D | X:X::X" }, \
	{ "fqdn", CLI_CMD_OPTIONAL_ARGUMENT, "Domain name" }, \
	{ "user-fqdn", CLI_CMD_OPTIONAL_ARGUMENT, "USER@FQDN" }, \
	{ "dn", CLI_CMD_OPTIONAL_ARGUMENT, "Distinguished name, quoted" }
#define OPT_DPD \
	{ "mode", CLI_CMD_OPTIONAL_ARGUMENT, \
	    "optimized | probe-idle | always-send", cmd_complete_dpd_mode }, \
	{ "interval", CLI_CMD_OPTIONAL_ARGUMENT, "Seconds <2-3600>" }, \
	{ "threshold", CLI_CMD_OPTIONAL_ARGUMENT, "Unanswered probes <1-10>" }


int	 cmd_complete_dpd_mode(struct cli_def *, const char *, const char *,
	    struct cli_comphelp *);
void	 cmd_identity_text(const char *type, const char *value, char *out,
	    size_t size);
int	 cmd_lifetime_args(struct cmd_ctx *c, const char **secs,
	    const char **kb);
int	 cmd_dpd_args(struct cmd_ctx *c, const char **mode, int64_t *interval,
	    int64_t *threshold);
int	 cmd_secret_blob(struct cmd_ctx *c, const char *value, int encrypted,
	    const char *aad, char **blob, size_t expect_len);

/* cmd_show_kernel.c: the runtime's side of show. */
const char *cmd_tunnel_oper(struct cmd_ctx *c, const char *name, int shutdown);
int	 cmd_tunnels_up(struct cmd_ctx *c, const char *name);
int	 cmd_tunnel_detail_kernel(struct cmd_ctx *c, const char *name);
const char	*cmd_tunnel_active(struct cmd_ctx *c, const char *name);
const char	*cmd_tunnel_negotiated(struct cmd_ctx *c, const char *name);
void	 cmd_tunnel_detail_kernel_tail(struct cmd_ctx *c, const char *name);
void	 cmd_vr_kernel(struct cmd_ctx *c, const char *name, char *dev,
	    size_t devsize, char *table, size_t tsize, const char **error);

/* Shared rules. */
int	 cmd_vr_exists(struct cmd_ctx *c, const char *vr);
int	 cmd_transform_set_exists(struct cmd_ctx *c, const char *set);
int	 cmd_tunnel_exists(struct cmd_ctx *c, const char *name);
int	 cmd_tunnel_name(struct cmd_ctx *c, const char *word, char *name);

#endif
