"""`manage.py loadroadmap PATH...`: create or update roadmaps from YAML content files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roadmap.content import ContentError, load_files


class Command(BaseCommand):
    help = "Create or update roadmaps from YAML files (or folders of them). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="YAML files, or folders of *.yaml files")

    def handle(self, *args, paths, **options):
        files = []
        for path in map(Path, paths):
            files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
        if not files:
            raise CommandError("No YAML files found in: " + ", ".join(paths))
        try:
            reports = load_files(files)
        except ContentError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Nothing was loaded: {len(error.problems)} problem(s) found."
            ) from None
        for report in reports:
            if report.created:
                summary = "created"
            elif report.changes:
                summary = (
                    "updated ("
                    + ", ".join(
                        f"{what}: {count}" for what, count in sorted(report.changes.items())
                    )
                    + ")"
                )
            else:
                summary = "unchanged"
            self.stdout.write(f"{report.slug}: {summary}")
