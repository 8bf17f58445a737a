"""The plugin's test settings plus the example site's demo app: tests of the demo (its
content, commands, production settings and frontend types) run here, apart from the
plugin's own suite, which never imports ``example_site``."""

from tests.settings import *  # noqa: F401,F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = ["example_site.demo", *INSTALLED_APPS]
