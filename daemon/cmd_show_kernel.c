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

/* Which destination the tunnel's SAs run to ("none" until negotiated;
 * failover to the backup is not in this release). */
const char *
cmd_tunnel_active(struct cmd_ctx *c, const char *name)
{
	struct ike_tunnel_info i;

	if (c->s->d->ike != NULL && ike_tunnel_info(c->s->d->ike, name, &i) &&
	    i.transform[0] != '\0')
		return "primary";
	return "none";
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

/* A signaled tunnel's negotiation: state, transform, SPIs, IKE SA, and
 * the last error (with the peer's notify). */
static void
detail_ike(struct cmd_ctx *c, const char *name)
{
	struct ike_tunnel_info i;

	if (c->s->d->ike == NULL || !ike_tunnel_info(c->s->d->ike, name, &i))
		return;
	cmd_out(c, "  Negotiation: %s", i.state);
	if (i.transform[0] != '\0') {
		cmd_out(c, "  Negotiated transform: %s", i.transform);
		cmd_out(c, "  Negotiated SPIs: inbound 0x%08x, outbound 0x%08x",
		    i.spi_in, i.spi_out);
		cmd_out(c, "  IKE SA: %s", i.ike_sa);
	}
	if (i.error[0] != '\0')
		cmd_out(c, "  Last negotiation error: %s", i.error);
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
