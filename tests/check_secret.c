/* check_secret: the device key file and the AES-256-GCM blobs of
 * lib/secret.c. */
#define _GNU_SOURCE		/* memmem */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "secret.h"
#include "util.h"
#include "tmpdir.h"

/* version(1) nonce(12) ... tag(16) */
#define BLOB_OVERHEAD	(1 + 12 + 16)


static void
path_in_tmp(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", tmp_dir, name);
}

static void
write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);	/* umask does not apply */
	close(fd);
}

/* A fixed key for the blob tests. */
static void
test_key(unsigned char *key, unsigned char seed)
{
	size_t	 i;

	for (i = 0; i < SECRET_KEY_LEN; i++)
		key[i] = (unsigned char)(seed + 7 * i);
}

/* ------------------------------------------------------------------ */
/* secret_key_load */

START_TEST(test_key_create_and_reload)
{
	unsigned char key[SECRET_KEY_LEN], again[SECRET_KEY_LEN],
		 file[SECRET_KEY_LEN + 8], zero[SECRET_KEY_LEN] = { 0 };
	char	 path[512], err[ERR_LEN] = "";
	struct stat sb;
	int	 fd;

	path_in_tmp(path, sizeof(path), "device.key");
	ck_assert_int_eq(access(path, F_OK), -1);
	memset(key, 0, sizeof(key));
	ck_assert_msg(secret_key_load(path, key, err) == 1, "create: %s", err);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert(S_ISREG(sb.st_mode));
	ck_assert_int_eq(sb.st_mode & 07777, 0600);
	ck_assert_int_eq(sb.st_size, SECRET_KEY_LEN);
	ck_assert_uint_eq(sb.st_uid, geteuid());
	ck_assert(memcmp(key, zero, sizeof(key)) != 0);
	/* the file holds exactly the key */
	fd = open(path, O_RDONLY);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(read(fd, file, sizeof(file)), SECRET_KEY_LEN);
	close(fd);
	ck_assert_mem_eq(file, key, SECRET_KEY_LEN);
	/* loading again reads the same key and leaves the file alone */
	memset(again, 0, sizeof(again));
	ck_assert_msg(secret_key_load(path, again, err) == 0, "reload: %s",
	    err);
	ck_assert_mem_eq(again, key, SECRET_KEY_LEN);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0600);
	ck_assert_int_eq(sb.st_size, SECRET_KEY_LEN);
}
END_TEST

START_TEST(test_key_two_files_differ)
{
	unsigned char a[SECRET_KEY_LEN], b[SECRET_KEY_LEN];
	char	 pa[512], pb[512], err[ERR_LEN];

	path_in_tmp(pa, sizeof(pa), "a.key");
	path_in_tmp(pb, sizeof(pb), "b.key");
	ck_assert_int_eq(secret_key_load(pa, a, err), 1);
	ck_assert_int_eq(secret_key_load(pb, b, err), 1);
	ck_assert(memcmp(a, b, SECRET_KEY_LEN) != 0);
}
END_TEST

START_TEST(test_key_reads_existing)
{
	unsigned char key[SECRET_KEY_LEN], mine[SECRET_KEY_LEN];
	char	 path[512], err[ERR_LEN] = "";

	test_key(mine, 3);
	path_in_tmp(path, sizeof(path), "given.key");
	write_file(path, mine, sizeof(mine), 0600);
	ck_assert_msg(secret_key_load(path, key, err) == 0, "%s", err);
	ck_assert_mem_eq(key, mine, SECRET_KEY_LEN);
	/* 0400 is as private as 0600 */
	ck_assert_int_eq(chmod(path, 0400), 0);
	ck_assert_msg(secret_key_load(path, key, err) == 0, "%s", err);
	ck_assert_mem_eq(key, mine, SECRET_KEY_LEN);
}
END_TEST

/* Each group/other permission bit alone makes the key unusable. */
static const mode_t bad_modes[] = { 0644, 0640, 0604, 0660, 0606, 0610,
    0601, 0602, 0620, 0666, 0777, 0700 | 040 };

START_TEST(test_key_bad_mode)
{
	unsigned char key[SECRET_KEY_LEN], mine[SECRET_KEY_LEN];
	char	 path[512], err[ERR_LEN] = "";

	test_key(mine, 1);
	path_in_tmp(path, sizeof(path), "open.key");
	write_file(path, mine, sizeof(mine), bad_modes[_i]);
	ck_assert_msg(secret_key_load(path, key, err) == -1,
	    "mode %04o accepted", (unsigned)bad_modes[_i]);
	ck_assert_msg(strstr(err, "mode 0600") != NULL, "error: %s", err);
	ck_assert_msg(strstr(err, path) != NULL, "error: %s", err);
	/* the file is not "fixed" or replaced behind the user's back */
	{
		struct stat sb;
		ck_assert_int_eq(stat(path, &sb), 0);
		ck_assert_int_eq(sb.st_mode & 07777, bad_modes[_i]);
	}
}
END_TEST

static const size_t bad_sizes[] = { 0, 1, 16, 31, 33, 64, 4096 };

START_TEST(test_key_bad_size)
{
	unsigned char key[SECRET_KEY_LEN], data[4096];
	char	 path[512], err[ERR_LEN] = "";

	memset(data, 0x42, sizeof(data));
	path_in_tmp(path, sizeof(path), "short.key");
	write_file(path, data, bad_sizes[_i], 0600);
	ck_assert_msg(secret_key_load(path, key, err) == -1,
	    "a %zu-byte key file was accepted", bad_sizes[_i]);
	ck_assert_msg(strstr(err, "is not 32 bytes") != NULL, "error: %s",
	    err);
}
END_TEST

START_TEST(test_key_not_regular)
{
	unsigned char key[SECRET_KEY_LEN], mine[SECRET_KEY_LEN];
	char	 path[512], link[512], err[ERR_LEN] = "";

	/* a directory */
	path_in_tmp(path, sizeof(path), "dir.key");
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(secret_key_load(path, key, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "must be a regular file"));
	/* a symbolic link to a good key is not followed */
	test_key(mine, 9);
	path_in_tmp(path, sizeof(path), "real.key");
	write_file(path, mine, sizeof(mine), 0600);
	path_in_tmp(link, sizeof(link), "link.key");
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(secret_key_load(link, key, err), -1);
	ck_assert_ptr_nonnull(strstr(err, link));
	/* a dangling link is not followed to create a key elsewhere */
	path_in_tmp(link, sizeof(link), "dangling.key");
	path_in_tmp(path, sizeof(path), "target.key");
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(secret_key_load(link, key, err), -1);
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

START_TEST(test_key_no_directory)
{
	unsigned char key[SECRET_KEY_LEN];
	char	 path[512], err[ERR_LEN] = "";

	path_in_tmp(path, sizeof(path), "missing/device.key");
	ck_assert_int_eq(secret_key_load(path, key, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot create device key"));
	ck_assert_ptr_nonnull(strstr(err, path));
}
END_TEST

START_TEST(test_key_other_owner)
{
	unsigned char key[SECRET_KEY_LEN], mine[SECRET_KEY_LEN];
	char	 path[512], err[ERR_LEN] = "";

	/* Only added to the suite when running as root. */
	test_key(mine, 5);
	path_in_tmp(path, sizeof(path), "nobody.key");
	write_file(path, mine, sizeof(mine), 0600);
	ck_assert_int_eq(chown(path, 65534, 65534), 0);
	ck_assert_int_eq(secret_key_load(path, key, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "owned by uid 0"));
}
END_TEST

/* ------------------------------------------------------------------ */
/* secret_encrypt / secret_decrypt */

static const size_t rt_lengths[] = { 0, 1, 2, 15, 16, 17, 32, 100, 255, 256 };

START_TEST(test_round_trip)
{
	unsigned char key[SECRET_KEY_LEN], pt[SECRET_MAX_LEN], *out = NULL;
	size_t	 len = rt_lengths[_i], outlen = 12345, i;
	char	*blob;

	test_key(key, 11);
	for (i = 0; i < len; i++)
		pt[i] = (unsigned char)(i * 31 + 1);
	blob = secret_encrypt(key, "psk:192.0.2.1:default", pt, len);
	ck_assert_ptr_nonnull(blob);
	ck_assert_uint_eq(strlen(blob), 2 * (BLOB_OVERHEAD + len));
	ck_assert_uint_eq(strspn(blob, "0123456789abcdef"), strlen(blob));
	ck_assert_msg(strncmp(blob, "01", 2) == 0, "version: %.2s", blob);
	ck_assert_int_eq(secret_decrypt(key, "psk:192.0.2.1:default", blob,
	    &out, &outlen), 0);
	ck_assert_uint_eq(outlen, len);
	ck_assert_ptr_nonnull(out);
	if (len > 0)
		ck_assert_mem_eq(out, pt, len);
	secure_free(out, outlen);
	free(blob);
}
END_TEST

START_TEST(test_too_long)
{
	unsigned char key[SECRET_KEY_LEN], pt[SECRET_MAX_LEN + 64];

	test_key(key, 12);
	memset(pt, 'a', sizeof(pt));
	ck_assert_ptr_null(secret_encrypt(key, "x", pt, SECRET_MAX_LEN + 1));
	ck_assert_ptr_null(secret_encrypt(key, "x", pt, SECRET_MAX_LEN + 64));
	ck_assert_ptr_null(secret_encrypt(key, "x", pt, (size_t)-1));
}
END_TEST

START_TEST(test_random_nonce)
{
	unsigned char key[SECRET_KEY_LEN], *out;
	static const char pt[] = "the same secret";
	char	*a, *b, *c;
	size_t	 len;

	test_key(key, 13);
	a = secret_encrypt(key, "aad", (const unsigned char *)pt, strlen(pt));
	b = secret_encrypt(key, "aad", (const unsigned char *)pt, strlen(pt));
	c = secret_encrypt(key, "aad", (const unsigned char *)pt, strlen(pt));
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_ne(a, b);
	ck_assert_str_ne(a, c);
	ck_assert_str_ne(b, c);
	/* the nonces themselves differ, not only the tags */
	ck_assert(strncmp(a + 2, b + 2, 24) != 0);
	ck_assert_int_eq(secret_decrypt(key, "aad", a, &out, &len), 0);
	ck_assert_uint_eq(len, strlen(pt));
	ck_assert_mem_eq(out, pt, len);
	secure_free(out, len);
	ck_assert_int_eq(secret_decrypt(key, "aad", b, &out, &len), 0);
	ck_assert_uint_eq(len, strlen(pt));
	ck_assert_mem_eq(out, pt, len);
	secure_free(out, len);
	free(a);
	free(b);
	free(c);
}
END_TEST

static void
assert_refused(const unsigned char *key, const char *aad, const char *blob,
    const char *why)
{
	unsigned char *out = (unsigned char *)"not touched";
	size_t	 len = 999;

	ck_assert_msg(secret_decrypt(key, aad, blob, &out, &len) == -1,
	    "%s: decrypted", why);
	ck_assert_msg(out == NULL, "%s: out not NULL", why);
	ck_assert_msg(len == 0, "%s: len %zu", why, len);
}

START_TEST(test_wrong_aad_and_key)
{
	unsigned char key[SECRET_KEY_LEN], other[SECRET_KEY_LEN];
	static const char pt[] = "s3cr3t";
	char	*blob, *empty;

	test_key(key, 14);
	test_key(other, 15);
	blob = secret_encrypt(key, "psk:peer-a:default",
	    (const unsigned char *)pt, strlen(pt));
	ck_assert_ptr_nonnull(blob);
	assert_refused(key, "psk:peer-b:default", blob, "other aad");
	assert_refused(key, "psk:peer-a:defaul", blob, "shorter aad");
	assert_refused(key, "psk:peer-a:default ", blob, "longer aad");
	assert_refused(key, "", blob, "empty aad");
	assert_refused(other, "psk:peer-a:default", blob, "other key");
	{
		unsigned char k2[SECRET_KEY_LEN];
		memcpy(k2, key, sizeof(k2));
		k2[SECRET_KEY_LEN - 1] ^= 0x01;
		assert_refused(k2, "psk:peer-a:default", blob, "key bit");
	}
	/* an empty secret is authenticated too */
	empty = secret_encrypt(key, "a", (const unsigned char *)"", 0);
	ck_assert_ptr_nonnull(empty);
	assert_refused(key, "b", empty, "empty secret, other aad");
	assert_refused(other, "a", empty, "empty secret, other key");
	free(empty);
	free(blob);
}
END_TEST

/* Every bit of every byte of the blob: flip it (keeping the text hex) and
 * the blob must not decrypt. _i picks the secret length. */
static const size_t flip_lengths[] = { 0, 1, 33, 256 };

START_TEST(test_every_bit_flip)
{
	static const char hexdig[] = "0123456789abcdef";
	unsigned char key[SECRET_KEY_LEN], pt[SECRET_MAX_LEN];
	size_t	 len = flip_lengths[_i], n, pos, tried = 0;
	char	*blob, *copy;
	int	 bit;

	test_key(key, 16);
	memset(pt, 'k', sizeof(pt));
	blob = secret_encrypt(key, "tunnel:t1:inbound", pt, len);
	ck_assert_ptr_nonnull(blob);
	n = strlen(blob);
	copy = strdup(blob);
	ck_assert_ptr_nonnull(copy);
	for (pos = 0; pos < n; pos++) {
		int v = (int)(strchr(hexdig, blob[pos]) - hexdig);
		for (bit = 0; bit < 4; bit++) {
			unsigned char *out = NULL;
			size_t	 outlen = 0;
			copy[pos] = hexdig[v ^ (1 << bit)];
			ck_assert_msg(secret_decrypt(key, "tunnel:t1:inbound",
			    copy, &out, &outlen) == -1,
			    "len %zu: flip of bit %d at hex position %zu "
			    "decrypted", len, bit, pos);
			ck_assert_ptr_null(out);
			tried++;
		}
		copy[pos] = blob[pos];
	}
	ck_assert_uint_eq(tried, 4 * 2 * (BLOB_OVERHEAD + len));
	/* and the unmodified copy still decrypts */
	{
		unsigned char *out;
		size_t	 outlen;
		ck_assert_int_eq(secret_decrypt(key, "tunnel:t1:inbound", copy,
		    &out, &outlen), 0);
		ck_assert_uint_eq(outlen, len);
		secure_free(out, outlen);
	}
	free(copy);
	free(blob);
}
END_TEST

START_TEST(test_truncated_and_extended)
{
	unsigned char key[SECRET_KEY_LEN];
	static const char pt[] = "a pre-shared key";
	char	*blob, *copy, big[2048];
	size_t	 n, cut;

	test_key(key, 17);
	blob = secret_encrypt(key, "x", (const unsigned char *)pt, strlen(pt));
	ck_assert_ptr_nonnull(blob);
	n = strlen(blob);
	copy = strdup(blob);
	ck_assert_ptr_nonnull(copy);
	/* every shorter prefix, odd or even */
	for (cut = 0; cut < n; cut++) {
		copy[cut] = '\0';
		assert_refused(key, "x", copy, "truncated");
		copy[cut] = blob[cut];
	}
	/* one byte cut from the front (after the version) */
	snprintf(big, sizeof(big), "01%s", blob + 4);
	assert_refused(key, "x", big, "byte removed");
	/* appended bytes */
	snprintf(big, sizeof(big), "%s00", blob);
	assert_refused(key, "x", big, "byte appended");
	snprintf(big, sizeof(big), "%s0", blob);
	assert_refused(key, "x", big, "nibble appended");
	/* far too long for any secret */
	memset(big, 'a', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\0';
	memcpy(big, "01", 2);
	assert_refused(key, "x", big, "oversized");
	free(copy);
	free(blob);
}
END_TEST

START_TEST(test_bad_version)
{
	unsigned char key[SECRET_KEY_LEN];
	static const char pt[] = "versioned";
	static const char *const versions[] = { "00", "02", "ff", "10", "81" };
	char	*blob;
	size_t	 i;

	test_key(key, 18);
	blob = secret_encrypt(key, "x", (const unsigned char *)pt, strlen(pt));
	ck_assert_ptr_nonnull(blob);
	for (i = 0; i < nitems(versions); i++) {
		blob[0] = versions[i][0];
		blob[1] = versions[i][1];
		assert_refused(key, "x", blob, versions[i]);
	}
	free(blob);
}
END_TEST

START_TEST(test_not_hex)
{
	unsigned char key[SECRET_KEY_LEN];
	static const char pt[] = "hexless";
	static const char *const junk[] = { "", "0", "0x", "zz",
	    "not a blob at all", "plain-text-key-that-is-quite-long-enough-"
	    "to-pass-any-length-check-0123456789" };
	char	*blob, *copy;
	size_t	 i, n;

	test_key(key, 19);
	for (i = 0; i < nitems(junk); i++)
		assert_refused(key, "x", junk[i], junk[i]);
	blob = secret_encrypt(key, "x", (const unsigned char *)pt, strlen(pt));
	ck_assert_ptr_nonnull(blob);
	n = strlen(blob);
	copy = strdup(blob);
	ck_assert_ptr_nonnull(copy);
	/* one non-hex character anywhere */
	for (i = 0; i < n; i++) {
		copy[i] = 'g';
		assert_refused(key, "x", copy, "g in blob");
		copy[i] = ' ';
		assert_refused(key, "x", copy, "space in blob");
		copy[i] = blob[i];
	}
	free(copy);
	free(blob);
}
END_TEST

START_TEST(test_no_clear_text)
{
	unsigned char key[SECRET_KEY_LEN];
	static const char *const secrets[] = {
		"correct horse battery staple",
		"0123456789abcdef0123456789abcdef",	/* looks like hex */
		"deadbeefdeadbeefdeadbeefdeadbeef",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	};
	char	 hex[2 * SECRET_MAX_LEN + 1];
	size_t	 i, r;

	test_key(key, 20);
	for (i = 0; i < nitems(secrets); i++) {
		size_t len = strlen(secrets[i]);
		hex_encode((const unsigned char *)secrets[i], len, hex);
		for (r = 0; r < 20; r++) {
			char *blob = secret_encrypt(key, "aad",
			    (const unsigned char *)secrets[i], len);
			ck_assert_ptr_nonnull(blob);
			ck_assert_msg(strstr(blob, hex) == NULL,
			    "hex of '%s' in blob", secrets[i]);
			ck_assert_msg(memmem(blob, strlen(blob), secrets[i],
			    len) == NULL, "'%s' in blob", secrets[i]);
			/* nor any 8-byte piece of it */
			{
				size_t o;
				for (o = 0; o + 8 <= len; o++) {
					char piece[17];
					memcpy(piece, hex + 2 * o, 16);
					piece[16] = '\0';
					ck_assert_msg(strstr(blob, piece) ==
					    NULL, "piece %s of '%s' in blob",
					    piece, secrets[i]);
				}
			}
			free(blob);
		}
	}
}
END_TEST

static TCase *
tc_new(const char *name, int tmp)
{
	TCase	*tc = tcase_create(name);

	tcase_set_timeout(tc, 120);
	if (tmp) {
		tcase_add_unchecked_fixture(tc, tmp_base_make,
		    tmp_base_remove);
		tcase_add_checked_fixture(tc, tmp_dir_make, tmp_dir_remove);
	}
	return tc;
}

static Suite *
secret_suite(void)
{
	Suite	*s = suite_create("secret");
	TCase	*tc;

	tc = tc_new("key", 1);
	tcase_add_test(tc, test_key_create_and_reload);
	tcase_add_test(tc, test_key_two_files_differ);
	tcase_add_test(tc, test_key_reads_existing);
	tcase_add_loop_test(tc, test_key_bad_mode, 0, (int)nitems(bad_modes));
	tcase_add_loop_test(tc, test_key_bad_size, 0, (int)nitems(bad_sizes));
	tcase_add_test(tc, test_key_not_regular);
	tcase_add_test(tc, test_key_no_directory);
	if (geteuid() == 0)
		tcase_add_test(tc, test_key_other_owner);
	suite_add_tcase(s, tc);

	tc = tc_new("blob", 0);
	tcase_add_loop_test(tc, test_round_trip, 0, (int)nitems(rt_lengths));
	tcase_add_test(tc, test_too_long);
	tcase_add_test(tc, test_random_nonce);
	tcase_add_test(tc, test_wrong_aad_and_key);
	tcase_add_loop_test(tc, test_every_bit_flip, 0,
	    (int)nitems(flip_lengths));
	tcase_add_test(tc, test_truncated_and_extended);
	tcase_add_test(tc, test_bad_version);
	tcase_add_test(tc, test_not_hex);
	tcase_add_test(tc, test_no_clear_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(secret_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
