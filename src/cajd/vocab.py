"""Every controlled vocabulary of the domain, in one place, with en/ja/ru labels.

Members are declared in order; for ``Rank`` that order *is* the scale (highest first), which is what
the paper calls the "participation criterion".
"""

from __future__ import annotations

from enum import StrEnum

# Each vocabulary's labels: value -> (English, Japanese, Russian).
LABELS: dict[type[Vocabulary], dict[str, tuple[str, str, str]]] = {}


class Vocabulary(StrEnum):
    """A closed list of values, each with an en/ja/ru label (in ``LABELS``)."""

    def label(self, lang: str = "en") -> str:
        en, ja, ru = LABELS[type(self)][self.value]
        return {"en": en, "ja": ja, "ru": ru}[lang]

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]


class Lang(Vocabulary):
    EN = "en"
    JA = "ja"
    RU = "ru"


LABELS[Lang] = {
    "en": ("English", "英語", "английский"),
    "ja": ("Japanese", "日本語", "японский"),
    "ru": ("Russian", "ロシア語", "русский"),
}


class PartyKind(Vocabulary):
    STATE = "state"
    ORGANISATION = "organisation"


LABELS[PartyKind] = {
    "state": ("State", "国家", "Государство"),
    "organisation": ("Organisation", "機関", "Организация"),
}


class Role(Vocabulary):
    """A party's role in a dialogue, and the capacity in which a delegation attends."""

    MEMBER = "member"
    OBSERVER = "observer"
    GUEST = "guest"


LABELS[Role] = {
    "member": ("Member", "参加国", "Участник"),
    "observer": ("Observer", "オブザーバー", "Наблюдатель"),
    "guest": ("Guest", "ゲスト", "Гость"),
}


class BodyKind(Vocabulary):
    SUMMIT = "summit"
    MINISTERIAL = "ministerial"
    SENIOR_OFFICIALS = "senior_officials"
    TRACK_TWO = "track_two"
    WORKING_GROUP = "working_group"
    EXPERT = "expert"
    BUSINESS = "business"
    EXCHANGE = "exchange"
    CONFERENCE = "conference"
    OTHER = "other"


LABELS[BodyKind] = {
    "summit": ("Summit", "首脳会合", "Саммит"),
    "ministerial": ("Ministerial meeting", "閣僚会合", "Совещание министров"),
    "senior_officials": (
        "Senior officials' meeting",
        "高級実務者会合",
        "Совещание старших должностных лиц",
    ),
    "track_two": ("Track II dialogue", "知的対話", "Интеллектуальный диалог"),
    "working_group": ("Working group", "作業部会", "Рабочая группа"),
    "expert": ("Expert meeting", "専門家会合", "Встреча экспертов"),
    "business": ("Business dialogue", "ビジネス対話", "Деловой диалог"),
    "exchange": ("Exchange programme", "交流事業", "Программа обменов"),
    "conference": ("Conference", "会議", "Конференция"),
    "other": ("Other", "その他", "Другое"),
}


class BodyStatus(Vocabulary):
    ACTIVE = "active"
    PROPOSED = "proposed"
    DECLINED = "declined"
    NON_FUNCTIONAL = "non_functional"


LABELS[BodyStatus] = {
    "active": ("Active", "活動中", "Действует"),
    "proposed": ("Proposed", "提案", "Предложен"),
    "declined": ("Declined", "不採用", "Отклонён"),
    "non_functional": ("Non-functional", "機能停止", "Не функционирует"),
}


class Precision(Vocabulary):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


LABELS[Precision] = {
    "year": ("Year", "年", "Год"),
    "month": ("Month", "月", "Месяц"),
    "day": ("Day", "日", "День"),
}


class EventFormat(Vocabulary):
    IN_PERSON = "in_person"
    VIDEO = "video"
    HYBRID = "hybrid"


LABELS[EventFormat] = {
    "in_person": ("In person", "対面", "Очно"),
    "video": ("Video conference", "テレビ会議", "Видеоконференция"),
    "hybrid": ("Hybrid", "ハイブリッド", "Смешанный формат"),
}


class EventStatus(Vocabulary):
    HELD = "held"
    PLANNED = "planned"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


LABELS[EventStatus] = {
    "held": ("Held", "開催済み", "Состоялось"),
    "planned": ("Planned", "予定", "Запланировано"),
    "postponed": ("Postponed", "延期", "Перенесено"),
    "cancelled": ("Cancelled", "中止", "Отменено"),
}


class Rank(Vocabulary):
    """The rank of a delegation's head, highest first (declaration order is the scale)."""

    HEAD_OF_STATE = "head_of_state"
    HEAD_OF_GOVERNMENT = "head_of_government"
    MINISTER = "minister"
    DEPUTY_MINISTER = "deputy_minister"
    AMBASSADOR = "ambassador"
    DIRECTOR = "director"
    EMBASSY_STAFF = "embassy_staff"

    @property
    def level(self) -> int:
        """1 for the lowest rank up to 7 for a head of state: higher is more senior."""
        members = list(type(self))
        return len(members) - members.index(self)


LABELS[Rank] = {
    "head_of_state": ("Head of state", "国家元首", "Глава государства"),
    "head_of_government": ("Head of government", "政府の長", "Глава правительства"),
    "minister": ("Minister", "大臣", "Министр"),
    "deputy_minister": ("Deputy minister", "副大臣", "Заместитель министра"),
    "ambassador": ("Ambassador", "大使", "Посол"),
    "director": ("Director", "局長・部長", "Директор департамента"),
    "embassy_staff": ("Embassy staff", "大使館員", "Сотрудник посольства"),
}


class DocumentKind(Vocabulary):
    JOINT_STATEMENT = "joint_statement"
    DECLARATION = "declaration"
    ACTION_PLAN = "action_plan"
    ROADMAP = "roadmap"
    JOINT_PRESS_RELEASE = "joint_press_release"
    PRESS_RELEASE = "press_release"
    CHAIRS_SUMMARY = "chairs_summary"
    OTHER = "other"


LABELS[DocumentKind] = {
    "joint_statement": ("Joint statement", "共同声明", "Совместное заявление"),
    "declaration": ("Declaration", "宣言", "Декларация"),
    "action_plan": ("Action plan", "行動計画", "План действий"),
    "roadmap": ("Roadmap", "ロードマップ", "Дорожная карта"),
    "joint_press_release": ("Joint press release", "共同プレスリリース", "Совместный пресс-релиз"),
    "press_release": ("Press release", "プレスリリース", "Пресс-релиз"),
    "chairs_summary": ("Chair's summary", "議長総括", "Резюме председателя"),
    "other": ("Other", "その他", "Другое"),
}


class CommitmentKind(Vocabulary):
    FUNDING = "funding"
    CAPACITY_BUILDING = "capacity_building"
    POLICY = "policy"


LABELS[CommitmentKind] = {
    "funding": ("Funding", "資金", "Финансирование"),
    "capacity_building": ("Capacity building", "人材育成", "Подготовка кадров"),
    "policy": ("Policy measure", "政策措置", "Политическая мера"),
}


class ItemStatus(Vocabulary):
    """Status of one action item in a national implementation report."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    NOT_APPLICABLE = "not_applicable"


LABELS[ItemStatus] = {
    "not_started": ("Not started", "未着手", "Не начато"),
    "in_progress": ("In progress", "実施中", "Выполняется"),
    "completed": ("Completed", "完了", "Выполнено"),
    "not_applicable": ("Not applicable", "該当なし", "Неприменимо"),
}


class SourceKind(Vocabulary):
    SEED = "seed"
    WEB_PAGE = "web_page"
    PUBLICATION = "publication"
    DATASET = "dataset"


LABELS[SourceKind] = {
    "seed": ("Seed document", "基礎資料", "Исходный документ"),
    "web_page": ("Web page", "ウェブページ", "Веб-страница"),
    "publication": ("Publication", "出版物", "Публикация"),
    "dataset": ("Dataset", "データセット", "Набор данных"),
}


class Origin(Vocabulary):
    """Where a record row came from: the reviewed YAML dataset, or work done in the app."""

    DATASET = "dataset"
    WORKSPACE = "workspace"


LABELS[Origin] = {
    "dataset": ("Dataset", "データセット", "Набор данных"),
    "workspace": ("Workspace", "ワークスペース", "Рабочее пространство"),
}


class Registration(Vocabulary):
    """Where a delegation registered in the workspace stands: a guest is invited by the
    secretariat, a party's focal point registers its delegation, the secretariat confirms it.
    Delegations of the historical record have none (they were never registered here)."""

    INVITED = "invited"
    REGISTERED = "registered"
    CONFIRMED = "confirmed"


LABELS[Registration] = {
    "invited": ("Invited", "招待済み", "Приглашена"),
    "registered": ("Registered", "登録済み", "Зарегистрирована"),
    "confirmed": ("Confirmed", "確認済み", "Подтверждена"),
}


class AgendaStatus(Vocabulary):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


LABELS[AgendaStatus] = {
    "active": ("On the agenda", "議題に掲載", "В повестке"),
    "withdrawn": ("Withdrawn", "取り下げ", "Снят с повестки"),
}


class DocumentStatus(Vocabulary):
    """Where an outcome document stands: drafted, circulated to the parties, adopted, or
    withdrawn. The bundled record holds adopted documents only."""

    DRAFT = "draft"
    CIRCULATED = "circulated"
    ADOPTED = "adopted"
    WITHDRAWN = "withdrawn"


LABELS[DocumentStatus] = {
    "draft": ("Draft", "草案", "Проект"),
    "circulated": ("Circulated", "回覧中", "Разослан"),
    "adopted": ("Adopted", "採択済み", "Принят"),
    "withdrawn": ("Withdrawn", "撤回", "Отозван"),
}


class RemarkKind(Vocabulary):
    """A remark on a document: a comment, or an objection (recorded, never blocking)."""

    COMMENT = "comment"
    OBJECTION = "objection"


LABELS[RemarkKind] = {
    "comment": ("Comment", "コメント", "Комментарий"),
    "objection": ("Objection", "異議", "Возражение"),
}

class RoundStatus(Vocabulary):
    """A national reporting round: open for reports until the secretariat closes it."""

    OPEN = "open"
    CLOSED = "closed"


LABELS[RoundStatus] = {
    "open": ("Open", "受付中", "Открыт"),
    "closed": ("Closed", "終了", "Закрыт"),
}


class ReportState(Vocabulary):
    """A version of a party's report in a round: a draft, private to the party, or submitted
    (frozen: an amendment is a new version)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


LABELS[ReportState] = {
    "draft": ("Draft", "下書き", "Черновик"),
    "submitted": ("Submitted", "提出済み", "Представлен"),
}


class AssessmentStage(Vocabulary):
    """The G7 Research Group's two reports on a period: interim, then final."""

    INTERIM = "interim"
    FINAL = "final"


LABELS[AssessmentStage] = {
    "interim": ("Interim", "中間", "Промежуточная"),
    "final": ("Final", "最終", "Итоговая"),
}


class ReviewVerdict(Vocabulary):
    """A second assessor's review of a score."""

    AGREES = "agrees"
    DISAGREES = "disagrees"


LABELS[ReviewVerdict] = {
    "agrees": ("Agrees", "同意", "Согласен"),
    "disagrees": ("Disagrees", "不同意", "Не согласен"),
}


class Delivery(Vocabulary):
    """What became of a reminder: sent by e-mail, or (no SMTP configured, or it failed) kept in
    the app and the log, never lost."""

    SENT = "sent"
    LOGGED = "logged"
    FAILED = "failed"


LABELS[Delivery] = {
    "sent": ("Sent by e-mail", "メール送信済み", "Отправлено по почте"),
    "logged": ("Shown in the app (no mail server)", "アプリ内に表示（メールサーバーなし）",
               "Показано в приложении (нет почтового сервера)"),
    "failed": ("E-mail failed; shown in the app", "メール送信失敗（アプリ内に表示）",
               "Ошибка отправки; показано в приложении"),
}



class UserRole(Vocabulary):
    """What an account may do (the rules themselves live in ``cajd.workflow``)."""

    SECRETARIAT = "secretariat"
    FOCAL_POINT = "focal_point"
    ASSESSOR = "assessor"
    READER = "reader"


LABELS[UserRole] = {
    "secretariat": ("Secretariat", "事務局", "Секретариат"),
    "focal_point": ("Focal point", "フォーカルポイント", "Координатор"),
    "assessor": ("Assessor", "評価者", "Эксперт-оценщик"),
    "reader": ("Reader", "閲覧者", "Читатель"),
}


class PlaceKind(Vocabulary):
    """What a gazetteer entry is: a city, or a venue within one."""

    CITY = "city"
    VENUE = "venue"


LABELS[PlaceKind] = {
    "city": ("City", "都市", "Город"),
    "venue": ("Venue", "会場", "Место проведения"),
}


ALL_VOCABULARIES: tuple[type[Vocabulary], ...] = (
    Lang,
    PartyKind,
    Role,
    BodyKind,
    BodyStatus,
    Precision,
    EventFormat,
    EventStatus,
    Rank,
    DocumentKind,
    CommitmentKind,
    ItemStatus,
    SourceKind,
    Origin,
    UserRole,
    Registration,
    AgendaStatus,
    PlaceKind,
    DocumentStatus,
    RemarkKind,
    RoundStatus,
    ReportState,
    AssessmentStage,
    ReviewVerdict,
    Delivery,
)
