"""The typed shapes of the open data API: query parameters (validated by django-ninja, described in the generated
OpenAPI document) and answers. Dates and times are ISO 8601 text, as the API has always written them."""

from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import WithJsonSchema

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000  # page * page_size stays far inside PostgreSQL's OFFSET (bigint)

DateText = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
DateTimeText = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
Url = Annotated[str, WithJsonSchema({"type": "string", "format": "uri"})]
# Text parameters hold no control characters (kipp.bad_input answers those with 400 before the API sees them).
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
PathText = Annotated[str, WithJsonSchema({"type": "string", "pattern": NO_CONTROL})]
Stage = Literal["", "penciptaan", "pengembangan", "pelembagaan"]
RecordOutcome = Literal["final", "round"]


class Error(Schema):
    error: str


# Query parameters -----------------------------------------------------------------------------------------------


ORGANISATION_SLUG = r"^[-a-zA-Z0-9_]{1,60}$"  # judging.records.filters.SLUG


class PageQuery(Schema):
    """Every list: one page as JSON, or the whole list as CSV."""

    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    format: Literal["json", "csv"] = Field("json", description="csv: the whole list")


class AnnouncementQuery(PageQuery):
    competition: str | None = Field(None, pattern=NO_CONTROL, description="competition slug")
    year: int | None = Field(None, ge=1)
    organisation: str | None = Field(
        None, pattern=ORGANISATION_SLUG, description="organisation slug: the announcements of its competitions"
    )
    province: str | None = Field(
        None,
        pattern=r"^[0-9]{2}$",
        description="province code (two digits, e.g. 73): announcements of competitions in this province",
    )


class RecordQuery(PageQuery):
    """The catalogue's filters (judging.records.filters, strict), as the page reads them."""

    q: str | None = Field(
        None,
        max_length=200,
        pattern=NO_CONTROL,
        description="full-text search (title, summary, proposal text), at most 20 words or quoted phrases",
    )
    province: str | None = Field(
        None,
        pattern=r"^[0-9]{2}$",
        description="province code (two digits, e.g. 73): records of agencies in this province",
    )
    region: int | None = Field(None, ge=1)
    agency: int | None = Field(None, ge=1)
    organisation: str | None = Field(
        None, pattern=ORGANISATION_SLUG, description="organisation slug: records of its competitions' published results"
    )
    category: str | None = Field(None, pattern=NO_CONTROL, description="category key")
    stage: Literal["penciptaan", "pengembangan", "pelembagaan"] | None = None
    year: int | None = Field(None, ge=1, description="a year in the record's published history")
    outcome: RecordOutcome | None = None
    digital: Literal["true", "false"] | None = None
    status: Literal["running", "stopped"] | None = None


# Answers ---------------------------------------------------------------------------------------------------------


class Announcement(Schema):
    id: int
    number: str = Field(description="Nomor pengumuman, mis. 065/134/II/B")
    title: str
    version: int = Field(ge=1)
    corrects: int | None = Field(description="id of the version this one corrects")
    correction_note: str
    kind: Literal["round", "final"]
    competition: str
    competition_name: str
    organisation: str = Field(description="slug of the competition's organisation (its home: /o/<slug>/)")
    organisation_name: str
    year: int
    round: str
    round_name: str
    date: DateText
    place: str
    signatory_name: str
    signatory_title: str
    public_at: DateTimeText = Field(description="when it became public: approval and embargo both passed")
    show_ranks: bool
    show_totals: bool
    list_order: Literal["rank", "alphabetical"]
    url: Url
    results: Url


class Result(Schema):
    position: int = Field(ge=1)
    rank: int | None = Field(description="null when the announcement does not show ranks")
    entry_code: str
    title: str
    agency: str
    region: str
    category: str
    total: float | None = Field(description="null when the announcement does not show totals")
    outcome: Literal["selected", "reserve"]


class Record(Schema):
    slug: str
    title: str
    short_name: str
    agency: str
    agency_id: int
    region: str
    region_id: int
    category: str
    category_key: str
    stage: Stage
    digital: bool
    first_year: int
    year: int
    outcome: RecordOutcome
    running: bool
    stopped_on: DateText | None
    last_updated: DateTimeText
    url: Url
    api: Url


class HistoryStep(Schema):
    year: int
    competition: str
    entry_code: str
    title: str
    outcome: RecordOutcome
    announcement: int


class IndicatorValue(Schema):
    date: DateText
    value: str = Field(description="decimal as text")
    source: Literal["proposal", "update"]


class Indicator(Schema):
    name: str
    unit: str
    direction: Literal["higher", "lower"]
    values: list[IndicatorValue]


class Replication(Schema):
    agency: str
    region: str
    state: Literal["agreed", "implemented"]
    agreed_at: DateTimeText | None
    implemented_at: DateTimeText | None
    records: list[str]


class RecordDetail(Record):
    summary: str
    stop_reason: str
    history: list[HistoryStep]
    indicators: list[Indicator]
    replicated_by: list[Replication]


class Page(Schema):
    """One page of a list: {count, page, page_size, pages, results}."""

    count: int = Field(ge=0)
    page: int = Field(ge=1)
    page_size: int = Field(ge=1, le=MAX_PAGE_SIZE)
    pages: int = Field(ge=1)


class AnnouncementPage(Page):
    results: list[Announcement]


class ResultPage(Page):
    results: list[Result]


class RecordPage(Page):
    results: list[Record]
