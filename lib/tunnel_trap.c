/* tunnel_trap: the variables of a trap hook run (CLI.md "Trap hooks")
 * for a tunnel's event: its interface and VRs from the runtime and the
 * configuration, its IKE SA's addresses and identities from the event or
 * from the engine, or for a manual tunnel its configured endpoints. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>

#include "ike.h"
#include "runtime.h"
#include "trap.h"
#include "util.h"

static int64_t
trap_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The IKE SA's side: from the event, else what the engine has. */
static void
trap_ike(struct runtime *rt, struct trap_vars *v, const char *tunnel,
    const struct ike_event *iev)
{
	struct ike_tunnel_info i;

	if (iev != NULL && iev->path != NULL) {
		inet_ntop(iev->path->family, iev->path->local, v->local_addr,
		    sizeof(v->local_addr));
		inet_ntop(iev->path->family, iev->path->peer, v->peer_addr,
		    sizeof(v->peer_addr));
		v->peer_port = iev->path->pport;
		str_copy(v->local_id, iev->local_id, sizeof(v->local_id));
		str_copy(v->peer_id, iev->peer_id, sizeof(v->peer_id));
		if (v->tvr[0] == '\0')
			str_copy(v->tvr, iev->path->tvr, sizeof(v->tvr));
	} else if (rt->ike != NULL && *tunnel != '\0' &&
	    ike_tunnel_info(rt->ike, tunnel, &i) == 1 &&
	    i.peer_addr[0] != '\0') {
		str_copy(v->local_addr, i.local_addr, sizeof(v->local_addr));
		str_copy(v->peer_addr, i.peer_addr, sizeof(v->peer_addr));
		v->peer_port = i.peer_port;
		str_copy(v->local_id, i.local_id, sizeof(v->local_id));
		str_copy(v->peer_id, i.peer_id, sizeof(v->peer_id));
		str_copy(v->active, i.active, sizeof(v->active));
	}
	if (iev != NULL && iev->active != NULL)
		str_copy(v->active, iev->active, sizeof(v->active));
}

void
tunnel_trap(struct runtime *rt, int event, const char *tunnel,
    const struct ike_event *iev, const char *reason)
{
	struct trap_vars v;
	struct tunnel_conf tc;
	struct tunnel_rt *t;

	if (rt->traps == NULL)
		return;
	memset(&v, 0, sizeof(v));
	v.event = (enum trap_event)event;
	str_copy(v.tunnel, tunnel, sizeof(v.tunnel));
	str_copy(v.reason, reason != NULL ? reason : "", sizeof(v.reason));
	if (*tunnel != '\0' && tunnel_conf_load(rt, tunnel, &tc)) {
		str_copy(v.ovr, tc.vr, sizeof(v.ovr));
		str_copy(v.tvr, tc.tvr, sizeof(v.tvr));
		v.if_id = tc.if_id;
		if (tc.manual) {	/* no IKE SA: the configured ends */
			str_copy(v.local_addr, tc.source, sizeof(v.local_addr));
			str_copy(v.peer_addr, tc.dest, sizeof(v.peer_addr));
			str_copy(v.active, "primary", sizeof(v.active));
		}
	}
	if ((t = runtime_tunnel(rt, tunnel)) != NULL) {
		str_copy(v.ifname, t->ifname, sizeof(v.ifname));
		v.ifindex = t->ifindex;
	}
	trap_ike(rt, &v, tunnel, iev);
	trap_raise(rt->traps, rt->st, &v, trap_now_ms());
}
