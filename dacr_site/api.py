"""Helpers shared by every app's API views: pagination and validated query parameters."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class ApiPagination(PageNumberPagination):
    """``?page=N``, and ``?page_size=N`` (at most 500) for clients that want fewer round trips;
    the default page size comes from ``REST_FRAMEWORK["PAGE_SIZE"]``."""

    page_size_query_param = "page_size"
    max_page_size = 500


def query_params(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    """The request's query parameters validated by ``serializer_class`` (400 when invalid);
    only the parameters that were given (None stands for not given)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return {name: value for name, value in serializer.validated_data.items() if value is not None}


def paginated_response(
    *, view: APIView, request: Request, queryset, serializer_class: type[serializers.Serializer]
) -> Response:
    """One page of ``queryset`` in the paginator's envelope (count, next, previous, results)."""
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class MessageSerializer(serializers.Serializer):
    """Every refusal the API answers with: one line a person can read."""

    detail = serializers.CharField(help_text="One line a person can read.")

    class Meta:
        ref_name = "Message"


def first_error(errors) -> str:
    """The first message of a serializer's errors as one line ("count: A valid integer …")."""
    if isinstance(errors, dict):
        name, value = next(iter(errors.items()))
        message = first_error(value)
        # List items are keyed by index; those and non-field errors need no name in front.
        if name == "non_field_errors" or isinstance(name, int):
            return message
        return f"{name}: {message}"
    if isinstance(errors, list) and errors:
        return first_error(errors[0])
    return str(errors)


def refusal(detail: str, status: int = 400) -> Response:
    return Response({"detail": detail}, status=status)
