"""The search index: typing reuses the scores of the words already typed and changes no result."""

from __future__ import annotations

from tui.kb.search import SearchIndex


def test_typing_a_word_reuses_the_words_before_it_and_gives_the_same_hits(fixture_kb) -> None:  # type: ignore[no-untyped-def]
    typed, fresh = SearchIndex(fixture_kb), SearchIndex(fixture_kb)
    query = "owner:customer root mfa"
    for i in range(1, len(query) + 1):
        try:
            got = [h.id for h in typed.search(query[:i])]
        except Exception:  # a half-typed filter
            continue
        assert got == [h.id for h in SearchIndex(fixture_kb).search(query[:i])]
    assert [h.id for h in typed.search(query)] == [h.id for h in fresh.search(query)]
    assert any(key[1] == ("root",) for key in typed._prefixes)  # the leading word was scored once and kept
