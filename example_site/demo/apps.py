from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "example_site.demo"
    label = "kratom_demo"
    verbose_name = "kratom-pages demo content"
