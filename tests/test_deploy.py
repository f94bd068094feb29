"""deploy/: the class link, the z2jh config and the pins of the local hub."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
sys.path.insert(0, str(DEPLOY))

import class_link as cl  # noqa: E402


def parsed(link: str):
    parts = urlsplit(link)
    query = parse_qs(parts.query, strict_parsing=True)
    assert all(len(values) == 1 for values in query.values()), query
    return parts, {key: values[0] for key, values in query.items()}


def test_link_opens_notebook_00_through_nbgitpuller():
    link = cl.class_link("https://hub.example.edu/", "https://github.com/someone/autograd-lab.git", "main")
    parts, query = parsed(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert query == {
        "repo": "https://github.com/someone/autograd-lab",
        "branch": "main",
        "urlpath": "lab/tree/autograd-lab/notebooks/00_start_here.ipynb",
    }
    # nbgitpuller clones into the repository's name; the rest of urlpath is a file of this repo
    assert (REPO / query["urlpath"].split("/", 3)[3]).is_file()


@pytest.mark.parametrize(
    "remote",
    [
        "git@github.com:someone/autograd-lab.git",
        "ssh://git@github.com/someone/autograd-lab.git",
        "https://github.com/someone/autograd-lab",
    ],
)
def test_remote_forms_become_one_https_clone_url(remote):
    _, query = parsed(cl.class_link("https://hub.example.edu", remote, "trunk"))
    assert query["repo"] == "https://github.com/someone/autograd-lab" and query["branch"] == "trunk"


def test_hub_under_a_path_keeps_it():
    parts, _ = parsed(cl.class_link("https://uni.example.edu/jupyter/hub", "https://github.com/a/b", "main"))
    assert parts.path == "/jupyter/hub/user-redirect/git-pull"


@pytest.mark.parametrize(
    "hub, repo, message",
    [
        ("hub.example.edu", "https://github.com/a/b", "HUB must be"),
        ("https://hub.example.edu/?x=1", "https://github.com/a/b", "HUB must be"),
        ("https://hub.example.edu", "/home/me/autograd-lab", "not a web address"),
        ("https://hub.example.edu", "https://me:token@github.com/a/b", "user name or token"),
    ],
)
def test_bad_input_says_what_to_pass(hub, repo, message):
    with pytest.raises(cl.LinkError, match=message):
        cl.class_link(hub, repo, "main")


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow
def test_default_branch_is_origins(tmp_path):
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    origin, clone = tmp_path / "origin", tmp_path / "clone"
    git("init", "--quiet", "--initial-branch=trunk", str(origin), cwd=tmp_path)
    git(
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.edu",
        "commit",
        "--quiet",
        "--allow-empty",
        "-m",
        "start",
        cwd=origin,
    )
    git("clone", "--quiet", str(origin), str(clone), cwd=tmp_path)
    git("checkout", "--quiet", "-b", "my-work", cwd=clone)
    assert cl.default_branch(clone) == "trunk"  # origin's, not the branch checked out here
    git("remote", "remove", "origin", cwd=clone)
    assert cl.default_branch(clone) == "my-work"


@pytest.mark.slow
def test_make_class_link(tmp_path):
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    done = subprocess.run(
        [
            "make",
            "-s",
            "class-link",
            "HUB=https://hub.example.edu",
            "REPO=git@github.com:someone/autograd-lab.git",
            "BRANCH=main",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    _, query = parsed(done.stdout.strip())
    assert query["repo"] == "https://github.com/someone/autograd-lab"
    missing = subprocess.run(["make", "-s", "class-link"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert missing.returncode != 0 and "HUB=" in missing.stderr


def test_no_origin_asks_for_repo(monkeypatch, capsys):
    monkeypatch.setattr(cl, "_git", lambda *args, **kwargs: None)
    assert cl.main(["--hub", "https://hub.example.edu"]) == 2
    assert "pass REPO=" in capsys.readouterr().err


def measured() -> dict[int, dict[str, str]]:
    """The rows of deploy/loadtest-results.md, by number of students."""
    text = (DEPLOY / "loadtest-results.md").read_text()
    first_table = text[text.index("\n| students | ok |") :].strip().split("\n\n")[0]
    header, *rows = [line for line in first_table.splitlines() if line.startswith("| ")]
    names = [cell.strip() for cell in header.strip("|").split("|")]
    table = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        table[int(cells[0])] = dict(zip(names, cells))
    return table


def mib(quantity: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([GM])", quantity).groups()
    return float(number) * (1024 if unit == "G" else 1)


def test_z2jh_config_uses_the_measured_numbers():
    config = yaml.safe_load((DEPLOY / "z2jh" / "config.yaml").read_text())
    single = config["singleuser"]
    assert single["image"]["name"] and single["image"]["tag"]
    assert single["defaultUrl"] == "/lab/tree/notebooks/00_start_here.ipynb"
    memory, cpu = single["memory"], single["cpu"]
    worst = max(
        float(row["memory per student RSS p50 / max (MiB)"].split("/")[1])
        for row in measured().values()
        if row["memory per student RSS p50 / max (MiB)"] != "–"
    )
    # the guarantee holds one student's measured server and kernel, the limit room for a second kernel
    assert mib(memory["guarantee"]) >= worst
    assert mib(memory["limit"]) >= 1.5 * worst
    assert 0 < cpu["guarantee"] <= cpu["limit"]
    assert config["cull"]["enabled"] is True and 0 < config["cull"]["timeout"] <= 3600
    assert single["extraEnv"]["AUTOGRAD_LAB_THREADS"] == str(max(1, int(cpu["limit"])))


def test_local_hub_pins_are_exact():
    assert re.search(r"^jupyterhub==6\.1\.1$", (DEPLOY / "requirements-hub.txt").read_text(), re.M)
    package = json.loads((DEPLOY / "package.json").read_text())
    assert package["dependencies"] == {"configurable-http-proxy": "5.3.0"}
    lock = json.loads((DEPLOY / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == "5.3.0"


def test_loadtest_is_not_part_of_make_test():
    makefile = (REPO / "Makefile").read_text()
    test_recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)[1]
    assert "loadtest" not in test_recipe
    deploy_mk = (DEPLOY / "deploy.mk").read_text()
    assert re.search(r"^loadtest:", deploy_mk, re.M) and re.search(r"^class-link:", deploy_mk, re.M)


@pytest.mark.slow
def test_readme_build_command_makes_the_image_from_binder(tmp_path):
    """The README's repo2docker command, without building: binder/ is what it reads."""
    tool = Path(sys.executable).with_name("jupyter-repo2docker")
    if not tool.exists():
        pytest.skip("jupyter-repo2docker is a test dependency: make test installs it")
    readme = (DEPLOY / "README.md").read_text()
    command = re.search(r"^jupyter-repo2docker .*?(?<!\\)$", readme, re.M | re.S)[0].replace("\\\n", " ").split()
    assert "--target-repo-dir" in command and "--push" in command and command[-1] == "."
    shutil.copytree(REPO / "binder", tmp_path / "binder")
    args = [a for a in command[1:-1] if a != "--push"]
    args[args.index("--image-name") + 1] = "autograd-lab-test:dry-run"
    done = subprocess.run(
        [str(tool), "--no-build", "--debug", *args, str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    dockerfile = done.stdout + done.stderr
    assert done.returncode == 0, dockerfile[-2000:]
    assert '--file "binder/environment.yml"' in dockerfile and "RUN ./binder/postBuild" in dockerfile
