"""Each analysis on hand-built teams where the right answer is known (fake embedder:
texts sharing words are similar, texts sharing none are near-orthogonal)."""

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from alignaudit.analysis import confidence
from alignaudit.analysis.guards import length_warnings, truncation_warnings
from alignaudit.core.results import Contrast
from alignaudit.core.types import Answer, AuditOptions, Foundation, Manager
from alignaudit.features.auditor import audit
from alignaudit.formats.summary import key_findings
from alignaudit.inputs.answers import load_reference, load_team
from tests.conftest import FakeEmbedder, write_manager

GREEN = [
    "greenest freight network europe zero emissions reliable delivery",
    "reliable delivery greenest freight network europe zero emissions",
    "zero emissions greenest freight network europe reliable delivery",
    "europe greenest freight network reliable delivery zero emissions",
]
CHEAP = "cheapest trucking company acquisitions price war shareholder returns"


def make_team(root: Path, answers: dict[str, dict[str, object]]) -> Path:
    for name, fields in answers.items():
        lines = [f"manager: {name}"]
        for key, value in fields.items():
            if isinstance(value, list):
                lines.append(f"{key}:")
                lines += [f"  - {v}" for v in value]
            else:
                lines.append(f"{key}: {value}")
        write_manager(root, f"{name.lower()}.yaml", "\n".join(lines) + "\n")
    return root


@pytest.fixture
def outlier_team(tmp_path: Path) -> Path:
    answers: dict[str, dict[str, object]] = {
        n: {"vision": GREEN[i], "values": ["safety first", "honest dealing"]}
        for i, n in enumerate(["Ana", "Ben", "Cy", "Dee"])
    }
    answers["Eve"] = {"vision": CHEAP, "values": ["safety first", "honest dealing"]}
    return make_team(tmp_path / "outlier", answers)


def test_outlier_is_flagged_with_its_figures(outlier_team: Path):
    report = audit(load_team(outlier_team), FakeEmbedder())
    fi = report.findings[Foundation.VISION]
    assert [s.manager for s in fi.outliers] == ["Eve"]
    eve = fi.outliers[0]
    assert eve.rest_index > 0.9 and eve.own_index < 0.2
    assert eve.gap == pytest.approx(eve.rest_index - eve.own_index)
    assert eve.rest_score > eve.own_score
    # identical values everywhere: nobody stands apart there
    assert report.findings[Foundation.VALUES].outliers == ()


def test_no_outlier_in_a_team_that_agrees(tmp_path: Path):
    team = make_team(tmp_path / "t", {n: {"vision": GREEN[i]} for i, n in enumerate("ABCD")})
    assert audit(load_team(team), FakeEmbedder()).findings[Foundation.VISION].outliers == ()


@pytest.fixture
def silo_team(tmp_path: Path) -> Path:
    sales = "biggest market share fastest sales growth winning deals"
    tech = "open platform developers secure reliable apis engineering"
    answers: dict[str, dict[str, object]] = {}
    for i, n in enumerate(["Ann", "Bob", "Cat"]):
        answers[n] = {"unit": "Sales", "vision": f"{sales} region{i}"}
    for i, n in enumerate(["Dan", "Eli", "Fay"]):
        answers[n] = {"unit": "Tech", "vision": f"{tech} team{i}"}
    return make_team(tmp_path / "silos", answers)


def test_silos_by_unit_and_from_the_answers(silo_team: Path):
    fi = audit(load_team(silo_team), FakeEmbedder()).findings[Foundation.VISION]
    assert fi.units is not None
    assert fi.units.units == {"Sales": ("Ann", "Bob", "Cat"), "Tech": ("Dan", "Eli", "Fay")}
    assert fi.units.within_index > fi.units.between_index + 0.5
    assert sorted(g.members for g in fi.groups) == [("Ann", "Bob", "Cat"), ("Dan", "Eli", "Fay")]
    for g in fi.groups:
        assert len(g.typical) == 2
        assert {t.author for t in g.typical} <= set(g.members)
        assert all(t.inside > t.outside for t in g.typical)


def test_groups_show_even_when_units_cut_across(silo_team: Path):
    # Swap two units: the unit view blurs, the answers still show the two camps.
    for name, unit in (("cat", "Tech"), ("dan", "Sales")):
        path = silo_team / f"{name}.yaml"
        text = path.read_text().replace("unit: Sales", "unit: X").replace("unit: Tech", "unit: X")
        path.write_text(text.replace("unit: X", f"unit: {unit}"))
    fi = audit(load_team(silo_team), FakeEmbedder()).findings[Foundation.VISION]
    assert fi.units is not None and fi.units.gap < 0.5
    assert sorted(g.members for g in fi.groups) == [("Ann", "Bob", "Cat"), ("Dan", "Eli", "Fay")]


def test_no_groups_in_a_team_that_agrees(outlier_team: Path):
    assert audit(load_team(outlier_team), FakeEmbedder()).findings[Foundation.VALUES].groups == ()


def test_reference_drift_and_unechoed_statements(outlier_team: Path, tmp_path: Path):
    ref_file = tmp_path / "official.yaml"
    ref_file.write_text(
        f"vision:\n  - {GREEN[0]}\n  - quantum computing research laboratory satellites\n"
    )
    reference = load_reference(ref_file)
    report = audit(load_team(outlier_team), FakeEmbedder(), AuditOptions(reference=reference))
    ref = report.findings[Foundation.VISION].reference
    assert ref is not None
    assert ref.scores[0].manager == "Eve"  # lowest index first
    assert ref.drifts == "Eve" and ref.gap is not None and ref.gap >= 0.3
    assert ref.unechoed == ("quantum computing research laboratory satellites",)
    assert report.findings[Foundation.VALUES].reference is None  # no official values


def test_reference_file_problems_are_input_errors(tmp_path: Path):
    from alignaudit.core.errors import InputError

    bad = tmp_path / "official.yaml"
    bad.write_text("vison: x\n")
    with pytest.raises(InputError, match="did you mean 'vision'"):
        load_reference(bad)
    with pytest.raises(InputError, match="no such file"):
        load_reference(tmp_path / "missing.yaml")


def test_theme_present_in_some_foundations_only(outlier_team: Path):
    options = AuditOptions(themes=("zero emissions freight",))
    report = audit(load_team(outlier_team), FakeEmbedder(), options)
    (vision,) = report.findings[Foundation.VISION].themes
    (values,) = report.findings[Foundation.VALUES].themes
    assert vision.theme == "zero emissions freight"
    assert min(vision.scores[m] for m in ("Ana", "Ben", "Cy", "Dee")) > vision.scores["Eve"]
    assert max(values.scores.values()) < min(vision.scores[m] for m in ("Ana", "Ben"))


def test_consensus_and_unique_statements(outlier_team: Path):
    fi = audit(load_team(outlier_team), FakeEmbedder()).findings[Foundation.VISION]
    assert fi.consensus and all(e.author != "Eve" for e in fi.consensus)
    assert len(fi.consensus[0].echoed_by) == 3
    assert [e.author for e in fi.unique] == ["Eve"]
    assert fi.unique[0].statement == CHEAP


def test_no_drift_is_claimed_when_nobody_is_clearly_further(outlier_team: Path, tmp_path: Path):
    ref_file = tmp_path / "official.yaml"
    ref_file.write_text("values: [safety first, honest dealing]\n")
    options = AuditOptions(reference=load_reference(ref_file))
    ref = audit(load_team(outlier_team), FakeEmbedder(), options).findings[Foundation.VALUES]
    assert ref.reference is not None and ref.reference.drifts is None
    assert ref.reference.unechoed == ()
    assert not any(
        "drifts" in line
        for line in key_findings(audit(load_team(outlier_team), FakeEmbedder(), options))
    )


def test_interval_contains_the_score_and_narrows_with_agreement(outlier_team: Path):
    report = audit(load_team(outlier_team), FakeEmbedder())
    r, fi = report.foundations[Foundation.VISION], report.findings[Foundation.VISION]
    assert fi.interval is not None and fi.index_interval is not None
    lo, hi = fi.interval
    assert lo <= r.score <= hi
    lo_v, hi_v = report.findings[Foundation.VALUES].interval
    assert hi_v - lo_v < hi - lo  # identical values: no spread


def test_bootstrap_difference_within_noise():
    rng = np.random.default_rng(0)
    base = rng.uniform(0.4, 0.6, size=(6, 6))
    base = (base + base.T) / 2
    np.fill_diagonal(base, np.nan)
    assert confidence.within_noise(confidence.difference_interval(base, base))
    high = base + 0.4
    bounds = confidence.difference_interval(high, base)
    assert bounds is not None and bounds[0] > 0
    assert not confidence.within_noise(bounds)
    assert confidence.interval(base[:2, :2]) is None  # two managers: no interval


def test_contrasts_say_when_foundations_differ(outlier_team: Path):
    report = audit(load_team(outlier_team), FakeEmbedder())
    (c,) = report.contrasts
    assert {c.first, c.second} == {Foundation.VISION, Foundation.VALUES}


@pytest.mark.parametrize("first_higher", [True, False])
def test_a_contrast_states_its_interval_for_the_difference_it_names(outlier_team, first_higher):
    """The interval printed is that of "higher minus lower", whichever order the two
    foundations were compared in."""
    report = audit(load_team(outlier_team), FakeEmbedder())
    interval = (0.1, 0.5) if first_higher else (-0.5, -0.1)  # of vision minus values
    contrast = Contrast(Foundation.VISION, Foundation.VALUES, interval[0] + 0.2, interval, False)
    lines = key_findings(replace(report, contrasts=(contrast,)))
    higher, lower = ("vision", "values") if first_higher else ("values", "vision")
    assert (
        f"The team agrees more on {higher} than on {lower} (index difference 0.30, beyond noise "
        "(90% interval 0.10 to 0.50))." in lines
    )


def _manager(name: str, text: str) -> Manager:
    return Manager(name, f"{name}.yaml", answers={Foundation.VISION: Answer((text,), 1)})


def test_length_guards():
    word = _manager("Ann", "Growth")
    paragraph = _manager("Bob", " ".join(["word"] * 40))
    medium = _manager("Cy", " ".join(["word"] * 4))
    warnings = length_warnings((word, paragraph, medium), Foundation.VISION)
    assert any("Ann answers in 1 word and Bob in a paragraph (40 words)" in w for w in warnings)
    assert any("Bob's answer is 10x as long as Cy's" in w for w in warnings)
    assert length_warnings((medium, medium), Foundation.VISION) == []


def test_truncation_guard():
    long_text = "word " * 300
    m = _manager("Ann", long_text.strip())
    (w,) = truncation_warnings((m,), Foundation.VISION, {long_text.strip(): 302}, 256)
    assert "302 tokens is cut to the model's 256" in w
    assert truncation_warnings((m,), Foundation.VISION, {long_text.strip(): 200}, 256) == []


def _pair(a: str, b: str, index: float, score: float):
    from alignaudit.core.results import PairScore

    return PairScore(a, b, 0.0, score, "", index, (), ())


REST_SCORES = (2.8, 3.0, 3.2, 2.9, 3.1, 3.0)  # the five others' pairs, as real teams vary


@pytest.mark.parametrize(
    ("eve_scores", "rest_index", "flagged"),
    [
        ((1.0, 1.0, 1.0, 1.0), 0.9, True),  # far below the rest, every pair of hers lower
        ((1.0, 1.0, 1.0, 3.0), 0.9, False),  # one colleague is as close to her as the rest are
        ((2.75, 2.75, 2.75, 2.75), 0.9, False),  # inside the rest's own spread
        ((1.0, 1.0, 1.0, 1.0), 0.3, False),  # the rest do not agree among themselves either
    ],
)
def test_outlier_rule_reads_the_teams_own_spread(eve_scores, rest_index, flagged):
    from alignaudit.analysis.outliers import outliers, standings

    names = ("Ana", "Ben", "Cy", "Dee", "Eve")
    eve = iter(eve_scores)
    rest = iter(REST_SCORES)
    pairs = tuple(
        _pair(a, b, 0.2, next(eve)) if "Eve" in (a, b) else _pair(a, b, rest_index, next(rest))
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    )
    found = outliers(standings(names, pairs), pairs)
    assert [s.manager for s in found] == (["Eve"] if flagged else [])


def _upgma_by_hand(d: np.ndarray, k: int) -> list[list[int]]:
    """The hand-written average linkage that camps used before scipy's, kept as a reference."""
    clusters = [[i] for i in range(len(d))]
    while len(clusters) > k:
        best = None
        for a, b in itertools.combinations(range(len(clusters)), 2):
            dist = float(np.mean(d[np.ix_(clusters[a], clusters[b])]))
            if best is None or dist < best[0]:
                best = (dist, a, b)
        assert best is not None
        _, a, b = best
        clusters[a] = sorted(clusters[a] + clusters[b])
        del clusters[b]
    return sorted(clusters)


@pytest.mark.parametrize("seed", range(12))
def test_average_linkage_finds_the_camps_the_hand_written_one_found(seed: int):
    from sklearn.metrics import silhouette_score

    from alignaudit.analysis.silos import average_linkage, silhouette

    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 25))
    points = rng.normal(size=(n, 3)) + rng.integers(0, 3, size=(n, 1)) * 3.0  # a few camps
    d = np.linalg.norm(points[:, None] - points[None, :], axis=-1)
    for k in (2, 3, 4):
        clusters = average_linkage(d, k)
        assert clusters == _upgma_by_hand(d, k)
        labels = np.empty(n, dtype=int)
        for c, members in enumerate(clusters):
            labels[members] = c
        expected = silhouette_score(d, labels, metric="precomputed")
        assert silhouette(d, clusters) == pytest.approx(expected, abs=1e-12)
