import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "kata-sandi-uji-123"

pytest_plugins = ["tests.faults.s3"]  # the loopback S3 server and buckets of the storage tests


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data of the data migrations (Indonesia's areas) is missing from a database emptied by
    Django's own flush; kipp's flush keeps it. Load it again once per session if it is gone."""
    from kipp.areas.loading import ensure_areas

    with django_db_blocker.unblock():
        ensure_areas()


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (live_server, transaction=True) end with a flush, which keeps the areas
    (kipp/management/commands/flush.py); one query checks that they are there."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        from kipp.areas.loading import ensure_areas

        request.getfixturevalue("transactional_db")
        ensure_areas()


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STAFF_2FA = settings.JUDGE_2FA = "optional"  # a test that wants "required" overrides it
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    """Uploaded and seeded files never land in the developer's var/media: every test gets a temporary folder
    (the media_root fixture below gives a test its own path to inspect)."""
    location = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = location
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "kipp.storage.AtomicFileSystemStorage", "OPTIONS": {"location": location}},
    }


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "kipp.storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": settings.MEDIA_ROOT},
        },
    }
    return settings.MEDIA_ROOT


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the portal's default language: a request made in English by an earlier test (the test
    client runs requests in this thread, and LocaleMiddleware activates the request's language) must not turn the
    messages of the next test's services into English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
