/*
 * test_http.c: the HTTP engine runs its callers' transfers on the loop
 * and calls each back once with curl's result (the callback frees its
 * handle, as callers do); a cancelled transfer never calls back; at
 * shutdown every transfer still under way is told it was aborted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <event2/event.h>

#include "http.h"
#include "loop.h"
#include "xmalloc.h"

#define NXFERS		3
#define BODY_LEN	5000

struct fixture {
	char			 path[64];
	char			 url[96];
	struct event_base	*base;
	struct http		*http;
	int			 done;		/* callbacks so far */
	int			 codes[NXFERS];
	size_t			 bytes[NXFERS];
	int			 stop_after;	/* leave the loop after N */
};

struct xfer {
	struct fixture	*fx;
	int		 n;
	CURL		*easy;
};

static size_t
write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct xfer	*x = arg;

	x->fx->bytes[x->n] += size * n;
	return (size * n);
}

/* Frees the handle here: the engine let it go before calling. */
static void
done_cb(void *easy, int code, void *arg)
{
	struct xfer	*x = arg;
	struct fixture	*fx = x->fx;

	assert_ptr_equal(easy, x->easy);
	fx->codes[x->n] = code;
	curl_easy_cleanup(easy);
	x->easy = NULL;
	if (++fx->done == fx->stop_after)
		event_base_loopbreak(fx->base);
}

static void
start(struct fixture *fx, struct xfer *x, int n)
{
	x->fx = fx;
	x->n = n;
	assert_non_null(x->easy = curl_easy_init());
	curl_easy_setopt(x->easy, CURLOPT_URL, fx->url);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	assert_int_equal(http_start(fx->http, x->easy, LOOP_PRIO_URGENT,
	    done_cb, x), 0);
}

/* Runs the loop for at most "ms" (or until stop_after callbacks). */
static void
run(struct fixture *fx, long ms)
{
	struct timeval	tv = { ms / 1000, (ms % 1000) * 1000 };

	event_base_loopexit(fx->base, &tv);
	event_base_dispatch(fx->base);
}

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof(*fx));
	char		 body[BODY_LEN];
	FILE		*f;
	int		 fd;

	snprintf(fx->path, sizeof(fx->path), "/tmp/feedd-http-XXXXXX");
	assert_true((fd = mkstemp(fx->path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	memset(body, 'x', sizeof(body));
	assert_int_equal(fwrite(body, 1, sizeof(body), f), sizeof(body));
	fclose(f);
	snprintf(fx->url, sizeof(fx->url), "file://%s", fx->path);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	fx->base = loop_new();
	fx->http = http_new(fx->base);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	http_free(fx->http);
	event_base_free(fx->base);
	curl_global_cleanup();
	unlink(fx->path);
	free(fx);
	return (0);
}

static void
test_http_transfers_call_back_once_done(void **state)
{
	struct fixture	*fx = *state;
	struct xfer	 x[NXFERS];
	int		 i;

	for (i = 0; i < NXFERS; i++)
		start(fx, &x[i], i);
	fx->stop_after = NXFERS;
	run(fx, 10000);
	assert_int_equal(fx->done, NXFERS);
	for (i = 0; i < NXFERS; i++) {
		assert_int_equal(fx->codes[i], CURLE_OK);
		assert_int_equal(fx->bytes[i], BODY_LEN);
		assert_null(x[i].easy);
	}
}

static void
test_http_cancel_never_calls_back(void **state)
{
	struct fixture	*fx = *state;
	struct xfer	 x[2];

	start(fx, &x[0], 0);
	start(fx, &x[1], 1);
	http_cancel(fx->http, x[0].easy);
	fx->stop_after = 2;
	run(fx, 500);
	/* Only the other one ended; the cancelled handle is the caller's. */
	assert_int_equal(fx->done, 1);
	assert_null(x[1].easy);
	assert_non_null(x[0].easy);
	assert_int_equal(fx->bytes[0], 0);
	curl_easy_cleanup(x[0].easy);
}

static void
test_http_abort_tells_every_transfer(void **state)
{
	struct fixture	*fx = *state;
	struct xfer	 x[NXFERS];
	int		 i;

	for (i = 0; i < NXFERS; i++)
		start(fx, &x[i], i);
	http_abort(fx->http);
	assert_int_equal(fx->done, NXFERS);
	for (i = 0; i < NXFERS; i++) {
		assert_int_equal(fx->codes[i], CURLE_ABORTED_BY_CALLBACK);
		assert_null(x[i].easy);
	}
	/* Nothing is left to run. */
	run(fx, 200);
	assert_int_equal(fx->done, NXFERS);
}

/* http_free() aborts what still runs, with the callbacks. */
static void
test_http_free_aborts(void **state)
{
	struct fixture	*fx = *state;
	struct xfer	 x;

	start(fx, &x, 0);
	http_free(fx->http);
	fx->http = NULL;
	assert_int_equal(fx->done, 1);
	assert_int_equal(fx->codes[0], CURLE_ABORTED_BY_CALLBACK);
	assert_null(x.easy);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_http_transfers_call_back_once_done, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_http_cancel_never_calls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_http_abort_tells_every_transfer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_http_free_aborts, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
