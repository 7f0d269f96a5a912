/* cmd_ipsec: placeholder while the area is written. */
#include "cmd.h"
const struct cmd_spec cmd_ipsec_specs[] = { { NULL } };
void cmd_ipsec_running(struct cmd_ctx *c) { (void)c; }
void cmd_ipsec_keys_running(struct cmd_ctx *c) { (void)c; }
