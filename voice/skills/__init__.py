"""Skills: what the assistant does with an understood intent (voice.skills.registry maps intents to them)."""
