"""Root reads and writes everything: these helpers run a command without the capabilities that allow it,
so that file permission bits apply as they do for other users."""
import os
import subprocess
import sys

import pytest


def _drop_permission_override():
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    for cap in (cap_dac_override, cap_dac_read_search):
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def permission_bits_enforced(tmp_path):
    """``preexec_fn`` under which file permission bits apply to the command (None when not root), or skip."""
    if os.geteuid() != 0:
        return None
    if not sys.platform.startswith("linux"):
        pytest.skip("running as root: permission bits are not enforced and capabilities cannot be dropped here")
    probe = tmp_path / "probe"
    probe.mkdir(mode=0)
    try:
        r = subprocess.run([sys.executable, "-c", f"import os; os.listdir({str(probe)!r})"],
                           preexec_fn=_drop_permission_override, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"running as root and cannot drop CAP_DAC_OVERRIDE ({exc}): permission bits are not enforced")
    finally:
        probe.rmdir()
    if r.returncode == 0:
        pytest.skip("running as root and dropping CAP_DAC_OVERRIDE does not take effect here")
    return _drop_permission_override
