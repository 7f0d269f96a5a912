#!/bin/sh
# The README's first command: build sectun, boot the network lab (Debian's
# own kernel under qemu, tests/lab/) and run the two-router demo in it:
# two sectund routers, a manual-key AES-GCM tunnel whose operational and
# transport virtual routers are different VRFs, "show ipsec tunnel detail"
# from both routers and a ping through the tunnel. Run as root.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${SECTUN_BUILD:-$top/build}/demo
"$top/scripts/install-deps.sh"
"$top/scripts/build.sh" "$build" --enable-werror
exec "$top/tests/lab/lab.sh" --build "$build" --verbose "$top/tests/lab/demo.sh"
