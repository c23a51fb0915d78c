"""Pages of the API's lists."""

from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from lms.api.filters import MAX_PAGE_SIZE, PAGE_SIZE, check_page


class Pages(PageNumberPagination):
    """Pages of PAGE_SIZE results unless `page_size` asks for another size up to MAX_PAGE_SIZE.
    The view has read `page` and `page_size` with the rest of the query (lms.api.filters), so a
    bad value is a 400 there rather than a silent fall back to the defaults here; a page past the
    last one is a 400 too."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list:
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = int(request.query_params.get(self.page_query_param) or 1)
        check_page(number=number, last=paginator.num_pages)
        self.page = paginator.page(number)
        return list(self.page)
