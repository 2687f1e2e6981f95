from django.apps import AppConfig


class JurisdictionConfig(AppConfig):
    name = "jurisdiction"
    verbose_name = "行政区划与单位"
