"""Log in with the username or the e-mail address, either in any case.

What was typed says which it is: with an "@" it is an e-mail address, without one a username.
Usernames cannot contain "@" (accounts.models.validate_no_at_sign), so no username can shadow
someone else's e-mail login.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.sessions import account_read_with


def find_account(login):
    """The account whose e-mail address (if `login` has an "@") or else whose username is
    `login`, in any case."""
    login = (login or "").strip()
    if not login:
        return None
    users = get_user_model()._default_manager
    if "@" in login:
        return users.filter(email__iexact=login).first()
    return users.filter(username__iexact=login).first()


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_account(username)
        if user is None:
            # Hash anyway, so a missing account takes as long to refuse as a wrong password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        # The account row read with the session, if there is one (accounts/sessions.py).
        account = account_read_with(user_id)
        if account is None:
            return super().get_user(user_id)
        return account if self.user_can_authenticate(account) else None
