"""Only what pyproject.toml cannot say: the migrations ship inside the package.

The Alembic revisions live in the top-level `alembic/` directory, the one copy
(alembic.ini points there for the `alembic` command). A wheel installs that
directory as the data-only package `service.migrations` (env.py here; its
script.py.mako and versions/*.py are package-data in pyproject.toml), which
service/db.py uses when it exists. pyproject.toml's `packages.find` cannot add a
package from another directory, hence this file; everything else is there.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["service*", "connectors*"]), "service.migrations"],
    package_dir={"service.migrations": "alembic"},
)
