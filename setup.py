"""Package list for setuptools: the analyzer package plus the rule pack mapped into it.

pyproject.toml cannot combine automatic discovery with a mapped directory, so the list is
computed here; everything else about the build lives in pyproject.toml.
"""

from setuptools import find_packages, setup

packages = find_packages(include=["analyzer", "analyzer.*"])
packages.append("analyzer.builtin_rules")
packages += [f"analyzer.builtin_rules.{name}" for name in find_packages("rules")]

setup(packages=packages)
