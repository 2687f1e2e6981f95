from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal.selectors import home_summary_for


@login_required
def home(request):
    """A home page per role: what waits for this user."""
    summary = home_summary_for(user=request.user)
    return render(request, "portal/home.html", {"summary": summary, "role_label": request.user.get_role_display()})
