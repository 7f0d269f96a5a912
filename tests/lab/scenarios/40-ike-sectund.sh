#!/bin/bash
# Two sectund routers negotiate with IKEv2 (RFC 7296): PSK with FQDN
# identities, the tunnel's operational VR apart from its transport VR,
# a second tunnel in another operational VR as a second CHILD_SA of the
# same IKE SA, then a wrong key refused on both sides. Checks the CLI, the
# kernel's SAs and a ping through each tunnel.
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"

router R1
router R2
wire R1 e0 R2 e0
sectund_start R1
sectund_start R2
cli R1 'debug ipsec ike'
cli R2 'debug ipsec ike'

# $1 router, $2 our outer v4, $3 peer's v4, $4 our side (1 or 2)
configure() {
	local r=$1 me=$4 other=$((3 - $4))
	cli "$r" 'configure terminal' 'virtual-router tr table 100' \
	    'virtual-router op table 200' 'virtual-router op2 table 300'
	ip -n "$r" link set e0 master vrf-tr
	ip -n "$r" addr add "$2/24" dev e0
	ip -n "$r" link add lan0 type dummy
	ip -n "$r" link set lan0 master vrf-op up
	ip -n "$r" addr add "10.$me.0.1/16" dev lan0
	cli "$r" 'configure terminal' \
	    "ipsec local-identity fqdn r$me.example.net" \
	    "ipsec key pre-share r$other.example.net transport-virtual-router tr key lab-secret-1" \
	    'interface tunnel ipsec:t1' 'virtual-router op' \
	    'tunnel transport-virtual-router tr' "tunnel source $2" \
	    "tunnel destination $3" "tunnel peer-identity fqdn r$other.example.net" \
	    "ip address 10.0.0.$me/30" 'exit' \
	    "ip route virtual-router op 10.$other.0.0/16 tunnel ipsec:t1"
}
configure R1 192.0.2.1 192.0.2.2 1
configure R2 192.0.2.2 192.0.2.1 2

for r in R1 R2; do
	wait_for 30 "$r: ipsec:t1 comes up by IKEv2" \
	    detail_has "$r" t1 'operational state: up'
done
grep -E 'IKE|tunnel' /run/sectun-R1/log | sed 's/^/# R1 log: /' | head -40 || :
grep -E 'IKE|tunnel' /run/sectun-R2/log | sed 's/^/# R2 log: /' | head -40 || :
check_output "R1: one established IKE SA with R2" 'established' \
    cli R1 'show ipsec ike-sa'
check_output "R1: the peer's identity is R2's FQDN" 'fqdn:r2.example.net' \
    cli R1 'show ipsec ike-sa detail'
check_output "R2: the peer's identity is R1's FQDN" 'fqdn:r1.example.net' \
    cli R2 'show ipsec ike-sa detail'
check_output "R1: tunnel detail shows the negotiated transform" \
    'Negotiated transform: ' cli R1 'show ipsec tunnel ipsec:t1 detail'
check_output "R1: ESP SAs with the tunnel's if_id in the kernel" \
    'if_id 0x1' ip -n R1 xfrm state
check "R1 -> R2 LAN ping through the negotiated tunnel" \
    ip netns exec R1 ping -c 2 -W 2 -I vrf-op -q 10.2.0.1
check "R2 -> R1 ping through the negotiated tunnel" \
    ip netns exec R2 ping -c 2 -W 2 -I vrf-op -q 10.0.0.1

# a second tunnel between the same routers, in another operational VR:
# a second CHILD_SA of the same IKE SA
for me in 1 2; do
	other=$((3 - me))
	cli R$me 'configure terminal' 'interface tunnel ipsec:t2' \
	    'virtual-router op2' 'tunnel transport-virtual-router tr' \
	    "tunnel source 192.0.2.$me" "tunnel destination 192.0.2.$other" \
	    "ip address 10.0.1.$me/30" 'exit'
done
for r in R1 R2; do
	wait_for 30 "$r: ipsec:t2 comes up" \
	    detail_has "$r" t2 'operational state: up'
done
cli R1 'show ipsec tunnel ipsec:t2 detail' | grep -E 'Down|Negotiation|error' | sed 's/^/# R1 t2: /' || :
cli R2 'show ipsec tunnel ipsec:t2 detail' | grep -E 'Down|Negotiation|error' | sed 's/^/# R2 t2: /' || :
check_output "R1: still one IKE SA, carrying both tunnels" \
    'ipsec:t[12].*ipsec:t[12]' cli R1 'show ipsec ike-sa'
check "R1 -> R2 ping through t2 in op2" \
    ip netns exec R1 ping -c 2 -W 2 -I vrf-op2 -q 10.0.1.2

# on-traffic: R1's t3 waits, armed, until traffic routed into it makes
# the kernel ask (ACQUIRE with its if_id); R2 only answers
for me in 1 2; do
	other=$((3 - me))
	if [ "$me" = 1 ]; then mode=on-traffic; else mode=responder-only; fi
	cli R$me 'configure terminal' 'virtual-router op3 table 400' \
	    'interface tunnel ipsec:t3' 'virtual-router op3' \
	    'tunnel transport-virtual-router tr' "tunnel establish $mode" \
	    "tunnel source 192.0.2.$me" "tunnel destination 192.0.2.$other" \
	    "ip address 10.0.3.$me/30" 'exit' \
	    "ip route virtual-router op3 10.3$other.0.0/16 tunnel ipsec:t3"
	ip -n R$me link add lan3 type dummy
	ip -n R$me link set lan3 master vrf-op3 up
	ip -n R$me addr add "10.3$me.0.1/16" dev lan3
done
sleep 3
check_output "R1: t3 is not negotiated before any traffic" \
    'Down because: not negotiated yet' cli R1 'show ipsec tunnel ipsec:t3 detail'
check_output "R1: t3's outbound policy is in, with its if_id, no SA" \
    'if_id 0x3' ip -n R1 xfrm policy
check_output "R1: no IPv6 link-local address on ipsec3 (no RS/MLD into it)" \
    'addrgenmode none' ip -n R1 -d link show ipsec3
ip netns exec R1 ping -c 1 -W 1 -I vrf-op3 -q 10.32.0.1 >/dev/null 2>&1 || :
wait_for 20 "R1: traffic into t3 brings it up (ACQUIRE)" \
    detail_has R1 t3 'operational state: up'
check "R1 -> R2 ping through t3" \
    ip netns exec R1 ping -c 2 -W 2 -I vrf-op3 -q 10.32.0.1

# both routers restart at the same moment (SIGKILL): both initiate, the
# crossing IKE SAs resolve to one CHILD_SA per tunnel on both ends
check "SIGKILL sectund on R1" sectund_kill R1 KILL
check "SIGKILL sectund on R2" sectund_kill R2 KILL
sectund_start R1
sectund_start R2
for r in R1 R2; do
	wait_for 40 "$r: after both restarted, t1 is up again" \
	    detail_has "$r" t1 'operational state: up'
done
sleep 3
check "after the restarts: R1 -> R2 ping through t1" \
    ip netns exec R1 ping -c 2 -W 2 -I vrf-op -q 10.2.0.1
check "after the restarts: R1 -> R2 ping through t2" \
    ip netns exec R1 ping -c 2 -W 2 -I vrf-op2 -q 10.0.1.2
for r in R1 R2; do
	cli $r 'show ipsec ike-sa' | sed "s/^/# $r: /"
done
sas_of() { ip -n "$1" xfrm state | grep -c "if_id $2\$"; }
check_output "R1: exactly two ESP SAs for t1 (if_id 1) in the kernel" '^2$' \
    sas_of R1 0x1
check_output "R2: exactly two ESP SAs for t1 (if_id 1) in the kernel" '^2$' \
    sas_of R2 0x1
check_output "R1: exactly two ESP SAs for t2 (if_id 2) in the kernel" '^2$' \
    sas_of R1 0x2

# a wrong key: both sides refuse, nothing installed
cli R2 'configure terminal' 'interface tunnel ipsec:t1' \
    'tunnel establish responder-only' 'exit' 'interface tunnel ipsec:t2' \
    'tunnel establish responder-only' 'end'
cli R1 'configure terminal' \
    'ipsec key pre-share r2.example.net transport-virtual-router tr key not-the-same' \
    'end' 'clear ipsec ike-sa all'
wait_for 40 "R1: t1 down, the peer refused our AUTH" \
    detail_has R1 t1 'AUTHENTICATION_FAILED'
check_output "R2: refused too (R2's AUTH fails at R1 / R1's at R2)" \
    'AUTHENTICATION_FAILED|pre-shared key mismatch' \
    cli R2 'show ipsec tunnel ipsec:t1 detail'
check_output "R1: t1 has no SAs in the kernel" 'Inbound SA: none' \
    cli R1 'show ipsec tunnel ipsec:t1 detail'

# a clean stop deletes the IKE SAs: the peer drops its SAs at once
cli R1 'configure terminal' \
    'ipsec key pre-share r2.example.net transport-virtual-router tr key lab-secret-1'
wait_for 60 "R2: the right key again: t2 up before R1 stops" \
    detail_has R2 t2 'operational state: up'
check "SIGTERM sectund on R1" sectund_kill R1 TERM
wait_for 10 "R2: t2 down at once (R1's Delete)" \
    detail_has R2 t2 'operational state: down'
check "R2: no SAs of t2 (if_id 2) left in the kernel" \
    sh -c "! ip -n R2 xfrm state | grep -q 'if_id 0x2$'"
check "R1: its negotiated SAs went with it" \
    sh -c "! ip -n R1 xfrm state | grep -q 'if_id 0x2$'"
done_checks
