"""Report forms, submissions, workflow transitions, completeness and consolidation, one module per concern.

The district's figures are SQL aggregations over the narrow ``submission_values`` table: one
GROUP BY per question, whatever the number of units. Callers use ``intranet.reports.services.<name>``;
the names are defined in the modules below and gathered here."""

from __future__ import annotations

from intranet.reports.labels import ACTION_LABELS, STATE_LABELS  # noqa: F401
from intranet.reports.services.accepted import AcceptedReport, accepted_reports_of_year  # noqa: F401
from intranet.reports.services.completeness import (  # noqa: F401
    SENT_STATES,
    STANDING_LABELS,
    Completeness,
    Expected,
    completeness,
    expected_reports,
)
from intranet.reports.services.consolidation import (  # noqa: F401
    Consolidation,
    SharedTotal,
    consolidation,
    elements_by_code,
    non_summable_codes,
    shared_totals,
)
from intranet.reports.services.entries import (  # noqa: F401
    MAX_FIGURE,
    MAX_LINES,
    MAX_TEXT,
    OPS,
    Entry,
    check_for_submission,
    display_raw,
    entry_from_submission,
    field_name,
    parse_value,
    read_entry,
    read_values,
    rule_field,
)
from intranet.reports.services.forms import (  # noqa: F401
    definition,
    ensure_form_version,
    form,
    form_of,
    forms_for,
    from_definition,
)
from intranet.reports.services.indicators import (  # noqa: F401
    VERDICT_LABELS,
    Coverage,
    IndicatorResult,
    accepted_narratives,
    accepted_reports,
    compute_indicators,
    indicator_coverage,
    threshold,
)
from intranet.reports.services.listing import reports_page  # noqa: F401
from intranet.reports.services.periods import (  # noqa: F401
    is_locked,
    period_by_code,
    periods,
    timeliness,
)
from intranet.reports.services.storage import (  # noqa: F401
    apply_transition,
    create_submission,
    load_submission,
    report_subject,
    return_reasons,
    store_entry,
)
from intranet.reports.services.suggestions import (  # noqa: F401
    Suggestions,
    log_sums,
    previous_period,
    suggestions,
)
from intranet.reports.services.totals import (  # noqa: F401
    _total,
    _values_of,
    all_spaces,
    category_totals,
    consolidated_values,
    element_totals,
    space_totals,
    state_counts,
)
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)
