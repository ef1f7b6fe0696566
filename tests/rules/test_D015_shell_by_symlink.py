"""D015: ln ... /bin/sh instead of SHELL."""
import pytest

from dlint.testing import findings


@pytest.mark.parametrize("run", ["RUN ln -sf /bin/bash /bin/sh", "RUN [\"/bin/ln\", \"-s\", \"bash\", \"/bin/sh\"]",
                                 "RUN set -e; sudo ln -sf bash /bin/sh", "RUN <<EOF\nln -snf /bin/bash /bin/sh\nEOF",
                                 "ONBUILD RUN ln -sf /bin/bash /bin/sh", "RUN sh -c 'ln -sf /bin/dash /bin/sh'"])
def test_linking_bin_sh_is_reported(run):
    assert [d.line for d in findings(f"FROM debian:12\n{run}\n", "D015")] == [2]


@pytest.mark.parametrize("run", ["RUN ln -s /bin/sh /usr/local/bin/sh2x", "RUN echo ln /bin/sh",
                                 "RUN ln -sf /usr/bin/python3 /usr/bin/python", "RUN ls -l /bin/sh"])
def test_other_links_are_not_reported(run):
    assert not findings(f"FROM debian:12\n{run}\n", "D015")
