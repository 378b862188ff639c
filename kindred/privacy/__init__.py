"""Privacy by design: the database encrypted at rest, and a user erased everywhere on request.

The key comes from ``KINDRED_PASSPHRASE`` (``keys.py``) and is applied where the SQLite
file is opened, ``kindred.database.sqlite.connect_sqlite``, so it covers every domain's
tables alike. Encryption at rest is SQLite's; on PostgreSQL it is the server's storage.
"""
