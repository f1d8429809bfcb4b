"""BKKBN's KRS families matched to GENTING's families (through genting's selectors) and to
children in balita (through balita's selectors).

- GENTING: by NIK of the head of family, else by the head's name (case, spaces and punctuation
  ignored) in the same kelurahan; a name shared by two GENTING families of one kelurahan matches
  neither. The match and how it was made are stored on the row (`keluarga_genting`, `cocok`).
- Children: those whose mother's NIK is the wife's NIK, or whose mother's name is the wife's name
  in the same kelurahan; read when a page shows the families (children move and are added).
"""

from collections import defaultdict


from balita import selectors as balita_selectors
from genting import selectors as genting_selectors
from sasaran.importers import name_key
from sasaran.models import KeluargaKrs


def match_genting(user, years) -> int:
    """Match the KRS rows of these years to the GENTING families `user` may see; returns how many
    rows matched. Only rows whose match changes are written."""
    by_nik, by_name = {}, defaultdict(list)
    for family_id, nik, head, kelurahan_id in genting_selectors.family_identities(user):
        if nik:
            by_nik[nik] = family_id
        by_name[(name_key(head), kelurahan_id)].append(family_id)
    updates = []
    matched = 0
    rows = KeluargaKrs.objects.filter(tahun__in=list(years)).only(
        "id", "nik_kepala", "kepala_keluarga", "kelurahan_id", "keluarga_genting_id", "cocok")
    for row in rows:
        found, how = None, ""
        if row.nik_kepala and row.nik_kepala in by_nik:
            found, how = by_nik[row.nik_kepala], KeluargaKrs.Cocok.NIK
        else:
            candidates = by_name.get((name_key(row.kepala_keluarga), row.kelurahan_id), [])
            if len(candidates) == 1:
                found, how = candidates[0], KeluargaKrs.Cocok.NAMA
        matched += found is not None
        if (found, how) != (row.keluarga_genting_id, row.cocok):
            row.keluarga_genting_id, row.cocok = found, how
            updates.append(row)
    KeluargaKrs.objects.bulk_update(updates, ["keluarga_genting", "cocok"], batch_size=500)
    return matched


def children_of(user, families) -> dict:
    """{KRS row id: [child dicts]} for these rows, the children the user may see in balita."""
    families = list(families)
    niks = {f.nik_istri for f in families if f.nik_istri}
    names = {(name_key(f.nama_istri), f.kelurahan_id) for f in families if f.nama_istri}
    if not niks and not names:
        return {}
    children = list(balita_selectors.children_by_mother(user, niks, names))
    result = {}
    for family in families:
        key = (name_key(family.nama_istri), family.kelurahan_id)
        result[family.pk] = [c for c in children if (family.nik_istri and c["nik_ibu"] == family.nik_istri)
                             or (family.nama_istri and (c["ibu_key"], c["kelurahan_id"]) == key)]
    return result
