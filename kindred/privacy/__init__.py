"""Privacy by design: the database encrypted at rest, and a user erased everywhere on request.

``database.connect`` is the one way Kindred opens its SQLite file, so the key
(from ``KINDRED_PASSPHRASE``) applies to every domain's tables alike.
"""
