"""The child register and case management of Decree 56/2017 (DESIGN.md section 11).

The pure foundations come first and need no database: :mod:`intranet.cases.crypto` encrypts a
child's identifying fields and makes the keyed hashes that lookups use, :mod:`intranet.cases.names`
folds Vietnamese names for the duplicate search, and :mod:`intranet.cases.calendar` counts the
working days of the procedure's deadlines from the holidays in ``holidays.yaml``.

The child register's data come next: :mod:`intranet.cases.models` (its tables, identifying columns
encrypted), :mod:`intranet.cases.groups` (the groups of ``groups.yaml``) and
:mod:`intranet.cases.services` (what reads and writes them). ``includeme`` loads the keyring once,
at start-up (:mod:`intranet.cases.keys`): production without its keys does not start.
"""


def includeme(config):
    # Imported here, not with the package: `python -m intranet.cases.keys` (the key generator) would
    # otherwise find its module already imported by the package and run a second copy of it.
    from intranet.cases.keys import REGISTRY_KEY, keyring_from_settings  # noqa: PLC0415 — see above
    from intranet.cases.workflow import WORKFLOW  # noqa: PLC0415 — the package imports nothing at load

    config.registry[REGISTRY_KEY] = keyring_from_settings(config.get_settings())
    config.add_workflow(WORKFLOW)
    config.add_request_method(can_open_register, "can_open_register")
    config.add_request_method(can_list_cases, "can_list_cases")
    config.add_request_method(can_receive_referrals, "can_receive_referrals")


def can_open_register(request, space_resource) -> bool:
    """Whether the reader may open the child register of the space (a commune): the space's page
    links to it only then."""
    from intranet.cases.resources import ChildRegister  # noqa: PLC0415 — the package imports nothing at load (see includeme)
    from intranet.security import Permission  # noqa: PLC0415 — the package imports nothing at load (see includeme)

    return bool(request.has_permission(Permission.CHILDREN_VIEW, ChildRegister(space_resource)))


def can_list_cases(request, space_resource) -> bool:
    """Whether the reader may open the list of cases of the space (a commune)."""
    from intranet.cases.resources import CaseFolder  # noqa: PLC0415 — the package imports nothing at load (see includeme)
    from intranet.security import Permission  # noqa: PLC0415 — the package imports nothing at load (see includeme)

    return bool(request.has_permission(Permission.CASES_LIST, CaseFolder(space_resource)))


def can_receive_referrals(request, space_resource) -> bool:
    """Whether the reader answers the referrals the space (any unit) receives: its page links to
    them only then."""
    from intranet.cases.resources import ReferralInbox  # noqa: PLC0415 — the package imports nothing at load (see includeme)
    from intranet.security import Permission  # noqa: PLC0415 — the package imports nothing at load (see includeme)

    return bool(request.has_permission(Permission.REFERRALS_RECEIVE, ReferralInbox(space_resource)))
