"""No follower's address on the subscription pages, their headers, or the INFO log of the flow."""
from __future__ import annotations

import logging

from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Subscriber, Subscription
from tests.distribution.test_privacy import forms_of
from tests.mailbox import text_of
from tests.subscriptions.conftest import confirm_link

SECRET = "Kq9.follower+tag@Private-Mail.example"
TOKEN = "kq9"


def test_subscription_pages_never_show_the_address(
        mail_app, article, post_comment, desk, work, smtp, caplog):
    with caplog.at_level(logging.INFO):
        mine = post_comment(article, SECRET, name="Quiet Quentin")
        desk(mine)
        work()
        token = confirm_link(text_of(smtp.mailbox.to(SECRET.lower())[-1]))
        reader = mail_app.test_client()
        responses = [reader.get(f"/subscriptions/{token}"), reader.post(f"/subscriptions/{token}")]
        reply = post_comment(article, "answer@example.org", parent=mine, notify=False)
        desk(reply)
        work()
    subscriber = db.session.scalars(select(Subscriber)).one()
    thread = db.session.scalars(select(Subscription)).one()
    assert len(smtp.mailbox.to(SECRET.lower())) == 2  # the confirmation and the reply
    for secret in (subscriber.token, thread.token):
        responses += [reader.get(f"/subscriptions/{secret}"),
                      reader.get(f"/subscriptions/{secret}/unsubscribe")]
    responses += [reader.post(f"/subscriptions/{thread.token}/unsubscribe"),
                  reader.post(f"/subscriptions/{subscriber.token}/unsubscribe"),
                  reader.get(f"/articles/{article.slug}"), reader.get("/subscriptions/nope")]
    needles = forms_of(SECRET) | {TOKEN, "private-mail"}
    for response in responses:
        assert response.status_code in (200, 404)
        text, headers = response.get_data(as_text=True).lower(), str(response.headers).lower()
        for needle in needles:
            assert needle.lower() not in text and needle.lower() not in headers, needle
    ours = [r for r in caplog.records if r.name.split(".")[0] in ("newsroom", "huey", "flask_mail")]
    info = "\n".join(r.getMessage() for r in ours).lower()  # (mail.log is the test server)
    for needle in needles:
        assert needle.lower() not in info, f"{needle!r} in the log"
    assert subscriber.token not in info and thread.token not in info  # nor the secrets
