from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("plans/<int:pk>/claim/", views.claim, name="claim"),
    path("plans/<int:pk>/release/", views.release, name="release"),
]
