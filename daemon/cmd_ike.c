/* cmd_ike: placeholder while the area is written. */
#include "cmd.h"
const struct cmd_spec cmd_ike_specs[] = { { NULL } };
void cmd_ike_running(struct cmd_ctx *c) { (void)c; }
