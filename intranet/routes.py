"""Every core route, named domain-first. Plugins add theirs under /p/<key>."""

from pyramid.interfaces import IRoutesMapper
from pyramid.security import NO_PERMISSION_REQUIRED


def has_route(request, name: str) -> bool:
    """Whether a route is registered: a plugin's pages are linked only while it is enabled."""
    return request.registry.getUtility(IRoutesMapper).get_route(name) is not None


def includeme(config):
    config.add_request_method(has_route, "has_route")
    config.add_static_view("static", "intranet:static", cache_max_age=86400, permission=NO_PERMISSION_REQUIRED)

    config.add_route("health", "/healthz")
    config.add_route("dashboard", "/")
    config.add_route("locale", "/locale/{code}")

    config.add_route("accounts.login", "/login")
    config.add_route("accounts.logout", "/logout")
    config.add_route("accounts.password", "/account/password")

    config.add_route("spaces.list", "/spaces", factory="intranet.resources.spaces_factory")
    config.add_route("spaces.home", "/spaces/{slug}", factory="intranet.resources.space_factory")
    config.add_route("spaces.sharing", "/spaces/{slug}/sharing", factory="intranet.resources.space_factory")
    config.add_route("duties.logs", "/spaces/{slug}/logs", factory="intranet.resources.space_factory")
    config.add_route("duties.log_add", "/spaces/{slug}/logs/new", factory="intranet.resources.space_factory")
    config.add_route(
        "duties.log_edit",
        "/spaces/{slug}/logs/{log_id}/edit",
        factory="intranet.duties.resources.duty_log_factory",
    )
    config.add_route(
        "documents.evidence",
        "/spaces/{slug}/logs/{log_id}/evidence/{evidence_id}",
        factory="intranet.duties.resources.duty_log_factory",
    )

    config.add_route("reports.space", "/spaces/{slug}/reports", factory="intranet.resources.space_factory")
    config.add_route(
        "reports.edit", "/spaces/{slug}/reports/{form}/{period}", factory="intranet.reports.resources.report_factory"
    )
    config.add_route(
        "reports.transition",
        "/spaces/{slug}/reports/{form}/{period}/transition",
        factory="intranet.reports.resources.report_factory",
    )

    config.add_route(
        "reports.export",
        "/spaces/{slug}/reports/{form}/{period}/export.{fmt}",
        factory="intranet.reports.resources.report_factory",
    )
    config.add_route(
        "district.export", "/district/reports/{period}/export.{fmt}", factory="intranet.resources.district_factory"
    )

    config.add_route("district.duties", "/district/duties", factory="intranet.resources.district_factory")
    config.add_route("district.review", "/district/review", factory="intranet.resources.district_factory")
    config.add_route("district.reports", "/district/reports", factory="intranet.resources.district_factory")
    config.add_route("district.periods", "/district/periods", factory="intranet.resources.district_factory")
    config.add_route(
        "district.completeness",
        "/district/reports/{period}/completeness",
        factory="intranet.resources.district_factory",
    )
    config.add_route(
        "district.consolidation", "/district/reports/{period}", factory="intranet.resources.district_factory"
    )
    config.add_route(
        "district.indicators", "/district/indicators/{period}", factory="intranet.resources.district_factory"
    )

    config.add_route("admin.users", "/admin/users", factory="intranet.resources.admin_factory")
    config.add_route("admin.user_new", "/admin/users/new", factory="intranet.resources.admin_factory")
    config.add_route("admin.user", "/admin/users/{user_id}", factory="intranet.resources.admin_factory")
    config.add_route("admin.plugins", "/admin/plugins", factory="intranet.resources.admin_factory")
    config.add_route("admin.audit", "/admin/audit", factory="intranet.resources.admin_factory")

    config.add_route("accounts.tokens", "/account/tokens")
    config.add_route("accounts.token_revoke", "/account/tokens/{token_id}/revoke")
    config.add_route("notifications.list", "/notices")

    config.add_route("api.openapi", "/api/v1/openapi.json")
    config.add_route("api.spaces", "/api/v1/spaces", factory="intranet.resources.spaces_factory")
    config.add_route("api.periods", "/api/v1/periods")
    config.add_route("api.forms", "/api/v1/forms")
    config.add_route("api.reports", "/api/v1/reports")
    config.add_route(
        "api.report", "/api/v1/reports/{report_id}", factory="intranet.reports.resources.api_report_factory"
    )
    config.add_route(
        "api.report_values",
        "/api/v1/reports/{report_id}/values",
        factory="intranet.reports.resources.api_report_factory",
    )
    config.add_route("api.consolidation", "/api/v1/consolidation/{period}")

    # --- commune annual plans (intranet/plans) ---
    config.add_route("plans.space", "/spaces/{slug}/plans", factory="intranet.resources.commune_space_factory")
    config.add_route(
        "plans.edit", "/spaces/{slug}/plans/{year}", factory="intranet.plans.resources.commune_plan_factory"
    )
    config.add_route(
        "plans.transition",
        "/spaces/{slug}/plans/{year}/transition",
        factory="intranet.plans.resources.commune_plan_factory",
    )
    config.add_route(
        "plans.revision",
        "/spaces/{slug}/plans/{year}/revisions/{revision}",
        factory="intranet.plans.resources.commune_plan_factory",
    )
    config.add_route(
        "plans.scan",
        "/spaces/{slug}/plans/{year}/revisions/{revision}/scan",
        factory="intranet.plans.resources.commune_plan_factory",
    )
    config.add_route(
        "plans.print",
        "/spaces/{slug}/plans/{year}/revisions/{revision}/print",
        factory="intranet.plans.resources.commune_plan_factory",
    )
    config.add_route(
        "plans.export",
        "/spaces/{slug}/plans/{year}/revisions/{revision}/export.{fmt}",
        factory="intranet.plans.resources.commune_plan_factory",
    )
    config.add_route("district.plans", "/district/plans", factory="intranet.resources.district_factory")

    # --- child-friendly commune assessments (intranet/assessments) ---
    config.add_route(
        "assessments.space", "/spaces/{slug}/assessments", factory="intranet.resources.commune_space_factory"
    )
    config.add_route(
        "assessments.edit",
        "/spaces/{slug}/assessments/{year}",
        factory="intranet.assessments.resources.assessment_factory",
    )
    config.add_route(
        "assessments.transition",
        "/spaces/{slug}/assessments/{year}/transition",
        factory="intranet.assessments.resources.assessment_factory",
    )
    config.add_route(
        "assessments.evidence",
        "/spaces/{slug}/assessments/{year}/evidence/{evidence_id}",
        factory="intranet.assessments.resources.assessment_factory",
    )
    config.add_route("assessments.district", "/district/assessments", factory="intranet.resources.district_factory")
    config.add_route("assessments.criteria", "/district/criteria", factory="intranet.resources.district_factory")
    config.add_route(
        "assessments.criteria_import", "/district/criteria/import", factory="intranet.resources.district_factory"
    )
    config.add_route(
        "assessments.criteria_year", "/district/criteria/years", factory="intranet.resources.district_factory"
    )

    # --- the child register of a commune (intranet/cases): 404 to whoever may not open it ---
    register = "intranet.cases.resources.child_register_factory"
    entry = "intranet.cases.resources.child_entry_factory"
    config.add_route("children.figures", "/district/children/{period}", factory="intranet.resources.district_factory")
    config.add_route("children.list", "/spaces/{slug}/children", factory=register)
    config.add_route("children.new", "/spaces/{slug}/children/new", factory=register)
    config.add_route("children.view", "/spaces/{slug}/children/{reference}", factory=entry)
    config.add_route("children.edit", "/spaces/{slug}/children/{reference}/edit", factory=entry)
    config.add_route("children.groups", "/spaces/{slug}/children/{reference}/groups", factory=entry)
    config.add_route("children.supports", "/spaces/{slug}/children/{reference}/supports", factory=entry)
    folder = "intranet.cases.resources.case_folder_factory"
    one_case = "intranet.cases.resources.case_factory"
    config.add_route("cases.list", "/spaces/{slug}/cases", factory=folder)
    config.add_route("cases.new", "/spaces/{slug}/cases/new", factory=folder)
    config.add_route("cases.view", "/spaces/{slug}/cases/{number}", factory=one_case)
    config.add_route("cases.initial", "/spaces/{slug}/cases/{number}/initial", factory=one_case)
    config.add_route("cases.access", "/spaces/{slug}/cases/{number}/access", factory=one_case)
    config.add_route("cases.detailed", "/spaces/{slug}/cases/{number}/detailed", factory=one_case)
    config.add_route("cases.plan", "/spaces/{slug}/cases/{number}/plan", factory=one_case)
    config.add_route("cases.plan_step", "/spaces/{slug}/cases/{number}/plan/step", factory=one_case)
    config.add_route("cases.services", "/spaces/{slug}/cases/{number}/services", factory=one_case)
    config.add_route("cases.outcome", "/spaces/{slug}/cases/{number}/services/outcome", factory=one_case)
    config.add_route("cases.review", "/spaces/{slug}/cases/{number}/review", factory=one_case)
    config.add_route("cases.reopen", "/spaces/{slug}/cases/{number}/reopen", factory=one_case)
    config.add_route("cases.team", "/spaces/{slug}/cases/{number}/team", factory=one_case)
    # referrals of a case's service to another unit (intranet/cases/referral_views.py): made and
    # overridden on the case; read and answered by the receiving unit's head and officers only
    config.add_route("cases.refer", "/spaces/{slug}/cases/{number}/referrals", factory=one_case)
    config.add_route(
        "cases.referral_override", "/spaces/{slug}/cases/{number}/referrals/{reference}/override", factory=one_case
    )
    inbox = "intranet.cases.resources.referral_inbox_factory"
    received = "intranet.cases.resources.received_referral_factory"
    config.add_route("referrals.list", "/spaces/{slug}/referrals", factory=inbox)
    config.add_route("referrals.view", "/spaces/{slug}/referrals/{reference}", factory=received)
    config.add_route("referrals.answer", "/spaces/{slug}/referrals/{reference}/answer", factory=received)
    config.add_route("referrals.outcome", "/spaces/{slug}/referrals/{reference}/outcome", factory=received)
    # the forms of a case (Mẫu 01 to 06) to print and as PDF (intranet/cases/print_views.py); the
    # PDF's route first: the print page's {form} would match "02.pdf" too
    config.add_route("cases.form_pdf", "/spaces/{slug}/cases/{number}/forms/{form}.pdf", factory=one_case)
    config.add_route("cases.form", "/spaces/{slug}/cases/{number}/forms/{form}", factory=one_case)
