"""Hides numpy from the measured importer (PYTHONPATH=benchmarks/runtime_only).

numpy is in the venv only because the reconciliation baseline (recordlinkage, in
requirements-bench.txt) pulls it in; requirements.txt does not install it. openpyxl
imports numpy whenever it is importable, which would add ~16 MB to each measured
process that a deployed jiceng never carries.
"""

raise ImportError("numpy is a benchmark-only dependency; the runtime has none")
