"""Export of the models we run (CTranslate2 Whisper, Silero VAD) to Core ML, and its verification on Linux."""
