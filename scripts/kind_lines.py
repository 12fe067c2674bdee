"""Lines of kind-specific code per content kind, in the working tree or at a git revision.

For each content kind's package (`src/revenge/catalog/<package>/`) it prints the code lines
in the package (not blank, not only a comment) and the code lines elsewhere in `src/revenge`
that name the kind: one of its model classes as a word, or its kind name as a string
literal. Those are the places a new kind would have to be added to by hand. Migrations are
left out (they are history), and so are the client APIs in `compat/`, whose job is mapping
each kind to a protocol's types.

    python scripts/kind_lines.py [REV]
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

KINDS = {
    "movies": (("Movie",), ("movie",)),
    "tv": (("Series", "Season", "Episode"), ("series", "season", "episode")),
    "music": (("Artist", "Album", "Track"), ("artist", "album", "track")),
    "audiobooks": (("Audiobook",), ("audiobook",)),
    "podcasts": (("Podcast", "PodcastEpisode"), ("podcast", "podcast_episode")),
}
LEFT_OUT = ("infra/db/migrations/", "compat/")


def code_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.strip().startswith("#")]


def naming(classes: tuple[str, ...], names: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(classes)
    literals = "|".join(re.escape(n) for n in names)
    return re.compile(rf"\b(?:{words})\b|[\"'](?:{literals})[\"']")


def count(src: Path) -> dict[str, tuple[int, int]]:
    files = [p for p in src.rglob("*.py") if not any(x in str(p) for x in LEFT_OUT)]
    found: dict[str, tuple[int, int]] = {}
    for package, (classes, names) in KINDS.items():
        home = src / "catalog" / package
        pattern = naming(classes, names)
        inside = sum(len(code_lines(p)) for p in files if home in p.parents)
        outside = sum(
            1
            for p in files
            if home not in p.parents
            for line in code_lines(p)
            if pattern.search(line)
        )
        found[package] = (inside, outside)
    return found


def tree(rev: str | None, into: Path) -> Path:
    if rev is None:
        return ROOT / "src" / "revenge"
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src/revenge"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src" / "revenge"


def main() -> None:
    rev = sys.argv[1] if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as tmp:
        found = count(tree(rev, Path(tmp)))
    print(f"{'kind package':14} {'in package':>10} {'elsewhere':>10}   ({rev or 'working tree'})")
    for package, (inside, outside) in found.items():
        print(f"{package:14} {inside:10} {outside:10}")


if __name__ == "__main__":
    main()
