from dlint.rules._paths import PathIndex


def test_related_finds_the_path_directories_above_and_paths_below():
    index = PathIndex()
    for p in ("/opt/app", "/etc/app/conf.d/a.conf", "/usr/local/bin/tool"):
        index.add(p)
    assert index.related("/opt/app")
    assert index.related("/opt/app/bin/run")  # /opt/app is above it
    assert index.related("/etc/app")  # a path below it was added
    assert not index.related("/etc/app", below=False)
    assert not index.related("/opt/ap")  # a prefix of a name is not a directory above
    assert not index.related("/opt/application")
    assert not index.related("/usr/local/bin/tool2")
    assert not index.related("/srv")


def test_related_before_a_position():
    index = PathIndex()
    index.add("/a/b", position=5)
    index.add("/c", position=9)
    index.add("/a/b", position=12)  # the first position counts
    assert index.related("/a/b/c", before=6) and not index.related("/a/b/c", before=5)
    assert index.related("/c/d", before=10) and not index.related("/c/d", before=9)
    assert index.related("/a", before=6) and not index.related("/a", before=6, below=False)
