# shellcheck shell=bash
# peers.sh: other IKE daemons as peers in lab routers, and a NAT box.
# Sourced by scenarios after lib.sh; tests/lab/README.md ("Peers") has the
# facts behind it. Each daemon gets a directory DIR (default /run/swan-R,
# /run/pluto-R) for its configuration, sockets, pid file and logs.
#
# strongSwan (Debian's charon and swanctl):
#   swan_start R [DIR] [vrf=VRF] [sourceif=yes]
#                             charon in R with DIR/strongswan.conf, vici
#                             socket DIR/vici, log DIR/charon.log (ike 2,
#                             cfg/knl/net 1); no routes, no table 220, no
#                             virtual IPs; retransmits 2 s x 1.4^n, 3 tries.
#                             Returns once vici answers. vrf=: charon runs
#                             under "ip vrf exec VRF" (IKE sockets bound to
#                             the VRF). sourceif=yes: charon's set_sourceif
#                             (sends by IP_PKTINFO with the source address's
#                             interface: enough for a transport VRF).
#                             $SWAN_CHARON_EXTRA: more lines for charon { }.
#   swan_conf DIR NAME KEY=VALUE...
#                             appends IKE connection NAME with child NAME
#                             and its PSK to DIR/swanctl.conf (keys below)
#   swan_child DIR CONN NAME KEY=VALUE...
#                             appends one more child NAME to connection CONN
#                             of DIR/swanctl.conf (swanctl merges sections of
#                             the same name); the child keys below (if_id,
#                             esp, start, rekey, life, rand, rekey_bytes,
#                             life_bytes, rand_bytes, dpd, ts, local_ts,
#                             remote_ts)
#   swan_load R               swanctl --load-all of DIR/swanctl.conf
#   swan_initiate R CHILD     swanctl --initiate --child CHILD (waits; fails
#                             if it fails)
#   swan_terminate R IKE      swanctl --terminate --ike IKE
#   swan_sas R                swanctl --list-sas
#   swanctl_in R ARGS...      any swanctl command on R's charon
#   swan_log R                R's charon log
#   swan_stop R               SIGTERM, waits for charon to exit
#
# libreswan (pluto 4.x: the installed package or lab.sh's unpacked copy):
#   pluto_start R [DIR] [vrf=VRF] [listen=ADDR]
#                             pluto in R: config DIR/ipsec.conf, NSS db
#                             DIR/nss, ctl socket DIR/pluto.ctl, secrets
#                             DIR/ipsec.secrets, log DIR/pluto.log; loads
#                             the conns with auto=add/start already in
#                             DIR/ipsec.conf. Returns once pluto answers.
#                             vrf=: under "ip vrf exec VRF"; listen=: IKE on
#                             that address only.
#   pluto_conf DIR NAME KEY=VALUE...
#                             appends conn NAME to DIR/ipsec.conf and its PSK
#                             to DIR/ipsec.secrets
#   pluto_load R CONN         rereads the secrets, adds CONN (addconn)
#   pluto_up R CONN           whack --initiate (waits; fails if it fails)
#   pluto_down R CONN         whack --terminate
#   pluto_status R            whack --trafficstatus: one line per IPsec SA
#                             with its peer's ID and byte counts
#   whack_in R ARGS...        any whack command (--showstates, --status...)
#   pluto_log R               R's pluto log
#   pluto_stop R              whack --shutdown, waits
#
# Keys of swan_conf and pluto_conf: route-based PSK tunnels, traffic
# selectors "any" on both sides, SAs and policies tied to an xfrm interface
# by its if_id, never MOBIKE.
#   local= remote=            outer addresses (remote=%any: whoever comes)
#   local_id= remote_id=      192.0.2.1 (IPv4), @host.example (FQDN, as in
#                             libreswan; strongSwan gets host.example),
#                             user@host.example (RFC 822)
#   psk=                      default: sectun-lab-pre-shared-key-0123456789
#   if_id=                    the xfrm interface's if_id, in and out. For
#                             libreswan the interface is ipsecN with N =
#                             if_id: never 1 (see README)
#   ike= esp=                 proposals in the daemon's own syntax (an esp=
#                             with a DH group, aes128gcm16-ecp256, is PFS:
#                             a KE in each CREATE_CHILD_SA, rekeys too):
#                             strongSwan aes256-sha256-modp2048,
#                             aes128gcm16-prfsha256-ecp256,
#                             aes256-sha256-x25519 / aes128gcm16,
#                             aes256gcm16-ecp256; libreswan
#                             aes256-sha2_256-modp2048, aes256-sha2_256-ecp_256
#                             / aes_gcm128, aes_gcm256, aes256-sha2_256
#   start=                    strongSwan start_action: none (default), start,
#                             trap; libreswan auto=: add (default), start
#   rekey= ike_rekey=         CHILD_SA / IKE_SA rekey time (strongSwan
#                             rekey_time, libreswan salifetime/ikelifetime)
#   life= rand=               (swan_conf, swan_child) the CHILD_SA's
#                             life_time (hard end; strongSwan's default:
#                             rekey + 10%) and rand_time (rekeys at rekey -
#                             random(rand); default life - rekey): e.g.
#                             rekey=15s life=40s rand=2s rekeys at 13-15 s
#   rekey_bytes= life_bytes= rand_bytes=
#                             (swan_conf, swan_child) the volume limits, in
#                             bytes (kernel soft/hard byte limits; defaults
#                             as for time: life = rekey + 10%, rand = life -
#                             rekey): strongSwan rekeys on the soft EXPIRE
#   ike_over= ike_rand=       (swan_conf) the IKE_SA's over_time (hard end
#                             after the rekey time; default 10% of it) and
#                             rand_time (default over_time)
#   dpd=                      DPD interval in seconds, e.g. 10s (default none)
#   encap=                    strongSwan yes|no (force UDP encapsulation);
#                             libreswan encapsulation= yes|no|auto
#   ts=                       both sides' traffic selectors (default
#                             0.0.0.0/0,::/0 for strongSwan; libreswan takes
#                             one subnet, default 0.0.0.0/0)
#   local_ts= remote_ts=      (swan_conf, swan_child) one side's selectors
#                             (default ts=)
#   pfs=                      (pluto_conf) yes|no; libreswan's default, yes,
#                             makes it refuse a CHILD_SA rekey without KE
#                             (NO_PROPOSAL_CHOSEN): give strongSwan an esp=
#                             with a DH group (aes128gcm16-ecp256) or pfs=no
#   extra=                    one more line for the connection (swanctl.conf
#                             "key = value" or ipsec.conf "key=value")
#
# NAT:
#   nat_router R INSIDE OUTSIDE [ARGS]
#                             R (a router, forwarding) masquerades what goes
#                             from interface INSIDE out of OUTSIDE
#                             (nftables table ip lab_nat); ARGS follow
#                             "masquerade", e.g. "to :40000-40999" so the
#                             NAT changes ports too, or "random" (other
#                             protocols: plain masquerade). A counter per
#                             rule: UDP 500, UDP 4500, TCP/UDP, the rest.
#   nat_counters R            the table with its counters (a NAT rule counts
#                             the first packet of each flow)
#   nat_conntrack R           R's conntrack table (/proc/net/nf_conntrack)

# Which daemon runs where: /run/peers/{swan,pluto}-R hold "DIR PID" (files,
# not variables, so the functions work under check and in subshells).
PEERS_STATE=/run/peers
SWAN_CHARON=${SWAN_CHARON:-/usr/lib/ipsec/charon}
SWAN_PSK_DEFAULT=sectun-lab-pre-shared-key-0123456789
# libreswan: the installed package, or the copy lab.sh unpacked from it
# (Debian's libreswan conflicts with strongswan-charon).
if [ -x /usr/libexec/ipsec/pluto ]; then
	LIBRESWAN_ROOT=
elif [ -n "${SECTUN_LIBRESWAN:-}" ] &&
    [ -x "$SECTUN_LIBRESWAN/usr/libexec/ipsec/pluto" ]; then
	LIBRESWAN_ROOT=$SECTUN_LIBRESWAN
else
	LIBRESWAN_ROOT=/nonexistent
fi
PLUTO=$LIBRESWAN_ROOT/usr/libexec/ipsec/pluto
WHACK=$LIBRESWAN_ROOT/usr/libexec/ipsec/whack
ADDCONN=$LIBRESWAN_ROOT/usr/libexec/ipsec/addconn

# _wait_ready NAME PID LOGS CMD...: until CMD succeeds (20 s), or the
# daemon exits; prints the logs' ends on failure.
_wait_ready() {
	local name=$1 pid=$2 logs=$3
	shift 3
	for _ in $(seq 100); do
		"$@" >/dev/null 2>&1 && return 0
		if ! _running "$pid"; then
			echo "# $name exited at start:"
			# shellcheck disable=SC2086
			cat $logs 2>/dev/null | tail -n 30 | sed 's/^/#   /'
			return 1
		fi
		sleep 0.2
	done
	echo "# $name does not answer after 20 s:"
	# shellcheck disable=SC2086
	cat $logs 2>/dev/null | tail -n 30 | sed 's/^/#   /'
	return 1
}

# _running PID: the process exists and is not a zombie
_running() {
	[ -e "/proc/$1/status" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# _stop NAME PID: waits 10 s for PID to exit
_stop() {
	for _ in $(seq 50); do
		_running "$2" || return 0
		sleep 0.2
	done
	echo "# $1 still runs after 10 s"
	return 1
}

# _peer KIND R FIELD: DIR (1) or PID (2) of R's daemon of KIND
_peer() {
	local f=$PEERS_STATE/$1-$2
	[ -e "$f" ] || { echo "# no $1 started in $2" >&2; return 1; }
	cut -d' ' -f"$3" "$f"
}

# ---- strongSwan ------------------------------------------------------------

swan_start() {
	local r=$1 d=/run/swan-$1 vrf='' sourceif=no a pid
	shift
	for a in "$@"; do
		case $a in
		/*) d=$a ;;
		vrf=*) vrf=${a#vrf=} ;;
		sourceif=*) sourceif=${a#sourceif=} ;;
		*) echo "# swan_start: unknown argument '$a'"; return 1 ;;
		esac
	done
	[ -x "$SWAN_CHARON" ] || { echo "# no $SWAN_CHARON (strongswan-charon)"; return 1; }
	# swanctl --file looks for credentials in these, next to the file.
	mkdir -p "$d"/{x509,x509ca,x509ocsp,x509aa,x509ac,x509crl,pubkey,private,rsa,ecdsa,bliss,pkcs8,pkcs12}
	[ -e "$d/swanctl.conf" ] || : >"$d/swanctl.conf"
	# What Debian's charon needs for PSK tunnels in the kernel (5.9.8
	# derives keys through kdf: without it "key derivation failed").
	cat >"$d/strongswan.conf" <<EOF
charon {
	load = random nonce openssl pem pkcs1 x509 revocation constraints pubkey hmac gcm kdf kernel-netlink socket-default vici updown
	install_routes = no
	install_virtual_ip = no
	routing_table = 0
	retransmit_timeout = 2
	retransmit_base = 1.4
	retransmit_tries = 3
	filelog {
		charon {
			path = $d/charon.log
			time_format = %H:%M:%S
			append = yes
			flush_line = yes
			default = 1
			ike = 2
			cfg = 1
			knl = 1
			net = 1
			enc = 0
		}
	}
	syslog {
		daemon {
			default = -1
		}
	}
	plugins {
		openssl {
			load_legacy = no
		}
		socket-default {
			set_sourceif = $sourceif
		}
		vici {
			socket = unix://$d/vici
		}
	}
${SWAN_CHARON_EXTRA:-}
}
swanctl {
	load = random
}
EOF
	# charon's pid file is /var/run/charon.pid, compiled in: each charon
	# gets a /run of its own (a tmpfs, DIR bound back in), in the mount
	# namespace "ip netns exec" made for it.
	mkdir -p /mnt
	# shellcheck disable=SC2016	# the inner shell expands them
	ip netns exec "$r" sh -c '
		d=$1 vrf=$2
		shift 2
		mount --bind "$d" /mnt &&
		mount -t tmpfs -o mode=0755 tmpfs /run &&
		mkdir -p "$d" && mount --bind /mnt "$d" && umount /mnt || exit 1
		export STRONGSWAN_CONF=$d/strongswan.conf
		[ -z "$vrf" ] || exec ip vrf exec "$vrf" "$@"
		exec "$@"' charon "$d" "$vrf" "$SWAN_CHARON" \
	    </dev/null >>"$d/charon.out" 2>&1 &
	pid=$!
	mkdir -p "$PEERS_STATE"
	echo "$d $pid" >"$PEERS_STATE/swan-$r"
	_wait_ready "charon in $r" "$pid" "$d/charon.out $d/charon.log" \
	    eval "[ -S '$d/vici' ] && swanctl_in '$r' --stats"
}

_swan_dir() {
	_peer swan "$1" 1
}

swanctl_in() {
	local r=$1 d
	shift
	d=$(_swan_dir "$r") || return 1
	STRONGSWAN_CONF=$d/strongswan.conf timeout 60 \
	    swanctl "$@" --uri "unix://$d/vici"
}

# libreswan's "@name" (an FQDN, not resolved) is strongSwan's "name".
_swan_id() {
	echo "${1#@}"
}

swan_conf() {
	local d=$1 name=$2 kv k
	local local='' remote='' local_id='' remote_id='' psk=$SWAN_PSK_DEFAULT
	local if_id='' ike=default esp=default start=none rekey=1h ike_rekey=4h
	local dpd='' encap=no ts=0.0.0.0/0,::/0 extra='' local_ts='' remote_ts=''
	local life='' rand='' rekey_bytes='' life_bytes='' rand_bytes=''
	local ike_over='' ike_rand=''
	shift 2
	for kv in "$@"; do
		k=${kv%%=*}
		case $k in
		local | remote | local_id | remote_id | psk | if_id | ike | esp | \
		    start | rekey | ike_rekey | dpd | encap | ts | extra | \
		    local_ts | remote_ts | life | rand | rekey_bytes | life_bytes | \
		    rand_bytes | ike_over | ike_rand)
			printf -v "$k" '%s' "${kv#*=}" ;;
		*) echo "# swan_conf: unknown key '$k'" >&2; return 1 ;;
		esac
	done
	mkdir -p "$d"
	{
		echo "connections {"
		echo "  $name {"
		echo "    version = 2"
		[ -z "$local" ] || echo "    local_addrs = $local"
		[ -z "$remote" ] || echo "    remote_addrs = $remote"
		echo "    proposals = $ike"
		echo "    mobike = no"
		echo "    encap = $encap"
		echo "    rekey_time = $ike_rekey"
		[ -z "$ike_over" ] || echo "    over_time = $ike_over"
		[ -z "$ike_rand" ] || echo "    rand_time = $ike_rand"
		[ -z "$dpd" ] || echo "    dpd_delay = $dpd"
		[ -z "$if_id" ] || printf '    if_id_in = %s\n    if_id_out = %s\n' "$if_id" "$if_id"
		[ -z "$extra" ] || echo "    $extra"
		echo "    local {"
		echo "      auth = psk"
		[ -z "$local_id" ] || echo "      id = $(_swan_id "$local_id")"
		echo "    }"
		echo "    remote {"
		echo "      auth = psk"
		[ -z "$remote_id" ] || echo "      id = $(_swan_id "$remote_id")"
		echo "    }"
		echo "    children {"
		_swan_child_block "$name"
		echo "    }"
		echo "  }"
		echo "}"
		echo "secrets {"
		echo "  ike-$name {"
		[ -z "$local_id" ] || echo "    id-local = $(_swan_id "$local_id")"
		[ -z "$remote_id" ] || echo "    id-remote = $(_swan_id "$remote_id")"
		echo "    secret = \"$psk\""
		echo "  }"
		echo "}"
	} >>"$d/swanctl.conf"
}

# _swan_child_block NAME: a child's section, from the caller's variables
# (ts local_ts remote_ts esp rekey start dpd if_id life rand rekey_bytes
# life_bytes rand_bytes)
_swan_child_block() {
	echo "      $1 {"
	echo "        local_ts = ${local_ts:-$ts}"
	echo "        remote_ts = ${remote_ts:-$ts}"
	echo "        esp_proposals = $esp"
	echo "        rekey_time = $rekey"
	[ -z "$life" ] || echo "        life_time = $life"
	[ -z "$rand" ] || echo "        rand_time = $rand"
	[ -z "$rekey_bytes" ] || echo "        rekey_bytes = $rekey_bytes"
	[ -z "$life_bytes" ] || echo "        life_bytes = $life_bytes"
	[ -z "$rand_bytes" ] || echo "        rand_bytes = $rand_bytes"
	echo "        start_action = $start"
	[ -z "$dpd" ] || echo "        dpd_action = restart"
	[ -z "$if_id" ] || printf '        if_id_in = %s\n        if_id_out = %s\n' "$if_id" "$if_id"
	echo "      }"
}

swan_child() {
	local d=$1 conn=$2 name=$3 kv k
	local if_id='' esp=default start=none rekey=1h dpd='' ts=0.0.0.0/0,::/0
	local local_ts='' remote_ts='' life='' rand='' rekey_bytes=''
	local life_bytes='' rand_bytes=''
	shift 3
	for kv in "$@"; do
		k=${kv%%=*}
		case $k in
		if_id | esp | start | rekey | dpd | ts | local_ts | remote_ts | \
		    life | rand | rekey_bytes | life_bytes | rand_bytes)
			printf -v "$k" '%s' "${kv#*=}" ;;
		*) echo "# swan_child: unknown key '$k'" >&2; return 1 ;;
		esac
	done
	{
		echo "connections {"
		echo "  $conn {"
		echo "    children {"
		_swan_child_block "$name"
		echo "    }"
		echo "  }"
		echo "}"
	} >>"$d/swanctl.conf"
}

swan_load() {
	local d
	d=$(_swan_dir "$1") || return 1
	swanctl_in "$1" --load-all --noprompt --file "$d/swanctl.conf"
}

swan_initiate() {
	swanctl_in "$1" --initiate --child "$2" --timeout 30
}

swan_terminate() {
	swanctl_in "$1" --terminate --ike "$2" --timeout 30
}

swan_sas() {
	swanctl_in "$1" --list-sas
}

swan_log() {
	local d
	d=$(_swan_dir "$1") || return 1
	cat "$d/charon.out" "$d/charon.log" 2>/dev/null
}

swan_stop() {
	local pid
	pid=$(_peer swan "$1" 2) || return 1
	kill "$pid" 2>/dev/null || true
	_stop "charon in $1" "$pid"
}

# ---- libreswan -------------------------------------------------------------

pluto_start() {
	local r=$1 d=/run/pluto-$1 vrf=() listen=() a pid
	shift
	for a in "$@"; do
		case $a in
		/*) d=$a ;;
		vrf=*) vrf=(ip vrf exec "${a#vrf=}") ;;
		listen=*) listen=(--listen "${a#listen=}") ;;
		*) echo "# pluto_start: unknown argument '$a'"; return 1 ;;
		esac
	done
	if [ ! -x "$PLUTO" ]; then
		echo "# no pluto: no libreswan installed, no SECTUN_LIBRESWAN (lab.sh)"
		return 1
	fi
	# pluto runs addconn from its compiled-in path: the unpacked copy
	# goes there, in this scenario's own mount namespace only.
	if [ -n "$LIBRESWAN_ROOT" ] && [ ! -x /usr/libexec/ipsec/addconn ]; then
		mkdir -p /usr/libexec/ipsec &&
		    mount --bind "$LIBRESWAN_ROOT/usr/libexec/ipsec" /usr/libexec/ipsec ||
		    return 1
	fi
	mkdir -p "$d/nss"
	[ -e "$d/nss/cert9.db" ] || certutil -N -d "sql:$d/nss" --empty-password || return 1
	[ -e "$d/ipsec.conf" ] || printf 'config setup\n' >"$d/ipsec.conf"
	[ -e "$d/ipsec.secrets" ] || : >"$d/ipsec.secrets"
	chmod 600 "$d/ipsec.secrets"
	ip netns exec "$r" "${vrf[@]}" "$PLUTO" --nofork --config "$d/ipsec.conf" \
	    --rundir "$d" --nssdir "$d/nss" --secretsfile "$d/ipsec.secrets" \
	    --ipsecdir "$d" --dumpdir "$d" --logfile "$d/pluto.log" \
	    --no-dnssec "${listen[@]}" </dev/null >>"$d/pluto.out" 2>&1 &
	pid=$!
	mkdir -p "$PEERS_STATE"
	echo "$d $pid" >"$PEERS_STATE/pluto-$r"
	_wait_ready "pluto in $r" "$pid" "$d/pluto.out $d/pluto.log" \
	    eval "[ -S '$d/pluto.ctl' ] && whack_in '$r' --status"
}

_pluto_dir() {
	_peer pluto "$1" 1
}

whack_in() {
	local r=$1 d
	shift
	d=$(_pluto_dir "$r") || return 1
	timeout 60 "$WHACK" --ctlsocket "$d/pluto.ctl" "$@"
}

pluto_conf() {
	local d=$1 name=$2 kv k
	local local='' remote='' local_id='' remote_id='' psk=$SWAN_PSK_DEFAULT
	local if_id='' ike='' esp='' start=add rekey='' ike_rekey='' dpd=''
	local encap=auto ts=0.0.0.0/0 pfs='' extra=''
	shift 2
	for kv in "$@"; do
		k=${kv%%=*}
		case $k in
		local | remote | local_id | remote_id | psk | if_id | ike | esp | \
		    start | rekey | ike_rekey | dpd | encap | ts | pfs | extra)
			printf -v "$k" '%s' "${kv#*=}" ;;
		*) echo "# pluto_conf: unknown key '$k'" >&2; return 1 ;;
		esac
	done
	mkdir -p "$d"
	[ -e "$d/ipsec.conf" ] || printf 'config setup\n' >"$d/ipsec.conf"
	{
		echo
		echo "conn $name"
		echo "	keyexchange=ike"
		echo "	ikev2=yes"
		echo "	authby=secret"
		echo "	auto=$start"
		echo "	left=${local:-%defaultroute}"
		[ -z "$local_id" ] || echo "	leftid=$local_id"
		echo "	right=${remote:-%any}"
		[ -z "$remote_id" ] || echo "	rightid=$remote_id"
		echo "	leftsubnet=$ts"
		echo "	rightsubnet=$ts"
		[ -z "$if_id" ] || echo "	ipsec-interface=$if_id"
		# No updown script: no routes, no firewall rules.
		echo "	leftupdown=%disabled"
		echo "	mobike=no"
		echo "	encapsulation=$encap"
		# An attempt gives up after 10 s (default 60 s).
		echo "	retransmit-timeout=10s"
		[ -z "$ike" ] || echo "	ike=$ike"
		[ -z "$esp" ] || echo "	esp=$esp"
		[ -z "$pfs" ] || echo "	pfs=$pfs"
		[ -z "$rekey" ] || echo "	salifetime=$rekey"
		[ -z "$ike_rekey" ] || echo "	ikelifetime=$ike_rekey"
		[ -z "$dpd" ] || printf '\tdpddelay=%s\n\tdpdtimeout=%ss\n\tdpdaction=restart\n' \
		    "$dpd" "$((${dpd%s} * 3))"
		[ -z "$extra" ] || echo "	$extra"
	} >>"$d/ipsec.conf"
	echo "${local_id:-${local:-%any}} ${remote_id:-${remote:-%any}} : PSK \"$psk\"" \
	    >>"$d/ipsec.secrets"
	chmod 600 "$d/ipsec.secrets"
}

pluto_load() {
	local r=$1 d
	d=$(_pluto_dir "$r") || return 1
	whack_in "$r" --rereadsecrets || return 1
	timeout 60 "$ADDCONN" --config "$d/ipsec.conf" --ctlsocket "$d/pluto.ctl" "$2"
}

pluto_up() {
	whack_in "$1" --name "$2" --initiate
}

pluto_down() {
	whack_in "$1" --name "$2" --terminate
}

pluto_status() {
	whack_in "$1" --trafficstatus
}

pluto_log() {
	local d
	d=$(_pluto_dir "$1") || return 1
	cat "$d/pluto.out" "$d/pluto.log" 2>/dev/null
}

pluto_stop() {
	local pid
	pid=$(_peer pluto "$1" 2) || return 1
	whack_in "$1" --shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
	_stop "pluto in $1" "$pid" || { kill "$pid" 2>/dev/null; return 1; }
}

# ---- NAT -------------------------------------------------------------------

nat_router() {
	local r=$1 in=$2 out=$3
	shift 3
	ip netns exec "$r" nft -f - <<EOF
table ip lab_nat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		iifname "$in" oifname "$out" udp dport 500 counter masquerade $*
		iifname "$in" oifname "$out" udp dport 4500 counter masquerade $*
		iifname "$in" oifname "$out" meta l4proto { tcp, udp } counter masquerade $*
		iifname "$in" oifname "$out" counter masquerade
	}
}
EOF
}

nat_counters() {
	ip netns exec "$1" nft list table ip lab_nat
}

nat_conntrack() {
	ip netns exec "$1" cat /proc/net/nf_conntrack
}
