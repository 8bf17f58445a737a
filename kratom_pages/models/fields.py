"""Model fields whose configuration comes from ``KRATOM_PAGES`` at run time."""

from wagtail.fields import RichTextField

from kratom_pages import conf


class ConfiguredRichTextField(RichTextField):
    """A RichTextField whose feature list is read from a setting each time the editor is
    built, like ``blocks.ConfiguredRichTextBlock``: changing the setting needs no restart
    of the model layer and no migration (migrations see a plain RichTextField)."""

    def __init__(self, *args, feature_setting: str = "RICH_TEXT_FEATURES", **kwargs):
        self.feature_setting = feature_setting
        kwargs.pop("features", None)
        super().__init__(*args, **kwargs)

    @property
    def features(self) -> list[str]:
        return list(conf.get(self.feature_setting))

    @features.setter
    def features(self, value) -> None:
        pass  # RichTextField.__init__ assigns it; ours always comes from the setting

    def clone(self):
        name, path, args, kwargs = self.deconstruct()
        return self.__class__(*args, feature_setting=self.feature_setting, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "wagtail.fields.RichTextField", args, kwargs
