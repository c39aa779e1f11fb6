from pathlib import Path

import pytest

from service.scoring.policy import Policy, PolicyError, Verdict, load_policy


def test_story_points_map_to_the_next_table_entry_up() -> None:
    policy = Policy()
    assert policy.hours_for_points(3) == (3.0, 6.0)
    assert policy.hours_for_points(4) == (5.0, 10.0)


def test_policy_file_overrides_defaults(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("policy:\n  ready_threshold: 80\n  labels:\n    ready: agent-ready\n")
    policy = load_policy(path)
    assert policy.ready_threshold == 80
    assert policy.labels.for_verdict(Verdict.READY) == "agent-ready"
    assert policy.clarity_threshold == 60


def test_bad_policy_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("ready_threshold: 180\nweights: {size: -1}\n")
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    lines = str(err.value).splitlines()
    assert any("ready_threshold" in line for line in lines)
    assert any("weights.size" in line for line in lines)


def test_finding_points_name_only_the_codes_they_change(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("policy:\n  finding_points:\n    vague-title: 3\n")
    policy = load_policy(path)
    assert policy.finding_points["vague-title"] == 3
    assert policy.finding_points["question"] == Policy().finding_points["question"]


def test_finding_points_stay_within_a_dimension(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("finding_points:\n  question: 140\n")
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert "finding_points[question]" in str(err.value)
