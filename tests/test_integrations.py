"""The CI integrations as their users drive them: pre-commit, the Action's script, the GitLab template, the image."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from coopengine import ci

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
LUTECE_SBOM = ROOT / "examples" / "lutece" / "sbom.spdx.json"
TENDERS = ROOT / "examples" / "tenders"
# What pip or pre-commit print when the package index cannot be reached.
_OFFLINE = re.compile(r"Failed to establish a new connection|Temporary failure in name resolution|"
                      r"No matching distribution found|Could not find a version that satisfies|Network is unreachable")


# ---- pre-commit -----------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


def _try_repo(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    done = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    log = home / "pre-commit.log"
    text = done.stdout + done.stderr + (log.read_text(encoding="utf-8", errors="replace") if log.exists() else "")
    if done.returncode != 0 and "Installing environment" in text and _OFFLINE.search(text):
        pytest.skip("pre-commit could not create the hook's environment: the package index is not reachable")
    return done


def test_pre_commit_hooks_through_try_repo(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and the project as a git checkout (pre-commit clones it)")
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", ".pre-commit-hooks.yaml"], cwd=ROOT,
                             capture_output=True)
    if tracked.returncode != 0:
        pytest.skip(".pre-commit-hooks.yaml is not tracked yet (pre-commit clones only tracked files)")
    repo, home = tmp_path / "project", tmp_path / "pre-commit-home"
    (repo / "agreements").mkdir(parents=True)
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "ospo@example.org")
    _git(repo, "config", "user.name", "OSPO")
    # Parties in one file, used in another: the check reads the folder as one program.
    (repo / "agreements" / "parties.coop").write_text('party a "A"\nparty b "B"\n', encoding="utf-8")
    (repo / "agreements" / "x.coop").write_text(
        'agreement x "X" {\n parties a,b\n effective 2024-01-01\n}\n', encoding="utf-8")
    _git(repo, "add", "-A")

    check = _try_repo(repo, "coop-check", home)
    assert check.returncode == 0, check.stdout + check.stderr
    assert re.search(r"coop check\.+Passed", check.stdout)

    fmt = _try_repo(repo, "coop-fmt", home)
    assert fmt.returncode == 1 and re.search(r"coop fmt\.+Failed", fmt.stdout)
    assert "parties a, b" in (repo / "agreements" / "x.coop").read_text(encoding="utf-8")
    _git(repo, "add", "-A")
    assert _try_repo(repo, "coop-fmt", home).returncode == 0

    (repo / "agreements" / "y.coop").write_text(
        'agreement y "Y" {\n  parties a, zz\n  effective 2024-01-01\n}\n', encoding="utf-8")
    _git(repo, "add", "-A")
    broken = _try_repo(repo, "coop-check", home)
    assert broken.returncode == 1 and "E202" in broken.stdout and "y.coop:2:" in broken.stdout


def test_hooks_file_declares_what_docs_say() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"coop-check", "coop-fmt"}
    for hook in hooks.values():
        assert hook["files"] == r"\.coop$" and hook["language"] == "python"
        assert shlex.split(hook["entry"])[0] == "coop"
    assert hooks["coop-check"]["pass_filenames"] is False
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert "id: coop-check" in docs and "id: coop-fmt" in docs


# ---- the CI script behind the Action and the GitLab template --------------------------------


def _run_ci(tmp_path: Path, env: dict[str, str], *argv: str) -> tuple[int, str, str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("COOP_", "GITHUB_"))}
    done = subprocess.run([sys.executable, "-m", "coopengine.ci", *argv], cwd=tmp_path, env={**full, **env},
                          capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout, done.stderr


def test_ci_script_as_the_github_action_runs_it(tmp_path: Path) -> None:
    output = tmp_path / "github-output"
    env = {"COOP_COMMAND": "sbom", "COOP_PATHS": str(LUTECE_SBOM), "COOP_OUTBOUND": "GPL-2.0-only",
           "COOP_SARIF": "out.sarif", "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(output)}
    code, out, err = _run_ci(tmp_path, env)
    assert code == 1, err
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    annotations = [line for line in out.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 10 and all("file=" in a and ",line=" in a for a in annotations)
    assert "exit-code=1" in output.read_text(encoding="utf-8")
    assert "$ coop sbom" in err
    # --fail-on no still fails on a no; a tender that only lacks facts passes with it.
    assert _run_ci(tmp_path, {**env, "COOP_FAIL_ON": "no"})[0] == 1


def test_ci_script_as_the_gitlab_template_runs_it(tmp_path: Path) -> None:
    env = {"COOP_COMMAND": "tender", "COOP_PATHS": str(TENDERS / "lyon-2026-42.coop"),
           "COOP_BID": str(TENDERS / "bids" / "failing" / "sbom.cdx.json"), "COOP_DATE": "2026-03-15",
           "COOP_CODEQUALITY": "gl-code-quality-report.json"}
    code, out, _ = _run_ci(tmp_path, env)
    assert code == 1
    assert "coopengine: " in out and "error(s)" in out
    issues = json.loads((tmp_path / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    sarif = json.loads((tmp_path / "coopengine.sarif").read_text(encoding="utf-8"))
    assert len(issues) == len(sarif["runs"][0]["results"]) > 0
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in ("major", "minor", "info") and issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_ci_script_check_and_bad_input(tmp_path: Path) -> None:
    good = tmp_path / "a.coop"
    good.write_text('party a "A"\nparty b "B"\nagreement x "X" {\n  parties a, b\n  effective 2024-01-01\n'
                    '  clause c "C" { then permit }\n}\n', encoding="utf-8")
    assert _run_ci(tmp_path, {"COOP_COMMAND": "check"}, str(good))[0] == 0
    assert _run_ci(tmp_path, {"COOP_COMMAND": "check", "COOP_FAIL_ON": "warning"}, str(good))[0] == 1
    code, _, err = _run_ci(tmp_path, {"COOP_COMMAND": "sbom", "COOP_OUTBOUND": "MIT"}, str(tmp_path / "nope.json"))
    assert code == 2 and "nope.json" in err and not (tmp_path / "coopengine.sarif").exists()
    assert _run_ci(tmp_path, {"COOP_COMMAND": "sbom"})[0] == 2  # no paths


def test_ci_paths_split_by_lines_or_spaces() -> None:
    assert ci._split_paths("a.json b.json") == ["a.json", "b.json"]
    assert ci._split_paths("my bom.json\nother.json\n") == ["my bom.json", "other.json"]
    assert ci._split_paths("") == []


def _env_names_read_by_the_script() -> set[str]:
    return set(re.findall(r'"(COOP_[A-Z_]+)"', (ROOT / "src" / "coopengine" / "ci.py").read_text(encoding="utf-8")))


def test_action_yml_passes_every_input_to_the_script() -> None:
    action: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    run_step = next(s for s in steps if s.get("id") == "coop")
    assert run_step["run"].strip() == "python -m coopengine.ci"
    env = run_step["env"]
    assert set(env) <= _env_names_read_by_the_script()
    used = {m for v in env.values() for m in re.findall(r"inputs\.([a-z-]+)", v)}
    assert used | {"python-version"} == set(action["inputs"])
    for step in steps:  # no input is spliced into a shell line
        assert "${{" not in step.get("run", "")
    assert action["outputs"]["exit-code"]["value"] == "${{ steps.coop.outputs.exit-code }}"


def test_gitlab_template_matches_the_script() -> None:
    template: dict[str, Any] = yaml.safe_load((ROOT / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    job = template[".coopengine"]
    assert "python -m coopengine.ci" in job["script"]
    names = {k for k in job["variables"] if k not in ("COOP_IMAGE", "COOP_INSTALL")}
    assert names == _env_names_read_by_the_script()
    assert job["artifacts"]["reports"]["codequality"] == job["variables"]["COOP_CODEQUALITY"]
    assert job["artifacts"]["when"] == "always"


# ---- the container image --------------------------------------------------------------------


def _containerfile() -> list[str]:
    """The Containerfile's instructions, continuation lines joined, comments dropped."""
    text = (ROOT / "Containerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n\s*", " ", text)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_containerfile_installs_as_the_readme_says() -> None:
    lines = _containerfile()
    base = next(line for line in lines if line.startswith("FROM "))
    assert re.fullmatch(r"FROM python:3\.\d+-slim", base)
    installs = [c.strip() for line in lines if line.startswith("RUN ") for c in line[4:].split("&&")
                if c.strip().startswith("pip install")]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = re.search(r"## Quick start\n\n```sh\n(.*?)```", readme, flags=re.S)
    assert quick is not None
    readme_installs = [c.strip() for line in quick.group(1).splitlines() for c in line.split("&&")
                       if c.strip().startswith("pip install") and "[test]" not in c]

    def essential(cmd: str) -> list[str]:  # flags that only save space in an image do not count
        return [w for w in shlex.split(cmd) if w != "--no-cache-dir"]

    assert [essential(c) for c in installs] == [essential(c) for c in readme_installs] == [["pip", "install", "."]]
    user = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert user and user[-1] not in ("root", "0")
    assert 'ENTRYPOINT ["coop"]' in lines
    assert any(line.startswith("HEALTHCHECK ") and line.endswith('CMD ["coop", "--version"]') for line in lines)
    # The knowledge base is compiled in as the user who runs coop (the cache trusts only its owner's files).
    assert lines.index(f"USER {user[-1]}") < next(i for i, line in enumerate(lines) if "RUN coop " in line)
    podman = re.search(r'podman run --rm -v "\$PWD:/work" (\S+) sbom /work/bom.json --outbound EUPL-1.2', readme)
    assert podman is not None


def test_containerfile_copies_what_the_wheel_needs(tmp_path: Path) -> None:
    """Build the wheel from exactly what the Containerfile copies: rules and grammar must be inside."""
    src = tmp_path / "ctx"
    src.mkdir()
    for line in _containerfile():
        if line.startswith("COPY "):
            *sources, _dest = shlex.split(line)[1:]
            for name in sources:
                target = ROOT / name
                assert target.exists(), f"the Containerfile copies {name}, which the project lacks"
                if target.is_dir():
                    shutil.copytree(target, src / name, symlinks=True)
                else:
                    shutil.copy2(target, src / name)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                           str(src)], capture_output=True, text=True, timeout=600)
    if done.returncode != 0 and _OFFLINE.search(done.stdout + done.stderr):
        pytest.skip("pip could not fetch the build backend: the package index is not reachable")
    assert done.returncode == 0, done.stderr
    (wheel,) = (tmp_path / "dist").glob("coopengine-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "coopengine/py.typed" in names
    assert any(n.startswith("coopengine/rules/licences/") for n in names)
    assert any(n.startswith("coopengine/grammars/") for n in names)
    assert "coopengine/_compiled/kb.json" in names  # hatch_build.py ran: no YAML compiled at start-up


def _engine() -> str | None:
    for tool in ("podman", "docker"):
        if shutil.which(tool) and subprocess.run([tool, "info"], capture_output=True, timeout=60).returncode == 0:
            return tool
    return None


def test_container_image_builds_and_answers() -> None:
    tool = _engine()
    if tool is None:
        pytest.skip("no working container engine on this machine (podman or docker with a running engine)")
    subprocess.run([tool, "build", "-t", "coopengine-test", "-f", "Containerfile", "."], cwd=ROOT, check=True,
                   timeout=1800)
    done = subprocess.run([tool, "run", "--rm", "coopengine-test", "--version"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0 and "coop" in done.stdout
