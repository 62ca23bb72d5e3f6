/*
 * rpc-notify.c: notify.test and notify.retry, answered once the
 * notifier has done it, and notify.list, a read answered at once.
 */

#include <stdlib.h>

#include <jansson.h>

#include "notify.h"
#include "rpc-int.h"
#include "rpc.h"
#include "store.h"
#include "xmalloc.h"

static void
rpc_notify_test_done(const char *error, void *arg)
{
	struct rpc_write	*w = arg;
	char			*why = NULL;

	/* The receiver's or curl's words alone do not say whose they are. */
	if (error != NULL)
		xasprintf(&why, "notifier %s: %s", w->notifier, error);
	rpc_write_finish(w, error != NULL ? NULL : json_pack("{s:s, s:b}",
	    "notifier", w->notifier, "delivered", 1), why);
	free(why);
}

/* The reply waits for the delivery: it says whether the sample got out. */
int
rpc_notify_test(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct rpc_write	*w;
	const char		*name = NULL;
	char			*cause = NULL;

	if (rpc_str(params, "name", &name) <= 0)
		return (rpc_bad(message, "name must be a notifier's name"));
	w = rpc_write_new(r, params);
	w->notifier = name;
	TAILQ_INSERT_TAIL(&r->writes, w, entry);
	if (notify_test(r->notify, name, rpc_notify_test_done, w,
	    &cause) != 0) {
		w->conn = NULL;		/* answered here */
		rpc_write_finish(w, NULL, NULL);
		return (rpc_failed(message, cause));
	}
	return (RPC_DEFERRED);
}

/* The revive committed (notify.c ran it on the writer). */
static void
rpc_notify_retry_cb(size_t parked, size_t waiting, const char *error,
    void *arg)
{
	struct rpc_write	*w = arg;

	rpc_write_finish(w, error != NULL ? NULL : json_pack("{s:s, s:I, "
	    "s:I, s:I}", "notifier", w->notifier,
	    "retried", (json_int_t)(parked + waiting),
	    "parked", (json_int_t)parked, "waiting", (json_int_t)waiting),
	    error);
}

int
rpc_notify_retry(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct rpc_write	*w;
	const char		*name = NULL;
	char			*cause = NULL;

	if (rpc_str(params, "name", &name) <= 0)
		return (rpc_bad(message, "name must be a notifier's name"));
	w = rpc_write_new(r, params);
	w->notifier = name;
	TAILQ_INSERT_TAIL(&r->writes, w, entry);
	if (notify_retry(r->notify, name, rpc_notify_retry_cb, w,
	    &cause) != 0) {
		w->conn = NULL;		/* answered here */
		rpc_write_finish(w, NULL, NULL);
		return (rpc_failed(message, cause));
	}
	return (RPC_DEFERRED);
}

/*
 * notify.list {name, parked?, limit?}: the notifier's queued deliveries,
 * oldest first, on the loop's connection (a read, no writer task).
 */
int
rpc_notify_list(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	const char	*name = NULL;
	char		*cause = NULL;
	int64_t		 limit = 0;
	int		 parked = 0;

	if (rpc_str(params, "name", &name) <= 0)
		return (rpc_bad(message, "name must be a notifier's name"));
	if (rpc_bool(params, "parked", &parked) < 0)
		return (rpc_bad(message, "%s must be true or false", "parked"));
	/* No paging: above the maximum is an error, not a short list. */
	if (rpc_int(params, "limit", &limit, 1) < 0 ||
	    limit > STORE_MAX_LIMIT)
		return (rpc_bad(message, "limit must be 1 to %d",
		    STORE_MAX_LIMIT));
	if ((*result = notify_list(r->notify, name, parked, (size_t)limit,
	    &cause)) == NULL)
		return (rpc_failed(message, cause));
	return (0);
}
