#!/bin/sh
# Checks `make install`: installs the debug build into a temporary DESTDIR and verifies that every
# file is there and works. .ci/run runs it after the tests; it exits non-zero on any fault.
set -eu
cd "$(dirname "$0")/.."

destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT
make --no-print-directory install CONFIGURATION=debug DESTDIR="$destdir" PREFIX=/usr/local >"$destdir.log" 2>&1 \
    || { cat "$destdir.log" >&2; rm -f "$destdir.log"; echo "check-install: make install failed" >&2; exit 1; }
rm -f "$destdir.log"
root=$destdir/usr/local

fail() { echo "check-install: $*" >&2; exit 1; }
[ -x "$root/bin/warehouse" ] || fail "bin/warehouse is missing or not executable"
"$root/bin/warehouse" --version >/dev/null || fail "the installed binary does not run"
# Every subcommand is in the manual page and in each completion script.
subcommands=$("$root/bin/warehouse" --help | sed -n '/^SUBCOMMANDS:/,/^$/p' | awk '/^  [a-z]/ { print $1 }')
[ -n "$subcommands" ] || fail "no subcommands in --help"
man=$root/share/man/man1/warehouse.1
grep -q '^\.Dt WAREHOUSE 1' "$man" || fail "$man is not a section 1 manual page"
for file in "$man" "$root/share/bash-completion/completions/warehouse" \
    "$root/share/zsh/site-functions/_warehouse" "$root/share/fish/vendor_completions.d/warehouse.fish"; do
    [ -s "$file" ] || fail "$file is missing or empty"
    for command in $subcommands; do
        grep -q -- "$command" "$file" || fail "$file does not mention $command"
    done
done
if command -v bash >/dev/null; then
    bash -n "$root/share/bash-completion/completions/warehouse" || fail "the bash completion does not parse"
fi
if command -v mandoc >/dev/null; then
    mandoc -T lint -W error "$man" >/dev/null || fail "mandoc finds errors in $man"
fi
echo "check-install: make install put the binary, manual page and completions in place."
