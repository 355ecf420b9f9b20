"""Integration tests: ChatResponses end to end, against llmock (default) or the live API."""
