#ifndef WAREHOUSE_CSQLITE3_SHIM_H
#define WAREHOUSE_CSQLITE3_SHIM_H
#include <sqlite3.h>
#endif
