"""In-app notices and e-mail, and the reminders of reports that are due or overdue.

A reminder names the report, the unit and the due date: never a child's personal data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pyramid_mailer.exceptions import BadHeaders, InvalidMessage
from pyramid_mailer.mailer import DebugMailer, Mailer
from pyramid_mailer.message import Message
from sqlalchemy import bindparam, func, select, update

from intranet.accounts.models import User
from intranet.models.meta import utcnow
from intranet.notifications.models import Notice, ReminderSent
from intranet.reports import services as rs
from intranet.security.roles import Role
from intranet.spaces.models import Membership, Space

DUE_SOON_DAYS = 7
WRITERS = ("head", "officer")
#: One plain address: no spaces, line breaks or header syntax (a CR/LF would let an address carry
#: its own headers, and the mailer refuses the whole message, which stopped every reminder).
ADDRESS_RE = re.compile(r"[^@\s<>()\[\],;:\"\\]+@[^@\s<>()\[\],;:\"\\.]+(\.[^@\s<>()\[\],;:\"\\.]+)+")


def valid_address(address: str) -> bool:
    return len(address) <= 254 and address.isprintable() and ADDRESS_RE.fullmatch(address) is not None


#: A reader's unread notices, counted on every home page: built once.
_UNREAD = (
    select(func.count()).select_from(Notice).where(Notice.user_id == bindparam("user_id"), Notice.read_at.is_(None))
)


def unread_count(dbsession, user_id: int) -> int:
    return dbsession.scalar(_UNREAD, {"user_id": user_id}) or 0


def notices_page(dbsession, user_id: int, *, page: int, size: int):
    q = select(Notice).where(Notice.user_id == user_id)
    total = dbsession.scalar(select(func.count()).select_from(q.subquery()))
    items = dbsession.scalars(
        q.order_by(Notice.created_at.desc(), Notice.id.desc()).limit(size).offset((page - 1) * size)
    ).all()
    return items, total


def mark_all_read(dbsession, user_id: int) -> None:
    dbsession.execute(
        update(Notice).where(Notice.user_id == user_id, Notice.read_at.is_(None)).values(read_at=utcnow())
    )


@dataclass
class Reminder:
    space: object
    form: object
    period: object
    days: int  # days left (negative: overdue by -days)


def due_reminders(dbsession, registry, today: dt.date) -> list[Reminder]:
    """Reports not yet submitted whose due date is within 7 days, or passed and still fileable."""
    periods = [p for p in rs.periods(dbsession) if (p.due_date - today).days <= DUE_SOON_DAYS]
    if not periods:
        return []
    spaces = dbsession.scalars(select(Space).order_by(Space.sort_order)).all()
    result = []
    for item in rs.expected_reports(dbsession, registry, spaces, periods):
        if item.state in ("submitted", "accepted"):
            continue
        if rs.is_locked(item.period, item.submission, today):
            continue  # past the lock date: only the coordinator can reopen it
        result.append(Reminder(item.space, item.form, item.period, (item.period.due_date - today).days))
    return result


def reminder_text(reminder: Reminder) -> tuple[str, str]:
    """(subject, body) in Vietnamese."""
    p, s, f = reminder.period, reminder.space, reminder.form
    due = p.due_date.strftime("%d/%m/%Y")
    if reminder.days > 0:
        when = f"còn {reminder.days} ngày đến hạn nộp ({due})"
    elif reminder.days == 0:
        when = f"hôm nay là hạn nộp ({due})"
    else:
        when = f"đã quá hạn nộp {-reminder.days} ngày (hạn nộp {due})"
    subject = f"Nhắc hạn: {f.title} — {p.title}"
    body = (
        f"{s.title}: báo cáo «{f.title}», kỳ báo cáo «{p.title}» chưa được gửi; {when}.\n"
        "Vui lòng hoàn thành và gửi báo cáo về UBND huyện (qua Phòng Lao động – Thương binh và Xã hội)."
    )
    return subject, body


def report_path(reminder: Reminder) -> str:
    return f"/spaces/{reminder.space.slug}/reports/{reminder.form.key}/{reminder.period.code}"


def mailer_from_settings(settings):
    """Development writes e-mail to files under var/mail; production sends by SMTP (mail.*)."""
    if settings.get("intranet.mail", "debug") == "smtp":
        return Mailer.from_settings(settings, prefix="mail.")
    return DebugMailer(settings.get("intranet.mail_dir") or "var/mail")


def send_reminders(dbsession, registry, mailer, today: dt.date, *, base_url="", sender=None, out=None) -> dict:
    """Post a notice to, and e-mail, the writers of every unit that owes a report; once a day."""
    reminders = due_reminders(dbsession, registry, today)
    sent = {"reports": 0, "notices": 0, "emails": 0, "skipped": 0, "bad_addresses": 0}
    bad_logins: list[str] = []
    for i, reminder in enumerate(reminders, 1):
        key = dict(space_id=reminder.space.id, form_key=reminder.form.key, period_id=reminder.period.id, day=today)
        if dbsession.scalar(select(ReminderSent.id).filter_by(**key)) is not None:
            sent["skipped"] += 1
            continue
        members = (
            dbsession.execute(
                select(User)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.space_id == reminder.space.id, Membership.role.in_(WRITERS), User.is_active.is_(True))
            )
            .scalars()
            .all()
        )
        subject, body = reminder_text(reminder)
        url = report_path(reminder)
        for user in members:
            dbsession.add(Notice(user_id=user.id, space_id=reminder.space.id, kind="reminder", message=body, url=url))
            sent["notices"] += 1
            if user.email and mailer is not None:
                ok = valid_address(user.email)
                if ok:
                    try:
                        mailer.send(
                            Message(
                                subject=subject,
                                sender=sender,
                                recipients=[user.email],
                                body=f"{body}\n\n{base_url}{url}",
                            )
                        )
                    except (BadHeaders, InvalidMessage):
                        ok = False
                if ok:
                    sent["emails"] += 1
                else:
                    # One bad address must not stop the others; the output names the account,
                    # never the address (it may hold anything at all).
                    sent["bad_addresses"] += 1
                    if user.login not in bad_logins:
                        bad_logins.append(user.login)
        dbsession.add(ReminderSent(recipients=len(members), **key))
        sent["reports"] += 1
        if not members:
            sent["nobody"] = sent.get("nobody", 0) + 1
        if out is not None:
            print(
                f"  [{i}/{len(reminders)}] {reminder.space.slug}: {reminder.form.key} "
                f"{reminder.period.code} ({len(members)} người nhận)"
                + (
                    "  ⚠ không ai nhận: đơn vị chưa có Trưởng đơn vị hay cán bộ nào — hãy thêm thành viên"
                    if not members
                    else ""
                ),
                file=out,
                flush=True,
            )
    if sent.get("nobody") and out is not None:
        print(
            f"  {sent['nobody']} reminders reached no one: those units have no head or officer "
            f"(the coordinator's and the administrator's home pages list them).",
            file=out,
            flush=True,
        )
    if bad_logins and out is not None:
        print(
            f"  {sent['bad_addresses']} e-mails not sent: the address of these accounts is not valid "
            f"(correct it on the accounts page): {', '.join(bad_logins)}",
            file=out,
            flush=True,
        )
    return sent


# --- notices of the workflows: returned, accepted, approved, submitted ---------------------------------

#: What the unit is told, by action (the reviewer's acts); the coordinator is told of "submit".
_TO_UNIT = {
    "return": ("Đã bị trả lại", "{title} đã bị Phòng LĐTBXH trả lại để sửa. Lý do: {comment}"),
    "accept": ("Đã được duyệt", "{title} đã được Phòng LĐTBXH duyệt."),
    "approve": ("Đã được phê duyệt", "{title} đã được Phòng LĐTBXH phê duyệt."),
}
_TO_REVIEWER = ("Có văn bản chờ xem xét", "{space} đã gửi {title_lower}. Văn bản đang chờ chị/anh xem xét.")


def transition_notices(event) -> dict:
    """Notices (in-app, and e-mail where the account has an address) of one workflow transition.

    A returned, accepted or approved document is told to the unit's head and officers; a submitted
    one to every active coordinator. The text names the document and the unit, and the coordinator's
    comment in the in-app notice only: e-mail carries no free text, just the link.
    """
    request, action = event.request, event.action
    dbsession = request.dbsession
    if action in _TO_UNIT:
        users = dbsession.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.space_id == event.space.id, Membership.role.in_(WRITERS), User.is_active.is_(True))
        ).all()
        heading, text = _TO_UNIT[action]
    elif action == "submit":
        users = dbsession.scalars(
            select(User).where(User.global_role == Role.COORDINATOR, User.is_active.is_(True))
        ).all()
        heading, text = _TO_REVIEWER
    else:
        return {"notices": 0, "emails": 0}
    comment = " ".join((event.comment or "").split())[:500] or "xem trên trang của văn bản"
    message = text.format(
        title=event.title,
        title_lower=event.title[:1].lower() + event.title[1:],
        space=event.space.title,
        comment=comment,
    )
    settings = request.registry.settings
    sender = settings.get("mail.default_sender")
    base_url = request.application_url
    mails = []
    sent = {"notices": 0, "emails": 0}
    for user in users:
        if user.id == getattr(request.identity, "id", None):
            continue  # the one who acted knows
        dbsession.add(
            Notice(user_id=user.id, space_id=event.space.id, kind=f"workflow.{action}", message=message, url=event.path)
        )
        sent["notices"] += 1
        if user.email and valid_address(user.email):
            subject = f"{heading}: {event.title}"
            body = f"{event.space.title}: {event.title} — {heading.lower()}.\nXem tại: {base_url}{event.path}"
            mails.append(Message(subject=subject, sender=sender, recipients=[user.email], body=body))
            sent["emails"] += 1
    if mails:
        # Sent only once the change is committed: no mail about a transition that was undone.
        request.tm.get().addAfterCommitHook(_send_after_commit, args=(settings, mails))
    return sent


def _send_after_commit(committed: bool, settings, mails) -> None:
    if not committed:
        return

    mailer = mailer_from_settings(settings)
    for message in mails:
        try:
            mailer.send_immediately(message, fail_silently=True)
        except (BadHeaders, InvalidMessage, OSError):
            pass  # a notice is in the app already; one bad mail must not hide the others
