"""Retrieve stage: candidate sources for one query (``candidates``) and sub-quadratic all-pairs
candidate blocking for a whole corpus (``blocking``)."""
