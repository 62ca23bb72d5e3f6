/*
 * test_rpc.c: the method table is sorted (rpc_request bsearches it) and
 * holds every method of DESIGN.md this build serves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "rpc.h"

static void
test_rpc_methods_sorted(void **state)
{
	size_t	i;

	assert_true(rpc_method_count() > 0);
	for (i = 1; i < rpc_method_count(); i++)
		assert_true(strcmp(rpc_method_name(i - 1),
		    rpc_method_name(i)) < 0);
	assert_null(rpc_method_name(rpc_method_count()));
}

static void
test_rpc_methods_of_the_contract(void **state)
{
	static const char *const want[] = { "status", "feeds.list",
	    "feeds.add", "feeds.edit", "feeds.remove", "feeds.poll",
	    "feeds.explain",
	    "items.list", "items.mark", "items.search", "consumer.fetch",
	    "consumer.ack", "metrics", "watch", "opml.import", "opml.export",
	    "notify.test", "notify.retry" };
	size_t	i, j;

	for (i = 0; i < sizeof(want) / sizeof(*want); i++) {
		for (j = 0; j < rpc_method_count(); j++)
			if (strcmp(want[i], rpc_method_name(j)) == 0)
				break;
		if (j == rpc_method_count())
			fail_msg("method %s missing", want[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpc_methods_sorted),
		cmocka_unit_test(test_rpc_methods_of_the_contract),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
