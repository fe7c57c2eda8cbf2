"""Subscribe → confirm → reply approved → one message; nothing before approval or after leaving.

Against a real SMTP server (aiosmtpd) in the test process; jobs run as ``worker --burst``.
"""
from __future__ import annotations

from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import MailRecord, Subscriber
from newsroom.subscriptions import confirmed
from tests.mailbox import html_of, text_of
from tests.subscriptions.conftest import confirm_link, link_tokens

ANNA = "anna.follows@example.org"
BRUNO = "bruno.answers@example.org"


def subscribed_and_confirmed(mail_app, article, post_comment, desk, work, smtp):
    """Anna comments asking for replies, her comment is approved, she confirms by POST."""
    anna = post_comment(article, ANNA, name="Anna")
    desk(anna)
    work()
    confirmation = smtp.mailbox.to(ANNA)[-1]
    token = confirm_link(text_of(confirmation))
    reader = mail_app.test_client()
    assert reader.post(f"/subscriptions/{token}").status_code == 200
    return anna


def test_the_first_ask_sends_one_confirmation_and_nothing_else(
        mail_app, article, post_comment, work, smtp):
    post_comment(article, ANNA, name="Anna")
    post_comment(article, ANNA.upper(), name="Anna again")  # the same address, asked twice
    work()
    assert len(smtp.mailbox.messages) == 1
    message = smtp.mailbox.messages[0]
    assert smtp.mailbox.envelopes[0] == [ANNA]
    assert message["To"] == ANNA and "Please confirm" in message["Subject"]
    assert "Lifeboat station gets a new slipway" in text_of(message)
    assert confirm_link(text_of(message)) in html_of(message)
    assert message["List-Unsubscribe"].startswith("<https://news.example/subscriptions/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not confirmed(ANNA)


def test_a_comment_without_the_box_ticked_subscribes_nobody(
        mail_app, article, post_comment, work, smtp):
    post_comment(article, ANNA, notify=False)
    work()
    assert smtp.mailbox.messages == []
    assert db.session.scalars(select(Subscriber)).all() == []


def test_opening_the_link_does_not_confirm_the_button_does(
        mail_app, article, post_comment, work, smtp):
    post_comment(article, ANNA, name="Anna")
    work()
    token = confirm_link(text_of(smtp.mailbox.messages[0]))
    scanner = mail_app.test_client()
    page = scanner.get(f"/subscriptions/{token}")
    assert page.status_code == 200 and "Yes, email me replies" in page.text
    assert "Lifeboat station gets a new slipway" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert not confirmed(ANNA)
    response = scanner.post(f"/subscriptions/{token}")
    assert response.status_code == 200 and "confirmed" in response.text
    assert confirmed(ANNA)
    cookies = " ".join(response.headers.getlist("Set-Cookie"))  # the commenter cookie too
    assert "newsroom_proof=" in cookies
    assert ANNA not in cookies


def test_confirming_needs_the_csrf_token_when_csrf_is_on(make_app, smtp, make):
    app = make_app(WTF_CSRF_ENABLED=True, **smtp.settings())
    with app.app_context():
        subscriber = Subscriber(email=ANNA, token="t" * 43)
        db.session.add(subscriber)
        db.session.commit()
        reader = app.test_client()
        assert reader.post(f"/subscriptions/{'t' * 43}").status_code == 400
        assert not confirmed(ANNA)


def test_a_reply_is_sent_once_approved_never_before(
        mail_app, article, post_comment, desk, work, smtp):
    anna = subscribed_and_confirmed(mail_app, article, post_comment, desk, work, smtp)
    before = len(smtp.mailbox.to(ANNA))
    reply = post_comment(article, BRUNO, parent=anna, notify=False, name="Bruno",
                         body="I was there <script>alert(1)</script><b>too</b>.")
    work()
    assert len(smtp.mailbox.to(ANNA)) == before  # pending: nothing yet
    desk(reply)
    work()
    work()  # a second run sends nothing more
    notes = smtp.mailbox.to(ANNA)[before:]
    assert len(notes) == 1
    note = notes[0]
    assert "Bruno replied to your comment" in note["Subject"]
    text, html = text_of(note), html_of(note)
    assert "I was there" in text and "alert(1)" not in text and "<script" not in html
    assert "<b>too</b>" in html
    assert f"https://news.example/articles/lifeboat-slipway#comment-{reply.id}" in text
    assert BRUNO not in note.as_string()  # never another person's address
    assert note["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len([unsub for _, unsub in link_tokens(text) if unsub]) == 2  # thread, everything
    assert smtp.mailbox.to(BRUNO) == []


def test_an_unconfirmed_follower_gets_no_reply(mail_app, article, post_comment, desk, work, smtp):
    anna = post_comment(article, ANNA, name="Anna")
    desk(anna)
    reply = post_comment(article, BRUNO, parent=anna, notify=False)
    desk(reply)
    work()
    assert [m["Subject"] for m in smtp.mailbox.to(ANNA)] == [
        "Please confirm: email me when someone replies"]


def test_ones_own_reply_notifies_nobody(mail_app, article, post_comment, desk, work, smtp):
    anna = subscribed_and_confirmed(mail_app, article, post_comment, desk, work, smtp)
    before = len(smtp.mailbox.messages)
    own = post_comment(article, ANNA, parent=anna, notify=False, name="Anna")
    desk(own)
    work()
    assert len(smtp.mailbox.messages) == before


def test_one_click_unsubscribe_needs_no_cookie_and_stops_the_thread(
        mail_app, article, post_comment, desk, work, smtp):
    anna = subscribed_and_confirmed(mail_app, article, post_comment, desk, work, smtp)
    first = post_comment(article, BRUNO, parent=anna, notify=False)
    desk(first)
    work()
    note = smtp.mailbox.to(ANNA)[-1]
    url = note["List-Unsubscribe"].strip("<>").removeprefix("https://news.example")
    mail_client = mail_app.test_client(use_cookies=False)  # what a mail client's POST looks like
    assert mail_client.get(url).status_code == 200  # GET shows the button, changes nothing
    response = mail_client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "unsubscribed" in response.text
    count = len(smtp.mailbox.to(ANNA))
    second = post_comment(article, BRUNO, parent=anna, notify=False, body="Another reply.")
    desk(second)
    work()
    assert len(smtp.mailbox.to(ANNA)) == count


def test_unsubscribe_from_everything(mail_app, article, post_comment, desk, work, smtp):
    anna = subscribed_and_confirmed(mail_app, article, post_comment, desk, work, smtp)
    subscriber = db.session.scalars(select(Subscriber)).one()
    reader = mail_app.test_client(use_cookies=False)
    assert reader.post(f"/subscriptions/{subscriber.token}/unsubscribe").status_code == 200
    count = len(smtp.mailbox.to(ANNA))
    desk(post_comment(article, BRUNO, parent=anna, notify=False))
    work()
    assert len(smtp.mailbox.to(ANNA)) == count
    assert confirmed(ANNA)  # the proof of the address stays


def test_a_held_comment_of_a_confirmed_address_gets_published_notice(
        mail_app, article, post_comment, desk, work, smtp):
    subscribed_and_confirmed(mail_app, article, post_comment, desk, work, smtp)
    links = " ".join(f"https://link{n}.example/" for n in range(3))  # held: too many links
    held = post_comment(article, ANNA, name="Anna", body=f"Sources: {links}")
    assert held.status.value == "pending"
    work()
    published = "Your comment on “Lifeboat station gets a new slipway” is published"
    assert published not in [m["Subject"] for m in smtp.mailbox.to(ANNA)]
    desk(held)
    work()
    notices = [m for m in smtp.mailbox.to(ANNA) if m["Subject"] == published]
    assert len(notices) == 1
    assert f"#comment-{held.id}" in text_of(notices[0])
    assert notices[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_unknown_tokens_are_404(mail_app):
    reader = mail_app.test_client()
    for url in ("/subscriptions/nope", "/subscriptions/nope/unsubscribe",
                "/subscriptions/" + "x" * 300):
        assert reader.get(url).status_code == 404
    assert reader.post("/subscriptions/nope/unsubscribe").status_code == 404


def test_markers_name_no_address(mail_app, article, post_comment, desk, work, smtp):
    subscribed_and_confirmed(mail_app, article, post_comment, desk, work, smtp)
    for record in db.session.scalars(select(MailRecord)):
        assert record.recipient is None and "@" not in record.recipient_hmac


def test_confirming_the_mailed_link_trusts_that_browser_for_that_address(
        mail_app, article, post_comment, desk, work, smtp):
    """The mailed link is proof of control: the confirming browser's next comment as that
    address is published at once; the same address typed in another browser still waits."""
    post_comment(article, "carla.asks@example.org", name="Carla")
    work()
    token = confirm_link(text_of(smtp.mailbox.to("carla.asks@example.org")[-1]))
    carla = mail_app.test_client()
    assert carla.post(f"/subscriptions/{token}").status_code == 200
    own = post_comment(article, "carla.asks@example.org", name="Carla", notify=False,
                       client=carla)
    stranger = post_comment(article, "carla.asks@example.org", name="Not Carla", notify=False)
    assert own.status.value == "approved"
    assert stranger.status.value == "pending"
