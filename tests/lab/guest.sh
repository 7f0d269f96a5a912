#!/bin/bash
# guest.sh RUNDIR: inside the lab's guest (init.sh runs it in the chroot on
# the host's files): runs the scenarios RUNDIR/request names, one after
# another, each in a fresh state, and reports on the console in the lines
# lab.sh reads:
#   SECTUN-LAB up UPTIME                 the guest is ready
#   SECTUN-LAB | NAME | TEXT             a line of the scenario's output
#   SECTUN-LAB result NAME STATUS SECONDS
set -eu
run=$1
# SECTUN_BUILD SECTUN_SRC SECTUN_LIBRESWAN SECTUN_LAB_SCENARIO_TIMEOUT
# scenarios=(...)
# shellcheck disable=SC1091
. "$run/request"
export SECTUN_BUILD SECTUN_SRC SECTUN_LIBRESWAN SECTUN_LAB=1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8 HOME=/root

uptime() {
	cut -d' ' -f1 /proc/uptime
}

# Each line as soon as it comes (a scenario may hang the guest after it),
# and a last line without its newline gets one. Plain awk and sed -u would
# wait for a full buffer or the next line; a loop of bash "read" costs
# 2 ms a line under TCG, "mawk -W interactive" a twentieth of that.
prefix() {
	local line
	if command -v mawk >/dev/null; then
		mawk -W interactive -v p="$1" '{ print p $0 }'
	else
		while IFS= read -r line || [ -n "$line" ]; do
			printf '%s%s\n' "$1" "$line"
		done
	fi
}

ip link set lo up
echo "SECTUN-LAB up $(uptime)"

# shellcheck disable=SC2154
for s in "${scenarios[@]}"; do
	name=$(basename "$s" .sh)
	t0=$(uptime)
	# Its own mount and pid namespaces, and a fresh tmpfs on /run: when it
	# ends, every process it started dies with the pid namespace and its
	# network namespaces (bound under /run/netns) go with the mounts.
	set +e
	timeout -k 5 "$SECTUN_LAB_SCENARIO_TIMEOUT" \
	    unshare --mount --pid --fork --kill-child --mount-proc \
	    /bin/bash -c 'mount -t tmpfs -o mode=0755 tmpfs /run &&
		cd /run && exec /bin/bash "$1"' scenario "$s" </dev/null 2>&1 |
	    prefix "SECTUN-LAB | $name | "
	rc=${PIPESTATUS[0]}
	set -e
	echo "SECTUN-LAB result $name $rc $(awk -v a="$t0" -v b="$(uptime)" \
	    'BEGIN { printf "%.1f", b - a }')"
	# Scenarios work in their own network namespaces; in case one did not.
	ip xfrm state flush || true
	ip xfrm policy flush || true
done
