"""The public catalogue's filters, read from a query string in one place for both readers: the catalogue page
(/inovasi/) and the open data API (/api/v1/records/). Query-string names: q, province, region, agency, organisation,
category, stage, year, outcome, digital, status (province: its official two-digit code, e.g. 73 for Sulawesi
Selatan; region, agency: ids; organisation: an organisation's slug, the records of its competitions).

The page is lenient (a malformed or unknown value is dropped, the list is shown without that filter); the API is
strict (`strict=True`: a value the page would drop raises FilterError, which the API answers with 400, so that a
client learns about a typo). Both return the same dict, which records_queries.filter_records() applies."""

import re

from entries.enums import InnovationStage
from judging.records.enums import RecordOutcome
from judging.records.queries import SEARCH_MAX_LENGTH, SEARCH_MAX_TERMS, search_is_cut

FILTER_NAMES = (
    "q",
    "province",
    "region",
    "agency",
    "organisation",
    "category",
    "stage",
    "year",
    "outcome",
    "digital",
    "status",
)
ID_FILTERS = ("region", "agency", "year")
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
PROVINCE_CODE = re.compile(r"^[0-9]{2}$")
Q_MAX_LENGTH = SEARCH_MAX_LENGTH
CATEGORY_MAX_LENGTH = 60
TRUE_VALUES = ("1", "true", "yes")
FALSE_VALUES = ("0", "false", "no")
STATUS_VALUES = ("running", "stopped")

# The values the API accepts (its OpenAPI description lists the same); the page accepts these and the other
# spellings of digital (1/0, yes/no).
STRICT_CHOICES = {
    "stage": tuple(InnovationStage.values),
    "outcome": tuple(RecordOutcome.values),
    "digital": ("true", "false"),
    "status": STATUS_VALUES,
}


class FilterError(ValueError):
    """A filter value that strict parsing refuses; str() is the message for the client (English, as the API)."""


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _check_strict(params):
    """Refuse what the lenient parse would silently drop."""
    for name in ID_FILTERS:
        if name not in params:
            continue
        value = _int(params.get(name))
        if value is None:
            raise FilterError(f"{name} must be an integer")
        if value < 1:
            raise FilterError(f"{name} must be at least 1")
    for name, allowed in STRICT_CHOICES.items():
        if name in params and params[name] not in allowed:
            raise FilterError(f"{name} must be one of {', '.join(allowed)}")
    if "province" in params and not PROVINCE_CODE.match(params["province"]):
        raise FilterError("province must be a province's two-digit code, e.g. 73")
    if "organisation" in params and not SLUG.match(params["organisation"]):
        raise FilterError("organisation must be an organisation's slug")
    if len(params.get("q", "")) > Q_MAX_LENGTH:
        raise FilterError(f"q is at most {Q_MAX_LENGTH} characters")
    if search_is_cut(params.get("q", "")):
        raise FilterError(f"q has at most {SEARCH_MAX_TERMS} search terms")


def catalogue_filters(params, *, strict=False):
    """The catalogue's filters from a QueryDict-like mapping (the last value of a repeated name counts).
    strict=False drops unknown or malformed values; strict=True raises FilterError for them."""
    if strict:
        _check_strict(params)
    result = {}
    q = (params.get("q") or "").strip()[:Q_MAX_LENGTH]
    if q:
        result["q"] = q
    for name in ID_FILTERS:
        value = _int(params.get(name))
        if value is not None and value > 0:
            result[name] = value
    province = (params.get("province") or "").strip()
    if PROVINCE_CODE.match(province):
        result["province"] = province
    organisation = (params.get("organisation") or "").strip()
    if SLUG.match(organisation):
        result["organisation"] = organisation
    category = (params.get("category") or "").strip()[:CATEGORY_MAX_LENGTH]
    if category:
        result["category"] = category
    if params.get("stage") in InnovationStage.values:
        result["stage"] = params["stage"]
    if params.get("outcome") in RecordOutcome.values:
        result["outcome"] = params["outcome"]
    digital = params.get("digital")
    if digital in TRUE_VALUES:
        result["digital"] = True
    elif digital in FALSE_VALUES:
        result["digital"] = False
    status = params.get("status")
    if status in STATUS_VALUES:
        result["status"] = status
    return result
