from dlint.testing import findings, fixed


def test_apt_lists_left_in_the_layer():
    [d] = findings("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", "L004")
    assert d.line == 2 and d.fix is not None and "/var/lib/apt/lists" in d.message


def test_fix_adds_the_cleanup_to_the_same_run():
    new = fixed("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", "L004")
    assert "rm -rf /var/lib/apt/lists/*" in new and new.count("RUN ") == 1


def test_pip_gets_its_flag():
    assert "--no-cache-dir" in fixed("FROM python:3.12\nRUN pip install flask\n", "L004")


def test_a_build_stage_is_not_reported():
    text = "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y curl\nFROM scratch\nCOPY --from=build /x /x\n"
    assert findings(text, "L004") == []
