"""What uses a framework version: counted by the apps that use it, without frameworks knowing them.

An app that points at versions registers a counter when it is ready
(`register_version_use(counter)`); the admin asks `version_use_count(version)` before it
retires a version, so that `frameworks` never imports or queries the apps above it.
"""

from collections.abc import Callable

_counters: list[Callable] = []


def register_version_use(counter: Callable) -> None:
    """`counter(version) -> int`: how many of the app's records use that version."""
    if counter not in _counters:
        _counters.append(counter)


def version_use_count(version) -> int:
    return sum(counter(version) for counter in _counters)
