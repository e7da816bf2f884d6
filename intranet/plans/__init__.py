def includeme(config):
    # Imported here, not above: intranet.models imports this package, and the workflow imports the models.
    from intranet.plans.workflow import WORKFLOW

    config.add_workflow(WORKFLOW)
