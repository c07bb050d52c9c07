"""The real mini set, replicated under new challenge ids, for the benchmarks."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT.parent / "shared" / "data" / "dacr_bench_v1.0_mini.json"


def replicate_mini(copies: int) -> dict:
    """The mini set replicated ``copies`` times under new challenge ids."""
    data = json.loads(MINI.read_text(encoding="utf-8"))
    base = data["challenges"]
    data["challenges"] = [
        {**challenge, "challengeId": f"{challenge['challengeId']}-r{copy:04d}"}
        for copy in range(copies)
        for challenge in base
    ]
    return data
