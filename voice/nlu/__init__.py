"""Mandarin assistant NLU: text normalization, time expressions, intents and slots."""
