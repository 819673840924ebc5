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

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import exceptions
from horizon import forms
from horizon import messages
from openstack_dashboard.api import nova

from multios_dashboard import api

#: The key pair choice that takes a public key instead.
IMPORT_KEY = "__import__"


def _choices_by_name(items):
    """One choice per name; the label says which clouds have it."""
    return [(item.name, "%s (%s)" % (item.name, ", ".join(
        sorted({each["cloud"] for each in item.clouds}))))
        for item in items]


def _names(text):
    return [name.strip() for name in text.split(",") if name.strip()]


def server_names(name, count):
    """The names of a launch's instances, as the API gives them (Nova's
    multi-create naming): ``name``, or ``name-1`` ... ``name-N``.
    """
    if count == 1:
        return [name]
    return ["%s-%d" % (name, i + 1) for i in range(count)]


class Review(object):
    """What the review step says before Launch: the truth of the plan.

    ``plan``: (instance name, cloud) for each instance that fits;
    ``fitting`` how many do; ``rejections`` why the others fit nowhere (or
    why clouds were left out when all fit); ``submit_label`` None when
    nothing fits (no Launch button).
    """

    def __init__(self, data, ranking):
        self.ranking = ranking
        self.requested = data["count"]
        self.plan = list(zip(server_names(data["name"], self.requested),
                             ranking.plan))
        self.fitting = len(self.plan)
        self.all_fit = self.fitting == self.requested
        self.rejections = (ranking.rejected if self.all_fit
                           else ranking.unplaced or ranking.rejected)

    @property
    def submit_label(self):
        if not self.fitting:
            return None
        if self.all_fit:
            return _("Launch")
        return ngettext_lazy("Launch %(count)d Instance",
                             "Launch %(count)d Instances",
                             self.fitting) % {"count": self.fitting}


class LaunchForm(forms.SelfHandlingForm):
    name = forms.CharField(max_length=255, label=_("Instance Name"))
    image = forms.ThemableChoiceField(label=_("Image"))
    flavor = forms.ThemableChoiceField(label=_("Flavor"))
    count = forms.IntegerField(min_value=1, max_value=100, initial=1,
                               label=_("Count"))
    cloud = forms.ThemableChoiceField(
        label=_("Placement"), required=False,
        help_text=_("Automatic lets the placement engine rank the clouds "
                    "and fail over to the next one."))
    key_name = forms.ThemableChoiceField(
        label=_("Key Pair"), required=False,
        help_text=_("One of your key pairs, or a public key to import: "
                    "MultiOS imports it on whichever cloud the instance "
                    "lands."))
    public_key = forms.CharField(
        label=_("Public Key"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('An OpenSSH public key ("ssh-ed25519 AAAA... '
                    'comment").'))
    security_groups = forms.CharField(
        label=_("Security Groups"), required=False, initial="default",
        help_text=_("Names, separated by commas; each cloud has its own "
                    "groups of these names."))
    networks = forms.CharField(
        label=_("Network"), required=False,
        help_text=_("Names, separated by commas; empty: each cloud's "
                    "own choice (Nova's auto)."))
    user_data = forms.CharField(
        label=_("Customization Script"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("User data the instance reads at boot (cloud-init)."))
    # Set once the user has seen the placement's plan.
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
        self.fields["key_name"].choices = (
            [("", _("No key pair"))] + self._key_pairs(request) +
            [(IMPORT_KEY, _("Import a public key"))])

    @staticmethod
    def _key_pairs(request):
        """The user's key pairs in the home cloud, as Horizon lists them."""
        try:
            return [(keypair.name, keypair.name)
                    for keypair in nova.keypair_list(request)]
        except Exception:
            exceptions.handle(request, ignore=True)
            return []

    def clean(self):
        data = super().clean()
        if data.get("key_name") == IMPORT_KEY and not data.get("public_key"):
            raise ValidationError(_("Paste the public key to import, or "
                                    "choose a key pair."))
        return data

    def launch_args(self):
        """The API's launch (and placement) arguments of the form."""
        data = self.cleaned_data
        args = {"name": data["name"], "flavor": data["flavor"],
                "image": data["image"], "count": data["count"],
                "cloud": data["cloud"] or None,
                "security_groups": _names(data["security_groups"]) or None,
                "networks": _names(data["networks"]) or None,
                "user_data": data["user_data"] or None}
        if data["key_name"] == IMPORT_KEY:
            args["public_key"] = data["public_key"].strip()
        elif data["key_name"]:
            args["key_name"] = data["key_name"]
        return args

    def handle(self, request, data):
        try:
            launch = api.multios.server_launch(request, **self.launch_args())
        except Exception:
            exceptions.handle(request,
                              _('Unable to launch "%s".') % data["name"],
                              redirect=reverse(
                                  "horizon:project:multios_instances:index"))
        messages.success(
            request,
            _('Launch %(id)s of "%(name)s" accepted: %(plan)s.') % {
                "id": launch.id, "name": data["name"],
                "plan": ", ".join("%s on %s" % (s["name"], s["cloud"])
                                  for s in launch.servers)})
        return launch
