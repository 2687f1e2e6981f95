from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from accounts import views_audit as account_views_audit
from accounts.forms import SignInForm
from api.api import api
from rules.views import card_verify

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/second-factor/", account_views.second_factor_setup, name="second_factor_setup"),
    path("accounts/second-factor/verify/", account_views.second_factor_verify_view, name="second_factor_verify"),
    path("accounts/audit/", account_views_audit.audit_event_list, name="audit_event_list"),
    path("accounts/", include("access.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api-clients/", include("api.urls")),
    path("plans/", include("filings.urls")),
    path("reviews/", include("reviews.urls")),
    path("roster/", include("filings.roster_urls")),
    path("reports/", include("filings.report_urls")),
    path("certification/", include("reviews.certification_urls")),
    path("ledger/", include("ledger.urls")),
    path("notifications/", include("notifications.urls")),
    path("spot-checks/", include("reviews.spotcheck_urls")),
    path("rules/", include("rules.urls")),
    path("statistics/", include("insights.urls")),
    path("verify/<str:code>/", card_verify, name="card_verify"),
    path("", include("portal.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
