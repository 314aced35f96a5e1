"""Throttling against password spraying and distributed guessing (issue 17, item 5), through the real login page
with the client's address set (kipp.middleware.client_ip reads REMOTE_ADDR): more than LOGIN_FAILURES_PER_ADDRESS
failures from one address lock the address; LOGIN_FAILURES_PER_ACCOUNT failures at one account from any addresses
lock the account and mail its owner a single-use unlock link."""

import re
import time

import pytest
from django.urls import reverse

from kipp.models import AuditEvent
from tests.factories import PASSWORD, InnovatorFactory
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db

WRONG = "bukan-ini-123"
NEW_PASSWORD = "Inovasi-Rumbia-2027"


def _login(client, email, password, address):
    return client.post(reverse("kipp:login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def _signed_in(client):
    return "_auth_user_id" in client.session


def _path(url):
    return re.sub(r"^https?://[^/]+", "", url)


def _unlock_link(message):
    return _path(re.search(r"https?://\S+/akun/buka-kunci/\S+", message.body).group(0))


def _lock_account(
    client, email, addresses=("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4", "198.51.100.5")
):
    """10 failures at `email`, two from each of five addresses (axes' pair limit of 5 is never reached)."""
    responses = [_login(client, email, WRONG, address) for address in addresses for _ in range(2)]
    return responses


def test_spraying_from_one_address_locks_the_address(client, settings):
    accounts = [InnovatorFactory(email=f"pegawai{i}@example.org") for i in range(12)]
    responses = [_login(client, accounts[i % 12].email, WRONG, "203.0.113.7") for i in range(21)]

    assert [r.status_code for r in responses[:20]] == [200] * 20
    assert all("Email atau kata sandi salah" in r.content.decode() for r in responses[:20])
    assert responses[20].status_code == 429  # the 21st failure locks the address
    # the 22nd attempt, with the right password, is refused: nobody signs in from that address
    response = _login(client, accounts[0].email, PASSWORD, "203.0.113.7")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal dari jaringan Anda" in html
    assert "Coba lagi dalam 15 menit" in html
    assert not _signed_in(client)
    locks = AuditEvent.objects.filter(action="account.locked_out", details__lock="address")
    assert locks.count() == 2  # the lock starting, then the refused attempt
    assert locks.first().ip_address == "203.0.113.7"
    assert sent_mail() == []  # an address lock mails nobody
    # the accounts themselves are not locked: from another address the owner signs in
    assert _login(client, accounts[0].email, PASSWORD, "192.0.2.50").status_code == 302


def test_twenty_failures_from_one_address_do_not_lock_it(client):
    accounts = [InnovatorFactory(email=f"staf{i}@example.org") for i in range(12)]
    for i in range(20):
        assert _login(client, accounts[i % 12].email, WRONG, "203.0.113.8").status_code == 200
    assert _login(client, accounts[0].email, PASSWORD, "203.0.113.8").status_code == 302


def test_guessing_one_account_from_many_addresses_locks_it_and_the_mailed_link_opens_it_once(client):
    owner = InnovatorFactory(email="target@example.org", full_name="Andi Target")
    responses = _lock_account(client, owner.email)

    assert [r.status_code for r in responses] == [200] * 9 + [429]
    # the right password from a sixth address is refused
    response = _login(client, owner.email, PASSWORD, "198.51.100.6")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Akun ini dikunci sementara karena terlalu banyak percobaan masuk yang gagal" in html
    assert "tautan untuk membuka kunci ke pemilik akun" in html
    assert not _signed_in(client)
    # the owner got one unlock mail
    assert len(sent_mail()) == 1
    assert sent_mail()[0].to == ["target@example.org"]
    assert "dikunci sementara" in sent_mail()[0].subject
    link = _unlock_link(sent_mail()[0])
    assert AuditEvent.objects.filter(action="account.locked_out", details__lock="account").count() == 2

    # following the link: a page that asks to confirm (a mail scanner's GET opens nothing), then the lock opens
    page = client.get(link)
    assert page.status_code == 200
    assert "Buka kunci akun saya" in page.content.decode()
    assert _login(client, owner.email, PASSWORD, "198.51.100.6").status_code == 429
    response = client.post(link, follow=True)
    assert "Kunci akun Anda sudah dibuka" in response.content.decode()
    unlocked = AuditEvent.objects.get(action="account.unlocked")
    assert unlocked.details == {"email": "target@example.org", "via": "link"}

    response = _login(client, owner.email, PASSWORD, "198.51.100.6")
    assert response.status_code == 302
    assert _signed_in(client)
    client.post(reverse("kipp:logout"))

    # the link works once
    for again in (client.get(link), client.post(link)):
        assert again.status_code == 400
        assert "Tautan ini tidak berlaku lagi" in again.content.decode()
    assert AuditEvent.objects.filter(action="account.unlocked").count() == 1


def test_an_unknown_address_is_locked_the_same_way_and_nobody_is_mailed(client):
    responses = _lock_account(client, "tidak-ada@example.org")
    assert responses[-1].status_code == 429
    html = _login(client, "tidak-ada@example.org", PASSWORD, "198.51.100.6").content.decode()
    assert "tautan untuk membuka kunci ke pemilik akun" in html
    assert sent_mail() == []


def test_a_password_reset_opens_an_account_lock(client):
    owner = InnovatorFactory(email="lupa@example.org")
    _lock_account(client, owner.email)
    assert _login(client, owner.email, PASSWORD, "198.51.100.6").status_code == 429

    client.post(reverse("kipp:password_reset"), {"email": owner.email})
    reset = sent_mail()[-1]
    assert "/akun/atur-sandi/" in reset.body
    link = _path(re.search(r"https?://\S+/akun/atur-sandi/\S+", reset.body).group(0))
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert _login(client, owner.email, NEW_PASSWORD, "198.51.100.6").status_code == 302
    assert AuditEvent.objects.get(action="account.unlocked").details == {
        "email": "lupa@example.org",
        "via": "password_reset",
    }
    # the unlock link of the lock that is gone no longer opens anything
    assert client.post(_unlock_link(sent_mail()[0])).status_code == 400


def test_a_tampered_unlock_link_is_refused_and_opens_nothing(client):
    owner = InnovatorFactory(email="rusak@example.org")
    _lock_account(client, owner.email)
    link = _unlock_link(sent_mail()[0])
    tampered = link.replace("/buka-kunci/", "/buka-kunci/x")
    response = client.post(tampered)
    assert response.status_code == 400
    assert "Tautan ini tidak berlaku lagi" in response.content.decode()
    assert _login(client, owner.email, PASSWORD, "198.51.100.6").status_code == 429
    assert not AuditEvent.objects.filter(action="account.unlocked").exists()


def test_the_lock_and_its_link_end_with_the_cool_off(client, settings):
    settings.AXES_COOLOFF_TIME = 2 / 3600  # two seconds, in hours as AXES_COOLOFF_MINUTES gives it
    owner = InnovatorFactory(email="sabar@example.org")
    _lock_account(client, owner.email)
    assert _login(client, owner.email, PASSWORD, "198.51.100.6").status_code == 429
    time.sleep(2.1)
    assert client.post(_unlock_link(sent_mail()[0])).status_code == 400  # expired with the lock
    assert _login(client, owner.email, PASSWORD, "198.51.100.6").status_code == 302


def test_limits_come_from_the_settings_and_zero_turns_a_rule_off(client, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 0
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    owner = InnovatorFactory(email="atur@example.org")
    other = InnovatorFactory(email="lain@example.org")
    responses = [_login(client, email, WRONG, "203.0.113.9") for email in [owner.email, other.email] * 2]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]  # more than 3 from one address
    responses = _lock_account(client, owner.email)  # 10 at one account: that rule is off
    assert [r.status_code for r in responses] == [200] * 10
    assert sent_mail() == []


def test_unlock_mails_are_limited_per_address(client):
    owner = InnovatorFactory(email="sering@example.org")
    for _ in range(4):
        _lock_account(client, owner.email)
        client.post(_unlock_link(sent_mail()[-1]))
    assert len(sent_mail()) == 3
    assert AuditEvent.objects.filter(action="account.mail_withheld", details__kind="unlock").count() == 1


def test_the_lockout_page_and_the_unlock_mail_speak_english(client):
    owner = InnovatorFactory(email="english@example.org", language="en")
    client.cookies["django_language"] = "en"
    _lock_account(client, owner.email)
    html = _login(client, owner.email, PASSWORD, "198.51.100.6").content.decode()
    assert "We emailed the account's owner a link that unlocks it" in html
    assert sent_mail()[0].subject == "Your KIPP account is locked for a while"
    assert "open this link to unlock the account" in sent_mail()[0].body
    page = client.get(_unlock_link(sent_mail()[0])).content.decode()
    assert "Unlock my account" in page
