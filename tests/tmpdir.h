/* tmpdir: per-program and per-test scratch directories for the Check suites.
 * tmp_base is made and removed by an unchecked fixture (so it goes even when
 * a test fails); tmp_dir is one per test inside it. */
#ifndef SECTUN_TMPDIR_H
#define SECTUN_TMPDIR_H

extern char tmp_base[256], tmp_dir[300];

void	 tmp_base_make(void);
void	 tmp_base_remove(void);
void	 tmp_dir_make(void);
void	 tmp_dir_remove(void);

#endif
