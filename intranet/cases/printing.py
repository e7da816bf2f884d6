"""The forms of a case as printed documents (Decree 56/2017/NĐ-CP, its annex's forms): Mẫu 01 the
receipt of the report, 02 the initial assessment, 03 the detailed assessment and the case
meeting, 04 the support and intervention plan with its services, 05 the chairman's decision
approving the plan, 06 the review.

Functions from a case to a :class:`Document` (what the form says, every text translated already)
and from a document to bytes; the views (:mod:`intranet.cases.print_views`) add the headers and the
audit line. The print page and the PDF show the same document, in the Vietnamese administrative
format (the commune People's Committee as issuing body on the left, Quốc hiệu and tiêu ngữ on the
right, place and date, title, body, signatures), with the PDF machinery of the reports.

A form follows its model as far as the case's data go: whatever the intranet does not hold yet
(the parents' names, the place of the events, who attended the meeting...) or a step not reached
yet prints as dotted lines, to be completed by hand. The child's identifying data come from the
register entry linked to the case, decrypted through :mod:`intranet.cases.services`; they appear
in the document's body only, never in its file name or page title (DESIGN.md section 11).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pyramid.renderers import render
from sqlalchemy import select

from intranet.accounts.models import User
from intranet.cases import procedure
from intranet.cases import services as register_services
from intranet.cases.ethnicities import ethnicities
from intranet.cases.keys import get_keyring
from intranet.cases.models import RISK_LEVELS, Case, Child
from intranet.i18n import _, format_date, local_date, to_local
from intranet.plans.exports import breakable
from intranet.reports.exports import Lang, filename, html_to_pdf, place_date, place_of

# --- the forms ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormSpec:
    """One form of the decree's annex. ``kind`` and ``subject`` are its printed title (in
    Vietnamese, as the decree words it; ``_en`` for a reader in English); ``label`` names it on
    the case page."""

    code: str
    kind: str
    subject: str
    kind_en: str
    subject_en: str
    label: str

    def title(self, lang: Lang) -> str:
        return f"{lang.field(self, 'kind')} {lang.field(self, 'subject')}".strip()


#: The subject common to the forms of the procedure of Articles 25-30.
_ABUSED = "TRẺ EM BỊ XÂM HẠI HOẶC CÓ NGUY CƠ BỊ BẠO LỰC, BÓC LỘT, BỎ RƠI"
_ABUSED_EN = "a child who is abused or at risk of violence, exploitation or abandonment"

FORMS = {
    spec.code: spec
    for spec in (
        FormSpec(
            "01",
            "BÁO CÁO",
            f"TIẾP NHẬN THÔNG TIN {_ABUSED}",
            "REPORT",
            f"on the receipt of information on {_ABUSED_EN}",
            _("Receipt of the report (Form 01)"),
        ),
        FormSpec(
            "02",
            "ĐÁNH GIÁ NGUY CƠ BAN ĐẦU",
            f"ĐỐI VỚI {_ABUSED}",
            "INITIAL RISK ASSESSMENT",
            f"of {_ABUSED_EN}",
            _("Initial assessment (Form 02)"),
        ),
        FormSpec(
            "03",
            "XÁC MINH, ĐÁNH GIÁ CHI TIẾT",
            f"VÀ HỌP XỬ LÝ TRƯỜNG HỢP {_ABUSED}",
            "DETAILED ASSESSMENT",
            f"and case meeting on {_ABUSED_EN}",
            _("Detailed assessment and case meeting (Form 03)"),
        ),
        FormSpec(
            "04",
            "KẾ HOẠCH",
            f"HỖ TRỢ, CAN THIỆP ĐỐI VỚI {_ABUSED}",
            "PLAN",
            f"of support and intervention for {_ABUSED_EN}",
            _("Support and intervention plan (Form 04)"),
        ),
        FormSpec(
            "05",
            "QUYẾT ĐỊNH",
            f"Về việc phê duyệt kế hoạch hỗ trợ, can thiệp đối với {_ABUSED.lower()}",
            "DECISION",
            f"approving the plan of support and intervention for {_ABUSED_EN}",
            _("Decision approving the plan (Form 05)"),
        ),
        FormSpec(
            "06",
            "RÀ SOÁT, ĐÁNH GIÁ TÌNH TRẠNG CỦA TRẺ EM",
            "SAU KHI THỰC HIỆN KẾ HOẠCH HỖ TRỢ, CAN THIỆP",
            "REVIEW OF THE CHILD'S SITUATION",
            "after the plan of support and intervention was carried out",
            _("Review of the case (Form 06)"),
        ),
    )
}

SEX_LABELS = {"male": _("Male"), "female": _("Female")}
RISK_COLUMNS = {"high": _("High"), "medium": _("Medium"), "low": _("Low")}
#: What the three risks of Forms 02 and 06 assess (Decree 56/2017, the annex's tables).
RISK_CRITERIA = (
    ("harm", _("1. The harm to the child")),
    ("access", _("2. The abuser's access to the child")),
    ("environment", _("3. The obstacles to the child's safety in the care environment")),
)
CHECKED, UNCHECKED = "☒", "☐"

#: A dotted blank to be completed by hand: "…" marks, with a place to wrap every ten of them so
#: that a narrow screen does not scroll sideways.
ZERO_WIDTH_SPACE = "\u200b"
DOTS_PER_LINE = 60
#: The blank rows of a table with nothing recorded yet.
BLANK_ROWS = 3


def dots(n: int = DOTS_PER_LINE) -> str:
    groups, rest = divmod(n, 10)
    return ZERO_WIDTH_SPACE.join(["…" * 10] * groups + (["…" * rest] if rest else []))


# --- what a document holds ---------------------------------------------------------------------------
# The values and texts of a form may name the child: they stay out of the ``repr``s, so that a
# document printed in a log or a traceback shows none.


@dataclass(frozen=True)
class Heading:
    text: str
    centred: bool = False
    kind: str = "heading"


@dataclass(frozen=True)
class Line:
    """``label: value``; no value prints ``lines`` dotted lines instead."""

    label: str
    value: str | None = field(default=None, repr=False)
    lines: int = 1
    kind: str = "line"

    @property
    def blank(self) -> bool:
        return self.value is None or not str(self.value).strip()

    @property
    def more_lines(self) -> range:
        return range(max(self.lines - 1, 0))


@dataclass(frozen=True)
class Paragraph:
    text: str = field(repr=False)
    kind: str = "paragraph"


@dataclass(frozen=True)
class Table:
    header: tuple
    rows: list = field(repr=False)
    #: Indices of the columns centred (ticks, dates).
    centred: tuple = ()
    #: The columns' widths in per cent of the table's (the PDF lays out a fixed table).
    widths: tuple = ()
    kind: str = "table"


@dataclass(frozen=True)
class Signer:
    title: str
    note: str = ""
    name: str = ""


@dataclass
class Document:
    spec: FormSpec
    number: str  # the case's number: "TC-2017-0003"
    form_label: str  # "Mẫu số 02"
    kind: str
    subject: str
    issuer: str
    doc_number: str  # "Số: …/BC-UBND", "Số: 15/QĐ-UBND"; "" for none
    case_line: str  # "Hồ sơ số: TC-2017-0003"
    place_date: str
    blocks: list = field(default_factory=list)
    signers: list = field(default_factory=list)
    recipients: list = field(default_factory=list)
    #: A plan or a decision not approved yet says so across the page.
    watermark: str = ""
    #: Who the document is issued by, above the body of a decision ("CHỦ TỊCH ỦY BAN NHÂN DÂN ...").
    authority: str = ""

    def filename(self) -> str:
        """ "TC-2017-0003-mau-02.pdf": the case's number and the form, never a name."""
        return filename(self.number, "mau", self.spec.code, ext="pdf")


# --- reading the case ----------------------------------------------------------------------------------


@dataclass
class CaseData:
    """What the forms print, decrypted: the case, its child (None when none is linked), services
    and reviews, and the names of the people and units they mention."""

    case: procedure.CaseRecord
    child: register_services.ChildRecord | None
    services: list
    reviews: list
    people: dict = field(repr=False)  # user id -> full name
    units: dict = field(repr=False)  # space id -> row with title, title_en


def read(dbsession, registry, case: Case) -> CaseData:
    keyring = get_keyring(registry)
    record = procedure.read_case(keyring, case)
    child = None
    if case.child_id is not None:
        row = dbsession.get(Child, case.child_id)
        child = register_services.read_child(keyring, row) if row is not None else None
    services = [procedure.read_service(keyring, s) for s in procedure.case_services(dbsession, case)]
    reviews = [procedure.read_review(keyring, r) for r in procedure.case_reviews(dbsession, case)]
    ids = {case.case_worker_id, case.created_by, *(r.created_by for r in reviews)} - {None}
    people = dict(dbsession.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}
    units = register_services.unit_titles(dbsession, [s.assigned_space_id for s in services])
    return CaseData(record, child, services, reviews, people, units)


# --- small helpers -------------------------------------------------------------------------------------


def _time(value: dt.datetime | None) -> str | None:
    """ "14:30, 05/06/2017" in Đăk Tô's time; None stays None."""
    if value is None:
        return None
    return f"{to_local(value):%H:%M}, {format_date(local_date(value))}"


def _day(value) -> str | None:
    if value is None:
        return None
    return format_date(local_date(value) if isinstance(value, dt.datetime) else value)


def _date_line(space, day: dt.date | None, lang: Lang) -> str:
    """The place-and-date line; a blank date to be written by hand while the step is not done."""
    place = place_of(space)
    if day is None:
        return lang.t(_("${place}, day … month … year 20…"), place=place)
    return place_date(place, day, lang)


def _ticks(level: str | None) -> list[str]:
    return [CHECKED if level == option else UNCHECKED for option in RISK_LEVELS]


def _risk_table(levels: dict, lang: Lang) -> Table:
    """The three risks rated high / medium / low (Forms 02 and 06), and how many of each."""
    rows = [[lang.t(label), *_ticks(levels.get(key))] for key, label in RISK_CRITERIA]
    counts = [sum(1 for key, _label in RISK_CRITERIA if levels.get(key) == option) for option in RISK_LEVELS]
    known = any(levels.get(key) for key, _label in RISK_CRITERIA)
    rows.append([lang.t(_("Total")), *((str(n) if known else "") for n in counts)])
    header = (lang.t(_("Criterion")), *(lang.t(RISK_COLUMNS[o]) for o in RISK_LEVELS))
    return Table(header, rows, centred=(1, 2, 3), widths=(52, 16, 16, 16))


def _child_lines(data: CaseData, lang: Lang, *, full: bool = True) -> list:
    """The child as the forms identify it: from the register entry linked to the case."""
    child = data.child
    lines = [
        Line(lang.t(_("Full name of the child")), child.full_name if child else None),
        Line(lang.t(_("Date of birth")), format_date(child.date_of_birth) if child else None),
    ]
    if full:
        sex = lang.t(SEX_LABELS[child.sex]) if child and child.sex in SEX_LABELS else None
        ethnicity = ethnicities().get(child.ethnicity) if child and child.ethnicity else None
        lines += [
            Line(lang.t(_("Sex")), sex),
            Line(lang.t(_("Ethnic group")), ethnicity),
            Line(lang.t(_("Village")), child.village if child else None),
            Line(lang.t(_("Carers")), child.carers if child else None, lines=2),
            Line(lang.t(_("Contact")), child.contact if child else None),
        ]
    return lines


def _assignee(service, data: CaseData, lang: Lang) -> str:
    unit = data.units.get(service.assigned_space_id)
    parts = [lang.field(unit, "title") if unit else "", service.assignee or ""]
    return " — ".join(p for p in parts if p.strip())


def _services(data: CaseData, lang: Lang, *, outcomes: bool, plan_round: int | None = None) -> Table:
    header = [lang.t(_("No.")), lang.t(_("Service or intervention")), lang.t(_("Carried out by")), lang.t(_("Due"))]
    if outcomes:
        header.append(lang.t(_("Outcome")))
    rows = []
    chosen = [s for s in data.services if plan_round is None or s.plan_round == plan_round]
    for n, s in enumerate(chosen, start=1):
        row = [str(n), s.description, _assignee(s, data, lang), format_date(s.due_on)]
        if outcomes:
            if s.outcome is None:
                row.append(dots(10))
            else:
                verdict = f"{lang.t(procedure.OUTCOME_LABELS[s.outcome])} ({format_date(s.outcome_on)})"
                row.append(f"{verdict}: {s.outcome_note}" if s.outcome_note else verdict)
        rows.append(row)
    if not rows:
        rows = [[str(n)] + [dots(10)] * (len(header) - 1) for n in range(1, BLANK_ROWS + 1)]
    widths = (7, 37, 24, 14, 18) if outcomes else (7, 47, 30, 16)
    return Table(tuple(header), rows, centred=(0, 3), widths=widths)


def _person(data: CaseData, user_id: int | None) -> str:
    return data.people.get(user_id, "") if user_id else ""


SIGN_NOTE = _("(Signature and full name)")


# --- the six forms -------------------------------------------------------------------------------------


def _form_01(data: CaseData, lang: Lang, t) -> tuple[list, list]:
    case = data.case
    blocks = [
        Heading(t(_("A. General information"))),
        Heading(t(_("1. Source of the information"))),
        Line(t(_("Received from")), t(procedure.REPORTER_KIND_LABELS[case.reporter_kind])),
        Line(t(_("Time of receipt")), _time(case.received_at)),
        Heading(t(_("2. Information about the child"))),
        *_child_lines(data, lang),
        Line(t(_("Place where the events happened")), None),
        Line(t(_("What was reported, the child's present condition")), case.account, lines=4),
        Line(t(_("Likely consequences for the child without support or intervention")), None, lines=2),
        Line(t(_("Full name of the father, age, occupation")), None),
        Line(t(_("Full name of the mother, age, occupation")), None),
        Line(t(_("Family circumstances")), None, lines=2),
        Line(t(_("Support or intervention given before the information was received")), None, lines=2),
        Heading(t(_("3. The person who gave the information (if they agree to give it)"))),
        Line(t(_("Full name, address, telephone number")), case.reporter or None, lines=2),
        Line(t(_("Other notes")), None, lines=2),
    ]
    signers = [Signer(t(_("OFFICER WHO RECEIVED THE INFORMATION")), t(SIGN_NOTE), _person(data, case.created_by))]
    return blocks, signers


def _worker_lines(data: CaseData, t, label, day) -> list:
    return [
        Line(t(_("Full name of the officer")), _person(data, data.case.case_worker_id) or None),
        Line(t(label), day),
    ]


def _form_02(data: CaseData, lang: Lang, t) -> tuple[list, list]:
    case = data.case
    done = case.initial_at is not None
    in_danger = None
    if case.in_danger is not None and done:
        in_danger = "  ".join(
            f"{CHECKED if case.in_danger is value else UNCHECKED} {t(label)}"
            for value, label in ((True, _("Yes")), (False, _("No")))
        )
    blocks = [
        *_child_lines(data, lang, full=False),
        *_worker_lines(data, t, _("Date and time of the assessment"), _time(case.initial_at)),
        Heading(t(_("1. Assessment of the risk of harm"))),
        _risk_table({"harm": case.harm, "access": case.access, "environment": case.environment}, lang),
        Heading(t(_("2. Conclusion"))),
        Line(t(_("The child is in danger and needs emergency measures")), in_danger),
        Line(t(_("Emergency measures taken")), case.emergency_measures if done else None, lines=3),
        Line(t(_("Child temporarily separated from the person causing harm at")), _time(case.separated_at)),
    ]
    signers = [Signer(t(_("OFFICER WHO MADE THE ASSESSMENT")), t(SIGN_NOTE), _person(data, case.case_worker_id))]
    return blocks, signers


def _form_03(data: CaseData, lang: Lang, t) -> tuple[list, list]:
    case = data.case
    blocks = [
        *_child_lines(data, lang, full=False),
        *_worker_lines(data, t, _("Date and time of the verification and assessment"), _time(case.detailed_at)),
        Heading(t(_("1. Verification of the information and detailed assessment"))),
        Line(t(_("Findings")), case.findings, lines=6),
        Line(t(_("Needs of the child and the family")), None, lines=3),
        Heading(t(_("2. Case meeting"))),
        Line(t(_("Time of the meeting")), _time(case.meeting_at)),
        Line(t(_("Place")), None),
        Line(t(_("Attended by")), None, lines=3),
        Line(t(_("Opinions and conclusions of the meeting")), None, lines=4),
    ]
    signers = [
        Signer(t(_("CHAIR OF THE MEETING")), t(SIGN_NOTE)),
        Signer(t(_("OFFICER WHO MADE THE ASSESSMENT")), t(SIGN_NOTE), _person(data, case.case_worker_id)),
    ]
    return blocks, signers


def _form_04(data: CaseData, lang: Lang, t) -> tuple[list, list]:
    case = data.case
    levels = {"harm": case.harm, "access": case.access, "environment": case.environment}
    risks = [
        Line(t(label), t(procedure.RISK_LABELS[levels[key]]) if levels.get(key) else None)
        for key, label in RISK_CRITERIA
    ]
    blocks = [
        Heading(t(_("I. Information about the child"))),
        *_child_lines(data, lang),
        Heading(t(_("II. Risks to the child (initial assessment)"))),
        *risks,
        Heading(t(_("III. Objectives and measures"))),
        Line(t(_("Objectives and measures of the plan")), case.plan_text, lines=6),
        Heading(t(_("IV. Services and interventions"))),
        _services(data, lang, outcomes=False, plan_round=case.plan_round),
        Heading(t(_("V. Monitoring and review"))),
        Line(t(_("Case worker")), _person(data, case.case_worker_id) or None),
        Line(t(_("Next review")), _day(case.next_review_on)),
    ]
    if case.plan_state == "approved" and case.decision_number:
        decision = t(
            _("Approved by decision No. ${number} of ${date}."),
            number=case.decision_number,
            date=format_date(case.decision_date),
        )
        blocks.append(Paragraph(decision))
    signers = [
        Signer(t(_("PERSON WHO DREW UP THE PLAN")), t(SIGN_NOTE), _person(data, case.case_worker_id)),
        Signer(t(_("APPROVED BY")), t(_("CHAIRPERSON OF THE COMMUNE PEOPLE'S COMMITTEE"))),
    ]
    return blocks, signers


def _form_05(data: CaseData, lang: Lang, t, space) -> tuple[list, list]:
    case, child = data.case, data.child
    commune = lang.field(space, "title")
    who = (
        t(
            _("the child ${name}, born on ${born}, living in ${village}"),
            name=child.full_name,
            born=format_date(child.date_of_birth),
            village=child.village or dots(20),
        )
        if child
        else t(_("the child ${name}"), name=dots(30))
    )
    blocks = [
        Paragraph(t(_("Pursuant to the Law on the Organisation of Local Government of 19 June 2015;"))),
        Paragraph(t(_("Pursuant to the Law on Children of 05 April 2016;"))),
        Paragraph(
            t(
                _(
                    "Pursuant to Decree No. 56/2017/NĐ-CP of 09 May 2017 of the Government detailing some "
                    "articles of the Law on Children;"
                )
            )
        ),
        Paragraph(t(_("At the proposal of the commune's child protection officer,"))),
        Heading(t(_("DECIDES:")), centred=True),
        Paragraph(
            t(
                _(
                    "Article 1. To approve the plan of support and intervention for ${child} (case file No. "
                    "${number}), attached to this Decision."
                ),
                child=who,
                number=case.number,
            )
        ),
        Paragraph(
            t(
                _(
                    "Article 2. The commune's child protection officer ${officer} leads the carrying out of the "
                    "plan with the agencies, organisations and persons concerned, monitors it and reports on it."
                ),
                officer=_person(data, case.case_worker_id) or dots(20),
            )
        ),
        Paragraph(
            t(
                _(
                    "Article 3. This Decision takes effect from the date of signing. The office of ${commune}, "
                    "the commune's child protection officer, the agencies, organisations and persons concerned "
                    "and the child's family are responsible for carrying out this Decision."
                ),
                commune=commune,
            )
        ),
    ]
    signers = [Signer(t(_("CHAIRPERSON")), t(SIGN_NOTE))]
    return blocks, signers


def _form_06(data: CaseData, lang: Lang, t) -> tuple[list, list]:
    case = data.case
    blocks = [*_child_lines(data, lang, full=False)]
    reviews = data.reviews or [None]
    for n, review in enumerate(reviews, start=1):
        reviewer = _person(data, review.created_by) if review else _person(data, case.case_worker_id)
        if len(reviews) > 1:
            blocks.append(Heading(t(_("Review ${n}"), n=n)))
        blocks += [
            Line(t(_("Full name of the officer")), reviewer or None),
            Line(t(_("Date of the review")), _day(review.reviewed_on) if review else None),
            Heading(t(_("1. Assessment of the risks at the end of the plan"))),
            _risk_table(
                {"harm": review.harm, "access": review.access, "environment": review.environment} if review else {},
                lang,
            ),
            Line(t(_("Notes")), review.notes if review else None, lines=3),
            Line(
                t(_("Decision")),
                "  ".join(
                    f"{CHECKED if review and review.decision == key else UNCHECKED} {t(label)}"
                    for key, label in procedure.REVIEW_DECISION_LABELS.items()
                ),
            ),
        ]
    blocks += [
        Heading(t(_("2. Results of the services and interventions"))),
        _services(data, lang, outcomes=True),
    ]
    signers = [Signer(t(_("OFFICER WHO MADE THE REVIEW")), t(SIGN_NOTE), _person(data, case.case_worker_id))]
    return blocks, signers


def _spelled_out(issuer: str) -> str:
    """ "UBND XÃ TÂN CẢNH" as a decision's authority names it: "ỦY BAN NHÂN DÂN XÃ TÂN CẢNH"."""
    prefix = "UBND "
    return "ỦY BAN NHÂN DÂN " + issuer[len(prefix) :] if issuer.startswith(prefix) else issuer


def _step_day(data: CaseData, code: str) -> dt.date | None:
    """The day the form's step was done (its document's date), None while it is not."""
    case = data.case
    moments = {
        "01": case.received_at,
        "02": case.initial_at,
        "03": case.detailed_at,
        "04": case.plan_drafted_at,
        "05": case.decision_date if case.plan_state == "approved" else None,
        "06": data.reviews[-1].reviewed_on if data.reviews else None,
    }
    value = moments[code]
    if isinstance(value, dt.datetime):
        return local_date(value)
    return value


def document(lang: Lang, space, data: CaseData, code: str) -> Document:
    """Form ``code`` ("01" to "06") of the case in ``data``; KeyError for another code."""
    spec = FORMS[code]
    case = data.case

    def t(message, **mapping):
        return lang.t(message, **mapping)

    issuer = lang.field(space, "title").upper()
    approved = case.plan_state == "approved"
    if code == "05":
        blocks, signers = _form_05(data, lang, t, space)
    else:
        blocks, signers = {"01": _form_01, "02": _form_02, "03": _form_03, "04": _form_04, "06": _form_06}[code](
            data, lang, t
        )
    numbers = {
        "01": t(_("No.: …/BC-UBND")),
        "04": t(_("No.: …/KH-UBND")),
        "05": t(_("No.: ${number}"), number=case.decision_number)
        if approved and case.decision_number
        else t(_("No.: …/QĐ-UBND")),
    }
    # A decision names where it goes; the other forms stay in the case file.
    recipients = []
    if code == "05":
        recipients = [
            t(_("- As in Article 3;")),
            t(_("- Division of Labour, Invalids and Social Affairs of the district;")),
            t(_("- Archives: VT, case file.")),
        ]
    return Document(
        spec=spec,
        number=case.number,
        form_label=t(_("Form No. ${code}"), code=code),
        kind=lang.field(spec, "kind"),
        subject=lang.field(spec, "subject"),
        issuer=issuer,
        doc_number=numbers.get(code, ""),
        case_line=t(_("Case file No.: ${number}"), number=case.number),
        place_date=_date_line(space, _step_day(data, code), lang),
        blocks=blocks,
        signers=signers,
        recipients=recipients,
        watermark=t(_("Not approved yet")) if code in ("04", "05") and not approved else "",
        authority=t(_("CHAIRPERSON OF ${commune}"), commune=_spelled_out(issuer)) if code == "05" else "",
    )


# --- to bytes --------------------------------------------------------------------------------------------


def _as_is(text):
    return text or ""


#: A blank line of the PDF: more dots than a line holds, cut at the line's end by the style.
PDF_FILL = "…" * 120


def page_context(doc: Document) -> dict:
    """What the print page's template gets: the browser wraps long words and the dots itself."""
    return {"doc": doc, "wrap": _as_is, "dots": dots, "fill": dots(40)}


def form_pdf(request, doc: Document) -> bytes:
    context = {"doc": doc, "wrap": breakable, "dots": dots, "fill": PDF_FILL, "pdf": True}
    return html_to_pdf(render("cases/pdf_form.jinja2", context, request=request))
