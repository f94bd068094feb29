"""The one-click link that opens the course on a JupyterHub (nbgitpuller).

    make class-link HUB=https://hub.example.edu [REPO=https://github.com/you/autograd-lab] [BRANCH=main]
    make class-link HUB=... START=exercises/03_leaves_and_no_grad.ipynb   # hand out one exercise

A student who opens the link signs in; the hub starts their server, nbgitpuller clones the
repository into their home (or merges the newest version into the copy they already have,
keeping their own edits) and JupyterLab opens notebooks/00_start_here.ipynb in it, or the
notebook START names (a lesson, or an exercise notebook in exercises/).
The hub's single-user environment needs nbgitpuller installed (deploy/README.md).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
START = "notebooks/00_start_here.ipynb"


class LinkError(ValueError):
    """Something the link needs is missing or malformed; the message says what to pass."""


def _git(*args: str, cwd: Path = REPO_ROOT, timeout: float = 15) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else None


def https_url(remote: str) -> str:
    """A clone URL a hub can fetch without keys: git@host:owner/name(.git) and
    ssh://git@host/owner/name become https://host/owner/name."""
    remote = remote.strip()
    scp = re.fullmatch(r"[\w.-]+@([\w.-]+):(?!/)(.+)", remote)
    if scp:
        remote = f"https://{scp[1]}/{scp[2]}"
    elif remote.startswith("ssh://"):
        parts = urlsplit(remote)
        remote = f"https://{parts.hostname}{parts.path}"
    elif remote.startswith("git://"):
        remote = "https://" + remote[len("git://") :]
    parts = urlsplit(remote)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise LinkError(
            f"the repository {remote!r} is not a web address a hub can clone: "
            "pass REPO=https://github.com/you/autograd-lab"
        )
    if parts.username or parts.password:
        raise LinkError("the repository address carries a user name or token: pass REPO= with a public https URL")
    return remote.rstrip("/").removesuffix(".git")


def default_branch(cwd: Path = REPO_ROOT) -> str:
    """origin's default branch (refs/remotes/origin/HEAD, else asked of origin), else the
    branch checked out here."""
    head = _git("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD", cwd=cwd)
    if head:
        return head.removeprefix("refs/remotes/origin/")
    if _git("remote", "get-url", "origin", cwd=cwd):
        listed = _git("ls-remote", "--symref", "origin", "HEAD", cwd=cwd)
        match = re.search(r"^ref: refs/heads/(\S+)\s+HEAD", listed or "", re.M)
        if match:
            return match[1]
    current = _git("symbolic-ref", "--quiet", "--short", "HEAD", cwd=cwd)
    if current:
        return current
    raise LinkError("cannot tell the default branch: pass BRANCH=main (or your branch)")


def clone_dir(repo: str) -> str:
    """The folder nbgitpuller clones into: the repository's last path part."""
    name = urlsplit(repo).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    if not name:
        raise LinkError(f"the repository {repo!r} has no name to clone into")
    return name


def start_path(start: str, root: Path = REPO_ROOT) -> str:
    """START as a path inside the repository, to a notebook that is there."""
    path = start.strip().lstrip("./")
    if not path.endswith(".ipynb") or ".." in Path(path).parts or not (root / path).is_file():
        raise LinkError(
            f"START={start!r} is not a notebook of this repository: give a path such as "
            "notebooks/01_computational_graphs.ipynb or exercises/01_computational_graphs.ipynb"
        )
    return path


def class_link(hub: str, repo: str, branch: str, start: str = START) -> str:
    start = start_path(start)
    hub = hub.strip().rstrip("/")
    parts = urlsplit(hub)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise LinkError(f"HUB must be the hub's address, like https://hub.example.edu; got {hub!r}")
    if hub.endswith("/hub"):
        hub = hub[: -len("/hub")]
    if not branch:
        raise LinkError("BRANCH is empty: pass BRANCH=main (or your branch)")
    repo = https_url(repo)
    query = urlencode({"repo": repo, "branch": branch, "urlpath": f"lab/tree/{clone_dir(repo)}/{start}"})
    return f"{hub}/hub/user-redirect/git-pull?{query}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the one-click nbgitpuller link to the course.")
    parser.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("--repo", default="", help="clone URL (default: git remote get-url origin)")
    parser.add_argument("--branch", default="", help="branch (default: origin's default branch)")
    parser.add_argument("--start", default="", help=f"the notebook the link opens (default: {START})")
    args = parser.parse_args(argv)
    try:
        repo = args.repo or _git("remote", "get-url", "origin")
        if not repo:
            raise LinkError("this clone has no remote called origin: pass REPO=https://github.com/you/autograd-lab")
        print(class_link(args.hub, repo, args.branch or default_branch(), args.start or START))
    except LinkError as error:
        print(f"class-link: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
