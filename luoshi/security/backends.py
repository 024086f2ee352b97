from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class LoginProtectionBackend(AxesStandaloneBackend):
    """django-axes for logins from the web. Code that authenticates without a request (the test client's
    login(), a management command) is not a login attempt an attacker can make, so it passes through."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
