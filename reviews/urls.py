from django.urls import path

from reviews import views, views_late

app_name = "reviews"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("tasks/<int:pk>/claim/", views.task_claim, name="task_claim"),
    path("tasks/<int:pk>/release/", views.task_release, name="task_release"),
    path("plans/<int:pk>/claim/", views.claim, name="claim"),
    path("plans/<int:pk>/release/", views.release, name="release"),
    path("plans/<int:pk>/late-request/", views_late.late_request, name="late_request"),
    path("late-requests/<int:pk>/claim/", views_late.late_claim, name="late_claim"),
    path("late-requests/<int:pk>/release/", views_late.late_release, name="late_release"),
    path("late-requests/<int:pk>/decide/", views_late.late_decide, name="late_decide"),
]
