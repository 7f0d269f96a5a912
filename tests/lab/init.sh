#!/bin/sh
# /init of the lab's initramfs (busybox sh; tests/lab/lab.sh builds it).
#
# Loads the modules the lab needs, puts a writable overlay (tmpfs upper) on
# the host's root filesystem (9p, read-only), chroots into it and runs
# RUNDIR/run, the command lab.sh wrote; RUNDIR comes from the kernel command
# line (sectun_lab=RUNDIR). The host learns the outcome from "SECTUN-LAB"
# lines on the console, then the guest powers itself off.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin

say() {
	echo "SECTUN-LAB $*"
}

# init must never exit (the kernel would panic): power off and wait.
off() {
	poweroff -f
	sleep 60
}

die() {
	say "init-error $*"
	off
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

for m in virtio_pci 9pnet_virtio 9p overlay veth vrf xfrm_interface \
    esp4 esp6 xfrm_user gcm authenc echainiv seqiv chacha20poly1305 \
    sha256_generic sha512_generic tun; do
	modprobe "$m" || die "modprobe $m failed"
done
# Loaded now, not on demand, and without the dummy0 it would make.
modprobe dummy numdummies=0 || die "modprobe dummy failed"

run=
for arg in $(cat /proc/cmdline); do
	case $arg in
	sectun_lab=*) run=${arg#sectun_lab=} ;;
	esac
done
[ -n "$run" ] || die "no sectun_lab=RUNDIR on the kernel command line"

mkdir -p /mnt/host /mnt/rw /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000 hostroot \
    /mnt/host || die "cannot mount the host's root (9p)"
mount -t tmpfs -o mode=0755 tmpfs /mnt/rw
mkdir /mnt/rw/upper /mnt/rw/work
mount -t overlay overlay \
    -o lowerdir=/mnt/host,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work \
    /newroot || die "cannot mount the overlay"
[ -r "/newroot$run/run" ] || die "$run/run is not readable in the guest"

for d in proc sys dev; do
	mount --move "/$d" "/newroot/$d"
done
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /newroot/dev/pts
mount -t tmpfs tmpfs /newroot/dev/shm
# Not /tmp: it holds the run directory the host prepared.
mount -t tmpfs -o mode=0755 tmpfs /newroot/run
# The kernel's modules for the guest's own modprobe and lsmod.
kver=$(uname -r)
mkdir -p "/newroot/lib/modules/$kver"
mount --bind "/lib/modules/$kver" "/newroot/lib/modules/$kver"
hostname lab

chroot /newroot /bin/sh "$run/run"
say "exit $?"
off
