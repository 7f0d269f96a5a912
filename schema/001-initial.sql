-- sectun configuration, migration 1: the whole configuration model.
-- Each table holds what the user typed, validated; running-config is
-- printed from here in canonical order.

CREATE TABLE system (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	hostname	TEXT,
	lifetime_seconds INTEGER NOT NULL DEFAULT 28800,
	lifetime_kilobytes INTEGER NOT NULL DEFAULT 102400,
	local_id_type	TEXT,		-- address | fqdn | user-fqdn | dn
	local_id	TEXT,
	dpd_enabled	INTEGER NOT NULL DEFAULT 0,
	dpd_mode	TEXT NOT NULL DEFAULT 'optimized',
	dpd_interval	INTEGER NOT NULL DEFAULT 10,
	dpd_threshold	INTEGER NOT NULL DEFAULT 5,
	next_if_id	INTEGER NOT NULL DEFAULT 1
);
INSERT INTO system (id) VALUES (1);

CREATE TABLE virtual_router (
	name		TEXT PRIMARY KEY,
	table_id	INTEGER UNIQUE	-- NULL: chosen by the kernel layer
);
INSERT INTO virtual_router (name, table_id) VALUES ('default', 254);

CREATE TABLE transform_set (
	name		TEXT PRIMARY KEY
);
CREATE TABLE transform_set_member (
	set_name	TEXT NOT NULL REFERENCES transform_set(name) ON DELETE CASCADE,
	position	INTEGER NOT NULL,
	transform	TEXT NOT NULL,
	PRIMARY KEY (set_name, position)
);

CREATE TABLE ike_policy_rule (
	priority	INTEGER PRIMARY KEY CHECK (priority BETWEEN 1 AND 10000),
	authentication	TEXT NOT NULL DEFAULT 'pre-share',
	encryption	TEXT NOT NULL DEFAULT 'aes256',
	hash		TEXT NOT NULL DEFAULT 'sha256',
	dh_group	INTEGER NOT NULL DEFAULT 14,
	lifetime	INTEGER NOT NULL DEFAULT 28800,
	aggressive_mode	TEXT NOT NULL DEFAULT 'not-allowed',
	match_local	TEXT,
	match_tvr	TEXT REFERENCES virtual_router(name)
);

CREATE TABLE psk (
	peer		TEXT NOT NULL,
	tvr		TEXT NOT NULL REFERENCES virtual_router(name),
	blob		TEXT NOT NULL,	-- secret_encrypt() output, never clear text
	PRIMARY KEY (peer, tvr)
);

CREATE TABLE trap_hook (
	path		TEXT PRIMARY KEY,
	events		TEXT NOT NULL	-- canonical, space separated
);

CREATE TABLE tunnel (
	name		TEXT PRIMARY KEY,
	if_id		INTEGER NOT NULL UNIQUE,
	description	TEXT,
	vr		TEXT NOT NULL DEFAULT 'default' REFERENCES virtual_router(name),
	tvr		TEXT REFERENCES virtual_router(name),	-- NULL: the operational VR
	source		TEXT,
	destination	TEXT,
	backup		TEXT,
	transform_set	TEXT REFERENCES transform_set(name),
	pfs_group	INTEGER,
	lifetime_seconds INTEGER,
	lifetime_kilobytes INTEGER,
	local_id_type	TEXT,
	local_id	TEXT,
	peer_id_type	TEXT,
	peer_id		TEXT,
	local_selector	TEXT,
	peer_selector	TEXT,
	ike_version	INTEGER NOT NULL DEFAULT 2,
	establish	TEXT NOT NULL DEFAULT 'immediately',
	dpd_set		INTEGER NOT NULL DEFAULT 0,	-- 0: follow ipsec dpd
	dpd_mode	TEXT,
	dpd_interval	INTEGER,
	dpd_threshold	INTEGER,
	mtu		INTEGER,
	ipv4_address	TEXT,
	unnumbered	INTEGER NOT NULL DEFAULT 0,
	shutdown	INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tunnel_ipv6_address (
	tunnel		TEXT NOT NULL REFERENCES tunnel(name) ON DELETE CASCADE,
	prefix		TEXT NOT NULL,
	PRIMARY KEY (tunnel, prefix)
);

CREATE TABLE tunnel_sa_manual (
	tunnel		TEXT NOT NULL REFERENCES tunnel(name) ON DELETE CASCADE,
	direction	TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
	spi		INTEGER NOT NULL,
	transform	TEXT NOT NULL,
	enc_key		TEXT,		-- secret_encrypt() output
	auth_key	TEXT,		-- secret_encrypt() output
	PRIMARY KEY (tunnel, direction)
);

CREATE TABLE route (
	family		INTEGER NOT NULL CHECK (family IN (4, 6)),
	vr		TEXT NOT NULL REFERENCES virtual_router(name),
	prefix		TEXT NOT NULL,
	tunnel		TEXT REFERENCES tunnel(name) ON DELETE CASCADE,
	nexthop		TEXT,
	distance	INTEGER NOT NULL DEFAULT 1,
	CHECK ((tunnel IS NULL) <> (nexthop IS NULL))
);
-- One of tunnel/nexthop is always NULL, and NULLs never clash in UNIQUE.
CREATE UNIQUE INDEX route_key ON route
	(vr, prefix, ifnull(tunnel, ''), ifnull(nexthop, ''));
