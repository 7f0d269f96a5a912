#!/bin/bash
# 00-kernel-smoke: the lab's kernel does what sectund needs, shown with
# iproute2 alone: VRFs, xfrm interfaces enslaved to a VRF, hand-made ESP
# tunnel-mode SAs and policies tied to an interface by if_id, ping through.
#
# Two routers R1 and R2, a veth wan0 between them. In each: the transport
# VRF vrf-tr (table 100) holds wan0 (192.0.2.x/24, 2001:db8:1::x/64); the
# operational VRF vrf-op (table 200) holds the xfrm interfaces.
#
# Facts this scenario proves (Debian 6.1.0-56-amd64, iproute2 6.1):
# - "ip link add ipsec1 type xfrm dev vrf-tr if_id 1" works as written: the
#   interface's link (IFLA_XFRM_LINK) may be the transport VRF's device; the
#   outer (ESP) packets are then routed in the VRF's table (100). The
#   enslaved device (dev wan0) works as well. With no link at all
#   ("ipsec1@NONE") the outer route is looked up in the main table: no
#   route, ping fails with "+2 errors", XfrmOutBundleGenError counts up.
# - The xfrm interface is enslaved to the other VRF with
#   "ip link set ipsec1 master vrf-op", gets its addresses, "up"; its
#   connected routes land in table 200. It is NOARP, link/none, MTU 1500.
# - SAs: "ip xfrm state add src A dst B proto esp spi S reqid R mode tunnel
#   if_id 1 flag af-unspec replay-window 32 aead 'rfc4106(gcm(aes))'
#   0x<20 bytes: key + salt> 128", and with "enc 'cbc(aes)' 0x<16 bytes>
#   auth-trunc 'hmac(sha256)' 0x<32 bytes> 128". The same SAs in both
#   routers (the peer's inbound SA is our outbound one).
# - Policies, per if_id: "ip xfrm policy add dir out src 0.0.0.0/0 dst
#   0.0.0.0/0 if_id 1 tmpl src LOCAL dst REMOTE proto esp reqid R mode
#   tunnel", and dir in and dir fwd with the tmpl's src/dst swapped. Equal
#   selectors do not collide across if_ids.
# - flag af-unspec: one SA pair carries both inner families: IPv6 inside
#   IPv4 ESP and IPv4 inside IPv6 ESP work, given policies of that inner
#   family (::/0 or 0.0.0.0/0) with the same if_id.
# - "ip netns exec R ping -I vrf-op ADDR" pings from inside the VRF (iputils
#   warns "source address might be selected on device other than: vrf-op";
#   harmless). "ip -s xfrm state" counts "N(bytes), M(packets)" per SA.
# - A second xfrm interface with an if_id already in use: "File exists".
#   iproute2 refuses if_id 0 and a missing if_id.
# - The xfrm interface also works outside any VRF (main table).
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"

GCM_A=0x0102030405060708090a0b0c0d0e0f1011121314
GCM_B=0x1112131415161718191a1b1c1d1e1f2021222324
AES_A=0x2122232425262728292a2b2c2d2e2f30
AES_B=0x3132333435363738393a3b3c3d3e3f40
SHA_A=0x4142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60
SHA_B=0x6162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f80

xfrm_if() {	# R NAME IF_ID [dev LINK]: an xfrm interface, in vrf-op, up
	local r=$1 name=$2 id=$3
	shift 3
	ip -n "$r" link add "$name" type xfrm "$@" if_id "$id"
	ip -n "$r" link set "$name" master vrf-op
	ip -n "$r" link set "$name" up
}

# Each "ip" costs some 0.1 s under TCG: the SAs and policies go in batches.
sa_pair() {	# IF_ID OUTER1 OUTER2 SPI gcm|cbc: SPI 1->2, SPI+1 2->1, in both
	local id=$1 o1=$2 o2=$3 spi=$4 a b r
	case $5 in
	gcm)
		a="aead rfc4106(gcm(aes)) $GCM_A 128"
		b="aead rfc4106(gcm(aes)) $GCM_B 128" ;;
	cbc)
		a="enc cbc(aes) $AES_A auth-trunc hmac(sha256) $SHA_A 128"
		b="enc cbc(aes) $AES_B auth-trunc hmac(sha256) $SHA_B 128" ;;
	esac
	for r in R1 R2; do
		ip -n "$r" -batch - <<-EOF
		xfrm state add src $o1 dst $o2 proto esp spi $spi reqid $id \
		    mode tunnel if_id $id flag af-unspec replay-window 32 $a
		xfrm state add src $o2 dst $o1 proto esp spi $((spi + 1)) reqid $id \
		    mode tunnel if_id $id flag af-unspec replay-window 32 $b
		EOF
	done
}

policies() {	# IF_ID ANY OUTER1 OUTER2: out/in/fwd, ANY <-> ANY, both routers
	local id=$1 any=$2 l rem r
	for r in R1 R2; do
		if [ "$r" = R1 ]; then l=$3 rem=$4; else l=$4 rem=$3; fi
		ip -n "$r" -batch - <<-EOF
		xfrm policy add dir out src $any dst $any if_id $id \
		    tmpl src $l dst $rem proto esp reqid $id mode tunnel
		xfrm policy add dir in src $any dst $any if_id $id \
		    tmpl src $rem dst $l proto esp reqid $id mode tunnel
		xfrm policy add dir fwd src $any dst $any if_id $id \
		    tmpl src $rem dst $l proto esp reqid $id mode tunnel
		EOF
	done
}

vping() {	# R ADDR: two pings from inside vrf-op
	ip netns exec "$1" ping -c 2 -i 0.3 -W 3 -I vrf-op "$2"
}

packets() {	# R SPI: the SA's packet count
	ip -n "$1" -s xfrm state list spi "$2" |
	    sed -n 's/^[[:space:]]*[0-9]*(bytes), \([0-9]*\)(packets)$/\1/p'
}

counted() {	# SPI...: every one of these SAs counted packets, in R1 and R2
	local r spi n
	for r in R1 R2; do
		for spi in "$@"; do
			n=$(packets "$r" "$spi")
			echo "$r SA $spi: ${n:-?} packets"
			[ "${n:-0}" -gt 0 ] || return 1
		done
	done
}

echo "# kernel $(uname -r), $(ip -V)"

# --- the routers, the transport VRF, the operational VRF -------------------
router R1
router R2
wire R1 wan0 R2 wan0
for i in 1 2; do
	ip -n R$i link add vrf-tr type vrf table 100
	ip -n R$i link add vrf-op type vrf table 200
	ip -n R$i link set vrf-tr up
	ip -n R$i link set vrf-op up
	ip -n R$i link set wan0 master vrf-tr
	ip -n R$i addr add 192.0.2.$i/24 dev wan0
	ip -n R$i addr add 2001:db8:1::$i/64 dev wan0 nodad
done
check "the outer addresses answer inside vrf-tr" \
    ip netns exec R1 ping -c 1 -W 3 -I vrf-tr 192.0.2.2
check "... over IPv6 too" \
    ip netns exec R1 ping -c 1 -W 3 -I vrf-tr 2001:db8:1::2

# --- ipsec1: IPv4 outer, rfc4106(gcm(aes)), link = the transport VRF -------
for i in 1 2; do
	xfrm_if R$i ipsec1 1 dev vrf-tr
	ip -n R$i addr add 10.0.0.$i/30 dev ipsec1
	ip -n R$i addr add fd00:1::$i/64 dev ipsec1 nodad
done
check_output "ipsec1's link is vrf-tr, if_id 1, enslaved to vrf-op" \
    'ipsec1@vrf-tr:.*master vrf-op.*xfrm if_id 0x1' \
    ip -n R1 -d -o link show ipsec1
check_output "ipsec1's connected route is in vrf-op's table" \
    '^10\.0\.0\.0/30 dev ipsec1' ip -n R1 route show vrf vrf-op
sa_pair 1 192.0.2.1 192.0.2.2 0x101 gcm
policies 1 0.0.0.0/0 192.0.2.1 192.0.2.2
check "ipsec1: R1 pings R2 (10.0.0.2) from vrf-op" vping R1 10.0.0.2
check "ipsec1: R2 pings R1 (10.0.0.1) from vrf-op" vping R2 10.0.0.1
check "ipsec1: both SAs counted packets in R1 and R2" counted 0x101 0x102
ip -n R1 -s xfrm state list spi 0x101 | sed 's/^/# /'
# af-unspec: the same SAs carry IPv6, given ::/0 policies for if_id 1.
policies 1 ::/0 192.0.2.1 192.0.2.2
check "ipsec1: IPv6 inside the IPv4 SAs, R1 -> R2" vping R1 fd00:1::2
check "ipsec1: IPv6 inside the IPv4 SAs, R2 -> R1" vping R2 fd00:1::1

# --- ipsec2: IPv6 outer, cbc(aes) + hmac(sha256) truncated to 128 bits -----
for i in 1 2; do
	xfrm_if R$i ipsec2 2 dev vrf-tr
	ip -n R$i addr add 2001:db8:ff::$i/64 dev ipsec2 nodad
	ip -n R$i addr add 10.0.2.$i/30 dev ipsec2
done
sa_pair 2 2001:db8:1::1 2001:db8:1::2 0x201 cbc
policies 2 ::/0 2001:db8:1::1 2001:db8:1::2
check "ipsec2: R1 pings R2 (2001:db8:ff::2) from vrf-op" vping R1 2001:db8:ff::2
check "ipsec2: R2 pings R1 (2001:db8:ff::1) from vrf-op" vping R2 2001:db8:ff::1
check "ipsec2: both SAs counted packets in R1 and R2" counted 0x201 0x202
ip -n R1 -s xfrm state list spi 0x201 | sed 's/^/# /'
policies 2 0.0.0.0/0 2001:db8:1::1 2001:db8:1::2
check "ipsec2: IPv4 inside the IPv6 SAs, R1 -> R2" vping R1 10.0.2.2
check "ipsec2: IPv4 inside the IPv6 SAs, R2 -> R1" vping R2 10.0.2.1

# --- the link device: the enslaved veth works too; none does not -----------
for i in 1 2; do
	xfrm_if R$i ipsec3 3 dev wan0
	ip -n R$i addr add 10.0.3.$i/30 dev ipsec3
	xfrm_if R$i ipsec4 4
	ip -n R$i addr add 10.0.4.$i/30 dev ipsec4
done
sa_pair 3 192.0.2.1 192.0.2.2 0x301 gcm
policies 3 0.0.0.0/0 192.0.2.1 192.0.2.2
sa_pair 4 192.0.2.1 192.0.2.2 0x401 gcm
policies 4 0.0.0.0/0 192.0.2.1 192.0.2.2
check "ipsec3 (link wan0, the VRF's slave): R1 pings R2" vping R1 10.0.3.2
check_output "ipsec4 has no link" 'ipsec4@NONE:' ip -n R1 -o link show ipsec4
check_error "ipsec4 (no link): no outer route in the main table, ping fails" \
    '100% packet loss' vping R1 10.0.4.2
check_output "... counted as XfrmOutBundleGenError" \
    'XfrmOutBundleGenError[[:space:]]+[1-9]' \
    ip netns exec R1 cat /proc/net/xfrm_stat

# --- if_id rules ----------------------------------------------------------
check_error "a second interface with if_id 1 is refused: File exists" \
    'File exists' ip -n R1 link add ipsec9 type xfrm dev vrf-tr if_id 1
check_error "iproute2 refuses if_id 0" 'if_id value is invalid' \
    ip -n R1 link add ipsec9 type xfrm dev vrf-tr if_id 0

done_checks
