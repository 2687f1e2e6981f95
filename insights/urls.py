from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/<slug:table>.xlsx", views.export_table, name="export"),
    path("annual.xlsx", views.annual_xlsx, name="annual_xlsx"),
    path("annual/", views.annual_print, name="annual_print"),
]
