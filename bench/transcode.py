"""Transcoding speed: a generated 60 s 720p clip (testsrc + a sine tone) through the same
function the lesson-video job runs, ``pathshala.media.transcoding.transcode_file`` (probe,
one ffmpeg run for the 360p and 720p HLS renditions, the poster). Prints numbers, asserts
nothing.

    .venv/bin/python bench/transcode.py [--seconds 60] [--size 1280x720] [--runs 1]

Needs Debian's ffmpeg and the backend virtualenv; no database, no Redis.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "backend"))

from pathshala.media import transcoding  # noqa: E402


def generate(path: Path, seconds: int, size: str) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        sys.exit("ffmpeg is not installed (apt-get install ffmpeg)")
    subprocess.run(  # noqa: S603 - fixed program, no shell
        [
            ffmpeg, "-v", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate=25",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            "-pix_fmt", "yuv420p", "-c:v", "libx264", "-c:a", "aac",
            str(path),
        ],
        check=True,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the clip")
    parser.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT of the clip")
    parser.add_argument("--runs", type=int, default=1, help="transcode it this many times")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pathshala-bench-transcode-") as work:
        source = Path(work) / "source.mp4"
        started = time.perf_counter()
        generate(source, args.seconds, args.size)
        made_in = time.perf_counter() - started
        print(f"generated a {args.seconds} s {args.size} clip in {made_in:.1f} s")
        load = os.getloadavg()[0]
        print(f"cores: {os.cpu_count()}, load average before: {load:.2f}")
        for run in range(1, args.runs + 1):
            out = Path(work) / f"out-{run}"
            started = time.perf_counter()
            result = transcoding.transcode_file(source, out)
            elapsed = time.perf_counter() - started
            size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
            print(
                f"run {run}: {result.duration:.1f} s of video in {elapsed:.1f} s: "
                f"{result.duration / elapsed:.2f}x real time "
                f"({'+'.join(result.renditions)}, {len(result.files)} files, "
                f"{size / 1e6:.1f} MB)"
            )


if __name__ == "__main__":
    main()
