from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our person fields in its forms (Wagtail's documented way)."""

    user_viewset = "lms.admin.users.UserViewSet"
