"""The tidy-table contract between the stages: columns, schemas, shared checks, levels.

Imports nothing from ``ingest``, ``report``, ``example`` or ``cli``.
"""
