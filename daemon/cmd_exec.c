/* cmd_exec: exec-mode commands that change no configuration: debugging
 * switches (what the runtime modules log at debug level). */
#include <string.h>

#include "cmd.h"
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

#define DEBUG_OPTS { { "what", CLI_CMD_ARGUMENT, \
	"ike | kernel | dpd | hooks | all", cmd_complete_debug } }

const struct cmd_spec cmd_exec_specs[] = {
	{ "debug ipsec", "IPsec debugging", MODE_EXEC, 0, cmd_debug,
	    DEBUG_OPTS, cmd_debug, DEBUG_OPTS },
	{ "undebug all", "Turn off all debugging", MODE_EXEC, 0,
	    cmd_undebug_all },
	{ "show debugging", "Debugging switches that are on", MODE_EXEC, 0,
	    cmd_show_debugging },
	{ NULL },
};
