"""Permenkes 2/2020 nutritional status categories, from z-scores (codes and Indonesian labels).

Pure Python: the models use these codes as choices, the engine assigns them to arrays.
"""

# Tinggi/panjang badan menurut umur (TB/U, PB/U): stunting = sangat pendek + pendek.
TBU = [
    ("sangat_pendek", "Sangat pendek"),
    ("pendek", "Pendek"),
    ("normal", "Normal"),
    ("tinggi", "Tinggi"),
]
STUNTED = ("sangat_pendek", "pendek")

# Berat badan menurut umur (BB/U).
BBU = [
    ("sangat_kurang", "Berat badan sangat kurang"),
    ("kurang", "Berat badan kurang"),
    ("normal", "Berat badan normal"),
    ("risiko_lebih", "Risiko berat badan lebih"),
]
UNDERWEIGHT = ("sangat_kurang", "kurang")

# Berat badan menurut panjang/tinggi badan (BB/PB, BB/TB) and IMT/U share one scale.
GIZI = [
    ("gizi_buruk", "Gizi buruk"),
    ("gizi_kurang", "Gizi kurang"),
    ("gizi_baik", "Gizi baik"),
    ("berisiko_gizi_lebih", "Berisiko gizi lebih"),
    ("gizi_lebih", "Gizi lebih"),
    ("obesitas", "Obesitas"),
]
WASTED = ("gizi_buruk", "gizi_kurang")

# Labels per index: the same code ("normal") reads differently on TB/U and BB/U.
LABELS = {"tbu": dict(TBU), "bbu": dict(BBU), "bbtb": dict(GIZI), "imtu": dict(GIZI)}


def label(index: str, code: str) -> str:
    """label("tbu", "pendek") -> "Pendek"; "" for no category."""
    return LABELS[index].get(code, "")
