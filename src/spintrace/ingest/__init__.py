"""Ingest stage: read articles from files, stdin, JSON Lines, WARC and Parquet into ``Document``s."""

from spintrace.ingest.document import Document
from spintrace.ingest.files import MAX_INPUT_BYTES, read_article, read_text_input

__all__ = ["Document", "MAX_INPUT_BYTES", "read_article", "read_text_input"]
