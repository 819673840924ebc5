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

"""Register a cloud account through the API, which checks it first."""

from django.core import validators
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import forms
from horizon import messages

from multios_dashboard import api

# The API's rule for a cloud's name (multios_api_ext's schema).
NAME_PATTERN = r'^[A-Za-z0-9][A-Za-z0-9_.-]*$'


class RegisterCloudForm(forms.SelfHandlingForm):
    name = forms.CharField(
        max_length=64, label=_("Name"),
        validators=[validators.RegexValidator(
            NAME_PATTERN, _("Use letters, digits, '.', '-' and '_' only, "
                            "starting with a letter or a digit."))],
        help_text=_("Letters, digits, '.', '-' and '_'."))
    auth_url = forms.URLField(label=_("Keystone v3 URL"), assume_scheme="http")
    username = forms.CharField(max_length=255, label=_("User Name"))
    password = forms.CharField(
        label=_("Password"), max_length=255,
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

    def handle(self, request, data):
        account = {key: value for key, value in data.items()
                   if value not in (None, "")}
        name = account.pop("name")
        try:
            api.multios.cloud_create(request, name, **account)
        except (exceptions.BadRequest, exceptions.Conflict) as exc:
            # The account did not sign in, or the name is taken: the
            # API's reason, on the form, whose password is never sent back.
            self.api_error(str(exc))
            return False
        except Exception:
            exceptions.handle(request, _("Unable to register cloud %s.")
                              % name)
            return False
        messages.success(request, _("Registered cloud %s.") % name)
        return True
