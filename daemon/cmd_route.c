/* cmd_route: placeholder while the area is written. */
#include "cmd.h"
const struct cmd_spec cmd_route_specs[] = { { NULL } };
void cmd_route_running(struct cmd_ctx *c) { (void)c; }
