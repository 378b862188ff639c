"""`kindred bench privacy`: both columns measured in one run, on real plaintext and encrypted files."""
from kindred.bench import format_table, run_suite


def test_privacy_bench_measures_plaintext_and_encrypted_side_by_side(home):
    result = run_suite("privacy", {"quick": True})
    figures = result["figures"]
    for side in ("plain", "encrypted"):
        assert figures[f"{side}_turn_p50_ms"] > 0 and figures[f"{side}_recall_p95_ms"] > 0
    # The first encrypted open derives the key with scrypt; the plaintext one has nothing to derive.
    assert figures["encrypted_first_open_ms"] > figures["plain_first_open_ms"]
    table = format_table(result["tables"][0])
    assert "store a turn, p50" in table and "encrypted" in table
