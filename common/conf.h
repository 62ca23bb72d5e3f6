/*
 * conf.h: the configuration file (feedd.conf(5);
 * config/feedd.conf documents every key).  Loading either yields a whole,
 * cross-checked configuration or one "PATH:LINE: message".
 *
 * conf.c is the only user of inih (-linih) in common/.
 */
#ifndef FEEDD_CONF_H
#define FEEDD_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "feedopt.h"

/* [feed "URL"] */
struct conf_feed {
	char		 *url;		/* as written; file:REL made absolute */
	char		 *title;	/* NULL: the feed's own */
	char		**tags;
	size_t		  ntags;
	int64_t		  interval;	/* seconds, -1: default_interval */
	int		  enabled;	/* default 1 */
	struct feedopt	  opts;		/* its own HTTP settings */
	unsigned int	  line;		/* of the section header */
};

/* [notify "NAME"]; keys of another type are rejected, so stay unset. */
struct conf_notify {
	char		 *name;
	char		 *type;		/* "mail" "webhook" "exec" */
	char		**feeds;	/* feed URLs (resolved); none: all */
	size_t		  nfeeds;
	char		**tags;		/* none: all */
	size_t		  ntags;
	char		 *match;	/* POSIX ERE, REG_ICASE; NULL: all */
	int		  skip_repeats;	/* default 0 */
	int		  notify_first_poll;	/* default 0 */
	int64_t		  retry_initial;	/* default 30s */
	int64_t		  retry_max;	/* default 1h */
	int		  max_attempts;	/* default 10 */

	/* exec */
	char		 *command;
	int64_t		  timeout;	/* exec, mail (sendmail), webhook */
#define CONF_EXEC_TIMEOUT	30	/* seconds, by default */
#define CONF_MAIL_TIMEOUT	60

	/* mail: sendmail and mode are set (to their defaults) for mail only */
	char		 *to;
	char		 *from;		/* NULL: sendmail's own */
	char		 *sendmail;	/* "/usr/sbin/sendmail -t -oi" */
	char		 *mode;		/* "each" or "digest" */
	int64_t		  digest_interval;	/* default 1h */

	/* webhook: format is set (default "json") for webhook only */
	char		 *url;		/* http or https */
	char		 *format;	/* json slack discord matrix ntfy */
	char		 *secret;	/* HMAC key, format json only */
	char		 *token;	/* bearer or access token */

	unsigned int	  line;		/* of the section header */
};

/* [rule "NAME"]: what to do with new items that match. */
struct conf_rule {
	char		 *name;
	char		 *action;	/* "drop" "keep" "mark_read" */
	char		 *match;	/* PCRE2, case-insensitive */
	char		**fields;	/* none: title, content */
	size_t		  nfields;
	char		**feeds;	/* feed URLs (resolved); none: all */
	size_t		  nfeeds;
	char		**tags;		/* none: all */
	size_t		  ntags;
	unsigned int	  line;		/* of the section header */
};

struct conf {
	char		 *path;		/* the file read, as given */
	char		 *database;	/* absolute; $STATE_DIRECTORY/feedd.db,
					   else /var/lib/feedd/feedd.db */
	char		 *socket;	/* absolute; $RUNTIME_DIRECTORY/
					   feedd.sock, else
					   /run/feedd/feedd.sock */
	unsigned int	  socket_mode;	/* default 0660 */
	char		 *socket_group;	/* NULL: the daemon's group */
	unsigned int	  socket_group_line;	/* 0: not set; checked later */
	char		 *user_agent;	/* default "feedd/" FEEDD_VERSION */
	char		 *proxy;	/* NULL: none (curl's env vars off) */
	unsigned int	  max_parallel;	/* default 64, 1..10000 */
	unsigned int	  max_per_host;	/* default min(4, max_parallel) */
	int64_t		  default_interval;	/* seconds, default 1h */
	int64_t		  min_interval;	/* default 5m */
	int64_t		  max_interval;	/* default 1d */
	int64_t		  timeout;	/* a whole transfer, default 30s */
	int64_t		  max_feed_size;	/* bytes, default 16M */
	int64_t		  retention_age;	/* seconds, -1: keep */
	int64_t		  retention_items;	/* per feed, -1: keep */
	int		  allow_private;	/* default 0 */
	char		**allow_hosts;
	size_t		  nallow_hosts;

	struct conf_feed	*feeds;
	size_t			 nfeeds;
	struct conf_notify	*notifiers;
	size_t			 nnotifiers;
	struct conf_rule	*rules;
	size_t			 nrules;
};

struct conf		*conf_new(void);
struct conf		*conf_load(const char *, char **);
struct conf		*conf_load_string(const char *, const char *, char **);
char			*conf_socket(const char *);
const struct conf_feed	*conf_find_feed(const struct conf *, const char *);
int	 conf_parse_duration(const char *, int64_t *);
const char	*conf_duration_str(int64_t, char *, size_t);
int	 conf_parse_size(const char *, int64_t *);
int	 conf_parse_bool(const char *, int *);
int	 conf_split_list(const char *, char ***, size_t *);
int	 conf_database_is_pg(const char *);
void	 conf_free(struct conf *);

#endif /* FEEDD_CONF_H */
