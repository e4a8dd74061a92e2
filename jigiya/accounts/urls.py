from django.contrib.auth import views as auth_views
from django.urls import path

from jigiya.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/", views.token_create, name="token_create"),
    path("tokens/<uuid:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<uuid:user_id>/", views.user_detail, name="user_detail"),
    path("users/<uuid:user_id>/edit/", views.user_edit, name="user_edit"),
    path("users/<uuid:user_id>/password/", views.user_password, name="user_password"),
    path("users/<uuid:user_id>/roles/", views.assignment_add, name="assignment_add"),
    path("roles/<uuid:assignment_id>/remove/", views.assignment_remove, name="assignment_remove"),
    path("audit/", views.audit, name="audit"),
]
