#ifndef WAREHOUSE_CSQLITE3_SHIM_H
#define WAREHOUSE_CSQLITE3_SHIM_H
#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call; this wraps the one setting we use.
   Turns off SQLite's global memory statistics: with them on, every allocation SQLite makes
   takes a process-wide mutex. Only works before SQLite initializes (returns SQLITE_MISUSE
   after, harmlessly). */
static inline int warehouse_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
