/* SPDX-License-Identifier: MIT */
/* The core helpers: arena, buffer limit and sticky error, checked integer
 * parsing, UTF-8 validation, error filling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

static void
test_arena_alloc_is_zeroed_aligned_and_survives_large_blocks(void **state)
{
	struct arena a;
	char *big;
	long double *ld;

	(void)state;
	arena_init(&a, 64);
	for (int i = 0; i < 100; i++) {
		unsigned char *p = arena_alloc(&a, 24);
		for (int k = 0; k < 24; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xab, 24);
	}
	big = arena_alloc(&a, 100000);
	memset(big, 1, 100000);
	ld = arena_alloc(&a, sizeof(*ld));
	assert_int_equal((uintptr_t)ld % _Alignof(max_align_t), 0);
	assert_string_equal(arena_printf(&a, "%s-%d", "ab", 7), "ab-7");
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	assert_null(arena_strdup(&a, NULL));
	arena_release(&a);
}

static void
test_arena_grow_keeps_elements_and_doubles(void **state)
{
	struct arena a;
	size_t cap = 2, n = 0;
	int *v;

	(void)state;
	arena_init(&a, 0);
	v = arena_alloc(&a, cap * sizeof(*v));
	for (int i = 0; i < 1000; i++) {
		if (n == cap)
			v = arena_grow(&a, v, n, &cap, sizeof(*v));
		v[n++] = i;
	}
	assert_true(cap >= 1000);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], i);
	arena_release(&a);
}

static void
test_buf_stops_at_its_limit_with_a_sticky_error(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	buf_adds(&b, "12345");
	assert_false(buf_failed(&b));
	buf_adds(&b, "6789");
	assert_true(buf_failed(&b));
	buf_adds(&b, "x");
	assert_string_equal(b.p, "12345");
	assert_int_equal(b.len, 5);
	buf_reset(&b);
	buf_addf(&b, "%d", 1234567);
	assert_false(buf_failed(&b));
	assert_string_equal(b.p, "1234567");
	buf_release(&b);
}

static void
test_str_to_i64_rejects_junk_and_range(void **state)
{
	int64_t v;

	(void)state;
	assert_true(str_to_i64("42", 0, 100, &v));
	assert_int_equal(v, 42);
	assert_true(str_to_i64("-9223372036854775808", INT64_MIN, 0, &v));
	assert_false(str_to_i64("9223372036854775808", 0, INT64_MAX, &v));
	assert_false(str_to_i64("", 0, 10, &v));
	assert_false(str_to_i64(" 1", 0, 10, &v));
	assert_false(str_to_i64("1 ", 0, 10, &v));
	assert_false(str_to_i64("1x", 0, 10, &v));
	assert_false(str_to_i64("11", 0, 10, &v));
	assert_true(str_to_i64_len("123abc", 3, 0, 1000, &v));
	assert_int_equal(v, 123);
}

static void
test_utf8_validation(void **state)
{
	(void)state;
	assert_true(
	    str_valid_utf8("Ærø Østby Åsane", strlen("Ærø Østby Åsane")));
	assert_true(str_valid_utf8("\xF0\x9F\x98\x80", 4));  /* U+1F600 */
	assert_false(str_valid_utf8("\xC3", 1));	     /* truncated */
	assert_false(str_valid_utf8("\xC0\xAF", 2));	     /* overlong '/' */
	assert_false(str_valid_utf8("\xED\xA0\x80", 3));     /* surrogate */
	assert_false(str_valid_utf8("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(str_valid_utf8("a\0b", 3));	     /* NUL */
	assert_false(str_valid_utf8("\xFF", 1));
}

static void
test_errors_carry_code_field_and_message(void **state)
{
	struct av_error err = {0};

	(void)state;
	assert_int_equal(av_field_errorf(&err, AV_EINVAL, "email",
					 "'%s' is not an e-mail address",
					 "email"),
			 AV_EINVAL);
	assert_string_equal(err.field, "email");
	assert_string_equal(err.msg, "'email' is not an e-mail address");
	assert_string_equal(av_errname(AV_ESTALE), "stale_version");
	assert_string_equal(av_strerror(AV_ERR__MAX), "unknown error");
	av_error_clear(&err);
	assert_int_equal(err.code, AV_OK);
	assert_string_equal(err.field, "");
	assert_int_equal(av_errorf(NULL, AV_EDB, "x"), AV_EDB);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		test_arena_alloc_is_zeroed_aligned_and_survives_large_blocks),
	    cmocka_unit_test(test_arena_grow_keeps_elements_and_doubles),
	    cmocka_unit_test(test_buf_stops_at_its_limit_with_a_sticky_error),
	    cmocka_unit_test(test_str_to_i64_rejects_junk_and_range),
	    cmocka_unit_test(test_utf8_validation),
	    cmocka_unit_test(test_errors_carry_code_field_and_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
