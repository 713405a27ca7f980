#!/bin/sh
# The image's entry point: runs `warehouse ARGS…` after reading secrets from files.
#
#   PGPASSWORD_FILE                  a file holding the database password, as it is
#   WAREHOUSE_DASHBOARD_TOKEN_FILE   a file holding the dashboard's access token
#
# libpq reads PGPASSWORD itself when DATABASE_URL carries no password, so the password needs no
# URL encoding and never appears in a URL, an option or a log. Like POSTGRES_PASSWORD_FILE in
# the postgres image, trailing line breaks are dropped, so `echo secret > file` works too.
set -eu

if [ -n "${PGPASSWORD_FILE:-}" ]; then
    PGPASSWORD=$(cat "$PGPASSWORD_FILE")
    export PGPASSWORD
fi
if [ -n "${WAREHOUSE_DASHBOARD_TOKEN_FILE:-}" ]; then
    WAREHOUSE_DASHBOARD_TOKEN=$(cat "$WAREHOUSE_DASHBOARD_TOKEN_FILE")
    export WAREHOUSE_DASHBOARD_TOKEN
fi
exec warehouse "$@"
