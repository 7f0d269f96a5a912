/* tmpdir: scratch directories for the Check suites. */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include <check.h>

#include "tmpdir.h"

char tmp_base[256], tmp_dir[300];

void
tmp_base_make(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmp_base, sizeof(tmp_base), "%s/%s.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp", program_invocation_short_name);
	if (mkdtemp(tmp_base) == NULL) {
		perror(tmp_base);
		exit(EXIT_FAILURE);
	}
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
tree_remove(char *dir)
{
	if (dir[0] != '\0')
		nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	dir[0] = '\0';
}

void
tmp_base_remove(void)
{
	tree_remove(tmp_base);
}

void
tmp_dir_make(void)
{
	snprintf(tmp_dir, sizeof(tmp_dir), "%s/t.XXXXXX", tmp_base);
	ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

void
tmp_dir_remove(void)
{
	tree_remove(tmp_dir);
}
