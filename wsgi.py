"""WSGI entry point: `waitress-serve wsgi:app` or `gunicorn wsgi:app`."""

from app import create_app

app = create_app()
