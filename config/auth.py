"""Login throttling that applies to every login coming in over HTTP."""

from axes.backends import AxesStandaloneBackend


class ThrottledLoginBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that carry a request.

    Every HTTP login path (admin form, API token endpoint) passes the request, so
    it is throttled per client address. A call without a request comes from code
    running on the server (a management command, the test client's `login()`),
    which no remote client can reach; it is passed on to the next backend instead
    of being refused.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
