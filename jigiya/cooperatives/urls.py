from django.urls import path

from jigiya.cooperatives import views

app_name = "cooperatives"
urlpatterns = [
    path("", views.cooperative_list, name="list"),
    path("new/", views.cooperative_create, name="create"),
    path("<uuid:cooperative_id>/", views.cooperative_detail, name="detail"),
    path("<uuid:cooperative_id>/status/", views.status_change, name="status"),
    path("<uuid:cooperative_id>/members/new/", views.member_add, name="member_add"),
    path("<uuid:cooperative_id>/products/new/", views.product_add, name="product_add"),
    path("<uuid:cooperative_id>/prices/new/", views.price_set, name="price_set"),
    path("<uuid:cooperative_id>/customers/new/", views.customer_new, name="customer_new"),
    path("<uuid:cooperative_id>/batches/new/", views.batch_new, name="batch_new"),
    path("<uuid:cooperative_id>/purchases/new/", views.purchase_new, name="purchase_new"),
    path("<uuid:cooperative_id>/sales/new/", views.sale_new, name="sale_new"),
    path("<uuid:cooperative_id>/orders/new/", views.order_new, name="order_new"),
    path(
        "<uuid:cooperative_id>/distributions/new/",
        views.distribution_new,
        name="distribution_new",
    ),
    path("<uuid:cooperative_id>/closes/new/", views.close_new, name="close_new"),
    path("<uuid:cooperative_id>/expenses/new/", views.expense_new, name="expense_new"),
    path("<uuid:cooperative_id>/trainings/new/", views.training_new, name="training_new"),
    path("closes/<uuid:close_id>/", views.close_detail, name="close"),
    path("sales/<uuid:sale_id>/", views.sale_detail, name="sale"),
    path("sales/<uuid:sale_id>/payments/new/", views.sale_payment, name="sale_payment"),
    path("orders/<uuid:order_id>/", views.order_detail, name="order"),
    path("orders/<uuid:order_id>/deliveries/new/", views.delivery_new, name="delivery_new"),
    path("orders/<uuid:order_id>/payments/new/", views.order_payment, name="order_payment"),
    path("deliveries/<uuid:delivery_id>/", views.delivery_detail, name="delivery"),
    path("<uuid:cooperative_id>/counts/new/", views.count_new, name="count_new"),
    path("counts/<uuid:count_id>/", views.count_detail, name="count"),
    path("counts/<uuid:count_id>/approve/", views.count_approve, name="count_approve"),
    path("counts/<uuid:count_id>/reject/", views.count_reject, name="count_reject"),
    path("customers/<uuid:customer_id>/", views.customer_statement, name="statement"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("pipeline/new/", views.pipeline_new, name="pipeline_new"),
    path(
        "pipeline/<uuid:preparing_group_id>/", views.pipeline_group, name="pipeline_group"
    ),
    path("unions/", views.union_list, name="unions"),
    path("unions/new/", views.union_new, name="union_new"),
    path("unions/<uuid:union_id>/", views.union_detail, name="union"),
    path("equipment/<uuid:equipment_id>/", views.equipment_detail, name="equipment"),
    path(
        "equipment/<uuid:equipment_id>/maintenance/new/",
        views.equipment_maintain,
        name="equipment_maintain",
    ),
    path(
        "equipment/<uuid:equipment_id>/dispose/",
        views.equipment_dispose,
        name="equipment_dispose",
    ),
]
