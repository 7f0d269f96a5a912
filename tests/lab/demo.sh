#!/bin/bash
# The README's demo, run by scripts/demo.sh inside the lab: two sectund
# routers joined by a wire negotiate an AES-GCM tunnel with IKEv2 (PSK,
# FQDN identities); its operational VR ("office") and transport VR
# ("internet") are different VRFs. Shows the IKE SA, "show ipsec tunnel
# detail" from both and a ping through the tunnel.
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"

say() { printf '\n==== %s\n' "$*"; }

router r1
router r2
wire r1 eth0 r2 eth0
sectund_start r1
sectund_start r2

config() {	# ROUTER ME PEER
	cat <<CONF
configure terminal
virtual-router internet table 100
virtual-router office table 200
ipsec local-identity fqdn $1.example.net
ipsec key pre-share $3.example.net transport-virtual-router internet key demo-only-secret
ipsec transform-set gcm transform esp-aes256-gcm
interface tunnel ipsec:to-$3
 description "to $3"
 virtual-router office
 tunnel transport-virtual-router internet
 tunnel source 192.0.2.$2
 tunnel destination 192.0.2.$((3 - $2))
 tunnel peer-identity fqdn $3.example.net
 tunnel transform-set gcm
 ip address 10.255.0.$2/30
exit
ip route virtual-router office 10.$((3 - $2)).0.0/16 tunnel ipsec:to-$3
end
CONF
}
for me in 1 2; do
	r=r$me
	peer=r$((3 - me))
	say "$r: the configuration, typed into sectun (the key shown here only)"
	config "$r" "$me" "$peer" | tee /run/$r.conf
	# the wire into the transport VR's VRF, a LAN in the office VR
	ip netns exec "$r" "$SECTUN" --socket "/run/sectun-$r/cli.sock" \
	    < /run/$r.conf
	ip -n "$r" link set eth0 master vrf-internet
	ip -n "$r" addr add "192.0.2.$me/24" dev eth0
	ip -n "$r" link add lan0 type dummy
	ip -n "$r" link set lan0 master vrf-office up
	ip -n "$r" addr add "10.$me.0.1/16" dev lan0
done
wait_for 40 "r1: the tunnel is negotiated (IKEv2) and up" \
    detail_has r1 to-r2 'operational state: up'
wait_for 20 "r2: the tunnel is up" detail_has r2 to-r1 'operational state: up'
say "r1# show ipsec ike-sa detail"
cli r1 'show ipsec ike-sa detail'
say "r1# ping from r1's office LAN to r2's, through the tunnel"
check "ping through the tunnel" \
    ip netns exec r1 ping -c 3 -I vrf-office 10.2.0.1
ip netns exec r1 ping -c 3 -I vrf-office 10.2.0.1
for r in r1 r2; do
	say "$r# show ipsec tunnel detail"
	cli "$r" 'show ipsec tunnel detail'
done
say "r1# show running-config (the key stored encrypted)"
cli r1 'show running-config' | sed -n '/^ipsec key/p;/^interface/,/^exit/p'
say "r1: the kernel's view (ip -d link, ip xfrm state, ip route table 200)"
ip -n r1 -d link show ipsec1 | head -4
ip -n r1 xfrm state | sed -E 's/0x[0-9a-f]{16,}/0x<key>/'
ip -n r1 route show table 200
done_checks
