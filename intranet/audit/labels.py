"""What the audit trail's codes say to a reader: each action the application records and each kind
of object it names, in words. A plugin names its own codes (``config.add_audit_labels``); a code
named nowhere (an older line) is shown as it is rather than hidden."""

from __future__ import annotations

from intranet.host import get_registry
from intranet.i18n import _

#: action code (the second argument of ``audit.services.record``) -> label
ACTION_LABELS = {
    # accounts
    "login": _("Log in"),
    "login.failed": _("Failed sign-in"),
    "logout": _("Log out"),
    "password.change": _("Password changed"),
    "password.failed": _("Wrong current password when changing it"),
    "token.create": _("API token created"),
    "token.revoke": _("API token revoked"),
    # administration
    "user.create": _("User created"),
    "user.update": _("User updated"),
    "user.disable": _("User disabled"),
    "user.enable": _("User enabled"),
    "space.settings": _("Unit settings changed"),
    "membership.change": _("Role in a unit changed"),
    # duty logs
    "duty_log.create": _("Duty log recorded"),
    "duty_log.update": _("Duty log corrected"),
    "evidence.download": _("Evidence downloaded"),
    # reports
    "report.save": _("Report saved"),
    "report.submit": _("Report submitted"),
    "report.return": _("Report returned"),
    "report.accept": _("Report accepted"),
    "report.reopen": _("Report reopened"),
    "period.create": _("Reporting periods of a year created"),
    "period.update": _("Reporting period changed"),
    # exports
    "export.consolidated": _("Consolidated report exported"),
    "export.report": _("Report exported"),
    "export.commune_plan": _("Commune plan exported"),
    # commune plans
    "commune_plan.create": _("Commune plan drafted"),
    "commune_plan.save": _("Commune plan saved"),
    "commune_plan.submit": _("Commune plan submitted"),
    "commune_plan.return": _("Commune plan returned"),
    "commune_plan.approve": _("Commune plan approved"),
    "commune_plan.revise": _("New revision of a commune plan opened"),
    "commune_plan.copy": _("Commune plan copied from the previous year"),
    "commune_plan.attach": _("Signed scan of a commune plan attached"),
    "commune_plan.scan_download": _("Signed scan of a commune plan downloaded"),
    # child-friendly commune assessments
    "assessment.save": _("Assessment saved"),
    "assessment.submit": _("Assessment submitted"),
    "assessment.return": _("Assessment returned"),
    "assessment.verify": _("Assessment verified"),
    "assessment.recognise": _("Commune recognised as child-friendly"),
    "assessment.not_recognise": _("Commune not recognised as child-friendly"),
    "assessment.reopen": _("Assessment reopened"),
    "assessment.evidence_download": _("Assessment evidence downloaded"),
    "criteria_set.import": _("Criteria set imported"),
    "criteria_set.assign_year": _("Criteria set chosen for a year"),
    # the child register (the child is named by its reference, never by name)
    "children.list": _("Child register read"),
    "children.search": _("Child register searched"),
    "child.duplicates_shown": _("Likely duplicates shown before entering a child"),
    "child.create": _("Child entered in the register"),
    "child.view": _("Register entry of a child opened"),
    "child.update": _("Register entry of a child corrected"),
    "child.group_add": _("Group of a child recorded"),
    "child.support_add": _("Support to a child recorded"),
    # cases (named by their number, never by the child)
    "cases.list": _("List of cases read"),
    "case.open": _("Report received: case opened"),
    "case.view": _("Case opened for reading"),
    "case.initial_assessment": _("Initial assessment of a case recorded"),
    "case.detailed_assessment": _("Detailed assessment of a case recorded"),
    "case.plan_draft": _("Draft of a case's support and intervention plan saved"),
    "case.plan_submit": _("Support and intervention plan of a case submitted"),
    "case.plan_approve": _("Support and intervention plan of a case approved"),
    "case.plan_return": _("Support and intervention plan of a case returned"),
    "case.erase": _("Free texts of a case erased at the end of the retention period"),
    # referrals of a case's service to another unit (the detail names the referral, never its texts)
    "case.referral": _("Service of a case referred to another unit"),
    "case.referral_override": _("Referral sent by the coordinator without the consent required"),
    "case.referral_read": _("Referral read by the receiving unit"),
    "case.referral_accept": _("Referral accepted by the receiving unit"),
    "case.referral_decline": _("Referral declined by the receiving unit"),
    "case.referral_outcome": _("Outcome of a referral recorded by the receiving unit"),
    "referrals.list": _("Referrals received by a unit listed"),
    "case.service_add": _("Service or intervention added to a case's plan"),
    "case.service_outcome": _("Outcome of a case's service recorded"),
    "case.review": _("Review of a case recorded (Form 06)"),
    "case.close": _("Case closed by its review"),
    "case.reopen": _("Closed case reopened"),
    "case.team": _("Case team changed"),
    "case.print": _("Form of a case printed"),
    "case.export": _("Form of a case exported to PDF"),
}

#: object type (the third argument of ``record``) -> what the object is
OBJECT_LABELS = {
    "user": _("User"),
    "membership": _("Member"),
    "api_token": _("API token"),
    "space": _("Unit"),
    "duty_log": _("Duty log"),
    "evidence": _("Evidence"),
    "submission": _("Report"),
    "period": _("Reporting period"),
    "commune_plan": _("Commune plan"),
    "assessment": _("Assessment"),
    "assessment_evidence": _("Assessment evidence"),
    "criteria_set": _("Criteria set"),
    "child_register": _("Child register"),
    "child": _("Child (reference)"),
    "case_folder": _("Cases of a commune"),
    "case": _("Case (number)"),
    "referral_inbox": _("Referrals received by a unit"),
}

#: Object types whose id is a user's id: the trail names the person.
USER_OBJECTS = frozenset({"user", "membership"})


def action_label(code: str):
    """The label of an action code, or the code itself when it has none."""
    return ACTION_LABELS.get(code, code)


def object_label(object_type: str):
    """What an object type is called, or the type itself when it has no name."""
    return OBJECT_LABELS.get(object_type, object_type)


def labeller(request):
    """(action label, object label) functions for one page: the core's labels translated, a
    plugin's in the page's language, else the code itself."""
    reg = get_registry(request.registry)
    translate = request.localizer.translate
    english = request.locale_name == "en"

    def pick(core, plugin, code):
        if code in core:
            return translate(core[code])
        if code in plugin:
            return plugin[code][1 if english else 0]
        return code

    return (
        lambda code: pick(ACTION_LABELS, reg.audit_actions, code),
        lambda kind: pick(OBJECT_LABELS, reg.audit_objects, kind),
    )
