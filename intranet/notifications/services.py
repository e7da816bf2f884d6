"""In-app notices and e-mail, and the reminders of reports that are due or overdue.

A reminder names the report, the unit and the due date: never a child's personal data.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select, update

from intranet.models.meta import utcnow
from intranet.notifications.models import Notice, ReminderSent

DUE_SOON_DAYS = 7
WRITERS = ("head", "officer")
#: One plain address: no spaces, line breaks or header syntax (a CR/LF would let an address carry
#: its own headers, and the mailer refuses the whole message, which stopped every reminder).
ADDRESS_RE = re.compile(r"[^@\s<>()\[\],;:\"\\]+@[^@\s<>()\[\],;:\"\\.]+(\.[^@\s<>()\[\],;:\"\\.]+)+")


def valid_address(address: str) -> bool:
    return len(address) <= 254 and address.isprintable() and ADDRESS_RE.fullmatch(address) is not None


def unread_count(dbsession, user_id: int) -> int:
    return dbsession.scalar(select(func.count()).select_from(Notice).where(
        Notice.user_id == user_id, Notice.read_at.is_(None))) or 0


def notices_page(dbsession, user_id: int, *, page: int, size: int):
    q = select(Notice).where(Notice.user_id == user_id)
    total = dbsession.scalar(select(func.count()).select_from(q.subquery()))
    items = dbsession.scalars(q.order_by(Notice.created_at.desc(), Notice.id.desc())
                              .limit(size).offset((page - 1) * size)).all()
    return items, total


def mark_all_read(dbsession, user_id: int) -> None:
    dbsession.execute(update(Notice).where(Notice.user_id == user_id, Notice.read_at.is_(None))
                      .values(read_at=utcnow()))


@dataclass
class Reminder:
    space: object
    form: object
    period: object
    days: int  # days left (negative: overdue by -days)


def due_reminders(dbsession, registry, today: dt.date) -> list[Reminder]:
    """Reports not yet submitted whose due date is within 7 days, or passed and still fileable."""
    from intranet.reports import services as rs
    from intranet.spaces.models import Space

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
    body = (f"{s.title}: báo cáo «{f.title}», kỳ báo cáo «{p.title}» chưa được gửi; {when}.\n"
            "Vui lòng hoàn thành và gửi báo cáo về UBND huyện (qua Phòng Lao động – Thương binh và Xã hội).")
    return subject, body


def report_path(reminder: Reminder) -> str:
    return f"/spaces/{reminder.space.slug}/reports/{reminder.form.key}/{reminder.period.code}"


def mailer_from_settings(settings):
    """Development writes e-mail to files under var/mail; production sends by SMTP (mail.*)."""
    from pyramid_mailer.mailer import DebugMailer, Mailer

    if settings.get("intranet.mail", "debug") == "smtp":
        return Mailer.from_settings(settings, prefix="mail.")
    return DebugMailer(settings.get("intranet.mail_dir") or "var/mail")


def send_reminders(dbsession, registry, mailer, today: dt.date, *, base_url="", sender=None, out=None) -> dict:
    """Post a notice to, and e-mail, the writers of every unit that owes a report; once a day."""
    from pyramid_mailer.exceptions import BadHeaders, InvalidMessage
    from pyramid_mailer.message import Message

    from intranet.accounts.models import User
    from intranet.spaces.models import Membership

    reminders = due_reminders(dbsession, registry, today)
    sent = {"reports": 0, "notices": 0, "emails": 0, "skipped": 0, "bad_addresses": 0}
    bad_logins: list[str] = []
    for i, reminder in enumerate(reminders, 1):
        key = dict(space_id=reminder.space.id, form_key=reminder.form.key, period_id=reminder.period.id, day=today)
        if dbsession.scalar(select(ReminderSent.id).filter_by(**key)) is not None:
            sent["skipped"] += 1
            continue
        members = dbsession.execute(
            select(User).join(Membership, Membership.user_id == User.id)
            .where(Membership.space_id == reminder.space.id, Membership.role.in_(WRITERS),
                   User.is_active.is_(True))
        ).scalars().all()
        subject, body = reminder_text(reminder)
        url = report_path(reminder)
        for user in members:
            dbsession.add(Notice(user_id=user.id, space_id=reminder.space.id, kind="reminder",
                                 message=body, url=url))
            sent["notices"] += 1
            if user.email and mailer is not None:
                ok = valid_address(user.email)
                if ok:
                    try:
                        mailer.send(Message(subject=subject, sender=sender, recipients=[user.email],
                                            body=f"{body}\n\n{base_url}{url}"))
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
        if out is not None:
            print(f"  [{i}/{len(reminders)}] {reminder.space.slug}: {reminder.form.key} "
                  f"{reminder.period.code} ({len(members)} người nhận)", file=out, flush=True)
    if bad_logins and out is not None:
        print(f"  {sent['bad_addresses']} e-mails not sent: the address of these accounts is not valid "
              f"(correct it on the accounts page): {', '.join(bad_logins)}", file=out, flush=True)
    return sent
