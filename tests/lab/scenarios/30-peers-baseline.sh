#!/bin/bash
# 30-peers-baseline: the peer harnesses of tests/lab/peers.sh proven on
# their own, no sectund: strongSwan with strongSwan, libreswan with
# strongSwan, strongSwan behind a NAT. Every case is route-based (xfrm
# interfaces, SAs and policies tied to them by if_id), IKEv2 with PSKs, and
# checks the daemons' own view, the kernel's and a ping through.
#
# (a) S1 <-> S2, strongSwan both: FQDN identities, AES-GCM + ECP-256; the
#     outer addresses in the transport VRF vrf-tr (table 100), the xfrm
#     interface in vrf-op (table 200). charon has no VRF option; two ways
#     work: S1's charon sends with set_sourceif (IP_PKTINFO names the
#     interface of the source address, a slave of vrf-tr, so the kernel
#     routes in table 100; receiving works by udp_l3mdev_accept=1), S2's
#     runs under "ip vrf exec vrf-tr" (every socket bound to the VRF).
#     Without either, charon cannot send ("Network is unreachable").
# (b) L3 (libreswan) <-> S4 (strongSwan): transport in the default VR;
#     FQDN vs IPv4 identity, AES-CBC + HMAC-SHA256, MODP-2048. libreswan's
#     ipsec-interface=5 uses the ipsec5 made beforehand (in vrf-op); pluto
#     initiates, then charon does. strongSwan's ESP proposal names a DH
#     group: libreswan (pfs=yes by default) refuses CHILD_SA rekeys
#     without one.
# (c) N5 (strongSwan, 10.99.0.2) behind NAT (masquerading to
#     198.51.100.1, ports 40000-40999) <-> S6 (strongSwan): NAT detected,
#     IKE floats to 4500, ESP in UDP; user@fqdn identity, X25519.
# shellcheck disable=SC2317	# functions called through check
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"
. "$SECTUN_SRC/tests/lab/peers.sh"

# R NAME IF_ID LINK ADDR [ADDR6] [VRF]: an xfrm interface, up
xfrm_if() {
	ip -n "$1" link add "$2" type xfrm dev "$4" if_id "$3"
	[ -z "${7:-}" ] || ip -n "$1" link set "$2" master "$7"
	ip -n "$1" link set "$2" up
	ip -n "$1" addr add "$5" dev "$2"
	[ -z "${6:-}" ] || ip -n "$1" addr add "$6" dev "$2" nodad
}

count() {	# REGEX CMD...: prints how many output lines match
	local re=$1
	shift
	"$@" | grep -cE -- "$re" || true
}

no_ike_sa() {	# R: charon in R has no established IKE_SA
	! swan_sas "$1" | grep -q ESTABLISHED
}

no_sa() {	# R: the kernel in R holds no SA
	[ -z "$(ip -n "$1" xfrm state)" ]
}

both() {	# 'CMD ARGS' 'CMD ARGS': both at once (daemons start in parallel)
	local pid rc=0
	$1 &
	pid=$!
	$2 || rc=$?
	wait "$pid" || rc=$?
	return "$rc"
}

show() {	# TEXT: prints it (check_output on a saved output)
	printf '%s\n' "$1"
}

# ---- (a) strongSwan <-> strongSwan, transport and tunnel in VRFs ----------

router S1
router S2
wire S1 e0 S2 e0
for i in 1 2; do
	ip -n "S$i" link add vrf-tr type vrf table 100
	ip -n "S$i" link add vrf-op type vrf table 200
	ip -n "S$i" link set vrf-tr up
	ip -n "S$i" link set vrf-op up
	ip -n "S$i" link set e0 master vrf-tr
	ip -n "S$i" addr add "192.0.2.$i/24" dev e0
	xfrm_if "S$i" ipsec1 1 vrf-tr "10.0.1.$i/30" "fd00:1::$i/64" vrf-op
done
swan_conf /run/swan-S1 t local=192.0.2.1 remote=192.0.2.2 \
    local_id=@s1.example remote_id=@s2.example if_id=1 \
    ike=aes128gcm16-prfsha256-ecp256 esp=aes128gcm16
swan_conf /run/swan-S2 t local=192.0.2.2 remote=192.0.2.1 \
    local_id=@s2.example remote_id=@s1.example if_id=1 \
    ike=aes128gcm16-prfsha256-ecp256 esp=aes128gcm16
check "(a) charon starts in S1 (set_sourceif) and S2 (ip vrf exec vrf-tr)" \
    both "swan_start S1 sourceif=yes" "swan_start S2 vrf=vrf-tr"
check "(a) S1 loads its swanctl.conf" swan_load S1
check "(a) S2 loads its swanctl.conf" swan_load S2
check "(a) S1 has no route to S2 outside vrf-tr" \
    sh -c '! ip -n S1 route get 192.0.2.2 2>/dev/null'
check_output "(a) S2's IKE sockets are bound to vrf-tr" '%vrf-tr:500 ' \
    ip netns exec S2 ss -uan
check_output "(a) S1 initiates: IKE_SA with FQDN identities" \
    'IKE_SA t\[1\] established between 192\.0\.2\.1\[s1\.example\]\.\.\.192\.0\.2\.2\[s2\.example\]' \
    swan_initiate S1 t
sas=$(swan_sas S1 2>&1) || true
check_output "(a) S1: CHILD_SA installed, AES-GCM" \
    'INSTALLED, TUNNEL, ESP:AES_GCM_16-128' show "$sas"
check_output "(a) S1: with if_id 1 both ways" \
    'out [0-9a-f]{8} \(-\|0x00000001\)' show "$sas"
check_output "(a) S2: its peer is s1.example" \
    "remote 's1\.example' @ 192\.0\.2\.1\[500\]" swan_sas S2
for r in S1 S2; do
	check_output "(a) $r: two SAs with if_id 1 in the kernel" '^2$' \
	    count '^\s*if_id 0x1$' ip -n "$r" xfrm state
	check_output "(a) $r: six policies with if_id 1 (in/out/fwd, v4 and v6)" '^6$' \
	    count '^\s*if_id 0x1$' ip -n "$r" xfrm policy
	check "(a) $r: charon installed no routes and no rule" \
	    sh -c "! ip -n $r rule | grep -q 220 && [ -z \"\$(ip -n $r route show table 220 2>/dev/null)\" ]"
done
check "(a) ping S1 -> S2 through ipsec1 in vrf-op" \
    ip netns exec S1 ping -c 1 -W 2 -I vrf-op 10.0.1.2
check "(a) IPv6 inside: ping S2 -> S1" \
    ip netns exec S2 ping -6 -c 1 -W 2 -I vrf-op fd00:1::1
check_output "(a) S1: the SAs counted the packets" \
    'in .*0x00000001\),  *[1-9][0-9]* bytes' swan_sas S1
check "(a) charon in S2 stops on SIGTERM" swan_stop S2
check "(a) S2: its SAs are gone" no_sa S2
wait_for 10 "(a) S1: S2's DELETE removed its SAs too" \
    no_sa S1

# ---- (b) libreswan <-> strongSwan --------------------------------------

router L3
router S4
wire L3 e0 S4 e0
ip -n L3 addr add 192.0.2.3/24 dev e0
ip -n S4 addr add 192.0.2.4/24 dev e0
ip -n L3 link add vrf-op type vrf table 200
ip -n L3 link set vrf-op up
# never a device named ipsec1 where pluto runs (README: libreswan)
xfrm_if L3 ipsec5 5 e0 10.0.5.1/30 "" vrf-op
xfrm_if S4 ipsec5 5 e0 10.0.5.2/30
swan_conf /run/swan-S4 t local=192.0.2.4 remote=192.0.2.3 \
    local_id=192.0.2.4 remote_id=@l3.example if_id=5 \
    ike=aes256-sha256-modp2048 esp=aes256-sha256-modp2048
check "(b) pluto starts in L3, charon in S4" both "pluto_start L3" "swan_start S4"
pluto_conf /run/pluto-L3 t local=192.0.2.3 remote=192.0.2.4 \
    local_id=@l3.example remote_id=192.0.2.4 if_id=5 \
    ike=aes256-sha2_256-modp2048 esp=aes256-sha2_256
check "(b) L3 loads conn t" pluto_load L3 t
check_output "(b) pluto added it" '"t": added IKEv2 connection' pluto_log L3
check "(b) S4 loads its swanctl.conf" swan_load S4
check_output "(b) libreswan initiates: Child SA established" \
    'established Child SA' pluto_up L3 t
check_output "(b) L3: whack lists the IPsec SA with S4's IPv4 ID" \
    "type=ESP, .*id='192\.0\.2\.4'" pluto_status L3
sas=$(swan_sas S4 2>&1) || true
check_output "(b) S4: its peer is l3.example" \
    "remote 'l3\.example' @ 192\.0\.2\.3\[500\]" show "$sas"
check_output "(b) S4: ESP AES_CBC-256/HMAC_SHA2_256_128" \
    'ESP:AES_CBC-256/HMAC_SHA2_256_128' show "$sas"
check_output "(b) L3: two SAs with if_id 5" '^2$' \
    count '^\s*if_id 0x5$' ip -n L3 xfrm state
check_output "(b) L3: libreswan marks its SAs' output with the if_id" \
    'output-mark 0x5/0xffffffff' ip -n L3 xfrm state
check_output "(b) S4: two SAs with if_id 5" '^2$' \
    count '^\s*if_id 0x5$' ip -n S4 xfrm state
check "(b) ping L3 (ipsec5 in vrf-op) -> S4 (ipsec5 in the main table)" \
    ip netns exec L3 ping -c 1 -W 2 -I vrf-op 10.0.5.2
check_output "(b) L3: whack counted the bytes" 'inBytes=[1-9]' pluto_status L3
check "(b) libreswan terminates" pluto_down L3 t
wait_for 10 "(b) S4: the IKE_SA is gone (libreswan's DELETE)" no_ike_sa S4
check_output "(b) strongSwan initiates to libreswan" \
    'IKE_SA t\[[0-9]+\] established between 192\.0\.2\.4\[192\.0\.2\.4\]\.\.\.192\.0\.2\.3\[l3\.example\]' \
    swan_initiate S4 t
check_output "(b) L3: the new IPsec SA" "type=ESP, .*id='192\.0\.2\.4'" pluto_status L3
check "(b) ping S4 -> L3" ip netns exec S4 ping -c 1 -W 2 10.0.5.1
check "(b) pluto stops (whack --shutdown)" pluto_stop L3
check "(b) L3: its SAs are gone" no_sa L3
check "(b) L3: ipsec5, made before pluto, outlives it" ip -n L3 link show ipsec5

# ---- (c) strongSwan behind NAT <-> strongSwan ----------------------------

router N5
router NAT
router S6
wire N5 e0 NAT in0
wire NAT out0 S6 e0
ip -n N5 addr add 10.99.0.2/24 dev e0
ip -n N5 route add default via 10.99.0.1
ip -n NAT addr add 10.99.0.1/24 dev in0
ip -n NAT addr add 198.51.100.1/24 dev out0
ip -n S6 addr add 198.51.100.2/24 dev e0
check "(c) NAT masquerades in0 -> out0 to ports 40000-40999" \
    nat_router NAT in0 out0 to :40000-40999
xfrm_if N5 ipsec1 1 e0 10.0.6.1/30
xfrm_if S6 ipsec1 1 e0 10.0.6.2/30
swan_conf /run/swan-N5 t local=10.99.0.2 remote=198.51.100.2 \
    local_id=n5@example.org remote_id=@s6.example if_id=1 \
    ike=aes256-sha256-x25519 esp=aes128gcm16
swan_conf /run/swan-S6 t local=198.51.100.2 remote=%any \
    local_id=@s6.example remote_id=n5@example.org if_id=1 \
    ike=aes256-sha256-x25519 esp=aes128gcm16
check "(c) charon starts in N5 and S6" both "swan_start N5" "swan_start S6"
check "(c) N5 loads its swanctl.conf" swan_load N5
check "(c) S6 loads its swanctl.conf" swan_load S6
check "(c) S6 has no route to N5's own address" \
    sh -c '! ip -n S6 route get 10.99.0.2 2>/dev/null'
check_output "(c) N5 initiates and finds itself behind a NAT" \
    'local host is behind NAT' swan_initiate N5 t
check_output "(c) S6 saw the peer behind a NAT" 'remote host is behind NAT' \
    swan_log S6
sas=$(swan_sas S6 2>&1) || true
check_output "(c) S6: peer n5@example.org at the NAT's address and port" \
    "remote 'n5@example\.org' @ 198\.51\.100\.1\[40[0-9]{3}\]" show "$sas"
check_output "(c) S6: the CHILD_SA is TUNNEL-in-UDP" 'INSTALLED, TUNNEL-in-UDP' \
    show "$sas"
check_output "(c) N5: kernel SAs in UDP from and to 4500" \
    'encap type espinudp sport 4500 dport 4500 ' ip -n N5 xfrm state
check_output "(c) S6: kernel SAs in UDP to the NAT's port" \
    'encap type espinudp sport 4500 dport 40[0-9]{3} ' ip -n S6 xfrm state
check "(c) ping N5 -> S6 through ipsec1" ip netns exec N5 ping -c 1 -W 2 10.0.6.2
check "(c) ping S6 -> N5 back through the NAT" ip netns exec S6 ping -c 1 -W 2 10.0.6.1
nat=$(nat_counters NAT 2>&1) || true
check_output "(c) NAT: IKE on 500 was translated" \
    'udp dport 500 counter packets [1-9]' show "$nat"
check_output "(c) NAT: IKE and ESP on 4500 were translated" \
    'udp dport 4500 counter packets [1-9]' show "$nat"
check_output "(c) NAT: conntrack maps 10.99.0.2:4500 to 198.51.100.1:40xxx" \
    'src=10\.99\.0\.2 dst=198\.51\.100\.2 sport=4500 dport=4500 .*dst=198\.51\.100\.1 sport=4500 dport=40[0-9]{3}' \
    nat_conntrack NAT
check_output "(c) N5: the SAs counted the packets" \
    'out .*0x00000001\),  *[1-9][0-9]* bytes' swan_sas N5
done_checks
