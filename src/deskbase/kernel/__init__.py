"""The kernel: registries, errors, settings, request context and database engines.

It imports nothing else from deskbase; every other layer stands on it.
"""
