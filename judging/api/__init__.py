"""The open data API (/api/v1/) on django-ninja: schemas.py (typed parameters and answers), views.py (the
operations), urls.py (the index, the generated OpenAPI description and the operations)."""
