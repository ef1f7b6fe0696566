"""Checking many files on several cores, with the same results in the same order as one by one.

Files are checked independently, so the work splits cleanly: a pool of worker processes takes the files
in small chunks and hands the results back in input order. On Linux the workers are forked, so they start
with dlint, its rules and tree-sitter already imported. A pool costs some tens of milliseconds to start,
so few files, or a single usable core, are checked in this process.
"""
from __future__ import annotations

import functools
import gc
import os
import sys

# Below this many files, starting workers costs more than it saves (about 2 ms per typical file).
MIN_FILES_FOR_POOL = 64


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(jobs: int) -> int:
    """How many processes to use for ``jobs`` files (1: no pool)."""
    if jobs < MIN_FILES_FOR_POOL:
        return 1
    return max(1, min(available_cores(), jobs // (MIN_FILES_FOR_POOL // 2)))


def map_ordered(func, jobs: list, workers: int = 0, progress=None) -> list:
    """``[func(job) for job in jobs]``, on ``workers`` processes (default: ``worker_count``).

    ``func`` must be a module-level function and jobs and results picklable. ``progress``, if given, is
    called with the number of results so far as they arrive.
    """
    if workers <= 0:
        workers = worker_count(len(jobs))
    if workers <= 1 or len(jobs) < 2:
        if progress is None:
            return [func(job) for job in jobs]
        out = []
        for job in jobs:
            out.append(func(job))
            progress(len(out))
        return out
    import multiprocessing

    global _inherited_jobs
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("fork")
        # Forked workers start with the jobs in their memory: only their numbers go through the pool's pipes,
        # not the jobs themselves (a file's bytes and settings, with its build context's listing).
        _inherited_jobs = jobs
        func, jobs = functools.partial(_run_inherited, func), range(len(jobs))
    else:  # fork is unsafe with the system frameworks of macOS, and missing on Windows
        context = multiprocessing.get_context()
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    # Ctrl-C reaches every process of the terminal's foreground group. Only this one handles it (and stops
    # the pool): the workers and the pool's threads start with SIGINT blocked, so none prints a traceback.
    import signal

    blocking = hasattr(signal, "pthread_sigmask")
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if blocking else None
    try:
        try:
            pool = context.Pool(workers)
        finally:
            if blocking:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a Ctrl-C held back meanwhile arrives now
        with pool:
            if progress is None:
                return pool.map(func, jobs, chunksize=chunk)
            out = []
            for result in pool.imap(func, jobs, chunksize=chunk):
                out.append(result)
                progress(len(out))
            return out
    finally:
        _inherited_jobs = []


# The jobs of the pool running now, for its forked workers (see ``map_ordered``).
_inherited_jobs: list = []


def _run_inherited(func, index: int):
    return func(_inherited_jobs[index])


def check_job(job):
    """Check (or fix) one file: ``job`` is ``(path, data, settings, fix_mode)``, fix_mode None, "safe" or
    "unsafe"."""
    path, data, settings, fix_mode = job
    # A file's syntax tree, shell commands and findings are many small objects that all stay alive until
    # the file is done: the cyclic collector would only rescan them, more often the bigger the file
    # (a third of the time on a 20,000-line file). It runs between files instead (the dlint command keeps
    # it off altogether, see dlint.entry).
    enabled = gc.isenabled()
    gc.disable()
    try:
        if fix_mode is None:
            from .checking import check_source

            return check_source(path, data, settings)
        from .fixer import fix_source

        return fix_source(path, data, settings, unsafe=(fix_mode == "unsafe"))
    finally:
        if enabled:
            gc.enable()
