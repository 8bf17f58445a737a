import pytest
from tests.conftest import publish
from tests.factories import ArticlePageFactory

@pytest.mark.django_db
def test_smoke(client, index_page):
    for i in range(3):
        a = ArticlePageFactory.build(title=f"A {i}", slug=f"a-{i}")
        index_page.add_child(instance=a)
        publish(a)
    for u in ["/api/v2/sitemap/", "/api/v3/sitemap/", "/api/v2/feed/", f"/api/v3/feed/?section={index_page.pk}", "/api/v2/sitemap/?page=3", "/api/v3/sitemap/?page=3", "/api/v2/sitemap/?x=1", "/api/v3/feed/?section=999"]:
        r = client.get(u)
        print(u, r.status_code, r["Content-Type"], r.content.decode()[:600])
