"""Child-friendly commune assessment (đánh giá xã, thị trấn phù hợp với trẻ em).

A commune assesses itself against the criteria set in force for the year; the district
coordinator verifies, adjusts with reasons, and recognises or not. The result feeds the indicator
"communes meeting the child-friendly standard": an indicator that names the figure
``"assessments.recognised_communes"`` (added below) is computed from the recognised communes.
"""

from intranet.assessments.workflow import WORKFLOW


def includeme(config):
    config.add_workflow(WORKFLOW)
    config.add_indicator_source("assessments.recognised_communes", recognised_communes)


def recognised_communes(dbsession, period):
    """Communes recognised as child-friendly for ``period.year``, on or before ``period.end_date``.

    None when no commune has an assessment for that year yet (nothing to count).
    """
    # intranet.models imports this package for its models before the plans' and the reports' models,
    # which the services import: imported at the top, the services would find those half loaded.
    from intranet.assessments import services  # noqa: PLC0415 — intranet.models imports this package early

    return services.recognised_count(dbsession, period.year, period.end_date)
