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

"""Launch: pick what to run, review where the placement would put it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import forms
from horizon import messages

from multios_dashboard import api


def _choices_by_name(result):
    """One choice per name; the label says which clouds have it."""
    clouds = {}
    for item in result.items:
        clouds.setdefault(item["name"], []).append(item["cloud"])
    return [(name, "%s (%s)" % (name, ", ".join(sorted(set(names)))))
            for name, names in sorted(clouds.items())]


class LaunchForm(forms.SelfHandlingForm):
    name = forms.CharField(max_length=255, label=_("Instance Name"))
    image = forms.ThemableChoiceField(label=_("Image"))
    flavor = forms.ThemableChoiceField(label=_("Flavor"))
    count = forms.IntegerField(min_value=1, initial=1, label=_("Count"))
    cloud = forms.ThemableChoiceField(
        label=_("Placement"), required=False,
        help_text=_("Automatic lets the placement engine rank the clouds "
                    "and fail over to the next one."))
    # Set once the user has seen the placement ranking.
    confirmed = forms.BooleanField(required=False,
                                   widget=forms.HiddenInput())

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        try:
            self.fields["image"].choices = _choices_by_name(
                api.multios.image_list(request))
            self.fields["flavor"].choices = _choices_by_name(
                api.multios.flavor_list(request))
            self.fields["cloud"].choices = [("", _("Automatic"))] + [
                (cloud.name, cloud.name)
                for cloud in api.multios.cloud_list(request)]
        except Exception:
            exceptions.handle(request,
                              _("Unable to retrieve images, flavors or "
                                "clouds."))

    def launch_request(self):
        data = self.cleaned_data
        return api.multios.launch_request(
            name=data["name"], flavor=data["flavor"], image=data["image"],
            count=data["count"], cloud=data["cloud"] or None)

    def handle(self, request, data):
        try:
            launch = api.multios.server_launch(request, self.launch_request())
        except Exception:
            exceptions.handle(request,
                              _('Unable to launch "%s".') % data["name"],
                              redirect=reverse(
                                  "horizon:project:multios_instances:index"))
        messages.success(
            request,
            _('Launch %(id)s of "%(name)s" accepted: %(plan)s.') % {
                "id": launch["id"], "name": data["name"],
                "plan": ", ".join("%s on %s" % (s["name"], s["cloud"])
                                  for s in launch["servers"])})
        return launch
