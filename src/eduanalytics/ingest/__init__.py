"""Ingest: raw files -> normalised, validated tidy tables + rejected rows + cleaning log.

The flow: :mod:`.readers` (csv/xlsx/docx cells, no type guessing) -> per-input steps
(:mod:`.task_table`, :mod:`.register`, :mod:`.population`, :mod:`.plans`), each returning a
:class:`.core.StepResult` -> :mod:`.pipeline` writes ``data/processed`` and the log.
"""
