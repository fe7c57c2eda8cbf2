"""The OpenAPI document matches the API: schemathesis drives every operation on the local app."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.openapi.checks import JsonSchemaError

from newsroom.extensions import db
from newsroom.models import CommentStatus


@pytest.fixture
def api_schema(app, newsroom, make):
    """The schema loaded from the running app, over a newsroom with threaded comments."""
    top = make.comment(newsroom.own, author_website="https://lena.example")
    make.comment(newsroom.own, parent=top)
    make.comment(newsroom.own, status=CommentStatus.PENDING)
    db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_openapi_document(api_schema, mode):
    """Generated requests, valid and invalid, get answers the document allows, schema-valid.

    (The strategy is driven by hand: schemathesis' lazy pytest fixture loader does not run
    under pytest 9.)
    """

    @given(case=api_schema.as_strategy(generation_mode=mode))
    @settings(max_examples=120, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate()

    check()


@pytest.mark.parametrize("path, parameters", [
    ("/articles", {}),
    ("/articles/{slug}", {"slug": "tide-gauge"}),
    ("/articles/{slug}", {"slug": "orchard-frost-fans"}),
    ("/articles/{slug}/comments", {"slug": "tide-gauge"}),
    ("/sections", {}),
    ("/outlets", {}),
])
def test_real_records_conform_to_the_schemas(api_schema, path, parameters):
    """Requests for records that exist: a 200 whose body validates against the schema."""
    case = api_schema[path]["GET"].Case(path_parameters=parameters)
    response = case.call_and_validate()
    assert response.status_code == 200
    assert response.json()["items"] if path in ("/articles", "/sections", "/outlets") else True


def test_document_declares_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    routes = {rule.rule.removeprefix("/api/v1").replace("<slug>", "{slug}")
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert routes == set(document["paths"])
    for name in ("Article", "ArticleSummary", "Comment", "Section", "Outlet", "Error",
                 "Pagination"):
        assert name in document["components"]["schemas"]
    assert "author_email" not in str(document) and "ip_address" not in str(document)


def test_a_leaking_field_would_break_the_schema(api_schema):
    """The schemas are closed: an extra field makes validation fail.

    (The email itself cannot even be tried here: public comment queries do not load it, see
    tests/readers/test_comment_threads.py.)
    """
    from newsroom.distribution import serializers

    original = serializers.COMMENT_FIELDS
    serializers.COMMENT_FIELDS = original + ("thread_id",)
    try:
        case = api_schema["/articles/{slug}/comments"]["GET"].Case(
            path_parameters={"slug": "tide-gauge"})
        with pytest.raises(FailureGroup) as failure:
            case.call_and_validate()
        [error] = failure.value.exceptions
        assert isinstance(error, JsonSchemaError)
        assert "'thread_id' was unexpected" in error.message
    finally:
        serializers.COMMENT_FIELDS = original
