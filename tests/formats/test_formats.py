"""Every format on one hand-built report whose answers try to break out of their cell."""

import csv
import html
import io
import itertools
import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.results import Group, Standing
from alignaudit.core.types import AuditOptions, Format, Foundation
from alignaudit.core.verdict import MEANINGS, VERDICTS, Bands, word
from alignaudit.features.auditor import audit
from alignaudit.formats import batch_table, render
from alignaudit.formats.html import VERDICT_CLASSES
from alignaudit.formats.summary import SIMILARITY_TEXT, bands_caveat, figure
from alignaudit.inputs.answers import load_reference, load_team
from alignaudit.scoring.calibration import BANDS as STS_BAND_TABLE
from tests.cli.test_cli import schema
from tests.conftest import TEXT_FORMATS, FakeEmbedder, write_manager

SCRIPT = "<script>document.title='pwned'</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'
MARKUP = "[bold red]forged[/bold red] ![img](http://evil.example/x.png)"


@pytest.fixture(scope="module")
def hostile_team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    team = tmp_path_factory.mktemp("hostile") / "team"
    write_manager(
        team,
        "ana.yaml",
        f'manager: Ana\nvision: "{SCRIPT} We lead green freight."\n'
        f"values: ['{FORMULA}', 'Honesty']\n",
    )
    write_manager(
        team,
        "ben.yaml",
        f"manager: Ben\nvision: '{MARKUP}'\nvalues: ['+1 Courage', 'Honesty']\n",
    )
    write_manager(
        team,
        "cy.yaml",
        "manager: Cy\nvision: \"Plain words\\u001b[31m in red\\u001b[0m.\"\nvalues: ['-2 Speed']\n",
    )
    return team


@pytest.fixture(scope="module")
def report(hostile_team: Path, tmp_path_factory: pytest.TempPathFactory):
    ref = tmp_path_factory.mktemp("ref") / "official.yaml"
    ref.write_text("vision: 'We lead green freight. <b>Bold</b> promises.'\n")
    options = AuditOptions(reference=load_reference(ref), themes=("green <i>freight</i>",))
    return audit(load_team(hostile_team), FakeEmbedder(), options)


def test_every_format_is_covered(report):
    for fmt in TEXT_FORMATS:
        assert render(report, fmt).strip()


def test_csv_rows_and_formula_neutralising(report):
    rows = list(csv.DictReader(io.StringIO(render(report, Format.CSV))))
    pairs = [r for r in rows if r["kind"] == "pair"]
    assert len(pairs) == sum(len(r.pairs) for r in report.foundations.values())
    for row in pairs:
        for key in ("unmatched_a", "unmatched_b", "manager_a", "manager_b"):
            assert not row[key].startswith(("=", "+", "-", "@")), row[key]
        float(row["score"]), float(row["index"]), float(row["raw"])
    cells = " ".join(r["unmatched_a"] + " " + r["unmatched_b"] for r in rows)
    assert "'" + FORMULA in cells
    assert "'+1 Courage" in cells or "'-2 Speed" in cells


def test_csv_team_and_foundation_rows(banded):
    rows = list(csv.DictReader(io.StringIO(render(banded, Format.CSV))))
    assert [r["kind"] for r in rows[:2]] == ["team", "foundation"]
    team = rows[0]
    assert team["team"] == banded.team.name and team["foundation"] == ""
    assert float(team["index"]) == pytest.approx(banded.overall_index, abs=5e-5)
    assert banded.overall_interval is None  # a foundation nobody answered: no team interval
    assert team["index_low"] == team["index_high"] == ""
    known = render(replace(banded, overall_interval=(0.125, 0.75)), Format.CSV)
    first = next(csv.DictReader(io.StringIO(known)))
    assert (first["index_low"], first["index_high"]) == ("0.1250", "0.7500")
    assert team["verdict"] == banded.overall_verdict and team["answered"] == "4"
    # no team or foundation STS figure, as in every format
    summaries = [r for r in rows if r["kind"] in ("team", "foundation")]
    assert all(r["score"] == r["band"] == r["raw"] == r["manager_a"] == "" for r in summaries)
    found = {r["foundation"]: r for r in rows if r["kind"] == "foundation"}
    assert list(found) == [f.value for f in banded.foundations]
    for f, result in banded.foundations.items():
        row = found[f.value]
        assert row["answered"] == str(len(result.answered))
        assert row["verdict"] == (result.verdict or "can't tell")
        if result.index is None:  # nobody answered it
            assert row["index"] == row["index_low"] == "" and row["answered"] == "0"
        else:
            assert float(row["index"]) == pytest.approx(result.index, abs=5e-5)
            assert float(row["index_low"]) == pytest.approx(result.index_interval[0], abs=5e-5)
            assert float(row["index_high"]) == pytest.approx(result.index_interval[1], abs=5e-5)
        # each foundation's row comes before its pairs, and only its pairs follow it
        at = rows.index(row)
        after = rows[at + 1 : at + 1 + len(result.pairs)]
        assert [(r["kind"], r["foundation"]) for r in after] == [("pair", f.value)] * len(
            result.pairs
        )
    # the pair rows keep the summary columns empty
    assert all(r["index_low"] == r["answered"] == "" for r in rows if r["kind"] == "pair")


def test_csv_summary_rows_without_figures_and_with_a_formula_name(tmp_path: Path):
    team = tmp_path / "=cmd|' -C calc'!A0"
    write_manager(team, "ana.yaml", "manager: Ana\nvision: Grow.\nmission: Serve.\n")
    write_manager(team, "ben.yaml", "manager: Ben\nvision: Grow fast.\n")
    report = audit(load_team(team), FakeEmbedder())
    rows = list(csv.DictReader(io.StringIO(render(report, Format.CSV))))
    assert {r["team"] for r in rows} == {"'=cmd|' -C calc'!A0"}  # neutralised on every row
    mission = next(r for r in rows if r["kind"] == "foundation" and r["foundation"] == "mission")
    # one answer: no figure, no interval, "can't tell", and how many answered
    assert mission["index"] == mission["index_low"] == mission["index_high"] == ""
    assert mission["verdict"] == "can't tell" and mission["answered"] == "1"
    vision = next(r for r in rows if r["kind"] == "foundation" and r["foundation"] == "vision")
    assert vision["index"] != "" and vision["index_low"] == ""  # two managers: no interval
    assert rows[0]["kind"] == "team" and rows[0]["answered"] == "2"


def test_every_human_format_says_what_a_band_word_is_worth(report):
    """Where the bands are explained, the reader is told how often they match a person."""
    words = " ".join(bands_caveat(report.bands).split())
    for fmt in (Format.TERMINAL, Format.MARKDOWN, Format.HTML):
        text = render(report, fmt, color=False, width=80)
        text = " ".join((html.unescape(text) if fmt is Format.HTML else text).split())
        assert words in text, fmt
    measured = Bands("b", 0.6, 0.4, 0.1, checked="right in 64% of 80 verdicts")
    assert "right in 64% of 80 verdicts" in bands_caveat(measured)
    assert "can't tell" in bands_caveat(None)


def test_markdown_escapes_answer_text(report):
    md = render(report, Format.MARKDOWN)
    assert "<script>" not in md and "\\<script\\>" in md
    assert "![img](" not in md and "\\[bold red\\]" in md
    assert "## Alignment audit: team" in md
    for heading in ("Key findings", "Most divergent pairs", "Against the official statement"):
        assert heading in md


# What GitHub would turn into a link, an image, a mention or an issue reference.
LINKY = (
    "https://evil.example/x",
    "www.evil.example",
    "mail me at a@b.com",
    "@octocat",
    "ping @org/team",
    "fixes #123",
    "GH-42",
    "owner/repo#7",
    "<https://x.example>",
    "[click](https://x.example)",
    "![img](https://x.example/i.png)",
)
CMARK_GFM = shutil.which("cmark-gfm")


@pytest.mark.skipif(
    CMARK_GFM is None, reason="cmark-gfm is not installed (apt-get install cmark-gfm)"
)
def test_markdown_answers_make_no_links_mentions_or_references(tmp_path: Path):
    """Rendered as GitHub renders it (cmark-gfm with its extensions), answer text, manager
    names and themes make no link, image, mention or issue reference, and read the same."""
    team = tmp_path / "team"
    names = ("Ana @ana", "Ben", "Cy")
    for i, name in enumerate(names):
        mine = list(LINKY[i::3])
        write_manager(  # JSON is YAML: every sample is one quoted string
            team,
            f"m{i}.yaml",
            f"manager: {json.dumps(name)}\nvalues: {json.dumps(mine)}\n"
            f"vision: {json.dumps(' '.join(mine))}\n",
        )
    options = AuditOptions(themes=("see www.evil.example #9",))
    md = render(audit(load_team(team), FakeEmbedder(), options), Format.MARKDOWN)
    assert CMARK_GFM is not None
    page = subprocess.run(
        [CMARK_GFM, "-e", "autolink", "-e", "table", "-e", "strikethrough", "-e", "tagfilter"],
        input=md,
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    ).stdout
    assert "<a " not in page and "<img" not in page
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))  # the text nodes GitHub scans
    for pattern in (r"@\w", r"#\d", r"GH-\d", r"\w://", r"www\."):
        assert not re.search(pattern, text), re.findall(rf".{{0,20}}{pattern}.{{0,20}}", text)
    seen = " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).replace("\u200b", "").split())
    for sample in (*LINKY, "Ana @ana", "see www.evil.example #9"):
        assert sample in seen, sample


def test_html_escapes_and_forbids_scripts(report):
    page = render(report, Format.HTML)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page or "&lt;b&gt;" in page
    assert page.count("<table") >= 3  # summary and heatmaps


def test_terminal_shows_markup_literally_and_no_escape_codes(report):
    text = render(report, Format.TERMINAL, color=False, width=80)
    assert "[bold red]forged" in text  # shown, not interpreted
    assert "\x1b" not in text
    assert "Plain words[31m in red[0m." in text  # ESC stripped at load, text kept
    coloured = render(report, Format.TERMINAL, color=True, width=80)
    ansi = re.findall(r"\x1b\[[0-9;]*m", coloured)
    assert ansi and all(code.startswith("\x1b[") for code in ansi)
    assert "\x1b[31m in red" not in coloured


def with_outlier_and_camps(report):
    """The report with, on vision, one manager flagged as standing apart and two camps."""
    fi = report.findings[Foundation.VISION]
    apart = Standing("Ben", own_index=0.1, rest_index=0.6, own_score=1.0, rest_score=3.0)
    camps = (Group(("Ana", "<b>Cy</b>"), 0.7, ()), Group(("Ben", "Dee"), 0.6, ()))
    findings = {**report.findings, Foundation.VISION: replace(fi, outliers=(apart,), groups=camps)}
    return replace(report, findings=findings)


def test_stands_apart_names_people_and_camps_have_their_own_column(report):
    both = with_outlier_and_camps(report)
    text = render(both, Format.TERMINAL, color=False, width=140)
    head = next(line for line in text.splitlines() if "stands apart" in line)
    row = next(line for line in text.splitlines() if line.startswith(" vision"))
    apart, camps = head.index("stands apart"), head.index("camps")
    assert row[apart:camps].strip() == "Ben"
    assert row[camps:].strip() == "Ana, <b>Cy</b>"
    follow = text.splitlines()[text.splitlines().index(row) + 1]
    assert follow[camps:].strip() == "Ben, Dee"  # a camp a line
    assert "camps" not in row[apart:camps]

    md = render(both, Format.MARKDOWN)
    header = "| foundation | index [90% interval] | verdict | stands apart | camps | no answer |"
    assert header in md
    below = md.splitlines()[md.splitlines().index(header) :]  # the summary table, not the page's
    cells = next(line for line in below if line.startswith("| vision |")).split(" | ")
    assert cells[3:5] == ["Ben", "Ana, \\<b\\>Cy\\</b\\> / Ben, Dee"]

    page = render(both, Format.HTML)
    assert "<th>stands apart</th><th>camps</th>" in page
    assert "<td>Ben</td><td>Ana, &lt;b&gt;Cy&lt;/b&gt; / Ben, Dee</td>" in page

    # a foundation with camps and no one apart: the camps are not in "stands apart"
    only_camps = replace(
        both,
        findings={
            **both.findings,
            Foundation.VISION: replace(both.findings[Foundation.VISION], outliers=()),
        },
    )
    lines = render(only_camps, Format.MARKDOWN).splitlines()
    cells = next(line for line in lines[lines.index(header) :] if "| vision |" in line).split(" | ")
    assert cells[3] == "" and cells[4].startswith("Ana")


def test_json_report_with_findings_matches_schema(report):
    data = json.loads(render(report, Format.JSON))
    jsonschema.validate(data, schema())
    vision = data["foundations"]["vision"]
    assert vision["reference"]["scores"][0]["manager"] in {"Ana", "Ben", "Cy"}
    assert "drifts" in vision["reference"] and "gap" in vision["reference"]
    assert list(vision["themes"]) == ["green <i>freight</i>"]
    assert set(vision) >= {"outliers", "groups", "consensus", "unique", "ideas", "warnings"}
    assert set(vision) >= {"index", "verdict", "index_interval", "statement_similarity"}
    assert "index_band" not in vision and "score" not in vision
    assert data["themes"] == ["green <i>freight</i>"]


def test_anonymize_hides_names_in_every_format(hostile_team: Path, fake_embedder, tmp_path):
    runner = CliRunner()
    key = tmp_path / "key.txt"
    for fmt in TEXT_FORMATS:
        args = ["audit", str(hostile_team), "-f", fmt.value, "--anonymize"]
        if fmt is Format.JSON:
            args += ["--anonymize-key", str(key)]
        result = runner.invoke(app, args, env={"NO_COLOR": "1"})
        assert result.exit_code == 0, result.output
        for name in ("Ana", "Ben", "ana.yaml", "ben.yaml"):
            assert name not in result.stdout, (fmt, name)
        if fmt not in (Format.JUNIT, Format.GITHUB):  # these name managers only in findings
            assert "Manager A" in result.stdout
    mapping = dict(line.split(": ", 1) for line in key.read_text().splitlines())
    assert sorted(mapping) == ["Manager A", "Manager B", "Manager C"]
    assert sorted(mapping.values()) == ["Ana", "Ben", "Cy"]
    assert (
        "Manager"
        not in json.loads(runner.invoke(app, ["audit", str(hostile_team), "-f", "json"]).stdout)[
            "managers"
        ][0]["name"]
    )


def test_anonymize_key_needs_anonymize(hostile_team: Path, fake_embedder, tmp_path):
    result = CliRunner().invoke(
        app, ["audit", str(hostile_team), "--anonymize-key", str(tmp_path / "k")]
    )
    assert result.exit_code == 2 and "--anonymize-key needs --anonymize" in result.stderr


# -- one verdict, one vocabulary ------------------------------------------------------------

BANDS = Bands("test", aligned=0.9, partly=0.5, margin=0.05)
GREEN = "Be the greenest freight network in Europe."
LOCAL = "Keep supply chains running for communities."
VALUES = "[Safety, Honesty, Teamwork]"
TEAM = {  # three agree on the vision, Dee does not; the missions differ; the values are one
    "Ana": (GREEN, LOCAL),
    "Ben": (GREEN, "Keep supply chains running for local communities and towns."),
    "Cy": ("Be the greenest freight network in Europe, with zero emissions.", "Deliver returns."),
    "Dee": ("Become the lowest cost carrier by acquisitions.", "Keep supply chains running."),
}
GERMAN = (  # Dee writes in German: the English-only fake model cannot compare it
    "Wir wollen das grünste Güterverkehrsnetz in ganz Europa werden.",
    "Wir halten die Lieferketten für die Gemeinden am Laufen.",
    "[Sicherheit, Ehrlichkeit, Teamarbeit]",
)
HUMAN = (Format.TERMINAL, Format.MARKDOWN, Format.HTML)
STS_BANDS = tuple(w for _, w in STS_BAND_TABLE if w != "unrelated")  # "unrelated" organisations


def make_team(folder: Path, german: bool = False) -> Path:
    for name, (vision, mission) in TEAM.items():
        values = VALUES
        if german and name == "Dee":
            vision, mission, values = GERMAN
        write_manager(
            folder,
            f"{name.lower()}.yaml",
            f'manager: {name}\nvision: "{vision}"\nmission: "{mission}"\nvalues: {values}\n',
        )
    return folder


def text_of(report, fmt: Format) -> str:
    """The report as a reader sees it: entities decoded, whitespace folded (terminal wraps)."""
    text = render(report, fmt, color=False, width=100)
    if fmt is Format.HTML:
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.DOTALL)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    if fmt is Format.MARKDOWN:
        text = text.replace("**", "")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def banded(tmp_path_factory: pytest.TempPathFactory):
    team = make_team(tmp_path_factory.mktemp("banded") / "team")
    return audit(load_team(team), FakeEmbedder(), bands=BANDS)


@pytest.fixture(scope="module")
def unbanded(tmp_path_factory: pytest.TempPathFactory):
    team = make_team(tmp_path_factory.mktemp("unbanded") / "team")
    return audit(load_team(team), FakeEmbedder())  # a model unknown to the catalogue


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory):
    team = make_team(tmp_path_factory.mktemp("bilingual") / "team", german=True)
    return audit(load_team(team), FakeEmbedder(), bands=BANDS)


def test_the_banded_team_has_several_words(banded):
    """The fixture is worth testing on: verdicts and pair words of more than one kind."""
    verdicts = {r.verdict for r in banded.foundations.values()} | {banded.overall_verdict}
    assert {"aligned", "can't tell"} <= verdicts
    words = {word(p.index, BANDS) for r in banded.foundations.values() for p in r.pairs}
    assert words == {"aligned", "partly aligned", "not aligned"}


def test_every_format_shows_the_index_and_verdict_words(banded):
    for fmt in HUMAN:
        text = text_of(banded, fmt)
        overall = figure(banded.overall_index, banded.overall_interval)
        assert f"{overall}" in text and banded.overall_verdict in text, fmt
        for f, r in banded.foundations.items():
            assert r.verdict in VERDICTS
            assert figure(r.index, r.index_interval) in text, (fmt, f)
        assert "[" in figure(banded.foundations[Foundation.VISION].index, (0.1, 0.2))
    data = json.loads(render(banded, Format.JSON))
    for f, r in banded.foundations.items():
        out = data["foundations"][f.value]
        assert out["verdict"] == r.verdict
        assert out["index"] == pytest.approx(r.index if r.index is not None else None, abs=1e-4)
        assert out["index_interval"] == (
            None
            if r.index_interval is None
            else [pytest.approx(x, abs=1e-4) for x in r.index_interval]
        )
    assert data["overall"]["verdict"] == banded.overall_verdict
    junit = render(banded, Format.JUNIT)
    for f, r in banded.foundations.items():
        assert f'name="{f.value} index {figure(r.index, r.index_interval)}: {r.verdict}"' in (
            junit.replace("&apos;", "'")
        )
    assert f'name="overall_verdict" value="{banded.overall_verdict}"' in junit
    notice = render(banded, Format.GITHUB).splitlines()[-1]
    assert notice.startswith("::notice title=alignaudit::")
    assert f"overall index {figure(banded.overall_index)}" in notice
    assert banded.overall_verdict in notice


def test_legend_gives_the_bands_and_what_each_word_means(banded):
    for fmt in HUMAN:
        text = text_of(banded, fmt)
        assert "aligned from 0.90, partly aligned from 0.50" in text, fmt
        assert "more than 0.05 past a boundary" in text, fmt
        for w, meaning in MEANINGS.items():
            assert f"{w}: {meaning}" in text or f"{w} {meaning}" in text, (fmt, w)


def test_no_format_shows_a_team_sts_figure(banded, report):
    """STS is said only beside quoted statements, as "statement similarity", and its band
    words never (the reference and themes of `report` included)."""
    for fmt, rep in itertools.product(HUMAN, (banded, report)):
        text = text_of(rep, fmt).replace(" ".join(SIMILARITY_TEXT.split()), "")
        assert "STS" not in text, fmt
        assert "pairs on" not in text, fmt
        for band in STS_BANDS:
            assert band not in text, (fmt, band)
        assert "statement similarity" in text, fmt  # beside the quoted evidence
    batch = batch_table.render([banded])
    assert "STS" not in batch and not any(b in batch for b in STS_BANDS)


def test_pair_cells_use_pair_words(banded):
    vision = banded.foundations[Foundation.VISION]
    page = render(banded, Format.HTML)
    md = render(banded, Format.MARKDOWN)
    for p in vision.pairs:
        w = word(p.index, BANDS)
        assert (
            f'<td class="cell {VERDICT_CLASSES[w]}" title="{html.escape(w)}">{p.index:.2f}</td>'
            in page
        )
        assert f"| {p.index:.2f} {w} |" in md
    rows = list(csv.DictReader(io.StringIO(render(banded, Format.CSV))))
    pairs = [r for r in rows if r["kind"] == "pair"]
    assert pairs and all(r["verdict"] == word(float(r["index"]), BANDS) for r in pairs)
    # the terminal matrix shows each pair's index, in the colour of its word
    coloured = render(banded, Format.TERMINAL, color=True, width=100)
    ana_dee = vision.pair("Ana", "Dee")
    assert ana_dee is not None and word(ana_dee.index, BANDS) == "not aligned"
    assert re.search(rf"\x1b\[1;31m{ana_dee.index:.2f}\x1b\[0m", coloured)
    plain = render(banded, Format.TERMINAL, color=False, width=100)
    row = next(line for line in plain.splitlines() if line.startswith("A  Ana"))
    assert row.split()[2:] == ["·"] + [
        f"{vision.pair('Ana', b).index:.2f}"
        for b in ("Ben", "Cy", "Dee")  # type: ignore[union-attr]
    ]


def test_json_validates_and_restricts_verdicts_to_four_words(banded, unbanded, bilingual):
    for report in (banded, unbanded, bilingual):
        data = json.loads(render(report, Format.JSON))
        jsonschema.validate(data, schema())
        assert data["schema"] == "alignaudit.report/3"
        verdicts = {f["verdict"] for f in data["foundations"].values()}
        pairs = {p["verdict"] for f in data["foundations"].values() for p in f["pairs"]}
        assert verdicts | pairs | {data["overall"]["verdict"]} <= set(VERDICTS)
        for f in data["foundations"].values():
            assert set(f["statement_similarity"]) == {"score", "band", "raw", "interval"}
        assert set(data["overall"]) == {"index", "verdict", "interval", "statement_similarity"}
    data = json.loads(render(banded, Format.JSON))
    assert data["bands"] == {"aligned": 0.9, "partly": 0.5, "margin": 0.05, "version": "test"}
    assert data["signature"]["bands"] == "test"
    assert data["scale"]["verdicts"] == MEANINGS
    bad = json.loads(json.dumps(data))
    bad["foundations"]["vision"]["verdict"] = "roughly aligned"
    assert not jsonschema.Draft202012Validator(schema()).is_valid(bad)
    bad = json.loads(json.dumps(data))
    bad["overall"]["verdict"] = None
    assert not jsonschema.Draft202012Validator(schema()).is_valid(bad)


def test_without_bands_every_verdict_reads_cant_tell(unbanded):
    assert unbanded.bands is None
    data = json.loads(render(unbanded, Format.JSON))
    assert data["bands"] is None and data["signature"]["bands"] == "none"
    assert data["overall"]["verdict"] == "can't tell"
    assert {f["verdict"] for f in data["foundations"].values()} == {"can't tell"}
    assert {p["verdict"] for f in data["foundations"].values() for p in f["pairs"]} == {
        "can't tell"
    }
    for fmt in HUMAN:
        text = text_of(unbanded, fmt)
        assert "no fitted bands" in text and "can't tell" in text, fmt
        for w in ("partly aligned", "not aligned", "aligned"):  # the longer words first
            text = text.replace(f"{w}: {MEANINGS[w]}", "").replace(f"{w} {MEANINGS[w]}", "")
        assert "aligned" not in text, fmt  # the other words appear only in the legend
    assert 'class="cell v-cant"' in render(unbanded, Format.HTML)
    assert {r["verdict"] for r in csv.DictReader(io.StringIO(render(unbanded, Format.CSV)))} == {
        "can't tell"
    }


def test_language_warning_in_every_human_format_and_json(bilingual, banded):
    warning = bilingual.language_warning
    assert warning and bilingual.languages == ("en", "de")
    for fmt in HUMAN:
        text = text_of(bilingual, fmt)
        assert " ".join(warning.split()) in text, fmt
        assert "Answers in 2 languages: en, de" in text, fmt
        assert "Language warning" not in text_of(banded, fmt) and "languages:" not in (
            text_of(banded, fmt)
        )
    assert 'role="alert"' in render(bilingual, Format.HTML)
    assert "> [!WARNING]" in render(bilingual, Format.MARKDOWN)
    data = json.loads(render(bilingual, Format.JSON))
    assert data["language_warning"] == warning and data["languages"] == ["en", "de"]
    github = render(bilingual, Format.GITHUB).splitlines()
    assert github[0] == f"::warning title=alignaudit%3A languages::{warning}"
    assert not render(banded, Format.GITHUB).startswith("::warning title=alignaudit%3A lang")
    junit = render(bilingual, Format.JUNIT)
    assert "Language warning" in junit and 'name="languages" value="en,de"' in junit
    assert warning in " ".join(batch_table.render([bilingual], width=200).split())


def test_junit_carries_only_xml_characters(report):
    """U+FFFE, U+FFFF, U+FDD0 and control characters in any text (here the team name, which
    lands in attributes and case names) never break the XML."""
    import dataclasses
    import xml.etree.ElementTree as ET

    from alignaudit.formats import junit

    hostile = dataclasses.replace(
        report, team=dataclasses.replace(report.team, name="team\x01\ufffe\uffff\ufdd0\x1b[2J")
    )
    text = junit.render(hostile)
    root = ET.fromstring(text.split("\n", 1)[1])  # parses: well-formed
    assert "\ufffd" in root.get("name", "")
    assert not any(c in text for c in "\x01\ufffe\uffff\ufdd0\x1b")
