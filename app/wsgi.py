"""The production WSGI entry point: `gunicorn app.wsgi:app` (an installed package has no
wsgi.py of the checkout). Logs are configured here (LOG_FORMAT, LOG_LEVEL, the access log);
web workers never start a scheduler: `flask jobs run` runs beside them."""

import gc

from app import create_app
from app.ops.logs import configure_logging

app = create_app()
configure_logging(app.config)
# What start-up made lives as long as the process: set it aside from the garbage collector
# (see wsgi.py of the checkout).
gc.collect()
gc.freeze()
