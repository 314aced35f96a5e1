import sys

from django.core.management.base import BaseCommand, CommandError

from judging.management.commands._round import get_round
from judging.scoring.exports import RESULT_FORMATS, results_bytes


class Command(BaseCommand):
    help = "Export the ranking of a round: one row per entry in rank order (shared/DESIGN.md)."

    def add_arguments(self, parser):
        parser.add_argument("competition", help="competition slug, e.g. kipp-sulsel-2023")
        parser.add_argument("round", help="round slug, e.g. penilaian-proposal")
        parser.add_argument("--format", choices=RESULT_FORMATS, default="csv")
        parser.add_argument("--output", help="file path (default: standard output; required for xlsx)")

    def handle(self, *args, **options):
        round_ = get_round(options["competition"], options["round"])
        data = results_bytes(round_, options["format"])
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(data)
        elif options["format"] == "xlsx":
            raise CommandError("--output is required for xlsx.")
        else:
            out = getattr(self.stdout, "_out", sys.stdout)
            out.write(data.decode("utf-8"))
