from django.urls import path

from reviews import views_spotchecks as views

app_name = "spotchecks"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/commitment/", views.campaign_commitment, name="campaign_commitment"),
    path("<int:pk>/draw/", views.campaign_draw, name="campaign_draw"),
    path("<int:pk>/redraw/", views.redraw_request, name="redraw_request"),
    path("<int:pk>/approve-results/", views.results_approve, name="results_approve"),
    path("redraw-requests/<int:pk>/approve/", views.redraw_approve, name="redraw_approve"),
    path("selections/<int:pk>/", views.selection_detail, name="selection_detail"),
    path("selections/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("selections/<int:pk>/confirm/", views.inspection_confirm, name="inspection_confirm"),
    path("assignments/<int:pk>/reassign/", views.assignment_reassign, name="assignment_reassign"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
    path("public/<int:pk>/draws/<int:number>.json", views.public_snapshot, name="public_snapshot"),
]
