#!/bin/sh
# Install every build and test dependency of sectun from Debian 12 packages.
# Safe to run again: apt-get skips what is already installed.
set -eu
PKGS="build-essential autoconf automake pkgconf
libssl-dev libnl-3-dev libnl-route-3-dev libnl-xfrm-3-dev libcli-dev
libsqlite3-dev sqlite3 libevent-dev check libsubunit-dev
python3 groff-base man-db
qemu-system-x86 busybox-static cpio kmod xz-utils
iproute2 iputils-ping nftables tcpdump"
# The last two lines are the network lab's (tests/lab/): qemu and what its
# initramfs is made of, then the tools its scenarios run in the guest.
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: need root to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
