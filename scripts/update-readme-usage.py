#!/usr/bin/env python3
"""Rewrites the README's usage block from `warehouse --help` (ReadmeTests checks they agree)."""
import os
import re
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build", "debug", "warehouse")
help_text = subprocess.run([binary, "--help"], capture_output=True, text=True, check=True).stdout
block = help_text[help_text.index("USAGE:"):help_text.index("  See 'warehouse help")].rstrip()
block = re.sub(r"\n+OPTIONS:.*?\n\n", "\n\n", block, flags=re.S)
path = os.path.join(root, "README.md")
readme = open(path, encoding="utf-8").read()
start = readme.index("## Usage\n\n```\n") + len("## Usage\n\n```\n")
end = readme.index("```", start)
open(path, "w", encoding="utf-8").write(readme[:start] + block + "\n" + readme[end:])
