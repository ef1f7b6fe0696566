from dlint.testing import findings, fixed

TEXT = ("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
        "RUN rm -rf /var/lib/apt/lists/*\n")


def test_cleanup_in_a_later_run_is_reported_where_it_deletes():
    [d] = findings(TEXT, "L003")
    assert d.line == 3 and "made by line 2" in d.message and d.fix is not None


def test_fix_moves_the_cleanup_into_the_run_that_made_it():
    new = fixed(TEXT, "L003")
    assert new.count("RUN ") == 1 and "rm -rf /var/lib/apt/lists/*" in new


def test_cleanup_in_the_same_run_is_fine():
    assert findings("FROM debian:12\nRUN apt-get update && apt-get install -y curl && "
                    "rm -rf /var/lib/apt/lists/*\n", "L003") == []
