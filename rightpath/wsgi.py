"""WSGI entry point (gunicorn rightpath.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightpath.settings.production")
application = get_wsgi_application()
