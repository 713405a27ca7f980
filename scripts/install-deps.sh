#!/usr/bin/env bash
# Installs what building and testing warehouse needs, and only what is missing.
#
#   scripts/install-deps.sh            # PostgreSQL server and client, and the C libraries
#   scripts/install-deps.sh --browser  # also what only the tests use: Chromium (the dashboard's
#                                      # screenshot tests), python3-yaml and systemd-analyze (the
#                                      # deploy files' tests)
#
# Debian/Ubuntu: installs with apt-get (via sudo when not root). Elsewhere: prints what to
# install. Safe to run again: when everything is there, it changes nothing and says so.
set -euo pipefail

want_browser=0
for argument in "$@"; do
    case "$argument" in
        --browser) want_browser=1 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "install-deps.sh: unknown option $argument" >&2; exit 2 ;;
    esac
done

# Each Debian package with a check that it is usable, so a package provided some other way
# (a newer PostgreSQL from its own repository, a hand-built library) counts as present.
has_postgres_server() {
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
        || { command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; } \
        || { command -v initdb >/dev/null && command -v pg_ctl >/dev/null; }
}
has_pkg() { command -v pkg-config >/dev/null && pkg-config --exists "$1"; }

missing=()
has_postgres_server || missing+=(postgresql)
command -v psql >/dev/null || missing+=(postgresql-client)
has_pkg libpq || missing+=(libpq-dev)
has_pkg sqlite3 || missing+=(libsqlite3-dev)
has_pkg libcrypto || missing+=(libssl-dev)
has_pkg zlib || missing+=(zlib1g-dev)
command -v pkg-config >/dev/null || missing+=(pkg-config)
if [ "$want_browser" = 1 ]; then
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing+=(chromium)
    # The tests read docker-compose.yml with Debian's python3, as they find it at /usr/bin/python3.
    { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import yaml' 2>/dev/null; } || missing+=(python3-yaml)
    command -v systemd-analyze >/dev/null || missing+=(systemd)
fi

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: everything is installed."
    exit 0
fi

if command -v apt-get >/dev/null && [ -r /etc/debian_version ]; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
    echo "install-deps: installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    # Debian's postgresql package also sets up and starts a cluster of its own; warehouse
    # does not use it (it runs its own, see `warehouse db --help`) and needs only the programs.
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
    echo "install-deps: done."
else
    cat >&2 <<MESSAGE
install-deps: missing: ${missing[*]} (Debian package names).
This system has no apt-get; install the equivalents yourself, for example:
  Fedora/RHEL: sudo dnf install postgresql-server postgresql libpq-devel sqlite-devel openssl-devel zlib-devel pkgconf chromium
  macOS:       brew install postgresql@15 pkg-config sqlite openssl zlib chromium
Then run this script again to check.
MESSAGE
    exit 1
fi
