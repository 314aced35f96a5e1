import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kipp.settings")
os.environ.setdefault("KIPP_DB_LIMITS", "web")  # the web time limits of the database (kipp/settings.py)

application = get_wsgi_application()
