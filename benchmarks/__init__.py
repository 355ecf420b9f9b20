"""Performance benchmarks for langchain-responses (run ``python -m benchmarks --help``)."""
