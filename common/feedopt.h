/*
 * feedopt.h: a feed's own HTTP settings (user_agent, headers, cookie,
 * credentials, proxy, charset, timeout, max_feed_size) and
 * notify_first_poll, from a [feed] section or feedctl add/edit; stored
 * as a JSON object with the feed.
 */
#ifndef FEEDD_FEEDOPT_H
#define FEEDD_FEEDOPT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct feedopt {
	char		 *user_agent;
	char		**headers;		/* "Name: value" */
	size_t		  nheaders;
	char		 *cookie;
	char		 *username;
	char		 *password;
	char		 *password_file;	/* absolute */
	char		 *proxy;
	char		 *charset;
	int64_t		  timeout;		/* seconds; -1: the daemon's */
	int64_t		  max_size;		/* bytes; -1: the daemon's */
	int		  notify_first_poll;	/* -1: not said */
};

#define FEEDOPT_MASK	"********"

void	 feedopt_init(struct feedopt *);
void	 feedopt_clear(struct feedopt *);
int	 feedopt_is_key(const char *);
int	 feedopt_set(struct feedopt *, const char *, const char *, char **);
char	*feedopt_to_json(const struct feedopt *);
int	 feedopt_from_json(const char *, struct feedopt *, char **);
json_t	*feedopt_public(const struct feedopt *);
char	*feedopt_password(const struct feedopt *, char **);
char	*feedopt_mask_url(const char *);
json_t	*feedopt_public_json(const char *);
int	 feedopt_set_json(struct feedopt *, const char *, json_t *, char **);
char	*feedopt_take_userinfo(struct feedopt *, const char *);

#endif /* FEEDD_FEEDOPT_H */
