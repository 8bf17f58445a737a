"""Old import paths of modules that moved into feature folders keep working.

Each old module replaces itself in ``sys.modules`` with the new one, so both names are one
module object (its private names and monkeypatching included).
"""

import sys
import warnings
from types import ModuleType


def alias(old_name: str, new_module: ModuleType, *, deprecated: bool = True) -> None:
    if deprecated:
        warnings.warn(
            f"{old_name} moved to {new_module.__name__}; import it from there.",
            DeprecationWarning,
            stacklevel=3,
        )
    sys.modules[old_name] = new_module
