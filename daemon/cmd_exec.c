/* cmd_exec: placeholder while the area is written. */
#include "cmd.h"
const struct cmd_spec cmd_exec_specs[] = { { NULL } };
