"""A logging filter of the task queue, in a module that imports nothing of Django or procrastinate (settings.LOGGING
loads it before the apps are ready)."""

import logging


class RegisteredOnce(logging.Filter):
    """procrastinate logs "Registering task ... to run periodically" once per registry, and its Django app registers
    each periodic task in two (the decorators' blueprint and the app it is added to): every command printed each line
    twice. This filter (settings.LOGGING, logger procrastinate.periodic) lets the first of each task through."""

    def __init__(self, name=""):
        super().__init__(name)
        self.seen = set()

    def filter(self, record):
        if getattr(record, "action", None) != "registering_periodic_task":
            return True
        key = (getattr(record, "task", None), getattr(record, "periodic_id", None))
        if key in self.seen:
            return False
        self.seen.add(key)
        return True
