from django.urls import URLPattern

app_name = "cooperatives"
urlpatterns: list[URLPattern] = []
