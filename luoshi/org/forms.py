from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from luoshi.org.choices import STAFF_ROLES, UNIT_ROLES
from luoshi.org.models import Park, Unit, Zone


class UnitForm(forms.ModelForm[Unit]):
    class Meta:
        model = Unit
        fields = ["name", "type", "parent", "park", "aliases", "position", "is_active"]
        widgets = {"aliases": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, zone: Zone, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        parents = Unit.objects.filter(zone=zone)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        cast(forms.ModelChoiceField[Unit], self.fields["parent"]).queryset = parents
        cast(forms.ModelChoiceField[Park], self.fields["park"]).queryset = Park.objects.filter(zone=zone)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Unit.objects.filter(zone=self.zone, name=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("本园区已有名为“%(name)s”的单位") % {"name": name})
        return name

    def clean_parent(self) -> Unit | None:
        parent = self.cleaned_data.get("parent")
        # Walk up from the chosen parent: reaching this unit would make a cycle.
        seen = set()
        node = parent
        while node is not None and node.pk not in seen:
            if self.instance.pk and node.pk == self.instance.pk:
                raise forms.ValidationError(_("上级单位不能是本单位或其下级单位"))
            seen.add(node.pk)
            node = node.parent
        return parent


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=[(r.value, r.label) for r in STAFF_ROLES])
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, zone: Zone, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Unit], self.fields["unit"]).queryset = Unit.objects.filter(
            zone=zone, is_active=True
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") in UNIT_ROLES and not data.get("unit"):
            self.add_error("unit", _("单位负责人和联络员必须指定单位"))
        return data


PHONE = forms.RegexField(
    label=_("手机号码"),
    regex=r"^1\d{10}$",
    required=False,
    widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
    error_messages={"invalid": _("手机号码应为 11 位数字，以 1 开头")},
)


class ContactForm(forms.Form):
    """A person's e-mail (notices) and mobile number: personal data, kept on the admin's pages only."""

    email = forms.EmailField(label=_("电子邮箱"), required=False)
    phone = PHONE


class PersonForm(MembershipForm):
    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 @ . + - _")},
    )
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, min_length=8)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    phone = PHONE

    field_order = ["username", "full_name", "password", "role", "unit", "email", "phone"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("用户名“%(name)s”已被使用") % {"name": username})
        return username

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # The similarity check needs the person: compare with the username and name typed beside it.
        person = User(username=self.data.get("username", ""), first_name=self.data.get("full_name", ""))
        password_validation.validate_password(password, person)
        return password


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput, min_length=8)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password


class ParkForm(forms.Form):
    name = forms.CharField(label=_("园区名称"), max_length=100)

    def __init__(self, *args: Any, zone: Zone, instance: Park | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone, self.instance = zone, instance

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Park.objects.filter(zone=self.zone, name=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("已有名为“%(name)s”的园区") % {"name": name})
        return name
