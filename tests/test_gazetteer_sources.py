"""The shipped list of major groups (graph/inputs/extract/groups.yaml) agrees with the national A-share dataset."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import DATASET

GROUPS = Path(__file__).resolve().parent.parent / "graph" / "inputs" / "extract" / "groups.yaml"


def test_stock_codes_match_the_national_dataset():
    company = DATASET / "company.json"
    if not company.exists():
        pytest.skip("the national dataset (../shared/datasets/a-share-chain) is absent")
    listed = {}
    for line in company.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # the dataset has a shifted row; its reader reports it
        listed[record["fullname"]] = record["code"].split(".")[0]
        listed[record["name"]] = record["code"].split(".")[0]
    groups = yaml.safe_load(GROUPS.read_text(encoding="utf-8"))["groups"]
    checked = 0
    for group in groups:
        code = re.search(r"\d{5,6}", group["source"]).group(0)
        names = [group["name"], group["name_full"], *group.get("aliases", [])]
        known = [listed[n] for n in names if n in listed]
        if known:  # Hong Kong listings and companies newer than the dataset are not in it
            checked += 1
            assert code in known, f"{group['name']}: source says {code}, the national dataset {known}"
    assert checked >= 35
