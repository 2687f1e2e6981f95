from django.urls import path

from filings import views_roster

app_name = "roster"
urlpatterns = [
    path("plans/<int:pk>/", views_roster.roster_detail, name="roster_detail"),
    path("plans/<int:pk>/template/", views_roster.roster_template, name="template"),
    path("plans/<int:pk>/upload/", views_roster.roster_upload, name="upload"),
    path("uploads/<int:pk>/", views_roster.upload_status, name="upload_status"),
    path("uploads/<int:pk>/confirm/", views_roster.upload_confirm, name="upload_confirm"),
    path("uploads/<int:pk>/marked/", views_roster.upload_marked, name="upload_marked"),
]
