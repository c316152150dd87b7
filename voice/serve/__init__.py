"""`voice serve`: the pipeline behind protocols — OpenAI-compatible HTTP, WebSocket streaming, Wyoming."""
