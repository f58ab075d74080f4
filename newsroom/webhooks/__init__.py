"""Telling partners: the outbox relay, signed webhook deliveries through the task queue, their targets.

- ``relay``: turns due outbox entries (``ArticleChange``) into ``ArticleEvent`` rows and their
  ``WebhookDelivery`` rows, and hands due deliveries to the queue;
- ``sending``: one attempt of one delivery, signed per Standard Webhooks, with its retry plan;
- ``targets``: which receiver URLs are allowed (no requests into private networks);
- ``tasks``: the Django Tasks the worker runs (``manage.py run_worker``).
"""
