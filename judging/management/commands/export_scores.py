import sys

from django.core.management.base import BaseCommand

from judging.exports import SCORE_FORMATS, iter_scores
from judging.management.commands._round import get_round


class Command(BaseCommand):
    help = "Export every score of a round: one row per entry x judge x criterion (shared/DESIGN.md)."

    def add_arguments(self, parser):
        parser.add_argument("competition", help="competition slug, e.g. kipp-sulsel-2023")
        parser.add_argument("round", help="round slug, e.g. penilaian-proposal")
        parser.add_argument("--format", choices=SCORE_FORMATS, default="csv")
        parser.add_argument("--output", help="file path (default: standard output)")

    def handle(self, *args, **options):
        round_ = get_round(options["competition"], options["round"])
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as handle:
                for chunk in iter_scores(round_, options["format"]):
                    handle.write(chunk)
        else:
            out = getattr(self.stdout, "_out", sys.stdout)
            for chunk in iter_scores(round_, options["format"]):
                out.write(chunk)
