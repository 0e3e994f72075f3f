from django import forms

from casework.jobs.models import ReportJob


class JobStartForm(forms.Form):
    target = forms.ChoiceField(choices=[("assessment", "assessment"), ("case", "case")])
    pk = forms.IntegerField(min_value=1)
    kind = forms.ChoiceField(choices=ReportJob.Kind.choices)
