"""dlint: a linter and autofixer for Dockerfiles that makes images smaller and builds faster."""

__version__ = "0.1.0"
