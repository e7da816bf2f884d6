"""Child-friendly commune assessment (đánh giá xã, thị trấn phù hợp với trẻ em).

A commune assesses itself against the criteria set in force for the year; the district
coordinator verifies, adjusts with reasons, and recognises or not. The result feeds the indicator
"communes meeting the child-friendly standard" (``intranet.plugin.criteria.recognised_communes``).
"""


def includeme(config):
    # Imported here, not above: intranet.models imports this package, and the workflow imports the models.
    from intranet.assessments.workflow import WORKFLOW

    config.add_workflow(WORKFLOW)
