/*
 * notify-mail.c: a mail notifier's delivery: the message (mail.c), one
 * item or a digest, piped to the sendmail command run as a child.
 */
#include <string.h>
#include <time.h>

#include "conf.h"
#include "mail.h"
#include "notify-int.h"
#include "spawn.h"
#include "xmalloc.h"

/* One message (a digest: of all "n" rows) on sendmail's stdin. */
int
notify_mail_start(struct delivery *dl, const struct store_delivery *d,
    size_t n, char **cause)
{
	struct notifier		*nf = dl->nf;
	struct mail_opts	 o;
	char			*msg;

	memset(&o, 0, sizeof(o));
	o.to = nf->cn->to;
	o.from = nf->cn->from;
	o.notifier = nf->name;
	o.now = (int64_t)time(NULL);
	msg = mail_message(&o, d, n, nf->digest);
	dl->timeout = nf->cn->timeout;
	dl->child = spawn_start(nf->n->spawner, nf->argv, NULL, msg,
	    strlen(msg), dl->timeout, notify_spawn_done, dl, cause);
	free(msg);
	return (dl->child != NULL ? 0 : -1);
}
