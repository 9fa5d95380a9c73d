"""Admin history for versioned models: list, compare any two versions, restore."""

from contextlib import nullcontext

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import history
from .services import StaleVersionError


class HistoryAdminMixin(VersionAdmin):
    """Reversion's history list, with reversion's whole-revision revert replaced
    by a per-object diff page whose restore goes through the services."""

    history_latest_first = True
    object_history_template = "admin/history/object_history.html"

    def __init__(self, *args, **kwargs):
        # Our registration (fields, inline rows followed) before VersionAdmin
        # would derive one from the admin's inlines.
        history.register_models()
        super().__init__(*args, **kwargs)

    def create_revision(self, request):
        # Showing a page writes nothing: no transaction and no revision for reads.
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return nullcontext()
        return super().create_revision(request)

    def history_restore(self, request, obj, version):
        """Restore `obj` to `version`; models with their own service override this."""
        return self._entity_restore(request, version)

    @transaction.atomic
    def _entity_restore(self, request, version):
        restored = history.entity_restore(version=version, user=request.user)
        # Whatever this admin does on save (keeping search in step, for one) runs
        # for the restored object too, in the same transaction.
        self.save_model(request, restored, None, True)
        return restored

    def has_recover_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def _versions(self, obj):
        return history.versions_for(obj)

    def _version_or_404(self, obj, version_id):
        if not str(version_id).isdigit():
            raise Http404("No such version.")
        version = self._versions(obj).filter(pk=version_id).first()
        if version is None:
            raise Http404("No such version of this object.")
        return version

    def _changes(self, request, obj, version):
        compare_id = request.GET.get("compare")
        if not compare_id:
            current = history.instance_values(obj)
            return None, history.changes_between(
                self.model, history.version_values(version), current
            )
        other = self._version_or_404(obj, compare_id)
        older, newer = sorted([version, other], key=lambda v: v.pk)
        return other, history.changes_between(
            self.model, history.version_values(older), history.version_values(newer)
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such object.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        version = self._version_or_404(obj, version_id)
        if request.method == "POST":
            return self._restore(request, obj, version)
        other, changes = self._changes(request, obj, version)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "version": version,
            "other": other,
            "changes": changes,
            "versions": self._versions(obj)[:200],  # the select stays usable
            "can_restore": self.has_change_permission(request, obj),
            "title": f"Version of {version.revision.date_created:%Y-%m-%d %H:%M}",
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/history/version_diff.html", context)

    def _restore(self, request, obj, version):
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        try:
            self.history_restore(request, obj, version)
        except (StaleVersionError, PermissionDenied, ValueError) as error:
            messages.error(request, f"Nothing was restored: {error}")
        except IntegrityError:
            messages.error(
                request,
                "Nothing was restored: that version refers to something that has "
                "been deleted since.",
            )
        else:
            when = f"{version.revision.date_created:%Y-%m-%d %H:%M}"
            messages.success(
                request,
                f"Restored the version of {when} as a new version; "
                "the history keeps the one it replaced.",
            )
        opts = self.model._meta
        return redirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
            )
        )

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        version = Version.objects.get_deleted(self.model).filter(pk=version_id).first()
        if version is None:
            raise Http404("No such deleted object.")
        if request.method == "POST":
            return self._recover(request, version)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "version": version,
            "changes": history.changes_between(
                self.model, {}, history.version_values(version)
            ),
            "recover": True,
            "can_restore": True,
            "title": f"Recover {version.object_repr}",
        }
        return TemplateResponse(request, "admin/history/version_diff.html", context)

    def _recover(self, request, version):
        opts = self.model._meta
        try:
            obj = self._entity_restore(request, version)
        except IntegrityError:
            messages.error(
                request,
                "Nothing was recovered: it refers to something deleted since.",
            )
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        messages.success(request, f"“{obj}” was recovered.")
        return redirect(
            f"admin:{opts.app_label}_{opts.model_name}_change", quote(obj.pk)
        )
