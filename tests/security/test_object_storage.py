"""Media in S3-compatible object storage (django-storages), against a moto server the test starts on loopback.

Uploads and their renditions go to the bucket, pages link to it (and the policy allows it),
and Django serves no media of its own.
"""

import json
import re
import sys

import pytest

from tests.servers import Server, Site, fetch, free_port, wait_until

BUCKET = "newsroom-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
    ],
}
CREDENTIALS = {"NEWSROOM_S3_ACCESS_KEY": "testing", "NEWSROOM_S3_SECRET_KEY": "testing"}


def _answers(url):
    try:
        return fetch(url, timeout=1)[0] in (200, 404)
    except OSError:
        return False


@pytest.fixture
def object_storage(tmp_path):
    port = free_port()
    server = Server(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], log=tmp_path / "moto.log"
    )
    try:
        endpoint = f"http://127.0.0.1:{port}"
        wait_until(lambda: _answers(endpoint + "/"), timeout=30, what="the moto server answering")
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        client.create_bucket(Bucket=BUCKET)
        # Readers fetch media straight from the bucket: public read, as the README asks of a bucket.
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
        yield endpoint, client
    finally:
        server.stop()


def test_posters_and_renditions_live_in_the_bucket_and_pages_link_there(tmp_path, object_storage):
    endpoint, client = object_storage
    site = Site(
        tmp_path / "site",
        NEWSROOM_S3_BUCKET=BUCKET,
        NEWSROOM_S3_ENDPOINT_URL=endpoint,
        NEWSROOM_S3_REGION="us-east-1",
        **CREDENTIALS,
    )
    site.prepare()
    site.manage("load_demo")

    names = [entry["Key"] for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert any(name.startswith("posters/") for name in names)
    assert any(name.startswith("renditions/") for name in names)
    assert not list((tmp_path / "site" / "media").rglob("*.jpg"))  # nothing on the local disk

    port = free_port()
    web = site.gunicorn(port)
    try:
        base = f"http://127.0.0.1:{port}"
        status, headers, body = fetch(base + site.published_article_path())
        assert status == 200
        sources = re.findall(r'srcset="([^" ]+) \d+w', body.decode())
        assert sources and all(source.startswith(f"{endpoint}/{BUCKET}/renditions/") for source in sources)
        policy = headers["Content-Security-Policy"]
        assert endpoint in policy.split("img-src")[1].split(";")[0]
        status, headers, image = fetch(sources[0])
        assert status == 200 and image[:4] in (b"RIFF", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb")
        # Django serves no media once object storage does.
        poster = next(name for name in names if name.startswith("posters/"))
        assert fetch(f"{base}/media/{poster}")[0] == 404
    finally:
        web.stop()
