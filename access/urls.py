"""Accounts at the region's scale: registration, reset, first sign-in, link confirmation, staff,
single sign-on and the employer's view. (Sign-in, sign-out and the second factor stay in config/urls.py.)"""

from django.urls import path

from access import oidc
from access import views_employer as emp
from access import views_registration as reg
from access import views_staff as staff

app_name = "accounts"
urlpatterns = [
    path("register/", reg.register, name="register"),
    path("register/confirm/", reg.register_confirm, name="register_confirm"),
    path("password/reset/", reg.password_reset, name="password_reset"),
    path("password/reset/code/", reg.password_reset_code, name="password_reset_code"),
    path("password/reset/sent/", reg.password_reset_sent, name="password_reset_sent"),
    path("password/reset/done/", reg.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", reg.PasswordResetConfirm.as_view(), name="password_reset_confirm"),
    path("welcome/<uidb64>/<token>/", reg.FirstSignIn.as_view(), name="first_sign_in"),
    path("links/", reg.link_requests, name="link_requests"),
    path("links/<int:pk>/<str:decision>/", reg.link_decide, name="link_decide"),
    path("oidc/authenticate/", oidc.oidc_init, name="oidc_init"),
    path("oidc/callback/", oidc.oidc_callback, name="oidc_callback"),
    path("employer/staff/", emp.employer_staff, name="employer_staff"),
    path("employer/staff/<int:pk>/", emp.employer_person, name="employer_person"),
    path("employer/links/", emp.employer_links, name="employer_links"),
    path("employer/links/<int:pk>/revoke/", emp.employer_link_revoke, name="employer_link_revoke"),
    path("my/employer/", emp.my_employer, name="my_employer"),
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/import/", staff.staff_import, name="staff_import"),
    path("staff/import/template/", staff.staff_template, name="staff_template"),
    path("staff/<int:pk>/deactivate/", staff.staff_deactivate, name="staff_deactivate"),
]
