/*
 * rpc-opml.c: opml.import (on the writer) and opml.export.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "opml.h"
#include "poller.h"
#include "rpc-int.h"
#include "rpc.h"
#include "store.h"
#include "url.h"
#include "xmalloc.h"

/*
 * opml.import {opml}: the text of an OPML document or of a newsboat urls
 * file; each feed added, already present, invalid or unsupported.  New
 * feeds are polled a little later rather than at once, so that the
 * "feedctl poll --wait" that usually follows polls each of them once.
 */
/*
 * On the writer: each outline added, present, invalid or unsupported;
 * the ids it added are left in w->ids for the loop to schedule.
 */
static int
rpc_opml_import_run(struct store *s, struct rpc_write *w, char **cause)
{
	struct store_feed_conf	 sc;
	struct opml_outline	*v = w->outlines;
	struct store_feed	*f;
	json_t			*res, *o;
	const char		*what, *bad;
	char			*why = NULL, *norm;
	size_t			 i, present = 0, invalid = 0, unsupported = 0;
	int64_t			 id;

	res = json_array();
	w->ids = xcalloc(w->noutlines + 1, sizeof(*w->ids));
	for (i = 0; i < w->noutlines; i++) {
		o = json_pack("{s:s, s:i}", "url", v[i].url, "line",
		    (int)v[i].line);
		if (v[i].problem != NULL) {
			unsupported++;
			json_object_set_new(o, "result",
			    json_string("unsupported"));
			json_object_set_new(o, "reason",
			    json_string(v[i].problem));
			json_array_append_new(res, o);
			continue;
		}
		if ((norm = url_feed(v[i].url, &bad)) == NULL) {
			invalid++;
			json_object_set_new(o, "result", json_string("invalid"));
			json_object_set_new(o, "reason", json_string(bad));
			json_array_append_new(res, o);
			continue;
		}
		free(norm);	/* store_feed_add() stores this form */
		if (v[i].twin_of != 0) {
			present++;
			json_object_set_new(o, "result", json_string("present"));
			xasprintf(&why, "listed at line %u too: its folder "
			    "and categories are tags of that feed",
			    v[i].twin_of);
			json_object_set_new(o, "reason", json_string(why));
			free(why);
			why = NULL;
			json_array_append_new(res, o);
			continue;
		}
		if ((f = store_feed_find(s, v[i].url)) != NULL) {
			store_feed_free(f);
			present++;
			json_object_set_new(o, "result", json_string("present"));
			json_array_append_new(res, o);
			continue;
		}
		memset(&sc, 0, sizeof(sc));
		sc.url = v[i].url;
		sc.title = v[i].title;
		sc.tags = (const char *const *)v[i].tags;
		sc.ntags = v[i].ntags;
		sc.interval = -1;
		sc.enabled = 1;
		sc.origin = STORE_ORIGIN_RUNTIME;
		if (store_feed_add(s, &sc, &id, &why) != 0) {
			invalid++;
			what = "invalid";
			json_object_set_new(o, "reason", json_string(why));
			free(why);
			why = NULL;
		} else {
			w->ids[w->n++] = id;
			what = "added";
			json_object_set_new(o, "feed", json_integer(id));
		}
		json_object_set_new(o, "result", json_string(what));
		json_array_append_new(res, o);
	}
	w->result = json_pack("{s:I, s:I, s:I, s:I, s:o}", "added",
	    (json_int_t)w->n, "present", (json_int_t)present, "invalid",
	    (json_int_t)invalid, "unsupported", (json_int_t)unsupported,
	    "outlines", res);
	return (0);
}

static int
rpc_opml_import_done(struct rpc_write *w, json_t **result, char **message)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		poller_feed_later(w->rpc->poller, w->ids[i], i + 1);
	*result = w->result;
	w->result = NULL;
	return (0);
}

/*
 * opml.import {opml}: the text of an OPML document or of a newsboat urls
 * file; each feed added, already present, invalid or unsupported.  New
 * feeds are polled a little later rather than at once, so that the
 * "feedctl poll --wait" that usually follows polls each of them once.
 */
int
rpc_opml_import(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct rpc_write	*w;
	struct opml_outline	*v;
	const char		*text = NULL;
	char			*cause = NULL;
	size_t			 n;

	if (rpc_str(params, "opml", &text) != 1)
		return (rpc_bad(message, "%s (the document) is required",
		    "opml"));
	if (opml_parse_any(text, strlen(text), &v, &n, &cause) != 0)
		return (rpc_failed(message, cause));
	w = rpc_write_new(r, params);
	w->outlines = v;
	w->noutlines = n;
	return (rpc_write_submit(w, rpc_opml_import_run,
	    rpc_opml_import_done));
}

int
rpc_opml_export(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_feed	**v;
	size_t			  n;
	char			 *text;

	if (store_feeds_list(r->store, NULL, &v, &n) != 0)
		return (rpc_store_failed(r, "cannot list feeds", message));
	text = opml_write(v, n);
	store_feeds_free(v, n);
	*result = json_pack("{s:s}", "opml", text);
	free(text);
	return (0);
}

