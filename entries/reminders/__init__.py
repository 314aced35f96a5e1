"""Reminders to innovators who still hold a draft 3 days before the competition's deadline, sent by the periodic
job entries.tasks.remind_drafts."""
