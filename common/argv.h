/*
 * argv.h: a command line from the config file split into words the way
 * a shell would split a simple command ("quotes", 'quotes', backslash
 * escapes), with no expansion of any kind: notifiers run commands
 * without a shell.
 */
#ifndef FEEDD_ARGV_H
#define FEEDD_ARGV_H

#include <stddef.h>

char	**argv_split(const char *, size_t *, const char **);
void	  argv_free(char **);

#endif /* FEEDD_ARGV_H */
