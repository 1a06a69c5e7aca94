// libedit's readline-compatible API. The editline/ path matters: GNU readline's headers (GPL) may also
// be installed, and <readline/readline.h> would pick those up instead.
#include <stdio.h>
#include <editline/readline.h>
