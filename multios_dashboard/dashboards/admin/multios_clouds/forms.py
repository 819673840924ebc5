# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Register a cloud account: checked by Keystone before it is saved."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import forms
from horizon import messages

from multios_dashboard import api


class RegisterCloudForm(forms.SelfHandlingForm):
    name = forms.CharField(
        max_length=63, label=_("Name"),
        help_text=_("Lower-case letters, digits, '-' and '_'."))
    auth_url = forms.URLField(label=_("Keystone v3 URL"), assume_scheme="http")
    username = forms.CharField(max_length=255, label=_("User Name"))
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False))
    project_name = forms.CharField(max_length=255, label=_("Project"))
    user_domain_name = forms.CharField(max_length=255, initial="Default",
                                       label=_("User Domain"))
    project_domain_name = forms.CharField(max_length=255, initial="Default",
                                          label=_("Project Domain"))
    region_name = forms.CharField(max_length=255, required=False,
                                  label=_("Region"))
    weight = forms.FloatField(min_value=0.0, initial=1.0, label=_("Weight"),
                              help_text=_("Higher is preferred by the "
                                          "placement."))

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not api.cloud_files.valid_name(name):
            raise ValidationError(_("Use lower-case letters, digits, '-' "
                                    "and '_' only."))
        try:
            known = [cloud.name for cloud in
                     api.multios.cloud_list(self.request)]
        except Exception:
            known = []
        if name in known or api.cloud_files.exists(name):
            raise ValidationError(_("A cloud named %s already exists.")
                                  % name)
        return name

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            api.cloud_files.authenticate(data)
        except api.cloud_files.AuthenticationFailed as exc:
            raise ValidationError(
                _("Could not authenticate to %(url)s: %(reason)s")
                % {"url": data["auth_url"], "reason": exc})
        return data

    def handle(self, request, data):
        account = dict(data)
        name = account.pop("name")
        try:
            api.cloud_files.register(name, account)
        except OSError:
            exceptions.handle(request, _("Unable to save cloud %s.") % name)
            return False
        messages.success(request, _("Registered cloud %s.") % name)
        return True
