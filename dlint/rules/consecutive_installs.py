"""L002: package installs split over consecutive RUNs with the same package manager."""
from __future__ import annotations

from .. import purpose
from ..rule import SAFE, Rule
from .. import estimates
from ._groups import adjacent_run_groups, group_fix
from ._facts import PER_RUN, install_managers, package_cache_state, words_before

RULE = Rule(
    code="L002",
    name="consecutive-installs",
    severity="warning",
    summary="Consecutive RUNs install packages with the same manager; one RUN saves layers and caches",
    fix=SAFE,
    estimate=estimates.repeated_package_database,
    default_enabled=False,  # opt-in: below 90 % precision in blind review (bench/precision/results.md)
)


def check(ctx):
    if purpose.image_purpose(ctx) == purpose.ENVIRONMENT:
        return  # development, CI and build images: separate RUNs there are a fair choice, nothing ships
    for stage in ctx.stages:
        if not ctx.is_shipping(stage):
            continue  # a build stage's layers never ship: only what is copied out of it does

        def joins(a, b):
            return bool(install_managers(ctx, a) & install_managers(ctx, b))

        for group in adjacent_run_groups(ctx, stage, joins):
            managers = set.intersection(*(install_managers(ctx, i) for i in group[:2]))
            manager = sorted(managers)[0]
            layers = f"{len(group) - 1} layer{'s' if len(group) > 2 else ''}"
            if _leaving_a_cache(ctx, stage, group, manager):
                saved = f"{layers} and repeated package caches"
            elif manager in _SYSTEM_DATABASE:
                # Each RUN that installs writes the whole package database (dpkg status, rpmdb, apk's
                # installed list) again into its layer.
                saved = f"{layers} and the package database written again in each"
            else:
                continue  # merging would save layers only: that is L008's (opt-in) finding
            fix, why = group_fix(ctx, stage, group, f"Merge the {len(group)} RUNs into one")
            lines = ", ".join(str(i.line) for i in group)
            msg = f"{len(group)} consecutive RUNs install with {manager} (lines {lines}); merged into one RUN they save {saved}"
            yield ctx.at_instruction(group[0], msg, fix, no_fix_reason=why)


# System package managers: every RUN that installs stores their whole database again.
_SYSTEM_DATABASE = {"apt", "apk", "dnf", "zypper"}


def _leaving_a_cache(ctx, stage, group, manager: str) -> int:
    """How many RUNs of the group leave a cache of ``manager`` in their layer (a manager whose cache dlint
    does not know counts as leaving one)."""
    def clean(run) -> bool:
        if any(f.name == "mount" and "type=cache" in (f.value or "") for f in run.flags):
            return True  # the package cache lives in a cache mount, not in the layer
        if manager not in PER_RUN and manager != "apt":
            return False
        return package_cache_state(ctx, run, manager, words_before(ctx, stage, run))[1]

    return sum(1 for run in group if not clean(run))
