from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts import services
from portal.accounts.models import User
from portal.core.errors import ApplicationError

# django-otp registers admins for its devices that show TOTP secrets and recovery codes; the
# backoffice manages MFA only through the reset action below (and shows no secret anywhere).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm[User]):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]  # its type variable is bound to AbstractUser; ours is an AbstractBaseUser
    """Django's user admin, keyed by e-mail instead of a user name."""

    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "has_mfa", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "full_name")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    actions = ("reset_mfa", "sign_out_everywhere")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        queryset: QuerySet[User] = super().get_queryset(request)
        return queryset.annotate(mfa_on=Exists(confirmed))

    @admin.display(boolean=True, description=_("MFA"), ordering="mfa_on")
    def has_mfa(self, obj: User) -> bool:
        return bool(getattr(obj, "mfa_on", False))

    @admin.action(description=_("Sign out everywhere (end all sessions)"), permissions=["change"])
    def sign_out_everywhere(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.sign_out_everywhere(operator=request.user, user=user, reason="by an operator")  # type: ignore[arg-type]
        self.message_user(
            request, _("The selected users were signed out everywhere."), messages.WARNING
        )

    @admin.action(
        description=_("Reset two-factor authentication (lost phone)"), permissions=["change"]
    )
    def reset_mfa(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            try:
                services.mfa_reset(operator=request.user, user=user)  # type: ignore[arg-type]
            except ApplicationError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Two-factor authentication of %(email)s was reset.") % {"email": user.email},
                    messages.WARNING,
                )
