"""The programme plan of a year, and the commune annual plans: drafting from the district plan's
template, checking what was typed, the workflow, revisions, the copy to the next year (with the
year's actuals as the new baseline), progress against the duty logs, and the district list.

Every list here is a fixed number of statements, whatever the number of communes, activities
or logs.

One module per concern; callers use ``intranet.plans.services.<name>``."""

from __future__ import annotations

from intranet.plans.services.actuals import (  # noqa: F401
    Actual,
    commune_actuals,
    copy_to_next_year,
)
from intranet.plans.services.commune_plans import (  # noqa: F401
    ACTION_LABELS,
    ACTIVITY_STATUS_LABELS,
    BLANK_ROWS,
    MAX_ACTIVITIES,
    MAX_BUDGET,
    MAX_LINES,
    MAX_SHORT,
    MAX_TEXT,
    MAX_TITLE,
    SCAN_KINDS,
    SECTION_LABELS,
    STATE_LABELS,
    _plan_query,
    commune_duties,
    current_plan,
    district_years,
    has_plan,
    load_plan,
    new_plan,
    plan_title,
    plan_years,
    revisions,
    revisions_and_next_year,
    space_plans,
    template_targets,
)
from intranet.plans.services.entries import (  # noqa: F401
    _ACTIVITY_FIELDS,
    _EMPTY_ACTIVITY,
    _MONTH_TOKEN,
    ACTIVITY_FIELDS,
    PlanEntry,
    _store_activities,
    budget_raw,
    check_for_submission,
    entry_from_plan,
    months_text,
    number_raw,
    parse_budget,
    parse_months,
    parse_target_number,
    read_entry,
    store_entry,
)
from intranet.plans.services.progress import (  # noqa: F401
    ActivityProgress,
    DistrictRow,
    _month_end,
    _year_bounds,
    activity_status,
    district_plans,
    plan_progress,
    plan_state_counts,
)
from intranet.plans.services.scan import (  # noqa: F401
    attach_scan,
    scan,
)
from intranet.plans.services.transitions import (  # noqa: F401
    _copy_parts,
    apply_transition,
    open_comments,
    open_revision,
    part_label,
    returned_plans,
    valid_parts,
)
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)
