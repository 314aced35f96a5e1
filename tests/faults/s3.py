"""An S3-compatible server on the loopback for storage tests: moto's server mode in a thread of the test process
(ports 8370-8379, one per xdist worker), reachable by child processes too. A test gets its own empty bucket and
the STORAGE_URL that points at it; `use_bucket` makes it the portal's default storage for the test."""

import logging
import uuid

import boto3
import pytest

ACCESS_KEY, SECRET_KEY, REGION = "kipp-test-key", "kipp-test-secret", "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint(worker_id):
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    index = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    port = 8370 + index % 10
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


class Bucket:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.name = f"kipp-{uuid.uuid4().hex[:12]}"
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        self.client.create_bucket(Bucket=self.name)

    @property
    def url(self):
        return (
            f"s3://{self.name}?endpoint={self.endpoint}&region={REGION}&access_key={ACCESS_KEY}&secret_key={SECRET_KEY}"
        )

    def keys(self):
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def read(self, key):
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def public_grants(self, key):
        grants = self.client.get_object_acl(Bucket=self.name, Key=key)["Grants"]
        return [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "") or "Authenticated" in str(g)]


@pytest.fixture
def bucket(s3_endpoint):
    return Bucket(s3_endpoint)


def storages_for(settings, url):
    from kipp.settings import _object_storage

    return {**settings.STORAGES, "default": _object_storage(url)}


@pytest.fixture
def use_bucket(settings, bucket):
    settings.STORAGE_URL = bucket.url
    settings.STORAGES = storages_for(settings, bucket.url)
    return bucket
