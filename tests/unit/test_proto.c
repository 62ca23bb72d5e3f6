/*
 * test_proto.c: the request envelope: good requests, notifications, and
 * the right JSON-RPC error for each kind of bad line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto.h"

static int
decode(const char *line, struct proto_request *req)
{
	char	*message = NULL;
	int	 code;

	code = proto_decode(line, strlen(line), req, &message);
	if (code != 0)
		assert_non_null(message);
	else
		assert_null(message);
	free(message);
	return (code);
}

static void
test_proto_good_requests(void **state)
{
	struct proto_request	req;

	assert_int_equal(decode("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":"
	    "\"items.list\",\"params\":{\"limit\":5}}", &req), 0);
	assert_string_equal(req.method, "items.list");
	assert_int_equal(json_integer_value(req.id), 7);
	assert_int_equal(json_integer_value(json_object_get(req.params,
	    "limit")), 5);
	proto_request_clear(&req);
	/* No id: a notification; no params: none. */
	assert_int_equal(decode("{\"method\":\"status\"}", &req), 0);
	assert_null(req.id);
	assert_null(req.params);
	proto_request_clear(&req);
	assert_int_equal(decode("{\"id\":\"x\",\"method\":\"status\","
	    "\"params\":null}", &req), 0);
	assert_string_equal(json_string_value(req.id), "x");
	proto_request_clear(&req);
}

static void
test_proto_errors(void **state)
{
	struct proto_request	req;

	assert_int_equal(decode("garbage", &req), RPC_PARSE_ERROR);
	proto_request_clear(&req);
	assert_int_equal(decode("{\"id\":1,", &req), RPC_PARSE_ERROR);
	proto_request_clear(&req);
	assert_int_equal(decode("[1,2]", &req), RPC_INVALID_REQUEST);
	proto_request_clear(&req);
	assert_int_equal(decode("{\"id\":1}", &req), RPC_INVALID_REQUEST);
	assert_int_equal(json_integer_value(req.id), 1);	/* answerable */
	proto_request_clear(&req);
	assert_int_equal(decode("{\"id\":1,\"method\":5}", &req),
	    RPC_INVALID_REQUEST);
	proto_request_clear(&req);
	assert_int_equal(decode("{\"id\":[1],\"method\":\"status\"}", &req),
	    RPC_INVALID_REQUEST);
	assert_null(req.id);
	proto_request_clear(&req);
	/* jansson refuses \u0000 in text: a parse error, not a method. */
	assert_int_equal(decode("{\"id\":1,\"method\":\"a\\u0000b\"}", &req),
	    RPC_PARSE_ERROR);
	proto_request_clear(&req);
	assert_int_equal(decode("{\"id\":1,\"method\":\"status\",\"params\":"
	    "[1]}", &req), RPC_INVALID_PARAMS);
	proto_request_clear(&req);
	/* Another protocol version is refused, answerably. */
	assert_int_equal(decode("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":"
	    "\"status\"}", &req), RPC_INVALID_REQUEST);
	assert_int_equal(json_integer_value(req.id), 1);
	proto_request_clear(&req);
	assert_int_equal(decode("{\"jsonrpc\":2,\"id\":1,\"method\":"
	    "\"status\"}", &req), RPC_INVALID_REQUEST);
	proto_request_clear(&req);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proto_good_requests),
		cmocka_unit_test(test_proto_errors),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
