"""Pages: API clients (administrators and the organisation's authority create, list and revoke them; the
token and webhook secret are shown once), and the authority's online-completion batches to certify."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from api import completions
from api.clients import client_create, client_revoke, organisations_managed_by
from api.filters import CompletionBatchFilter
from api.forms import ClientForm
from api.models import ApiClient
from common.lists import list_page


def _require_manager(user):
    if not (user.is_superuser or user.role in (Role.ADMIN, Role.REVIEWER)):
        raise PermissionDenied("只有系统管理员和人社部门审核人员可以管理接口客户端。")


@login_required
def client_list(request):
    _require_manager(request.user)
    organisations = organisations_managed_by(request.user)
    form = ClientForm(request.POST or None, organisations=organisations)
    shown = None
    if request.method == "POST" and form.is_valid():
        try:
            client, token, secret = client_create(
                organisation=form.cleaned_data["organisation"], name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"], webhook_url=form.cleaned_data["webhook_url"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            shown = {"client": client, "token": token, "secret": secret}
            form = ClientForm(organisations=organisations)
    clients = ApiClient.objects.filter(organisation__in=organisations).select_related("organisation")
    response = render(request, "api/client_list.html", {"form": form, "clients": clients, "shown": shown})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def client_revoke_view(request, pk: int):
    _require_manager(request.user)
    client = get_object_or_404(ApiClient.objects.filter(organisation__in=organisations_managed_by(request.user)),
                               pk=pk)
    if client_revoke(client=client, actor=request.user):
        messages.success(request, f"已吊销接口客户端“{client.name}”，其令牌立即失效。")
    return redirect("api_clients:client_list")


@login_required
def completion_batches(request):
    if request.user.role != Role.REVIEWER:
        raise PermissionDenied("只有审核部门的审核人员可以核定网络培训完成记录。")
    batches = completions.batches_for_reviewer(request.user)
    listing = list_page(request, batches, CompletionBatchFilter)
    return render(request, "api/completion_batches.html", {"batches": listing.rows, "listing": listing})


def _act(request, pk, action, success):
    if request.user.role != Role.REVIEWER:
        raise PermissionDenied("只有审核部门的审核人员可以核定网络培训完成记录。")
    batch = get_object_or_404(completions.batches_for_reviewer(request.user), pk=pk)
    try:
        action(batch)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("api_clients:completion_batches")


@login_required
@require_POST
def completion_batch_certify(request, pk: int):
    return _act(request, pk, lambda b: completions.completion_batch_certify(batch=b, actor=request.user),
                "该批次学时已核定，已记入学时台账。")


@login_required
@require_POST
def completion_batch_return(request, pk: int):
    reason = request.POST.get("reason", "")
    return _act(request, pk, lambda b: completions.completion_batch_return(batch=b, actor=request.user, reason=reason),
                "该批次已退回培训平台。")


