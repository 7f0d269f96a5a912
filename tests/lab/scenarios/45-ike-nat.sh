#!/bin/bash
# A branch sectund behind a NAT (a namespace doing SNAT with nftables) and
# a hub sectund whose tunnel's destination is the branch's FQDN identity:
# the hub cannot know the branch's address, accepts it from wherever it
# comes, and both move to UDP 4500 with ESP in UDP (RFC 7296 2.23, RFC
# 3948). The branch knows the hub by name: it resolves it in its transport
# VR (a DNS server in the hub's VRF). Checks NAT detection in the CLI, the kernel's encapsulated SAs,
# conntrack in the NAT, and a ping through the tunnel.
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"
. "$SECTUN_SRC/tests/lab/peers.sh"

router BR
router NAT
router HUB
wire BR e0 NAT in0
wire NAT out0 HUB e0
ip -n NAT addr add 10.99.0.1/24 dev in0
ip -n NAT addr add 198.51.100.1/24 dev out0
ip netns exec NAT sysctl -qw net.ipv4.ip_forward=1
check "NAT masquerades in0 -> out0 (source ports 40000-40999)" \
    nat_router NAT in0 out0 to :40000-40999
echo 'nameserver 198.51.100.2' >/run/resolv.conf
mount --bind /run/resolv.conf /etc/resolv.conf
sectund_start BR
sectund_start HUB
cli BR 'debug ipsec ike'
cli HUB 'debug ipsec ike'

# $1 router, $2 outer address/len, $3 gateway or "", $4 our LAN /16 number
base() {
	cli "$1" 'configure terminal' 'virtual-router tr table 100' \
	    'virtual-router op table 200'
	ip -n "$1" link set e0 master vrf-tr
	ip -n "$1" addr add "$2" dev e0
	[ -z "$3" ] || ip -n "$1" route add vrf vrf-tr default via "$3"
	ip -n "$1" link add lan0 type dummy
	ip -n "$1" link set lan0 master vrf-op up
	ip -n "$1" addr add "10.$4.0.1/16" dev lan0
}
base BR 10.99.0.2/24 10.99.0.1 1
base HUB 198.51.100.2/24 "" 2
# a nameserver in the hub's transport VRF that answers 198.51.100.2 to
# every question; the branch's resolver asks it, through its own VRF
# (resolv.conf is bound before sectund starts: "ip netns exec" gives it a
# copy of the mounts)
ip netns exec HUB "$SECTUN_BUILD/tests/lab/knet_probe" dns-serve vrf-tr \
    198.51.100.2 300 >/run/dns.log 2>&1 &
sleep 1
cli BR 'configure terminal' \
    'ipsec local-identity user-fqdn branch@br.example.net' \
    'ipsec key pre-share hub.example.net transport-virtual-router tr key nat-lab-key' \
    'interface tunnel ipsec:hub' 'virtual-router op' \
    'tunnel transport-virtual-router tr' 'tunnel source 10.99.0.2' \
    'tunnel destination hub.example.net' \
    'ip address 10.0.0.1/30' 'exit' \
    'ip route virtual-router op 10.2.0.0/16 tunnel ipsec:hub'
# the hub stores the key under the branch's FQDN only
cli HUB 'configure terminal' \
    'ipsec local-identity fqdn hub.example.net' \
    'ipsec key pre-share br.example.net transport-virtual-router tr key nat-lab-key' \
    'interface tunnel ipsec:branch' 'virtual-router op' \
    'tunnel transport-virtual-router tr' 'tunnel source 198.51.100.2' \
    'tunnel destination branch@br.example.net' \
    'ip address 10.0.0.2/30' 'exit' \
    'ip route virtual-router op 10.1.0.0/16 tunnel ipsec:branch'

wait_for 40 "BR: the tunnel to the hub comes up through the NAT" \
    detail_has BR hub 'operational state: up'
wait_for 10 "HUB: the branch's tunnel is up (destination an identity)" \
    detail_has HUB branch 'operational state: up'
grep -E 'IKE|tunnel' /run/sectun-BR/log | sed 's/^/# BR log: /' | tail -20 || :
cli BR 'show ipsec tunnel ipsec:hub detail' | grep -E 'Down|Negotiation|error' |
    sed 's/^/# BR: /' || :
sed 's/^/# dns: /' /run/dns.log || :
check_output "BR: the hub's name resolved in vrf-tr to its address" \
    '198\.51\.100\.2:4500' cli BR 'show ipsec ike-sa'
check_output "BR: sectund found itself behind a NAT" 'NAT: local behind NAT' \
    cli BR 'show ipsec ike-sa detail'
check_output "HUB: the peer is behind a NAT" 'NAT: peer behind NAT' \
    cli HUB 'show ipsec ike-sa detail'
check_output "HUB: the IKE SA moved to port 4500, peer at the NAT's address" \
    '198\.51\.100\.1:4[0-9]{4}' cli HUB 'show ipsec ike-sa'
check_output "HUB: peer identity is the branch's user@fqdn" \
    'user-fqdn:branch@br.example.net' cli HUB 'show ipsec ike-sa detail'
check_output "BR: ESP in UDP 4500 in the kernel" \
    'encap type espinudp sport 4500 dport 4500' ip -n BR xfrm state
check_output "HUB: ESP in UDP towards the NAT's port" \
    'encap type espinudp sport 4500 dport 4[0-9]{4}' ip -n HUB xfrm state
check "BR -> HUB LAN ping through the tunnel across the NAT" \
    ip netns exec BR ping -c 3 -W 2 -I vrf-op -q 10.2.0.1
check "HUB -> BR LAN ping back" \
    ip netns exec HUB ping -c 3 -W 2 -I vrf-op -q 10.1.0.1
check_output "NAT: conntrack has the UDP 4500 flow" 'dport=4500' \
    nat_conntrack NAT
done_checks
