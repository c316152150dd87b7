"""Turn handling: profile, multi-turn context, LLM fallback, safety filter."""
