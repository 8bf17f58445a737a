from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KratomPagesConfig(AppConfig):
    name = "kratom_pages"
    label = "kratom_pages"
    verbose_name = _("Kratom pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the system checks that validate KRATOM_PAGES settings.
        from kratom_pages import checks  # noqa: F401
        from kratom_pages.evidence import notifications, records
        from kratom_pages.importers import permalinks
        from kratom_pages.publishing import connect

        connect()
        permalinks.connect()
        records.connect()
        notifications.connect()
