"""The reminder e-mail: one message per party, in English, Japanese and Russian together (a
focal point reads one of them; the app does not know which, since accounts have no language).

The link is the round's path in the portal, relative: the settings hold no public address of
the portal (``cajd export calendar`` and ``cajd site build`` take it as ``--base-url``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from cajd.model import Party, ReportingRound


@dataclass(frozen=True)
class Missing:
    """What the party has not done: no report at all, or a draft (version ``draft``) saved but
    not submitted."""

    draft: int | None
    items: int


def round_path(round_id: str, lang: str = "en") -> str:
    """The round's page in the workspace, where the focal point writes and submits the report
    (``cajd.web.rounds_forms``)."""
    return f"/{lang}/workspace/rounds/{round_id}"


def _title(row: ReportingRound, lang: str) -> str:
    return getattr(row, f"title_{lang}", None) or row.title_en


def _missing(missing: Missing, lang: str) -> str:
    if missing.draft is None:
        return {"en": f"no report has been started ({missing.items} items to report on)",
                "ja": f"報告はまだ作成されていません（報告項目 {missing.items} 件）",
                "ru": f"отчёт ещё не начат (пунктов для отчёта: {missing.items})"}[lang]
    return {"en": f"a draft (version {missing.draft}) is saved but not submitted",
            "ja": f"下書き（第{missing.draft}版）は保存されていますが、提出されていません",
            "ru": f"черновик (версия {missing.draft}) сохранён, но не представлен"}[lang]


def message(row: ReportingRound, party: Party, missing: Missing, today: dt.date,
            sender: str, recipients: list[str]) -> EmailMessage:
    overdue = today > row.deadline
    deadline = row.deadline.isoformat()
    msg = EmailMessage()
    what = "Overdue" if overdue else "Reminder"
    # One line: a header may not hold a line break (the email package raises on one), and a
    # title written in a form may have one.
    title = " ".join(row.title_en.split())
    msg["Subject"] = f"{what}: {party.id}'s report for {title}, due {deadline}"
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    due_en = (f"was due on {deadline} and is overdue" if overdue else f"is due on {deadline}")
    due_ja = (f"提出期限 {deadline} を過ぎています" if overdue else f"提出期限は {deadline} です")
    due_ru = (f"срок представления {deadline} истёк" if overdue
              else f"срок представления — {deadline}")
    body = [
        f"The report of {party.name('en')} in the reporting round \"{_title(row, 'en')}\" "
        f"{due_en}: {_missing(missing, 'en')}.",
        f"Please write and submit it in the app: {round_path(row.id, 'en')}",
        "",
        f"報告ラウンド「{_title(row, 'ja')}」における{party.name('ja')}の報告は、{due_ja}。"
        f"{_missing(missing, 'ja')}。",
        f"アプリで作成・提出してください：{round_path(row.id, 'ja')}",
        "",
        f"Отчёт стороны «{party.name('ru')}» в раунде отчётности «{_title(row, 'ru')}»: "
        f"{due_ru}; {_missing(missing, 'ru')}.",
        f"Пожалуйста, подготовьте и представьте его в приложении: {round_path(row.id, 'ru')}",
        "",
        "-- ",
        "cajd: sent once per party and deadline, to the party's focal points.",
    ]
    msg.set_content("\n".join(body))
    return msg
