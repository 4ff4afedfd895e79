"""Run-time collections: the meta-model, field types, DDL and the schema service."""
