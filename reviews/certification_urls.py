from django.urls import path

from reviews import views_certification

app_name = "certification"
urlpatterns = [
    path("plans/<int:pk>/", views_certification.plan_certification, name="plan_certification"),
    path("plans/<int:pk>/accept/", views_certification.report_accept, name="report_accept"),
    path("plans/<int:pk>/return/", views_certification.report_return, name="report_return"),
    path("plans/<int:pk>/adjustments/", views_certification.adjustments_save, name="adjustments_save"),
    path("plans/<int:pk>/adjustments/upload/", views_certification.adjustments_upload, name="adjustments_upload"),
    path("plans/<int:pk>/certify/", views_certification.certify, name="certify"),
]
