#!/bin/bash
# The kernel plumbing under the IKE engine, driven by tests/lab/knet_probe
# through lib/ike_net.c and lib/kernel_xfrm.c: IKE sockets per transport
# VRF on one port, sending from a chosen address, the NAT-T port (non-ESP
# marker, keepalives), the per-socket IPsec bypass, ALLOCSPI + UPDSA, SAs
# with UDP encapsulation carrying a ping through an xfrm interface,
# lifetimes and EXPIRE, ACQUIRE with the interface's if_id, and name
# resolution in a VRF.
#
# Two routers, three links: a0 in vrf-a and b0 in vrf-b with the SAME
# addresses (192.0.2.1, .2), d0 in the default VR (203.0.113.1, .2).
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"

KP=$SECTUN_BUILD/tests/lab/knet_probe
K12=000102030405060708090a0b0c0d0e0f10111213	# AES-128 key + salt
K21=101112131415161718191a1b1c1d1e1f20212223
MSG=IKE-test-message-long-enough-for-a-header	# >= 28 bytes

kp() {	# R ARGS...: knet_probe in R
	local r=$1
	shift
	ip netns exec "$r" "$KP" "$@"
}

bg() {	# LOG R ARGS...: knet_probe in R, in the background, once it is ready
	local log=$1 r=$2
	shift 2
	kp "$r" "$@" >"$log" 2>&1 &
	for _ in $(seq 50); do
		[ -s "$log" ] && return 0
		sleep 0.1
	done
	echo "# knet_probe $* did not start"
	return 1
}

has() {	# LOG REGEX
	grep -qE -- "$2" "$1"
}

# shellcheck disable=SC2317	# called through check
lacks() {	# LOG REGEX
	! grep -qE -- "$2" "$1"
}

router R1
router R2
wire R1 a0 R2 a0
wire R1 b0 R2 b0
wire R1 d0 R2 d0
for n in 1 2; do
	ip -n R$n -batch - <<-EOF
	link add vrf-a type vrf table 10
	link add vrf-b type vrf table 20
	link set vrf-a up
	link set vrf-b up
	link set a0 master vrf-a
	link set b0 master vrf-b
	addr add 192.0.2.$n/24 dev a0
	addr add 192.0.2.1$n/24 dev a0
	addr add 2001:db8:a::$n/64 dev a0 nodad
	addr add 192.0.2.$n/24 dev b0
	addr add 203.0.113.$n/24 dev d0
	EOF
done

# ---- IKE sockets per VRF, one port ----
bg /run/a.log R2 listen --echo -t 120 vrf-a 500
bg /run/a6.log R2 listen -6 --echo -t 120 vrf-a 500
bg /run/b.log R2 listen -t 120 vrf-b 500
bg /run/d.log R2 listen -t 120 - 500
check_output "R2: four IKE sockets on UDP/500: vrf-a (v4, v6), vrf-b, default VR" \
    '^4$' sh -c "ip netns exec R2 ss -uln | grep -c ':500 '"
check_output "the sockets are bound to their VRFs" '%vrf-b:500' \
    ip netns exec R2 ss -uln
kp R1 send vrf-a 192.0.2.1 192.0.2.2 500 "$MSG-to-vrf-a" >/dev/null
kp R1 send vrf-b 192.0.2.1 192.0.2.2 500 "$MSG-to-vrf-b" >/dev/null
kp R1 send - 203.0.113.1 203.0.113.2 500 "$MSG-to-default" >/dev/null
sleep 0.5
check "vrf-a's socket got vrf-a's packet, to 192.0.2.2:500, and no other" \
    sh -c "grep -q 'from=192.0.2.1:500 to=192.0.2.2:500 .*-to-vrf-a' /run/a.log &&
	! grep -qE 'to-vrf-b|to-default' /run/a.log"
check "vrf-b's socket got only vrf-b's packet (same addresses)" \
    sh -c "grep -q 'to=192.0.2.2:500 .*-to-vrf-b' /run/b.log &&
	! grep -qE 'to-vrf-a|to-default' /run/b.log"
check "the default VR's socket got only its own (udp_l3mdev_accept is 1)" \
    sh -c "grep -q 'to=203.0.113.2:500 .*-to-default' /run/d.log &&
	! grep -q 'to-vrf' /run/d.log"
check_error "kernel: without SO_REUSEADDR a default-VR socket cannot join port 500" \
    'Address already in use' ip netns exec R2 python3 -c 'import socket
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(("0.0.0.0", 500))'
check_output "kernel: with SO_REUSEADDR a second socket in the same VRF binds too" \
    'listening' kp R2 listen -t 0 vrf-a 500

# ---- sending from a chosen local address in a VRF ----
check_output "from 192.0.2.11 to 192.0.2.12 in vrf-a; the answer comes from .12 (not the primary .2)" \
    'reply from=192.0.2.12:500 to=192.0.2.11:500 len=[0-9]+ data=.*-from-11' \
    kp R1 send --wait 3 vrf-a 192.0.2.11 192.0.2.12 500 "$MSG-from-11"
check_output "IPv6 in vrf-a: echo from the address it was sent to" \
    'reply from=\[2001:db8:a::2\]:500 to=\[2001:db8:a::1\]:500 .*-v6' \
    kp R1 send -6 --wait 3 vrf-a 2001:db8:a::1 2001:db8:a::2 500 "$MSG-v6"

# ---- NAT-T port: the non-ESP marker and keepalives (RFC 3948) ----
bg /run/n1.log R1 listen --natt -t 120 vrf-a 4500
bg /run/n2.log R2 listen --natt -t 120 vrf-a 4500
kp R1 send --natt vrf-a 192.0.2.1 192.0.2.2 4500 "$MSG-natt" >/dev/null
hex=$(printf '%s' "$MSG-raw-marker" | od -An -tx1 | tr -d ' \n')
kp R1 send --sport 4501 vrf-a 192.0.2.1 192.0.2.2 4500 "hex:00000000$hex" >/dev/null
# the keepalive on the wire: UDP length 9 (RFC 3948 2.3)
ip netns exec R2 timeout 30 tcpdump -lni a0 -c 1 'udp dst port 4500 and udp[4:2] = 9' \
    >/run/ka.log 2>&1 &
for _ in $(seq 50); do has /run/ka.log 'listening on' && break; sleep 0.1; done
kp R1 keepalive --sport 4502 vrf-a 192.0.2.2 4500 >/dev/null
kp R1 send --sport 4503 vrf-a 192.0.2.1 192.0.2.2 4500 "hex:00000000aabbcc" >/dev/null
sleep 0.5
check_output "4500: our natt send (marker added) arrives without the marker" \
    "len=$((${#MSG} + 5)) data=$MSG-natt\$" cat /run/n2.log
check_output "4500: a marked datagram from another sender arrives stripped" \
    "from=192.0.2.1:4501 .*data=$MSG-raw-marker\$" cat /run/n2.log
wait_for 10 "4500: a NAT-keepalive (one 0xff byte) reached R2" \
    has /run/ka.log '192\.0\.2\.1\.4502 > 192\.0\.2\.2\.4500'
# xfrm4_udp_encap_rcv() eats keepalives on a UDP_ENCAP socket
check_output "4500: the kernel ate the keepalive; the too short message was dropped by us" \
    '^1$' grep -c '^dropped' /run/n2.log
check "4500: no datagram of length 1 or 3 was passed on" lacks /run/n2.log 'len=[13] '
check_output "4500: an IPv6 natt socket (UDP_ENCAP on IPv6) in vrf-a" 'listening' \
    kp R2 listen -6 --natt -t 0 vrf-a 4500

# ---- the bypass policy against a global any <-> any policy ----
for n in 1 2; do
	p=$((3 - n))
	ip -n R$n -batch - <<-EOF
	xfrm policy add dir out src 0.0.0.0/0 dst 0.0.0.0/0 tmpl src 192.0.2.$n dst 192.0.2.$p proto esp reqid 99 mode tunnel
	xfrm policy add dir in src 0.0.0.0/0 dst 0.0.0.0/0 tmpl src 192.0.2.$p dst 192.0.2.$n proto esp reqid 99 mode tunnel
	EOF
done
kp R1 send --plain --sport 501 vrf-a 192.0.2.1 192.0.2.2 500 "$MSG-unprotected" >/dev/null 2>&1 || true
sleep 0.5
check "control: a socket without the bypass is caught by the policy" \
    lacks /run/a.log unprotected
check_output "any <-> any on both routers: IKE goes and comes back in the clear" \
    'reply from=192.0.2.2:500 .*-bypass' \
    kp R1 send --wait 3 vrf-a 192.0.2.1 192.0.2.2 500 "$MSG-bypass"
for n in 1 2; do
	ip -n R$n xfrm policy flush
	ip -n R$n xfrm state flush
done

# ---- ALLOCSPI, UPDSA, ESP in UDP through an xfrm interface ----
spi_of() {	# the SPI knet_probe spi-alloc printed
	sed -n 's/^spi=//p'
}
SPI1=$(kp R1 spi-alloc 192.0.2.2 192.0.2.1 1 1 | spi_of)	# R1's inbound
SPI2=$(kp R2 spi-alloc 192.0.2.1 192.0.2.2 1 1 | spi_of)	# R2's inbound
echo "# SPIs: R1 in $SPI1, R2 in $SPI2"
check_output "ALLOCSPI: an SPI in 0xc0000000..0xcfffffff" '^0xc' echo "$SPI1"
check_output "the larval SA carries if_id 1" 'if_id 0x1' ip -n R1 xfrm state get \
    src 192.0.2.2 dst 192.0.2.1 proto esp spi "$SPI1"
check "and no algorithm yet" sh -c "! ip -n R1 xfrm state get src 192.0.2.2 \
	dst 192.0.2.1 proto esp spi $SPI1 | grep -q aead"
SPI3=$(kp R1 spi-alloc 192.0.2.2 192.0.2.1 1 1 | spi_of)
check "a second ALLOCSPI for the same pair (a rekey) gets another SPI ($SPI3)" \
    test -n "$SPI3" -a "$SPI3" != "$SPI1"
for n in 1 2; do
	p=$((3 - n))
	if [ $n = 1 ]; then in=$SPI1 out=$SPI2 kin=$K21 kout=$K12
	else in=$SPI2 out=$SPI1 kin=$K12 kout=$K21; fi
	ip -n R$n link add ipsec1 type xfrm dev vrf-a if_id 1
	ip -n R$n addr add 10.0.0.$n/30 dev ipsec1
	ip -n R$n link set ipsec1 up
	kp R$n sa --update --encap 4500,4500 --replay 32 \
	    192.0.2.$p 192.0.2.$n "$in" 1 1 "$kin" >/dev/null
	kp R$n sa --encap 4500,4500 192.0.2.$n 192.0.2.$p "$out" 1 1 "$kout" >/dev/null
	kp R$n sp 192.0.2.$n 192.0.2.$p 1 1 >/dev/null
done
check_output "UPDSA completed the larval SA: same SPI, now AES-GCM in UDP 4500" \
    'encap type espinudp sport 4500 dport 4500' sh -c "ip -n R1 xfrm state get \
	src 192.0.2.2 dst 192.0.2.1 proto esp spi $SPI1 | grep -A20 rfc4106"
check_output "kernel_sa_get reads encap, if_id, replay window back" \
    "spi=$SPI1 reqid=1 if_id=1 alg=rfc4106\(gcm\(aes\)\) encap=4500,4500 life=0,0,0,0 replay_win=32" \
    kp R1 sa-get 192.0.2.1 "$SPI1"
ip netns exec R1 timeout 20 tcpdump -lni a0 -c 2 udp port 4500 \
    >/run/tcpdump.log 2>&1 &
for _ in $(seq 50); do has /run/tcpdump.log 'listening on' && break; sleep 0.1; done
check "a ping through ipsec1 (ESP in UDP, SAs from ALLOCSPI + UPDSA)" \
    ip netns exec R1 ping -c 2 -W 2 10.0.0.2
sleep 0.5
check_output "tcpdump on a0: the ping went as UDP 4500 ESP with R2's SPI" \
    "192\.0\.2\.1\.4500 > 192\.0\.2\.2\.4500: UDP-encap: ESP\(spi=$SPI2" cat /run/tcpdump.log
check_output "IKE on 500 still flows in the clear beside if_id 1's any <-> any policies" \
    'reply from=192.0.2.2:500 .*-beside-tunnel' \
    kp R1 send --wait 3 vrf-a 192.0.2.1 192.0.2.2 500 "$MSG-beside-tunnel"
kp R1 send --natt --sport 4504 vrf-a 192.0.2.1 192.0.2.2 4500 "$MSG-ike-on-4500" >/dev/null
sleep 0.5
check_output "IKE on 4500 reaches R2's socket while ESP shares the port" \
    "data=$MSG-ike-on-4500\$" cat /run/n2.log

# ---- lifetimes and EXPIRE ----
kp R1 sa --life 1000000,2000000,100,200 --replay 128 192.0.2.1 192.0.2.2 0x5000 5 5 "$K12" >/dev/null
check_output "soft/hard bytes in the kernel" 'soft 1000000\(bytes\), hard 2000000\(bytes\)' \
    ip -n R1 -s xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x5000
check_output "soft/hard seconds in the kernel" 'expire add: soft 100\(sec\), hard 200\(sec\)' \
    ip -n R1 -s xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x5000
check_output "a 128-packet replay window (XFRMA_REPLAY_ESN_VAL)" 'replay_window 128' \
    ip -n R1 xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x5000
check_output "kernel_sa_get reads the lifetimes and the window back" \
    'life=1000000,2000000,100,200 replay_win=128' kp R1 sa-get 192.0.2.2 0x5000
# The kernel's SA timer checks hard before soft: a timer that fires late
# (a loaded lab) may report only the hard expire, so they are 1 s apart.
bg /run/mon-exp.log R1 mon 40
kp R1 sa --life 0,0,1,3 192.0.2.1 192.0.2.2 0x5001 5 7 "$K12" >/dev/null
wait_for 15 "EXPIRE soft after 1 s, with the SA's if_id and reqid" \
    has /run/mon-exp.log '^expire soft spi=0x00005001 if_id=7 reqid=5 src=192.0.2.1 dst=192.0.2.2 proto=50'
wait_for 15 "EXPIRE hard after 3 s" has /run/mon-exp.log '^expire hard spi=0x00005001 if_id=7'
sed 's/^/# /' /run/mon-exp.log
check "after the hard expire the SA is gone" \
    sh -c '! ip -n R1 xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x5001 2>/dev/null'

# ---- ACQUIRE: traffic into an xfrm interface with a policy, no SA ----
ip -n R1 link add ipsec2 type xfrm dev vrf-a if_id 2
ip -n R1 addr add 10.0.2.1/30 dev ipsec2
ip -n R1 link set ipsec2 up
kp R1 sp 192.0.2.1 192.0.2.2 2 2 >/dev/null
bg /run/mon-acq.log R1 mon 15 1
ip netns exec R1 ping -c 1 -W 1 10.0.2.2 >/dev/null 2>&1 || true
wait_for 10 "ACQUIRE for a ping into ipsec2, with if_id 2 (XFRMA_IF_ID) and the template" \
    has /run/mon-acq.log '^acquire if_id=2 reqid=2 src=192.0.2.1 dst=192.0.2.2 sel=10.0.2.1->10.0.2.2 sel_proto=1 proto=50'
check_output "the kernel's larval SA for it (spi 0) has if_id 2" 'if_id 0x2' \
    ip -n R1 xfrm state list src 192.0.2.1 dst 192.0.2.2 reqid 2
sed 's/^/# /' /run/mon-acq.log

# ---- name resolution in a VRF ----
echo 'nameserver 192.0.2.2' >/run/resolv.conf
mount --bind /run/resolv.conf /etc/resolv.conf
bg /run/dns.log R2 dns-serve vrf-b 198.51.100.7 60
check_output "resolve in vrf-b: our DNS client asks 192.0.2.2 through vrf-b" \
    '^resolved 198.51.100.7:0' kp R1 resolve vrf-b peer.example 4
check_output "in vrf-a the same nameserver address has no server: refused, fast" \
    'no answer from the nameservers' sh -c "! ip netns exec R1 $KP resolve vrf-a peer.example 4 2>&1"
check_output "AAAA with no IPv6 answer: no such address" 'no such name or no address' \
    sh -c "! ip netns exec R1 $KP resolve vrf-b peer.example 6 2>&1"
check_output "default VR: getaddrinfo (/etc/hosts)" '^resolved 127.0.0.1:0' \
    kp R1 resolve - localhost 4
check_output "an address literal is taken as is" '^resolved \[2001:db8::5\]:0' \
    kp R1 resolve vrf-b 2001:db8::5
done_checks
