/* tunnel_ike: negotiated CHILD_SAs into the kernel for the IKE engine
 * (its child_up / child_down / spi_alloc / tunnel_failed operations): the
 * SA pair with the tunnel's if_id and reqid, ESP in UDP after NAT-T (RFC
 * 3948), anti-replay on (RFC 4303 3.4.3), the tunnel's policies, and the
 * interface brought up or down with its routes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netinet/in.h>

#include "ike.h"
#include "log.h"
#include "runtime.h"
#include "trap.h"
#include "tunnel_ike.h"
#include "util.h"

#define CHILD_REPLAY_WINDOW	64

static void
child_ksa(const struct ike_path *p, const struct ike_child *c, int out,
    struct ksa *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->family = p->family;
	sa->proto = c->proto;
	sa->spi = out ? c->spi_out : c->spi_in;
	memcpy(sa->saddr, out ? p->local : p->peer, 16);
	memcpy(sa->daddr, out ? p->peer : p->local, 16);
	sa->reqid = KERNEL_REQID(c->if_id);
	sa->if_id = c->if_id;
	sa->aead = c->xf.aead;
	sa->icv_bits = c->xf.icv_bits;
	sa->trunc_bits = c->xf.trunc_bits;
	sa->enc_len = c->xf.enc_key_len;
	sa->auth_len = c->xf.auth_key_len;
	if (c->xf.xfrm_cipher != NULL)
		str_copy(sa->enc_alg, c->xf.xfrm_cipher, sizeof(sa->enc_alg));
	if (c->xf.xfrm_integ != NULL)
		str_copy(sa->auth_alg, c->xf.xfrm_integ, sizeof(sa->auth_alg));
	memcpy(sa->enc_key, out ? c->enc_out : c->enc_in, sa->enc_len);
	memcpy(sa->auth_key, out ? c->auth_out : c->auth_in, sa->auth_len);
	sa->update = !out;	/* completes the larval SA of ALLOCSPI */
	sa->replay_win = CHILD_REPLAY_WINDOW;
	/* the kernel enforces the lifetime; its soft EXPIRE starts the
	 * rekey (RFC 7296 2.8) */
	sa->soft_secs = c->soft_secs;
	sa->hard_secs = c->hard_secs;
	sa->soft_bytes = c->soft_bytes;
	sa->hard_bytes = c->hard_bytes;
	if (p->lport == IKE_NATT_PORT) {	/* 2.23: NAT-T floated */
		sa->encap_sport = out ? p->lport : p->pport;
		sa->encap_dport = out ? p->pport : p->lport;
	}
}

int
tunnel_ike_spi_alloc(void *arg, const struct ike_path *p,
    const struct ike_child *c, uint32_t *spi)
{
	struct runtime	*rt = arg;
	struct kerr	 e = { 0 };

	if (rt->k == NULL)
		return -1;
	if (kernel_spi_alloc(rt->k, p->family, p->peer, p->local, c->proto,
	    KERNEL_REQID(c->if_id), c->if_id, spi, &e) == -1) {
		log_warn("tunnel ipsec:%s: %s", c->tunnel, e.msg);
		return -1;
	}
	return 0;
}

void
tunnel_ike_spi_free(void *arg, const struct ike_path *p, uint8_t proto,
    uint32_t spi)
{
	struct runtime	*rt = arg;
	struct kerr	 e = { 0 };

	if (rt->k != NULL && kernel_sa_del(rt->k, p->family, p->local, spi,
	    proto, &e) == -1 && e.code != -ESRCH && e.code != -ENOENT)
		log_warn("SPI 0x%08x: %s", spi, e.msg);
}

static void
sa_key_set(struct sa_key *k, const struct ksa *sa)
{
	k->family = sa->family;
	memcpy(k->daddr, sa->daddr, 16);
	k->spi = sa->spi;
	k->proto = sa->proto;
}

/* The tunnel's current pair becomes next's (a rekey's survivor). */
static void
child_current(struct tunnel_rt *t, const struct ike_path *p,
    const struct ike_child *next)
{
	struct ksa	 sa;
	int		 dir;

	for (dir = 0; dir < 2; dir++) {
		memset(&sa, 0, sizeof(sa));
		sa.family = p->family;
		sa.proto = next->proto;
		sa.spi = dir ? next->spi_out : next->spi_in;
		memcpy(sa.daddr, dir ? p->peer : p->local, 16);
		sa_key_set(&t->sas[dir], &sa);
		t->sa_ok[dir] = 1;
	}
}

static int
child_is_current(const struct tunnel_rt *t, const struct ike_child *c)
{
	return t != NULL && t->sa_ok[0] && t->sas[0].spi == c->spi_in &&
	    t->sas[0].proto == c->proto;
}

int
tunnel_ike_child_out_up(void *arg, const struct ike_path *p,
    const struct ike_child *c)
{
	struct runtime	*rt = arg;
	struct tunnel_rt *t = runtime_tunnel(rt, c->tunnel);
	struct ksa	 sa;
	struct kerr	 e = { 0 };
	int		 rc;

	if (rt->k == NULL || t == NULL)
		return -1;
	child_ksa(p, c, 1, &sa);
	if ((rc = kernel_sa_add(rt->k, &sa, &e)) == -1)
		log_warn("tunnel ipsec:%s: %s", c->tunnel, e.msg);
	ksa_clear(&sa);
	if (rc == 0)
		child_current(t, p, c);
	return rc;
}

int
tunnel_ike_child_up(void *arg, const struct ike_path *p,
    const struct ike_child *c, char *why, size_t whylen)
{
	struct runtime	*rt = arg;
	struct tunnel_conf tc;
	struct tunnel_rt *t = runtime_tunnel(rt, c->tunnel);
	struct ksa	 sa[2];
	struct kerr	 e = { 0 };
	int		 dir, rc = 0;

	if (rt->k == NULL || t == NULL || t->ifindex == 0 ||
	    !tunnel_conf_load(rt, c->tunnel, &tc)) {
		snprintf(why, whylen, "tunnel ipsec:%s has no interface",
		    c->tunnel);
		return -1;
	}
	/* a rekey we answered: inbound only, for now (child_out_up) */
	for (dir = 0; dir < (c->out_pending ? 1 : 2) && rc == 0; dir++) {
		child_ksa(p, c, dir, &sa[dir]);
		if (kernel_sa_add(rt->k, &sa[dir], &e) == -1)
			rc = -1;
		ksa_clear(&sa[dir]);
	}
	if (rc == 0)
		rc = tunnel_sp_install(rt, t, &tc, p->family, p->local,
		    p->peer, c->proto);
	if (rc == -1) {
		snprintf(why, whylen, "%s", e.msg[0] ? e.msg : t->down_reason);
		return -1;
	}
	if (!c->out_pending)	/* the new pair is the current one */
		child_current(t, p, c);
	t->neg_error[0] = '\0';
	if (!c->rekey_of)	/* a rekey has its own event */
		tunnel_event(t, "negotiated: SPIs in 0x%08x out 0x%08x",
		    c->spi_in, c->spi_out);
	tunnel_sync(rt, c->tunnel);
	route_sync(rt);
	return 0;
}

void
tunnel_ike_child_retire(void *arg, const struct ike_path *p,
    const struct ike_child *c, const struct ike_child *next)
{
	struct runtime	*rt = arg;
	struct tunnel_rt *t = runtime_tunnel(rt, c->tunnel);
	struct kerr	 e = { 0 };

	if (rt->k == NULL)
		return;
	if (kernel_sa_del(rt->k, p->family, p->peer, c->spi_out, c->proto,
	    &e) == -1 && e.code != -ESRCH && e.code != -ENOENT)
		log_warn("tunnel ipsec:%s: SA 0x%08x: %s", c->tunnel,
		    c->spi_out, e.msg);
	if (child_is_current(t, c) && next != NULL && next != c)
		child_current(t, p, next);
}

void
tunnel_ike_child_down(void *arg, const struct ike_path *p,
    const struct ike_child *c, const struct ike_child *next,
    const char *why)
{
	struct runtime	*rt = arg;
	struct tunnel_rt *t = runtime_tunnel(rt, c->tunnel);
	struct kerr	 e = { 0 };
	int		 current;

	if (rt->k == NULL)
		return;
	current = child_is_current(t, c);
	if (current && next != NULL && next != c) {	/* a rekey's survivor */
		child_current(t, p, next);
		current = 0;
	}
	if (!current) {	/* an older pair: only its SAs go */
		kernel_sa_del(rt->k, p->family, p->local, c->spi_in, c->proto,
		    &e);
		kernel_sa_del(rt->k, p->family, p->peer, c->spi_out, c->proto,
		    &e);
		return;
	}
	str_copy(t->neg_error, why, sizeof(t->neg_error));
	tunnel_sa_remove(rt, t);
	tunnel_event(t, "CHILD_SA down: %s", why);
	tunnel_sync(rt, c->tunnel);
	route_sync(rt);
}

void
tunnel_ike_failed(void *arg, const char *tunnel, const char *why)
{
	struct runtime	*rt = arg;
	struct tunnel_rt *t = runtime_tunnel(rt, tunnel);

	if (t == NULL)
		return;
	if (strcmp(t->neg_error, why) != 0)
		tunnel_event(t, "negotiation failed: %s", why);
	str_copy(t->neg_error, why, sizeof(t->neg_error));
	if (!t->up)
		tunnel_not_negotiated(t);
}

int
tunnel_ike_child_stats(void *arg, const struct ike_path *p,
    const struct ike_child *c, uint64_t *in, uint64_t *out)
{
	struct runtime	*rt = arg;
	struct ksa	 sa;
	struct kerr	 e = { 0 };
	int		 dir;

	if (rt->k == NULL)
		return -1;
	for (dir = 0; dir < 2; dir++) {
		if (kernel_sa_get(rt->k, p->family, dir ? p->peer : p->local,
		    dir ? c->spi_out : c->spi_in, c->proto, &sa, &e) != 1) {
			if (dir == 0)
				return -1;
			sa.bytes = 0;	/* retired: nothing goes out on it */
		}
		*(dir ? out : in) = sa.bytes;
		ksa_clear(&sa);
	}
	return 0;
}

/* The engine's events: the tunnel's own record, and the trap hooks. */
static const struct {
	int		 trap;
	const char	*what;		/* for the tunnel's events; NULL: none */
} ike_ev_map[] = {
	[IKE_EV_IKE_UP] = { TRAP_IKE_UP, NULL },
	[IKE_EV_IKE_DOWN] = { TRAP_IKE_DOWN, "IKE SA down" },
	[IKE_EV_PEER_DEAD] = { TRAP_PEER_DEAD, "" },	/* "peer dead: ..." */
	[IKE_EV_AUTH_FAILURE] = { TRAP_AUTH_FAILURE, NULL },
	[IKE_EV_NEG_FAILURE] = { TRAP_NEGOTIATION_FAILURE, NULL },
	[IKE_EV_FAILOVER] = { TRAP_FAILOVER, "" },
	[IKE_EV_REKEY] = { TRAP_REKEY, "" },
};

void
tunnel_ike_event(void *arg, const struct ike_event *ev)
{
	struct runtime	*rt = arg;
	struct tunnel_rt *t = runtime_tunnel(rt, ev->tunnel);
	const char	*what;

	if ((size_t)ev->type >= nitems(ike_ev_map))
		return;
	what = ike_ev_map[ev->type].what;
	if (t != NULL && what != NULL) {
		if (*what != '\0')
			tunnel_event(t, "%s: %s", what, ev->reason);
		else
			tunnel_event(t, "%s", ev->reason);
	}
	tunnel_trap(rt, ike_ev_map[ev->type].trap, ev->tunnel, ev,
	    ev->reason);
}
