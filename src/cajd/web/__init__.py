"""The portal (server-rendered pages in en/ja/ru) and the JSON API, one ASGI app."""
