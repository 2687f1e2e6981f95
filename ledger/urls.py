from django.urls import path

from ledger import views, views_applications

app_name = "ledger"
urlpatterns = [
    path("my-hours/", views.my_hours, name="my_hours"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/download/<str:fmt>/", views.batch_download, name="batch_download"),
    path("batches/<int:pk>/sent/", views.batch_mark_sent, name="batch_mark_sent"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("amendments/", views.amendment_list, name="amendment_list"),
    path("entries/<int:pk>/amend/", views.amendment_request, name="amendment_request"),
    path("amendments/<int:pk>/<str:decision>/", views.amendment_decide, name="amendment_decide"),
    path("applications/", views_applications.application_list, name="application_list"),
    path("applications/credit/new/", views_applications.credit_new, name="credit_new"),
    path("applications/credit/bulk/", views_applications.credit_bulk, name="credit_bulk"),
    path("applications/credit/bulk/template/", views_applications.credit_bulk_template, name="credit_bulk_template"),
    path("applications/circumstance/new/", views_applications.circumstance_new, name="circumstance_new"),
    path("applications/<str:kind>/<int:pk>/", views_applications.application_detail, name="application_detail"),
    path("applications/<str:kind>/<int:pk>/evidence/", views_applications.application_evidence,
         name="application_evidence"),
    path("applications/<str:kind>/<int:pk>/decide/<str:decision>/", views_applications.application_decide,
         name="application_decide"),
    path("applications/<str:kind>/<int:pk>/resubmit/", views_applications.application_resubmit,
         name="application_resubmit"),
    path("applications/<str:kind>/<int:pk>/claim/", views_applications.application_claim, name="application_claim"),
    path("applications/<str:kind>/<int:pk>/release/", views_applications.application_release,
         name="application_release"),
]
