#!/bin/bash
# lab.sh: runs network-lab scenarios on Debian's own kernel under qemu, in
# one boot, and prints "ok NAME" / "FAIL NAME" per scenario (a failed one's
# log below it), then "lab: N passed, M failed". Exits 0 only if all passed.
#
#   tests/lab/lab.sh [--build DIR] [--keep] [-v] [--timeout SECONDS] [SCENARIO...]
#
# SCENARIO: a name (00-kernel-smoke) or path of a scenario script; none
# means every tests/lab/scenarios/*.sh. --build: the build directory whose
# daemon/sectund and cli/sectun the scenarios run (default: build/werror).
# --keep: keep the run directory (console log) even when everything passed.
# -v: print every scenario's log, not only a failed one's.
#
# Environment: SECTUN_LAB_CACHE (kernel and initramfs cache, default
# /var/cache/sectun-lab), SECTUN_LAB_TIMEOUT (whole boot, default 1200 s),
# SECTUN_LAB_SCENARIO_TIMEOUT (each scenario, default 300 s),
# SECTUN_LAB_CPUS (guest CPUs, default 2). See tests/lab/README.md.
set -eu

lab=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$lab/../.." && pwd)
cache=${SECTUN_LAB_CACHE:-/var/cache/sectun-lab}
# The whole lab must stay well under 20 minutes (LAB.md); a hung scenario
# is stopped by its own limit long before this one.
total_timeout=${SECTUN_LAB_TIMEOUT:-1200}
scenario_timeout=${SECTUN_LAB_SCENARIO_TIMEOUT:-300}
cpus=${SECTUN_LAB_CPUS:-2}
build=$top/build/werror
keep=0
verbose=0
# The kernel's modules the initramfs carries (LAB.md); the kernel's own
# request_module runs the initramfs's /sbin/modprobe, so these are all the
# guest can ever load.
MODDIRS="crypto arch/x86/crypto lib/crypto net/xfrm net/ipv4 net/ipv6
net/netfilter net/9p fs/9p fs/overlayfs fs/netfs fs/fscache drivers/virtio"
MODFILES="drivers/net/veth.ko drivers/net/vrf.ko drivers/net/tun.ko
drivers/net/dummy.ko lib/libcrc32c.ko"

usage() {
	sed -n '6p' "$0" | sed 's/^#   /usage: /' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--build) [ $# -ge 2 ] || usage; build=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-v | --verbose) verbose=1; shift ;;
	--timeout) [ $# -ge 2 ] || usage; total_timeout=$2; shift 2 ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done

# --- which scenarios -----------------------------------------------------

scenarios=()	# absolute paths
names=()	# their names, the markers' keys
if [ $# -eq 0 ]; then
	for s in "$lab"/scenarios/*.sh; do
		[ -f "$s" ] && set -- "$@" "$s"
	done
fi
for arg in "$@"; do
	if [ -f "$arg" ]; then
		s=$(realpath "$arg")
	elif [ -f "$lab/scenarios/$arg.sh" ]; then
		s=$lab/scenarios/$arg.sh
	elif [ -f "$lab/scenarios/$arg" ]; then
		s=$lab/scenarios/$arg
	else
		echo "lab: no scenario '$arg' (not a file, nor in $lab/scenarios)" >&2
		exit 2
	fi
	name=$(basename "$s" .sh)
	case $name in
	*[!A-Za-z0-9._-]*)
		echo "lab: scenario name '$name': use only A-Z a-z 0-9 . _ -" >&2
		exit 2 ;;
	esac
	for n in "${names[@]}"; do
		if [ "$n" = "$name" ]; then
			echo "lab: scenario '$name' named twice" >&2
			exit 2
		fi
	done
	scenarios+=("$s")
	names+=("$name")
done
if [ ${#names[@]} -eq 0 ]; then
	echo "lab: no scenarios in $lab/scenarios" >&2
	exit 2
fi

# The guest sees the host's files at the same paths, except under these.
visible() {
	case $1 in
	/run/* | /proc/* | /sys/* | /dev/*)
		echo "lab: $1 is hidden from the guest (it has its own /run, /proc, /sys, /dev)" >&2
		exit 2 ;;
	esac
}
if [ -d "$build" ]; then
	build=$(realpath "$build")
	[ -x "$build/daemon/sectund" ] ||
		echo "lab: note: $build has no daemon/sectund yet; scenarios that start it will fail" >&2
else
	echo "lab: note: no build directory $build; scenarios that start sectund will fail" >&2
fi
visible "$build/"
visible "$lab/"
for s in "${scenarios[@]}"; do
	visible "$s"
done

# When the lab cannot run at all, every scenario failed.
cannot_run() {
	echo "lab: $*" >&2
	for n in "${names[@]}"; do
		echo "FAIL $n (the lab did not run)"
	done
	echo "lab: 0 passed, ${#names[@]} failed"
	exit 1
}

command -v qemu-system-x86_64 >/dev/null ||
	cannot_run "qemu-system-x86_64 missing (scripts/install-deps.sh installs it)"
for t in busybox cpio depmod apt-get dpkg flock xz; do
	command -v "$t" >/dev/null || cannot_run "$t missing (scripts/install-deps.sh)"
done

# --- kernel and initramfs, cached ----------------------------------------

# Prints "KERNEL INITRD" once both are in the cache.
prepare() {
	local pkg kver kdir mods tmp key initrd d m kernel off
	mkdir -p "$cache"
	exec 9>"$cache/lock"
	flock 9
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	    sed -n 's/^ *Depends: \(linux-image-[^ ]*-amd64\)$/\1/p' | head -n 1)
	if [ -z "$pkg" ]; then
		# Offline or no package lists: use the cached kernel, if any.
		pkg=$(cd "$cache" && ls -d linux-image-*/.ok 2>/dev/null |
		    sed 's|/\.ok$||' | sort -V | tail -n 1)
		[ -n "$pkg" ] || { echo "apt-cache depends linux-image-amd64 names no kernel package (apt-get update?)" >&2; return 1; }
		echo "lab: apt names no kernel; using the cached $pkg" >&2
	fi
	kver=${pkg#linux-image-}
	kdir=$cache/$pkg
	if [ ! -e "$kdir/.ok" ]; then
		echo "lab: fetching $pkg into $cache (once)" >&2
		tmp=$(mktemp -d "$cache/fetch.XXXXXX")
		if ! (cd "$tmp" && apt-get download -q "$pkg") >"$tmp/log" 2>&1; then
			cat "$tmp/log" >&2
			rm -rf "$tmp"
			return 1
		fi
		dpkg -x "$tmp"/*.deb "$tmp/tree"
		rm -rf "$tmp/tree/usr/share"
		mods=$(cd "$tmp/tree" && ls -d {,usr/}lib/modules/"$kver" 2>/dev/null | head -n 1)
		if [ -z "$mods" ] || [ ! -f "$tmp/tree/boot/vmlinuz-$kver" ]; then
			echo "$pkg holds no vmlinuz-$kver or lib/modules/$kver" >&2
			rm -rf "$tmp"
			return 1
		fi
		# One place for the modules, whatever the package's layout.
		[ "$mods" = "lib/modules/$kver" ] ||
			{ mkdir -p "$tmp/tree/lib/modules"; mv "$tmp/tree/$mods" "$tmp/tree/lib/modules/"; }
		depmod -b "$tmp/tree" "$kver"
		rm -rf "$kdir"
		mv "$tmp/tree" "$kdir"
		touch "$kdir/.ok"
		rm -rf "$tmp"
	fi

	# qemu boots the ELF vmlinux at its PVH entry, which skips the
	# bzImage's xz decompression: 3 s of every boot under TCG. Without
	# one, the bzImage.
	kernel=$kdir/boot/vmlinux-$kver
	if [ ! -e "$kernel" ] && grep -qx 'CONFIG_PVH=y' "$kdir/boot/config-$kver"; then
		off=$(LC_ALL=C grep -abo $'\xfd7zXZ' "$kdir/boot/vmlinuz-$kver" |
		    head -n 1 | cut -d: -f1)
		tail -c +$((${off:-0} + 1)) "$kdir/boot/vmlinuz-$kver" |
		    xz -dcq >"$kernel.tmp" 2>/dev/null || true
		if [ "$(head -c 4 "$kernel.tmp" | od -An -c | tr -d ' ')" = 177ELF ]; then
			mv "$kernel.tmp" "$kernel"
		else
			rm -f "$kernel.tmp"
		fi
	fi
	[ -e "$kernel" ] || kernel=$kdir/boot/vmlinuz-$kver

	# Rebuilt when the kernel, /init, the module list or busybox changes.
	key=$({ echo "$kver $MODDIRS $MODFILES"; cat "$lab/init.sh"
	    sha256sum </bin/busybox; } | sha256sum | cut -c1-16)
	initrd=$cache/initramfs-$kver-$key.cpio.gz
	if [ ! -e "$initrd" ]; then
		echo "lab: building the initramfs" >&2
		d=$(mktemp -d "$cache/initramfs.XXXXXX")
		mkdir -p "$d/bin" "$d/lib/modules/$kver/kernel"
		for m in proc sys dev run mnt newroot; do
			mkdir "$d/$m"
		done
		cp /bin/busybox "$d/bin/busybox"
		for a in $(busybox --list-full); do
			mkdir -p "$d/$(dirname "$a")"
			[ -e "$d/$a" ] || ln -s /bin/busybox "$d/$a"
		done
		install -m 0755 "$lab/init.sh" "$d/init"
		for m in $MODDIRS $MODFILES; do
			mkdir -p "$d/lib/modules/$kver/kernel/$(dirname "$m")"
			cp -a "$kdir/lib/modules/$kver/kernel/$m" \
			    "$d/lib/modules/$kver/kernel/$m"
		done
		cp "$kdir/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} \
		    "$d/lib/modules/$kver/"
		depmod -b "$d" "$kver"
		(cd "$d" && find . | cpio -o -H newc --quiet | gzip -1) >"$d.cpio.gz"
		mv "$d.cpio.gz" "$initrd"
		rm -rf "$d"
	fi
	# Forget kernels and images no run used for a day (one that started
	# a moment ago may still be booting from its files).
	touch "$kdir/.ok" "$initrd"
	for m in "$cache"/linux-image-*/.ok "$cache"/initramfs-*.cpio.gz; do
		[ -e "$m" ] || continue
		[ -n "$(find "$m" -mmin +1440)" ] || continue
		rm -rf "${m%/.ok}"
	done
	echo "$kernel $initrd"
}

# libreswan for tests/lab/peers.sh. Debian's libreswan conflicts with
# strongswan-charon (Conflicts: strongswan-libcharon, strongswan-starter,
# ike-server), so unless it is installed the lab runs it unpacked from its
# package, fetched like the kernel (its libraries come from
# scripts/install-deps.sh). Prints the unpacked tree, or nothing when
# there is none (scenarios that start pluto then fail, the rest run).
libreswan_tree() {
	local ver tree='' tmp m
	[ ! -x /usr/libexec/ipsec/pluto ] || return 0
	exec 9>"$cache/lock"
	flock 9
	ver=$(apt-cache policy libreswan 2>/dev/null | sed -n 's/^ *Candidate: //p')
	if [ -n "$ver" ] && [ "$ver" != "(none)" ] && [ ! -e "$cache/libreswan_$ver/.ok" ]; then
		echo "lab: fetching libreswan $ver into $cache (once)" >&2
		tmp=$(mktemp -d "$cache/fetch.XXXXXX")
		if (cd "$tmp" && apt-get download -q "libreswan=$ver") >"$tmp/log" 2>&1 &&
		    dpkg -x "$tmp"/libreswan_*.deb "$tmp/tree"; then
			rm -rf "$tmp/tree/usr/share" "$cache/libreswan_$ver"
			mv "$tmp/tree" "$cache/libreswan_$ver"
			touch "$cache/libreswan_$ver/.ok"
		else
			cat "$tmp/log" >&2
		fi
		rm -rf "$tmp"
	fi
	if [ -n "$ver" ] && [ -e "$cache/libreswan_$ver/.ok" ]; then
		tree=$cache/libreswan_$ver
	else	# offline: the newest one there is
		tree=$(ls -d "$cache"/libreswan_*/.ok 2>/dev/null | sort -V | tail -n 1)
		tree=${tree%/.ok}
	fi
	if [ -z "$tree" ]; then
		echo "lab: no libreswan; scenarios that start pluto will fail" >&2
		return 0
	fi
	touch "$tree/.ok"
	for m in "$cache"/libreswan_*/.ok; do
		[ -z "$(find "$m" -mmin +1440)" ] || rm -rf "${m%/.ok}"
	done
	echo "$tree"
}

# Seconds since $1 (a date +%s.%N), one decimal.
since() {
	awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

t0=$(date +%s.%N)
set +e
files=$(set -e; prepare)
rc=$?
set -e
[ "$rc" = 0 ] || cannot_run "cannot prepare the kernel and initramfs in $cache"
libreswan=$(libreswan_tree) || libreswan=
kernel=${files% *}
initrd=${files#* }
prep=$(since "$t0")
t1=$(date +%s.%N)

# --- the run -------------------------------------------------------------

run=$(mktemp -d /tmp/sectun-lab.XXXXXX)
qpid=
# Interrupted: stop qemu (timeout passes the signal on), keep the log.
stop() {
	[ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true
	echo "lab: stopped; console log: $run/console.log" >&2
}
trap stop EXIT
trap 'exit 1' INT TERM HUP

# The request, read by guest.sh inside the guest (same paths there).
{
	printf 'SECTUN_BUILD=%q\n' "$build"
	printf 'SECTUN_SRC=%q\n' "$top"
	printf 'SECTUN_LIBRESWAN=%q\n' "$libreswan"
	printf 'SECTUN_LAB_SCENARIO_TIMEOUT=%q\n' "$scenario_timeout"
	printf 'scenarios=('
	printf ' %q' "${scenarios[@]}"
	printf ' )\n'
} >"$run/request"
printf 'exec /bin/bash %q %q\n' "$lab/guest.sh" "$run" >"$run/run"
: >"$run/console.log"

timeout -k 10 "$total_timeout" qemu-system-x86_64 -accel tcg -m 1024 \
    -smp "$cpus" -nodefaults -no-user-config -display none -no-reboot \
    -nic none -serial "file:$run/console.log" \
    -kernel "$kernel" -initrd "$initrd" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -append "console=ttyS0 quiet panic=-1 sectun_lab=$run" \
    </dev/null >"$run/qemu.log" 2>&1 &
qpid=$!

# --- the console: markers from init.sh and guest.sh ----------------------

declare -A log=() result=()
passed=0
failed=0
init_error=

show_log() {	# NAME: its lines, indented
	[ -n "${log[$1]:-}" ] && printf '%s' "${log[$1]}" | sed 's/^/    /'
	return 0
}

while IFS= read -r line; do
	line=${line%$'\r'}
	case $line in
	"SECTUN-LAB | "*)
		line=${line#"SECTUN-LAB | "}
		name=${line%% | *}
		log[$name]+=${line#"$name | "}$'\n' ;;
	"SECTUN-LAB up "*)
		echo "lab: guest up in $(since "$t1") s (kernel uptime ${line#SECTUN-LAB up } s)" ;;
	"SECTUN-LAB result "*)
		read -r name rc secs <<<"${line#SECTUN-LAB result }"
		result[$name]=$rc
		if [ "$rc" = 0 ]; then
			echo "ok $name ($secs s)"
			[ "$verbose" = 0 ] || show_log "$name"
			passed=$((passed + 1))
		else
			[ "$rc" = 124 ] && why="timed out" || why="exit $rc"
			echo "FAIL $name ($why, $secs s)"
			show_log "$name"
			failed=$((failed + 1))
		fi ;;
	"SECTUN-LAB init-error "*)
		init_error=${line#SECTUN-LAB init-error } ;;
	esac
done < <(tail -s 0.2 -n +1 -f --pid="$qpid" "$run/console.log")

qrc=0
wait "$qpid" || qrc=$?
qpid=

unreported=0
for name in "${names[@]}"; do
	[ -z "${result[$name]:-}" ] || continue
	echo "FAIL $name (no result: the guest stopped before it finished)"
	show_log "$name"
	failed=$((failed + 1))
	unreported=1
done
if [ -n "$init_error" ]; then
	echo "lab: the guest's init failed: $init_error"
elif [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "lab: the guest did not finish within $total_timeout s"
elif [ "$qrc" != 0 ]; then
	echo "lab: qemu exited $qrc: $(cat "$run/qemu.log")"
fi
if [ "$unreported" = 1 ]; then
	echo "lab: the console's last lines:"
	grep -v '^SECTUN-LAB | ' "$run/console.log" | tail -n 20 | sed 's/^/    /'
fi
echo "lab: $(since "$t0") s in all ($prep s kernel and initramfs, $(since "$t1") s in qemu)"
trap - EXIT
if [ "$keep" = 1 ]; then
	echo "lab: run directory kept: $run"
elif [ "$failed" != 0 ]; then
	echo "lab: console log kept: $run/console.log"
else
	rm -rf "$run"
fi
echo "lab: $passed passed, $failed failed"
[ "$failed" = 0 ]
