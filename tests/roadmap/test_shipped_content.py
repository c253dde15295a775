"""The shipped Machine Learning Engineer roadmap is complete enough to learn from."""

from urllib.parse import urlparse

import pytest

from roadmap.content import parse_file
from tests.conftest import ML_ROADMAP, SHIPPED


@pytest.fixture(scope="module")
def spec():
    return parse_file(ML_ROADMAP)


def test_every_shipped_file_is_valid():
    files = sorted(SHIPPED.glob("*.yaml"))
    assert ML_ROADMAP in files
    for path in files:
        parse_file(path)


def test_it_is_the_published_ml_roadmap(spec):
    assert spec.slug == "machine-learning-engineer"
    assert spec.title == "Machine Learning Engineer"
    assert spec.status == "published"


def test_it_has_the_promised_size(spec):
    steps = spec.steps()
    assert len(spec.phases) >= 6
    assert len(steps) >= 30
    assert sum(len(step.milestones) for step in steps) >= 90
    assert len(spec.skills) >= 25


def test_every_step_has_hours_resources_and_milestones(spec):
    for step in spec.steps():
        assert step.hours >= 1, step.key
        assert step.resources, step.key
        assert step.milestones, step.key


def test_resources_point_at_the_public_sites_the_articles_name(spec):
    hosts = {urlparse(r.url).hostname for step in spec.steps() for r in step.resources}
    for site in (
        "coursera.org",
        "kaggle.com",
        "pytorch.org",
        "tensorflow.org",
        "scikit-learn.org",
        "github.com",
        "edx.org",
        "acm.org",
        "linkedin.com",
        "aws.amazon.com",
        "cloud.google.com",
        "microsoft.com",
    ):
        assert any(host == site or host.endswith("." + site) for host in hosts), site


@pytest.mark.parametrize(
    "topic",
    [
        "linear algebra",
        "calculus",
        "probability",
        "optimi",
        "python",
        "algorithm",
        "feature",
        "supervised",
        "unsupervised",
        "reinforcement",
        "numpy",
        "pandas",
        "scikit-learn",
        "pytorch",
        "tensorflow",
        "jax",
        "transformer",
        "experiment tracking",
        "feature store",
        "monitor",
        "docker",
        "kubernetes",
        "nlp",
        "computer vision",
        "federated",
        "quantum",
        "bias",
        "interpretab",
        "privacy",
        "kaggle",
        "open source",
        "portfolio",
        "communicat",
        "julia",
        "rust",
        "career ladder",
        "network",
        "environmental",
    ],
)
def test_it_covers_the_topics_of_the_source_articles(spec, topic):
    text = " ".join(
        [spec.summary, spec.description]
        + [skill.name for skill in spec.skills]
        + [
            " ".join([step.title, step.summary, *(m.title for m in step.milestones)])
            for step in spec.steps()
        ]
    ).lower()
    assert topic in text
