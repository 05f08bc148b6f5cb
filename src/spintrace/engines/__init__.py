"""Scan engines: the same scan stages run on one machine (``local``) or on Apache Spark (``spark``)."""
