"""The API tokens settings page: create (shown once), list and revoke your own tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casework.api.forms import TokenForm
from casework.api.models import ApiToken
from casework.api.tokens import token_create, token_revoke


@never_cache
@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        created = token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        # Rendered, not redirected: the key exists only in this response.
        new_key = created.key
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "new_key": new_key},
    )


@login_required
@require_POST
def token_revoke_view(request, pk):
    # Another user's token is a 404, like another unit's case.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_tokens")
