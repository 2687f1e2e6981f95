"""The unread count for the header (settings: "notifications.context_processors.unread_notifications")."""

from notifications.selectors import unread_count_for


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": unread_count_for(user=user)}
