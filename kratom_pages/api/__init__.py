"""Headless API support: typed schemas, serializer fields, JSON-LD and v2 wiring."""
