#!/bin/bash
# Every transform of the CLI as a manual SA pair the kernel accepts: one
# tunnel per transform on one sectund, each must come up with both SAs in
# the kernel under the algorithm names and lengths of sectun's table.
set -eu
. "$SECTUN_SRC/tests/lab/lib.sh"

router R1
ip -n R1 link add e0 type dummy
ip -n R1 link set e0 up
ip -n R1 addr add 192.0.2.1/24 dev e0
sectund_start R1

declare -A enc=([null]=0 [des]=8 [3des]=24 [aes128]=16 [aes192]=24
    [aes256]=32 [aes128-gcm]=20 [aes256-gcm]=36 [chacha20-poly1305]=36)
declare -A auth=([md5]=16 [sha]=20 [sha256]=32 [sha384]=48 [sha512]=64)
transforms=()
for c in null des 3des aes128 aes192 aes256; do
	for h in md5 sha sha256 sha384 sha512; do
		transforms+=("esp-$c-$h")
	done
	[ "$c" = null ] || transforms+=("esp-$c")
done
transforms+=(esp-aes128-gcm esp-aes256-gcm esp-chacha20-poly1305)
for h in md5 sha sha256 sha384 sha512; do
	transforms+=("ah-$h")
done

key() {		# BYTES -> hex
	[ "$1" = 0 ] || printf 'ab%.0s' $(seq "$1")
}

i=0
for t in "${transforms[@]}"; do
	i=$((i + 1))
	rest=${t#*-}
	if [ "${t%%-*}" = ah ]; then
		ek=0; ak=${auth[$rest]}
	elif [ -n "${enc[$rest]:-}" ]; then
		ek=${enc[$rest]}; ak=0
	else
		ek=${enc[${rest%-*}]}; ak=${auth[${rest##*-}]}
	fi
	keys=""
	[ "$ek" = 0 ] || keys="encryption-key $(key "$ek")"
	[ "$ak" = 0 ] || keys="$keys authentication-key $(key "$ak")"
	cli R1 'configure terminal' "ipsec transform-set s$i transform $t" \
	    "interface tunnel ipsec:t$i" 'tunnel source 192.0.2.1' \
	    "tunnel destination 198.51.100.$i" "tunnel transform-set s$i" \
	    "tunnel sa manual outbound spi $((1000 + i)) transform $t $keys" \
	    "tunnel sa manual inbound spi $((2000 + i)) transform $t $keys" \
	    "ip address 10.9.$i.1/24" >/dev/null 2>&1 || true
	check_output "$t: the kernel takes the SA pair; ipsec:t$i is up" \
	    'operational state: up' cli R1 "show ipsec tunnel ipsec:t$i detail"
done
check_output "${#transforms[@]} tunnels up" "^  up: ${#transforms[@]}," \
    cli R1 'show ipsec tunnel summary'
idx() {	# the tunnel number of a transform
	printf '%s\n' "${transforms[@]}" | grep -nx -- "$1" | cut -d: -f1
}
n=$(idx esp-3des-sha512)
check_output "esp-3des-sha512: cbc(des3_ede) and hmac(sha512) truncated to 256" \
    'enc cbc\(des3_ede\).*|auth-trunc hmac\(sha512\) 0x[0-9a-f]+ 256' \
    ip -n R1 xfrm state get src 192.0.2.1 dst 198.51.100.$n proto esp \
    spi $((1000 + n))
n=$(idx ah-sha384)
check_output "ah-sha384: an AH SA with hmac(sha384) truncated to 192" \
    'auth-trunc hmac\(sha384\) 0x[0-9a-f]+ 192' \
    ip -n R1 xfrm state get src 192.0.2.1 dst 198.51.100.$n proto ah \
    spi $((1000 + n))
n=$(idx esp-chacha20-poly1305)
check_output "esp-chacha20-poly1305: rfc7539esp with a 128-bit ICV" \
    'aead rfc7539esp\(chacha20,poly1305\) 0x[0-9a-f]+ 128' \
    ip -n R1 xfrm state get src 192.0.2.1 dst 198.51.100.$n proto esp \
    spi $((1000 + n))
done_checks
