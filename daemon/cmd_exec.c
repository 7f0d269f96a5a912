/* cmd_exec: exec-mode commands that change no configuration: debugging
 * switches (what the runtime modules log at debug level) and clearing
 * negotiated SAs. */
#include <string.h>

#include "cmd.h"
#include "daemon.h"
#include "util.h"

static const struct {
	const char	*name;
	unsigned	 flag;
} debug_flags[] = {
	{ "ike", DEBUG_IKE },
	{ "kernel", DEBUG_KERNEL },
	{ "dpd", DEBUG_DPD },
	{ "hooks", DEBUG_HOOKS },
	{ "all", DEBUG_IKE | DEBUG_KERNEL | DEBUG_DPD | DEBUG_HOOKS },
};

static const char *const debug_words[] = { "ike", "kernel", "dpd", "hooks",
    "all", NULL };

static int
cmd_complete_debug(struct cli_def *cli, const char *n, const char *w,
    struct cli_comphelp *ch)
{
	return cmd_complete_words(ch, w, debug_words);
}

static int
cmd_debug(struct cmd_ctx *c)
{
	const char *what = cmd_opt(c, "what");
	char	 err[ERR_LEN];
	int	 k;

	if ((k = parse_keyword(what, "debug area", debug_words, err)) == -1)
		return cmd_err(c, "%s", err);
	if (c->no)
		c->s->d->debug &= ~debug_flags[k].flag;
	else
		c->s->d->debug |= debug_flags[k].flag;
	return 0;
}

static int
cmd_undebug_all(struct cmd_ctx *c)
{
	c->s->d->debug = 0;
	return 0;
}

static int
cmd_show_debugging(struct cmd_ctx *c)
{
	size_t	 i;

	if (c->s->d->debug == 0) {
		cmd_out(c, "No debugging is on");
		return 0;
	}
	for (i = 0; i + 1 < nitems(debug_flags); i++)
		if (c->s->d->debug & debug_flags[i].flag)
			cmd_out(c, "IPsec %s debugging is on",
			    debug_flags[i].name);
	return 0;
}

/* clear ipsec tunnel {ipsec:NAME | all}: tear down and negotiate again */
static int
cmd_clear_tunnel(struct cmd_ctx *c)
{
	const char	*what = cmd_opt(c, "tunnel");
	struct ike	*ike = c->s->d->ike;
	size_t		 i;

	if (ike == NULL)
		return cmd_err(c, "%s", "No negotiated SAs: sectund runs "
		    "without the kernel");
	if (strcmp(what, "all") == 0) {
		for (i = 0; i < ike->ntuns; i++)
			ike_tunnel_clear(ike, ike->tuns[i].name);
		return 0;
	}
	if (strncmp(what, "ipsec:", 6) != 0 ||
	    ike_tun_get(ike, what + 6, 0) == NULL)
		return cmd_err(c, "No signaled tunnel %s", what);
	ike_tunnel_clear(ike, what + 6);
	return 0;
}

/* clear ipsec ike-sa {PEER | all}: delete (the tunnels renegotiate) */
static int
cmd_clear_ike_sa(struct cmd_ctx *c)
{
	const char	*what = cmd_opt(c, "peer");

	if (c->s->d->ike == NULL)
		return cmd_err(c, "%s", "No IKE SAs: sectund runs without the "
		    "kernel");
	if (ike_sa_clear(c->s->d->ike, what) == 0 && strcmp(what, "all") != 0)
		return cmd_err(c, "No IKE SA with peer %s", what);
	return 0;
}

/* request ipsec rekey tunnel ipsec:NAME: a CHILD_SA rekey now (RFC 7296
 * 1.3.3), as the kernel's soft expire would start it */
static int
cmd_rekey_tunnel(struct cmd_ctx *c)
{
	const char	*what = cmd_opt(c, "tunnel");
	struct ike	*ike = c->s->d->ike;

	if (ike == NULL)
		return cmd_err(c, "%s", "No negotiated SAs: sectund runs "
		    "without the kernel");
	if (strncmp(what, "ipsec:", 6) != 0 ||
	    ike_tun_get(ike, what + 6, 0) == NULL)
		return cmd_err(c, "No signaled tunnel %s", what);
	if (ike_tunnel_rekey(ike, what + 6) == -1)
		return cmd_err(c, "Tunnel %s has no established CHILD_SA to "
		    "rekey", what);
	return 0;
}

/* request ipsec rekey ike-sa {PEER | all}: an IKE SA rekey now (1.3.2) */
static int
cmd_rekey_ike_sa(struct cmd_ctx *c)
{
	const char	*what = cmd_opt(c, "peer");

	if (c->s->d->ike == NULL)
		return cmd_err(c, "%s", "No IKE SAs: sectund runs without the "
		    "kernel");
	if (ike_sa_rekey(c->s->d->ike, what) == 0 && strcmp(what, "all") != 0)
		return cmd_err(c, "No established IKE SA with peer %s", what);
	return 0;
}

#define DEBUG_OPTS { { "what", CLI_CMD_ARGUMENT, \
	"ike | kernel | dpd | hooks | all", cmd_complete_debug } }

const struct cmd_spec cmd_exec_specs[] = {
	{ "debug ipsec", "IPsec debugging", MODE_EXEC, 0, cmd_debug,
	    DEBUG_OPTS, cmd_debug, DEBUG_OPTS },
	{ "undebug all", "Turn off all debugging", MODE_EXEC, 0,
	    cmd_undebug_all },
	{ "show debugging", "Debugging switches that are on", MODE_EXEC, 0,
	    cmd_show_debugging },
	{ "clear ipsec tunnel", "Tear a tunnel's SAs down and negotiate "
	    "again", MODE_EXEC, 0, cmd_clear_tunnel,
	    { { "tunnel", CLI_CMD_ARGUMENT, "ipsec:NAME | all" } } },
	{ "clear ipsec ike-sa", "Delete IKE SAs (their tunnels negotiate "
	    "again)", MODE_EXEC, 0, cmd_clear_ike_sa,
	    { { "peer", CLI_CMD_ARGUMENT, "Peer address | all" } } },
	{ "request ipsec rekey tunnel", "Rekey a tunnel's CHILD_SA now",
	    MODE_EXEC, 0, cmd_rekey_tunnel,
	    { { "tunnel", CLI_CMD_ARGUMENT, "ipsec:NAME" } } },
	{ "request ipsec rekey ike-sa", "Rekey IKE SAs now", MODE_EXEC, 0,
	    cmd_rekey_ike_sa,
	    { { "peer", CLI_CMD_ARGUMENT, "Peer address | all" } } },
	{ NULL },
};
