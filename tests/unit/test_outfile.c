/*
 * outfile (tools/outfile): a tool's output appears whole or not at all.
 * Each case checks the destination afterwards and that no temporary is
 * left in its directory.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "outfile.h"
#include "testutil.h"

static char dir[256];

static void
path_in(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

/* The number of entries in the test directory (without . and ..). */
static int
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n +=
		    strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void
put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *
get_file(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_outfile.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_new_file_has_the_bytes_and_plain_permissions(void **state)
{
	char p[300];
	struct stat st;
	mode_t old = umask(022);

	(void)state;
	path_in(p, sizeof p, "out.bin");
	assert_int_equal(outfile_write("t", p, "hello\n", 6), 0);
	umask(old);
	assert_string_equal(get_file(p), "hello\n");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(entries(), 1);
}

static void
test_replaces_an_existing_file_whole(void **state)
{
	char p[300];
	struct outfile o;

	(void)state;
	path_in(p, sizeof p, "ledger");
	put_file(p, "old contents\n");
	assert_int_equal(outfile_open(&o, "t", p), 0);
	fputs("new", o.f);
	/* Until the commit, readers still see the old file. */
	assert_string_equal(get_file(p), "old contents\n");
	assert_int_equal(entries(), 2);
	fputs(" contents\n", o.f);
	assert_int_equal(outfile_commit(&o), 0);
	assert_string_equal(get_file(p), "new contents\n");
	assert_int_equal(entries(), 1);
}

static void
test_abort_leaves_the_destination_alone(void **state)
{
	char p[300];
	struct outfile o;

	(void)state;
	path_in(p, sizeof p, "keep");
	put_file(p, "keep me\n");
	assert_int_equal(outfile_open(&o, "t", p), 0);
	fputs("half a fi", o.f);
	outfile_abort(&o);
	assert_string_equal(get_file(p), "keep me\n");
	assert_int_equal(entries(), 1);
}

static void
test_missing_directory_is_refused_with_its_path(void **state)
{
	char p[300];
	char *err;
	int saved = dup(STDERR_FILENO);
	FILE *tmp = tmpfile();

	(void)state;
	path_in(p, sizeof p, "no/such/dir/out");
	dup2(fileno(tmp), STDERR_FILENO);
	assert_int_equal(outfile_write("tool", p, "x", 1), -1);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	err = calloc(1, 1024);
	assert_non_null(err);
	assert_true(fread(err, 1, 1023, tmp) > 0);
	fclose(tmp);
	assert_non_null(strstr(err, "tool: "));
	assert_non_null(strstr(err, "no/such/dir/out"));
	free(err);
	assert_int_equal(entries(), 0);
}

static void
test_failed_rename_removes_the_temporary(void **state)
{
	char p[300];

	(void)state;
	/* The destination is a non-empty directory: rename must fail. */
	path_in(p, sizeof p, "adir");
	assert_int_equal(mkdir(p, 0755), 0);
	{
		char q[320];

		snprintf(q, sizeof q, "%s/inside", p);
		put_file(q, "x");
	}
	assert_int_equal(outfile_write("t", p, "data", 4), -1);
	assert_int_equal(entries(), 1);
	{
		struct stat st;

		assert_int_equal(stat(p, &st), 0);
		assert_true(S_ISDIR(st.st_mode));
	}
}

static void
test_write_error_keeps_the_old_file(void **state)
{
	static char big[1 << 16];
	struct rlimit old, small = { 4096, 4096 };
	char p[300];

	(void)state;
	path_in(p, sizeof p, "full");
	put_file(p, "old\n");
	memset(big, 'z', sizeof big);
	/* A file size limit makes the writes fail (EFBIG) part way. */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	assert_int_equal(outfile_write("t", p, big, sizeof big), -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_string_equal(get_file(p), "old\n");
	assert_int_equal(entries(), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_new_file_has_the_bytes_and_plain_permissions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_replaces_an_existing_file_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_abort_leaves_the_destination_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_missing_directory_is_refused_with_its_path, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_failed_rename_removes_the_temporary, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_write_error_keeps_the_old_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
