/* cmd_tunnel: placeholder while the area is written. */
#include "cmd.h"
const struct cmd_spec cmd_tunnel_specs[] = { { NULL } };
void cmd_tunnel_running(struct cmd_ctx *c) { (void)c; }
