/* Dead peer detection and failover between two IKE engines in one
 * process (tests/ike_pair.h): the three DPD modes (CLI.md "ipsec dpd"),
 * a dead peer found within interval x threshold, the events that trap
 * hooks get, failover to the backup destination when the active one
 * dies or cannot be reached, and back. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clirun.h"
#include "ike.h"
#include "ike_int.h"
#include "ike_pair.h"
#include "log.h"

static const char *const dpd_idle[] = { "configure terminal",
    "ipsec dpd mode probe-idle interval 10 threshold 3", "end", NULL };

static void
up(const char *const *r1, const char *const *r2)
{
	setup_nodes(r1, r2);
	start_t1();
	pump(2000);
	ck_assert_ptr_nonnull(ike_child_by_tunnel(nodes[0].ike, "t1", NULL));
	ck_assert_ptr_nonnull(ike_child_by_tunnel(nodes[1].ike, "t1", NULL));
}

/* probe-idle: an idle tunnel is probed every interval; the peer answers
 * and nothing happens. */
START_TEST(test_probe_idle)
{
	up(dpd_idle, NULL);
	nodes[0].info_requests = nodes[1].info_requests = 0;
	pump(35000);
	ck_assert_int_ge(nodes[0].info_requests, 3);
	ck_assert_int_le(nodes[0].info_requests, 4);
	ck_assert_int_eq(nodes[1].info_requests, 0);	/* R2 has no DPD */
	ck_assert_ptr_nonnull(ike_child_by_tunnel(nodes[0].ike, "t1", NULL));
	ck_assert_int_eq(event_find(&nodes[0], IKE_EV_PEER_DEAD, 0), -1);
	teardown_nodes();
}
END_TEST

/* optimized (the ERX rule): no probes while idle, nor while traffic comes
 * back; probes once we send and nothing is received. */
START_TEST(test_optimized)
{
	static const char *const opt[] = { "configure terminal",
	    "interface tunnel ipsec:t1",
	    "tunnel dpd mode optimized interval 5 threshold 2", "end", NULL };
	int	 i;

	up(opt, NULL);
	nodes[0].info_requests = 0;
	pump(20000);
	ck_assert_int_eq(nodes[0].info_requests, 0);	/* idle */
	for (i = 0; i < 8; i++) {	/* traffic both ways */
		nodes[0].in_bytes += 1000;
		nodes[0].out_bytes += 1000;
		pump(2500);
	}
	ck_assert_int_eq(nodes[0].info_requests, 0);
	for (i = 0; i < 6; i++) {	/* sent, nothing received */
		nodes[0].out_bytes += 1000;
		pump(2500);
	}
	ck_assert_int_ge(nodes[0].info_requests, 1);
	ck_assert_ptr_nonnull(ike_child_by_tunnel(nodes[0].ike, "t1", NULL));
	teardown_nodes();
}
END_TEST

/* always-send: every interval, traffic or not. */
START_TEST(test_always_send)
{
	static const char *const always[] = { "configure terminal",
	    "ipsec dpd mode always-send interval 4 threshold 2", "end", NULL };
	int	 i;

	up(NULL, always);
	nodes[1].info_requests = 0;
	for (i = 0; i < 8; i++) {
		nodes[1].in_bytes += 500;
		nodes[1].out_bytes += 500;
		pump(2500);
	}
	ck_assert_int_ge(nodes[1].info_requests, 4);
	teardown_nodes();
}
END_TEST

/* The peer stops answering (a cut link, a SIGKILL): dead within
 * interval x threshold after the first probe, which comes within an
 * interval of the silence; the CHILD_SA goes and the events say so. */
START_TEST(test_peer_dead)
{
	int64_t	 cut;
	int	 dead, down;

	up(dpd_idle, NULL);
	drop_to_1 = 1;
	cut = clock_ms;
	pump(45000);
	ck_assert_ptr_null(ike_child_by_tunnel(nodes[0].ike, "t1", NULL));
	dead = event_find(&nodes[0], IKE_EV_PEER_DEAD, 0);
	ck_assert_int_ge(dead, 0);
	ck_assert_str_eq(nodes[0].ev[dead].tunnel, "t1");
	ck_assert_str_eq(nodes[0].ev[dead].peer, "192.0.2.2");
	ck_assert_str_eq(nodes[0].ev[dead].active, "primary");
	ck_assert_ptr_nonnull(strstr(nodes[0].ev[dead].reason, "peer dead"));
	ck_assert_int_le(nodes[0].ev[dead].at - cut, (10 + 3 * 10 + 1) * 1000);
	ck_assert_int_ge(nodes[0].ev[dead].at - cut, 3 * 10 * 1000);
	down = event_find(&nodes[0], IKE_EV_IKE_DOWN, dead);
	ck_assert_int_gt(down, dead);
	ck_assert_str_eq(nodes[0].ev[down].tunnel, "t1");
	/* no backup: no failover event; the tunnel tries again */
	ck_assert_int_eq(event_find(&nodes[0], IKE_EV_FAILOVER, 0), -1);
	drop_to_1 = 0;
	pump(30000);
	ck_assert_ptr_nonnull(ike_child_by_tunnel(nodes[0].ike, "t1", NULL));
	teardown_nodes();
}
END_TEST

/* ike-up at the first CHILD_SA, with the tunnel, identities and path. */
START_TEST(test_events_up)
{
	int	 i;

	up(NULL, NULL);
	for (i = 0; i < 2; i++) {
		int k = event_find(&nodes[i], IKE_EV_IKE_UP, 0);

		ck_assert_int_ge(k, 0);
		ck_assert_str_eq(nodes[i].ev[k].tunnel, "t1");
		ck_assert_str_eq(nodes[i].ev[k].peer, i ? "192.0.2.1" :
		    "192.0.2.2");
		ck_assert_int_eq(event_find(&nodes[i], IKE_EV_IKE_UP, k + 1),
		    -1);
	}
	teardown_nodes();
}
END_TEST

/* A wrong key: an auth-failure event on both ends, not a
 * negotiation-failure one as well. */
START_TEST(test_events_auth)
{
	static const char *const bad[] = { "configure terminal",
	    "ipsec key pre-share r2.example.net transport-virtual-router tr "
	    "key another-secret", "end", NULL };
	int	 i, k;

	setup_nodes(bad, NULL);
	start_t1();
	pump(2000);
	for (i = 0; i < 2; i++) {
		k = event_find(&nodes[i], IKE_EV_AUTH_FAILURE, 0);
		ck_assert_int_ge(k, 0);
		ck_assert_str_eq(nodes[i].ev[k].tunnel, "t1");
	}
	ck_assert_int_eq(event_find(&nodes[0], IKE_EV_NEG_FAILURE, 0), -1);
	teardown_nodes();
}
END_TEST

/* Failover (CLI.md "tunnel destination backup"): R1's primary does not
 * answer at start, so t1 comes up on the backup (R2); R2 then dies: t1
 * fails over to the primary, which still does not answer, and back to
 * the backup, which is alive again. Each move is an event. */
static const char *const r1_backup[] = { "configure terminal",
    "interface tunnel ipsec:t1", "tunnel destination 192.0.2.9",
    "tunnel destination backup 192.0.2.2",
    "tunnel dpd mode probe-idle interval 5 threshold 2", "end", NULL };

START_TEST(test_failover_at_start)
{
	struct ike_tunnel_info info;
	int	 k;

	setup_nodes(r1_backup, NULL);
	routed = 1;
	start_t1();
	pump(5000);
	ck_assert_ptr_null(ike_child_by_tunnel(nodes[0].ike, "t1", NULL));
	pump(10000);	/* 2 x 5 s without an answer from the primary */
	ck_assert_ptr_nonnull(ike_child_by_tunnel(nodes[0].ike, "t1", NULL));
	k = event_find(&nodes[0], IKE_EV_FAILOVER, 0);
	ck_assert_int_ge(k, 0);
	ck_assert_str_eq(nodes[0].ev[k].active, "backup");
	ck_assert_ptr_nonnull(strstr(nodes[0].ev[k].reason, "192.0.2.2"));
	ck_assert_int_eq(ike_tunnel_info(nodes[0].ike, "t1", &info), 1);
	ck_assert_str_eq(info.active, "backup");
	ck_assert_uint_eq(info.failovers, 1);
	ck_assert_str_eq(info.peer_addr, "192.0.2.2");
	teardown_nodes();
}
END_TEST

START_TEST(test_failover_and_back)
{
	struct ike_tunnel_info info;
	int	 k;

	setup_nodes(r1_backup, NULL);
	routed = 1;
	start_t1();
	pump(20000);
	ck_assert_int_eq(ike_tunnel_info(nodes[0].ike, "t1", &info), 1);
	ck_assert_str_eq(info.active, "backup");
	/* the backup dies: DPD, failover to the primary (silent too) */
	drop_to_1 = 1;
	pump(16000);
	ck_assert_ptr_null(ike_child_by_tunnel(nodes[0].ike, "t1", NULL));
	k = event_find(&nodes[0], IKE_EV_PEER_DEAD, 0);
	ck_assert_int_ge(k, 0);
	k = event_find(&nodes[0], IKE_EV_FAILOVER, k);
	ck_assert_int_ge(k, 0);
	ck_assert_str_eq(nodes[0].ev[k].active, "primary");
	/* the backup lives again; the primary still does not answer */
	drop_to_1 = 0;
	pump(20000);
	ck_assert_int_eq(ike_tunnel_info(nodes[0].ike, "t1", &info), 1);
	ck_assert_str_eq(info.state, "established");
	ck_assert_str_eq(info.active, "backup");
	ck_assert_uint_eq(info.failovers, 3);
	teardown_nodes();
}
END_TEST

/* Without DPD an unreachable primary costs the whole retransmission
 * schedule before the failover; the backup still follows. */
START_TEST(test_failover_no_dpd)
{
	static const char *const r1[] = { "configure terminal",
	    "interface tunnel ipsec:t1", "tunnel destination 192.0.2.9",
	    "tunnel destination backup 192.0.2.2", "end", NULL };

	setup_nodes(r1, NULL);
	routed = 1;
	start_t1();
	pump(200000);
	ck_assert_ptr_null(ike_child_by_tunnel(nodes[0].ike, "t1", NULL));
	pump(70000);
	ck_assert_ptr_nonnull(ike_child_by_tunnel(nodes[0].ike, "t1", NULL));
	teardown_nodes();
}
END_TEST

/* Both destinations fail: after the first failover the back-off
 * stands, so the tunnel does not swing between them without a pause. */
START_TEST(test_failover_backoff)
{
	static const char *const bad[] = { "configure terminal",
	    "ipsec key pre-share r2.example.net transport-virtual-router tr "
	    "key another-secret", "end", NULL };
	int	 n = 0, k = -1;

	setup_nodes(r1_backup, NULL);
	cli_lines(&nodes[0], bad);
	routed = 1;
	start_t1();
	pump(60000);
	while ((k = event_find(&nodes[0], IKE_EV_FAILOVER, k + 1)) >= 0)
		n++;
	/* 10 s to give up on the primary, the backup refuses at once, then
	 * 20 s, 40 s ... of back-off: three failovers at most in 60 s */
	ck_assert_int_ge(n, 2);
	ck_assert_int_le(n, 3);
	teardown_nodes();
}
END_TEST

/* After a failover the backup's key is used: keys by address, the
 * primary's differs (found in the lab: R1 authenticated to the backup
 * with the primary's key). */
START_TEST(test_failover_backup_key)
{
	static const char *const keys[] = { "configure terminal",
	    "interface tunnel ipsec:t1", "no tunnel peer-identity", "exit",
	    "no ipsec key pre-share r2.example.net transport-virtual-router tr",
	    "ipsec key pre-share 192.0.2.9 transport-virtual-router tr key "
	    "primary-secret",
	    "ipsec key pre-share 192.0.2.2 transport-virtual-router tr key "
	    "shared-secret", "end", NULL };
	struct ike_tunnel_info info;

	setup_nodes(r1_backup, NULL);
	cli_lines(&nodes[0], keys);
	routed = 1;
	start_t1();
	pump(20000);
	ck_assert_int_eq(ike_tunnel_info(nodes[0].ike, "t1", &info), 1);
	ck_assert_str_eq(info.state, "established");
	ck_assert_str_eq(info.active, "backup");
	ck_assert_int_eq(event_find(&nodes[0], IKE_EV_AUTH_FAILURE, 0), -1);
	teardown_nodes();
}
END_TEST

/* Failed negotiations retry with growing back-off (10 s doubling to
 * 5 min, 90-110% each), each failure an event. */
START_TEST(test_backoff)
{
	static const char *const bad[] = { "configure terminal",
	    "ipsec key pre-share r2.example.net transport-virtual-router tr "
	    "key another-secret", "end", NULL };
	int64_t	 at[8];
	int	 n = 0, k = -1;

	setup_nodes(bad, NULL);
	start_t1();
	pump(700000);
	while ((k = event_find(&nodes[0], IKE_EV_AUTH_FAILURE, k + 1)) >= 0 &&
	    n < 8)
		at[n++] = nodes[0].ev[k].at;
	ck_assert_int_ge(n, 6);
	ck_assert_int_ge(at[1] - at[0], 9000);
	ck_assert_int_le(at[1] - at[0], 12000);
	ck_assert_int_ge(at[2] - at[1], 18000);
	ck_assert_int_le(at[2] - at[1], 23000);
	ck_assert_int_ge(at[5] - at[4], 144000);
	ck_assert_int_le(at[5] - at[4], 177000);
	teardown_nodes();
}
END_TEST

static Suite *
dpd_suite(void)
{
	Suite	*s = suite_create("ike_dpd");
	TCase	*tc = tcase_create("dpd");

	tcase_add_test(tc, test_probe_idle);
	tcase_add_test(tc, test_optimized);
	tcase_add_test(tc, test_always_send);
	tcase_add_test(tc, test_peer_dead);
	tcase_add_test(tc, test_events_up);
	tcase_add_test(tc, test_events_auth);
	tcase_add_test(tc, test_failover_at_start);
	tcase_add_test(tc, test_failover_and_back);
	tcase_add_test(tc, test_failover_no_dpd);
	tcase_add_test(tc, test_backoff);
	tcase_add_test(tc, test_failover_backoff);
	tcase_add_test(tc, test_failover_backup_key);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(dpd_suite());
	int	 failed;

	log_init("check_ike_dpd", 1, 0);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
