"""Text helpers shared by recognition, understanding and speech: script conversion and inverse text
normalization (spoken numbers → digits)."""
