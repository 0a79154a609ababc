"""Everything the program writes for people and other programs to read: one document model
(:mod:`.model`), one writer per format (:mod:`.markdown`, :mod:`.html`, :mod:`.text`,
:mod:`.csv`, :mod:`.json`), the formatting of values (:mod:`.format`), terminal widths and the
shared stylesheet (:mod:`.layout`), and one small module per report (:mod:`.agenda`,
:mod:`.outcomes`, :mod:`.fidelity`, :mod:`.reminders`) that only says what goes where.

Nothing here imports Textual or peewee, and nothing queries the store: a report's domain result
goes in, text comes out.
"""
