"""Pure domain logic over plain values: no database, no Textual, no clock (``today`` is passed in)."""
