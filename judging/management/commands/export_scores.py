import sys

from django.core.management.base import BaseCommand

from judging.management.commands._round import get_round
from judging.scoring.exports import SCORE_FORMATS, copy_scores_csv, iter_scores


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
                self.write(round_, options["format"], handle)
        else:
            self.write(round_, options["format"], getattr(self.stdout, "_out", sys.stdout))

    def write(self, round_, fmt, handle):
        if fmt == "csv":  # PostgreSQL writes the CSV (COPY ... TO STDOUT), the same bytes as iter_scores
            copy_scores_csv(round_, handle)
            return
        for chunk in iter_scores(round_, fmt):
            handle.write(chunk)
