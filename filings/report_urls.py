from django.urls import path

from filings import views_reports

app_name = "reports"
urlpatterns = [
    path("plans/<int:pk>/", views_reports.report_detail, name="report_detail"),
    path("plans/<int:pk>/attachments/", views_reports.attachment_upload, name="attachment_upload"),
    path("plans/<int:pk>/submit/", views_reports.report_submit, name="report_submit"),
    path("attachments/<int:pk>/", views_reports.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views_reports.attachment_delete, name="attachment_delete"),
    path("attachments/<int:pk>/replace/", views_reports.attachment_replace, name="attachment_replace"),
]
