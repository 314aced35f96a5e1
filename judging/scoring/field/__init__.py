"""Field verification (verifikasi lapangan), scoring's feature: per entry of a field round, a checklist of things
verified on site (models.py), who may check them (permissions.py), the writes (services.py) and pages (views.py)."""
