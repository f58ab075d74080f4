"""The webhook tests run on the database queue and on RQ with a Redis of their own (both in every suite run)."""

import pytest

from tests.servers import free_port


@pytest.fixture(params=["database", "redis"])
def queue(request, settings, monkeypatch, tmp_path):
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.NEWSROOM_WEBHOOK_RETRY_DELAYS = [0.05, 0.05, 0.05, 0.05]
    settings.NEWSROOM_WEBHOOK_TIMEOUT = 2
    if request.param == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "webhooks"]}}
        yield "database"
        return
    import django_rq.settings

    from tests.servers import redis_server

    port = free_port()
    server = redis_server(port, tmp_path)
    config = {"URL": f"redis://127.0.0.1:{port}/0", "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 2}
    monkeypatch.setattr(django_rq.settings, "QUEUES", {"default": config, "webhooks": config})
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "webhooks"]}}
    request.node.redis = (server, port, tmp_path)
    try:
        yield "redis"
    finally:
        request.node.redis[0].stop()
