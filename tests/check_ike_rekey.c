/* Rekeying between two IKE engines in one process (tests/ike_pair.h):
 * CHILD_SA rekeys from either end, with PFS, both at once (RFC 7296
 * 2.8.1), on the kernel's soft and hard expire; IKE SA rekeys (2.18)
 * alone, both at once (2.8.2) and at the lifetime; lifetimes handed to
 * the kernel. Throughout, an invariant stands for "traffic never stops":
 * after every delivered packet, the SA each end sends on (the newest
 * installed outbound SA, as the kernel picks it) is one the other end
 * has installed inbound. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "clirun.h"
#include "ike.h"
#include "ike_int.h"
#include "ike_pair.h"
#include "log.h"

/* What node n's kernel sends on for t1: the newest installed pair whose
 * outbound SA is still there. 0: none. */
static uint32_t
out_spi(const struct node *n)
{
	int	 i;

	for (i = n->nkids - 1; i >= 0; i--)
		if (n->kids[i].installed && !n->kids[i].retiring &&
		    !n->kids[i].out_pending)
			return n->kids[i].spi_out;
	return 0;
}

static int
has_in(const struct node *n, uint32_t spi)
{
	int	 i;

	for (i = 0; i < n->nkids; i++)
		if (n->kids[i].installed && n->kids[i].spi_in == spi)
			return 1;
	return 0;
}

static int violations;

static void
no_gap(void)
{
	int	 i;

	for (i = 0; i < 2; i++) {
		uint32_t spi = out_spi(&nodes[i]);

		if (spi == 0 || !has_in(&nodes[1 - i], spi)) {
			if (violations++ == 0)
				fprintf(stderr, "node %d sends on 0x%08x, which "
				    "node %d does not have\n", i, spi, 1 - i);
		}
	}
}

/* Installed pairs of node n, and how many of them. */
static int
installed(const struct node *n)
{
	int	 i, k = 0;

	for (i = 0; i < n->nkids; i++)
		k += n->kids[i].installed;
	return k;
}

/* The engine's record: exactly one CHILD_SA for t1 on each node, the two
 * a pair, with the same keys as the fake kernels hold; its SPIs. */
static void
assert_one_pair(uint32_t *spi0, uint32_t *spi1)
{
	struct ike_child *a = ike_child_by_tunnel(nodes[0].ike, "t1", NULL);
	struct ike_child *b = ike_child_by_tunnel(nodes[1].ike, "t1", NULL);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(installed(&nodes[0]), 1);
	ck_assert_int_eq(installed(&nodes[1]), 1);
	ck_assert_uint_eq(a->spi_out, b->spi_in);
	ck_assert_uint_eq(a->spi_in, b->spi_out);
	ck_assert_mem_eq(a->enc_out, b->enc_in, a->xf.enc_key_len);
	ck_assert_mem_eq(a->enc_in, b->enc_out, a->xf.enc_key_len);
	ck_assert(!a->replaced && !a->retiring && !b->replaced &&
	    !b->retiring);
	if (spi0 != NULL)
		*spi0 = a->spi_in;
	if (spi1 != NULL)
		*spi1 = b->spi_in;
}

static void
up(const char *const *r1, const char *const *r2)
{
	setup_nodes(r1, r2);
	start_t1();
	pump(2000);
	assert_one_pair(NULL, NULL);
	violations = 0;
	pump_check = no_gap;
}

static int
ike_sas(struct ike *ike)
{
	struct ike_sa_info info;
	int	 n = 0;

	while (ike_sa_info_at(ike, (size_t)n, &info) == 0)
		n++;
	return n;
}

static void
rekey_from(int who, const char *const *r1, const char *const *r2)
{
	uint32_t a0, b0, a1, b1;
	int	 down0, down1;

	up(r1, r2);
	assert_one_pair(&a0, &b0);
	down0 = nodes[0].ndown;
	down1 = nodes[1].ndown;
	ck_assert_int_eq(ike_tunnel_rekey(nodes[who].ike, "t1"), 0);
	pump(3000);
	assert_one_pair(&a1, &b1);
	ck_assert_uint_ne(a0, a1);
	ck_assert_uint_ne(b0, b1);
	ck_assert_int_eq(violations, 0);
	/* the old pair left both kernels, and nothing else did */
	ck_assert_int_eq(nodes[0].ndown, down0 + 1);
	ck_assert_int_eq(nodes[1].ndown, down1 + 1);
	ck_assert_str_eq(nodes[0].failed, "");
	ck_assert_int_eq(ike_sas(nodes[0].ike), 1);
	ck_assert_int_eq(ike_sas(nodes[1].ike), 1);
}

START_TEST(test_rekey_by_initiator)
{
	rekey_from(0, NULL, NULL);
	/* and again: a rekeyed SA rekeys like the first */
	ck_assert_int_eq(ike_tunnel_rekey(nodes[0].ike, "t1"), 0);
	pump(3000);
	assert_one_pair(NULL, NULL);
	ck_assert_int_eq(violations, 0);
	teardown_nodes();
}
END_TEST

START_TEST(test_rekey_by_responder)
{
	rekey_from(1, NULL, NULL);
	teardown_nodes();
}
END_TEST

START_TEST(test_rekey_pfs)
{
	static const char *const pfs[] = { "configure terminal",
	    "interface tunnel ipsec:t1", "tunnel pfs group 19", "end", NULL };
	struct ike_child *a, *b;
	uint8_t	 old[IKE_KEY_MAX];

	up(pfs, pfs);
	a = ike_child_by_tunnel(nodes[0].ike, "t1", NULL);
	memcpy(old, a->enc_out, a->xf.enc_key_len);
	ck_assert_int_eq(ike_tunnel_rekey(nodes[0].ike, "t1"), 0);
	pump(3000);
	assert_one_pair(NULL, NULL);
	a = ike_child_by_tunnel(nodes[0].ike, "t1", NULL);
	b = ike_child_by_tunnel(nodes[1].ike, "t1", NULL);
	ck_assert_uint_eq(a->pfs_group, 19);
	ck_assert_uint_eq(b->pfs_group, 19);
	ck_assert(memcmp(old, a->enc_out, a->xf.enc_key_len) != 0);
	ck_assert_int_eq(violations, 0);
	teardown_nodes();
}
END_TEST

/* R2 asks for no PFS, R1 requires group 14: R2 accepts what it is
 * offered (CLI.md: PFS accepted when the peer proposes it). */
START_TEST(test_rekey_pfs_accepted)
{
	static const char *const pfs[] = { "configure terminal",
	    "interface tunnel ipsec:t1", "tunnel pfs group 14", "end", NULL };

	up(pfs, NULL);
	ck_assert_int_eq(ike_tunnel_rekey(nodes[0].ike, "t1"), 0);
	pump(3000);
	assert_one_pair(NULL, NULL);
	ck_assert_uint_eq(ike_child_by_tunnel(nodes[1].ike, "t1",
	    NULL)->pfs_group, 14);
	ck_assert_int_eq(violations, 0);
	teardown_nodes();
}
END_TEST

/* 2.8.1: both ends rekey the same CHILD_SA at once; one new pair stays,
 * the same on both ends, whatever the nonces (so many rounds). */
START_TEST(test_rekey_both_at_once)
{
	static const char *const pfs[] = { "configure terminal",
	    "interface tunnel ipsec:t1", "tunnel pfs group 19", "end", NULL };
	int	 round;

	up(_i % 2 ? pfs : NULL, _i % 2 ? pfs : NULL);
	for (round = 0; round < 8; round++) {
		ck_assert_int_eq(ike_tunnel_rekey(nodes[0].ike, "t1"), 0);
		ck_assert_int_eq(ike_tunnel_rekey(nodes[1].ike, "t1"), 0);
		pump(4000);
		assert_one_pair(NULL, NULL);
	}
	ck_assert_int_eq(violations, 0);
	ck_assert_str_eq(nodes[0].failed, "");
	ck_assert_str_eq(nodes[1].failed, "");
	teardown_nodes();
}
END_TEST

START_TEST(test_soft_expire)
{
	struct ike_child *a;
	uint32_t a0, a1;
	uint8_t	 local[16] = { 0 };

	up(NULL, NULL);
	assert_one_pair(&a0, NULL);
	a = ike_child_by_tunnel(nodes[0].ike, "t1", NULL);
	inet_pton(AF_INET, "192.0.2.1", local);
	/* the kernel's soft EXPIRE for the inbound SA (volume or time) */
	ike_expire(nodes[0].ike, a->proto, a->spi_in, AF_INET, local, 0);
	ike_expire(nodes[0].ike, a->proto, a->spi_in, AF_INET, local, 0);
	pump(3000);
	assert_one_pair(&a1, NULL);
	ck_assert_uint_ne(a0, a1);
	ck_assert_int_eq(violations, 0);
	teardown_nodes();
}
END_TEST

/* A hard expire (the kernel removed the SA) before any rekey: the tunnel
 * is negotiated again. */
START_TEST(test_hard_expire)
{
	struct ike_child *b;
	uint32_t b0, b1;
	uint8_t	 peer[16] = { 0 };

	up(NULL, NULL);
	assert_one_pair(NULL, &b0);
	pump_check = NULL;	/* a gap is what a hard expire is */
	b = ike_child_by_tunnel(nodes[1].ike, "t1", NULL);
	inet_pton(AF_INET, "192.0.2.1", peer);
	ike_expire(nodes[1].ike, b->proto, b->spi_out, AF_INET, peer, 1);
	ck_assert_ptr_null(ike_child_by_tunnel(nodes[1].ike, "t1", NULL));
	pump(15000);
	assert_one_pair(NULL, &b1);
	ck_assert_uint_ne(b0, b1);
	teardown_nodes();
}
END_TEST

START_TEST(test_lifetimes)
{
	static const char *const own[] = { "configure terminal",
	    "interface tunnel ipsec:t1",
	    "tunnel lifetime seconds 3600 kilobytes 200000", "end", NULL };
	struct ike_child *a, *b;

	up(own, NULL);
	a = ike_child_by_tunnel(nodes[0].ike, "t1", NULL);
	b = ike_child_by_tunnel(nodes[1].ike, "t1", NULL);
	ck_assert_uint_eq(a->hard_secs, 3600);
	ck_assert_uint_eq(a->hard_bytes, 200000ULL * 1024);
	ck_assert_uint_ge(a->soft_secs, 3600 * 80 / 100);
	ck_assert_uint_le(a->soft_secs, 3600 * 90 / 100);
	ck_assert_uint_ge(a->soft_bytes, 200000ULL * 1024 / 100 * 80);
	ck_assert_uint_le(a->soft_bytes, 200000ULL * 1024 / 100 * 90);
	/* R2 has none of its own: the global default */
	ck_assert_uint_eq(b->hard_secs, 28800);
	ck_assert_uint_eq(b->hard_bytes, 102400ULL * 1024);
	ck_assert_uint_lt(b->soft_secs, 28800);
	teardown_nodes();
}
END_TEST

/* Rekeyed IKE SA: the children move to the new one, the old goes on
 * both ends, and the new one carries rekeys and deletes. */
START_TEST(test_ike_rekey)
{
	struct ike_sa_info i0, i1, j0, j1;
	uint32_t a0, a1;

	up(NULL, NULL);
	assert_one_pair(&a0, NULL);
	ck_assert_int_eq(ike_sa_info_at(nodes[0].ike, 0, &i0), 0);
	ck_assert_int_eq(ike_sa_info_at(nodes[1].ike, 0, &i1), 0);
	ck_assert_int_eq(ike_sa_rekey(nodes[_i].ike, "192.0.2.2") +
	    ike_sa_rekey(nodes[_i].ike, "192.0.2.1"), 1);
	pump(3000);
	ck_assert_int_eq(ike_sas(nodes[0].ike), 1);
	ck_assert_int_eq(ike_sas(nodes[1].ike), 1);
	ck_assert_int_eq(ike_sa_info_at(nodes[0].ike, 0, &j0), 0);
	ck_assert_int_eq(ike_sa_info_at(nodes[1].ike, 0, &j1), 0);
	ck_assert_str_ne(i0.spi_i, j0.spi_i);
	ck_assert_str_eq(j0.spi_i, j1.spi_i);
	ck_assert_str_eq(j0.spi_r, j1.spi_r);
	ck_assert_str_eq(j0.state, "established");
	/* the rekey's initiator is the new SA's */
	ck_assert_str_eq(j0.role, _i == 0 ? "initiator" : "responder");
	ck_assert_str_eq(j0.peer_id, "fqdn:r2.example.net");
	assert_one_pair(&a1, NULL);
	ck_assert_uint_eq(a0, a1);	/* the CHILD_SA is untouched */
	ck_assert_int_eq(violations, 0);
	ck_assert_ptr_nonnull(strstr(j0.children, "ipsec:t1"));
	/* the new IKE SA's keys work: a CHILD_SA rekey over it */
	ck_assert_int_eq(ike_tunnel_rekey(nodes[1 - _i].ike, "t1"), 0);
	pump(3000);
	assert_one_pair(&a1, NULL);
	ck_assert_uint_ne(a0, a1);
	ck_assert_int_eq(violations, 0);
	teardown_nodes();
}
END_TEST

START_TEST(test_ike_rekey_both_at_once)
{
	struct ike_sa_info j0, j1;
	int	 round;

	up(NULL, NULL);
	for (round = 0; round < 6; round++) {
		ck_assert_int_eq(ike_sa_rekey(nodes[0].ike, "all"), 1);
		ck_assert_int_eq(ike_sa_rekey(nodes[1].ike, "all"), 1);
		pump(5000);
		ck_assert_int_eq(ike_sas(nodes[0].ike), 1);
		ck_assert_int_eq(ike_sas(nodes[1].ike), 1);
		ck_assert_int_eq(ike_sa_info_at(nodes[0].ike, 0, &j0), 0);
		ck_assert_int_eq(ike_sa_info_at(nodes[1].ike, 0, &j1), 0);
		ck_assert_str_eq(j0.spi_i, j1.spi_i);
		ck_assert_str_eq(j0.spi_r, j1.spi_r);
		assert_one_pair(NULL, NULL);
	}
	ck_assert_int_eq(violations, 0);
	teardown_nodes();
}
END_TEST

/* 2.8.2 with one answer lost: the loser's Delete overtakes the answer,
 * so an end holds the peer's new SA when its own request is answered
 * late (found in the lab: the children went down with the loser, or a
 * redundant IKE SA stayed). Each of the four first packets lost in turn;
 * in the end one IKE SA, one pair, on both ends. */
START_TEST(test_ike_rekey_both_lossy)
{
	struct ike_sa_info j0, j1;

	up(NULL, NULL);
	pump_check = NULL;	/* a lost answer may stall a direction */
	drop_at = sent + 1 + _i;
	ck_assert_int_eq(ike_sa_rekey(nodes[0].ike, "all"), 1);
	ck_assert_int_eq(ike_sa_rekey(nodes[1].ike, "all"), 1);
	pump(20000 + IKE_REDUNDANT_GRACE_MS);
	ck_assert_int_eq(ike_sas(nodes[0].ike), 1);
	ck_assert_int_eq(ike_sas(nodes[1].ike), 1);
	ck_assert_int_eq(ike_sa_info_at(nodes[0].ike, 0, &j0), 0);
	ck_assert_int_eq(ike_sa_info_at(nodes[1].ike, 0, &j1), 0);
	ck_assert_str_eq(j0.spi_i, j1.spi_i);
	ck_assert_str_eq(j0.spi_r, j1.spi_r);
	ck_assert_ptr_nonnull(strstr(j0.children, "ipsec:t1"));
	assert_one_pair(NULL, NULL);
	teardown_nodes();
}
END_TEST

/* The IKE SA's lifetime from the ike-policy-rule: rekeyed at 80-90% of
 * it, by itself. */
START_TEST(test_ike_lifetime)
{
	static const char *const rule[] = { "configure terminal",
	    "ipsec ike-policy-rule 10", "encryption aes256", "hash sha256",
	    "group 14", "lifetime 60", "end", NULL };
	struct ike_sa_info i0, j0;

	up(rule, rule);
	ck_assert_int_eq(ike_sa_info_at(nodes[0].ike, 0, &i0), 0);
	ck_assert_int_eq(i0.lifetime_s, 60);
	pump(45000);
	ck_assert_int_eq(ike_sa_info_at(nodes[0].ike, 0, &j0), 0);
	ck_assert_str_eq(i0.spi_i, j0.spi_i);	/* not before 48 s */
	pump(10000);
	ck_assert_int_eq(ike_sas(nodes[0].ike), 1);
	ck_assert_int_eq(ike_sa_info_at(nodes[0].ike, 0, &j0), 0);
	ck_assert_str_ne(i0.spi_i, j0.spi_i);
	assert_one_pair(NULL, NULL);
	ck_assert_int_eq(violations, 0);
	teardown_nodes();
}
END_TEST

/* The peer lost the CHILD_SA: its answer CHILD_SA_NOT_FOUND (2.25) makes
 * us drop ours and negotiate the tunnel afresh. */
START_TEST(test_rekey_not_found)
{
	struct ike_sa	*sa;
	struct ike_child *b;

	up(NULL, NULL);
	pump_check = NULL;
	b = ike_child_by_tunnel(nodes[1].ike, "t1", &sa);
	ike_child_remove(sa, b, "lost (test)");
	ck_assert_int_eq(ike_tunnel_rekey(nodes[0].ike, "t1"), 0);
	pump(15000);
	assert_one_pair(NULL, NULL);
	ck_assert_ptr_nonnull(strstr(nodes[0].failed, "CHILD_SA_NOT_FOUND"));
	teardown_nodes();
}
END_TEST

START_TEST(test_rekey_without_child)
{
	setup_nodes(NULL, NULL);
	ck_assert_int_eq(ike_tunnel_rekey(nodes[0].ike, "t1"), -1);
	ck_assert_int_eq(ike_tunnel_rekey(nodes[0].ike, "nosuch"), -1);
	ck_assert_int_eq(ike_sa_rekey(nodes[0].ike, "all"), 0);
	teardown_nodes();
}
END_TEST

/* Lost packets during a rekey: retransmissions finish it, still with no
 * gap. */
START_TEST(test_rekey_lossy)
{
	up(NULL, NULL);
	drop_first = 2;
	ck_assert_int_eq(ike_tunnel_rekey(nodes[0].ike, "t1"), 0);
	pump(20000);
	assert_one_pair(NULL, NULL);
	ck_assert_int_eq(violations, 0);
	teardown_nodes();
}
END_TEST

/* Collisions of a different kind (strongSwan's test_child_rekey habit):
 * a CHILD_SA rekey against its Delete, and an IKE SA rekey against a
 * CHILD_SA rekey; in the end one IKE SA and one pair, the same on both
 * ends. */
START_TEST(test_rekey_vs_delete)
{
	up(NULL, NULL);
	pump_check = NULL;	/* the delete is a gap by design */
	ck_assert_int_eq(ike_tunnel_rekey(nodes[0].ike, "t1"), 0);
	ike_tunnel_clear(nodes[1].ike, "t1");
	pump(30000);		/* R1 wants t1: it negotiates it again */
	assert_one_pair(NULL, NULL);
	ck_assert_int_eq(ike_sas(nodes[0].ike), 1);
	ck_assert_int_eq(ike_sas(nodes[1].ike), 1);
	teardown_nodes();
}
END_TEST

START_TEST(test_ike_rekey_vs_child_rekey)
{
	struct ike_sa_info j0, j1;

	up(NULL, NULL);
	ck_assert_int_eq(ike_sa_rekey(nodes[_i].ike, "all"), 1);
	ck_assert_int_eq(ike_tunnel_rekey(nodes[1 - _i].ike, "t1"), 0);
	pump(10000);
	assert_one_pair(NULL, NULL);
	ck_assert_int_eq(ike_sas(nodes[0].ike), 1);
	ck_assert_int_eq(ike_sas(nodes[1].ike), 1);
	ck_assert_int_eq(ike_sa_info_at(nodes[0].ike, 0, &j0), 0);
	ck_assert_int_eq(ike_sa_info_at(nodes[1].ike, 0, &j1), 0);
	ck_assert_str_eq(j0.spi_i, j1.spi_i);
	ck_assert_int_eq(violations, 0);
	teardown_nodes();
}
END_TEST

static Suite *
rekey_suite(void)
{
	Suite	*s = suite_create("ike_rekey");
	TCase	*tc = tcase_create("rekey");

	tcase_add_test(tc, test_rekey_by_initiator);
	tcase_add_test(tc, test_rekey_by_responder);
	tcase_add_test(tc, test_rekey_pfs);
	tcase_add_test(tc, test_rekey_pfs_accepted);
	tcase_add_loop_test(tc, test_rekey_both_at_once, 0, 6);
	tcase_add_test(tc, test_soft_expire);
	tcase_add_test(tc, test_hard_expire);
	tcase_add_test(tc, test_lifetimes);
	tcase_add_loop_test(tc, test_ike_rekey, 0, 2);
	tcase_add_test(tc, test_ike_rekey_both_at_once);
	tcase_add_loop_test(tc, test_ike_rekey_both_lossy, 0, 4);
	tcase_add_test(tc, test_ike_lifetime);
	tcase_add_test(tc, test_rekey_not_found);
	tcase_add_test(tc, test_rekey_without_child);
	tcase_add_test(tc, test_rekey_lossy);
	tcase_add_test(tc, test_rekey_vs_delete);
	tcase_add_loop_test(tc, test_ike_rekey_vs_child_rekey, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(rekey_suite());
	int	 failed;

	log_init("check_ike_rekey", 1, 0);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
