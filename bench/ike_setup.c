/* Benchmark of the IKE engine's own cost: two engines in one process
 * (tests/ike_pair.h, no kernel, no sockets) bring a tunnel up again and
 * again, each time a whole new IKE SA (IKE_SA_INIT with Diffie-Hellman,
 * IKE_AUTH with the first CHILD_SA, then Delete), and then add CHILD_SAs
 * to one IKE SA with CREATE_CHILD_SA. CPU time is both engines' together.
 *
 * usage: bench/ike_setup [N] [GROUP]   (default 200, 14)
 * Prints figures; asserts nothing beyond that the tunnels came up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clirun.h"
#include "ike_pair.h"
#include "log.h"

static double
cpu_seconds(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* N full IKE SAs, one after the other: clear, renegotiate. */
static double
bench_ike_sas(int n, const char *const *rule)
{
	double	 t0;
	int	 i, up = 0;

	setup_nodes(rule, rule);
	start_t1();
	pump(1000);
	t0 = cpu_seconds();
	for (i = 0; i < n; i++) {
		nodes[0].nkids = nodes[1].nkids = 0;	/* the fake kernel's */
		ike_tunnel_clear(nodes[0].ike, "t1");
		pump(1000);
		up += nodes[0].nkids == 1 && nodes[1].nkids == 1;
	}
	t0 = cpu_seconds() - t0;
	if (up != n) {
		fprintf(stderr, "ike_setup: %d of %d tunnels came up\n", up, n);
		exit(1);
	}
	teardown_nodes();
	return t0;
}

/* n more tunnels between the same routers: CHILD_SAs on one IKE SA. */
static double
bench_children(int n)
{
	char		 l1[8][64], l2[8][64];
	const char	*a[9], *b[9];
	double		 t0;
	int		 i;

	n = n > KIDS - 1 ? KIDS - 1 : n;
	setup_nodes(NULL, NULL);
	start_t1();
	pump(1000);
	t0 = cpu_seconds();
	for (i = 0; i < n; i++) {
		snprintf(l1[0], 64, "configure terminal");
		snprintf(l1[1], 64, "interface tunnel ipsec:c%d", i);
		snprintf(l1[2], 64, "tunnel transport-virtual-router tr");
		snprintf(l1[3], 64, "tunnel source 192.0.2.1");
		snprintf(l1[4], 64, "tunnel destination 192.0.2.2");
		snprintf(l1[5], 64, "end");
		memcpy(l2, l1, sizeof(l2));
		snprintf(l2[3], 64, "tunnel source 192.0.2.2");
		snprintf(l2[4], 64, "tunnel destination 192.0.2.1");
		for (int j = 0; j < 6; j++) {
			a[j] = l1[j];
			b[j] = l2[j];
		}
		a[6] = b[6] = NULL;
		cli_lines(&nodes[1], b);
		cli_lines(&nodes[0], a);
		snprintf(l1[0], 64, "c%d", i);
		ike_tunnel_sync(nodes[0].ike, l1[0]);
		pump(500);
	}
	t0 = cpu_seconds() - t0;
	if (nodes[0].nkids != n + 1)
		fprintf(stderr, "ike_setup: %d of %d CHILD_SAs\n",
		    nodes[0].nkids - 1, n);
	teardown_nodes();
	return t0 / n;
}

int
main(int argc, char **argv)
{
	int		 n = argc > 1 ? atoi(argv[1]) : 200;
	const char	*group = argc > 2 ? argv[2] : "14";
	char		 grp[32];
	const char	*rule[] = { "configure terminal",
	    "ipsec ike-policy-rule 10", "encryption aes256", "hash sha256",
	    grp, "end", NULL };
	double		 t;

	if (n < 1)
		n = 1;
	log_init("ike_setup", 1, 0);
	log_startup_errors(0);
	snprintf(grp, sizeof(grp), "group %s", group);
	t = bench_ike_sas(n, rule);
	printf("IKE SA + first CHILD_SA (AES-256/SHA2-256, group %s): %d in "
	    "%.2f s CPU, %.2f ms CPU each (both ends), %.0f per second\n",
	    group, n, t, 1000 * t / n, n / t);
	t = bench_children(n);
	printf("CREATE_CHILD_SA on an established IKE SA (no PFS): %.3f ms "
	    "CPU each (both ends, CLI commands included)\n", 1000 * t);
	return 0;
}
