"""WSGI entry point: `waitress-serve wsgi:app` or `gunicorn wsgi:app`."""

import gc

from app import create_app

app = create_app()
# What start-up made (the app, the models, the translations, the holiday tables) lives as
# long as the process: set it aside from the garbage collector, whose full collections
# would otherwise walk it all, a pause of tens of milliseconds in the middle of a request.
gc.collect()
gc.freeze()
