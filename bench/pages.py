"""The pages measured at S and M. Add a page to the benchmark by adding one line here, naming its URL.

url: a URL name (reversed with the args below, each formatted with the context: competition, round, entry...)
or a path starting with "/". A URL name that does not resolve yet (a page not built) is reported as such,
not as a failure of the benchmark. user: "anonymous", "organiser" or "judge" (the first judge of the round).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    label: str
    url: str
    user: str = "organiser"
    args: tuple = ()
    query: str = ""
    alternatives: tuple = field(default_factory=tuple)  # other URL names tried in order (names still settling)


PAGES = [
    Page(
        "public results page",
        "judging:public_announcement",
        user="anonymous",
        args=("{announcement}",),
        alternatives=("publishing:results", "judging:announcement_public", "judging:results"),
    ),
    Page("organiser's round dashboard", "judging:round_dashboard", args=("{competition}", "{round}")),
    Page("judge's queue", "judging:queue", user="judge", args=("{competition}", "{round}")),
    Page(
        "organiser's entry list, filtered",
        "entries:organiser_list",
        query="competition={competition_id}&status=eligible&region={region_id}",
    ),
]
