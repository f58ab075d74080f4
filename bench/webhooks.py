"""``make bench-webhooks``: what telling partners costs, measured in one interleaved run on a throwaway SQLite site.

- a content save of a live article with five questions (one transaction, as the admin writes it) with
  the outbox listening, against the same save without it: the outbox's share of an editor's save;
- the relay: due changes turned into events per second;
- deliveries: signed POSTs to a receiver on loopback per second, through the database queue.

Every figure is a median over ``ROUNDS`` interleaved rounds.
"""

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SAVES = int(os.environ.get("BENCH_SAVES", "200"))
ARTICLES = int(os.environ.get("BENCH_WEBHOOK_ARTICLES", "200"))


def setup(folder):
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-webhooks-secret",
            "NEWSROOM_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def timed(function, count):
    started = time.perf_counter()
    for _ in range(count):
        function()
    return (time.perf_counter() - started) / count


def main():
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-webhooks-") as folder:
        setup(Path(folder))
        from django.db import transaction
        from django.db.models.signals import post_save

        from faq.models import FAQItem
        from newsroom.models import Article, ArticleChange, ArticleEvent, Partner, WebhookDelivery
        from newsroom.services import article_publish, outbox
        from newsroom.webhooks.endpoints import EVENTS, create_endpoint
        from newsroom.webhooks.relay import hand_over, relay_changes
        from tests.factories import ArticleFactory, FAQItemFactory
        from tests.webhooks.receivers import receiver, run_tasks

        for name in ("django_tasks_db", "django_tasks", "django.tasks"):  # one line per task is no figure
            logging.getLogger(name).setLevel(logging.WARNING)
        article = ArticleFactory()
        items = [FAQItemFactory(article=article) for _ in range(5)]

        def save():
            # What the admin writes for a live article with five questions: one transaction.
            with transaction.atomic():
                article.title = f"Titel {time.perf_counter_ns()}"
                article.save()
                for item in items:
                    item.save()

        with_outbox, without_outbox, relay_rates, delivery_rates = [], [], [], []
        with receiver() as hook:
            create_endpoint(
                partner=Partner.objects.create(name="Bench", contact_email="b@example.org"),
                url=hook.url,
                events=EVENTS,
            )
            for _ in range(ROUNDS):
                with_outbox.append(timed(save, SAVES))
                for model in (Article, FAQItem):
                    post_save.disconnect(sender=model, dispatch_uid=f"newsroom.outbox.save.{model._meta.label}")
                without_outbox.append(timed(save, SAVES))
                outbox.connect()
                ArticleChange.objects.all().delete()

                drafts = [ArticleFactory(draft=True) for _ in range(ARTICLES)]
                for draft in drafts:
                    article_publish(article=draft, user=None)
                started = time.perf_counter()
                while relay_changes():
                    pass
                relay_rates.append(ARTICLES / (time.perf_counter() - started))

                before = len(hook.requests)
                started = time.perf_counter()
                while WebhookDelivery.objects.filter(status="pending").exists():
                    hand_over(limit=1000)
                    run_tasks("database")
                delivery_rates.append((len(hook.requests) - before) / (time.perf_counter() - started))
            events = ArticleEvent.objects.count()

    saved, bare = statistics.median(with_outbox), statistics.median(without_outbox)
    print(
        f"save of a live article with 5 questions: {saved * 1000:.2f} ms with the outbox, {bare * 1000:.2f} ms without"
    )
    print(f"  ratio with/without: {saved / bare:.2f}")
    print(f"relay: {statistics.median(relay_rates):.0f} articles/s turned into events ({events} events written)")
    print(f"deliveries through the database queue: {statistics.median(delivery_rates):.0f} signed POSTs/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
