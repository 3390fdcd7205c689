"""Training endpoints of the REST API, behind the same policy as the web pages.

* ``GET /api/v1/training/courses/``: the courses the caller may see (``visible`` for "training.course.view").
* ``GET /api/v1/training/courses/<code>/``: one course's outline in ``?lang=`` (modules, lessons, quizzes).
* ``GET /api/v1/training/enrolments/``: the caller's own enrolments with progress and certificate.
* ``GET /api/v1/certificates/<verification code>/``: public check of a certificate (throttled per
  address like the page): status, dates, name and course, nothing more; unknown codes answer 404.

Quiz items are never served by the API: the right answers stay on the server.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from rightpath.api.permissions import PolicyPermission
from rightpath.api.schema import ERRORS, ERRORS_WITH_404

from . import selectors
from .certificates import lookup_allowed
from .models import Course


def _language(request: Request) -> str:
    return selectors.reader_language(request.query_params.get("lang"), get_language() or "en")


class CourseSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    title = serializers.CharField()
    summary = serializers.CharField()
    status = serializers.CharField()
    is_trainer_track = serializers.BooleanField()
    enrolled = serializers.BooleanField()


class LessonRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


class QuizRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    pass_mark = serializers.IntegerField()
    max_attempts = serializers.IntegerField()
    questions = serializers.IntegerField()


class ModuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    pillar = serializers.CharField()
    lessons = LessonRefSerializer(many=True)
    quizzes = QuizRefSerializer(many=True)


class CourseDetailSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    title = serializers.CharField()
    summary = serializers.CharField()
    language = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    modules = ModuleSerializer(many=True)
    pre_test = QuizRefSerializer(allow_null=True)
    post_test = QuizRefSerializer(allow_null=True)


class EnrolmentSerializer(serializers.Serializer):
    code = serializers.UUIDField(source="enrolment.code")
    course = serializers.UUIDField(source="course.code")
    title = serializers.CharField()
    status = serializers.CharField(source="enrolment.status")
    cohort = serializers.CharField(source="enrolment.cohort")
    lessons_done = serializers.IntegerField()
    lessons_total = serializers.IntegerField()
    completed_at = serializers.DateTimeField(source="enrolment.completed_at", allow_null=True)
    certificate_code = serializers.SerializerMethodField()

    def get_certificate_code(self, row: dict[str, Any]) -> str | None:
        cert = row.get("certificate")
        return cert.verification_code if cert else None


class VerificationSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="valid, expired or revoked")
    learner_name = serializers.CharField()
    course_title = serializers.CharField()
    issuer_name = serializers.CharField()
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class CourseListView(generics.GenericAPIView):
    permission_classes = [PolicyPermission]
    policy_action = "training.course.view"
    serializer_class = CourseSerializer
    pagination_class = None

    @extend_schema(responses={200: CourseSerializer(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        rows = selectors.course_list(actor=request.user, language=_language(request))
        data = [
            {
                "code": r["course"].code,
                "title": r["title"],
                "summary": r["summary"],
                "status": r["course"].status,
                "is_trainer_track": r["course"].is_trainer_track,
                "enrolled": r["enrolled"],
            }
            for r in rows
        ]
        return Response(CourseSerializer(data, many=True).data)


class CourseDetailView(generics.GenericAPIView):
    permission_classes = [PolicyPermission]
    policy_action = "training.course.view"
    serializer_class = CourseDetailSerializer

    @extend_schema(responses={200: CourseDetailSerializer, **ERRORS_WITH_404})
    def get(self, request: Request, code: Any) -> Response:
        course: Course = selectors.course_get(code=code)
        self.check_object_permissions(request, course)
        outline = selectors.course_outline(course, _language(request))
        return Response(CourseDetailSerializer({**outline, "code": course.code}).data)

    def permission_denied(self, request: Request, message: Any = None, code: Any = None) -> None:
        # A course that is not published to the caller is "not found", as on the web.
        if request.user.is_authenticated and self.kwargs.get("code"):
            raise exceptions.NotFound()
        super().permission_denied(request, message, code)


class MyEnrolmentsView(generics.GenericAPIView):
    permission_classes = [PolicyPermission]
    policy_action = "training.learning.view"
    serializer_class = EnrolmentSerializer
    pagination_class = None

    @extend_schema(responses={200: EnrolmentSerializer(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        rows = selectors.dashboard(actor=request.user, language=_language(request))["rows"]
        return Response(EnrolmentSerializer(rows, many=True).data)


class CertificateVerifyView(generics.GenericAPIView):
    permission_classes = [PolicyPermission]
    policy_action = "training.certificate.verify"
    serializer_class = VerificationSerializer
    authentication_classes: list[Any] = []

    @extend_schema(responses={200: VerificationSerializer, 404: ERRORS_WITH_404[404]})
    def get(self, request: Request, verification_code: str) -> Response:
        if not lookup_allowed(request):
            raise exceptions.Throttled(wait=600)
        certificate = selectors.certificate_by_verification_code(verification_code)
        if certificate is None:
            raise Http404
        return Response(
            VerificationSerializer(
                {
                    "state": certificate.state,
                    "learner_name": certificate.learner_name,
                    "course_title": certificate.course_title,
                    "issuer_name": certificate.issuer_name,
                    "issued_at": certificate.issued_at,
                    "expires_at": certificate.expires_at,
                    "revoked_at": certificate.revoked_at,
                }
            ).data
        )
