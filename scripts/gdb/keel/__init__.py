"""keel's gdb helpers (scripts/gdb/keel-gdb.py loads them)."""
