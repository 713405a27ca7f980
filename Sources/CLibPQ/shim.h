#ifndef WAREHOUSE_CLIBPQ_SHIM_H
#define WAREHOUSE_CLIBPQ_SHIM_H
#include <libpq-fe.h>

/* Field codes for PQresultErrorField: macros Swift cannot import as typed constants. */
static inline int wh_pg_diag_sqlstate(void) { return 'C'; }
static inline int wh_pg_diag_message_primary(void) { return 'M'; }
static inline int wh_pg_diag_message_detail(void) { return 'D'; }
static inline int wh_pg_diag_message_hint(void) { return 'H'; }
static inline int wh_pg_diag_constraint_name(void) { return 'n'; }
static inline int wh_pg_diag_severity(void) { return 'V'; }
static inline int wh_pg_diag_table_name(void) { return 't'; }
static inline int wh_pg_diag_column_name(void) { return 'c'; }
#endif
