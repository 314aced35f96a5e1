"""Reminders to judges before a round closes (48 h and 24 h), sent by the periodic job judging.tasks.remind_judges."""
