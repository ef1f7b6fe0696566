"""Print the schedule of the nightly reports described in a YAML file."""
import datetime
import sys
import zoneinfo

import yaml


def main(path):
    with open(path) as f:
        config = yaml.safe_load(f)
    tz = zoneinfo.ZoneInfo(config.get("timezone", "UTC"))
    for report in config["reports"]:
        hour, minute = map(int, report["at"].split(":"))
        at = datetime.time(hour, minute, tzinfo=tz)
        print(f"{report['name']:<12} {at.isoformat()} -> {', '.join(report['to'])}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/etc/report/config.yaml")
