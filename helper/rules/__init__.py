"""Rules as data: schema, loading, compilation and rule sets."""
