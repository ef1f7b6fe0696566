"""D003: EXPOSE of a port outside 0-65535."""
import pytest

from dlint.testing import findings


@pytest.mark.parametrize("ports", ["65536", "80 70000/tcp", "8000-80000", "80800/udp", "\"99999\"",
                                   "127.0.0.1:70000"])
def test_ports_above_65535_are_reported(ports):
    [d] = findings(f"FROM nginx:1.27\nEXPOSE {ports}\n", "D003")
    assert d.line == 2 and "65535" in d.message


@pytest.mark.parametrize("ports", ["0", "65535", "80/tcp 443/udp", "8000-8010", "$PORT", "${PORT:-99999}"])
def test_valid_ports_and_variables_are_not_reported(ports):
    assert not findings(f"FROM nginx:1.27\nEXPOSE {ports}\n", "D003")


def test_onbuild_and_escape():
    assert [d.line for d in findings("FROM nginx:1.27\nONBUILD EXPOSE 100000\n", "D003")] == [2]
    assert [d.line for d in findings("# escape=`\nFROM nginx:1.27\nEXPOSE 80 `\n  99999\n", "D003")] == [3]
