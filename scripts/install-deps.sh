#!/bin/sh
# Install every build and test dependency of sectun from Debian 12 packages.
# Safe to run again: apt-get skips what is already installed.
set -eu
PKGS="build-essential autoconf automake pkgconf
libssl-dev libnl-3-dev libnl-route-3-dev libnl-xfrm-3-dev libcli-dev
libsqlite3-dev sqlite3 libevent-dev check libsubunit-dev
python3 groff-base man-db
snmp snmptrapd smitools
clang libclang-rt-14-dev
qemu-system-x86 busybox-static cpio kmod xz-utils
iproute2 iputils-ping nftables tcpdump
strongswan-charon strongswan-swanctl libstrongswan-standard-plugins
libcharon-extra-plugins
libnss3-tools libnss3 libnspr4 libunbound8 libldns3 libcurl3-nss
libevent-2.1-7 libevent-core-2.1-7 libevent-pthreads-2.1-7 libcap-ng0
libaudit1 libldap-2.5-0 libpam0g libselinux1 libsystemd0"
# snmp, snmptrapd and smitools are for tests/hook_snmp.sh: the sample trap
# hook's snmptrap, a receiver, and smilint for mibs/SECTUN-MIB.txt.
# clang and its runtime (libFuzzer, sanitizers) are for scripts/fuzz.sh.
# From qemu on, the network lab's (tests/lab/): qemu and what its initramfs
# is made of, the tools its scenarios run in the guest, then the IKE peers
# of tests/lab/peers.sh: strongSwan, and what libreswan's pluto needs to
# run. Not libreswan itself: Debian's libreswan conflicts with
# strongswan-charon (libreswan: "Conflicts: ike-server, strongswan-libcharon,
# strongswan-starter"; strongswan-charon "Provides: ike-server"), so no
# apt-get call, one or several, installs both; the later one removes the
# other. tests/lab/lab.sh fetches libreswan's package instead
# (apt-get download, dpkg -x into its cache) and the lab runs pluto from it.
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
