"""L005 leaves alone an install that asks for recommends explicitly, and never adds a contradicting flag."""
import pytest

from dlint.settings import Settings
from dlint.fixer import fix_text

L005 = Settings(enabled={"L005"})


@pytest.mark.parametrize("run", [
    "apt-get install -y --install-recommends curl",
    "apt-get install --install-recommends=yes -y curl",
    "apt install -y -o APT::Install-Recommends=true curl",
    "apt-get -o APT::Install-Recommends=1 install -y curl",
    "apt-get install --option=APT::Install-Recommends=true -y curl",
])
def test_explicit_recommends_is_a_choice(run):
    text = f"FROM debian:12\nRUN apt-get update && {run}\n"
    fixed, diags, problem = fix_text("Dockerfile", text, L005, unsafe=True)
    assert problem is None and fixed == text
    assert not [d for d in diags if d.code == "L005"]


def test_the_same_install_without_the_choice_is_reported_and_fixed():
    text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
    fixed, diags, _ = fix_text("Dockerfile", text, L005, unsafe=True)
    assert "--no-install-recommends" in fixed
