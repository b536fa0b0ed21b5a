"""Ingestion of landing exports into the raw schema (parsing and quarantine rules).

sources.py (what each source is), landing.py (which files a landing folder holds), loader.py (ingest_source: one
source's files into raw.<source>), sniff/scan/parse/rules (reading a file), checkup.py (`cartera check`).
"""
