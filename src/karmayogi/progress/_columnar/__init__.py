"""The columnar engine and the frame reader, behind :mod:`karmayogi.columnar` (the
``columnar`` extra)."""
