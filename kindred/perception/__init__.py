"""Perception: turning what the user gives (text, voice, face) into plain readings."""
