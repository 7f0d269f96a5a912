/* The kernel's side of the show commands: a tunnel's operational state,
 * interface and SA counters and events; a VR's device and table in use.
 * Read under the daemon lock from the runtime records and the kernel. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "cmd.h"
#include "log.h"
#include "util.h"

const char *
cmd_tunnel_oper(struct cmd_ctx *c, const char *name, int shutdown)
{
	struct runtime	*rt = c->s->d->rt;
	struct tunnel_rt *t;

	if (rt == NULL)		/* configuration only */
		return shutdown ? "down (shutdown)" : "not negotiated";
	t = runtime_tunnel(rt, name);
	if (t != NULL && t->up)
		return "up";
	return shutdown ? "down (shutdown)" : "down";
}

/* Tunnels operationally up, for "show ipsec tunnel summary". */
int
cmd_tunnels_up(struct cmd_ctx *c, const char *name)
{
	struct tunnel_rt *t;
	int	 n = 0;

	if (c->s->d->rt == NULL)
		return 0;
	for (t = c->s->d->rt->tunnels; t != NULL; t = t->next)
		n += t->up && (*name == '\0' || strcmp(t->name, name) == 0);
	return n;
}

static void
detail_link(struct cmd_ctx *c, struct tunnel_rt *t)
{
	struct klink	 l;
	struct kerr	 e = { 0 };

	if (t->ifindex == 0 || kernel_link_get(c->s->d->rt->k, t->ifname, &l,
	    &e) != 1) {
		cmd_out(c, "  Linux interface: %s (not created), if_id %u",
		    t->ifname, t->if_id);
		return;
	}
	cmd_out(c, "  Linux interface: %s, ifindex %d, if_id %u, %s, mtu %u",
	    t->ifname, l.ifindex, t->if_id, l.flags & IFF_UP ? "up" : "down",
	    l.mtu);
	cmd_out(c, "  Interface input: %llu packets, %llu octets, %llu "
	    "errors, %llu dropped", (unsigned long long)l.rx_packets,
	    (unsigned long long)l.rx_bytes, (unsigned long long)l.rx_errors,
	    (unsigned long long)l.rx_dropped);
	cmd_out(c, "  Interface output: %llu packets, %llu octets, %llu "
	    "errors, %llu dropped", (unsigned long long)l.tx_packets,
	    (unsigned long long)l.tx_bytes, (unsigned long long)l.tx_errors,
	    (unsigned long long)l.tx_dropped);
}

/* What is left of an SA's lifetime, as the kernel enforces it: the hard
 * limit, and the soft one where the rekey starts. */
static void
detail_sa_life(struct cmd_ctx *c, const struct ksa *sa)
{
	long long	 age = (long long)time(NULL) - (long long)sa->add_time;
	char		 secs[80] = "no time limit", kb[80] = "no volume limit";

	if (sa->hard_secs == 0 && sa->hard_bytes == 0)
		return;
	if (sa->hard_secs > 0)
		snprintf(secs, sizeof(secs), "%lld s left (rekey in %lld s)",
		    (long long)sa->hard_secs - age > 0 ? (long long)
		    sa->hard_secs - age : 0, (long long)sa->soft_secs - age > 0 ?
		    (long long)sa->soft_secs - age : 0);
	if (sa->hard_bytes > 0)
		snprintf(kb, sizeof(kb), "%llu KB left (rekey at %llu KB)",
		    (unsigned long long)(sa->hard_bytes > sa->bytes ?
		    (sa->hard_bytes - sa->bytes) / 1024 : 0),
		    (unsigned long long)(sa->soft_bytes / 1024));
	cmd_out(c, "    lifetime: %s, %s", secs, kb);
}

static void
detail_sas(struct cmd_ctx *c, struct tunnel_rt *t)
{
	static const char *const dirs[] = { "Inbound", "Outbound" };
	struct ksa	 sa;
	struct kerr	 e = { 0 };
	struct ike_tunnel_info ii;
	char		 tr[128];
	const char	*keys = "manual keys, no lifetime";
	int		 d;

	for (d = 0; d < 2; d++) {
		if (!t->sa_ok[d]) {
			cmd_out(c, "  %s SA: none", dirs[d]);
			continue;
		}
		if (store_text(c->st, tr, sizeof(tr), "SELECT transform FROM "
		    "tunnel_sa_manual WHERE tunnel = ? AND direction = ?", "ss",
		    t->name, d == 0 ? "inbound" : "outbound") == -1) {
			keys = "negotiated by IKE";
			str_copy(tr, "?", sizeof(tr));
			if (c->s->d->ike != NULL &&
			    ike_tunnel_info(c->s->d->ike, t->name, &ii) == 1 &&
			    ii.transform[0] != '\0')
				str_copy(tr, ii.transform, sizeof(tr));
		}
		if (kernel_sa_get(c->s->d->rt->k, t->sas[d].family,
		    t->sas[d].daddr, t->sas[d].spi, t->sas[d].proto, &sa,
		    &e) != 1) {
			cmd_out(c, "  %s SA: spi 0x%08x %s, not in the kernel%s%s",
			    dirs[d], t->sas[d].spi, tr, e.msg[0] ? ": " : "",
			    e.msg);
			continue;
		}
		ksa_clear(&sa);		/* keys are never shown */
		cmd_out(c, "  %s SA: spi 0x%08x %s (%s)", dirs[d],
		    t->sas[d].spi, tr, keys);
		cmd_out(c, "    %llu packets, %llu octets; errors: auth %u, "
		    "replay %u", (unsigned long long)sa.packets,
		    (unsigned long long)sa.bytes, sa.integrity_failed,
		    sa.replay);
		detail_sa_life(c, &sa);
	}
}

static void
detail_events(struct cmd_ctx *c, struct tunnel_rt *t)
{
	int	 i, first = t->nev > TUNNEL_EVENTS ? t->nev - TUNNEL_EVENTS : 0;
	char	 when[32];
	struct tm tm;

	cmd_out(c, "  Events (latest last):");
	if (t->nev == 0)
		cmd_out(c, "    none");
	for (i = first; i < t->nev; i++) {
		const struct tunnel_event *ev = &t->ev[i % TUNNEL_EVENTS];

		gmtime_r(&ev->when, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		cmd_out(c, "    %s %s", when, ev->text);
	}
}

/* Which destination the tunnel's SAs run to: primary or backup once
 * negotiated, "none" before. */
const char *
cmd_tunnel_active(struct cmd_ctx *c, const char *name)
{
	static __thread char out[40];
	struct ike_tunnel_info i;

	if (c->s->d->ike == NULL || !ike_tunnel_info(c->s->d->ike, name, &i))
		return "none";
	str_copy(out, i.active, sizeof(out));
	return out;
}

/* What IKE negotiated for the tunnel, in one line. */
const char *
cmd_tunnel_negotiated(struct cmd_ctx *c, const char *name)
{
	static __thread char out[160];
	struct ike_tunnel_info i;

	if (c->s->d->ike == NULL || !ike_tunnel_info(c->s->d->ike, name, &i) ||
	    i.transform[0] == '\0')
		return "nothing yet (no IPsec SAs)";
	snprintf(out, sizeof(out), "%s", i.transform);
	return out;
}

/* DPD in force (the tunnel's or the global one) and the last sign of
 * life from the peer. */
static void
detail_dpd(struct cmd_ctx *c, const char *name, const struct ike_tunnel_info *i)
{
	struct ike_tunnel t;
	char		 seen[64] = "";

	if (ike_conf_tunnel(c->st, name, &t) != 1 || t.dpd_mode == IKE_DPD_OFF) {
		cmd_out(c, "  DPD in force: off");
		return;
	}
	if (i->activity_s >= 0)
		snprintf(seen, sizeof(seen), ", peer last seen %ld s ago",
		    i->activity_s);
	cmd_out(c, "  DPD in force: %s, interval %u s, threshold %u (%s)%s",
	    ike_dpd_mode_name(t.dpd_mode), t.dpd_interval, t.dpd_threshold,
	    t.dpd_tunnel ? "tunnel" : "global", seen);
}

/* A signaled tunnel's negotiation: state, transform, SPIs, IKE SA, and
 * the last error (with the peer's notify). */
static void
detail_ike(struct cmd_ctx *c, const char *name)
{
	struct ike_tunnel_info i;
	char		 pfs[8];

	if (c->s->d->ike == NULL || !ike_tunnel_info(c->s->d->ike, name, &i))
		return;
	cmd_out(c, "  Negotiation: %s", i.state);
	if (i.transform[0] != '\0') {
		cmd_out(c, "  Negotiated transform: %s", i.transform);
		cmd_out(c, "  Negotiated SPIs: inbound 0x%08x, outbound 0x%08x",
		    i.spi_in, i.spi_out);
		cmd_out(c, "  IKE SA: %s", i.ike_sa);
		cmd_out(c, "  Negotiated PFS group: %s", i.pfs_group ?
		    (snprintf(pfs, sizeof(pfs), "%u", i.pfs_group), pfs) :
		    "none");
	}
	if (i.error[0] != '\0')
		cmd_out(c, "  Last negotiation error: %s", i.error);
	detail_dpd(c, name, &i);
	cmd_out(c, "  Failovers: %u", i.failovers);
}

/* The runtime part of "show ipsec tunnel detail"; 0 when there is none
 * (configuration-only mode): the caller then says "not created". */
int
cmd_tunnel_detail_kernel(struct cmd_ctx *c, const char *name)
{
	struct runtime	*rt = c->s->d->rt;
	struct tunnel_rt *t;

	if (rt == NULL || (t = runtime_tunnel(rt, name)) == NULL)
		return 0;
	if (!t->up)
		cmd_out(c, "  Down because: %s", t->down_reason[0] ?
		    t->down_reason : "not yet applied");
	if (t->error[0] != '\0')
		cmd_out(c, "  Kernel refused: %s", t->error);
	detail_link(c, t);
	return 1;
}

void
cmd_tunnel_detail_kernel_tail(struct cmd_ctx *c, const char *name)
{
	struct runtime	*rt = c->s->d->rt;
	struct tunnel_rt *t;

	if (rt == NULL || (t = runtime_tunnel(rt, name)) == NULL)
		return;
	detail_ike(c, name);
	detail_sas(c, t);
	detail_events(c, t);
}

/* "show virtual-router": the device and table in use, or the refusal. */
void
cmd_vr_kernel(struct cmd_ctx *c, const char *name, char *dev, size_t devsize,
    char *table, size_t tsize, const char **error)
{
	struct vr_rt	*v;

	*error = NULL;
	if (c->s->d->rt == NULL || (v = runtime_vr(c->s->d->rt, name)) == NULL)
		return;
	if (v->table == 0) {
		snprintf(dev, devsize, "%s (none)", v->ifname);
		*error = v->error[0] ? v->error : NULL;
		return;
	}
	if (v->ifindex != 0)
		snprintf(dev, devsize, "%s%s", v->ifname, v->owned ? "" :
		    " (adopted)");
	snprintf(table, tsize, "%u", v->table);
}
