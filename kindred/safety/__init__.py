"""Safety: input limits, crisis detection and the replies that stay with a person in crisis."""
