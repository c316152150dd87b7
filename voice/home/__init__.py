"""The user's own devices: the list they keep (or import from Home Assistant) and what each is."""
