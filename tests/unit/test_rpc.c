/*
 * test_rpc.c: the method table is sorted (rpc_request bsearches it) and
 * holds every method of the protocol this build serves; parameters a
 * method does not take are refused before it runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "proto.h"
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
	    "feeds.add", "feeds.edit", "feeds.remove", "feeds.poll", "feeds.explain",
	    "items.get", "items.list", "items.mark", "items.search",
	    "consumer.fetch",
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

/* Every method lists its parameters, or unknown ones would pass. */
static void
test_rpc_methods_list_their_params(void **state)
{
	size_t	i;

	for (i = 0; i < rpc_method_count(); i++)
		if (rpc_method_params(i) == NULL)
			fail_msg("method %s: no parameter list in rpc_methods[]",
			    rpc_method_name(i));
}

static void
test_rpc_unknown_params(void **state)
{
	json_t	*p;
	char	*msg = NULL;

	p = json_pack("{s:b, s:i}", "unread", 1, "limit", 5);
	assert_int_equal(rpc_check_params("items.list", p, &msg), 0);
	assert_null(msg);
	json_object_set_new(p, "stared", json_true());
	assert_int_equal(rpc_check_params("items.list", p, &msg),
	    RPC_INVALID_PARAMS);
	assert_non_null(strstr(msg, "\"stared\""));
	assert_non_null(strstr(msg, "items.list takes"));
	free(msg);
	msg = NULL;
	/* A prefix or a longer word of a known name is not it. */
	json_decref(p);
	p = json_pack("{s:b}", "star", 1);
	assert_int_equal(rpc_check_params("items.list", p, &msg),
	    RPC_INVALID_PARAMS);
	free(msg);
	msg = NULL;
	json_decref(p);
	p = json_pack("{s:b}", "starredx", 1);
	assert_int_equal(rpc_check_params("items.list", p, &msg),
	    RPC_INVALID_PARAMS);
	free(msg);
	msg = NULL;
	json_decref(p);
	p = json_pack("{s:b}", "", 1);
	assert_int_equal(rpc_check_params("items.list", p, &msg),
	    RPC_INVALID_PARAMS);
	free(msg);
	msg = NULL;
	json_decref(p);
	/* A method that takes none. */
	p = json_pack("{s:i}", "x", 1);
	assert_int_equal(rpc_check_params("status", p, &msg),
	    RPC_INVALID_PARAMS);
	assert_non_null(strstr(msg, "status takes none"));
	free(msg);
	msg = NULL;
	json_decref(p);
	/* Empty, null or left out: fine; not an object: refused. */
	p = json_object();
	assert_int_equal(rpc_check_params("status", p, &msg), 0);
	json_decref(p);
	assert_int_equal(rpc_check_params("watch", NULL, &msg), 0);
	p = json_null();
	assert_int_equal(rpc_check_params("watch", p, &msg), 0);
	p = json_pack("[i]", 1);
	assert_int_equal(rpc_check_params("watch", p, &msg),
	    RPC_INVALID_PARAMS);
	free(msg);
	msg = NULL;
	json_decref(p);
	assert_int_equal(rpc_check_params("nope", NULL, &msg),
	    RPC_METHOD_NOT_FOUND);
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpc_methods_sorted),
		cmocka_unit_test(test_rpc_methods_of_the_contract),
		cmocka_unit_test(test_rpc_methods_list_their_params),
		cmocka_unit_test(test_rpc_unknown_params),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
