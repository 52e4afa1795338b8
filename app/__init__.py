"""nhiemvu: directive and task tracking for the office of a provincial People's Committee."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from app.config import Settings, instance_path


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application from a short list of named steps."""
    app = Flask(__name__, instance_path=instance_path(), instance_relative_config=True)
    configure(app, config)
    init_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_template_helpers(app)
    register_request_hooks(app)
    init_operations(app)
    return app


def configure(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_mapping(Settings(Path(app.instance_path), overrides or {}).as_mapping())


def init_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from app import models  # noqa: F401  (every model registered before mappers configure)
    from app.db import configure_engine
    from app.extensions import babel, csrf, db, login_manager, migrate
    from app.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(migrations_directory(Path(app.root_path))))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "strong"
    with app.app_context():
        configure_engine(db.engine)


def migrations_directory(package: Path) -> Path:
    """The copy of the migrations a built package carries (setup.py), else the checkout's."""
    packaged = package / "migrations"
    return packaged if (packaged / "env.py").is_file() else package.parent / "migrations"


def register_blueprints(app: Flask) -> None:
    from app.accounts.views import bp as users_admin_bp
    from app.agencies.views import bp as agencies_bp
    from app.api import init_api
    from app.api.token_views import bp as api_tokens_bp
    from app.auth.views import bp as auth_bp
    from app.dashboard.views import bp as dashboard_bp
    from app.imports.views import bp as imports_bp
    from app.main import bp as main_bp
    from app.notifications.views import bp as notifications_bp
    from app.ops.views import bp as ops_bp
    from app.reports.views import bp as reports_bp
    from app.search.views import bp as search_bp
    from app.tasks import action_views, calendar_views  # noqa: F401  (routes on tasks_bp)
    from app.tasks.directive_views import bp as directives_bp
    from app.tasks.extension_request_views import bp as extensions_bp
    from app.tasks.views import bp as tasks_bp

    # Every URL prefix is decided here, in one place.
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(directives_bp, url_prefix="/directives")
    app.register_blueprint(imports_bp, url_prefix="/directives")  # /directives/import…
    app.register_blueprint(tasks_bp, url_prefix="/tasks")
    app.register_blueprint(extensions_bp, url_prefix="/extensions")
    app.register_blueprint(dashboard_bp, url_prefix="/dashboard")
    app.register_blueprint(search_bp, url_prefix="/search")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(reports_bp, url_prefix="/reports")
    app.register_blueprint(agencies_bp, url_prefix="/agencies")
    app.register_blueprint(users_admin_bp, url_prefix="/admin/users")
    app.register_blueprint(api_tokens_bp, url_prefix="/account/tokens")
    app.register_blueprint(ops_bp)  # /healthz
    init_api(app)  # the JSON API's blueprint at /api/v1, with its OpenAPI document


def register_cli(app: Flask) -> None:
    from app.accounts.cli import users_cli
    from app.api.cli import exchange_cli
    from app.imports.cli import import_cli
    from app.jobs import jobs_cli
    from app.ops.cli import backup_cli
    from app.reports.cli import reports_cli
    from app.seed import seed_command
    from app.tasks.cli import deadlines_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(seed_command)
    app.cli.add_command(deadlines_cli)
    app.cli.add_command(import_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(exchange_cli)
    app.cli.add_command(backup_cli)


def register_template_helpers(app: Flask) -> None:
    from app.templating import init_templating

    init_templating(app)


def register_request_hooks(app: Flask) -> None:
    from app.auth.permissions import enforce_access
    from app.errors import refuse_nul_characters, register_error_handlers

    app.before_request(refuse_nul_characters)
    app.before_request(enforce_access)
    register_error_handlers(app)


def init_operations(app: Flask) -> None:
    from app.ops import init_operations as init

    init(app)
