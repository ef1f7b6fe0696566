"""``dataclass`` and ``field`` for dlint's record classes, without the start-up cost of ``dataclasses``.

``import dataclasses`` imports ``inspect`` (and with it ``ast``, ``dis``, ``tokenize``, ...), and every
``@dataclasses.dataclass`` compiles code when its module is imported. On a one-file ``dlint check`` that
was a large share of the whole run. This module covers what dlint's records use:

- ``@dataclass`` and ``@dataclass(frozen=True)``; fields from class annotations, base class fields first;
- defaults, ``field(default=...)`` and ``field(default_factory=...)``; ``__post_init__``;
- ``__init__``, ``__repr__``, ``__eq__``; frozen records are immutable and hashable, others unhashable.

``__init__`` is generated on the first instantiation, so classes a run never builds cost nearly nothing.
"""
from __future__ import annotations

_MISSING = object()


class _Field:
    __slots__ = ("default", "default_factory")

    def __init__(self, default, default_factory):
        self.default = default
        self.default_factory = default_factory


def field(*, default=_MISSING, default_factory=_MISSING):
    """A field with a default value, or a factory called for each new record (as ``dataclasses.field``)."""
    if default is not _MISSING and default_factory is not _MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return _Field(default, default_factory)


def fields(record) -> tuple:
    """Field names of a record class or instance, in ``__init__`` order."""
    return type(record).__record_fields__ if not isinstance(record, type) else record.__record_fields__


def _specs(cls) -> dict:
    specs = {}
    for base in reversed(cls.__mro__[1:]):
        specs.update(base.__dict__.get("__record_specs__", {}))
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if isinstance(annotation, str) and annotation.replace("typing.", "").startswith("ClassVar"):
            continue
        value = cls.__dict__.get(name, _MISSING)
        if isinstance(value, _Field):
            spec = value
            if value.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, value.default)
        else:
            spec = _Field(value, _MISSING)
        specs[name] = spec  # a redefined field keeps its place, as with dataclasses
    return specs


def _build_init(cls, specs: dict, frozen: bool):
    env = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params, body = [], []
    seen_default = False
    for name, spec in specs.items():
        if spec.default is not _MISSING:
            env[f"_d_{name}"] = spec.default
            params.append(f"{name}=_d_{name}")
            value = name
            seen_default = True
        elif spec.default_factory is not _MISSING:
            env[f"_f_{name}"] = spec.default_factory
            params.append(f"{name}=_MISSING")
            value = f"_f_{name}() if {name} is _MISSING else {name}"
            seen_default = True
        else:
            if seen_default:
                raise TypeError(f"{cls.__name__}: non-default argument {name!r} follows default argument")
            params.append(name)
            value = name
        body.append(f"_set(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    src = f"def __init__(self, {', '.join(params)}):\n    " + ("\n    ".join(body) or "pass") + "\n"
    exec(src, env)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _make(cls, frozen: bool):
    specs = _specs(cls)
    names = tuple(specs)

    def __init__(self, *args, **kwargs):
        # First record of this class: compile the real __init__ and put it in place of this one.
        init = _build_init(cls, specs, frozen)
        cls.__init__ = init
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"

    def values(self) -> tuple:
        return tuple([getattr(self, n) for n in names])

    def __repr__(self):
        return f"{type(self).__qualname__}(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in names) + ")"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    if "__init__" not in cls.__dict__:
        cls.__init__ = __init__
    if "__repr__" not in cls.__dict__:
        cls.__repr__ = __repr__
    if "__eq__" not in cls.__dict__:
        cls.__eq__ = __eq__
    if frozen:
        def __setattr__(self, name, value):
            raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")

        def __delattr__(self, name):
            raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")

        cls.__setattr__ = __setattr__
        cls.__delattr__ = __delattr__
        if "__hash__" not in cls.__dict__:
            cls.__hash__ = lambda self: hash(values(self))
    elif "__hash__" not in cls.__dict__:
        cls.__hash__ = None  # mutable and compared by value: unhashable, as with dataclasses
    cls.__record_specs__ = specs
    cls.__record_fields__ = names
    cls.__match_args__ = names
    return cls


def dataclass(cls=None, *, frozen: bool = False):
    """Use as ``@dataclass`` or ``@dataclass(frozen=True)``."""
    if cls is None:
        return lambda c: _make(c, frozen)
    return _make(cls, frozen)
