"""The only place allauth is customised: people come from the HR roster, not from sign-up."""

from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return settings.LMS_SELF_SIGNUP


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # Single sign-on only finds people already on the roster, by their verified e-mail.
        return False


class LoginForm(AllauthLoginForm):
    """allauth's login form, telling the page whether to offer sign-up at all."""

    @property
    def signup_open(self) -> bool:
        return get_adapter(self.request).is_open_for_signup(self.request)
