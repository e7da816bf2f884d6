"""Store the criteria sets the plugins declare (always, idempotent).

No demonstration assessment is seeded: the 2017 plan assesses communes against the 15-criteria
toolkit of Quyết định 34/2014/QĐ-TTg, which is not shipped (the district imports it from the
official document), and the 2019 set does not apply to 2017. Inventing scores under a set that
does not exist here would show something untrue.
"""

from __future__ import annotations

from intranet.assessments.services import seed_plugin_sets


def seed_criteria_sets(dbsession, registry) -> int:
    """Store every plugin-declared set not stored yet. Returns the number added."""
    return seed_plugin_sets(dbsession, registry)
