"""The hash chain every Jigiya ledger keeps (savings, cooperatives' stock and cash, care
payments): each entry's hash is sha256(previous hash + the canonical JSON of the entry), the
first entry's previous hash is 64 zeros. What the canonical JSON holds is each ledger's own."""

import hashlib

GENESIS = "0" * 64


def chain_hash(prev_hash: str, canonical_json: str) -> str:
    return hashlib.sha256((prev_hash + canonical_json).encode()).hexdigest()
