"""The JSON API, /api/v1/: flask-smorest routes over the domain services, OpenAPI 3.1 and
Swagger UI (vendored), personal tokens and the exchange format."""

from __future__ import annotations

import os
from typing import Any, ClassVar

from flask import Flask
from flask_smorest import Api, Blueprint
from webargs.flaskparser import FlaskParser

from app.api.schemas import ErrorOut
from app.auth.permissions import public
from app.config import _positive_int

API_PREFIX = "/api/v1"
API_SETTINGS = {
    "API_TITLE": "nhiemvu API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": API_PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/static/vendor/swagger-ui/",
    "API_RATE_LIMIT": 300,
}


class NhiemvuApi(Api):
    """flask-smorest's Api, without its app-wide error handler: the pages keep their HTML
    error pages (and 405 its Allow header); API errors are answered by app.api.errors."""

    ERROR_SCHEMA = ErrorOut

    def _register_error_handlers(self) -> None:
        return None


class StrictParser(FlaskParser):
    """webargs ignores unknown query parameters by default; here the schemas' `unknown=RAISE`
    holds everywhere (headers aside: a request always carries headers nobody declared)."""

    DEFAULT_UNKNOWN_BY_LOCATION: ClassVar[dict[str, str | None]] = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,
        "querystring": None,
    }


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = StrictParser()


blp = ApiBlueprint(
    "api",
    __name__,
    url_prefix=API_PREFIX,
    description="Directives, tasks, progress, agencies, notifications and reports.",
)
DESCRIPTION = (
    "Authenticate with `Authorization: Bearer <token>` (create a token under "
    "/account/tokens) or the browser session (writes then need `X-CSRFToken`). "
    'Errors: `{"errors": {field: [message]}}` in the language of `Accept-Language` '
    "(Vietnamese by default). Token calls are limited per token and per minute "
    "(`API_RATE_LIMIT`, counted in each web process)."
)


def _blueprint_setup() -> None:
    from app.api import misc_views, schemas, task_views  # noqa: F401  (routes on blp)
    from app.api.auth import init_blueprint_auth
    from app.api.errors import register_blueprint_handlers
    from app.extensions import login_manager

    init_blueprint_auth(blp)
    register_blueprint_handlers(blp)
    login_manager.blueprint_login_views[blp.name] = None  # anonymous API calls: 401


_blueprint_setup()


def init_api(app: Flask) -> None:
    """Register the API blueprint, its docs, authentication and error handling."""
    from app.api.auth import init_app_auth
    from app.api.errors import register_app_handlers

    for key, value in API_SETTINGS.items():
        app.config.setdefault(key, value)
    if "API_RATE_LIMIT" in os.environ:
        app.config["API_RATE_LIMIT"] = _positive_int("API_RATE_LIMIT", 300)
    api = NhiemvuApi(app, spec_kwargs={"info": {"description": DESCRIPTION}})
    app.extensions["nhiemvu_api"] = api
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearer": []}]
    api.register_blueprint(blp)
    # The document and its viewer are public: they describe the API, they hold no data.
    for endpoint in ("api-docs.openapi_json", "api-docs.openapi_swagger_ui"):
        app.view_functions[endpoint] = public(_plain(app.view_functions[endpoint]))
    init_app_auth(app)
    register_app_handlers(app)


def _plain(view: Any) -> Any:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    return wrapped
