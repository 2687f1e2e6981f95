from django.urls import path

from filings import views, views_excel

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

# Excel forms and print views (filings.views_excel).
urlpatterns += [
    path("import/template/", views_excel.plan_import_template, name="plan_import_template"),
    path("import/", views_excel.plan_import, name="plan_import"),
    path("<int:pk>/filing-form/", views_excel.plan_filing_form_print, name="plan_filing_form_print"),
    path("<int:pk>/filing-form.xlsx", views_excel.plan_filing_form_xlsx, name="plan_filing_form_xlsx"),
    path("knowledge-update.xlsx", views_excel.knowledge_update_export, name="knowledge_update_export"),
]
