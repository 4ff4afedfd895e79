"""Record data: filters, queries and the records service, built on the schema layer."""
