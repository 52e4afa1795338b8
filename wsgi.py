"""WSGI entry point: `waitress-serve wsgi:app` or `gunicorn wsgi:app`."""

import gc
import os

from app import create_app
from app.jobs import EMBEDDED_ENV, start_embedded_scheduler

app = create_app()
# Only `make run` (one waitress process) sets this; gunicorn workers never start a scheduler,
# and the lock under instance/ lets only one process have it even then.
if os.environ.get(EMBEDDED_ENV) == "1":
    start_embedded_scheduler(app)
# What start-up made (the app, the models, the translations, the holiday tables) lives as
# long as the process: set it aside from the garbage collector, whose full collections
# would otherwise walk it all, a pause of tens of milliseconds in the middle of a request.
gc.collect()
gc.freeze()
