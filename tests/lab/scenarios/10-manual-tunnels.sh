#!/bin/bash
# Two sectund routers joined by veth, manual-key tunnels whose operational
# VR and transport VR are different VRFs: AES-GCM over IPv4, AES-CBC +
# HMAC-SHA256 in a second VR, IPv6 inside and outside; shutdown, removal,
# kernel refusals, SIGKILL and restart with traffic flowing, and objects
# sectund does not own left alone. Checks the CLI and the kernel's view.
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"

K_GCM_12=000102030405060708090a0b0c0d0e0f10111213
K_GCM_21=101112131415161718191a1b1c1d1e1f20212223
K_AES_12=202122232425262728292a2b2c2d2e2f
K_AES_21=303132333435363738393a3b3c3d3e3f
K_SHA_12=404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f
K_SHA_21=606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f

router R1
router R2
wire R1 e0 R2 e0
sectund_start R1
sectund_start R2

# $1 router, $2 peer, $3 our outer v4, $4 peer's v4, $5 our outer v6,
# $6 peer's v6, $7 our side number (1 or 2)
configure() {
	local r=$1 me=$7 other=$((3 - $7)) out in kgo kgi kao kai kso ksi
	if [ "$me" = 1 ]; then
		out=4096; in=4097; kgo=$K_GCM_12; kgi=$K_GCM_21
		kao=$K_AES_12; kai=$K_AES_21; kso=$K_SHA_12; ksi=$K_SHA_21
	else
		out=4097; in=4096; kgo=$K_GCM_21; kgi=$K_GCM_12
		kao=$K_AES_21; kai=$K_AES_12; kso=$K_SHA_21; ksi=$K_SHA_12
	fi
	cli "$r" 'configure terminal' \
	    'virtual-router tr table 100' 'virtual-router op table 200' \
	    'virtual-router op2'
	# the transport side: the veth in the transport VR's VRF
	ip -n "$r" link set e0 master vrf-tr
	ip -n "$r" addr add "$3/24" dev e0
	ip -n "$r" addr add "$5/64" dev e0 nodad
	# a LAN behind each router, in the operational VR
	ip -n "$r" link add lan0 type dummy
	ip -n "$r" link set lan0 master vrf-op up
	ip -n "$r" addr add "10.$me.0.1/16" dev lan0
	cli "$r" 'configure terminal' \
	    'ipsec transform-set gcm transform esp-aes128-gcm' \
	    'ipsec transform-set cbc transform esp-aes128-sha256' \
	    'interface tunnel ipsec:t1' 'virtual-router op' \
	    'tunnel transport-virtual-router tr' "tunnel source $3" \
	    "tunnel destination $4" 'tunnel transform-set gcm' \
	    "tunnel sa manual outbound spi $out transform esp-aes128-gcm encryption-key $kgo" \
	    "tunnel sa manual inbound spi $in transform esp-aes128-gcm encryption-key $kgi" \
	    "ip address 10.0.0.$me/30" "ipv6 address fd00:1::$me/64" 'exit' \
	    'interface tunnel ipsec:t2' 'virtual-router op2' \
	    'tunnel transport-virtual-router tr' "tunnel source $3" \
	    "tunnel destination $4" 'tunnel transform-set cbc' \
	    "tunnel sa manual outbound spi $((out + 4096)) transform esp-aes128-sha256 encryption-key $kao authentication-key $kso" \
	    "tunnel sa manual inbound spi $((in + 4096)) transform esp-aes128-sha256 encryption-key $kai authentication-key $ksi" \
	    "ip address 10.0.1.$me/30" 'exit' \
	    'interface tunnel ipsec:t3' 'virtual-router op' \
	    'tunnel transport-virtual-router tr' "tunnel source $5" \
	    "tunnel destination $6" 'tunnel transform-set gcm' \
	    "tunnel sa manual outbound spi $((out + 8192)) transform esp-aes128-gcm encryption-key $kgo" \
	    "tunnel sa manual inbound spi $((in + 8192)) transform esp-aes128-gcm encryption-key $kgi" \
	    "ip address 10.0.3.$me/30" "ipv6 address fd00:3::$me/64" 'exit' \
	    "ip route virtual-router op 10.$other.0.0/16 tunnel ipsec:t1" \
	    "ipv6 route virtual-router op fd00:$other$other::/64 tunnel ipsec:t3"
}
configure R1 R2 192.0.2.1 192.0.2.2 2001:db8:1::1 2001:db8:1::2 1
configure R2 R1 192.0.2.2 192.0.2.1 2001:db8:1::2 2001:db8:1::1 2

# ---- the CLI's view and the kernel's ----
for r in R1 R2; do
	for t in t1 t2 t3; do
		check_output "$r: ipsec:$t is up" 'operational state: up' \
		    cli "$r" "show ipsec tunnel ipsec:$t detail"
	done
	check_output "$r: vrf-tr is a VRF with table 100 made by sectun" \
	    'vrf table 100' ip -n "$r" -d link show vrf-tr
	check_output "$r: vrf-op2 got a table chosen by sectun (1000)" \
	    'vrf table 1000' ip -n "$r" -d link show vrf-op2
	check_output "$r: show virtual-router shows the table in use" \
	    'op2 +1000 +vrf-op2' cli "$r" 'show virtual-router'
	check_output "$r: ipsec1 is an xfrm interface, if_id 1, link vrf-tr, in vrf-op" \
	    'master vrf-op .*' ip -n "$r" -d link show ipsec1
	check_output "$r: ipsec1's underlying link is vrf-tr" \
	    'ipsec1@vrf-tr' ip -n "$r" -d link show ipsec1
	check_output "$r: ipsec1's if_id is 1" \
	    'xfrm if_id 0x1 ' ip -n "$r" -d link show ipsec1
	check_output "$r: ipsec2 is in vrf-op2" 'master vrf-op2' \
	    ip -n "$r" link show ipsec2
	check_output "$r: the kernel has 6 SAs with if_ids" \
	    '^6$' sh -c "ip -n $r xfrm state | grep -c '^\s*if_id'"
	check_output "$r: GCM SA with rfc4106 and if_id 1" \
	    'rfc4106\(gcm\(aes\)\)' ip -n "$r" xfrm state get \
	    src 192.0.2.1 dst 192.0.2.2 proto esp spi 4096
	check_output "$r: policies any <-> any per family and direction, if_id 1" \
	    '^6$' sh -c "ip -n $r xfrm policy | grep -c 'if_id 0x1\$'"
	check_output "$r: the route into ipsec:t1 is in table 200" \
	    'dev ipsec1 proto 244' ip -n "$r" route show table 200
	check_output "$r: the IPv6 route into ipsec:t3 is in table 200" \
	    'fd00:(11|22)::/64 dev ipsec3 proto 244' ip -n "$r" -6 route show table 200
done
check_output "R1: CBC SA with hmac(sha256) truncated to 128 bits" \
    'hmac\(sha256\) 0x[0-9a-f]+ 128' ip -n R1 xfrm state get src 192.0.2.1 \
    dst 192.0.2.2 proto esp spi 8192

# ---- traffic ----
check "R1 -> R2 through ipsec:t1 (GCM, VRF op over VRF tr)" \
    ip netns exec R1 ping -c 2 -W 2 -I vrf-op 10.0.0.2
check "R2 -> R1 through ipsec:t1" ip netns exec R2 ping -c 2 -W 2 -I vrf-op 10.0.0.1
check "R1 LAN -> R2 LAN by the static route into ipsec:t1" \
    ip netns exec R1 ping -c 2 -W 2 -I vrf-op 10.2.0.1
check "IPv6 inside an IPv4 tunnel: R1 -> R2 fd00:1::2" \
    ip netns exec R1 ping -6 -c 2 -W 2 -I vrf-op fd00:1::2
check "R1 -> R2 through ipsec:t2 (CBC + SHA-256, VR op2)" \
    ip netns exec R1 ping -c 2 -W 2 -I vrf-op2 10.0.1.2
check "R2 -> R1 through ipsec:t2" ip netns exec R2 ping -c 2 -W 2 -I vrf-op2 10.0.1.1
check "IPv6 outside: R1 -> R2 through ipsec:t3 over 2001:db8:1::/64" \
    ip netns exec R1 ping -6 -c 2 -W 2 -I vrf-op fd00:3::2
check "IPv4 inside IPv6 outside: R2 -> R1 10.0.3.1" \
    ip netns exec R2 ping -c 2 -W 2 -I vrf-op 10.0.3.1
check_output "R1: ipsec:t1 counts packets on its SAs and interface" \
    'Outbound SA: spi 0x00001000 esp-aes128-gcm' cli R1 'show ipsec tunnel ipsec:t1 detail'
check_output "R1: the outbound SA's counters are not zero" \
    '^    [1-9][0-9]* packets' cli R1 'show ipsec tunnel ipsec:t1 detail'
check_output "show ip route: the route into ipsec:t1 is installed" \
    '10\.2\.0\.0/16 +\[1\] via tunnel ipsec:t1 \(installed\)' \
    cli R1 'show ip route virtual-router op'
check "the operational VR does not leak into the transport VR" \
    sh -c '! ip netns exec R1 ping -c 1 -W 1 -I vrf-tr 10.0.0.2'

# ---- shutdown / no shutdown ----
cli R1 'configure terminal' 'interface tunnel ipsec:t1' 'shutdown'
check_output "shutdown: the CLI says down (shutdown)" 'operational state: down \(shutdown\)' \
    cli R1 'show ipsec tunnel ipsec:t1 detail'
check_output "shutdown: ipsec1 is down in the kernel" 'state DOWN|<NOARP>' \
    ip -n R1 link show ipsec1
check "shutdown: its SAs are gone" \
    sh -c '! ip -n R1 xfrm state | grep -q "spi 0x00001000"'
check_output "shutdown: the route into it is inactive" \
    'ipsec:t1 \(inactive: the tunnel is down\)' \
    cli R1 'show ip route virtual-router op'
check "shutdown: and gone from table 200" \
    sh -c '! ip -n R1 route show table 200 | grep -q "^10.2.0.0/16"'
check "shutdown: no traffic" sh -c '! ip netns exec R1 ping -c 1 -W 1 -I vrf-op 10.0.0.2'
check "shutdown: ipsec:t2 still carries traffic" \
    ip netns exec R1 ping -c 1 -W 2 -I vrf-op2 10.0.1.2
cli R1 'configure terminal' 'interface tunnel ipsec:t1' 'no shutdown'
check_output "no shutdown: up again" 'operational state: up' \
    cli R1 'show ipsec tunnel ipsec:t1 detail'
wait_for 10 "no shutdown: traffic again, and by the route" \
    ip netns exec R1 ping -c 1 -W 1 -I vrf-op 10.2.0.1
check_output "events tell the story" 'down: administratively down' \
    cli R1 'show ipsec tunnel ipsec:t1 detail'

# ---- kernel refusals, in the kernel's words ----
check_output "a route to an unreachable next hop: the kernel's own text" \
    'Saved, but the kernel refused: .*(Nexthop has invalid gateway|Network is unreachable)' \
    cli R1 'configure terminal' 'ip route virtual-router op 10.77.0.0/16 198.51.100.77'
cli R1 'configure terminal' 'no ip route virtual-router op 10.77.0.0/16 198.51.100.77' >/dev/null
ip -n R1 xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x6000 \
    mode tunnel aead 'rfc4106(gcm(aes))' 0x$K_GCM_12 128
cli R1 'configure terminal' 'interface tunnel ipsec:t4' \
    'tunnel source 192.0.2.1' 'tunnel destination 192.0.2.2' \
    'tunnel transform-set gcm' \
    "tunnel sa manual outbound spi 24577 transform esp-aes128-gcm encryption-key $K_GCM_12" \
    "tunnel sa manual inbound spi 24576 transform esp-aes128-gcm encryption-key $K_GCM_21" \
    >/dev/null 2>&1 || true
check_output "an SPI held by an SA that is not ours: refused, and the tunnel says why" \
    'Kernel refused: inbound SA spi 0x00006000: .*not sectun' \
    cli R1 'show ipsec tunnel ipsec:t4 detail'
check_output "that foreign SA is untouched" 'spi 0x00006000' ip -n R1 xfrm state
cli R1 'configure terminal' 'no interface tunnel ipsec:t4' >/dev/null

# ---- SIGKILL and restart with traffic flowing; foreign objects stay ----
ip -n R1 link add foreign0 type xfrm if_id 99
ip -n R1 link add vrf-x type vrf table 77
ip -n R1 link add ipsec77 type xfrm if_id 77	# ours by alias, not configured
ip -n R1 link set ipsec77 alias 'sectun tunnel ipsec:ghost'
before=$(ip -n R1 -o link show ipsec1 | cut -d: -f1)
sa_added() {	# when the kernel added R1's inbound SA of ipsec:t1
	ip -n R1 -s xfrm state get src 192.0.2.2 dst 192.0.2.1 proto esp \
	    spi 4097 | grep -E '^\s*add ' | head -1
}
added=$(sa_added)
ip netns exec R1 ping -i 0.2 -c 60 -I vrf-op 10.0.0.2 >/run/ping.log 2>&1 &
ping_pid=$!
sleep 1
check "SIGKILL sectund on R1" sectund_kill R1 KILL
check "traffic flows while R1's sectund is dead" \
    ip netns exec R1 ping -c 1 -W 2 -I vrf-op2 10.0.1.2
sectund_start R1
check_output "restart: ipsec:t1 up again" 'operational state: up' \
    cli R1 'show ipsec tunnel ipsec:t1 detail'
check "restart: ipsec1 adopted, not recreated (same ifindex $before)" \
    test "$(ip -n R1 -o link show ipsec1 | cut -d: -f1)" = "$before"
check "restart: the SA was adopted, not reinstalled (same add time: $added)" \
    test "$(sa_added)" = "$added"
check_output "restart: the adopted SA is shown" 'Inbound SA: spi 0x00001001' \
    cli R1 'show ipsec tunnel ipsec:t1 detail'
wait "$ping_pid" || true
check_output "restart: a continuous ping lost nothing" ' 0% packet loss' cat /run/ping.log
check "restart: a stale interface marked ours is removed" \
    sh -c '! ip -n R1 link show ipsec77 2>/dev/null'
check "restart: a foreign xfrm interface is left alone" ip -n R1 link show foreign0
check "restart: a foreign VRF is left alone" ip -n R1 link show vrf-x
check_output "restart: a foreign SA is left alone" 'spi 0x00006000' ip -n R1 xfrm state

# ---- removing a tunnel removes its interface, SAs, policies, routes ----
cli R1 'configure terminal' 'ip route virtual-router op2 10.99.0.0/16 tunnel ipsec:t2'
check_output "a route into ipsec:t2 in op2's table" '10.99.0.0/16 dev ipsec2' \
    ip -n R1 route show table 1000
cli R1 'configure terminal' 'no interface tunnel ipsec:t2' >/dev/null
check "removed: no ipsec2" sh -c '! ip -n R1 link show ipsec2 2>/dev/null'
check "removed: no SAs of ipsec:t2" sh -c '! ip -n R1 xfrm state | grep -q "spi 0x0000200[01]"'
check "removed: no policies with if_id 2" sh -c '! ip -n R1 xfrm policy | grep -q "if_id 0x2$"'
check "removed: no route into it" sh -c '! ip -n R1 route show table 1000 | grep -q 10.99.0.0'
check "removed: ipsec:t1 still carries traffic" \
    ip netns exec R1 ping -c 1 -W 2 -I vrf-op 10.0.0.2
cli R1 'configure terminal' 'no virtual-router op2' >/dev/null
check "no virtual-router op2: sectun's VRF is removed" \
    sh -c '! ip -n R1 link show vrf-op2 2>/dev/null'
done_checks
