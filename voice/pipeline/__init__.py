"""The live loop: audio frames → VAD → endpointing → streaming ASR → assistant → TTS, as typed events."""
