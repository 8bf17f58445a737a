from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KratomPagesConfig(AppConfig):
    name = "kratom_pages"
    label = "kratom_pages"
    verbose_name = _("Kratom pages")
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self) -> None:
        # Our models build on these apps' models: without them Django would stop with a
        # bare RuntimeError before any system check could name what is missing.
        from django.apps import apps
        from django.core.exceptions import ImproperlyConfigured

        from kratom_pages.checks import REQUIRED_APPS

        if missing := [name for name in REQUIRED_APPS if not apps.is_installed(name)]:
            raise ImproperlyConfigured(
                "kratom-pages needs "
                + ", ".join(repr(name) for name in missing)
                + " in INSTALLED_APPS (kratom_pages.E008; see the README's install steps)."
            )
        super().import_models()

    def ready(self) -> None:
        # Registers the system checks that validate KRATOM_PAGES settings.
        from kratom_pages import checks  # noqa: F401
        from kratom_pages.evidence import notifications, records
        from kratom_pages.images import checks as image_checks  # noqa: F401
        from kratom_pages.images import renditions
        from kratom_pages.importers import permalinks
        from kratom_pages.publishing import connect

        connect()
        permalinks.connect()
        records.connect()
        notifications.connect()
        renditions.connect()
        self._wire_api_v3()

    @staticmethod
    def _wire_api_v3() -> None:
        """Wagtail's v3 API gets our visibility rule, caching, replies and preview routers
        from INSTALLED_APPS alone: a project only mounts ``api.urls``."""
        from django.apps import apps

        if not apps.is_installed("wagtail.api.v3"):
            return
        from wagtail.api.v3.urls import api

        from kratom_pages.api.v3 import register_routers

        register_routers(api)
