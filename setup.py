"""The Đăk Tô child-protection intranet: the core package and the bundled agency plugins."""

import os

from setuptools import find_namespace_packages, setup

HERE = os.path.abspath(os.path.dirname(__file__))

with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
    README = f.read()

# Bundled plugins live in plugins/<package>/ and register themselves exactly as a third-party
# distribution would: through the ``intranet.plugins`` entry point group below.
BUNDLED_PLUGINS = {
    "ldtbxh": "intranet_ldtbxh",
    "taichinh": "intranet_taichinh",
    "noivu": "intranet_noivu",
    "yte": "intranet_yte",
    "giaoduc": "intranet_giaoduc",
    "vanhoa": "intranet_vanhoa",
    "congan": "intranet_congan",
    "ttyte": "intranet_ttyte",
    "danso": "intranet_danso",
    "truyenhinh": "intranet_truyenhinh",
    "mattran": "intranet_mattran",
    "xa": "intranet_xa",
}

# Every folder of a package is a package, its data folders (templates, static, locale, criteria,
# migrations) included: setuptools then installs their files as package data (MANIFEST.in lists
# which) without a "Package would be ignored" warning per folder.
NOT_PACKAGES = ["*.__pycache__", "*.__pycache__.*"]
PACKAGES = find_namespace_packages(where=HERE, include=["intranet", "intranet.*"], exclude=NOT_PACKAGES) + [
    package
    for plugin in BUNDLED_PLUGINS.values()
    for package in find_namespace_packages(
        where=os.path.join(HERE, "plugins"), include=[plugin, f"{plugin}.*"], exclude=NOT_PACKAGES
    )
]

requires = [
    "pyramid>=2.0,<3",
    "pyramid_jinja2>=2.10",
    "pyramid_tm>=2.5",
    "pyramid_retry>=2.1",
    "SQLAlchemy>=2.0,<2.2",
    "zope.sqlalchemy>=3.0",
    "transaction>=4.0",
    "alembic>=1.13",
    "libpass>=1.9",
    "argon2-cffi>=23.1",
    "Babel>=2.14",
    "waitress>=3.0",
    "openpyxl>=3.1",
    "weasyprint>=61",
    "pyramid_mailer>=0.15",
    "plaster_pastedeploy",
    "PyYAML>=6.0",
    # encryption at rest of a child's identifying fields (intranet/cases/crypto.py: AES-GCM, HMAC)
    "cryptography>=42",
    # the one form layer (intranet/forms.py), as pypi/warehouse uses it
    "WTForms>=3.1,<4",
]

extras = {
    "postgresql": ["psycopg[binary]>=3.1"],
    "production": ["psycopg[binary]>=3.1", "gunicorn>=22"],
    "dev": ["pyramid_debugtoolbar>=4.10"],
    "testing": [
        "WebTest>=3.0",
        "pytest>=8",
        "pytest-cov",
        "wheel",
        "psycopg[binary]>=3.1",
        "playwright>=1.45",
        "ruff",
        # make lint: the layers of DESIGN.md section 2 as contracts (.importlinter)
        "import-linter>=2.1",
        "openapi-spec-validator>=0.7",
        "axe-playwright-python>=0.1.8",
    ],
}

setup(
    name="dakto-intranet",
    version="0.1.0",
    description="Intranet of the Đăk Tô district child-protection programme",
    long_description=README,
    long_description_content_type="text/markdown",
    python_requires=">=3.11",
    packages=PACKAGES,
    package_dir={pkg: f"plugins/{pkg}" for pkg in BUNDLED_PLUGINS.values()},
    include_package_data=True,
    zip_safe=False,
    install_requires=requires,
    extras_require=extras,
    entry_points={
        "paste.app_factory": ["main = intranet:main"],
        "console_scripts": ["intranet = intranet.cli:main"],
        "intranet.plugins": [f"{key} = {pkg}:plugin" for key, pkg in BUNDLED_PLUGINS.items()],
    },
)
