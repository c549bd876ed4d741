"""Measurements of the service's readers: `python -m eval.reader`."""
