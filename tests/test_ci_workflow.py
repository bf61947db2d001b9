"""The CI workflow users run: valid YAML that calls the README's test command and publishes the evaluation."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_the_workflow_runs_the_readme_test_command_and_publishes_the_report() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["test"]["steps"]
    commands = [step.get("run", "") for step in steps]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = re.search(r"^(bash scripts/test)\s+#", readme, re.MULTILINE)
    assert test_command, "the README names its test command"
    assert any(test_command.group(1) in command for command in commands)
    assert any("GITHUB_STEP_SUMMARY" in command and "ci-summary.md" in command for command in commands)
    uploads = [step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["with"]["path"] == "test-artifacts/eval/"
    assert "torch" in workflow["jobs"]["test"]["env"]["PIP_EXTRA_INDEX_URL"] or "cpu" in str(workflow)


def test_the_ci_entry_point_calls_the_same_command() -> None:
    assert "bash scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
