"""Whether a path is a file or a directory, told from its name alone: names that are directories in practice
(``dist``, ``app``, ``conf.d``, the Filesystem Hierarchy Standard's), names with a file extension, programs
under a PATH directory, system files."""
from __future__ import annotations

import posixpath
import re


# A name with a short extension is a file; ``conf.d``-style names are directories.
_FILE_NAME = re.compile(r"[^.].*\.[A-Za-z0-9][A-Za-z0-9_-]{0,7}\Z")


# Names that are, in practice, directories: a COPY of one of them copies a tree.
_DIR_NAMES = frozenset("""
    dist build builds out output bin lib libs lib64 src source app apps public static assets config configs conf etc
    data scripts www html node_modules vendor target site docs doc templates resources plugins modules packages
    files rootfs root usr local opt var home certs ssl web server client frontend backend api pkg cmd internal
    tests test spec migrations locale locales i18n fonts images img css js venv .venv site-packages dist-packages
    jars libexec share include .next .nuxt .output storage tmp cache logs wheels wheelhouse deps release publish
""".split())


def looks_like_dir(name: str) -> bool:
    base = name.rstrip("/").rsplit("/", 1)[-1]
    return base.lower() in _DIR_NAMES


def looks_like_file(name: str) -> bool:
    base = name.rstrip("/").rsplit("/", 1)[-1]
    return bool(_FILE_NAME.match(base)) and not base.endswith(".d")


# Directories where every name is a program: a file, never a directory.
BIN_DIRS = frozenset({"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"})
# Directories every image with a shell has (a COPY --chown into them creates no directory).
STANDARD_DIRS = frozenset({"/", "/bin", "/sbin", "/etc", "/home", "/root", "/tmp", "/usr", "/usr/bin", "/usr/sbin",
                           "/usr/lib", "/usr/share", "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/var"})
# Paths that are directories wherever they exist (the Filesystem Hierarchy Standard's): a COPY of one file
# to one of them puts the file inside.
FHS_DIRS = STANDARD_DIRS | frozenset({
    "/opt", "/srv", "/mnt", "/media", "/run", "/lib", "/lib64", "/usr/lib64", "/usr/include", "/usr/libexec",
    "/usr/local/lib", "/usr/local/share", "/usr/local/include", "/usr/local/etc", "/usr/local/libexec",
    "/usr/src", "/var/lib", "/var/log", "/var/cache", "/var/tmp", "/var/opt", "/var/run", "/var/spool",
    "/var/www", "/etc/default", "/etc/ssl", "/etc/ssl/certs", "/etc/cron.d", "/etc/profile.d",
    "/etc/apt", "/etc/apt/sources.list.d", "/etc/apt/apt.conf.d", "/etc/apt/preferences.d", "/etc/apt/keyrings",
    "/etc/sudoers.d", "/etc/security", "/etc/systemd", "/etc/init.d", "/usr/share/keyrings",
    "/usr/local/share/ca-certificates", "/etc/pki", "/etc/yum.repos.d", "/docker-entrypoint.d",
    "/docker-entrypoint-initdb.d", "/usr/share/nginx/html", "/etc/nginx", "/etc/nginx/conf.d",
})
# A destination named like this is a file: a letter after the dot (``python3.11`` is a directory), not a
# web or mail domain (``/var/www/example.com`` is a directory).
_FILE_DEST = re.compile(r"[^.].*\.[A-Za-z][A-Za-z0-9_-]{0,7}\Z")
_DOMAIN_ENDINGS = frozenset("com org net io dev edu gov info biz local internal lan localhost de uk fr eu app cloud".split())


# Files every system has under these names.
_SYSTEM_FILES = frozenset({"/etc/crontab", "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/hosts", "/etc/hostname",
                           "/etc/sudoers", "/etc/environment", "/etc/timezone", "/etc/localtime", "/etc/resolv.conf",
                           "/etc/fstab", "/etc/inittab", "/etc/shells", "/etc/motd", "/etc/issue", "/etc/profile",
                           "/etc/bashrc", "/etc/bash.bashrc", "/etc/inputrc", "/etc/locale.gen", "/etc/os-release"})


def named_like_directory(path: str) -> bool:
    """``/app``, ``/var/www/html``, ``/var/www/example.com``: a name directories have."""
    return looks_like_dir(path) or path.rsplit(".", 1)[-1].lower() in _DOMAIN_ENDINGS and "/" not in path.rsplit(".", 1)[-1]


def names_a_file(path: str, source: str = "") -> bool:
    """Whether a COPY destination written without a trailing slash is, in practice, never a directory
    that exists already: a program under a PATH directory, a system file, the source's own name, or a
    name with a file extension."""
    if posixpath.dirname(path) in BIN_DIRS or path in _SYSTEM_FILES:
        return True
    if source and source.rsplit("/", 1)[-1] == path.rsplit("/", 1)[-1] and not looks_like_dir(source):
        return True  # ``COPY crontab /etc/cron.d/crontab``: the name given twice is the file's
    base = path.rsplit("/", 1)[-1]
    return (bool(_FILE_DEST.match(base)) and not base.endswith(".d") and base.lower() not in _DIR_NAMES
            and base.rsplit(".", 1)[-1].lower() not in _DOMAIN_ENDINGS)
