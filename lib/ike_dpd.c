/* ike_dpd: dead peer detection (RFC 7296 2.4 liveness checks, in the
 * modes of CLI.md "ipsec dpd": JUNOSe's optimized, probe-idle and
 * always-send), failover of tunnels to their other destination, and the
 * engine's events for its owner (trap hooks). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

#include "ike_int.h"
#include "log.h"
#include "util.h"

#define SA_TUNNELS_MAX	IKE_MAX_CHILDREN

/* The tunnels an IKE SA carries or is being set up for, each once. */
static size_t
sa_tunnels(const struct ike_sa *sa, char (*names)[NAME_MAX_LEN + 1])
{
	size_t	 i, j, n = 0;
	const char *cand;

	for (i = 0; i < sa->nchildren + sa->nqueue + 1; i++) {
		cand = i < sa->nchildren ? sa->children[i]->tunnel :
		    i < sa->nchildren + sa->nqueue ?
		    sa->queue[i - sa->nchildren] : sa->req.child.tunnel;
		if (*cand == '\0' || n == SA_TUNNELS_MAX)
			continue;
		for (j = 0; j < n && strcmp(names[j], cand) != 0; j++)
			;
		if (j == n)
			str_copy(names[n++], cand, sizeof(*names));
	}
	return n;
}

/* ---- events ---- */

const char *
ike_active_dest(struct ike *ike, const char *tunnel, const struct ike_sa *sa)
{
	struct ike_tunnel t;
	struct ike_tun	*tun = ike_tun_get(ike, tunnel, 0);
	size_t		 alen;

	if (sa != NULL && ike_conf_tunnel(ike->st, tunnel, &t) == 1) {
		alen = sa->path.family == AF_INET6 ? 16 : 4;
		if (t.bak_is_addr && t.bak_family == sa->path.family &&
		    memcmp(t.bak_addr, sa->path.peer, alen) == 0)
			return "backup";
		if (t.dst_is_addr)	/* else: a name, or the peer found us */
			return "primary";
	}
	return tun != NULL && tun->backup_active ? "backup" : "primary";
}

void
ike_event(struct ike *ike, enum ike_event_type type, struct ike_sa *sa,
    const char *tunnel, const char *reason)
{
	struct ike_event ev;

	if (ike->ops.event == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.tunnel = tunnel != NULL ? tunnel : "";
	ev.reason = reason;
	ev.active = *ev.tunnel != '\0' ? ike_active_dest(ike, ev.tunnel, sa) :
	    "";
	if (sa != NULL) {
		ev.path = &sa->path;
		if (sa->local_id.type != 0)
			ike_idv_text(&sa->local_id, ev.local_id,
			    sizeof(ev.local_id));
		if (sa->peer_id.type != 0)
			ike_idv_text(&sa->peer_id, ev.peer_id,
			    sizeof(ev.peer_id));
	}
	ike->ops.event(ike->ops.kernel_arg, &ev);
}

/* ---- failover ---- */

void
ike_failover(struct ike *ike, const char *tunnel, const struct ike_sa *sa,
    const char *why)
{
	struct ike_tunnel t;
	struct ike_tun	*tun;
	char		 reason[256];

	if (ike_conf_tunnel(ike->st, tunnel, &t) != 1 || t.backup[0] == '\0' ||
	    (tun = ike_tun_get(ike, tunnel, 1)) == NULL)
		return;
	/* away from the destination sa ran to (the peer may have come from
	 * either, or another SA of the tunnel failed first) */
	tun->backup_active = strcmp(ike_active_dest(ike, tunnel, sa),
	    "primary") == 0;
	tun->failovers++;
	/* at once to the other one, unless both failed since the tunnel was
	 * last up: then the back-off of the failure stands */
	if (tun->failures <= 1)
		tun->retry_at = ike_now(ike);
	tun->resolved_at = 0;
	snprintf(reason, sizeof(reason), "failed over to the %s destination "
	    "%s: %s", tun->backup_active ? "backup" : "primary",
	    tun->backup_active ? t.backup : t.destination, why);
	log_warn("tunnel ipsec:%s: %s", tunnel, reason);
	ike_event(ike, IKE_EV_FAILOVER, NULL, tunnel, reason);
}

void
ike_sa_lost(struct ike_sa *sa, const char *why, int peer_dead)
{
	char	 names[SA_TUNNELS_MAX][NAME_MAX_LEN + 1];
	size_t	 i, n;
	struct ike *ike = sa->ike;
	struct ike_sa copy;

	ike_rekey_hand_over(sa);	/* those live on a rekey's successor */
	n = sa_tunnels(sa, names);
	if (peer_dead) {
		for (i = 0; i < n; i++)
			ike_event(ike, IKE_EV_PEER_DEAD, sa, names[i], why);
		if (n == 0)
			ike_event(ike, IKE_EV_PEER_DEAD, sa, "", why);
	}
	copy.path = sa->path;	/* for ike_active_dest after the end */
	ike_sa_dead(sa, why);
	for (i = 0; i < n; i++)
		ike_failover(ike, names[i], &copy, why);
}

/* ---- DPD ---- */

/* The strongest mode, shortest interval and lowest threshold of the
 * tunnels the SA carries: the most careful of them is served. */
void
ike_dpd_settings(struct ike_sa *sa)
{
	char		 names[SA_TUNNELS_MAX][NAME_MAX_LEN + 1];
	struct ike_tunnel t;
	size_t		 i, n = sa_tunnels(sa, names);

	sa->dpd_mode = IKE_DPD_OFF;
	for (i = 0; i < n; i++) {
		if (ike_conf_tunnel(sa->ike->st, names[i], &t) != 1 ||
		    t.dpd_mode == IKE_DPD_OFF)
			continue;
		if (sa->dpd_mode == IKE_DPD_OFF ||
		    (int64_t)t.dpd_interval * 1000 < sa->dpd_interval_ms)
			sa->dpd_interval_ms = (int64_t)t.dpd_interval * 1000;
		if (sa->dpd_mode == IKE_DPD_OFF ||
		    t.dpd_threshold < sa->dpd_threshold)
			sa->dpd_threshold = t.dpd_threshold;
		if (t.dpd_mode > sa->dpd_mode)
			sa->dpd_mode = t.dpd_mode;
	}
}

/* The tunnels on sa changed (or their settings): DPD follows, and a
 * shorter interval takes effect at once; a longer one at the next
 * probe (so frequent commits do not postpone probes). */
void
ike_dpd_reconsider(struct ike_sa *sa)
{
	int64_t	 now = ike_now(sa->ike);

	ike_dpd_settings(sa);
	if (sa->dpd_mode != IKE_DPD_OFF &&
	    sa->dpd_next_ms > now + sa->dpd_interval_ms)
		sa->dpd_next_ms = now + sa->dpd_interval_ms;
}

void
ike_dpd_refresh(struct ike *ike)
{
	struct ike_sa	*sa;

	for (sa = ike->sas; sa != NULL; sa = sa->next)
		if (sa->state != IKE_SA_DEAD)
			ike_dpd_reconsider(sa);
}

int64_t
ike_dpd_limit_ms(struct ike_sa *sa)
{
	return sa->dpd_mode == IKE_DPD_OFF ? 0 :
	    sa->dpd_interval_ms * sa->dpd_threshold;
}

int64_t
ike_dpd_retransmit_ms(struct ike_sa *sa)
{
	return sa->dpd_interval_ms;
}

/* Activity from the kernel's counters of each CHILD_SA (and, set by the
 * receiver, any message from the peer). */
static void
dpd_sample(struct ike_sa *sa, int64_t now)
{
	struct ike_child *c;
	struct ike_tun	*tun;
	uint64_t	 in, out;
	size_t		 i;

	for (i = 0; i < sa->nchildren; i++) {
		c = sa->children[i];
		if (sa->ike->ops.child_stats == NULL ||
		    sa->ike->ops.child_stats(sa->ike->ops.kernel_arg,
		    &sa->path, c, &in, &out) == -1)
			continue;
		if (in > c->dpd_in)
			sa->last_rx_ms = now;
		if (out > c->dpd_out)
			sa->last_tx_ms = now;
		c->dpd_in = in;
		c->dpd_out = out;
	}
	for (i = 0; i < sa->nchildren; i++)
		if ((tun = ike_tun_get(sa->ike, sa->children[i]->tunnel,
		    0)) != NULL)
			tun->last_activity_ms = sa->last_rx_ms;
}

/* Probe now? (CLI.md: optimized probes when traffic was sent in the
 * last interval and none received, probe-idle also when idle,
 * always-send every interval.) */
static int
dpd_wanted(const struct ike_sa *sa, int64_t now)
{
	int64_t	 since = now - sa->dpd_interval_ms;
	int	 rx = sa->last_rx_ms > since, tx = sa->last_tx_ms > since;

	switch (sa->dpd_mode) {
	case IKE_DPD_OPTIMIZED:
		return tx && !rx;
	case IKE_DPD_PROBE_IDLE:
		return !rx;
	case IKE_DPD_ALWAYS_SEND:
		return 1;
	default:
		return 0;
	}
}

void
ike_dpd_tick(struct ike_sa *sa, int64_t now)
{
	struct ike_enc	 e;
	uint8_t		 buf[64];

	if (sa->state != IKE_SA_ESTABLISHED || sa->rekeyed)
		return;
	if (sa->dpd_next_ms == 0) {	/* first look: since established */
		ike_dpd_settings(sa);
		sa->last_rx_ms = now;
		sa->dpd_next_ms = now + sa->dpd_interval_ms;
	}
	if (sa->dpd_mode == IKE_DPD_OFF || now < sa->dpd_next_ms)
		return;
	sa->dpd_next_ms = now + sa->dpd_interval_ms;
	dpd_sample(sa, now);
	if (sa->req.kind != IKE_REQ_NONE || !dpd_wanted(sa, now))
		return;		/* an outstanding request tells as much */
	ike_enc_chain(&e, buf, sizeof(buf));	/* 2.4: empty INFORMATIONAL */
	if (sa->ike->dpd_debug)
		log_info("DPD: probing %s (%s)", sa->path.tvr,
		    ike_dpd_mode_name(sa->dpd_mode));
	ike_sa_request(sa, IKE_INFORMATIONAL, IKE_REQ_LIVENESS, &e);
}
