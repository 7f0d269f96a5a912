/* ike_conf: tunnels, identities and pre-shared keys for the IKEv2 engine,
 * read from the store (schema/001-initial.sql). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "ike_conf.h"
#include "log.h"
#include "secret.h"
#include "store.h"
#include "util.h"

/* ---- identities (RFC 7296 3.5) ---- */

static const struct {
	uint8_t		 type;
	const char	*name;		/* ike_idv_text's prefix */
	int		 is_name;	/* printable, case-insensitive */
} conf_id_types[] = {
	{ IKE_ID_IPV4_ADDR, "ipv4", 0 },
	{ IKE_ID_FQDN, "fqdn", 1 },
	{ IKE_ID_RFC822_ADDR, "user-fqdn", 1 },
	{ IKE_ID_IPV6_ADDR, "ipv6", 0 },
	{ IKE_ID_DER_ASN1_DN, "dn", 0 },
	{ IKE_ID_KEY_ID, "key-id", 0 },
};

static int
conf_id_index(uint8_t type)
{
	size_t	 i;

	for (i = 0; i < nitems(conf_id_types); i++)
		if (conf_id_types[i].type == type)
			return (int)i;
	return -1;
}

static int
conf_id_is_name(uint8_t type)
{
	int	 i = conf_id_index(type);

	return i >= 0 && conf_id_types[i].is_name;
}

static int
conf_idv_name(uint8_t type, const char *value, struct ike_idv *out)
{
	size_t	 n = strlen(value);

	memset(out, 0, sizeof(*out));
	if (n == 0 || n > sizeof(out->data))
		return -1;
	out->type = type;
	memcpy(out->data, value, n);
	out->len = n;
	return 0;
}

int
ike_idv_from_addr(int family, const uint8_t *addr, struct ike_idv *out)
{
	memset(out, 0, sizeof(*out));
	if (family != AF_INET && family != AF_INET6)
		return -1;
	out->type = family == AF_INET ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR;
	out->len = family == AF_INET ? 4 : 16;
	memcpy(out->data, addr, out->len);
	return 0;
}

int
ike_idv_from_conf(const char *type, const char *value, struct ike_idv *out)
{
	unsigned char a[16];
	int	 fam;

	memset(out, 0, sizeof(*out));
	if (type == NULL || value == NULL)
		return -1;
	if (strcmp(type, "address") == 0)
		return parse_addr_bytes(value, &fam, a) == -1 ? -1 :
		    ike_idv_from_addr(fam, a, out);
	if (strcmp(type, "fqdn") == 0)
		return conf_idv_name(IKE_ID_FQDN, value, out);
	if (strcmp(type, "user-fqdn") == 0)
		return conf_idv_name(IKE_ID_RFC822_ADDR, value, out);
	return -1;	/* dn: no DER encoding here, and PSK only */
}

int
ike_idv_text(const struct ike_idv *id, char *out, size_t len)
{
	char	 val[2 * sizeof(id->data) + 1], tname[16];
	size_t	 i, n = id->len < sizeof(id->data) ? id->len : sizeof(id->data);
	int	 k = conf_id_index(id->type), w;

	if (k < 0)
		snprintf(tname, sizeof(tname), "type-%u", id->type);
	else
		str_copy(tname, conf_id_types[k].name, sizeof(tname));
	if ((id->type == IKE_ID_IPV4_ADDR && n == 4) ||
	    (id->type == IKE_ID_IPV6_ADDR && n == 16))
		inet_ntop(n == 4 ? AF_INET : AF_INET6, id->data, val,
		    sizeof(val));
	else if (conf_id_is_name(id->type)) {
		/* the peer chose these bytes: nothing unprintable in logs */
		for (i = 0; i < n; i++)
			val[i] = isprint(id->data[i]) ? (char)id->data[i] : '?';
		val[n] = '\0';
	} else
		hex_encode(id->data, n, val);
	w = snprintf(out, len, "%s:%s", tname, val);
	return w < 0 || (size_t)w >= len ? -1 : 0;
}

int
ike_idv_equal(const struct ike_idv *a, const struct ike_idv *b)
{
	size_t	 i;

	if (a->type == 0 || a->type != b->type || a->len != b->len ||
	    a->len > sizeof(a->data))
		return 0;
	if (!conf_id_is_name(a->type))
		return memcmp(a->data, b->data, a->len) == 0;
	for (i = 0; i < a->len; i++)
		if (tolower(a->data[i]) != tolower(b->data[i]))
			return 0;
	return 1;
}

/* ---- tunnels ---- */

#define CONF_TUNNEL_SELECT \
	"SELECT t.name, t.if_id, t.vr, ifnull(t.tvr, t.vr), " \
	"ifnull(t.source, ''), ifnull(t.destination, ''), " \
	"ifnull(t.backup, ''), ifnull(t.transform_set, ''), " \
	"ifnull(t.pfs_group, 0), " \
	"ifnull(t.lifetime_seconds, s.lifetime_seconds), " \
	"ifnull(t.lifetime_kilobytes, s.lifetime_kilobytes), " \
	"t.lifetime_seconds IS NOT NULL, t.lifetime_kilobytes IS NOT NULL, " \
	"ifnull(t.local_id_type, ''), ifnull(t.local_id, ''), " \
	"ifnull(t.peer_id_type, ''), ifnull(t.peer_id, ''), " \
	"ifnull(t.local_selector, ''), ifnull(t.peer_selector, ''), " \
	"t.establish, t.ike_version, t.shutdown, " \
	"(SELECT count(*) FROM tunnel_sa_manual m WHERE m.tunnel = t.name), " \
	"CASE WHEN t.dpd_set THEN t.dpd_mode WHEN s.dpd_enabled THEN " \
	"s.dpd_mode ELSE '' END, " \
	"CASE WHEN t.dpd_set THEN t.dpd_interval ELSE s.dpd_interval END, " \
	"CASE WHEN t.dpd_set THEN t.dpd_threshold ELSE s.dpd_threshold END, " \
	"t.dpd_set " \
	"FROM tunnel t, system s "

enum {
	TC_NAME, TC_IF_ID, TC_VR, TC_TVR, TC_SRC, TC_DST, TC_BAK, TC_TSET,
	TC_PFS, TC_LSECS, TC_LKB, TC_LSECS_OWN, TC_LKB_OWN, TC_LIDT, TC_LID,
	TC_PIDT, TC_PID, TC_LSEL, TC_PSEL, TC_EST, TC_IKEV, TC_SHUT, TC_MANUAL,
	TC_DPD_MODE, TC_DPD_INTERVAL, TC_DPD_THRESHOLD, TC_DPD_OWN,
};

static const char *const conf_dpd[] = {
	[IKE_DPD_OFF] = "",
	[IKE_DPD_OPTIMIZED] = "optimized",
	[IKE_DPD_PROBE_IDLE] = "probe-idle",
	[IKE_DPD_ALWAYS_SEND] = "always-send",
};

const char *
ike_dpd_mode_name(enum ike_dpd_mode m)
{
	return m == IKE_DPD_OFF ? "off" : conf_dpd[m];
}

static const char *const conf_establish[] = {
	[IKE_ESTABLISH_IMMEDIATELY] = "immediately",
	[IKE_ESTABLISH_ON_TRAFFIC] = "on-traffic",
	[IKE_ESTABLISH_RESPONDER_ONLY] = "responder-only",
};

/* An endpoint: an address, or an FQDN / user@fqdn identity. */
static void
conf_endpoint(const char *text, char *copy, int *is_addr, int *family,
    uint8_t *addr, struct ike_idv *id)
{
	str_copy(copy, text, IDENTITY_MAX_LEN + 1);
	memset(id, 0, sizeof(*id));
	*is_addr = 0;
	*family = 0;
	memset(addr, 0, 16);
	if (*text == '\0')
		return;
	if (parse_addr_bytes(text, family, addr) == 0)
		*is_addr = 1;
	else
		conf_idv_name(strchr(text, '@') != NULL ? IKE_ID_RFC822_ADDR :
		    IKE_ID_FQDN, text, id);
}

/* A configured identity; a dn cannot be used: it is kept as type DN with
 * its text, which no peer's DER ID equals, and named in t->why. */
static void
conf_identity(struct ike_tunnel *t, const char *which, const char *type,
    const char *value, struct ike_idv *id)
{
	memset(id, 0, sizeof(*id));
	if (*type == '\0' || ike_idv_from_conf(type, value, id) == 0)
		return;
	conf_idv_name(IKE_ID_DER_ASN1_DN, value, id);
	snprintf(t->why, sizeof(t->why), "%s-identity %s is not supported "
	    "with pre-shared keys", which, type);
}

static void
conf_tunnel_row(sqlite3_stmt *q, struct ike_tunnel *t)
{
	size_t	 i;

	memset(t, 0, sizeof(*t));
	str_copy(t->name, store_col(q, TC_NAME), sizeof(t->name));
	t->if_id = (uint32_t)sqlite3_column_int64(q, TC_IF_ID);
	str_copy(t->vr, store_col(q, TC_VR), sizeof(t->vr));
	str_copy(t->tvr, store_col(q, TC_TVR), sizeof(t->tvr));
	conf_endpoint(store_col(q, TC_SRC), t->source, &t->src_is_addr,
	    &t->src_family, t->src_addr, &t->src_id);
	conf_endpoint(store_col(q, TC_DST), t->destination, &t->dst_is_addr,
	    &t->dst_family, t->dst_addr, &t->dst_id);
	conf_endpoint(store_col(q, TC_BAK), t->backup, &t->bak_is_addr,
	    &t->bak_family, t->bak_addr, &t->bak_id);
	str_copy(t->transform_set, store_col(q, TC_TSET),
	    sizeof(t->transform_set));
	t->pfs_group = (uint16_t)sqlite3_column_int(q, TC_PFS);
	t->life_seconds = (uint32_t)sqlite3_column_int64(q, TC_LSECS);
	t->life_kilobytes = (uint64_t)sqlite3_column_int64(q, TC_LKB);
	t->life_seconds_tunnel = sqlite3_column_int(q, TC_LSECS_OWN);
	t->life_kilobytes_tunnel = sqlite3_column_int(q, TC_LKB_OWN);
	conf_identity(t, "local", store_col(q, TC_LIDT), store_col(q, TC_LID),
	    &t->local_id);
	conf_identity(t, "peer", store_col(q, TC_PIDT), store_col(q, TC_PID),
	    &t->peer_id);
	str_copy(t->local_selector, store_col(q, TC_LSEL),
	    sizeof(t->local_selector));
	str_copy(t->peer_selector, store_col(q, TC_PSEL),
	    sizeof(t->peer_selector));
	for (i = 0; i < nitems(conf_establish); i++)
		if (strcmp(store_col(q, TC_EST), conf_establish[i]) == 0)
			t->establish = (enum ike_establish)i;
	t->ike_version = sqlite3_column_int(q, TC_IKEV);
	t->shutdown = sqlite3_column_int(q, TC_SHUT);
	t->manual = sqlite3_column_int(q, TC_MANUAL) > 0;
	for (i = 1; i < nitems(conf_dpd); i++)
		if (strcmp(store_col(q, TC_DPD_MODE), conf_dpd[i]) == 0)
			t->dpd_mode = (enum ike_dpd_mode)i;
	t->dpd_interval = (unsigned)sqlite3_column_int(q, TC_DPD_INTERVAL);
	t->dpd_threshold = (unsigned)sqlite3_column_int(q, TC_DPD_THRESHOLD);
	t->dpd_tunnel = sqlite3_column_int(q, TC_DPD_OWN);
	if (t->dpd_interval == 0 || t->dpd_threshold == 0)
		t->dpd_mode = IKE_DPD_OFF;
}

int
ike_conf_tunnel(struct store *st, const char *name, struct ike_tunnel *t)
{
	sqlite3_stmt *q;
	int	 rc, found = 0;

	memset(t, 0, sizeof(*t));
	q = store_query(st, CONF_TUNNEL_SELECT "WHERE t.name = ?", "s", name);
	if (q == NULL)
		return -1;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		conf_tunnel_row(q, t);
		found = 1;
	}
	store_finalize(st, q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? found : -1;
}

int
ike_conf_tunnels(struct store *st, char (*names)[NAME_MAX_LEN + 1],
    size_t max, size_t *n)
{
	sqlite3_stmt *q;
	int	 rc = SQLITE_DONE;

	*n = 0;
	q = store_query(st, "SELECT name FROM tunnel t WHERE ike_version = 2 "
	    "AND NOT EXISTS (SELECT 1 FROM tunnel_sa_manual m WHERE "
	    "m.tunnel = t.name) ORDER BY name", "");
	while (q != NULL && (rc = sqlite3_step(q)) == SQLITE_ROW && *n < max)
		str_copy(names[(*n)++], store_col(q, 0), sizeof(names[0]));
	store_finalize(st, q);
	return q != NULL && rc == SQLITE_DONE ? 0 : -1;
}

/* ---- our identity ---- */

int
ike_conf_local_id(struct store *st, const struct ike_tunnel *t, int family,
    const uint8_t *local_addr, struct ike_idv *out)
{
	char	 type[16], value[IDENTITY_MAX_LEN + 1];

	memset(out, 0, sizeof(*out));
	if (t != NULL && t->local_id.type != 0) {
		if (t->local_id.type == IKE_ID_DER_ASN1_DN)
			return -1;
		*out = t->local_id;
		return 0;
	}
	/* a source given as a name is the tunnel's identity (CLI.md) */
	if (t != NULL && t->src_id.type != 0) {
		*out = t->src_id;
		return 0;
	}
	if (store_text(st, type, sizeof(type), "SELECT local_id_type FROM "
	    "system", "") == 0 && store_text(st, value, sizeof(value),
	    "SELECT local_id FROM system", "") == 0)
		return ike_idv_from_conf(type, value, out);
	if (local_addr == NULL)
		return -1;
	return ike_idv_from_addr(family, local_addr, out);
}

/* ---- pre-shared keys ---- */

/* The key stored for peer (names: any case, the exact spelling first).
 * 0 found, -1 none. */
static int
conf_psk_try(struct store *st, const char *tvr, const char *peer,
    uint8_t **psk, size_t *len)
{
	sqlite3_stmt *q;
	char	 stored[IDENTITY_MAX_LEN + 1], aad[256], *blob = NULL;
	int	 rc = -1;

	q = store_query(st, "SELECT peer, blob FROM psk WHERE tvr = ? AND "
	    "peer = ? COLLATE NOCASE ORDER BY peer = ? DESC, peer LIMIT 1",
	    "sss", tvr, peer, peer);
	if (q != NULL && sqlite3_step(q) == SQLITE_ROW) {
		str_copy(stored, store_col(q, 0), sizeof(stored));
		blob = strdup(store_col(q, 1));
	}
	store_finalize(st, q);
	if (blob == NULL)
		return -1;
	/* the AAD of daemon/cmd_ipsec.c: the blob is for this peer and VR */
	snprintf(aad, sizeof(aad), "psk|%s|%s", stored, tvr);
	if (secret_decrypt(st->key, aad, blob, psk, len) == 0)
		rc = 0;
	else
		log_warn("pre-shared key for %s in virtual-router %s does not "
		    "decrypt on this device", stored, tvr);
	free(blob);
	return rc;
}

/* The ID's data as a C string, when it is a name without NULs. */
static int
conf_id_string(const struct ike_idv *id, char *out, size_t size)
{
	if (id->len == 0 || id->len >= size ||
	    memchr(id->data, '\0', id->len) != NULL)
		return -1;
	memcpy(out, id->data, id->len);
	out[id->len] = '\0';
	return 0;
}

/* Names to look a key up under, in order (CLI.md). */
static size_t
conf_psk_names(const struct ike_idv *id, int family, const uint8_t *addr,
    char (*names)[IDENTITY_MAX_LEN + 1])
{
	const char *at;
	size_t	 n = 0;

	if (id != NULL && (id->type == IKE_ID_FQDN ||
	    id->type == IKE_ID_RFC822_ADDR)) {
		if (conf_id_string(id, names[0], sizeof(names[0])) == -1)
			return 0;
		n = 1;
		if (id->type == IKE_ID_RFC822_ADDR &&
		    (at = strrchr(names[0], '@')) != NULL && at[1] != '\0')
			str_copy(names[n++], at + 1, sizeof(names[0]));
		return n;
	}
	if (id != NULL && ((id->type == IKE_ID_IPV4_ADDR && id->len == 4) ||
	    (id->type == IKE_ID_IPV6_ADDR && id->len == 16)))
		inet_ntop(id->len == 4 ? AF_INET : AF_INET6, id->data,
		    names[n++], sizeof(names[0]));
	else if (id != NULL)
		return 0;	/* dn, key-id: not with pre-shared keys */
	if (addr != NULL && (family == AF_INET || family == AF_INET6))
		inet_ntop(family, addr, names[n++], sizeof(names[0]));
	return n;
}

int
ike_conf_psk(struct store *st, const char *tvr, const struct ike_idv *peer_id,
    int family, const uint8_t *peer_addr, uint8_t **psk, size_t *len)
{
	char	 names[3][IDENTITY_MAX_LEN + 1];
	size_t	 i, n;

	*psk = NULL;
	*len = 0;
	if (tvr == NULL)
		tvr = "default";
	n = conf_psk_names(peer_id, family, peer_addr, names);
	for (i = 0; i < n; i++)
		if (conf_psk_try(st, tvr, names[i], psk, len) == 0)
			return 0;
	return -1;
}

/* ---- the responder's tunnels ---- */

enum conf_fit { CONF_NO, CONF_BY_ADDR, CONF_BY_ID };

static int
conf_addr_is(int is_addr, int fam, const uint8_t *a, int family,
    const uint8_t *b)
{
	return is_addr && b != NULL && fam == family &&
	    memcmp(a, b, family == AF_INET6 ? 16 : 4) == 0;
}

static enum conf_fit
conf_fits(const struct ike_tunnel *t, int family, const uint8_t *local,
    const uint8_t *peer, const struct ike_idv *peer_id)
{
	if (t->manual || t->why[0] != '\0')
		return CONF_NO;
	if (t->src_is_addr && local != NULL &&
	    !conf_addr_is(1, t->src_family, t->src_addr, family, local))
		return CONF_NO;
	if (t->peer_id.type != 0 && peer_id != NULL &&
	    !ike_idv_equal(&t->peer_id, peer_id))
		return CONF_NO;
	if (conf_addr_is(t->dst_is_addr, t->dst_family, t->dst_addr, family,
	    peer) || conf_addr_is(t->bak_is_addr, t->bak_family, t->bak_addr,
	    family, peer))
		return CONF_BY_ADDR;
	if (peer_id != NULL && (ike_idv_equal(&t->dst_id, peer_id) ||
	    ike_idv_equal(&t->bak_id, peer_id)))
		return CONF_BY_ID;
	return CONF_NO;
}

int
ike_conf_match(struct store *st, const char *tvr, int family,
    const uint8_t *local, const uint8_t *peer,
    const struct ike_idv *peer_id, char (*names)[NAME_MAX_LEN + 1],
    size_t max, size_t *n)
{
	struct ike_tunnel t;
	sqlite3_stmt	*q;
	enum conf_fit	 pass;
	int		 rc = SQLITE_DONE;

	*n = 0;
	if (tvr == NULL)
		tvr = "default";
	/* address matches first: a fixed peer outranks a dynamic one */
	for (pass = CONF_BY_ADDR; pass <= CONF_BY_ID; pass++) {
		q = store_query(st, CONF_TUNNEL_SELECT "WHERE ifnull(t.tvr, "
		    "t.vr) = ? AND t.shutdown = 0 AND t.ike_version = 2 "
		    "ORDER BY t.name", "s", tvr);
		while (q != NULL && *n < max &&
		    (rc = sqlite3_step(q)) == SQLITE_ROW) {
			conf_tunnel_row(q, &t);
			if (conf_fits(&t, family, local, peer, peer_id) == pass)
				str_copy(names[(*n)++], t.name,
				    sizeof(names[0]));
		}
		store_finalize(st, q);
		if (q == NULL || (rc != SQLITE_ROW && rc != SQLITE_DONE))
			return -1;
	}
	return 0;
}
