"""An editor writes a formatted story in the rich-text editor, pastes from a web page, has the
typing autosaved and restored after a reload, publishes it, trashes and restores it, and
compares and restores revisions; a reader sees each step."""
import re

from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, ArticleAutosave, Role

PASTED = (
    '<meta charset="utf-8"><html><head><style>p{color:red}</style></head><body>'
    '<h1 style="font-family:Calibri">Pasted heading</h1>'
    '<p class="MsoNormal"><span style="font-weight:700">Pasted bold</span> and '
    '<a href="https://valley-ledger.example/tides" onclick="steal()">a pasted link</a>'
    '<font color="red"> in red</font><script>window.pasted = 1</script></p>'
    '<blockquote><p>A pasted quote</p></blockquote>'
    '<table><tr><td>Cell text</td></tr></table>'
    '<img src="https://tracker.example/pixel.gif">'
    '<a href="javascript:alert(1)">bad link</a>'
    "</body></html>"
)


def _sign_in(page, live_server):
    page.goto(f"{live_server}/login?next=/editor/")
    page.fill("#email", "writer@newsroom.example")
    page.fill("#password", "tide tables at dawn")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server}/editor/")


def _paste(page, html):
    page.evaluate(
        """html => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', 'plain fallback');
            const area = document.getElementById('body-area');
            area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                            cancelable: true}));
        }""",
        html,
    )


def _write_story(page):
    """Heading and list from the toolbar, bold by keyboard, a link through the prompt."""
    page.fill("#headline", "Tide tables for the week")
    area = page.locator("#body-area")
    assert area.get_attribute("role") == "textbox"
    assert area.get_attribute("aria-multiline") == "true"
    assert page.locator("#body").is_hidden()  # the textarea stays, for the form and without JS
    area.click()
    page.keyboard.type("High water")
    page.click("[data-command=heading]")
    assert page.locator("[data-command=heading]").get_attribute("aria-pressed") == "true"
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type("Bold by keyboard")
    assert page.locator("[data-command=bold]").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Control+b")
    page.keyboard.type(" then plain.")
    page.keyboard.press("Enter")
    page.click("[data-command=list]")
    page.keyboard.type("First item")
    page.keyboard.press("Enter")
    page.keyboard.type("Harbour link")
    page.keyboard.press("Shift+Home")
    page.once("dialog", lambda dialog: dialog.accept("https://valley-ledger.example/harbour"))
    page.click("[data-command=link]")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    _paste(page, PASTED)
    assert "words" in page.locator("[data-word-count]").inner_text()
    # the live preview shows the reader's layout as it is typed
    preview = page.locator("[data-editor-preview]")
    assert preview.locator("h1").inner_text() == "Tide tables for the week"
    assert preview.locator(".story-body h2").first.inner_text() == "High water"


def test_write_paste_autosave_restore_publish_trash_and_revisions(live_server, page, browser,
                                                                 make):
    make.user(Role.EDITOR, email="writer@newsroom.example", password="tide tables at dawn",
              name="Wren Calder")
    db.session.commit()
    _sign_in(page, live_server)
    page.goto(f"{live_server}/editor/articles/new")
    _write_story(page)
    page.click("form.desk-form button[type=submit]:has-text('Save')")
    page.wait_for_url(re.compile(r".*/editor/articles/\d+$"))
    article_id = int(page.url.rsplit("/", 1)[1])

    db.session.expire_all()
    body = db.session.get(Article, article_id).body
    assert "<h2>High water</h2>" in body
    assert re.search(r"<(strong|b)>Bold by keyboard</(strong|b)>", body)
    assert '<li><a href="https://valley-ledger.example/harbour">Harbour link</a></li>' in body
    assert "<h2>Pasted heading</h2>" in body and "<strong>Pasted bold</strong>" in body
    assert '<a href="https://valley-ledger.example/tides">a pasted link</a>' in body
    assert "<blockquote><p>A pasted quote</p></blockquote>" in body
    for dropped in ("style", "font", "script", "<table", "<img", "onclick", "javascript:",
                    "MsoNormal", "window.pasted"):
        assert dropped not in body, dropped
    assert "Cell text" in body and "bad link" in body  # their text is kept

    # autosave while typing, then a "closed tab": reopening offers the unsaved text back
    page.click("a.button:text-is('Edit')")
    page.locator("#body-area").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Typed after the save, then the tab closed.")
    page.wait_for_selector("text=Unsaved changes kept at", timeout=15_000)
    db.session.expire_all()
    assert db.session.scalar(select(ArticleAutosave.article_id)) == article_id
    page.goto(f"{live_server}/editor/articles/{article_id}/edit")
    assert "Restore unsaved changes from" in page.locator(".autosave-offer").inner_text()
    assert "Typed after the save" not in page.locator("#body-area").inner_text()
    page.click("text=Restore them")
    assert "Typed after the save" in page.locator("#body-area").inner_text()
    page.click("form.desk-form button[type=submit]:has-text('Save')")
    assert "Story saved." in page.locator(".flash").inner_text()

    page.click("button:has-text('Publish now')")
    assert "Story published." in page.locator(".flash").inner_text()
    slug = db.session.scalar(select(Article.slug).where(Article.id == article_id))
    reader = browser.new_context().new_page()
    reader.goto(f"{live_server}/articles/{slug}")
    assert reader.locator(".story-body h2").first.inner_text() == "High water"
    assert reader.locator(".story-body strong", has_text="Bold by keyboard").count() + \
        reader.locator(".story-body b", has_text="Bold by keyboard").count() == 1
    assert "Typed after the save, then the tab closed." in reader.locator(".story-body").inner_text()

    # unpublishing asks first; trash asks first, then the reader gets 410, restore brings it back
    page.click("text=Unpublish…")
    assert "This story is live" in page.inner_text("main")
    page.click("text=Keep it published")
    page.click("text=Move to trash…")
    page.click("button:has-text('Move to trash')")
    assert "moved to the trash" in page.locator(".flash").inner_text()
    assert reader.goto(f"{live_server}/articles/{slug}").status == 410
    page.click("table a:text-is('Tide tables for the week')")
    page.click("button:has-text('Restore from trash')")
    assert "Story restored" in page.locator(".flash").inner_text()
    assert reader.goto(f"{live_server}/articles/{slug}").status == 200
    reader.context.close()

    # compare the first revision with the edit, then restore the first
    page.click("text=Compare revisions and restore one")
    created = page.locator("select[name=a] option", has_text="Created")
    page.select_option("select[name=a]", created.get_attribute("value"))
    edited = page.locator("select[name=b] option", has_text="Edited")
    page.select_option("select[name=b]", edited.get_attribute("value"))
    page.click("button:has-text('Compare')")
    assert "Typed after the save" in page.locator(".word-diff ins").first.inner_text()
    page.click("button:has-text('Restore “Created')")
    assert "Revision restored" in page.locator(".flash").inner_text()
    db.session.expire_all()
    assert "Typed after the save" not in db.session.get(Article, article_id).body
