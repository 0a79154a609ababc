"""JSON Schemas of the JSON the program writes (package data: ``*.schema.json``)."""
