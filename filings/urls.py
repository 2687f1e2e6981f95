from django.urls import path

from filings import views

app_name = "filings"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("<int:pk>/withdraw/", views.plan_withdraw, name="plan_withdraw"),
    path("<int:pk>/cancel/", views.plan_cancel, name="plan_cancel"),
    path("<int:pk>/decide/<str:decision>/", views.plan_decide, name="plan_decide"),
    path("<int:pk>/late-exception/", views.plan_late_exception, name="plan_late_exception"),
]
