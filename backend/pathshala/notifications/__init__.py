"""In-app notifications and the mail that goes with them (unless the user turned it off)."""
