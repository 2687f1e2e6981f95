from django.urls import path

from rules import views

app_name = "rules"
urlpatterns = [
    path("eligibility/batch/", views.eligibility_batch, name="eligibility_batch"),
    path("eligibility/batch/template/", views.eligibility_template, name="eligibility_template"),
    path("eligibility/batch/download/", views.eligibility_batch_download, name="eligibility_batch_download"),
    path("persons/<int:pk>/verdict/", views.verdict_detail, name="verdict_detail"),
    path("persons/<int:pk>/cards/", views.card_issue, name="card_issue"),
    path("my/", views.my_eligibility, name="my_eligibility"),
    path("my/cards/", views.my_card_issue, name="my_card_issue"),
    path("cards/<str:code>/", views.card_detail, name="card_detail"),
    path("cards/<str:code>/pdf/", views.card_pdf, name="card_pdf"),
    path("cards/<str:code>/revoke/", views.card_revoke, name="card_revoke"),
]
