/*
 * storedump.c: what is in a feedd database, as JSON lines, for the
 * integration tests (which must not depend on the socket API).
 *
 *	storedump DB feeds		one feed per line
 *	storedump DB items [FEED_ID]	one item per line, oldest first
 *	storedump DB add URL		subscribe as "feedctl add" will
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store-json.h"
#include "store.h"

static void
print(json_t *j)
{
	char	*s = json_dumps(j, JSON_COMPACT);

	if (s != NULL)
		puts(s);
	free(s);
	json_decref(j);
}

int
main(int argc, char **argv)
{
	struct store		 *s;
	struct store_feed	**feeds;
	struct store_item	 *items;
	struct store_query	  q;
	size_t			  n, i;
	char			 *cause = NULL;
	int			  rc = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: storedump DB feeds|items [FEED_ID]|add URL\n");
		return (2);
	}
	if ((s = store_open(argv[1], &cause)) == NULL) {
		fprintf(stderr, "storedump: %s\n", cause);
		free(cause);
		return (1);
	}
	if (strcmp(argv[2], "feeds") == 0) {
		if (store_feeds_list(s, NULL, &feeds, &n) != 0)
			rc = 1;
		for (i = 0; rc == 0 && i < n; i++)
			print(store_json_feed(feeds[i]));
		if (rc == 0)
			store_feeds_free(feeds, n);
	} else if (strcmp(argv[2], "items") == 0) {
		memset(&q, 0, sizeof(q));
		q.feed_id = argc > 3 ? atoll(argv[3]) : 0;
		q.limit = STORE_MAX_LIMIT;
		do {
			if (store_items_list(s, &q, &items, &n, &cause) != 0) {
				fprintf(stderr, "storedump: %s\n", cause);
				free(cause);
				rc = 1;
				break;
			}
			for (i = 0; i < n; i++)
				print(store_json_item(&items[i]));
			if (n > 0)
				q.since = items[n - 1].id;
			store_items_free(items, n);
		} while (n == STORE_MAX_LIMIT);
	} else if (strcmp(argv[2], "add") == 0 && argc > 3) {
		struct store_feed_conf	conf;
		int64_t			id;

		memset(&conf, 0, sizeof(conf));
		conf.url = argv[3];
		conf.interval = -1;
		conf.enabled = 1;
		conf.origin = STORE_ORIGIN_RUNTIME;
		if (store_feed_add(s, &conf, &id, &cause) != 0) {
			fprintf(stderr, "storedump: %s\n", cause);
			free(cause);
			rc = 1;
		} else
			printf("%lld\n", (long long)id);
	} else {
		fprintf(stderr, "storedump: unknown command %s\n", argv[2]);
		rc = 2;
	}
	store_close(s);
	return (rc);
}
