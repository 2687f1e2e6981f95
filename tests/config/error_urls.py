"""The project's URLs and error handlers, plus views that fail in each way the error pages handle."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project


def refuse(request):
    raise PermissionDenied("只有本计划培训组织单位的经办人可以上传花名册。")


def missing(request):
    raise Http404("No TrainingPlan matches the given query.")


def database_down(request):
    raise OperationalError('connection failed: FATAL:  the database system is starting up')


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("fail/refuse/", refuse), path("fail/missing/", missing),
               path("fail/database/", database_down), path("fail/broken/", broken), *project]
