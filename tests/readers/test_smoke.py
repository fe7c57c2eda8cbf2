"""The reader's pages answer."""


def test_home_lists_a_published_article(client, make, app):
    make.article("Harbour lights switched on")
    from newsroom.extensions import db

    db.session.commit()
    response = client.get("/")
    assert response.status_code == 200
    assert b"Harbour lights switched on" in response.data
