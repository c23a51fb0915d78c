"""How drf-spectacular builds the schema of this API."""

API_PREFIX = "/api/v1/"


def only_this_api(endpoints: list, **kwargs) -> list:
    """Keep the endpoints under /api/v1/. Wagtail's admin mounts DRF views of its own under
    /cms/; they are not part of this API and drf-spectacular cannot describe them."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
