"""Retrieval, answers and the command line of the CLS assistant."""
