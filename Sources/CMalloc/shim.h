#ifndef WAREHOUSE_CMALLOC_SHIM_H
#define WAREHOUSE_CMALLOC_SHIM_H
/* glibc's malloc_trim and mallopt, which Swift's Glibc module does not export; no-ops elsewhere. */
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
static inline void wh_return_freed_memory(void) { malloc_trim(0); }
static inline void wh_use_one_malloc_arena(void) { mallopt(M_ARENA_MAX, 1); }
#else
static inline void wh_return_freed_memory(void) {}
static inline void wh_use_one_malloc_arena(void) {}
#endif
#endif
