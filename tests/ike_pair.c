/* ike_pair: two IKE engines wired together in one process; see
 * ike_pair.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "clirun.h"
#include "ike_int.h"
#include "ike_pair.h"

struct node nodes[2];
struct pkt *queue;
int nq, sent;
int64_t clock_ms;
int drop_first, dup_all, drop_to_1;	/* fault injection */
int nat;		/* node 0 behind a NAT: 198.51.100.1:40500/44500 */
void (*pump_check)(void);
int routed, drop_at;

static int64_t
fake_now(void *arg)
{
	(void)arg;
	return clock_ms;
}

static int
fake_send(void *arg, const struct ike_path *p, const uint8_t *buf, size_t len)
{
	struct node	*n = arg;
	struct pkt	*q;
	int		 copies = dup_all ? 2 : 1;

	sent++;
	if (len >= 28 && buf[18] == IKE_INFORMATIONAL && !(buf[19] & 0x20))
		n->info_requests++;
	if (routed) {
		uint8_t	 want[4];

		inet_pton(AF_INET, n->idx == 0 ? "192.0.2.2" : "192.0.2.1",
		    want);
		if (p->family != AF_INET || memcmp(p->peer, want, 4) != 0)
			return 0;	/* nobody there */
	}
	if (getenv("IKE_TEST_DEBUG") != NULL && len >= 28)
		fprintf(stderr, "send from %d: exchange %u flags %02x msgid %u "
		    "len %zu\n", n->idx, buf[18], buf[19], buf[23], len);
	if (drop_at != 0 && sent == drop_at)
		return 0;
	if (drop_first > 0) {
		drop_first--;
		return 0;
	}
	if (drop_to_1 && n->idx == 0)
		return 0;
	while (copies-- > 0 && nq < QMAX) {
		q = &queue[nq++];
		q->to = 1 - n->idx;
		q->len = len;
		memcpy(q->buf, buf, len);
		q->p = *p;	/* swap ends: the receiver's view */
		memcpy(q->p.local, p->peer, 16);
		memcpy(q->p.peer, p->local, 16);
		q->p.lport = p->pport;
		q->p.pport = p->lport;
		if (nat && n->idx == 0) {	/* SNAT on the way out */
			inet_pton(AF_INET, "198.51.100.1", q->p.peer);
			q->p.pport = p->lport == IKE_PORT ? 40500 : 44500;
		} else if (nat) {		/* and back in */
			inet_pton(AF_INET, "192.0.2.1", q->p.local);
			q->p.lport = p->pport == 44500 ? IKE_NATT_PORT :
			    IKE_PORT;
		}
	}
	return 0;
}

static int
fake_spi(void *arg, const struct ike_path *p, const struct ike_child *c,
    uint32_t *spi)
{
	struct node	*n = arg;

	(void)p;
	(void)c;
	*spi = 0xc0000000u + (uint32_t)n->idx * 0x1000 + n->next_spi++;
	return 0;
}

static void
fake_spi_free(void *arg, const struct ike_path *p, uint8_t proto, uint32_t spi)
{
	struct node	*n = arg;

	(void)p;
	(void)proto;
	if (spi < 0xc0000000u)
		abort();
	n->nfreed++;
}

static int
fake_up(void *arg, const struct ike_path *p, const struct ike_child *c,
    char *why, size_t whylen)
{
	struct node	*n = arg;

	(void)p;
	(void)why;
	(void)whylen;
	if (n->nkids >= KIDS)
		abort();
	/* the engine lists the child before the kernel hears of it, so what
	 * child_up sets off (tunnel-up's hooks) finds its IKE SA */
	if (ike_child_by_tunnel(n->ike, c->tunnel, NULL) != c &&
	    !c->out_pending)
		abort();
	n->kids[n->nkids] = *c;
	n->kids[n->nkids++].installed = 1;
	return 0;
}

static void
fake_down(void *arg, const struct ike_path *p, const struct ike_child *c,
    const struct ike_child *next, const char *why)
{
	struct node	*n = arg;
	int		 i;

	(void)p;
	(void)why;
	n->ndown++;
	if (next == c || (next != NULL && strcmp(next->tunnel, c->tunnel) != 0))
		abort();	/* next is another child of the same tunnel */
	for (i = 0; i < n->nkids; i++)	/* no longer in the fake kernel */
		if (n->kids[i].spi_in == c->spi_in)
			n->kids[i].installed = 0;
}

static int
fake_out_up(void *arg, const struct ike_path *p, const struct ike_child *c)
{
	struct node	*n = arg;
	int		 i;

	(void)p;
	for (i = 0; i < n->nkids; i++)
		if (n->kids[i].spi_in == c->spi_in)
			n->kids[i].out_pending = 0;
	return 0;
}

/* Only the outbound SA goes: the pair stays listed, marked retired. */
static void
fake_retire(void *arg, const struct ike_path *p, const struct ike_child *c,
    const struct ike_child *next)
{
	struct node	*n = arg;
	int		 i;

	(void)p;
	(void)next;
	for (i = 0; i < n->nkids; i++)
		if (n->kids[i].spi_in == c->spi_in)
			n->kids[i].retiring = 1;
}

static void
fake_failed(void *arg, const char *tunnel, const char *why)
{
	struct node	*n = arg;

	snprintf(n->failed, sizeof(n->failed), "%s: %s", tunnel, why);
}

static int
fake_stats(void *arg, const struct ike_path *p, const struct ike_child *c,
    uint64_t *in, uint64_t *out)
{
	struct node	*n = arg;

	(void)p;
	(void)c;
	*in = n->in_bytes;
	*out = n->out_bytes;
	return 0;
}

static void
fake_event(void *arg, const struct ike_event *ev)
{
	struct node	*n = arg;

	if (n->nev == (int)(sizeof(n->ev) / sizeof(n->ev[0])))
		return;
	n->ev[n->nev].type = ev->type;
	snprintf(n->ev[n->nev].tunnel, sizeof(n->ev[0].tunnel), "%s",
	    ev->tunnel);
	snprintf(n->ev[n->nev].active, sizeof(n->ev[0].active), "%s",
	    ev->active);
	snprintf(n->ev[n->nev].reason, sizeof(n->ev[0].reason), "%s",
	    ev->reason);
	n->ev[n->nev].peer[0] = '\0';
	if (ev->path != NULL)
		inet_ntop(ev->path->family, ev->path->peer, n->ev[n->nev].peer,
		    sizeof(n->ev[0].peer));
	n->ev[n->nev++].at = clock_ms;
}

int
event_find(const struct node *n, enum ike_event_type type, int from)
{
	int	 i;

	for (i = from; i < n->nev; i++)
		if (n->ev[i].type == type)
			return i;
	return -1;
}

/* A resolver that knows one name and answers at the next pump step. */
static struct {
	int	 pending, node;
	char	 tunnel[NAME_MAX_LEN + 1], name[IDENTITY_MAX_LEN + 1];
} dns;

static void
fake_resolve(void *arg, const char *tunnel, const char *tvr, const char *name)
{
	struct node	*n = arg;

	if (strcmp(tvr, "tr") != 0)
		abort();
	dns.pending = 1;
	dns.node = n->idx;
	snprintf(dns.tunnel, sizeof(dns.tunnel), "%s", tunnel);
	snprintf(dns.name, sizeof(dns.name), "%s", name);
}

static void
dns_answer(void)
{
	uint8_t	 a[16] = { 0 };

	if (!dns.pending)
		return;
	dns.pending = 0;
	if (strcmp(dns.name, "r2.example.net") == 0 &&
	    inet_pton(AF_INET, "192.0.2.2", a) == 1)
		ike_resolved(nodes[dns.node].ike, dns.tunnel, dns.name,
		    AF_INET, a, "");
	else
		ike_resolved(nodes[dns.node].ike, dns.tunnel, dns.name, 0,
		    NULL, "no such name");
}

void
cli_lines(struct node *n, const char *const *lines)
{
	int	 bad = clirun_all(n->cli, lines);

	if (bad != 0) {
		fprintf(stderr, "line %d: %s\n", bad, clirun_out(n->cli));
		abort();
	}
}

/* R1 192.0.2.1 (r1.example.net), R2 192.0.2.2 (r2.example.net), each
 * with tunnel t1 to the other in VR "tr"; extra: more lines for both. */
void
setup_nodes(const char *const *extra1, const char *const *extra2)
{
	static const char *const r1[] = { "configure terminal",
	    "virtual-router tr", "ipsec local-identity fqdn r1.example.net",
	    "ipsec key pre-share r2.example.net transport-virtual-router tr "
	    "key shared-secret",
	    "interface tunnel ipsec:t1", "tunnel transport-virtual-router tr",
	    "tunnel source 192.0.2.1", "tunnel destination 192.0.2.2",
	    "tunnel peer-identity fqdn r2.example.net", "end", NULL };
	static const char *const r2[] = { "configure terminal",
	    "virtual-router tr", "ipsec local-identity fqdn r2.example.net",
	    "ipsec key pre-share r1.example.net transport-virtual-router tr "
	    "key shared-secret",
	    "interface tunnel ipsec:t1", "tunnel transport-virtual-router tr",
	    "tunnel source 192.0.2.2", "tunnel destination 192.0.2.1",
	    "tunnel establish responder-only", "end", NULL };
	struct ike_ops	 ops;
	int		 i;

	if (queue == NULL && (queue = calloc(QMAX, sizeof(*queue))) == NULL)
		abort();
	memset(nodes, 0, sizeof(nodes));
	memset(&dns, 0, sizeof(dns));
	nq = sent = 0;
	drop_first = dup_all = drop_to_1 = nat = 0;
	pump_check = NULL;
	routed = drop_at = 0;
	clock_ms = 1000000;
	for (i = 0; i < 2; i++) {
		nodes[i].idx = i;
		nodes[i].cli = clirun_new();
		if (nodes[i].cli == NULL)
			abort();
		cli_lines(&nodes[i], i == 0 ? r1 : r2);
		if ((i == 0 ? extra1 : extra2) != NULL)
			cli_lines(&nodes[i], i == 0 ? extra1 : extra2);
		memset(&ops, 0, sizeof(ops));
		ops.arg = ops.kernel_arg = &nodes[i];
		ops.send = fake_send;
		ops.now = fake_now;
		ops.spi_alloc = fake_spi;
		ops.spi_free = fake_spi_free;
		ops.child_up = fake_up;
		ops.child_down = fake_down;
		ops.child_retire = fake_retire;
		ops.child_out_up = fake_out_up;
		ops.child_stats = fake_stats;
		ops.event = fake_event;
		ops.tunnel_failed = fake_failed;
		ops.resolve = fake_resolve;
		nodes[i].ike = ike_new(clirun_store(nodes[i].cli), &ops);
		if (nodes[i].ike == NULL)
			abort();
		nodes[i].ike->debug = getenv("IKE_TEST_DEBUG") != NULL;
	}
}

void
teardown_nodes(void)
{
	int	 i;

	for (i = 0; i < 2; i++) {
		ike_free(nodes[i].ike);
		clirun_free(nodes[i].cli);
	}
}

/* Deliver queued packets and run timers for up to ms of fake time. */
void
pump(int64_t ms)
{
	struct pkt	 p;
	int64_t		 end = clock_ms + ms;

	while (clock_ms < end) {
		while (nq > 0) {
			p = queue[0];
			memmove(queue, queue + 1, (size_t)--nq * sizeof(*queue));
			ike_recv(nodes[p.to].ike, &p.p, p.buf, p.len);
			if (pump_check != NULL)
				pump_check();
		}
		clock_ms += 250;
		dns_answer();
		ike_tick(nodes[0].ike);
		ike_tick(nodes[1].ike);
	}
}

void
start_t1(void)
{
	ike_sync_all(nodes[1].ike);
	ike_sync_all(nodes[0].ike);
}

