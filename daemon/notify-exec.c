/*
 * notify-exec.c: an exec notifier's delivery: the command, run as a
 * child (spawn.c), gets the item record on stdin and its main fields in
 * FEEDD_* variables.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "item.h"
#include "notify-int.h"
#include "spawn.h"
#include "store-json.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

/*
 * Bytes of a FEEDD_* value: Linux refuses to run a command with one
 * environment string over 128 KiB (E2BIG), and a title, link or GUID may
 * be up to 1 MiB.  The record on stdin has them whole.
 */
#define NOTIFY_EXEC_ENV_MAX	4096

static void
notify_exec_env_add(char **env, size_t *n, const char *name,
    const char *value)
{
	size_t	len;

	if (value == NULL)
		return;
	if ((len = strlen(value)) > NOTIFY_EXEC_ENV_MAX)
		len = text_utf8_cut(value, NOTIFY_EXEC_ENV_MAX);
	xasprintf(&env[(*n)++], "%s=%.*s", name, (int)len, value);
}

/* exec: the item record on stdin, its main fields in FEEDD_* variables. */
int
notify_exec_start(struct delivery *dl, const struct store_delivery *d,
    char **cause)
{
	struct notifier		*nf = dl->nf;
	const struct feed_item	*it = d->item.item;
	char			*env[12], *json, num[32];
	size_t			 nenv = 0, i;
	json_t			*j;

	j = store_json_delivery(d);
	store_json_reader(j, it, d->feed_url, 0);
	json = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	notify_exec_env_add(env, &nenv, "FEEDD_NOTIFIER", nf->name);
	snprintf(num, sizeof(num), "%" PRId64, d->item.id);
	notify_exec_env_add(env, &nenv, "FEEDD_ID", num);
	snprintf(num, sizeof(num), "%" PRId64, d->item.feed_id);
	notify_exec_env_add(env, &nenv, "FEEDD_FEED_ID", num);
	notify_exec_env_add(env, &nenv, "FEEDD_FEED", d->feed_title != NULL ?
	    d->feed_title : d->feed_url);
	notify_exec_env_add(env, &nenv, "FEEDD_FEED_URL", d->feed_url);
	notify_exec_env_add(env, &nenv, "FEEDD_TITLE", it->title != NULL ?
	    it->title : "");
	notify_exec_env_add(env, &nenv, "FEEDD_LINK", it->link != NULL ?
	    it->link : "");
	notify_exec_env_add(env, &nenv, "FEEDD_GUID", it->guid != NULL ?
	    it->guid : "");
	env[nenv] = NULL;
	dl->timeout = nf->cn->timeout;
	dl->child = spawn_start(nf->n->spawner, nf->argv, env, json,
	    json != NULL ? strlen(json) : 0, dl->timeout,
	    notify_spawn_done, dl, cause);
	for (i = 0; i < nenv; i++)
		free(env[i]);
	free(json);
	return (dl->child != NULL ? 0 : -1);
}
