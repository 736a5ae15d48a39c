"""Helpers shared by several test modules (on pytest's pythonpath)."""
