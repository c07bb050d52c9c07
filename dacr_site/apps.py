from django.apps import AppConfig


class DacrSiteConfig(AppConfig):
    name = "dacr_site"
    verbose_name = "DACR Lab site"
