"""Which donation paid for which help: first in, first out within one pool or earmark account.

Money in a pool is fungible, so "where did my donation go" is answered by a stated rule: the
oldest standing donation into an account pays for the oldest standing disbursement from it.
Pure Python, no Django.
"""

from collections import defaultdict


def fifo(credits, debits):
    """credits, debits: sequences of (key, amount) in order. Returns ({credit key: [(debit key,
    amount)]}, {credit key: amount not yet spent}). Debits beyond the credits stay unmatched."""
    allocation = defaultdict(list)
    remaining = {}
    queue = [[key, amount] for key, amount in credits]
    position = 0
    for debit_key, amount in debits:
        while amount > 0 and position < len(queue):
            credit = queue[position]
            used = min(credit[1], amount)
            if used:
                allocation[credit[0]].append((debit_key, used))
            credit[1] -= used
            amount -= used
            if credit[1] == 0:
                position += 1
    for key, left in queue:
        remaining[key] = left
    return dict(allocation), remaining
