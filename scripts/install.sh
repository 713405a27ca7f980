#!/bin/sh
# scripts/install.sh BINARY MANPAGE DEST: what `make install` copies, under DEST ($DESTDIR$PREFIX):
#   DEST/bin/warehouse                                      the binary (the SQL is compiled in)
#   DEST/share/man/man1/warehouse.1                         the manual page
#   DEST/share/bash-completion/completions/warehouse        bash completion
#   DEST/share/zsh/site-functions/_warehouse                zsh completion
#   DEST/share/fish/vendor_completions.d/warehouse.fish     fish completion
# The completions come from the binary itself (swift-argument-parser's --generate-completion-script).
set -eu

if [ $# -ne 3 ]; then
    echo "usage: scripts/install.sh BINARY MANPAGE DEST" >&2
    exit 2
fi
binary=$1
manpage=$2
dest=$3
for file in "$binary" "$manpage"; do
    [ -f "$file" ] || { echo "install.sh: $file: no such file" >&2; exit 1; }
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for shell in bash zsh fish; do
    "$binary" --generate-completion-script "$shell" >"$scratch/$shell"
    [ -s "$scratch/$shell" ] || { echo "install.sh: empty $shell completion script" >&2; exit 1; }
done

install -d "$dest/bin" "$dest/share/man/man1" "$dest/share/bash-completion/completions" \
    "$dest/share/zsh/site-functions" "$dest/share/fish/vendor_completions.d"
install -m 755 "$binary" "$dest/bin/warehouse"
install -m 644 "$manpage" "$dest/share/man/man1/warehouse.1"
install -m 644 "$scratch/bash" "$dest/share/bash-completion/completions/warehouse"
install -m 644 "$scratch/zsh" "$dest/share/zsh/site-functions/_warehouse"
install -m 644 "$scratch/fish" "$dest/share/fish/vendor_completions.d/warehouse.fish"
echo "Installed warehouse, its manual page and bash, zsh and fish completions under $dest."
