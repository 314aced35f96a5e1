"""Presentation schedules of a round (scoring's feature): the slots (models.py, enums.py), generating and editing
them (services.py), their reads (queries.py), the organiser's forms (forms.py) and pages (views.py)."""
