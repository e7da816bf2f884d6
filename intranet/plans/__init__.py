from intranet.plans.workflow import WORKFLOW


def includeme(config):
    config.add_workflow(WORKFLOW)
