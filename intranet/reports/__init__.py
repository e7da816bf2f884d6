from intranet.reports.workflow import WORKFLOW


def includeme(config):
    config.add_workflow(WORKFLOW)
