#ifndef WAREHOUSE_CMALLOC_SHIM_H
#define WAREHOUSE_CMALLOC_SHIM_H
/* glibc's malloc_trim, which Swift's Glibc module does not export; a no-op elsewhere. */
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
static inline void wh_return_freed_memory(void) { malloc_trim(0); }
#else
static inline void wh_return_freed_memory(void) {}
#endif
#endif
