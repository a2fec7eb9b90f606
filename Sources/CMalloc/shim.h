// glibc's malloc extensions (malloc_trim), for giving back what threads freed in their own arenas.
#if defined(__GLIBC__) || __has_include(<malloc.h>)
#include <malloc.h>
#endif
