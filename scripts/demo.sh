#!/bin/sh
# The main job, for now: build sectun, start sectund on a fresh database,
# configure it through sectun and show it answering. Run as root.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${SECTUN_BUILD:-$top/build}/demo
"$top/scripts/install-deps.sh"
"$top/scripts/build.sh" "$build" --enable-werror
work=$(mktemp -d /tmp/sectun-demo.XXXXXX)
sectund="$build/daemon/sectund --no-kernel --db $work/db/sectun.db --socket $work/cli.sock --pidfile $work/sectund.pid"
sectun="$build/cli/sectun --socket $work/cli.sock"
trap 'kill "$(cat "$work/sectund.pid" 2>/dev/null)" 2>/dev/null; rm -rf "$work"' EXIT

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
say "# sectund --db $work/db/sectun.db ... (a fresh database)"
$sectund --hostname hq
say "# sectun -c 'show virtual-router'"
$sectun -c 'show virtual-router'
say "# sectun < configuration"
$sectun <<'CONF'
configure terminal
virtual-router red table 100
ipsec transform-set gcm transform esp-aes256-gcm
ipsec key pre-share branch.example.com key not-in-the-clear
interface tunnel ipsec:branch
 description "to the branch office"
 virtual-router red
 tunnel source 192.0.2.1
 tunnel destination 198.51.100.2
 tunnel transform-set gcm
 ip address 10.255.0.1/30
exit
ip route virtual-router red 10.2.0.0/16 tunnel ipsec:branch
end
CONF
say "# sectun -c 'show running-config'"
$sectun -c 'show running-config'
say "# sectun -c 'show ipsec tunnel'"
$sectun -c 'show ipsec tunnel'
say "# kill -9 and restart: the configuration is still there"
kill -9 "$(cat "$work/sectund.pid")"
sleep 0.2
$sectund --hostname hq
$sectun -c 'show ipsec tunnel ipsec:branch detail'
