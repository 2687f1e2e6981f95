from django.urls import path

from api import views

app_name = "api_clients"

urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("<int:pk>/revoke/", views.client_revoke_view, name="client_revoke"),
    path("completions/", views.completion_batches, name="completion_batches"),
    path("completions/<int:pk>/certify/", views.completion_batch_certify, name="completion_batch_certify"),
    path("completions/<int:pk>/return/", views.completion_batch_return, name="completion_batch_return"),
]
