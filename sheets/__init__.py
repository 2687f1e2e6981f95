"""Spreadsheets in and out, shared by every app: the one cell writer and the one upload guard.

This package imports no project app, so filings, rules, ledger and reviews can all use it.
"""
