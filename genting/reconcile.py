"""Every invariant of the GENTING ledger, checked from the stored rows (used by
`manage.py genting_reconcile`, the tests and the demo loader).

`reconcile()` returns a list of problems in Indonesian; an empty list means every rupiah is
accounted for: transactions balance, cached balances equal the entries, no pool went negative at
any point, every donation and disbursement matches its transaction, reversals mirror their
originals, and the balances per channel, foster parent and family agree with the documents.
"""

from django.db import connection

# (description, SQL returning offending rows as (id, detail...)); each query must return no rows.
CHECKS = [
    (
        "transaksi tidak seimbang, kurang dari dua entri, atau memakai akun kanal lain",
        """
        SELECT t.id, COALESCE(SUM(e.jumlah), 0), COUNT(e.id)
          FROM genting_transaksi t
          LEFT JOIN genting_entri e ON e.transaksi_id = t.id
          LEFT JOIN genting_akun a ON a.id = e.akun_id
         GROUP BY t.id
        HAVING COALESCE(SUM(e.jumlah), 0) <> 0 OR COUNT(e.id) < 2
            OR COUNT(e.id) FILTER (WHERE a.kanal_id <> t.kanal_id) > 0
        """,
    ),
    (
        "saldo akun berbeda dengan jumlah entrinya",
        """
        SELECT a.id, a.saldo, COALESCE(SUM(e.jumlah), 0)
          FROM genting_akun a LEFT JOIN genting_entri e ON e.akun_id = a.id
         GROUP BY a.id HAVING a.saldo <> COALESCE(SUM(e.jumlah), 0)
        """,
    ),
    (
        "saldo akun pernah bertanda salah (dana umum/peruntukan/keluarga minus, atau donatur plus)",
        """
        SELECT akun_id, MIN(running), MAX(running) FROM (
            SELECT e.akun_id, a.jenis,
                   SUM(e.jumlah) OVER (PARTITION BY e.akun_id ORDER BY e.transaksi_id, e.id) AS running
              FROM genting_entri e JOIN genting_akun a ON a.id = e.akun_id
        ) r
         GROUP BY akun_id, jenis
        HAVING (jenis = 'donatur' AND MAX(running) > 0) OR (jenis <> 'donatur' AND MIN(running) < 0)
        """,
    ),
    (
        "donasi tidak cocok dengan transaksinya",
        """
        SELECT d.id, d.jumlah, t.jenis FROM genting_donasi d JOIN genting_transaksi t ON t.id = d.transaksi_id
         WHERE t.jenis <> 'donasi' OR t.kanal_id <> d.kanal_id
            OR (SELECT COUNT(*) FROM genting_entri e WHERE e.transaksi_id = t.id) <> 2
            OR NOT EXISTS (
                SELECT 1 FROM genting_entri e JOIN genting_akun a ON a.id = e.akun_id
                 WHERE e.transaksi_id = t.id AND e.jumlah = -d.jumlah
                   AND a.jenis = 'donatur' AND a.orang_tua_asuh_id = d.orang_tua_asuh_id)
            OR NOT EXISTS (
                SELECT 1 FROM genting_entri e JOIN genting_akun a ON a.id = e.akun_id
                 WHERE e.transaksi_id = t.id AND e.jumlah = d.jumlah
                   AND ((d.untuk_keluarga_id IS NULL AND d.untuk_pendampingan_id IS NULL AND a.jenis = 'kas')
                     OR (a.jenis = 'peruntukan' AND a.keluarga_id IS NOT DISTINCT FROM d.untuk_keluarga_id
                         AND a.pendampingan_id IS NOT DISTINCT FROM d.untuk_pendampingan_id
                         AND (d.untuk_keluarga_id IS NOT NULL OR d.untuk_pendampingan_id IS NOT NULL))))
        """,
    ),
    (
        "penyaluran tidak cocok dengan transaksinya",
        """
        SELECT p.id, p.jumlah, t.jenis FROM genting_penyaluran p JOIN genting_transaksi t ON t.id = p.transaksi_id
         WHERE t.jenis <> 'penyaluran' OR t.kanal_id <> p.kanal_id
            OR (SELECT COUNT(*) FROM genting_entri e WHERE e.transaksi_id = t.id) <> 2
            OR NOT EXISTS (
                SELECT 1 FROM genting_entri e WHERE e.transaksi_id = t.id
                   AND e.akun_id = p.akun_sumber_id AND e.jumlah = -p.jumlah)
            OR NOT EXISTS (
                SELECT 1 FROM genting_entri e JOIN genting_akun a ON a.id = e.akun_id
                 WHERE e.transaksi_id = t.id AND e.jumlah = p.jumlah
                   AND a.jenis = 'keluarga' AND a.keluarga_id = p.keluarga_id)
        """,
    ),
    (
        "transaksi donasi/penyaluran tanpa dokumen",
        """
        SELECT t.id, t.jenis FROM genting_transaksi t
         WHERE (t.jenis = 'donasi' AND NOT EXISTS (SELECT 1 FROM genting_donasi d WHERE d.transaksi_id = t.id))
            OR (t.jenis = 'penyaluran' AND NOT EXISTS (SELECT 1 FROM genting_penyaluran p WHERE p.transaksi_id = t.id))
        """,
    ),
    (
        "pembalikan tidak persis membalik transaksi asalnya",
        """
        SELECT r.id, r.membalik_id FROM genting_transaksi r JOIN genting_transaksi o ON o.id = r.membalik_id
         WHERE r.jenis = 'pembalikan' AND (o.jenis = 'pembalikan' OR EXISTS (
            (SELECT akun_id, -jumlah FROM genting_entri WHERE transaksi_id = o.id
             EXCEPT ALL SELECT akun_id, jumlah FROM genting_entri WHERE transaksi_id = r.id)
            UNION ALL
            (SELECT akun_id, jumlah FROM genting_entri WHERE transaksi_id = r.id
             EXCEPT ALL SELECT akun_id, -jumlah FROM genting_entri WHERE transaksi_id = o.id)))
        """,
    ),
    (
        "pemberian orang tua asuh menurut buku besar berbeda dengan donasinya",
        """
        WITH ledger AS (
            SELECT a.orang_tua_asuh_id AS id, -SUM(e.jumlah) AS amount
              FROM genting_entri e JOIN genting_akun a ON a.id = e.akun_id
             WHERE a.jenis = 'donatur' GROUP BY 1),
        documents AS (
            SELECT d.orang_tua_asuh_id AS id, SUM(d.jumlah) AS amount FROM genting_donasi d
             WHERE NOT EXISTS (SELECT 1 FROM genting_transaksi r WHERE r.membalik_id = d.transaksi_id)
             GROUP BY 1)
        SELECT COALESCE(l.id, d.id), COALESCE(l.amount, 0), COALESCE(d.amount, 0)
          FROM ledger l FULL JOIN documents d ON d.id = l.id
         WHERE COALESCE(l.amount, 0) <> COALESCE(d.amount, 0)
        """,
    ),
    (
        "penerimaan keluarga menurut buku besar berbeda dengan penyalurannya",
        """
        WITH ledger AS (
            SELECT a.keluarga_id AS id, SUM(e.jumlah) AS amount
              FROM genting_entri e JOIN genting_akun a ON a.id = e.akun_id
             WHERE a.jenis = 'keluarga' GROUP BY 1),
        documents AS (
            SELECT p.keluarga_id AS id, SUM(p.jumlah) AS amount FROM genting_penyaluran p
             WHERE NOT EXISTS (SELECT 1 FROM genting_transaksi r WHERE r.membalik_id = p.transaksi_id)
             GROUP BY 1)
        SELECT COALESCE(l.id, d.id), COALESCE(l.amount, 0), COALESCE(d.amount, 0)
          FROM ledger l FULL JOIN documents d ON d.id = l.id
         WHERE COALESCE(l.amount, 0) <> COALESCE(d.amount, 0)
        """,
    ),
    (
        "saldo kanal (dana umum + peruntukan) berbeda dengan donasi dikurangi penyaluran",
        """
        WITH ledger AS (
            SELECT a.kanal_id AS id, SUM(e.jumlah) AS amount
              FROM genting_entri e JOIN genting_akun a ON a.id = e.akun_id
             WHERE a.jenis IN ('kas', 'peruntukan') GROUP BY 1),
        documents AS (
            SELECT kanal_id AS id, SUM(amount) AS amount FROM (
                SELECT d.kanal_id, d.jumlah AS amount FROM genting_donasi d
                 WHERE NOT EXISTS (SELECT 1 FROM genting_transaksi r WHERE r.membalik_id = d.transaksi_id)
                UNION ALL
                SELECT p.kanal_id, -p.jumlah FROM genting_penyaluran p
                 WHERE NOT EXISTS (SELECT 1 FROM genting_transaksi r WHERE r.membalik_id = p.transaksi_id)
            ) flows GROUP BY 1)
        SELECT COALESCE(l.id, d.id), COALESCE(l.amount, 0), COALESCE(d.amount, 0)
          FROM ledger l FULL JOIN documents d ON d.id = l.id
         WHERE COALESCE(l.amount, 0) <> COALESCE(d.amount, 0)
        """,
    ),
    (
        "jumlah seluruh entri buku besar tidak nol",
        "SELECT 0, SUM(jumlah) FROM genting_entri HAVING COALESCE(SUM(jumlah), 0) <> 0",
    ),
]


def reconcile(limit: int = 20) -> list[str]:
    """Run every check; return a readable line per offending row (at most `limit` per check)."""
    problems = []
    with connection.cursor() as cursor:
        for description, sql in CHECKS:
            cursor.execute(sql)
            rows = cursor.fetchall()
            for row in rows[:limit]:
                problems.append(f"{description}: id {row[0]} ({', '.join(str(v) for v in row[1:])})")
            if len(rows) > limit:
                problems.append(f"{description}: dan {len(rows) - limit} baris lain")
    return problems
