from django.urls import path

from ledger import views

app_name = "ledger"
urlpatterns = [
    path("my-hours/", views.my_hours, name="my_hours"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/download/<str:fmt>/", views.batch_download, name="batch_download"),
    path("batches/<int:pk>/sent/", views.batch_mark_sent, name="batch_mark_sent"),
    path("amendments/", views.amendment_list, name="amendment_list"),
    path("entries/<int:pk>/amend/", views.amendment_request, name="amendment_request"),
    path("amendments/<int:pk>/<str:decision>/", views.amendment_decide, name="amendment_decide"),
]
