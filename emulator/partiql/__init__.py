"""PartiQL for DynamoDB: another way into the same engine.

A statement is parsed once (``parser.parse``, cached by text) into the small AST of
:mod:`.nodes`, whose conditions and values are the expression AST of
:mod:`emulator.expressions.ast` with ``?`` parameters still in place. Per request,
:mod:`.bind` substitutes the Parameters; then reads run through the Query/Scan engine
(:mod:`.select`) and writes are translated into the PutItem/UpdateItem/DeleteItem and
TransactWriteItems/TransactGetItems requests the low-level API would send
(:mod:`.writes`), so conditions, updates, indexes, streams, capacity and transactions
are the existing code, not a second copy of it.
"""
